"""Reading files: strict YAML with positions, then files into a validated World."""
