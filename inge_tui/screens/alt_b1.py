"""Record an alternative B1 proof (§ 17 Abs. 2 Satz 2–3 IntV, R4): as it is typed, the form
says whether the exam is recognised, the level suffices, the proof is recent enough and was
presented in time (via the domain check; the service still decides).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from inge_tui.api.words import date_de
from inge_tui.commands.parsing import parse_date
from inge_tui.domain import RECOGNISED_B1_EXAMS, AltB1Proof, check_alt_b1, is_recognised_exam
from inge_tui.screens.forms import CaseForm, Check, field_row

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")


class AltB1Screen(CaseForm):
    """The alternative-B1 form; Strg+S (or F2) sends it."""

    COMMAND: ClassVar[str] = "record-alternative-b1"
    TITLE_TEXT: ClassVar[str] = "Alternativen B1-Nachweis erfassen"
    DEFAULT_CSS = """
    AltB1Screen #f-level { width: 8; }
    """

    @property
    def form_name(self) -> str:
        return "alt-b1"

    def compose_fields(self) -> ComposeResult:
        registered = self.participant.registered_on
        note = (
            f"Anmeldung beim Kursträger am {date_de(registered)}: bis dahin vorgelegt?"
            if registered
            else "Anmeldedatum beim Kursträger unbekannt: Vorlagefrist nicht prüfbar."
        )
        yield Static(Content.styled(note, "dim"))
        exam = Input(
            placeholder="z. B. Goethe-Zertifikat B1",
            suggester=SuggestFromList(RECOGNISED_B1_EXAMS, case_sensitive=False),
            compact=True,
        )
        exam.add_class("wide")
        yield field_row("Prüfung", "exam_name", exam, derived=True)
        yield field_row(
            "Niveau", "level", Input(placeholder="B1", max_length=2, compact=True), derived=True
        )
        yield field_row(
            "Ausgestellt am", "issued_on", Input(placeholder="TT.MM.JJJJ", compact=True)
        )
        yield field_row(
            "Vorgelegt am", "presented_on", Input(placeholder="TT.MM.JJJJ", compact=True)
        )

    def check(self, values: dict[str, Any]) -> Check:
        errors: dict[str, str] = {}
        exam = str(values.get("exam_name", "")).strip()
        level = str(values.get("level", "")).strip().upper()
        if not exam:
            errors["exam_name"] = "Prüfung fehlt"
        self._derived("exam_name", self._exam_note(exam))
        if level not in LEVELS:
            errors["level"] = "Niveau A1 bis C2 angeben"
            self._derived("level", Content(""))
        elif level in ("A1", "A2"):
            self._derived("level", Content.from_markup("[$error]unter B1[/]"))
        else:
            self._derived("level", Content.from_markup("[$success]ab B1[/]"))
        dates: dict[str, date] = {}
        for name in ("issued_on", "presented_on"):
            try:
                dates[name] = parse_date(str(values.get(name, "")))
            except ValueError as error:
                errors[name] = str(error)
        if len(dates) == 2 and dates["issued_on"] > dates["presented_on"]:
            errors["presented_on"] = "liegt vor dem Ausstellungsdatum"
        if errors or not exam:
            return Check(
                errors, Content.styled("Noch unvollständig: nichts wird gesendet.", "dim"), []
            )
        proof = AltB1Proof(exam, level, dates["issued_on"], dates["presented_on"])
        check = check_alt_b1(proof, registered_on=self.participant.registered_on)
        if check.valid:
            verdict = Content.from_markup("[b $success]✔ gültig[/]: ersetzt den DTZ (B1).")
        elif check.pending:
            verdict = Content.from_markup(
                "[b $warning]… wartet[/]: zählt erst, wenn der Kursträger das Anmeldedatum meldet."
            )
        else:
            verdict = Content.from_markup(
                "[b $error]✖ nicht anerkannt[/]: der DTZ bleibt maßgeblich."
            )
        lines = [verdict]
        lines.extend(Content.styled(f"· {r.text} ({r.citation})", "dim") for r in check.reasons)
        lines.append(Content.styled("Wird so erfasst; ob er zählt, entscheidet der Dienst.", "dim"))
        return Check(errors, Content("\n").join(lines), [])

    def _exam_note(self, exam: str) -> Content:
        if not exam:
            return Content("")
        if is_recognised_exam(exam):
            return Content.from_markup("[$success]anerkannt[/]")
        return Content.from_markup("[$error]nicht auf der Liste[/]")

    def _derived(self, name: str, content: Content) -> None:
        try:
            self.query_one(f"#d-{name}", Static).update(content)
        except Exception:
            return

    def command_args(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "level": str(values.get("level", "")).strip().upper()}
