"""Fixtures for the whole suite: the live service (see `tests/support/live.py`), and German."""

from collections.abc import Iterator

import pytest
from support.live import live_service, sqlite_service, store_url

from inge_tui import i18n

__all__ = ["live_service", "sqlite_service", "store_url"]


@pytest.fixture(autouse=True)
def german_again() -> Iterator[None]:
    """Every test starts in German: an app set to English sets the process's language."""
    i18n.set_language(i18n.DEFAULT)
    yield
    i18n.set_language(i18n.DEFAULT)
