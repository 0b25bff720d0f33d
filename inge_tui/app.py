"""The Textual app. For now a placeholder screen; the caseworker app fills it (issue 4)."""

from __future__ import annotations

import argparse

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static


class IngeApp(App[int]):
    TITLE = "inge-tui"
    SUB_TITLE = "Postkorb der Regionalstelle"
    BINDINGS = [
        Binding("q", "quit", "Beenden", id="app.quit"),
        Binding("ctrl+q", "quit", "Beenden", show=False, id="app.quit_ctrl"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Demo-Daten: der Postkorb folgt.", id="placeholder")
        yield Footer()


def make_app() -> IngeApp:
    return IngeApp()


def run_app(args: argparse.Namespace) -> int:
    return make_app().run() or 0
