"""Fixtures for the whole suite: the live service (see `tests/support/live.py`)."""

from support.live import live_service, sqlite_service, store_url

__all__ = ["live_service", "sqlite_service", "store_url"]
