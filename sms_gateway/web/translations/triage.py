"""English for the triage pages."""

ENGLISH: dict[str, str] = {}
