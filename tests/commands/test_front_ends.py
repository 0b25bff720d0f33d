"""The front ends' contracts are explicit (typing.Protocol) and each front end keeps its own:
the commands ask `isinstance(session.ui, Ability)`, never probe for attributes, so a rename
that breaks a front end fails here instead of quietly turning a feature off."""

from __future__ import annotations

from pathlib import Path

import pytest

from inge_tui.api.client import IngeClient
from inge_tui.app import IngeApp
from inge_tui.commands.base import (
    ConfirmsBulk,
    FollowsBulk,
    HasClipboard,
    OpensNext,
    ShowsHelp,
    SwitchesTheme,
    Ui,
)
from inge_tui.commands.case_session import CaseUi
from inge_tui.config import Config
from inge_tui.headless import HeadlessUi, Printer
from inge_tui.screens.issue import CaseScreenUi
from inge_tui.screens.palette import PaletteHost, ScreenRunsCommands
from inge_tui.screens.participant import ParticipantScreen
from inge_tui.screens.postbox import PostboxHost
from inge_tui.widgets.postbox_list import PostboxList
from inge_tui.widgets.postbox_loading import LoaderOwner

APP_ABILITIES = (Ui, ConfirmsBulk, FollowsBulk, OpensNext, SwitchesTheme, ShowsHelp, HasClipboard)


@pytest.fixture
def app() -> IngeApp:
    return IngeApp(Config(), IngeClient("http://127.0.0.1:9", None, retries=0))


def test_the_app_offers_every_ability_and_hosts_its_screens(app: IngeApp) -> None:
    for ability in (*APP_ABILITIES, PostboxHost, PaletteHost):
        assert isinstance(app, ability), ability.__name__


def test_a_script_asks_nothing_and_follows_a_bulk_run() -> None:
    ui = HeadlessUi(Printer(json_mode=True))
    assert isinstance(ui, Ui) and isinstance(ui, FollowsBulk)
    for ability in (ConfirmsBulk, OpensNext, SwitchesTheme, ShowsHelp, HasClipboard, CaseUi):
        assert not isinstance(ui, ability), ability.__name__


def test_the_case_screen_asks_before_issuing_and_hands_over_files(
    app: IngeApp, tmp_path: Path
) -> None:
    screen = ParticipantScreen.__new__(ParticipantScreen)  # its front end, not a mounted screen
    ui = CaseScreenUi(app, screen)
    assert isinstance(ui, Ui) and isinstance(ui, CaseUi)
    assert issubclass(ParticipantScreen, ScreenRunsCommands)


def test_the_list_owns_its_page_loader() -> None:
    assert issubclass(PostboxList, LoaderOwner)
