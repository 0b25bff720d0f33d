"""The Kennzahlen screen: the office's figures for a period, plotted in the terminal
(textual-plotext) and said in words beside every plot, so that nothing depends on seeing a
colour or a bar. `z` asks for another period or office on the `:` line (`stats …`), `c` writes
every figure as CSV to the documents folder, `r` loads again, Esc goes back.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual_plotext import PlotextPlot

from inge_tui.api.errors import ApiError
from inge_tui.api.models import RateGroup, Stats
from inge_tui.api.stats_text import percent, period_de, summary_lines
from inge_tui.api.words import date_de
from inge_tui.commands.base import Session
from inge_tui.commands.stats import StatsSpec, save_csv
from inge_tui.i18n import N_, _
from inge_tui.widgets.footer import Footer
from inge_tui.widgets.outcome_line import OutcomeLine

ANSI_THEMES = ("ansi", "textual-ansi")


class StatsScreen(Screen[None]):
    """One office, one period: backlog, documents per day, rates, durations, requests."""

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]
    DEFAULT_CSS = """
    StatsScreen #stats-heading { height: auto; padding: 0 1; background: $panel; }
    StatsScreen #stats-body { height: 1fr; scrollbar-gutter: stable; }
    StatsScreen #stats-summary { height: auto; padding: 0 1 1 1; }
    StatsScreen #plots { height: auto; }
    StatsScreen.-wide #plots { layout: horizontal; }
    StatsScreen .plot-box { height: auto; padding: 0 1; }
    StatsScreen.-wide .plot-box { width: 1fr; }
    StatsScreen PlotextPlot { height: 12; }
    StatsScreen .plot-words { height: auto; color: $text-muted; }
    StatsScreen #stats-rates { height: auto; padding: 1 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Zurück"), id="stats.back"),
        Binding("z", "period", N_("Zeitraum"), id="stats.period"),
        Binding("c", "csv", N_("CSV"), id="stats.csv"),
        Binding("r,f5", "reload", N_("Neu laden"), id="stats.reload"),
    ]

    class Loaded(Message):
        def __init__(self, stats: Stats) -> None:
            super().__init__()
            self.stats = stats

    def __init__(self, session: Session, spec: StatsSpec, stats: Stats | None = None) -> None:
        super().__init__()
        self.session = session
        self.spec = spec
        self.stats: Stats | None = None
        self.plotted_width = 0  # the plots' width when last drawn (0: not yet)
        self._first = stats  # fetched already by the command that opened the screen

    def compose(self) -> ComposeResult:
        yield Static(_("Kennzahlen werden geladen …"), id="stats-heading")
        with VerticalScroll(id="stats-body"):
            yield Static("", id="stats-summary")
            with Vertical(id="plots"):
                with Vertical(classes="plot-box"):
                    yield PlotextPlot(id="backlog-plot")
                    yield Static("", id="backlog-words", classes="plot-words")
                with Vertical(classes="plot-box"):
                    yield PlotextPlot(id="documents-plot")
                    yield Static("", id="documents-words", classes="plot-words")
            yield Static("", id="stats-rates")
        yield OutcomeLine()
        yield Footer()

    def on_mount(self) -> None:
        if self._first is not None:
            self.post_message(self.Loaded(self._first))
        else:
            self.load()

    @work(exclusive=True, group="stats", exit_on_error=False)
    async def load(self) -> None:
        spec = self.spec
        try:
            stats = await self.session.client.stats(spec.office, spec.first, spec.last)
        except ApiError as error:
            text = _("Kennzahlen nicht geladen: {error} (r lädt neu)").format(error=error.message)
            self.query_one("#stats-heading", Static).update(Content.styled(text, "$error"))
            return
        self.post_message(self.Loaded(stats))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.stats = stats = message.stats
        heading = Content.assemble(
            (_("Kennzahlen"), "bold"),
            f" · Regionalstelle {stats.office} · {period_de(stats)}",
            (
                _(" · Stand {when}").format(
                    when=f"{stats.generated_at.astimezone():%d.%m.%Y %H:%M}"
                ),
                "dim",
            ),
        )
        self.query_one("#stats-heading", Static).update(heading)
        lines = summary_lines(stats)
        self.query_one("#stats-summary", Static).update("\n".join(lines[1:]))
        self.query_one("#stats-rates", Static).update(rates_table(stats))
        # plotext keeps what it computed at the size of its first drawing: draw the plots once
        # the layout has settled (and again on every resize), from fresh figures
        self.call_after_refresh(self._replot)

    def on_resize(self) -> None:
        self.call_after_refresh(self._replot)

    def _replot(self) -> None:
        if self.stats is not None:
            self._plot_backlog(self.stats)
            self._plot_documents(self.stats)
            self.plotted_width = self.query_one("#backlog-plot", PlotextPlot).size.width

    def _plot_backlog(self, stats: Stats) -> None:
        widget = self.query_one("#backlog-plot", PlotextPlot)
        self._themed(widget)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        labels = [b.label.replace("über ", ">") for b in stats.backlog_by_age]
        counts = [b.count for b in stats.backlog_by_age]
        # horizontal: one row per age bucket, its label in front (tick labels under vertical
        # bars were placed one cell apart from run to run)
        plt.bar(labels, counts, orientation="horizontal", marker="sd", width=0.3)
        ticks, words = whole_ticks(max(counts, default=0))
        plt.xticks(ticks, words)
        plt.xlim(0, ticks[-1])
        plt.title(_("Offene Einträge nach Alter (Tage)"))
        widget.refresh()
        words = " · ".join(f"{b.label}: {b.count}" for b in stats.backlog_by_age)
        said = _("Offen {n}: {words}").format(n=stats.open_entries, words=words)
        self.query_one("#backlog-words", Static).update(said)

    def _plot_documents(self, stats: Stats) -> None:
        widget = self.query_one("#documents-plot", PlotextPlot)
        self._themed(widget)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        days = stats.documents_per_day
        xs = list(range(len(days)))
        plt.plot(xs, [d.zertifikat for d in days], label="Zertifikat", marker="braille")
        plt.plot(xs, [d.bescheinigung for d in days], label="Bescheinigung", marker="braille")
        step = max(1, len(days) // 4)
        ticks = xs[::step]
        plt.xticks(ticks, [f"{days[i].day:%d.%m.}" for i in ticks])
        peak_day = max((max(d.zertifikat, d.bescheinigung) for d in days), default=0)
        plt.yticks(*whole_ticks(peak_day))
        plt.title(_("Dokumente je Tag"))
        widget.refresh()
        total = sum(d.zertifikat + d.bescheinigung for d in days)
        busiest = max(days, key=lambda d: d.zertifikat + d.bescheinigung)
        peak = busiest.zertifikat + busiest.bescheinigung
        text = (
            _("{total} Dokumente in {days} Tagen, am meisten {peak} am {date}").format(
                total=total, days=len(days), peak=peak, date=date_de(busiest.day)
            )
            if total
            else _("Keine Dokumente in {days} Tagen").format(days=len(days))
        )
        self.query_one("#documents-words", Static).update(text)

    def _themed(self, widget: PlotextPlot) -> None:
        """A fixed plotext theme: the terminal's own colours in the `ansi` theme and on light
        themes, plotext's dark one on dark themes (its `auto` theme is registered once per
        process and drew differently depending on which theme came first)."""
        dark = self.app.current_theme.dark and self.app.theme not in ANSI_THEMES
        widget.theme = "dark" if dark else "clear"

    def action_back(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self.load()

    def action_period(self) -> None:
        """The `:` line with `stats ` typed in; the new figures replace these, a refusal
        leaves them on screen."""
        self.app.action_prompt("stats")  # type: ignore[attr-defined]

    @work(group="stats-csv", exit_on_error=False)
    async def action_csv(self) -> None:
        stats = self.stats
        if stats is None:
            self.notify(_("Noch keine Kennzahlen geladen."), severity="warning", markup=False)
            return
        name = f"kennzahlen-{stats.office}-{stats.period_from:%Y%m%d}-{stats.period_to:%Y%m%d}.csv"
        try:
            target = await save_csv(stats, name, self.session.documents_folder())
        except OSError as error:
            said = _("CSV nicht gespeichert: {error}").format(error=error)
            self.notify(said, severity="error", markup=False)
            return
        self.notify(_("Kennzahlen als CSV: {path}").format(path=target), markup=False)


def whole_ticks(top: int, count: int = 4) -> tuple[list[int], list[str]]:
    """Whole-number ticks from 0 to at least `top` (counts have no decimals)."""
    step = max(1, -(-top // count))
    values = list(range(0, max(top, 1) + step, step))
    return values, [str(v) for v in values]


def rates_table(stats: Stats) -> Content:
    """The rates by course type and by Prüfstelle as an aligned text table."""
    lines = [Content.styled(_("DTZ B1 und LiD bestanden, Eingang im Zeitraum"), "bold")]
    cases = _("Fälle")

    def block(title: str, groups: list[RateGroup]) -> None:
        lines.append(Content.styled(f"{title[:36]:<36} {cases:>6} {'B1':>12} {'LiD':>12}", "dim"))
        for g in groups:
            b1 = f"{percent(g.b1_rate)} ({g.dtz_b1})"
            lid = f"{percent(g.lid_rate)} ({g.lid_passed})"
            lines.append(Content(f"{g.label[:36]:<36} {g.entries:>6} {b1:>12} {lid:>12}"))

    block(_("Kursart"), [stats.total, *stats.by_course_type])
    lines.append(Content(""))
    block(_("Prüfstelle (gewerteter DTZ)"), stats.by_exam_center[:12])
    if len(stats.by_exam_center) > 12:
        rest = len(stats.by_exam_center) - 12
        said = _("… {n} weitere (c: alle als CSV)").format(n=rest)
        lines.append(Content.styled(said, "dim"))
    return Content("\n").join(lines)
