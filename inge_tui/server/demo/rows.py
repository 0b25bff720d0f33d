"""One synthetic case as rows of the store's tables, Postkorb columns computed by the rules.

`case_rows` is what the seeding workers run for every case: it builds the same `CaseRecord`
the service builds, asks the same rules (`Rules.assess`) and fills the entry's list columns
with the same function the service uses (`postbox_sync.entry_columns`), so a seeded Postkorb
looks exactly like one the service filled transmission by transmission.

Values come out ready for both loaders: dates as ISO text, timestamps as naive-UTC text (the
SQLite storage format; PostgreSQL reads them with the session in UTC), booleans as 0/1.

A case dict has the keys `participant` (the participant columns without id, office and
bookkeeping), `identity` (or None), `dtz` (list of sittings with `exam_date`, `exam_center`,
`source` and the parts present), `lid` (list with `exam_date`, `points`), `alt_b1` (or None)
and `application` (or None).

A ready entry older than the seeding's `close_before` is seeded closed, as the caseworker left
it: with the document that closed it (`certificates`, posted the next day), issued some days
after the entry arrived, its text fixed for the PDF like the service fixes it. Its number is a
placeholder (`DEMO-…`) until `seed.number_history` numbers the demo's documents in the order
they were issued, so the series has no gap.
"""

from __future__ import annotations

import zlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from inge_tui.domain.types import Part
from inge_tui.server.store.cases import CaseRecord
from inge_tui.server.store.migrations import REGISTRATION_REPORT
from inge_tui.server.usecases.postbox_sync import (
    ABSCHLUSS,
    WIEDERHOLUNG,
    abschluss_key,
    entry_columns,
)
from inge_tui.server.usecases.rules import Rules

PLACEHOLDER = "DEMO-NUMMER"  # the document number in a seeded text until it is numbered
ISSUER = "Demo-Sachbearbeiterin"

COLUMNS: dict[str, tuple[str, ...]] = {
    "participants": (
        "participant_id",
        "office",
        "surname",
        "given_name",
        "birth_date",
        "course_type",
        "contingent_hours",
        "hours_used",
        "self_payer",
        "entitlement_date",
        "registered_on",
        "course_start",
        "provider",
        "version",
        "created_at",
        "updated_at",
    ),
    "hours_reports": (
        "report_id",
        "participant_id",
        "as_of",
        "hours_used",
        "token_id",
        "fingerprint",
        "recorded_at",
    ),
    "identities": (
        "participant_id",
        "document_type",
        "document_number",
        "street",
        "postal_code",
        "city",
        "updated_at",
    ),
    "dtz_results": (
        "participant_id",
        "exam_date",
        "revision",
        "is_current",
        "funded",
        "recorded_at",
        "exam_center",
        "source",
        "hoeren_lesen",
        "schreiben",
        "sprechen",
        "complete",
        "overall",
        "hours_used_at_exam",
        "within_repetition",
    ),
    "lid_results": (
        "participant_id",
        "exam_date",
        "revision",
        "is_current",
        "funded",
        "recorded_at",
        "points",
        "passed",
    ),
    "alt_b1_proofs": (
        "participant_id",
        "exam_name",
        "level",
        "issued_on",
        "presented_on",
        "is_current",
        "recorded_by",
        "recorded_at",
    ),
    "repetition_applications": (
        "application_id",
        "participant_id",
        "received_on",
        "requested_hours",
        "provider_confirmation",
        "in_ninth_section",
        "proper_attendance",
        "obliged_44a",
        "status",
        "version",
        "created_at",
    ),
    "postbox_entries": (
        "office",
        "kind",
        "status",
        "participant_id",
        "application_id",
        "pair_key",
        "created_at",
        "updated_at",
        "closed_at",
        "surname",
        "given_name",
        "name_key",
        "self_payer",
        "dtz_overall",
        "lid_points",
        "expected_document",
        "blocker_codes",
        "blocked",
        "flags",
        "version",
        "course_type",
        "exam_center",
    ),
    "certificates": (
        "certificate_id",
        "kind",
        "participant_id",
        "office",
        "pair_key",
        "issued_on",
        "issued_at",
        "issued_by",
        "rules_version",
        "inputs",
        "pdf",
        "status",
        "record",
        "dispatched_at",
        "printed",
        "printed_sha256",
    ),
}
TABLES = tuple(COLUMNS)
PARTS = tuple((part, part.value) for part in Part)


def ts(value: datetime) -> str:
    """Naive-UTC text, as SQLAlchemy stores `UtcDateTime` on SQLite."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def case_dict(case: Any) -> dict[str, Any]:
    """A `cases.DemoCase` in the shape `case_rows` reads."""
    identity = None
    if any(v is not None for v in (case.document_type, case.document_number, case.street)):
        identity = {
            "document_type": case.document_type,
            "document_number": case.document_number,
            "street": case.street,
            "postal_code": case.postal_code,
            "city": case.city,
        }
    dtz = []
    if case.dtz_parts is not None:
        hl, sw, sp = case.dtz_parts
        dtz.append(
            {
                "exam_date": case.dtz_exam_date,
                "exam_center": case.dtz_exam_center or "",
                "source": "webservice",
                "hoeren_lesen": hl,
                "schreiben": sw,
                "sprechen": sp,
            }
        )
    lid = []
    if case.lid_points is not None:
        lid.append({"exam_date": case.lid_exam_date, "points": case.lid_points})
    alt = None
    if case.alt_b1 is not None:
        name, level, issued, presented = case.alt_b1
        alt = {"exam_name": name, "level": level, "issued_on": issued, "presented_on": presented}
    application = None
    if case.repetition is not None:
        received, hours, confirmed = case.repetition
        application = {
            "received_on": received,
            "requested_hours": hours,
            "provider_confirmation": confirmed,
        }
    return {
        "participant": {
            "surname": case.surname,
            "given_name": case.given_name,
            "birth_date": case.birth_date,
            "course_type": case.course_type,
            "contingent_hours": case.contingent_hours,
            "hours_used": case.hours_used,
            "self_payer": case.self_payer,
            "entitlement_date": case.entitlement_date,
            "registered_on": case.registered_on,
            "course_start": case.course_start,
        },
        "identity": identity,
        "dtz": dtz,
        "lid": lid,
        "alt_b1": alt,
        "application": application,
    }


_OUTCOMES: dict[tuple[Any, ...], Any] = {}


def _dtz_outcome(rules: Rules, parts: dict[Part, float]) -> Any:
    """`rules.dtz`, remembered per points (a pure function of points and thresholds)."""
    key = (rules.thresholds, *(parts.get(p) for p, _ in PARTS))
    outcome = _OUTCOMES.get(key)
    if outcome is None:
        if len(_OUTCOMES) > 200_000:
            _OUTCOMES.clear()
        outcome = _OUTCOMES[key] = rules.dtz(parts)
    return outcome


def provider_for(office: str) -> str:
    """The demo's course provider of an office: it registered the office's participants and
    answers the office's data requests (its demo token carries this name)."""
    return f"Demo-Kursträger {office}"


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def case_rows(
    case: dict[str, Any],
    *,
    participant_id: str,
    office: str,
    created: datetime,
    application_id: int,
    rules: Rules,
    today: date,
    close_before: datetime,
) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of every table for one case (see the module docstring)."""
    p = case["participant"]
    stamp = ts(created)
    out: dict[str, list[tuple[Any, ...]]] = {table: [] for table in TABLES}
    out["participants"].append(
        (
            participant_id,
            office,
            p["surname"],
            p["given_name"],
            _d(p["birth_date"]),
            p["course_type"],
            p["contingent_hours"],
            p["hours_used"],
            int(p["self_payer"]),
            _d(p.get("entitlement_date")),
            _d(p.get("registered_on")),
            _d(p.get("course_start")),
            provider_for(office),
            1,
            stamp,
            stamp,
        )
    )
    # the hours as they stood the day before the first DTZ (or on the day of registration)
    dtz_days = [s["exam_date"] for s in case.get("dtz") or ()]
    hours_as_of = min(dtz_days) - timedelta(days=1) if dtz_days else created.date()
    hours = [{"as_of": hours_as_of, "hours_used": p["hours_used"]}]
    out["hours_reports"].append(
        (
            REGISTRATION_REPORT + participant_id,
            participant_id,
            _d(hours_as_of),
            p["hours_used"],
            None,
            "",
            stamp,
        )
    )
    identity = case.get("identity")
    if identity is not None:
        out["identities"].append(
            (
                participant_id,
                identity.get("document_type"),
                identity.get("document_number"),
                identity.get("street"),
                identity.get("postal_code"),
                identity.get("city"),
                stamp,
            )
        )
    dtz_rows = []
    for sitting in sorted(case.get("dtz") or (), key=lambda s: s["exam_date"]):
        parts = {part: float(sitting[key]) for part, key in PARTS if sitting.get(key) is not None}
        outcome = _dtz_outcome(rules, parts)
        overall = outcome.overall.value if outcome.complete and outcome.overall else None
        row = {
            "exam_date": sitting["exam_date"],
            "source": sitting["source"],
            "exam_center": sitting["exam_center"],
            "complete": outcome.complete,
            "overall": overall,
            "funded": sitting["source"] == "webservice" and not p["self_payer"],
            "within_repetition": False,
            **{key: parts.get(part) for part, key in PARTS},
        }
        dtz_rows.append(row)
        out["dtz_results"].append(
            (
                participant_id,
                _d(sitting["exam_date"]),
                1,
                1,
                int(row["funded"]),
                stamp,
                sitting["exam_center"],
                sitting["source"],
                row["hoeren_lesen"],
                row["schreiben"],
                row["sprechen"],
                int(outcome.complete),
                overall,
                None,  # hours_used_at_exam: read from the hours reports instead
                0,
            )
        )
    lid_rows = []
    for index, sitting in enumerate(sorted(case.get("lid") or (), key=lambda s: s["exam_date"])):
        funded = index == 0 and not p["self_payer"]
        passed = rules.lid(int(sitting["points"])).passed
        lid_rows.append(
            {"exam_date": sitting["exam_date"], "points": int(sitting["points"]), "funded": funded}
        )
        out["lid_results"].append(
            (
                participant_id,
                _d(sitting["exam_date"]),
                1,
                1,
                int(funded),
                stamp,
                int(sitting["points"]),
                int(passed),
            )
        )
    alt = case.get("alt_b1")
    if alt is not None:
        out["alt_b1_proofs"].append(
            (
                participant_id,
                alt["exam_name"],
                alt["level"],
                _d(alt["issued_on"]),
                _d(alt["presented_on"]),
                1,
                "Demodaten",
                stamp,
            )
        )
    application = case.get("application")
    applications = []
    if application is not None:
        applications.append(
            {
                "application_id": application_id,
                "status": "offen",
                "received_on": application["received_on"],
                "requested_hours": application["requested_hours"],
                "provider_confirmation": application["provider_confirmation"],
                "in_ninth_section": application.get("in_ninth_section", False),
                "proper_attendance": application.get("proper_attendance", True),
                "obliged_44a": application.get("obliged_44a", False),
            }
        )
        out["repetition_applications"].append(
            (
                application_id,
                participant_id,
                _d(application["received_on"]),
                application["requested_hours"],
                int(application["provider_confirmation"]),
                int(application.get("in_ninth_section", False)),
                int(application.get("proper_attendance", True)),
                int(application.get("obliged_44a", False)),
                "offen",
                1,
                stamp,
            )
        )

    record = CaseRecord(
        participant={"participant_id": participant_id, "office": office, **p},
        identity=identity,
        dtz=dtz_rows,
        lid=lid_rows,
        alt_b1=alt,
        applications=applications,
        hours=hours,
    )
    assessment = rules.assess(record, on=today)
    key = abschluss_key(record, assessment)
    if key is None and application is None:
        return out
    entries = []
    if key is not None:
        entries.append((ABSCHLUSS, key, None, created))
    if application is not None:
        received = datetime.combine(application["received_on"], created.timetz())
        entries.append((WIEDERHOLUNG, f"A{application_id}", application_id, max(created, received)))
    for kind, pair_key, app_id, at in entries:
        waiting = (
            tuple(c.code for c in rules.repetition(record, applications[0]).waiting_for)
            if kind == WIEDERHOLUNG
            else ()
        )
        columns = entry_columns(record, assessment, kind, waiting)
        flags = ",".join(sorted(columns.pop("_computed_flags")))
        closed = at < close_before and kind == ABSCHLUSS and not columns["blocked"]
        closed_at = at + timedelta(days=_days_to_document(participant_id))
        if closed:
            out["certificates"].append(
                _history_document(record, assessment, rules, pair_key, closed_at)
            )
        out["postbox_entries"].append(
            (
                office,
                kind,
                "erledigt" if closed else "offen",
                participant_id,
                app_id,
                pair_key,
                ts(at),
                ts(at),
                ts(closed_at) if closed else None,
                columns["surname"],
                columns["given_name"],
                columns["name_key"],
                int(columns["self_payer"]),
                columns["dtz_overall"],
                columns["lid_points"],
                columns["expected_document"],
                columns["blocker_codes"],
                int(columns["blocked"]),
                flags,
                1,
                columns["course_type"],
                columns["exam_center"],
            )
        )
    return out


def _days_to_document(participant_id: str) -> int:
    """How long a seeded closed entry waited for its document: 2 to 74 days, spread evenly,
    so that the documents of the last weeks are there too (the demo closes the entries that
    arrived more than 75 days ago; the office it shows is behind)."""
    return 2 + zlib.crc32(participant_id.encode()) % 73


def _history_document(
    record: CaseRecord, a: Any, rules: Rules, pair_key: str, at: datetime
) -> tuple[Any, ...]:
    """The document that closed a seeded entry, as issuing writes it (number: placeholder)."""
    from inge_tui.server.demo.cases import OFFICES
    from inge_tui.server.documents import data_json
    from inge_tui.server.store.ledger import dumps
    from inge_tui.server.usecases.issuing import decision_inputs, document_data
    from inge_tui.server.usecases.issuing import record as notes

    office = record.participant["office"]
    data = document_data(record, a, rules, PLACEHOLDER, at.date(), OFFICES.get(office, ""))
    return (
        f"DEMO-{record.participant_id}",
        a.document.value,
        record.participant_id,
        office,
        pair_key,
        _d(at.date()),
        ts(at),
        ISSUER,
        a.rules_version,
        dumps(decision_inputs(record, a)),
        b"",
        "gueltig",
        dumps(notes(a)),
        ts(at + timedelta(days=1)),
        data_json(data),
        None,  # the hash once the number is in (`seed.number_history`)
    )
