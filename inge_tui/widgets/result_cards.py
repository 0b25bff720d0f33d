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
from inge_tui.api.words import PART_LABELS, date_de, level_label, points_de
from inge_tui.i18n import N_, _

LEVEL_STYLE = {Level.B1: "$success", Level.A2: "$warning", Level.UNTER_A2: "$error"}
SOURCE_NAMES = {"webservice": N_("Web-Service"), "paper": N_("Papier")}  # shown through _

LID_MAXIMUM = 33
LID_PASS = 15
LID_NATURALISATION = 17


def level_content(level: Level | str | None, *, width: int = 0) -> Content:
    """A level in its colour: B1 green, A2 amber, unter A2 red."""
    if level is None:
        return Content("–".ljust(width))
    text = _(level_label(level)).ljust(width)
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
            _("Selbstzahler: Ergebnis vom Papierbogen erfassen (Taste d)")
            if self_payer
            else _("noch nicht von der Prüfstelle übermittelt")
        )
        lines.append(
            Content.from_markup(
                "[b]DTZ[/b]  [dim]$none[/] $hint", none=_("kein Ergebnis:"), hint=hint
            )
        )
    else:
        source = _source(dtz.source)
        flags = _(" · korrigiert") if dtz.corrected else ""
        flags += _(" · gewertet") if dtz.counted else ""
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
            said = _("  Papier, weil: {reason}").format(reason=dtz.capture_reason)
            lines.append(Content.styled(said, "dim"))
        if dtz.aborted:
            lines.append(
                Content.from_markup(
                    "  [b $error]$aborted[/]: $why (§ 9 Abs. 2 IntTestV)",
                    aborted=_("abgebrochen"),
                    why=_("gilt als nicht bestanden"),
                )
            )
        # the labels' column as wide as the widest label needs (12 in German)
        width = max(12, *(len(_(label)) for label in PART_LABELS.values()))
        for part in () if dtz.aborted else Part:
            result = dtz.parts.get(part)
            label = _(PART_LABELS[part]).ljust(width)
            if result is None:
                lines.append(
                    Content.from_markup(
                        "  $label [dim]$missing[/]", label=label, missing=_("fehlt noch")
                    )
                )
                continue
            points = f"{points_de(result.points):>5} / {points_de(result.maximum):<3}"
            lines.append(Content.assemble(f"  {label} {points}  ", level_content(result.level)))
        overall = (
            level_content(dtz.overall)
            if dtz.complete
            else Content.styled(_("offen (unvollständig)"), "dim")
        )
        total = ("  " + _("Gesamt")).ljust(width + 16)
        lines.append(Content.assemble((total, "bold"), overall))
    lines.extend(_other_dtz(dtz, others))
    if alternative is not None:
        verdict = (
            Content.styled(_("anerkannt"), "$success")
            if alternative.valid
            else Content.styled(_("wartet auf das Anmeldedatum"), "$warning")
            if alternative.pending
            else Content.styled(_("nicht anerkannt"), "$error")
        )
        said = _("{name} ({level}, ausgestellt {date})").format(
            name=alternative.exam_name,
            level=alternative.level,
            date=date_de(alternative.issued_on),
        )
        lines.append(Content.assemble((_("B1-Nachweis"), "bold"), " ", said, " ", verdict))
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
            _("abgebrochen")
            if other.aborted
            else _(level_label(other.overall))
            if other.complete
            else _("unvollständig")
        )
        why = (
            _("nicht gewertet: zählt nicht (Selbstzahler oder Papier neben Web-Service)")
            if not other.countable
            else _("nicht gewertet")
        )
        said = _("  weiterer DTZ {date} · {source} · {level} · {why}").format(
            date=date_de(other.exam_date), source=_source(other.source), level=level, why=why
        )
        lines.append(Content.styled(said, "dim"))
    return lines


def lid_content(
    lid: LidResult | None, others: list[LidResult] | tuple[LidResult, ...] = ()
) -> Content:
    """The LiD card's text, with the 17-point naturalisation note and the other sittings."""
    if lid is None:
        return Content.from_markup(
            "[b]LiD[/b]  [dim]$none[/]", none=_("kein Ergebnis: noch nicht von OET erfasst")
        )
    verdict = (
        Content.styled(_("bestanden"), "bold $success")
        if lid.passed
        else Content.assemble(
            (_("nicht bestanden"), "bold $error"),
            _(" (ab {points})").format(points=LID_PASS),
        )
    )
    flags = _(" · korrigiert") if lid.corrected else ""
    flags += _(" · gewertet") if lid.counted else ""
    naturalisation = (
        Content.styled(_("erreicht"), "$success")
        if lid.naturalisation
        else Content.styled(_("nicht erreicht"), "dim")
    )
    points_label, naturalisation_label = _("Punkte"), _("Einbürgerung")
    width = max(12, len(points_label), len(naturalisation_label) - 1)
    from_points = _("ab {n} Punkten:").format(n=LID_NATURALISATION)
    return Content("\n").join(
        [
            Content.from_markup(
                "[b]LiD[/b] · Leben in Deutschland · $date$flags",
                date=date_de(lid.exam_date),
                flags=flags,
            ),
            Content.assemble(
                f"  {points_label.ljust(width)} {lid.points:>5} / {LID_MAXIMUM:<3}  ", verdict
            ),
            Content.assemble(
                f"  {naturalisation_label.ljust(width + 1)} {from_points} ", naturalisation
            ),
            Content.from_markup("  [dim]§ 10 Abs. 3 IntTestV; § 10 Abs. 1 Satz 1 Nr. 7 StAG[/]"),
            *(
                Content.styled(
                    _("  weiterer LiD {date} · {n} Punkte · nicht gewertet").format(
                        date=date_de(o.exam_date), n=o.points
                    ),
                    "dim",
                )
                for o in others
                if o != lid
            ),
        ]
    )


def _source(source: str) -> str:
    """Where a DTZ result came from, in words; the service's value if it is a new one."""
    word = SOURCE_NAMES.get(source)
    return _(word) if word is not None else source


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
