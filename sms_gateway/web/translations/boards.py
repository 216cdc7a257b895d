"""English for the boards pages."""

ENGLISH: dict[str, str] = {}
