"""English for the charts pages."""

ENGLISH: dict[str, str] = {}
