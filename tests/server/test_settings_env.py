"""`inge-tui serve --workers N` hands the settings to its worker processes through the
environment: every setting a config file can change arrives (data_request_days and token_days
were lost there once)."""

from __future__ import annotations

import json

from inge_tui.server.app import settings_to_environment
from inge_tui.server.settings import Settings


def test_worker_processes_get_every_setting_of_the_config_file() -> None:
    settings = Settings(
        database_url="sqlite:///x.db",
        claim_minutes=45,
        dtz_thresholds={"sprechen": {"b1_from": 80}},
        data_request_days=21,
        token_days={"caseworker": 30},
    )
    again = Settings(**json.loads(settings_to_environment(settings)))
    for name in ("database_url", "claim_minutes", "dtz_thresholds", "data_request_days"):
        assert getattr(again, name) == getattr(settings, name), name
    assert dict(again.token_days) == {"caseworker": 30}
