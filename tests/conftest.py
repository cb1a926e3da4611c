"""Shared fixtures."""

import pytest

from xl_awards.io.libreoffice import LibreOffice, unavailable_reason


@pytest.fixture(scope="session")
def libreoffice():
    """One headless LibreOffice for the whole session (skips with the reason when it cannot run)."""
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"LibreOffice headless unavailable: {reason}")
    with LibreOffice() as lo:
        yield lo
