"""Record an alternative B1 proof (§ 17 Abs. 2 Satz 2–3 IntV, R4): as it is typed, the form
asks the service what it would make of the proof (a dry run of `POST …/alternative-b1`) and
shows its verdict with the R4 reasons: exam recognised, level from B1, at most a year old,
presented by the registration with the course provider. Nothing is judged here (domain.md A.6).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from inge_tui.api.models import Participant
from inge_tui.api.words import date_de
from inge_tui.commands.parsing import parse_date
from inge_tui.domain import RECOGNISED_B1_EXAMS
from inge_tui.i18n import N_, _
from inge_tui.screens.forms import CaseForm, Check, field_row

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")


class AltB1Screen(CaseForm):
    """The alternative-B1 form; Strg+S (or F2) sends it."""

    COMMAND: ClassVar[str] = "record-alternative-b1"
    TITLE_TEXT: ClassVar[str] = N_("Alternativen B1-Nachweis erfassen")
    DEFAULT_CSS = """
    AltB1Screen #f-level { width: 8; }
    """

    @property
    def form_name(self) -> str:
        return "alt-b1"

    def compose_fields(self) -> ComposeResult:
        registered = self.participant.registered_on
        note = (
            _("Anmeldung beim Kursträger am {date}: bis dahin vorgelegt?").format(
                date=date_de(registered)
            )
            if registered
            else _("Anmeldedatum beim Kursträger unbekannt: Vorlagefrist nicht prüfbar.")
        )
        yield Static(Content.styled(note, "dim"))
        exam = Input(
            placeholder=_("z. B. Goethe-Zertifikat B1"),
            suggester=SuggestFromList(RECOGNISED_B1_EXAMS, case_sensitive=False),
            compact=True,
        )
        exam.add_class("wide")
        yield field_row(_("Prüfung"), "exam_name", exam, derived=True)
        yield field_row(
            _("Niveau"), "level", Input(placeholder="B1", max_length=2, compact=True), derived=True
        )
        yield field_row(
            _("Ausgestellt am"), "issued_on", Input(placeholder=_("TT.MM.JJJJ"), compact=True)
        )
        yield field_row(
            _("Vorgelegt am"), "presented_on", Input(placeholder=_("TT.MM.JJJJ"), compact=True)
        )

    def _body(self, values: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
        """The request body, or what keeps it from being one (per field)."""
        errors: dict[str, str] = {}
        exam = str(values.get("exam_name", "")).strip()
        level = str(values.get("level", "")).strip().upper()
        if not exam:
            errors["exam_name"] = _("Prüfung fehlt")
        if level not in LEVELS:
            errors["level"] = _("Niveau A1 bis C2 angeben")
        dates: dict[str, date] = {}
        for name in ("issued_on", "presented_on"):
            try:
                dates[name] = parse_date(str(values.get(name, "")))
            except ValueError as error:
                errors[name] = str(error)
        body = {"exam_name": exam, "level": level}
        body.update({name: day.isoformat() for name, day in dates.items()})
        return body, errors

    async def ask_service(self, values: dict[str, Any]) -> Participant | None:
        body, errors = self._body(values)
        if errors:
            return None
        return await self.session.client.record_alternative_b1(
            self.participant.participant_id, body, dry_run=True
        )

    def check(self, values: dict[str, Any]) -> Check:
        _body, errors = self._body(values)
        answer = self.answered(values)
        participant = answer.data if answer is not None else None
        self._field_notes(participant if isinstance(participant, Participant) else None)
        if errors:
            return Check(
                errors, Content.styled(_("Noch unvollständig: nichts wird gesendet."), "dim"), []
            )
        if answer is None:
            return Check(errors, Content.styled(_("Der Dienst prüft den Nachweis …"), "dim"), [])
        if not isinstance(participant, Participant) or participant.alternative_b1 is None:
            return Check(errors, Content.styled(_("Der Dienst hat nicht geurteilt."), "dim"), [])
        proof = participant.alternative_b1
        if proof.valid:
            verdict = Content.assemble(
                (_("✔ gültig"), "bold $success"), _(": ersetzt den DTZ (B1).")
            )
        elif proof.pending:
            verdict = Content.assemble(
                (_("… wartet"), "bold $warning"),
                _(": zählt erst, wenn der Kursträger das Anmeldedatum meldet."),
            )
        else:
            verdict = Content.assemble(
                (_("✖ nicht anerkannt"), "bold $error"), _(": der DTZ bleibt maßgeblich.")
            )
        lines = [verdict]
        lines.extend(
            Content.styled(f"· {r.text} ({r.citation})", "dim")
            for r in participant.assessment.reasons
            if r.rule_id == "R4"
        )
        lines.append(Content.styled(_("So urteilt der Dienst; erfasst wird beim Senden."), "dim"))
        return Check(errors, Content("\n").join(lines), [])

    def _field_notes(self, participant: Participant | None) -> None:
        """Beside the exam and the level: what the service's R4 reasons say of each."""
        failing = (
            {r.about for r in participant.assessment.reasons if r.rule_id == "R4" and r.about}
            if participant is not None and participant.alternative_b1 is not None
            else None
        )
        notes = {
            "exam_name": (_("anerkannt"), _("nicht auf der Liste")),
            "level": (_("ab B1"), _("reicht nicht")),
        }
        for name, (good, bad) in notes.items():
            if failing is None:
                content = Content("")
            elif name in failing:
                content = Content.from_markup("[$error]$text[/]", text=bad)
            else:
                content = Content.from_markup("[$success]$text[/]", text=good)
            try:
                self.query_one(f"#d-{name}", Static).update(content)
            except Exception:
                continue

    def command_args(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "level": str(values.get("level", "")).strip().upper()}
