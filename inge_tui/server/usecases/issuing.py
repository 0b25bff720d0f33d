"""Issuing the Zertifikat Integrationskurs or the Bescheinigung (§ 17 Abs. 4 IntV; R6–R8).

The service decides which document the case calls for and whether one is due at all
(`Assessment.next_step`, domain.md A.12, A.14); the caller may name the one it expects
(`expected_document`) and gets 409 when its view is stale. Blockers answer 409 with the
blockers; a document in force that already prints what the rules count answers 409
`already_issued`; a Zertifikat whose basis was corrected away answers 409 `withdrawal_required`.
A due document that replaces the one in force marks it `ersetzt` in the same transaction (one
document in force per participant: a unique index). The document prints the sittings the rules
counted (A.11), and its stored inputs record them. The number is taken in the same
transaction, after every check, so no number is lost (A.13). What the PDF prints is fixed in
the same transaction as canonical JSON with its SHA-256 (`printed`); the PDF is rendered from
it on first use and stored then (`printing.py`), which keeps issuing at a few milliseconds.

`Idempotency-Key` (Stripe-style): the key, a fingerprint of the request (path and body) and the
first answer are stored together with the certificate. The same key with the same request
answers the stored certificate again; with another request it is refused (409 `key_reused`).
Only successful answers are stored, so a retry after a refusal is decided afresh.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from inge_tui.api import models as m
from inge_tui.api.requests import CertificateRequest
from inge_tui.domain.said import joined, said
from inge_tui.domain.types import Assessment, DocumentKind, Level, NextStep, Part
from inge_tui.server.auth import Principal
from inge_tui.server.documents.data import data_hash, data_json
from inge_tui.server.errors import Conflict
from inge_tui.server.speech import spoken_fields
from inge_tui.server.store.cases import CaseRecord
from inge_tui.server.store.ledger import dumps
from inge_tui.server.store.uow import Tx
from inge_tui.server.usecases.casework import locked_case
from inge_tui.server.usecases.facts import basis_inputs
from inge_tui.server.usecases.postbox_sync import ABSCHLUSS, abschluss_key, closed_values, resync
from inge_tui.server.usecases.rules import Rules
from inge_tui.server.usecases.services import (
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
from inge_tui.server.usecases.views import certificate

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

    def run(tx: Tx) -> Answer:
        case = locked_case(tx, principal, participant_id)
        stored = tx.ledger.idempotency(principal.token_id, idempotency_key)
        if stored is not None:
            return replay(
                stored, fp, field_name="Idempotency-Key", what=said("Der Idempotency-Key")
            )
        check_version(case, expected)
        check_not_claimed_by_other(tx, case, principal.token_id)
        a = svc.rules.assess(case, on=tx.now.date())
        _check_issuable(a, body.expected_document)
        kind = a.document
        assert kind is not None
        open_entries = [
            e
            for e in tx.postbox.for_participant(participant_id)
            if e["kind"] == ABSCHLUSS and e["status"] != "erledigt"
        ]
        pair_key = open_entries[0]["pair_key"] if open_entries else abschluss_key(case, a) or "-"
        # Every check has passed: only now is a number taken, in this transaction, so a refusal
        # or a rollback takes none and the series has no gap (A.13). The PDF is not rendered
        # here: the counter row stays locked for milliseconds, not for a rendering.
        number = tx.ledger.take_number(
            PREFIX[kind],
            tx.now.year,
            participant_id=participant_id,
            office=case.participant["office"],
            by=principal.name,
            at=tx.now,
        )
        office = tx.ledger.office(case.participant["office"]) or {}
        data = document_data(case, a, svc.rules, number, tx.now.date(), office.get("name", ""))
        inputs = decision_inputs(case, a)
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
            "status": "gueltig",
            "record": dumps(record(a)),
            # what the PDF prints, fixed now; rendered from it on first use (`printing`)
            "printed": (printed := data_json(data)),
            "printed_sha256": data_hash(printed),
            "pdf": b"",
        }

        if a.supersedes is not None:  # first out of force: one document in force (A.12)
            tx.ledger.end_certificate(a.supersedes, "ersetzt", tx.now, superseded_by=number)
        tx.ledger.insert_certificate(row)
        entry_id = None
        for entry in open_entries:
            entry_id = entry["entry_id"]
            tx.postbox.update(entry_id, closed_values(tx))
        version = resync(tx, svc.rules, participant_id).version
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="dokument_ausgestellt",
            office=case.participant["office"],
            participant_id=participant_id,
            entry_id=entry_id,
            inputs=inputs,
            outcome={"certificate_id": number, "kind": kind.value, "supersedes": a.supersedes},
            rules_version=a.rules_version,
        )
        answer = dump(certificate(row, participant_version=version, supersedes=a.supersedes))
        store_idempotent(tx, principal, idempotency_key, fp, 201, answer)
        return Answer(201, answer)

    return svc.store.run(run)


def record(a: Assessment) -> list[dict[str, str | None]]:
    """The decision record (Aktenvermerk): every reason of the rules with its citation."""
    return [
        {"rule_id": r.rule_id, "text": r.text, "citation": r.citation, "about": r.about}
        for r in a.reasons
    ]


def _check_issuable(a: Assessment, expected: DocumentKind | None) -> None:
    """409 unless the assessment says a document is due now and the caller expects that one."""
    in_force = a.in_force
    if a.next_step is NextStep.KEINER and in_force is not None:
        raise Conflict(
            said(
                "{number} ist ausgestellt und gibt die gewerteten Ergebnisse wieder; es ist"
                " nichts weiter auszustellen.",
                number=in_force.number,
            ),
            code="already_issued",
            current={"certificate_id": in_force.number, "document": in_force.kind.value},
        )
    if a.next_step in (NextStep.RUECKNAHME_VORSCHLAGEN, NextStep.RUECKNAHME_FREIGEBEN):
        assert in_force is not None
        raise Conflict(
            said(
                "Das Zertifikat {number} beruht nicht mehr auf den gewerteten Ergebnissen; vor der"
                " Bescheinigung muss es zurückgenommen werden (Vorschlag und Freigabe durch die"
                " Leitung).",
                number=in_force.number,
            ),
            code="withdrawal_required",
            current={"certificate_id": in_force.number, "next_step": a.next_step.value},
        )
    if a.blockers:
        raise Conflict(
            said(
                "Ausstellen ist blockiert: {blockers}",
                blockers=joined("; ", [b.text for b in a.blockers]),
            ),
            code="blocked",
            blockers=[m.BlockerOut(**spoken_fields(b)) for b in a.blockers],
            current={"document": a.document},
        )
    if a.document is None:
        raise Conflict(
            said("Nach den Regeln ist derzeit kein Dokument auszustellen."),
            code="not_ready",
            reasons=[m.ReasonOut(**spoken_fields(r)) for r in a.reasons],
        )
    if expected is not None and expected != a.document:
        raise Conflict(
            said(
                "Die Regeln ergeben jetzt „{now}“, nicht „{expected}“; bitte den Fall neu laden.",
                now=a.document.value,
                expected=expected.value,
            ),
            code="document_mismatch",
            current={"document": a.document.value},
        )


def decision_inputs(case: CaseRecord, a: Assessment) -> dict[str, object]:
    """What the decision rested on, as the audit and the certificate row keep it: the counted
    sittings exactly as the document prints them (A.11)."""
    identity = case.identity or {}
    return {
        "participant_id": case.participant_id,
        "document": a.document.value if a.document else None,
        **basis_inputs(a.basis),
        "alt_b1_valid": a.alt_b1_valid,
        "supersedes": a.supersedes,
        "document_type": identity.get("document_type"),
        "document_number": mask(identity.get("document_number")),
        "reasons": sorted({r.rule_id for r in a.reasons}),
    }


def document_data(
    case: CaseRecord, a: Assessment, rules: Rules, number: str, issued_on: date, office: str
) -> DocumentData:
    """The data the PDF shows: the sittings of the assessment's basis, nothing else."""
    from inge_tui.server.documents import DocumentData  # fpdf2 loads only when issuing

    assert a.document is not None and a.basis is not None
    basis = a.basis
    p = case.participant
    identity = case.identity or {}
    city = f"{identity.get('postal_code') or ''} {identity.get('city') or ''}".strip()
    dtz, proof, lid = basis.dtz, basis.alt_b1, basis.lid
    return DocumentData(
        kind=a.document.value,
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
        dtz_parts=_dtz_lines(dict(dtz.points), rules) if dtz else (),
        dtz_overall=LEVEL_LABELS[dtz.overall] if dtz else None,
        dtz_exam_date=dtz.exam_date if dtz else None,
        dtz_source=dtz.source.value if dtz else None,
        dtz_aborted=bool(dtz and dtz.aborted),
        alt_b1=(
            f"{proof.exam_name} ({proof.level}, {proof.issued_on:%d.%m.%Y})" if proof else None
        ),
        lid_points=lid.points if lid else None,
        lid_exam_date=lid.exam_date if lid else None,
        lid_passed=bool(a.lid and a.lid.passed),
        lid_naturalisation=bool(a.lid and a.lid.naturalisation),
    )


def _dtz_lines(
    points: dict[Part, float], rules: Rules
) -> tuple[tuple[str, float, float, str], ...]:
    if not points:
        return ()
    levels = rules.dtz(points).parts
    return tuple(
        (PART_LABELS[part], value, rules.maximum(part), LEVEL_LABELS[levels[part]])
        for part, value in points.items()
    )
