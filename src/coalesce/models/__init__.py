"""Frozen pydantic models: the world (actors, sources, domains), issues, scenarios and results."""
