"""English for the agency pages."""

ENGLISH: dict[str, str] = {}
