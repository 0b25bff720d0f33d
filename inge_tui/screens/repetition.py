"""Decide an application to repeat the language course (R13, R14, R15): the service's
assessment under the rules in force on the day of receipt (each condition with its rule id and
citation), then approve (at most 300 UE; waiving the DTZ condition only with a written reason)
or reject (with a reason). A confirmation says exactly what will happen before it is sent.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, RadioSet, Static

from inge_tui.api.models import RepetitionApplication, RepetitionAssessmentOut
from inge_tui.api.words import date_de
from inge_tui.commands.base import Session
from inge_tui.commands.case_decisions import repetition_summary
from inge_tui.commands.parsing import parse_hours
from inge_tui.domain.rulesets import WIEDERHOLUNG, ruleset_words
from inge_tui.drafts import DraftStore
from inge_tui.i18n import N_
from inge_tui.screens.forms import CaseForm, Check, field_row
from inge_tui.widgets.toggles import ShapedCheckbox, ShapedRadioButton

MAX_HOURS = 300


def conditions_content(
    out: RepetitionAssessmentOut | None, received_on: date | None = None
) -> Content:
    """The rules' verdict, why these rules (in words, from the date of receipt), each
    condition with its mark."""
    if out is None:
        return Content.styled("Der Dienst hat keine Bewertung geliefert.", "$error")
    verdict = (
        "[b $warning]wartet: eine Voraussetzung ist noch nicht erfüllt[/]"
        if out.waiting
        else "[b $success]bewilligungsfähig[/]"
        if out.eligible
        else "[b $warning]nur mit Verzicht auf die DTZ-Voraussetzung[/]"
        if out.eligible_with_waiver
        else "[b $error]nicht bewilligungsfähig[/]"
    )
    mandatory = " · Zulassung zwingend (§ 44a AufenthG)" if out.mandatory else ""
    lines = [
        Content.from_markup(
            f"{verdict} · höchstens $max UE$mandatory",
            max=str(out.max_hours),
            mandatory=mandatory,
        )
    ]
    if received_on is not None:
        why = ruleset_words(WIEDERHOLUNG, received_on, "Antrag eingegangen")
        lines.append(Content.styled(f"Regeln: {why} ({out.rules_version})", "dim"))
    else:
        lines.append(Content.styled(f"Regeln: {out.rules_version}", "dim"))
    for c in out.conditions:
        mark = (
            "[b $success]✔[/]"
            if c.met
            else "[dim]·[/]"
            if not c.required
            else "[b $warning]…[/]"
            if c.pending
            else "[b $error]✖[/]"
        )
        waivable = " [$warning](verzichtbar)[/]" if c.waivable and not c.met else ""
        waivable += " [$warning](wartet)[/]" if c.pending and not c.met else ""
        waivable += " [dim](nur festgehalten)[/]" if not c.required else ""
        lines.append(
            Content.from_markup(
                f"{mark} [dim]$rule[/] $text{waivable} [dim]($cite)[/]",
                rule=c.rule_id,
                text=c.text,
                cite=c.citation,
            )
        )
    return Content("\n").join(lines)


class RepetitionScreen(CaseForm):
    """One application; Strg+S (or F2) asks for confirmation, then decides."""

    COMMAND: ClassVar[str] = "decide-repetition"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f2", "submit", N_("Entscheiden"), id="form.submit"),
    ]
    TITLE_TEXT: ClassVar[str] = "Wiederholungsantrag entscheiden"
    DEFAULT_CSS = """
    RepetitionScreen #conditions { height: auto; margin-bottom: 1; }
    RepetitionScreen #f-decision { width: auto; layout: horizontal; border: none; }
    RepetitionScreen #f-decision > RadioButton { width: auto; margin-right: 2; }
    RepetitionScreen #f-hours { width: 8; }
    """

    def __init__(
        self,
        session: Session,
        application: RepetitionApplication,
        *,
        drafts: DraftStore | None = None,
    ) -> None:
        super().__init__(session, drafts=drafts)
        self.application = application
        out = application.assessment
        self.assessment = out
        self.max_hours = min(MAX_HOURS, out.max_hours if out else MAX_HOURS)

    @property
    def form_name(self) -> str:
        return f"repetition-{self.application.application_id}"

    def head(self) -> Content:
        a = self.application
        start = date_de(a.repetition_starts_on) if a.repetition_starts_on else "–"
        return Content("\n").join(
            [
                super().head(),
                Content(
                    f"Antrag {a.application_id} · eingegangen {date_de(a.received_on)} · "
                    f"beantragt {a.requested_hours} UE · Bestätigung Kursträger: "
                    f"{'ja' if a.provider_confirmation else 'nein'} · Beginn {start}"
                ),
            ]
        )

    def compose_fields(self) -> ComposeResult:
        yield Static(
            conditions_content(self.application.assessment, self.application.received_on),
            id="conditions",
        )
        waivable = self.assessment is not None and not self.assessment.eligible
        approve_first = self.assessment is None or self.assessment.eligible_with_waiver
        yield field_row(
            "Entscheidung",
            "decision",
            RadioSet(
                ShapedRadioButton("bewilligen", value=approve_first, id="approve"),
                ShapedRadioButton("ablehnen", value=not approve_first, id="reject"),
                compact=True,
            ),
        )
        hours = Input(
            str(min(self.application.requested_hours, self.max_hours)),
            restrict=r"[0-9]*",
            max_length=4,
            compact=True,
        )
        yield field_row("Stunden (UE)", "hours", hours, derived=True)
        yield field_row(
            "Verzicht",
            "waive",
            ShapedCheckbox(
                "auf die DTZ-Voraussetzung verzichten", disabled=not waivable, compact=True
            ),
        )
        reason = Input(placeholder="Begründung (Pflicht bei Ablehnung und Verzicht)", compact=True)
        reason.add_class("wide")
        yield field_row("Begründung", "reason", reason)

    def _decision(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """The decision as the service reads it, or what keeps it from being one (per field)."""
        decision = str(values.get("decision") or "")
        waive = bool(values.get("waive")) and decision == "approve"
        reason = str(values.get("reason", "")).strip()
        errors: dict[str, str] = {}
        hours: int | None = None
        if decision not in ("approve", "reject"):
            errors["decision"] = "bewilligen oder ablehnen wählen"
        if decision == "approve":
            try:
                hours = parse_hours(values.get("hours"), limit=self.max_hours)
            except ValueError as error:
                errors["hours"] = str(error)
        if not reason and (decision == "reject" or waive):
            errors["reason"] = (
                "Begründung für die Ablehnung fehlt"
                if decision == "reject"
                else "Begründung für den Verzicht fehlt"
            )
        decided = {"decision": decision, "hours": hours, "waive": waive, "reason": reason}
        return decided, errors

    async def ask_service(self, values: dict[str, Any]) -> RepetitionApplication | None:
        decided, errors = self._decision(values)
        if errors:
            return None
        return await self.session.client.decide_repetition(
            self.application.application_id,
            decision=decided["decision"],
            hours=decided["hours"],
            waive_dtz_condition=decided["waive"],
            reason=decided["reason"] or None,
            dry_run=True,
        )

    def check(self, values: dict[str, Any]) -> Check:
        decided, errors = self._decision(values)
        self._hours_note(decided["decision"])
        answer = self.answered(values)
        if errors:
            summary = Content.styled("Noch unvollständig: nichts wird entschieden.", "dim")
        elif answer is not None and answer.problems:
            summary = Content.from_markup("[b $error]So nach den Regeln nicht zulässig:[/]")
        else:
            text = repetition_summary(
                self.application,
                decided["decision"],
                decided["hours"],
                decided["waive"],
                decided["reason"],
            )
            summary = Content.from_markup("→ [b]$text[/b]", text=text)
            if answer is None:
                summary = Content.assemble(summary, ("  (der Dienst prüft …)", "dim"))
        return Check(errors, summary, [])

    def _hours_note(self, decision: str) -> None:
        try:
            note = self.query_one("#d-hours", Static)
        except Exception:
            return
        text = f"höchstens {self.max_hours} UE" if decision == "approve" else "nur bei Bewilligung"
        note.update(Content.styled(text, "dim"))

    def confirmation(self, values: dict[str, Any]) -> Content | None:
        decision = str(values["decision"])
        hours = int(values["hours"]) if decision == "approve" else None
        waive = bool(values.get("waive")) and decision == "approve"
        text = repetition_summary(
            self.application, decision, hours, waive, str(values.get("reason", ""))
        )
        return Content.from_markup("[b]$text[/b]\n\nSo entscheiden?", text=text)

    def command_args(self, values: dict[str, Any]) -> dict[str, Any]:
        decision = str(values["decision"])
        return {
            "application": self.application.application_id,
            "decision": decision,
            "hours": str(values.get("hours", "")) if decision == "approve" else None,
            "waive": bool(values.get("waive")) and decision == "approve",
            "reason": str(values.get("reason", "")),
        }
