"""Load the region index once for the whole places test session."""

import pytest

from sms_gateway.places.index import name_index


@pytest.fixture(scope="session", autouse=True)
def loaded_index() -> None:
    """Build the index once; every test after that reuses the process-wide cache."""
    name_index()
