"""Use cases of the outside systems: registration, identity, hours, DTZ and LiD results,
applications.

DTZ and LiD results come as transmissions: a `transmission_id` seen before answers with the
stored first answer (same body) or 409 (different body). Parts of one DTZ sitting (participant
and exam date) may arrive in separate transmissions; a part that arrives again with other points
is a correction: the old revision stays in the history, a new one becomes current, and the
Postkorb entry is flagged `korrektur`. A transmitted sitting is kept apart from a paper capture
of the same day (R8): a transmission never overwrites what a caseworker captured.

No exam lies in the future or before the course began (R8); such a date is refused with 422.

Hours come as dated reports (domain.md A.15): a report may not say fewer hours than an earlier
one or more than a later one (hours are never given back), nor more than the contingent. The
registration is the first report, dated the day it was received.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from inge_tui.api import models as m
from inge_tui.api.requests import (
    DtzResultIn,
    HoursReportIn,
    IdentityUpdate,
    LidResultIn,
    ParticipantCreate,
    RepetitionApplicationIn,
)
from inge_tui.domain._format import date_de
from inge_tui.domain.said import said
from inge_tui.domain.types import Part
from inge_tui.server.auth import Principal
from inge_tui.server.errors import Conflict, NotFound, invalid
from inge_tui.server.store.cases import CaseRecord, Row
from inge_tui.server.store.migrations import REGISTRATION_REPORT
from inge_tui.server.store.schema import dtz_results, lid_results
from inge_tui.server.store.uow import Tx
from inge_tui.server.usecases.facts import dtz_parts
from inge_tui.server.usecases.postbox_sync import resync
from inge_tui.server.usecases.services import (
    Answer,
    Services,
    dump,
    fingerprint,
    mask,
    replay,
    store_transmission,
)
from inge_tui.server.usecases.views import (
    application,
    dtz_result,
    hours_report,
    identity,
    lid_result,
    participant_summary,
)


def check_exam_date(field: str, day: date, case: CaseRecord, today: date) -> None:
    """R8: no exam in the future or before the course began; 422 on `field` otherwise."""
    if day > today:
        raise invalid(
            field,
            said(
                "{day} liegt in der Zukunft (heute: {today})",
                day=date_de(day),
                today=date_de(today),
            ),
        )
    start = case.participant.get("course_start")
    if start is not None and day < start:
        raise invalid(
            field,
            said(
                "{day} liegt vor dem Kursbeginn am {start}", day=date_de(day), start=date_de(start)
            ),
        )


def feeder_case(tx: Tx, principal: Principal, participant_id: str) -> CaseRecord:
    """Lock and load the case a body names; unknown or another office's is a 422 on the field."""
    row = tx.cases.lock(participant_id)
    if row is None or (principal.office is not None and principal.office != row["office"]):
        raise invalid("participant_id", said("Teilnehmende/r ist nicht bekannt"))
    case = tx.cases.load(participant_id)
    assert case is not None
    return case


def register_participant(svc: Services, principal: Principal, body: ParticipantCreate) -> Answer:
    values = body.model_dump(exclude={"hours_as_of"})

    def run(tx: Tx) -> Answer:
        if tx.ledger.office(body.office) is None:
            raise invalid("office", said("unbekannte Regionalstelle"))
        if principal.office is not None and principal.office != body.office:
            raise invalid("office", said("dieses Token meldet nur für seine eigene Regionalstelle"))
        as_of = body.hours_as_of or tx.now.date()
        if as_of > tx.now.date():
            raise invalid("hours_as_of", said("{day} liegt in der Zukunft", day=date_de(as_of)))
        existing = tx.cases.lock(body.participant_id)
        if existing is not None:
            report = tx.cases.hours_report(REGISTRATION_REPORT + body.participant_id)
            same_day = body.hours_as_of is None or (report and report["as_of"] == as_of)
            if same_day and all(existing.get(k) == v for k, v in values.items()):
                return Answer(200, dump(participant_summary(existing)), replayed=True)
            raise Conflict(
                said("Diese participant_id ist schon mit anderen Daten angemeldet."),
                code="participant_exists",
                field="participant_id",
            )
        row = {**values, "version": 1, "created_at": tx.now, "updated_at": tx.now}
        if principal.role == m.Role.COURSE_PROVIDER:  # the one that answers data requests
            row["provider"] = principal.name
        tx.cases.insert_participant(row)
        tx.cases.insert_hours_report(
            {
                "report_id": REGISTRATION_REPORT + body.participant_id,
                "participant_id": body.participant_id,
                "as_of": as_of,
                "hours_used": body.hours_used,
                "token_id": principal.token_id,
                "fingerprint": "",
                "recorded_at": tx.now,
            }
        )
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="teilnehmer_angemeldet",
            office=body.office,
            participant_id=body.participant_id,
            inputs={**values, "hours_as_of": as_of},
        )
        return Answer(201, dump(participant_summary(row)))

    return svc.store.run(run)


def update_identity(
    svc: Services, principal: Principal, participant_id: str, body: IdentityUpdate
) -> Answer:
    values: dict[str, Any] = {}
    if body.document_type is not None:
        values["document_type"] = body.document_type.value
    if body.document_number is not None:
        values["document_number"] = body.document_number
    if body.address is not None:
        values.update(body.address.model_dump())

    def run(tx: Tx) -> Answer:
        row = tx.cases.lock(participant_id)
        if row is None or (principal.office is not None and principal.office != row["office"]):
            raise NotFound(said("Teilnehmende/r nicht gefunden."))
        if body.registered_on is not None:
            if body.registered_on > tx.now.date():
                raise invalid(
                    "registered_on",
                    said("{day} liegt in der Zukunft", day=date_de(body.registered_on)),
                )
            tx.cases.set_registered_on(participant_id, body.registered_on)
        if values:
            tx.cases.save_identity(participant_id, values, tx.now)
        synced = resync(tx, svc.rules, participant_id)
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="identitaet_gemeldet",
            office=row["office"],
            participant_id=participant_id,
            inputs={
                "document_type": values.get("document_type"),
                "document_number": mask(values.get("document_number")),
                "address": "gemeldet" if body.address is not None else None,
                "registered_on": body.registered_on,
            },
        )
        receipt = m.IdentityReceipt(
            participant_id=participant_id,
            identity=identity(synced.case.identity),
            version=synced.version,
        )
        return Answer(200, dump(receipt))

    return svc.store.run(run)


def _merge_dtz(
    svc: Services, tx: Tx, case: CaseRecord, body: DtzResultIn, values: Row
) -> tuple[Row, bool]:
    """Put the given parts (or the abort) into the sitting's current web-service row; returns
    the row and `correction`."""
    current = tx.cases.current_attempt(
        dtz_results, case.participant_id, values["exam_date"], source="webservice"
    )
    given = body.parts.given() if body.parts is not None else {}
    if current is None:
        row = dtz_row(svc, given, {**values, "revision": 1, "aborted": body.aborted})
        return tx.cases.insert_attempt(dtz_results, row), False
    if body.aborted or current["aborted"]:
        if bool(current["aborted"]) == body.aborted:
            return current, False
        # an abort after parts, or parts after an abort: the sitting is corrected either way
        tx.cases.supersede(dtz_results, "dtz_id", current["dtz_id"], tx.now)
        keep = {k: current[k] for k in ("funded", "within_repetition")}
        row = dtz_row(
            svc,
            given,
            {**values, **keep, "revision": current["revision"] + 1, "aborted": body.aborted},
        )
        return tx.cases.insert_attempt(dtz_results, row), True
    parts = dtz_parts(current)
    changed = {p: v for p, v in given.items() if p in parts and parts[p] != v}
    added = {p: v for p, v in given.items() if p not in parts}
    if not changed and not added:
        return current, False
    parts.update(given)
    if changed:
        tx.cases.supersede(dtz_results, "dtz_id", current["dtz_id"], tx.now)
        keep = {k: current[k] for k in ("funded", "within_repetition")}
        row = dtz_row(svc, parts, {**values, **keep, "revision": current["revision"] + 1})
        return tx.cases.insert_attempt(dtz_results, row), True
    update = dtz_row(svc, parts, {"recorded_at": tx.now})
    return tx.cases.update_attempt(dtz_results, "dtz_id", current["dtz_id"], update), False


def dtz_row(svc: Services, parts: dict[Part, float], values: Row) -> Row:
    outcome = svc.rules.dtz_sitting(parts, aborted=bool(values.get("aborted")))
    return {
        **values,
        **{p.value: parts.get(p) for p in Part},
        "complete": outcome.complete,
        "overall": outcome.overall.value if outcome.complete and outcome.overall else None,
    }


def within_repetition(case: CaseRecord, exam_date: Any) -> bool:
    return any(
        a["status"] == "genehmigt" and a["decided_at"] and a["decided_at"].date() <= exam_date
        for a in case.applications
    )


def record_dtz(svc: Services, principal: Principal, body: DtzResultIn) -> Answer:
    fp = fingerprint("dtz", body.model_dump(mode="json"))

    def run(tx: Tx) -> Answer:
        stored = tx.ledger.transmission(body.transmission_id)
        if stored is not None:
            return replay(stored, fp, field_name="transmission_id", what="Die transmission_id")
        case = feeder_case(tx, principal, body.participant_id)
        check_exam_date("exam_date", body.exam_date, case, tx.now.date())
        values = {
            "participant_id": case.participant_id,
            "exam_date": body.exam_date,
            "exam_center": body.exam_center,
            "source": "webservice",
            "funded": not case.participant["self_payer"],
            "within_repetition": within_repetition(case, body.exam_date),
            "recorded_at": tx.now,
        }
        row, correction = _merge_dtz(svc, tx, case, body, values)
        return _finish(svc, tx, principal, body.transmission_id, fp, case, "dtz", row, correction)

    return svc.store.run(run)


def record_lid(svc: Services, principal: Principal, body: LidResultIn) -> Answer:
    fp = fingerprint("lid", body.model_dump(mode="json"))

    def run(tx: Tx) -> Answer:
        stored = tx.ledger.transmission(body.transmission_id)
        if stored is not None:
            return replay(stored, fp, field_name="transmission_id", what="Die transmission_id")
        case = feeder_case(tx, principal, body.participant_id)
        check_exam_date("exam_date", body.exam_date, case, tx.now.date())
        current = tx.cases.current_attempt(lid_results, case.participant_id, body.exam_date)
        passed = svc.rules.lid(body.points).passed
        correction = False
        if current is not None and current["points"] == body.points:
            row = current
        else:
            funded_before = any(r["funded"] and r["exam_date"] != body.exam_date for r in case.lid)
            revision = 1
            funded = not case.participant["self_payer"] and not funded_before
            if current is not None:
                tx.cases.supersede(lid_results, "lid_id", current["lid_id"], tx.now)
                revision, funded, correction = current["revision"] + 1, current["funded"], True
            row = tx.cases.insert_attempt(
                lid_results,
                {
                    "participant_id": case.participant_id,
                    "exam_date": body.exam_date,
                    "points": body.points,
                    "passed": passed,
                    "revision": revision,
                    "funded": funded,
                    "recorded_at": tx.now,
                },
            )
        return _finish(svc, tx, principal, body.transmission_id, fp, case, "lid", row, correction)

    return svc.store.run(run)


def _finish(
    svc: Services,
    tx: Tx,
    principal: Principal,
    transmission_id: str,
    fp: str,
    case: CaseRecord,
    kind: str,
    row: Row,
    correction: bool,
) -> Answer:
    """Version, Postkorb, audit and the stored answer of one result transmission."""
    synced = resync(tx, svc.rules, case.participant_id, correction=correction)
    entries = synced.entries
    open_abschluss = [e for e in entries if e["kind"] == "abschluss" and e["status"] != "erledigt"]
    result = dtz_result(row, svc.rules) if kind == "dtz" else lid_result(row, svc.rules)
    receipt = m.TransmissionReceipt(
        transmission_id=transmission_id,
        participant_id=case.participant_id,
        kind=kind,
        dtz=result if kind == "dtz" else None,  # type: ignore[arg-type]
        lid=result if kind == "lid" else None,  # type: ignore[arg-type]
        correction=correction,
        postbox_entry_id=open_abschluss[0]["entry_id"] if open_abschluss else None,
        version=synced.version,
    )
    body = dump(receipt)
    tx.ledger.audit(
        at=tx.now,
        actor=principal,
        action=f"{kind}_{'korrigiert' if correction else 'empfangen'}",
        office=case.participant["office"],
        participant_id=case.participant_id,
        inputs={"transmission_id": transmission_id, "result": body[kind]},
    )
    store_transmission(tx, transmission_id, kind, case.participant_id, principal, fp, 201, body)
    return Answer(201, body)


def file_application(svc: Services, principal: Principal, body: RepetitionApplicationIn) -> Answer:
    def run(tx: Tx) -> Answer:
        case = feeder_case(tx, principal, body.participant_id)
        if any(a["status"] == "offen" for a in case.applications):
            raise Conflict(
                said("Für diese/n Teilnehmende/n ist schon ein Antrag offen."),
                code="application_pending",
                field="participant_id",
            )
        values = body.model_dump()
        app_row = tx.cases.insert_application(
            {**values, "status": "offen", "version": 1, "created_at": tx.now}
        )
        synced = resync(tx, svc.rules, case.participant_id, application=app_row)
        entry = next(
            e for e in synced.entries if e.get("application_id") == app_row["application_id"]
        )
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="wiederholung_beantragt",
            office=case.participant["office"],
            participant_id=case.participant_id,
            entry_id=entry["entry_id"],
            inputs=values,
        )
        answer = application(
            app_row, entry_id=entry["entry_id"], participant_version=synced.version
        )
        return Answer(201, dump(answer))

    return svc.store.run(run)


def report_hours(
    svc: Services, principal: Principal, participant_id: str, body: HoursReportIn
) -> Answer:
    """A course provider's report of the hours used as of a day (domain.md A.15)."""
    fp = fingerprint("hours", participant_id, body.model_dump(mode="json"))

    def run(tx: Tx) -> Answer:
        row = tx.cases.lock(participant_id)
        if row is None or (principal.office is not None and principal.office != row["office"]):
            raise NotFound(said("Teilnehmende/r nicht gefunden."))
        stored = tx.cases.hours_report(body.report_id)
        if stored is not None:
            if stored["fingerprint"] != fp:
                raise Conflict(
                    said("Die report_id wurde schon für eine andere Meldung verwendet."),
                    code="key_reused",
                    field="report_id",
                )
            return Answer(200, dump(hours_report(stored)), replayed=True)
        case = tx.cases.load(participant_id)
        assert case is not None
        _check_hours(case, body, tx.now.date())
        values = {
            "report_id": body.report_id,
            "participant_id": participant_id,
            "as_of": body.as_of,
            "hours_used": body.hours_used,
            "token_id": principal.token_id,
            "fingerprint": fp,
            "recorded_at": tx.now,
        }
        tx.cases.insert_hours_report(values)
        latest = max([*case.hours, values], key=lambda r: (r["as_of"], r["recorded_at"]))
        tx.cases.set_hours_used(participant_id, int(latest["hours_used"]))
        resync(tx, svc.rules, participant_id)
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="stunden_gemeldet",
            office=row["office"],
            participant_id=participant_id,
            inputs=body.model_dump(mode="json"),
        )
        return Answer(201, dump(hours_report(values)))

    return svc.store.run(run)


def _check_hours(case: CaseRecord, body: HoursReportIn, today: date) -> None:
    contingent = int(case.participant["contingent_hours"])
    if body.as_of > today:
        raise invalid("as_of", said("{day} liegt in der Zukunft", day=date_de(body.as_of)))
    if body.hours_used > contingent:
        raise invalid(
            "hours_used",
            said(
                "{used} UE übersteigen das Kontingent von {contingent} UE",
                used=body.hours_used,
                contingent=contingent,
            ),
        )
    for other in case.hours:
        earlier, hours = other["as_of"], int(other["hours_used"])
        already = earlier <= body.as_of and hours > body.hours_used
        if already or (earlier > body.as_of and hours < body.hours_used):
            said_of = {
                "used": body.hours_used,
                "day": date_de(body.as_of),
                "hours": hours,
                "other": date_de(earlier),
            }
            raise invalid(
                "hours_used",
                said(
                    "{used} UE am {day}, aber schon {hours} UE am {other} gemeldet:"
                    " verbrauchte Stunden nehmen nicht ab",
                    **said_of,
                )
                if already
                else said(
                    "{used} UE am {day}, aber erst {hours} UE am {other} gemeldet: verbrauchte"
                    " Stunden nehmen nicht ab",
                    **said_of,
                ),
            )
