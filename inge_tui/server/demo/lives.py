"""Documents with a life in the demo (domain.md A.12): after seeding, the real use cases issue
a few documents in the first office and take them through what happens to documents there:
three posted (one of them later withdrawn with four eyes and its Bescheinigung issued, one
replaced by a Zweitschrift after it was lost), one reversed before dispatch, and one left to
dispatch. Two steps wait for the supervisor's four eyes
(`wartet:freigabe`): a proposed withdrawal after a corrected LiD, and a repetition approval
that waives the DTZ condition (R13.3). A few blocked cases have data requests to the course
provider (`demo/requests.py`), a few certified ones refund applications (`demo/refunds.py`).
Everything goes through the service's own rules, numbers and audit, so the demo shows what the
service would do, not a fake.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from inge_tui.api.models import RepetitionDecision, Role
from inge_tui.api.requests import (
    CertificateRequest,
    CopyIn,
    DispatchIn,
    LidResultIn,
    RepetitionDecisionIn,
    ReversalIn,
    WithdrawalIn,
)
from inge_tui.server.auth import Principal, create_token
from inge_tui.server.demo.picks import ready_cases
from inge_tui.server.demo.refunds import certify_for_refunds, file_refunds
from inge_tui.server.demo.requests import demo_requests
from inge_tui.server.demo.rows import provider_for
from inge_tui.server.settings import Settings
from inge_tui.server.store.db import make_engine
from inge_tui.server.store.schema import participants, repetition_applications
from inge_tui.server.store.uow import Store
from inge_tui.server.usecases import document_life, ingestion, issuing, repetition, withdrawal
from inge_tui.server.usecases.rules import Rules
from inge_tui.server.usecases.services import Services

CASEWORKER = "Demo-Sachbearbeiterin"
SUPERVISOR = "Demo-Leitung"


def document_lives(database_url: str, office: str) -> list[str]:
    """Give six ready cases of `office` a document life; returns the document numbers."""
    engine = make_engine(database_url)
    try:
        store = Store(engine, lambda: datetime.now(UTC))
        svc = Services(store=store, rules=Rules({}), settings=Settings(database_url=database_url))
        ready = store.run(lambda tx: ready_cases(tx, office), readonly=True)
        if len(ready) < 6:
            return []
        staff = store.run(lambda tx: _staff(tx, office))
        certified = certify_for_refunds(svc, staff["caseworker"], office)
        numbers = _live(svc, staff, ready[:5])
        numbers.append(_withdrawal_waiting(svc, staff, ready[5]))
        _waiver_waiting(svc, staff["caseworker"], office)
        demo_requests(svc, staff["caseworker"], staff["provider"], office)
        file_refunds(svc, staff["caseworker"], staff["provider"], certified)
        return numbers
    finally:
        engine.dispose()


def _staff(tx: Any, office: str) -> dict[str, Principal]:
    made = {}
    for key, role, name, where in (
        ("caseworker", Role.CASEWORKER, CASEWORKER, office),
        ("supervisor", Role.SUPERVISOR, SUPERVISOR, office),
        ("oet", Role.OET, "Demo-OET", None),
        ("provider", Role.COURSE_PROVIDER, provider_for(office), office),
    ):
        row = create_token(tx, role=role, office=where, name=name)[1]
        made[key] = Principal(int(str(row["token_id"])), role, where, name)
    return made


def _live(svc: Services, staff: dict[str, Principal], ready: list[str]) -> list[str]:
    worker, leader = staff["caseworker"], staff["supervisor"]
    posted, reversed_, withdrawn, copied, waiting = ready

    def issue(pid: str) -> str:
        key = f"demo-{pid}-{len(numbers)}"
        answer = issuing.issue(svc, worker, pid, CertificateRequest(), key, None)
        return str(answer.body["certificate_id"])

    numbers: list[str] = []
    # three documents posted with last week's print run
    numbers.extend(issue(pid) for pid in (posted, withdrawn, copied))
    as_of = svc.store.run(lambda tx: tx.now)
    document_life.mark_dispatched(svc, worker, DispatchIn(as_of=as_of))

    number = issue(reversed_)
    numbers.append(number)
    reason = "Falsche Anschrift übernommen; nach Korrektur neu ausstellen"
    document_life.reverse(svc, worker, number, ReversalIn(reason=reason), None)

    # the posted Zertifikat loses its basis: withdrawn (four eyes), then the Bescheinigung
    number = numbers[1]
    _lid_corrected_down(svc, staff, withdrawn)
    withdrawal.decide(svc, worker, number, withdrawal.PROPOSE, WithdrawalIn(reason=_WHY), None)
    withdrawal.decide(svc, leader, number, withdrawal.CONFIRM, WithdrawalIn(), None)
    numbers.append(issue(withdrawn))

    # the posted one is lost in a move: a Zweitschrift
    document_life.issue_copy(svc, worker, numbers[2], CopyIn(reason="verloren (Umzug)"), None)

    numbers.append(issue(waiting))
    return numbers


_WHY = "LiD-Ergebnis vom OET auf 12 Punkte berichtigt; Test nicht bestanden"


def _lid_corrected_down(svc: Services, staff: dict[str, Principal], pid: str) -> None:
    lid = svc.store.run(lambda tx: tx.cases.load(pid).lid[-1], readonly=True)
    correction = LidResultIn(
        transmission_id=f"demo-korrektur-{pid}",
        participant_id=pid,
        exam_date=lid["exam_date"],
        points=12,
    )
    ingestion.record_lid(svc, staff["oet"], correction)


def _withdrawal_waiting(svc: Services, staff: dict[str, Principal], pid: str) -> str:
    """A Zertifikat whose LiD was corrected down, its withdrawal proposed: the supervisor's."""
    worker = staff["caseworker"]
    answer = issuing.issue(svc, worker, pid, CertificateRequest(), f"demo-{pid}-w", None)
    number = str(answer.body["certificate_id"])
    _lid_corrected_down(svc, staff, pid)
    withdrawal.decide(svc, worker, number, withdrawal.PROPOSE, WithdrawalIn(reason=_WHY), None)
    return number


def _waiver_waiting(svc: Services, worker: Principal, office: str) -> None:
    """The first open application that the rules allow only with the waiver of the DTZ
    condition, approved with it by the caseworker: it waits for the supervisor (R13.3)."""

    def find(tx: Any) -> tuple[int, int] | None:
        apps = repetition_applications.c
        stmt = (
            select(apps.application_id, apps.participant_id)
            .join(participants, participants.c.participant_id == apps.participant_id)
            .where(participants.c.office == office, apps.status == "offen")
            .order_by(apps.application_id)
            .limit(300)
        )
        for application_id, pid in tx.conn.execute(stmt).all():
            case = tx.cases.load(pid)
            row = next(a for a in case.applications if a["application_id"] == application_id)
            ra = svc.rules.repetition(case, row)
            if ra.eligible_with_waiver and not ra.eligible and not ra.waiting_for:
                return int(application_id), min(300, ra.max_hours)
        return None

    found = svc.store.run(find, readonly=True)
    if found is None:
        return
    application_id, hours = found
    body = RepetitionDecisionIn(
        decision=RepetitionDecision.APPROVE,
        hours=hours,
        waive_dtz_condition=True,
        reason="Alphabetisierungskurs; Lernfortschritt vom Kursträger belegt",
    )
    repetition.decide_repetition(svc, worker, application_id, body, None)
