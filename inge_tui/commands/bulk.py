"""Issuing many documents at once (`issue-document --all`): a dry run first, then the run.

`IssueDocument` (`inge_tui.commands.case`) hands `--all` to `issue_all` here. Interactive front
ends `ConfirmsBulk` (shown the dry run, they ask), and may follow the run (`FollowsBulk`:
progress, and `bulk_cancel`, an `asyncio.Event`). A front end that does not confirm (a script)
gets the dry run only, unless `--yes` is given.

The entries are the marked ones (`session.marked`), else those of the current filter. The dry
run (`plan_bulk`) says for every entry what it would get (Zertifikat or Bescheinigung) or why
not (done already, blockers, held by someone else). The run (`run_bulk`) issues two entries at
a time with the same idempotency key a single `issue-document` uses (participant, version,
document),
reports progress through a callback, stops between two pairs when cancelled, and answers a
report per entry. Exactly once, also when interrupted and started again: a new plan skips the
entries that are `erledigt` already, a repeated key answers the first certificate, and the
service refuses a second document for the same exam pair. The run fetches no PDFs: the
office's print run (`print-batch`) prints them all at once, so a run issues about 100
documents a second instead of 20 (`bench/issuing.py`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from inge_tui.api.client import IngeClient
from inge_tui.api.errors import ApiError, Conflict, ServiceFailed, ServiceUnreachable
from inge_tui.api.models import DocumentKind, EntryKind, EntryStatus, PostboxEntry
from inge_tui.api.query import format_query
from inge_tui.api.words import DOCUMENT_NAMES
from inge_tui.commands.base import ConfirmsBulk, FollowsBulk, Outcome, Session
from inge_tui.commands.case_session import deliver, has_selection
from inge_tui.commands.issue_preview import idempotency_key, issue_block_reason
from inge_tui.commands.postbox_entries import claim_note, entries_after, taken_by_other
from inge_tui.i18n import _, ngettext

MAX_ENTRIES = 2000  # one bulk run at most; a larger filter is narrowed first
FETCH_AT_ONCE = 8  # participants read in parallel while planning
SHORT_NAMES = {DocumentKind.ZERTIFIKAT: "Zertifikat", DocumentKind.BESCHEINIGUNG: "Bescheinigung"}
ALREADY = {"already_issued"}


class BulkError(Exception):
    """No plan can be made (no selection, too many entries); message in the interface language."""


@dataclass(frozen=True)
class PlanItem:
    """One entry of the dry run: what it would get, or why not."""

    entry_id: int
    participant_id: str
    name: str
    document: DocumentKind | None = None
    version: int | None = None
    skip: str | None = None  # why it gets nothing (interface language); None: it is issued
    done: bool = False  # erledigt already: counts as done on a restart

    @property
    def key(self) -> str | None:
        if self.document is None or self.version is None:
            return None
        return idempotency_key(self.participant_id, self.version, self.document)

    def line(self) -> str:
        what = SHORT_NAMES[self.document] if self.skip is None and self.document else "–"
        why = f" ({self.skip})" if self.skip else ""
        return f"{self.participant_id}  {self.name}: {what}{why}"

    def as_data(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id,
            "participant_id": self.participant_id,
            "document": self.document.value if self.document and not self.skip else None,
            "skip": self.skip,
            "done": self.done,
            "key": self.key if not self.skip else None,
        }


@dataclass
class BulkPlan:
    source: str  # "3 markierte Einträge" or "Filter: status:offen"
    items: list[PlanItem]

    @property
    def to_issue(self) -> list[PlanItem]:
        return [item for item in self.items if item.skip is None]

    def summary(self) -> str:
        counts = {kind: 0 for kind in SHORT_NAMES}
        for item in self.to_issue:
            assert item.document is not None
            counts[item.document] += 1
        skipped = len(self.items) - len(self.to_issue)
        n = len(self.items)
        zertifikate = counts[DocumentKind.ZERTIFIKAT]
        bescheinigungen = counts[DocumentKind.BESCHEINIGUNG]
        # German keeps its "Zertifikat(e)" for every number; English counts.
        return _(
            "Sammelausstellung ({source}): {entries} – {certificates}, {attestations}, {without}"
        ).format(
            source=self.source,
            entries=ngettext("{n} Einträge", "{n} Einträge", n).format(n=n),
            certificates=ngettext("{n} Zertifikat(e)", "{n} Zertifikat(e)", zertifikate).format(
                n=zertifikate
            ),
            attestations=ngettext(
                "{n} Bescheinigung(en)", "{n} Bescheinigung(en)", bescheinigungen
            ).format(n=bescheinigungen),
            without=_("{n} ohne Dokument").format(n=skipped),
        )

    def text(self) -> str:
        first = _("Probelauf – {summary}").format(summary=self.summary())
        return "\n".join([first, *(i.line() for i in self.items)])

    def as_data(self) -> dict[str, Any]:
        return {"source": self.source, "items": [item.as_data() for item in self.items]}


@dataclass
class ItemResult:
    item: PlanItem
    status: str  # "ausgestellt", "übersprungen", "fehlgeschlagen", "nicht ausgeführt" (data)
    message: str  # in the interface's language
    certificate_id: str | None = None
    service_down: bool = False  # the service failed: the entries after this one wait

    @property
    def ok(self) -> bool:
        return self.status in ("ausgestellt", "übersprungen")

    def line(self) -> str:
        return f"{self.item.participant_id}: {self.message}"

    def as_data(self) -> dict[str, Any]:
        return {
            "entry_id": self.item.entry_id,
            "participant_id": self.item.participant_id,
            "status": self.status,
            "certificate_id": self.certificate_id,
            "message": self.message,
        }


@dataclass
class BulkReport:
    results: list[ItemResult] = field(default_factory=list)
    cancelled: bool = False
    stopped: str | None = None  # the service failed: why the rest was not tried

    @property
    def ok(self) -> bool:
        return not self.cancelled and self.stopped is None and all(r.ok for r in self.results)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    def summary(self) -> str:
        parts = [
            _("{n} ausgestellt").format(n=self.count("ausgestellt")),
            _("{n} übersprungen").format(n=self.count("übersprungen")),
            _("{n} fehlgeschlagen").format(n=self.count("fehlgeschlagen")),
        ]
        if self.count("nicht ausgeführt"):
            parts.append(_("{n} nicht ausgeführt").format(n=self.count("nicht ausgeführt")))
        sentences = [_("Sammelausstellung: {counts}.").format(counts=", ".join(parts))]
        if self.count("ausgestellt"):
            sentences.append(_("Die PDFs kommen mit dem Tagesdruck (print-batch)."))
        if self.cancelled:
            sentences.append(
                _("Abgebrochen; erneut starten setzt fort, nichts wird doppelt ausgestellt.")
            )
        if self.stopped:
            said = _("Angehalten: {why} Erneut starten ist sicher.")
            sentences.append(said.format(why=self.stopped))
        return " ".join(sentences)

    def text(self) -> str:
        """The summary, and the entries that need another look (each one's result: data)."""
        open_ones = [r.line() for r in self.results if not r.ok]
        return "\n".join([self.summary(), *open_ones])

    def as_data(self) -> dict[str, Any]:
        return {
            "results": [r.as_data() for r in self.results],
            "issued": self.count("ausgestellt"),
            "skipped": self.count("übersprungen"),
            "failed": self.count("fehlgeschlagen"),
            "not_run": self.count("nicht ausgeführt"),
            "cancelled": self.cancelled,
        }


Progress = Callable[[int, int, ItemResult], None]


# ---- the dry run --------------------------------------------------------------------------------


async def plan_bulk(session: Session) -> BulkPlan:
    """The dry run: every entry of the selection with what it would get or why not."""
    if not has_selection(session):
        raise BulkError(
            _(
                "Sammelausstellung braucht markierte Einträge oder einen Filter, "
                "z. B. filter status:offen kind:abschluss"
            )
        )
    if session.marked:
        entries = await _marked_entries(session)
        marked = len(entries)
        source = ngettext("{n} markierte Einträge", "{n} markierte Einträge", marked)
        source = source.format(n=marked)
    else:
        count = await session.client.postbox_count(session.query)
        if count > MAX_ENTRIES:
            raise BulkError(
                _(
                    "Der Filter trifft {count} Einträge; höchstens {most} auf einmal – "
                    "Filter enger fassen (z. B. alter>30 oder dokument:zertifikat)."
                ).format(count=count, most=MAX_ENTRIES)
            )
        entries = [e async for e in entries_after(session.client, session.query, None)]
        source = _("Filter: {query}").format(query=format_query(session.query, with_sort=False))
    gate = asyncio.Semaphore(FETCH_AT_ONCE)

    async def plan_one(entry: PostboxEntry) -> PlanItem:
        async with gate:
            return await _plan_item(session.client, entry)

    items = await asyncio.gather(*(plan_one(e) for e in entries))
    return BulkPlan(source, list(items))


async def _marked_entries(session: Session) -> list[PostboxEntry]:
    gate = asyncio.Semaphore(FETCH_AT_ONCE)

    async def fetch(entry_id: int) -> PostboxEntry:
        async with gate:
            return await fetch_entry(session.client, entry_id)

    return list(await asyncio.gather(*(fetch(i) for i in sorted(session.marked))))


async def fetch_entry(client: IngeClient, entry_id: int) -> PostboxEntry:
    """One Postkorb entry as it is now (`GET /v1/postbox/{entry_id}`)."""
    fetch = getattr(client, "postbox_entry", None)
    if fetch is not None:
        return await fetch(entry_id)
    # The client has no method for this route yet; its reader retries like any other.
    where = _("bei Eintrag {entry}").format(entry=entry_id)
    return await client._get(f"/v1/postbox/{entry_id}", PostboxEntry, where)


async def _plan_item(client: IngeClient, entry: PostboxEntry) -> PlanItem:
    base = PlanItem(entry.entry_id, entry.participant_id, f"{entry.given_name} {entry.surname}")

    def skip(why: str, *, done: bool = False) -> PlanItem:
        return PlanItem(base.entry_id, base.participant_id, base.name, skip=why, done=done)

    if entry.status == EntryStatus.ERLEDIGT:
        return skip(_("schon erledigt"), done=True)
    if entry.kind != EntryKind.ABSCHLUSS:
        return skip(_("kein Abschluss-Eintrag (Wiederholungsantrag)"))
    if taken_by_other(entry):
        return skip(claim_note(entry))
    try:
        participant = await client.participant(entry.participant_id)
    except ApiError as error:
        return skip(_("Fall nicht lesbar: {error}").format(error=error.message))
    why = issue_block_reason(participant, entry)
    if why is not None:
        return skip(why)
    document = participant.assessment.document
    assert document is not None  # issue_block_reason answers None only with a document
    return PlanItem(
        base.entry_id, base.participant_id, base.name, DocumentKind(document), participant.version
    )


# ---- the run ------------------------------------------------------------------------------------

# Two requests in flight: while the service stores one document, the next request is on its
# way; more buys nothing on one SQLite writer (bench/issuing.py).
ISSUE_AT_ONCE = 2


async def run_bulk(
    session: Session,
    plan: BulkPlan,
    *,
    progress: Progress | None = None,
    cancel: asyncio.Event | None = None,
    with_pdf: bool = False,
) -> BulkReport:
    """Issue what the plan says, `ISSUE_AT_ONCE` entries at a time (different participants,
    so they never wait for each other's lock); see the module docstring."""
    report = BulkReport()
    todo = plan.to_issue
    start = 0
    while start < len(todo):
        if cancel is not None and cancel.is_set():
            report.cancelled = True
        if report.cancelled or report.stopped:
            said = _("nicht ausgeführt")
            report.results += [ItemResult(item, "nicht ausgeführt", said) for item in todo[start:]]
            break
        window = todo[start : start + ISSUE_AT_ONCE]
        results = await asyncio.gather(
            *(_issue_one(session, item, with_pdf=with_pdf) for item in window)
        )
        for result in results:
            if result.service_down:
                report.stopped = report.stopped or result.message
            report.results.append(result)
            if progress is not None:
                progress(len(report.results), len(todo), result)
        start += len(window)
    return report


async def _issue_one(session: Session, item: PlanItem, *, with_pdf: bool) -> ItemResult:
    assert item.document is not None and item.key is not None
    try:
        certificate = await session.client.issue_certificate(
            item.participant_id,
            idempotency_key=item.key,
            expected_document=item.document.value,
            version=item.version,
        )
    except Conflict as error:
        if error.code in ALREADY:
            number = (error.current or {}).get("certificate_id")
            said = (
                _("schon ausgestellt ({number})").format(number=number)
                if number
                else _("schon ausgestellt")
            )
            return ItemResult(item, "übersprungen", said, number)
        said = _("{error} Neu planen: erneut starten.").format(error=error.message)
        return ItemResult(item, "fehlgeschlagen", said)
    except (ServiceUnreachable, ServiceFailed) as error:
        return ItemResult(item, "fehlgeschlagen", error.message, service_down=True)
    except ApiError as error:
        return ItemResult(item, "fehlgeschlagen", error.message)
    name = DOCUMENT_NAMES[certificate.kind]
    message = _("{document} {number} ausgestellt").format(
        document=name, number=certificate.certificate_id
    )
    if with_pdf:
        try:
            pdf = await session.client.certificate_pdf(certificate.certificate_id)
            where = await deliver(
                session, pdf, f"{certificate.certificate_id}.pdf", "application/pdf"
            )
            message = _("{issued}, PDF: {where}").format(issued=message, where=where)
        except (ApiError, OSError):
            message = _("{issued} (PDF beim Dienst abrufbar)").format(issued=message)
    return ItemResult(item, "ausgestellt", message, certificate.certificate_id)


async def issue_all(session: Session, *, yes: bool) -> Outcome:
    """The dry run, the confirmation (or `--yes`), then the run with progress and report."""
    try:
        plan = await plan_bulk(session)
    except BulkError as error:
        return Outcome(False, str(error))
    except ApiError as error:
        return Outcome(False, _("Probelauf nicht möglich: {error}").format(error=error.message))
    if not plan.to_issue:
        said = _("{summary}. Nichts auszustellen.").format(summary=plan.summary())
        return Outcome(True, said, {"plan": plan.as_data()})
    ui = session.ui
    if isinstance(ui, ConfirmsBulk):
        if not await ui.confirm_bulk(plan):
            return Outcome(False, _("Sammelausstellung abgebrochen; nichts wurde ausgestellt."))
    elif not yes:
        return Outcome(
            False,
            _("{plan}\nNichts ausgestellt. Zum Ausstellen: issue-document --all --yes").format(
                plan=plan.text()
            ),
            {"plan": plan.as_data()},
        )
    report = await run_bulk(
        session,
        plan,
        progress=ui.bulk_progress if isinstance(ui, FollowsBulk) else None,
        cancel=ui.bulk_cancel if isinstance(ui, FollowsBulk) else None,
    )
    await session.ui.refresh_postbox()
    return Outcome(report.ok, report.text(), {"plan": plan.as_data(), **report.as_data()})
