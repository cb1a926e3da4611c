"""Shared fixtures."""

import pytest

from xl_awards.io.libreoffice import LibreOffice, unavailable_reason


@pytest.fixture(autouse=True)
def _no_env_review_key(monkeypatch):
    """The hub's review key comes from the key file beside the hub, never from the tester's environment."""
    monkeypatch.delenv("XL_AWARDS_REVIEW_KEY", raising=False)


@pytest.fixture(scope="session")
def libreoffice():
    """One headless LibreOffice for the whole session (skips with the reason when it cannot run)."""
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"LibreOffice headless unavailable: {reason}")
    with LibreOffice() as lo:
        yield lo
