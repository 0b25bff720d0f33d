"""Read-side use cases: statistics, the audit history, issued documents."""

from __future__ import annotations

import base64
from datetime import timedelta

from inge_tui.api import models as m
from inge_tui.server.auth import Principal, require_office
from inge_tui.server.errors import NotFound, invalid
from inge_tui.server.store.cases import Row
from inge_tui.server.store.uow import Tx
from inge_tui.server.usecases.postbox import release_lapsed
from inge_tui.server.usecases.printing import pdf_of
from inge_tui.server.usecases.services import Answer, Services, dump
from inge_tui.server.usecases.views import audit_entry, certificate

AGE_BUCKETS = (("0-7", 0, 7), ("8-30", 8, 30), ("31-90", 31, 90), ("91+", 91, None))


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def stats(svc: Services, principal: Principal) -> Answer:
    """The office's figures: entries by status, kind and age; pass rates; documents issued."""
    office = principal.office
    assert office is not None
    release_lapsed(svc)

    def run(tx: Tx) -> Answer:
        ages = {}
        for label, low, high in AGE_BUCKETS:
            newest = tx.now - timedelta(days=low) if low else None
            oldest = tx.now - timedelta(days=high + 1) if high is not None else None
            ages[label] = tx.postbox.open_created_since(office, oldest, newest)
        levels = tx.ledger.dtz_levels(office)
        complete = sum(levels.values())
        lid = tx.ledger.lid_passes(office)
        results = sum(lid.values())
        figures = m.Stats(
            office=office,
            generated_at=tx.now,
            entries_by_status={s.value: 0 for s in m.EntryStatus}
            | tx.postbox.counts_by(office, "status"),
            entries_by_kind={k.value: 0 for k in m.EntryKind}
            | tx.postbox.counts_by(office, "kind"),
            open_by_age=ages,
            dtz=m.DtzStats(
                complete=complete,
                b1=levels.get("B1", 0),
                a2=levels.get("A2", 0),
                unter_a2=levels.get("unter_A2", 0),
                b1_rate=_rate(levels.get("B1", 0), complete),
            ),
            lid=m.LidStats(
                results=results, passed=lid.get(True, 0), pass_rate=_rate(lid.get(True, 0), results)
            ),
            documents={k.value: 0 for k in m.DocumentKind} | tx.ledger.documents_by_kind(office),
        )
        return Answer(200, dump(figures))

    return svc.store.run(run, readonly=True)


def audit_history(
    svc: Services,
    principal: Principal,
    participant_id: str | None,
    limit: int,
    cursor: str | None,
) -> Answer:
    """Who did what, newest first; per case or for the whole office."""
    before = _decode_audit_cursor(cursor) if cursor else None

    def run(tx: Tx) -> Answer:
        if participant_id is not None:
            row = tx.cases.get(participant_id)
            if row is None:
                raise NotFound("Fall nicht gefunden.")
            require_office(principal, row["office"])
        rows = tx.ledger.audit_page(
            office=principal.office, participant_id=participant_id, before=before, limit=limit + 1
        )
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = _encode_audit_cursor(rows[-1]["audit_id"]) if more and rows else None
        page = m.AuditPage(items=[audit_entry(r) for r in rows], next_cursor=next_cursor)
        return Answer(200, dump(page))

    return svc.store.run(run, readonly=True)


def _encode_audit_cursor(audit_id: int) -> str:
    return base64.urlsafe_b64encode(f"a:{audit_id}".encode()).decode().rstrip("=")


def _decode_audit_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = raw.partition(":")
        if prefix != "a" or not number.isdigit() or len(number) > 18:
            raise ValueError(raw)
        return int(number)
    except (ValueError, UnicodeDecodeError):
        raise invalid("cursor", "ungültiger Cursor; bitte ohne Cursor neu beginnen") from None


def get_certificate(
    svc: Services, principal: Principal, certificate_id: str, *, pdf: bool
) -> Answer | bytes:
    """The certificate (JSON) or its PDF; opening the PDF is audited like a view of the case."""

    def run(tx: Tx) -> Answer | Row:
        row = tx.ledger.certificate(certificate_id, with_pdf=pdf)
        if row is None:
            raise NotFound("Dokument nicht gefunden.")
        require_office(principal, row["office"], what="Dokument")
        if not pdf:
            return Answer(200, dump(certificate(row)))
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="dokument_abgerufen",
            office=row["office"],
            participant_id=row["participant_id"],
            outcome={"certificate_id": certificate_id},
        )
        return row

    answer = svc.store.run(run, readonly=not pdf)
    if isinstance(answer, Answer):
        return answer
    return pdf_of(svc, answer)  # rendered on first use, outside the transaction
