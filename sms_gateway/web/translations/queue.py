"""English for the queue pages."""

ENGLISH: dict[str, str] = {}
