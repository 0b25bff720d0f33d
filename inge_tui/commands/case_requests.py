"""Chasing missing data in the command set (domain.md A.16): ask the course provider for what a
blocker names, with a deadline, and remind it when the deadline has passed.

`request-data [WAS] [FRIST] [NOTIZ…]`: WAS is a blocker (`ausweisnummer`, `anschrift`, the
code, or `alle` for every item the course provider must supply); without it the one such
blocker of the case. FRIST is days (`21`) or a date (`15.01.2027`); without it the service's
default (14 days). `remind-data [FRIST]` reminds every overdue request of the case, with a new
deadline when given. The service checks what is missing and what is already asked; these
commands say the outcome in one line. Registered when `inge_tui.commands.case` is imported.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from inge_tui.api.errors import ApiError
from inge_tui.api.models import BlockerOut, DataRequest, Participant
from inge_tui.commands.base import READY, Arg, Availability, Command, Outcome, Session, register
from inge_tui.commands.case_session import case_for, change_availability, failure, refresh_case
from inge_tui.commands.parsing import parse_date
from inge_tui.i18n import N_, _

PROVIDER = "kurstraeger"
# what a caseworker types for an item, besides its code
ALIASES = {
    "ausweisnummer": "ausweisnummer_fehlt",
    "ausweisnr": "ausweisnummer_fehlt",
    "nummer": "ausweisnummer_fehlt",
    "ausweisart": "ausweisart_fehlt",
    "ausweis": "ausweisart_fehlt",
    "anschrift": "anschrift_fehlt",
    "adresse": "anschrift_fehlt",
    "anmeldedatum": "anmeldedatum_fehlt",
    "anmeldung": "anmeldedatum_fehlt",
    "nachname": "nachname_fehlt",
    "vorname": "vorname_fehlt",
    "geburtsdatum": "geburtsdatum_fehlt",
}
ALL = "alle"


def open_requests(participant: Participant) -> list[DataRequest]:
    return [r for r in participant.data_requests if r.status == "offen"]


def requestable(participant: Participant) -> list[BlockerOut]:
    """The course provider's blockers that are not asked for yet."""
    asked = {r.item for r in open_requests(participant)}
    return [
        b for b in participant.assessment.blockers if b.supplier == PROVIDER and b.code not in asked
    ]


def deadline(text: str | None, today: date) -> date | None:
    """`21` (days), `21T`, or a date; None for none. ValueError with a message otherwise."""
    if not text:
        return None
    raw = text.strip().rstrip("Tt")
    if raw.isdigit():
        days = int(raw)
        if not 1 <= days <= 365:
            raise ValueError(_("Frist: {days} Tage – erlaubt sind 1 bis 365").format(days=days))
        return today + timedelta(days=days)
    return parse_date(text)


@register
class RequestData(Command):
    id = "request-data"
    title = N_("Fehlende Daten beim Kursträger anfordern")
    help = N_(
        "Fordert beim Kursträger an, was ein Blocker nennt (Ausweisnummer, Ausweisart, "
        "Anschrift, Anmeldedatum, … oder alle), mit Frist (Tage oder Datum, ohne Angabe 14 "
        "Tage) und Notiz. Die Anforderung erledigt sich, sobald der Kursträger die Daten meldet."
    )
    binding = "case.request-data"
    key = "F"
    label = N_("Anfordern")
    changes_data = True
    args = (
        Arg("item", N_("was (z. B. anschrift, ausweisnummer, alle)"), required=False),
        Arg("due", N_("Frist: Tage oder Datum"), required=False),
        Arg("note", N_("Notiz an den Kursträger"), required=False, rest=True),
    )

    def available(self, session: Session) -> Availability:
        allowed = change_availability(session)
        if not allowed.ok or session.participant is None:
            return allowed
        if not requestable(session.participant):
            asked = open_requests(session.participant)
            return Availability(
                False,
                _("Alles Fehlende ist schon angefordert")
                if asked
                else _("Es fehlt nichts, was der Kursträger liefern muss"),
            )
        return READY

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        participant = await case_for(self, session)
        if isinstance(participant, Outcome):
            return participant
        items = self._items(participant, str(kwargs.get("item") or "").strip().lower())
        if isinstance(items, Outcome):
            return items
        try:
            due = deadline(kwargs.get("due"), date.today())
        except ValueError as error:
            return Outcome(False, str(error))
        note = str(kwargs.get("note") or "").strip() or None
        made: list[DataRequest] = []
        version: int | None = participant.version
        try:
            for item in items:
                made.append(
                    await session.client.request_data(
                        participant.participant_id,
                        item,
                        due_on=due.isoformat() if due else None,
                        note=note,
                        version=version,
                    )
                )
                version = None  # the first request moved the case on; the rest follow it
        except ApiError as error:
            await refresh_case(session, participant.participant_id)
            outcome = failure(error)
            if made:
                then = _("{done} – dann: {error}")
                outcome.message = then.format(done=_said(made), error=outcome.message)
            return outcome
        await refresh_case(session, participant.participant_id)
        return Outcome(
            True,
            f"{_said(made)}.",
            {"requests": [r.model_dump(mode="json") for r in made]},
        )

    @staticmethod
    def _items(participant: Participant, word: str) -> list[str] | Outcome:
        open_items = requestable(participant)
        codes = [b.code for b in open_items]
        if word == ALL:
            return codes or Outcome(False, _("Es fehlt nichts, was noch anzufordern wäre."))
        if not word:
            if len(codes) == 1:
                return codes
            said = _("Was anfordern? {words} oder alle – z. B. request-data anschrift")
            return Outcome(False, said.format(words=", ".join(_word(code) for code in codes)))
        code = ALIASES.get(word, word if word.endswith("_fehlt") else f"{word}_fehlt")
        return [code]  # the service says when it is not missing or already asked


def _word(code: str) -> str:
    return next((alias for alias, c in ALIASES.items() if c == code), code)


def _said(made: list[DataRequest]) -> str:
    what = ", ".join(r.item_text for r in made)
    due = made[-1].due_on
    who = made[-1].provider
    if who:
        said = _("Angefordert bei {provider}: {what}, Frist {date}")
    else:
        said = _("Beim Kursträger angefordert: {what}, Frist {date}")
    return said.format(provider=who, what=what, date=f"{due:%d.%m.%Y}")


@register
class RemindData(Command):
    id = "remind-data"
    title = N_("An überfällige Datenanforderung erinnern")
    help = N_(
        "Erinnert den Kursträger an jede überfällige Anforderung dieses Falls (vermerkt, mit "
        "Datum); mit Frist (Tage oder Datum) gilt eine neue."
    )
    binding = "case.remind-data"
    key = "E"
    label = N_("Erinnern")
    changes_data = True
    args = (Arg("due", N_("neue Frist: Tage oder Datum"), required=False),)

    def available(self, session: Session) -> Availability:
        allowed = change_availability(session)
        if not allowed.ok or session.participant is None:
            return allowed
        asked = open_requests(session.participant)
        if not asked:
            return Availability(False, _("Keine offene Datenanforderung"))
        if not any(r.overdue for r in asked):
            first = min(r.due_on for r in asked)
            said = _("Noch nicht überfällig: Frist bis {date}").format(date=f"{first:%d.%m.%Y}")
            return Availability(False, said)
        return READY

    async def run(self, session: Session, **kwargs: Any) -> Outcome:
        participant = await case_for(self, session)
        if isinstance(participant, Outcome):
            return participant
        try:
            due = deadline(kwargs.get("due"), date.today())
        except ValueError as error:
            return Outcome(False, str(error))
        overdue = [r for r in open_requests(participant) if r.overdue]
        if not overdue:
            return Outcome(False, _("Keine überfällige Datenanforderung in diesem Fall."))
        reminded = []
        try:
            for request in overdue:
                reminded.append(
                    await session.client.remind_data(
                        request.request_id, due_on=due.isoformat() if due else None
                    )
                )
        except ApiError as error:
            await refresh_case(session, participant.participant_id)
            return failure(error)
        await refresh_case(session, participant.participant_id)
        what = ", ".join(r.item_text for r in reminded)
        later = _(", neue Frist {date}").format(date=f"{due:%d.%m.%Y}") if due else ""
        return Outcome(
            True,
            _("Erinnert: {what}{later}.").format(what=what, later=later),
            {"requests": [r.model_dump(mode="json") for r in reminded]},
        )
