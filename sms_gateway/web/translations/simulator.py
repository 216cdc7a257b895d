"""English for the simulator pages."""

ENGLISH: dict[str, str] = {}
