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
from inge_tui.domain.said import said
from inge_tui.drafts import DraftStore
from inge_tui.i18n import N_, _, spoken
from inge_tui.screens.forms import CaseForm, Check, field_row
from inge_tui.widgets.toggles import ShapedCheckbox, ShapedRadioButton

MAX_HOURS = 300


def conditions_content(
    out: RepetitionAssessmentOut | None, received_on: date | None = None
) -> Content:
    """The rules' verdict, why these rules (in words, from the date of receipt), each
    condition with its mark."""
    if out is None:
        return Content.styled(_("Der Dienst hat keine Bewertung geliefert."), "$error")
    verdict = (
        Content.styled(_("wartet: eine Voraussetzung ist noch nicht erfüllt"), "bold $warning")
        if out.waiting
        else Content.styled(_("bewilligungsfähig"), "bold $success")
        if out.eligible
        else Content.styled(_("nur mit Verzicht auf die DTZ-Voraussetzung"), "bold $warning")
        if out.eligible_with_waiver
        else Content.styled(_("nicht bewilligungsfähig"), "bold $error")
    )
    mandatory = _(" · Zulassung zwingend (§ 44a AufenthG)") if out.mandatory else ""
    most = _(" · höchstens {hours} UE").format(hours=out.max_hours)
    lines = [Content.assemble(verdict, most, mandatory)]
    if received_on is not None:
        # the rule set's words come from the domain (German, made with `said`)
        why = spoken(ruleset_words(WIEDERHOLUNG, received_on, said("Antrag eingegangen")))
        rules = _("Regeln: {why} ({version})").format(why=why, version=out.rules_version)
        lines.append(Content.styled(rules, "dim"))
    else:
        rules = _("Regeln: {version}").format(version=out.rules_version)
        lines.append(Content.styled(rules, "dim"))
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
        notes = [
            *([(_("(verzichtbar)"), "$warning")] if c.waivable and not c.met else []),
            *([(_("(wartet)"), "$warning")] if c.pending and not c.met else []),
            *([(_("(nur festgehalten)"), "dim")] if not c.required else []),
        ]
        lines.append(
            Content.assemble(
                Content.from_markup(f"{mark} [dim]$rule[/] $text", rule=c.rule_id, text=c.text),
                *(Content.assemble(" ", (note, style)) for note, style in notes),
                Content.from_markup(" [dim]($cite)[/]", cite=c.citation),
            )
        )
    return Content("\n").join(lines)


class RepetitionScreen(CaseForm):
    """One application; Strg+S (or F2) asks for confirmation, then decides."""

    COMMAND: ClassVar[str] = "decide-repetition"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f2", "submit", N_("Entscheiden"), id="form.submit"),
    ]
    TITLE_TEXT: ClassVar[str] = N_("Wiederholungsantrag entscheiden")
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
                    _(
                        "Antrag {id} · eingegangen {date} · beantragt {hours} UE · Bestätigung "
                        "Kursträger: {confirmed} · Beginn {start}"
                    ).format(
                        id=a.application_id,
                        date=date_de(a.received_on),
                        hours=a.requested_hours,
                        confirmed=_("ja") if a.provider_confirmation else _("nein"),
                        start=start,
                    )
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
            _("Entscheidung"),
            "decision",
            RadioSet(
                ShapedRadioButton(_("bewilligen"), value=approve_first, id="approve"),
                ShapedRadioButton(_("ablehnen"), value=not approve_first, id="reject"),
                compact=True,
            ),
        )
        hours = Input(
            str(min(self.application.requested_hours, self.max_hours)),
            restrict=r"[0-9]*",
            max_length=4,
            compact=True,
        )
        yield field_row(_("Stunden (UE)"), "hours", hours, derived=True)
        yield field_row(
            _("Verzicht"),
            "waive",
            ShapedCheckbox(
                _("auf die DTZ-Voraussetzung verzichten"), disabled=not waivable, compact=True
            ),
        )
        reason = Input(
            placeholder=_("Begründung (Pflicht bei Ablehnung und Verzicht)"), compact=True
        )
        reason.add_class("wide")
        yield field_row(_("Begründung"), "reason", reason)

    def _decision(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """The decision as the service reads it, or what keeps it from being one (per field)."""
        decision = str(values.get("decision") or "")
        waive = bool(values.get("waive")) and decision == "approve"
        reason = str(values.get("reason", "")).strip()
        errors: dict[str, str] = {}
        hours: int | None = None
        if decision not in ("approve", "reject"):
            errors["decision"] = _("bewilligen oder ablehnen wählen")
        if decision == "approve":
            try:
                hours = parse_hours(values.get("hours"), limit=self.max_hours)
            except ValueError as error:
                errors["hours"] = str(error)
        if not reason and (decision == "reject" or waive):
            errors["reason"] = (
                _("Begründung für die Ablehnung fehlt")
                if decision == "reject"
                else _("Begründung für den Verzicht fehlt")
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
            summary = Content.styled(_("Noch unvollständig: nichts wird entschieden."), "dim")
        elif answer is not None and answer.problems:
            summary = Content.styled(_("So nach den Regeln nicht zulässig:"), "bold $error")
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
                summary = Content.assemble(summary, (_("  (der Dienst prüft …)"), "dim"))
        return Check(errors, summary, [])

    def _hours_note(self, decision: str) -> None:
        try:
            note = self.query_one("#d-hours", Static)
        except Exception:
            return
        text = (
            _("höchstens {hours} UE").format(hours=self.max_hours)
            if decision == "approve"
            else _("nur bei Bewilligung")
        )
        note.update(Content.styled(text, "dim"))

    def confirmation(self, values: dict[str, Any]) -> Content | None:
        decision = str(values["decision"])
        hours = int(values["hours"]) if decision == "approve" else None
        waive = bool(values.get("waive")) and decision == "approve"
        text = repetition_summary(
            self.application, decision, hours, waive, str(values.get("reason", ""))
        )
        return Content.from_markup(
            "[b]$text[/b]\n\n$question", text=text, question=_("So entscheiden?")
        )

    def command_args(self, values: dict[str, Any]) -> dict[str, Any]:
        decision = str(values["decision"])
        return {
            "application": self.application.application_id,
            "decision": decision,
            "hours": str(values.get("hours", "")) if decision == "approve" else None,
            "waive": bool(values.get("waive")) and decision == "approve",
            "reason": str(values.get("reason", "")),
        }
