"""The criteria: one module per criterion (see base.py for the contract, registry.py for the list)."""
