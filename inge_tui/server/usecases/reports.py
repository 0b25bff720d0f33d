"""Read-side use cases: statistics, the audit history, issued documents."""

from __future__ import annotations

import base64
import math
from collections import Counter
from datetime import date, datetime, timedelta

from inge_tui.api import models as m
from inge_tui.domain._format import COURSE_NAMES
from inge_tui.domain.said import said
from inge_tui.server.auth import Principal, require_office
from inge_tui.server.errors import Forbidden, NotFound, invalid
from inge_tui.server.speech import speak
from inge_tui.server.store import figures
from inge_tui.server.store.cases import Row
from inge_tui.server.store.uow import Tx
from inge_tui.server.usecases.postbox import release_lapsed
from inge_tui.server.usecases.printing import pdf_of
from inge_tui.server.usecases.services import Answer, Services, dump
from inge_tui.server.usecases.views import audit_entry, certificate

# the backlog's histogram: age in days, [low, high]
AGE_BUCKETS = (
    ("0–7", 0, 7),
    ("8–14", 8, 14),
    ("15–21", 15, 21),
    ("22–30", 22, 30),
    ("31–60", 31, 60),
    ("61–90", 61, 90),
    ("91–180", 91, 180),
    ("über 180", 181, None),
)
DEFAULT_DAYS = 60
MAX_DAYS = 366
NO_CENTER = "ohne DTZ-Prüfstelle"


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def stats(
    svc: Services,
    principal: Principal,
    office: str | None = None,
    first: date | None = None,
    last: date | None = None,
) -> Answer:
    """The office's Kennzahlen for the period [first, last] (default: the last 60 days up to
    today). A caseworker sees the own office; a supervisor may name any office."""
    release_lapsed(svc)

    def run(tx: Tx) -> Answer:
        chosen = _office(tx, principal, office)
        today = tx.now.date()
        until = last or today
        since = first or until - timedelta(days=DEFAULT_DAYS - 1)
        if until > today:
            raise invalid("to", said("{day} liegt in der Zukunft", day=f"{until:%d.%m.%Y}"))
        if since > until:
            raise invalid("from", said("der Beginn liegt nach dem Ende des Zeitraums"))
        if (until - since).days + 1 > MAX_DAYS:
            raise invalid("from", said("höchstens {days} Tage auf einmal", days=MAX_DAYS))
        return Answer(200, dump(_figures(tx, chosen, since, until)))

    return svc.store.run(run, readonly=True)


def _office(tx: Tx, principal: Principal, office: str | None) -> str:
    own = principal.office
    if office is None or office == own:
        if own is None:
            raise invalid("office", said("bitte die Regionalstelle angeben"))
        return own
    # a well-formed office code the caller may not see, or that does not exist, is not bad
    # input but a refusal of that office: 403 and 404, naming the parameter all the same
    if principal.role != m.Role.SUPERVISOR and own is not None:
        raise Forbidden(
            said("Kennzahlen gibt es nur für die eigene Regionalstelle."), field="office"
        )
    if tx.ledger.office(office) is None:
        raise NotFound(
            said("Die Regionalstelle {office} gibt es nicht.", office=office), field="office"
        )
    return office


def _figures(tx: Tx, office: str, since: date, until: date) -> m.Stats:
    conn = tx.conn
    bounds: list[datetime | None] = [None]
    bounds += [tx.now - timedelta(days=high + 1) for _, _, high in AGE_BUCKETS if high is not None]
    bounds.append(None)
    ages = figures.open_ages(conn, office, bounds)
    backlog = [
        m.AgeBucket(label=label, low=low, high=high, count=count)
        for (label, low, high), count in zip(AGE_BUCKETS, ages, strict=True)
    ]
    rows = figures.arrived(conn, office, since, until)
    by_kind: Counter[str] = Counter()
    courses: dict[str, list[int]] = {}
    centers: dict[str, list[int]] = {}
    total = [0, 0, 0, 0, 0]
    for kind, course, center, *counts in rows:
        by_kind[str(kind)] += int(counts[0])
        if kind != "abschluss":
            continue
        numbers = [int(n or 0) for n in counts]
        for sums in (courses.setdefault(str(course or ""), [0] * 5), total):
            sums[:] = [a + b for a, b in zip(sums, numbers, strict=True)]
        if numbers[1]:  # a Prüfstelle only where a DTZ sitting counted
            key = str(center or "")
            sums = centers.setdefault(key, [0] * 5)
            sums[:] = [a + b for a, b in zip(sums, numbers, strict=True)]
    per_day = figures.documents_per_day(conn, office, since, until)
    days = [since + timedelta(days=n) for n in range((until - since).days + 1)]
    closed = figures.closed_hours(conn, office, since, until)
    return m.Stats(
        office=office,
        generated_at=tx.now,
        period_from=since,
        period_to=until,
        open_entries=sum(ages),
        backlog_by_age=backlog,
        arrived_by_kind={k.value: by_kind.get(k.value, 0) for k in m.EntryKind},
        documents={
            k.value: sum(n for (_, kind), n in per_day.items() if kind == k.value)
            for k in m.DocumentKind
        },
        documents_per_day=[
            m.DayDocuments(
                day=day,
                zertifikat=per_day.get((day, "zertifikat"), 0),
                bescheinigung=per_day.get((day, "bescheinigung"), 0),
            )
            for day in days
        ],
        total=_group("", said("alle"), total),
        by_course_type=sorted(
            (_group(k, COURSE_NAMES.get(k, k) if k else "–", v) for k, v in courses.items()),
            key=lambda g: -g.entries,
        ),
        by_exam_center=sorted(
            (_group(k, k or NO_CENTER, v) for k, v in centers.items()),
            key=lambda g: -g.entries,
        ),
        time_to_document=_durations(closed),
        data_requests=figures.requests_by_state(conn, office, tx.now.date()),
        refunds=figures.refunds_by_state(conn, office),
    )


def _group(key: str, label: str, sums: list[int]) -> m.RateGroup:
    entries, complete, b1, results, passed = sums
    return m.RateGroup(
        group=key,
        label=speak(label),  # the Kennzahlen screen shows it: in the caller's language
        entries=entries,
        dtz_complete=complete,
        dtz_b1=b1,
        b1_rate=_rate(b1, complete),
        lid_results=results,
        lid_passed=passed,
        lid_rate=_rate(passed, results),
    )


def _durations(closed: list[tuple[int, int]]) -> m.DurationStats:
    """Median and p90 (nearest rank) in days from (whole hours, entries), shortest first."""
    total = sum(n for _, n in closed)
    if not total:
        return m.DurationStats(closed=0)

    def rank(share: float) -> float:
        wanted, seen = max(1, math.ceil(share * total)), 0
        for hours, n in closed:
            seen += n
            if seen >= wanted:
                return round(hours / 24, 1)
        raise AssertionError("unreachable: the ranks add up to the total")

    return m.DurationStats(closed=total, median_days=rank(0.5), p90_days=rank(0.9))


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
                raise NotFound(said("Fall nicht gefunden."))
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
        raise invalid("cursor", said("ungültiger Cursor; bitte ohne Cursor neu beginnen")) from None


def get_certificate(
    svc: Services, principal: Principal, certificate_id: str, *, pdf: bool
) -> Answer | bytes:
    """The certificate (JSON) or its PDF; opening the PDF is audited like a view of the case."""

    def run(tx: Tx) -> Answer | Row:
        row = tx.ledger.certificate(certificate_id, with_pdf=pdf)
        if row is None:
            raise NotFound(said("Dokument nicht gefunden."))
        require_office(principal, row["office"], what=said("Dokument"))
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
