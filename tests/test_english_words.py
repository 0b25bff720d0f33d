"""Words that read differently in English: the numbers, the shared word tables. German stays as
the command-line tool prints it (it never sets English)."""

from __future__ import annotations

from inge_tui import i18n
from inge_tui.api.stats_text import days_de, decimal_de
from inge_tui.api.words import action_label


def test_decimals_follow_the_language() -> None:
    assert decimal_de(2.5) == "2,5"
    assert days_de(54.0) == "54,0 Tage"
    i18n.set_language("en")  # conftest sets German again
    assert decimal_de(2.5) == "2.5"
    assert days_de(54.0) == "54.0 days"


def test_word_tables_are_translated_where_shown() -> None:
    assert action_label("dokument_ausgestellt") == "Dokument ausgestellt"
    i18n.set_language("en")
    assert action_label("dokument_ausgestellt") == "Document issued"
    assert action_label("etwas_neues") == "Etwas neues"  # a new action: the service's word
