"""Issuing the Zertifikat Integrationskurs or the Bescheinigung (§ 17 Abs. 4 IntV; R6–R8).

The service decides which document the case calls for; the caller may name the one it expects
(`expected_document`) and gets 409 when its view is stale. Blockers answer 409 with the
blockers. One document per exam pair, at most one Zertifikat per participant (both unique
indexes). The PDF is rendered and stored in the same transaction as the certificate row.

`Idempotency-Key` (Stripe-style): the key, a fingerprint of the request (path and body) and the
first answer are stored together with the certificate. The same key with the same request
answers the stored certificate again; with another request it is refused (409 `key_reused`).
Only successful answers are stored, so a retry after a refusal is decided afresh.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING

from inge_tui.api import models as m
from inge_tui.api.requests import CertificateRequest
from inge_tui.domain.types import Assessment, DocumentKind, Level, Part
from inge_tui.server.auth import Principal
from inge_tui.server.casework import closed_values, locked_case
from inge_tui.server.errors import Conflict
from inge_tui.server.facts import dtz_parts, latest
from inge_tui.server.postbox_sync import abschluss_key, sync_case
from inge_tui.server.repo_cases import CaseRecord
from inge_tui.server.repo_ledger import dumps
from inge_tui.server.rules import Rules
from inge_tui.server.services import (
    Answer,
    Services,
    check_not_claimed_by_other,
    check_version,
    dump,
    fingerprint,
    mask,
    replay,
    store_idempotent,
)
from inge_tui.server.uow import Tx
from inge_tui.server.views import certificate

if TYPE_CHECKING:
    from inge_tui.server.documents import DocumentData

PREFIX = {DocumentKind.ZERTIFIKAT: "ZIK", DocumentKind.BESCHEINIGUNG: "BSC"}
PART_LABELS = {
    Part.HOEREN_LESEN: "Hören/Lesen",
    Part.SCHREIBEN: "Schreiben",
    Part.SPRECHEN: "Sprechen",
}
LEVEL_LABELS = {Level.B1: "B1", Level.A2: "A2", Level.UNTER_A2: "unter A2"}


def issue(
    svc: Services,
    principal: Principal,
    participant_id: str,
    body: CertificateRequest,
    idempotency_key: str,
    expected: int | None,
) -> Answer:
    fp = fingerprint("certificate", participant_id, body.model_dump(mode="json"))
    # The number comes from its own short transaction, so the counter row is locked for a
    # moment, not while the PDF renders: otherwise issuing runs one at a time across every
    # service process (seen in bench/load.py on PostgreSQL: p99 18 s). The price is a gap in
    # the series when the issue then fails (a race lost, a blocker that just appeared); numbers
    # stay unique, and a retry of the same request reuses the number it reserved.
    reserved: dict[DocumentKind, str] = {}
    planned = _planned_document(svc, principal, participant_id, idempotency_key)
    if planned is not None:
        reserved[planned] = svc.store.run(
            lambda tx: tx.ledger.next_number(PREFIX[planned], tx.now.year)
        )

    def run(tx: Tx) -> Answer:
        case = locked_case(tx, principal, participant_id)
        stored = tx.ledger.idempotency(principal.token_id, idempotency_key)
        if stored is not None:
            return replay(stored, fp, field_name="Idempotency-Key", what="Der Idempotency-Key")
        check_version(case, expected)
        check_not_claimed_by_other(tx, case, principal.token_id)
        a = svc.rules.assess(case, on=tx.now.date())
        _check_issuable(case, a, body.expected_document)
        kind = a.document
        assert kind is not None
        pair_key = abschluss_key(case) or "-"
        for issued in case.certificates:
            if issued["pair_key"] == pair_key:
                raise Conflict(
                    f"Für dieses Prüfungspaar ist schon {issued['certificate_id']} ausgestellt.",
                    code="already_issued",
                    current={"certificate_id": issued["certificate_id"]},
                )
        number = reserved.get(kind) or tx.ledger.next_number(PREFIX[kind], tx.now.year)
        office = tx.ledger.office(case.participant["office"]) or {}
        data = document_data(case, a, svc.rules, number, tx.now.date(), office.get("name", ""))
        inputs = _inputs(case, a)
        row = {
            "certificate_id": number,
            "kind": kind.value,
            "participant_id": participant_id,
            "office": case.participant["office"],
            "pair_key": pair_key,
            "issued_on": tx.now.date(),
            "issued_at": tx.now,
            "issued_by": principal.name,
            "rules_version": a.rules_version,
            "inputs": dumps(inputs),
        }
        from inge_tui.server.documents import render_pdf

        tx.ledger.insert_certificate({**row, "pdf": render_pdf(data)})
        version = tx.cases.touch(participant_id, tx.now)
        entry_id = None
        for entry in tx.postbox.for_participant(participant_id):
            if entry["kind"] == "abschluss" and entry["pair_key"] == pair_key:
                entry_id = entry["entry_id"]
                if entry["status"] != "erledigt":
                    tx.postbox.update(entry_id, closed_values(tx))
        fresh = tx.cases.load(participant_id)
        assert fresh is not None
        sync_case(tx, svc.rules, fresh)
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="dokument_ausgestellt",
            office=case.participant["office"],
            participant_id=participant_id,
            entry_id=entry_id,
            inputs=inputs,
            outcome={"certificate_id": number, "kind": kind.value},
            rules_version=a.rules_version,
        )
        answer = dump(certificate(row, participant_version=version))
        store_idempotent(tx, principal, idempotency_key, fp, 201, answer)
        return Answer(201, answer)

    return svc.store.run(run)


def _planned_document(
    svc: Services, principal: Principal, participant_id: str, idempotency_key: str
) -> DocumentKind | None:
    """The document this request will most likely issue, read without locks; None when it will
    not issue one (a replay, a blocker, another office: the real transaction says why)."""

    def look(tx: Tx) -> DocumentKind | None:
        if tx.ledger.idempotency(principal.token_id, idempotency_key) is not None:
            return None
        case = tx.cases.load(participant_id)
        if case is None or case.participant["office"] != principal.office:
            return None
        check_not_claimed_by_other(tx, case, principal.token_id)  # raises: no number wasted
        pair_key = abschluss_key(case) or "-"
        if any(issued["pair_key"] == pair_key for issued in case.certificates):
            return None
        a = svc.rules.assess(case, on=tx.now.date())
        return a.document if a.can_issue else None

    try:
        return svc.store.run(look, readonly=True)
    except Exception:  # the real transaction reports any problem properly
        return None


def _check_issuable(case: CaseRecord, a: Assessment, expected: DocumentKind | None) -> None:
    if a.blockers:
        raise Conflict(
            "Ausstellen ist blockiert: " + "; ".join(b.text for b in a.blockers),
            code="blocked",
            blockers=[m.BlockerOut(**_asdict(b)) for b in a.blockers],
            current={"document": a.document},
        )
    if a.document is None:
        raise Conflict(
            "Nach den Regeln ist derzeit kein Dokument auszustellen.",
            code="not_ready",
            reasons=[m.ReasonOut(**_asdict(r)) for r in a.reasons],
        )
    if expected is not None and expected != a.document:
        raise Conflict(
            f"Die Regeln ergeben jetzt „{a.document.value}“, nicht „{expected.value}“; "
            "bitte den Fall neu laden.",
            code="document_mismatch",
            current={"document": a.document.value},
        )
    if a.document == DocumentKind.ZERTIFIKAT and any(
        c["kind"] == "zertifikat" for c in case.certificates
    ):
        raise Conflict(
            "Für diese/n Teilnehmende/n ist schon ein Zertifikat ausgestellt.",
            code="zertifikat_exists",
        )


def _asdict(obj: object) -> dict[str, object]:
    return dataclasses.asdict(obj)  # type: ignore[call-overload]


def counted_dtz(case: CaseRecord, a: Assessment) -> dict[str, object] | None:
    """The complete DTZ sitting the assessment rests on (for a self-payer: a paper one)."""
    rows = [
        r
        for r in case.dtz
        if r["complete"] and (not case.participant["self_payer"] or r["source"] == "paper")
    ]
    if a.dtz is not None and a.dtz.overall is not None:
        same = [r for r in rows if r["overall"] == a.dtz.overall.value]
        rows = same or rows
    return rows[-1] if rows else None


def _inputs(case: CaseRecord, a: Assessment) -> dict[str, object]:
    """What the decision rested on, as the audit and the certificate row keep it."""
    identity = case.identity or {}
    dtz = counted_dtz(case, a)
    lid = latest(case.lid)
    alt = case.alt_b1
    dtz_inputs = None
    if dtz is not None:
        dtz_inputs = {part.value: points for part, points in dtz_parts(dtz).items()}
        dtz_inputs.update({k: dtz[k] for k in ("exam_date", "overall", "source")})
    return {
        "participant_id": case.participant_id,
        "document": a.document.value if a.document else None,
        "dtz": dtz_inputs,
        "lid": {"points": lid["points"], "exam_date": lid["exam_date"]} if lid else None,
        "alt_b1": {k: alt[k] for k in ("exam_name", "level", "issued_on")} if alt else None,
        "alt_b1_valid": a.alt_b1_valid,
        "document_type": identity.get("document_type"),
        "document_number": mask(identity.get("document_number")),
        "reasons": sorted({r.rule_id for r in a.reasons}),
    }


def _dtz_lines(dtz: dict[str, object], rules: Rules) -> tuple[tuple[str, float, float, str], ...]:
    points = dtz_parts(dtz)
    levels = rules.dtz(points).parts
    return tuple(
        (PART_LABELS[part], value, rules.maximum(part), LEVEL_LABELS[levels[part]])
        for part, value in points.items()
    )


def document_data(
    case: CaseRecord, a: Assessment, rules: Rules, number: str, issued_on: date, office: str
) -> DocumentData:
    """The data the PDF shows."""
    from inge_tui.server.documents import DocumentData  # fpdf2 loads only when issuing

    p = case.participant
    identity = case.identity or {}
    dtz = counted_dtz(case, a)
    lid = latest(case.lid)
    alt = case.alt_b1
    city = f"{identity.get('postal_code') or ''} {identity.get('city') or ''}".strip()
    overall = dtz["overall"] if dtz else None
    return DocumentData(
        kind=a.document.value if a.document else DocumentKind.BESCHEINIGUNG.value,
        number=number,
        issued_on=issued_on,
        surname=p["surname"],
        given_name=p["given_name"],
        birth_date=p["birth_date"],
        document_type=identity.get("document_type") or "",
        document_number=identity.get("document_number") or "",
        address_lines=tuple(line for line in (identity.get("street"), city) if line),
        participant_id=p["participant_id"],
        office_code=p["office"],
        office_name=office,
        dtz_parts=_dtz_lines(dtz, rules) if dtz else (),
        dtz_overall=LEVEL_LABELS[Level(overall)] if overall else None,
        dtz_exam_date=dtz["exam_date"] if dtz else None,  # type: ignore[arg-type]
        dtz_source=dtz["source"] if dtz else None,  # type: ignore[arg-type]
        alt_b1=(
            f"{alt['exam_name']} ({alt['level']}, {alt['issued_on']:%d.%m.%Y})"
            if alt and a.alt_b1_valid
            else None
        ),
        lid_points=lid["points"] if lid else None,
        lid_exam_date=lid["exam_date"] if lid else None,
        lid_passed=bool(a.lid and a.lid.passed),
        lid_naturalisation=bool(a.lid and a.lid.naturalisation),
        reasons=tuple(f"{r.text} ({r.citation})" for r in a.reasons),
    )
