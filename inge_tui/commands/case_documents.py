"""The life of an issued document in the command set (domain.md A.12, A.13): reverse it, issue
a copy, print the office's dispatch run and mark it posted, list the number series.

The service checks every rule (issuer only, before dispatch, the written reason, the office);
these commands carry the step and say what happened in one line. Registered when
`inge_tui.commands.case` is imported.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from inge_tui.api.errors import ApiError
from inge_tui.api.models import Certificate, Participant
from inge_tui.api.words import DOCUMENT_STATUS_NAMES
from inge_tui.commands.base import READY, Arg, Availability, Command, Outcome, Session, register
from inge_tui.commands.case_session import (
    case_for,
    change_availability,
    deliver,
    failure,
    refresh_case,
)
from inge_tui.i18n import N_, _, ngettext

KIND_WORDS = {
    "zertifikat": "Zertifikat",
    "bescheinigung": "Bescheinigung",
    "zweitschrift": "Zweitschrift",
    "ruecknahme": "Rücknahmebescheid",
}


def _status(state: str) -> str:
    name = DOCUMENT_STATUS_NAMES.get(state)
    return _(name) if name else state


def document_in_force(participant: Participant) -> Certificate | None:
    return next((c for c in participant.certificates if c.status == "gueltig"), None)


class _DocumentStep(Command):
    """A step on the case's document in force."""

    changes_data = True

    def available(self, session: Session) -> Availability:
        allowed = change_availability(session)
        if not allowed.ok or session.participant is None:
            return allowed
        document = document_in_force(session.participant)
        if document is None:
            return Availability(False, _("Kein gültiges Dokument in diesem Fall"))
        return self.allows(session, document)

    def allows(self, session: Session, document: Certificate) -> Availability:
        """Whether this step may be taken on the document in force now."""
        return READY

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        participant = await case_for(self, session)
        if isinstance(participant, Outcome):
            return participant
        document = document_in_force(participant)
        assert document is not None
        reason = str(kwargs.get("reason") or "").strip() or None
        try:
            message, data = await self.step(session, document, reason, participant.version)
        except ApiError as error:
            return failure(error)
        await refresh_case(session, participant.participant_id)
        return Outcome(True, message, {"certificate_id": document.certificate_id, **data})

    async def step(
        self, session: Session, document: Certificate, reason: str | None, version: int
    ) -> tuple[str, dict[str, Any]]:
        raise NotImplementedError


@register
class ReverseDocument(_DocumentStep):
    id = "reverse-document"
    title = N_("Dokument stornieren")
    help = N_(
        "Storniert das gültige Dokument, wenn es irrtümlich ausgestellt wurde: nur wer es "
        "ausgestellt hat und nur vor dem Versand; Begründung mit mindestens 20 Zeichen. Die "
        "Nummer bleibt als „storniert“ im Nummernkreis, der Eintrag öffnet sich wieder."
    )
    binding = "case.reverse-document"
    key = "S"
    label = N_("Stornieren")
    args = (Arg("reason", N_("Begründung"), rest=True),)

    def allows(self, session: Session, document: Certificate) -> Availability:
        if document.dispatched_at is not None:
            return Availability(
                False,
                _("Schon versandt: nur noch eine Rücknahme ist möglich (propose-withdrawal, z)"),
            )
        if session.user and document.issued_by != session.user:
            said = _("Stornieren kann nur {name}").format(name=document.issued_by)
            return Availability(False, said)
        return READY

    async def step(
        self, session: Session, document: Certificate, reason: str | None, version: int
    ) -> tuple[str, dict[str, Any]]:
        await session.client.reverse_document(document.certificate_id, reason, version)
        said = _("{number} storniert; der Fall ist wieder offen.")
        return said.format(number=document.certificate_id), {"status": "storniert"}


@register
class IssueCopy(_DocumentStep):
    id = "issue-copy"
    title = N_("Zweitschrift ausstellen")
    help = N_(
        "Stellt das versandte gültige Dokument noch einmal aus, wenn es verloren oder "
        "beschädigt ist: "
        "gleiche Daten und Nummer, als „Zweitschrift“ mit Datum gekennzeichnet; Anlass angeben "
        "(zum Beispiel „verloren“). Das PDF wird gespeichert."
    )
    binding = "case.issue-copy"
    key = "K"
    label = N_("Zweitschrift")
    args = (Arg("reason", N_("Anlass"), rest=True),)

    def allows(self, session: Session, document: Certificate) -> Availability:
        if document.dispatched_at is None:
            return Availability(
                False,
                _("Noch nicht versandt: das Original geht mit dem nächsten Tagesdruck hinaus"),
            )
        return READY

    async def step(
        self, session: Session, document: Certificate, reason: str | None, version: int
    ) -> tuple[str, dict[str, Any]]:
        letter = await session.client.issue_copy(document.certificate_id, reason, version)
        message = _("Zweitschrift {number} ausgestellt").format(number=letter.letter_id)
        try:
            pdf = await session.client.letter_pdf(letter.letter_id)
            where = await deliver(session, pdf, f"{letter.letter_id}.pdf", "application/pdf")
            message += _(", PDF: {path}").format(path=where)
        except (ApiError, OSError):
            message += _(" (PDF beim Dienst abrufbar)")
        return message + ".", {"letter_id": letter.letter_id}


@register
class PrintBatch(Command):
    id = "print-batch"
    title = N_("Tagesdruck erstellen")
    help = N_(
        "Ein PDF mit allem, was die Regionalstelle noch nicht versandt hat (Dokumente, "
        "Zweitschriften, Rücknahmebescheide), mit Deckblatt; danach mit mark-dispatched als "
        "versandt vermerken."
    )
    binding = "postbox.print-batch"
    key = "D"
    label = N_("Tagesdruck")

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        try:
            batch = await session.client.dispatch_batch()
            if not batch.items:
                return Outcome(True, _("Es liegt nichts zum Versand vor."), {"items": []})
            stamp = batch.as_of.isoformat()
            pdf = await session.client.dispatch_pdf(stamp)
        except ApiError as error:
            return failure(error)
        name = f"tagesdruck-{batch.office}-{batch.as_of:%Y%m%d-%H%M%S}.pdf"
        try:
            where = await deliver(session, pdf, name, "application/pdf")
        except OSError as error:
            said = _("Der Tagesdruck ließ sich nicht speichern: {error}")
            return Outcome(False, said.format(error=error.strerror))
        session.batch_as_of = stamp
        count = len(batch.items)
        said = ngettext(
            "Tagesdruck mit {n} Schriftstück: {path}. Nach dem Versand: mark-dispatched.",
            "Tagesdruck mit {n} Schriftstücken: {path}. Nach dem Versand: mark-dispatched.",
            count,
        )
        return Outcome(
            True,
            said.format(n=count, path=where),
            {"as_of": stamp, "items": [i.item_id for i in batch.items], "file": where},
        )


@register
class MarkDispatched(Command):
    id = "mark-dispatched"
    title = N_("Tagesdruck als versandt vermerken")
    help = N_(
        "Vermerkt alles aus dem letzten Tagesdruck als versandt (oder bis zum angegebenen Stand); "
        "was danach ausgestellt wurde, bleibt für den nächsten. Versandte Dokumente lassen sich "
        "nicht mehr stornieren."
    )
    binding = "postbox.mark-dispatched"
    key = "M"
    label = N_("Versand vermerken")
    args = (Arg("as_of", N_("Stand des Tagesdrucks (ISO-Zeit)"), required=False),)
    changes_data = True

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        stamp = str(kwargs.get("as_of") or "") or session.batch_as_of or ""
        if not stamp:
            said = _("Erst den Tagesdruck erstellen (print-batch), dann vermerken.")
            return Outcome(False, said)
        try:
            parsed = datetime.fromisoformat(stamp)
        except ValueError:
            said = _("as_of: „{value}“ ist keine Zeitangabe (ISO, mit Zeitzone).")
            return Outcome(False, said.format(value=stamp))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        try:
            done = await session.client.mark_dispatched(parsed.isoformat())
        except ApiError as error:
            return failure(error)
        session.batch_as_of = None
        # TRANSLATORS: German says "Schriftstücke" for one, too; English needs both forms
        said = ngettext(
            "{n} Schriftstücke als versandt vermerkt.",
            "{n} Schriftstücke als versandt vermerkt.",
            done.dispatched,
        )
        return Outcome(
            True,
            said.format(n=done.dispatched),
            {"dispatched": done.dispatched, "items": [i.item_id for i in done.items]},
        )


@register
class NumberSeries(Command):
    id = "number-series"
    title = N_("Nummernkreise eines Jahres")
    help = N_(
        "Zeigt je Nummernkreis, wie jede Nummer endete: verwendet (gültig, ersetzt, "
        "zurückgenommen, storniert) oder verworfen mit Grund; ungeklärte Lücken: 0."
    )
    binding = "postbox.number-series"
    key = "number_sign"
    label = N_("Nummernkreise")
    args = (Arg("year", N_("Jahr"), kind=int, required=False),)

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        year = int(kwargs.get("year") or datetime.now(UTC).year)
        try:
            report = await session.client.number_series(year)
        except ApiError as error:
            return failure(error)
        if not report.series:
            said = _("{year}: noch keine Nummer vergeben.").format(year=year)
            return Outcome(True, said, {"year": year})
        parts = []
        for s in report.series:
            counts = ", ".join(f"{n} {_status(state)}" for state, n in sorted(s.counts.items()))
            said = _("{series}: 1–{last} ({counts}); ungeklärt: {n}")
            parts.append(
                said.format(series=s.series, last=s.last, counts=counts, n=len(s.unexplained))
            )
        return Outcome(
            True,
            " · ".join(parts),
            {"year": year, "series": [s.model_dump(mode="json") for s in report.series]},
        )
