"""The two exam results of a case as cards: the DTZ with its parts, the LiD with its points.

Each card shows the sitting the decision counts (the service marks it, domain.md A.11) with
what the service reported (points, maximum, level, overall level, source and date), and one
line for each other sitting with why it does not count; it derives nothing itself. Side by side
on a wide terminal, stacked at 80 columns (the screen decides the layout).
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from inge_tui.api.models import AlternativeB1, DtzResult, Level, LidResult, Part
from inge_tui.api.words import PART_NAMES, date_de, level_label, points_de

LEVEL_STYLE = {Level.B1: "$success", Level.A2: "$warning", Level.UNTER_A2: "$error"}
SOURCE_NAMES = {"webservice": "Web-Service", "paper": "Papier"}
LID_MAXIMUM = 33
LID_PASS = 15
LID_NATURALISATION = 17


def level_content(level: Level | str | None, *, width: int = 0) -> Content:
    """A level in its colour: B1 green, A2 amber, unter A2 red."""
    if level is None:
        return Content("–".ljust(width))
    text = level_label(level).ljust(width)
    return Content.from_markup(f"[b {LEVEL_STYLE[Level(level)]}]$text[/]", text=text)


def dtz_content(
    dtz: DtzResult | None,
    alternative: AlternativeB1 | None = None,
    *,
    self_payer: bool = False,
    others: list[DtzResult] | tuple[DtzResult, ...] = (),
) -> Content:
    """The DTZ card's text: the counted sitting, then the others."""
    lines: list[Content] = []
    if dtz is None:
        hint = (
            "Selbstzahler: Ergebnis vom Papierbogen erfassen (Taste d)"
            if self_payer
            else "noch nicht von der Prüfstelle übermittelt"
        )
        lines.append(Content.from_markup("[b]DTZ[/b]  [dim]kein Ergebnis:[/] $hint", hint=hint))
    else:
        source = SOURCE_NAMES.get(dtz.source, dtz.source)
        flags = " · korrigiert" if dtz.corrected else ""
        flags += " · gewertet" if dtz.counted else ""
        lines.append(
            Content.from_markup(
                "[b]DTZ[/b] · $source · $date · $center$flags",
                source=source,
                date=date_de(dtz.exam_date),
                center=dtz.exam_center,
                flags=flags,
            )
        )
        if dtz.capture_reason:
            lines.append(Content.styled(f"  Papier, weil: {dtz.capture_reason}", "dim"))
        if dtz.aborted:
            lines.append(
                Content.from_markup(
                    "  [b $error]abgebrochen[/]: gilt als nicht bestanden (§ 9 Abs. 2 IntTestV)"
                )
            )
        for part in () if dtz.aborted else Part:
            result = dtz.parts.get(part)
            label = PART_NAMES[part].ljust(12)
            if result is None:
                lines.append(Content.from_markup("  $label [dim]fehlt noch[/]", label=label))
                continue
            points = f"{points_de(result.points):>5} / {points_de(result.maximum):<3}"
            lines.append(Content.assemble(f"  {label} {points}  ", level_content(result.level)))
        overall = (
            level_content(dtz.overall)
            if dtz.complete
            else Content.from_markup("[dim]offen (unvollständig)[/]")
        )
        lines.append(Content.assemble(("  Gesamt".ljust(28), "bold"), overall))
    lines.extend(_other_dtz(dtz, others))
    if alternative is not None:
        verdict = (
            "[$success]anerkannt[/]"
            if alternative.valid
            else "[$warning]wartet auf das Anmeldedatum[/]"
            if alternative.pending
            else "[$error]nicht anerkannt[/]"
        )
        lines.append(
            Content.from_markup(
                f"[b]B1-Nachweis[/b] $name ($level, ausgestellt $issued) {verdict}",
                name=alternative.exam_name,
                level=alternative.level,
                issued=date_de(alternative.issued_on),
            )
        )
    return Content("\n").join(lines)


def _other_dtz(
    shown: DtzResult | None, others: list[DtzResult] | tuple[DtzResult, ...]
) -> list[Content]:
    """One line per other sitting: day, source, level, and why it does not count."""
    lines = []
    for other in others:
        if other is shown or other == shown:
            continue
        level = (
            "abgebrochen"
            if other.aborted
            else level_label(other.overall)
            if other.complete
            else "unvollständig"
        )
        why = (
            "nicht gewertet: zählt nicht (Selbstzahler oder Papier neben Web-Service)"
            if not other.countable
            else "nicht gewertet"
        )
        lines.append(
            Content.styled(
                f"  weiterer DTZ {date_de(other.exam_date)} · "
                f"{SOURCE_NAMES.get(other.source, other.source)} · {level} · {why}",
                "dim",
            )
        )
    return lines


def lid_content(
    lid: LidResult | None, others: list[LidResult] | tuple[LidResult, ...] = ()
) -> Content:
    """The LiD card's text, with the 17-point naturalisation note and the other sittings."""
    if lid is None:
        return Content.from_markup("[b]LiD[/b]  [dim]kein Ergebnis: noch nicht von OET erfasst[/]")
    verdict = (
        Content.from_markup("[b $success]bestanden[/]")
        if lid.passed
        else Content.from_markup(f"[b $error]nicht bestanden[/] (ab {LID_PASS})")
    )
    flags = " · korrigiert" if lid.corrected else ""
    flags += " · gewertet" if lid.counted else ""
    naturalisation = "[$success]erreicht[/]" if lid.naturalisation else "[dim]nicht erreicht[/]"
    return Content("\n").join(
        [
            Content.from_markup(
                "[b]LiD[/b] · Leben in Deutschland · $date$flags",
                date=date_de(lid.exam_date),
                flags=flags,
            ),
            Content.assemble(
                f"  {'Punkte'.ljust(12)} {lid.points:>5} / {LID_MAXIMUM:<3}  ", verdict
            ),
            Content.from_markup(
                f"  {'Einbürgerung'.ljust(13)} ab {LID_NATURALISATION} Punkten: {naturalisation}"
            ),
            Content.from_markup("  [dim]§ 10 Abs. 3 IntTestV; § 10 Abs. 1 Satz 1 Nr. 7 StAG[/]"),
            *(
                Content.styled(
                    f"  weiterer LiD {date_de(o.exam_date)} · {o.points} Punkte · nicht gewertet",
                    "dim",
                )
                for o in others
                if o != lid
            ),
        ]
    )


class DtzCard(Static):
    """The DTZ result: parts with points, maximum and level; overall level; source and date."""

    DEFAULT_CSS = """
    DtzCard { height: auto; padding: 0 1; }
    """

    def show(
        self,
        dtz: DtzResult | None,
        alternative: AlternativeB1 | None = None,
        *,
        self_payer: bool = False,
        others: list[DtzResult] | tuple[DtzResult, ...] = (),
    ) -> None:
        self.update(dtz_content(dtz, alternative, self_payer=self_payer, others=others))


class LidCard(Static):
    """The LiD result: points of 33, passed or not, the naturalisation note."""

    DEFAULT_CSS = """
    LidCard { height: auto; padding: 0 1; }
    """

    def show(
        self, lid: LidResult | None, *, others: list[LidResult] | tuple[LidResult, ...] = ()
    ) -> None:
        self.update(lid_content(lid, others))
