"""The line under a blocker that says a data request is out: whom it went to, in a whole
sentence whether the provider is named or not (it once read "bei beim Kursträger")."""

from __future__ import annotations

from datetime import UTC, date, datetime

from inge_tui.api.models import DataRequest
from inge_tui.i18n import set_language
from inge_tui.widgets.case_sections import request_line


def _request(provider: str | None) -> DataRequest:
    return DataRequest(
        request_id=1,
        participant_id="TN-1",
        office="RS-NBG",
        item="ausweisnummer_fehlt",
        item_text="Ausweisnummer",
        provider=provider,
        requested_on=date(2026, 12, 1),
        due_on=date(2026, 12, 15),
        requested_by="SB",
        requested_at=datetime(2026, 12, 1, 9, tzinfo=UTC),
        status="offen",
    )


def test_the_request_names_whom_it_went_to() -> None:
    named = request_line(_request("VHS Nürnberg")).plain
    unnamed = request_line(_request(None)).plain
    assert "angefordert am 01.12.2026 bei VHS Nürnberg, Frist 15.12.2026" in named
    assert "angefordert am 01.12.2026 beim Kursträger, Frist 15.12.2026" in unnamed
    set_language("en")
    assert (
        "requested on 01.12.2026 from the course provider, due 15.12.2026"
        in request_line(_request(None)).plain
    )
