"""English for the search pages."""

ENGLISH: dict[str, str] = {}
