"""Capture a DTZ from the paper result: as points are typed, each part's level and the overall
level appear, as the service scores them with its own thresholds (`POST /v1/scoring/dtz`;
R1, R2). For a self-payer this is the way the result comes in; for anyone else it is the
exception when the web service did not deliver, and the form asks why (R8: the service refuses
it without a reason).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Static

from inge_tui.api.models import DtzScore, Level, Part
from inge_tui.api.words import PART_LABELS, date_de, points_de, today
from inge_tui.commands.parsing import parse_date, parse_points
from inge_tui.i18n import N_, _, pgettext
from inge_tui.screens.forms import CaseForm, Check, field_row
from inge_tui.widgets.result_cards import level_content

DATE_HINT = N_("TT.MM.JJJJ")  # shown through _


def part_label(part: Part) -> str:
    """A part's name as the form's label column (16 wide) has room for."""
    # TRANSLATORS: a label in a column 16 characters wide (the DTZ part Hören/Lesen)
    listening = pgettext("form label", "Hören/Lesen")
    return listening if part is Part.HOEREN_LESEN else _(PART_LABELS[part])


class PaperDtzScreen(CaseForm):
    """The paper DTZ form; Strg+S (or F2) sends it."""

    COMMAND: ClassVar[str] = "capture-paper-dtz"
    TITLE_TEXT: ClassVar[str] = N_("DTZ vom Papierbogen erfassen")
    DEFAULT_CSS = """
    PaperDtzScreen Input.points { width: 10; }
    PaperDtzScreen .maximum { width: 10; color: $text-muted; }
    """

    @property
    def form_name(self) -> str:
        return "paper-dtz"

    @property
    def self_payer(self) -> bool:
        return bool(self.participant and self.participant.self_payer)

    def compose_fields(self) -> ComposeResult:
        intro = (
            _("Selbstzahler: das Ergebnis kommt nicht per Web-Service. ")
            if self.self_payer
            else _(
                "Kein Selbstzahler: nur wenn der Web-Service das Ergebnis nicht geliefert hat, "
                "mit Grund; ein übermitteltes Ergebnis ersetzt es nie. "
            )
        )
        yield Static(
            Content.styled(
                intro
                + _(
                    "Punkte wie auf dem Ergebnisbogen eintragen; halbe Punkte (Sprechen) mit Komma."
                ),
                "dim",
            )
        )
        if not self.self_payer:
            yield field_row(
                _("Grund"),
                "capture_reason",
                Input(placeholder=_("warum vom Papier (mind. 20 Zeichen)"), compact=True),
            )
        yield field_row(
            _("Prüfungsdatum"), "exam_date", Input(placeholder=_(DATE_HINT), compact=True)
        )
        yield field_row(
            _("Prüfstelle"),
            "exam_center",
            Input(placeholder=_("Name der Prüfstelle"), compact=True),
        )
        for part in Part:
            box = Input(placeholder=_("Punkte"), compact=True)
            box.add_class("points")
            row = field_row(part_label(part), part.value, box, derived=True)
            yield row
        yield Static("", id="overall")

    def _points(self, values: dict[str, Any]) -> tuple[dict[Part, float], dict[str, str]]:
        points: dict[Part, float] = {}
        errors: dict[str, str] = {}
        for part in Part:
            try:
                points[part] = parse_points(str(values.get(part.value, "")))
            except ValueError as error:
                errors[part.value] = str(error)
        return points, errors

    async def ask_service(self, values: dict[str, Any]) -> DtzScore | None:
        points, _errors = self._points(values)
        if not points:
            return None
        return await self.session.client.score_dtz({p.value: v for p, v in points.items()})

    def check(self, values: dict[str, Any]) -> Check:
        points, errors = self._points(values)
        answer = self.answered(values)
        score = answer.data if answer is not None else None
        levels: dict[Part, Level] = {}
        for part in Part:
            derived = self._derived(part)
            result = score.parts.get(part) if isinstance(score, DtzScore) else None
            if result is not None and part.value not in self.service.errors:
                levels[part] = result.level
            if derived is None:
                continue
            if result is not None and part in levels:
                maximum = points_de(result.maximum)
                derived.update(
                    Content.assemble(
                        (_("von {maximum}  → ").format(maximum=maximum), "dim"),
                        level_content(result.level),
                    )
                )
            else:
                derived.update(Content.styled("…" if part in points else "", "dim"))
        exam_date = None
        try:
            exam_date = parse_date(str(values.get("exam_date", "")))
        except ValueError as error:
            errors["exam_date"] = str(error)
        center = str(values.get("exam_center", "")).strip()
        if not center:
            errors["exam_center"] = _("Prüfstelle fehlt")
        if exam_date is not None and exam_date > today():
            errors["exam_date"] = _("liegt in der Zukunft")
        if not self.self_payer and not str(values.get("capture_reason", "")).strip():
            errors["capture_reason"] = _("Grund fehlt (kein Selbstzahler)")
        overall = score.overall if isinstance(score, DtzScore) and len(levels) == 3 else None
        self._show_overall(overall)
        return Check(errors, self._summary(overall, exam_date, center, points), [])

    def _derived(self, part: Part) -> Static | None:
        try:
            return self.query_one(f"#d-{part.value}", Static)
        except Exception:
            return None

    def _show_overall(self, overall: Level | None) -> None:
        try:
            target = self.query_one("#overall", Static)
        except Exception:
            return
        if overall is None:
            target.update(
                Content.styled(_("Gesamt: erscheint, sobald alle drei Teile stimmen"), "dim")
            )
        else:
            target.update(
                Content.assemble((_("Gesamtergebnis  → "), "bold"), level_content(overall))
            )

    def _summary(
        self, overall: Level | None, exam_date: Any, center: str, points: dict[Part, float]
    ) -> Content:
        if overall is None or exam_date is None or not center:
            return Content.styled(_("Noch unvollständig: nichts wird gesendet."), "dim")
        parts = ", ".join(f"{_(PART_LABELS[p])} {points_de(v)}" for p, v in points.items())
        return Content.assemble(
            _("Wird erfasst: DTZ (Papier) vom "),
            (date_de(exam_date), "bold"),
            f", {center}: {parts} → ",
            level_content(overall),
            _(". Das Dokument bestimmt danach der Dienst."),
        )
