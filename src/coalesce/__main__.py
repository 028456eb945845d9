"""`python -m coalesce` runs the command line."""

from coalesce.cli import main

main()
