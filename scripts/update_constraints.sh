#!/usr/bin/env bash
# Refresh constraints.txt: install the newest releases that pyproject.toml allows into a throw-away
# virtual environment, run the test suite there, and pin what was installed only if it passes.
# Run it when CI's newest-releases job reports drift, and commit the result with the test run's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
fresh="$(mktemp -d)"
python3 -m venv "$fresh/venv"
"$fresh/venv/bin/pip" install -q -U pip
"$fresh/venv/bin/pip" install -q -U -e '.[test,bench]'  # bench: the solver side-by-side's extra, pinned too
"$fresh/venv/bin/python" -m pytest -q -x
{
  echo "# Pinned versions for the README's test command and CI (pip install -c constraints.txt)."
  echo "# Regenerate with scripts/update_constraints.sh; CI also runs the suite on the newest releases."
  "$fresh/venv/bin/pip" freeze --exclude-editable | grep -v '^-e ' | grep -vi '^coalesce'
} > constraints.txt
rm -rf "$fresh"
echo "constraints.txt updated"
