"""Words that read differently in English: the numbers, the shared word tables. German stays as
the command-line tool prints it (it never sets English)."""

from __future__ import annotations

from inge_tui import i18n
from inge_tui.api.errors import ApiError, error_for
from inge_tui.api.models import FieldError, Problem
from inge_tui.api.query import QueryError, parse_query
from inge_tui.api.stats_text import days_de, decimal_de
from inge_tui.api.words import action_label
from inge_tui.connection import trouble_text


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


def test_the_clients_error_texts_follow_the_language() -> None:
    """What the client writes around an error is translated as whole sentences; what the
    service says itself (its `detail`, here a field's message) stays German."""

    def said(status: int, problem: Problem | None = None) -> str:
        where = i18n._("beim Übernehmen von Eintrag {entry}").format(entry=5)
        return error_for(status, problem, where).message

    refused = Problem(code="invalid", detail=[FieldError(field="reason", message="ist zu kurz")])
    assert said(409) == (
        "Jemand anderes war schneller (beim Übernehmen von Eintrag 5). "
        "Der aktuelle Stand wird angezeigt."
    )
    assert said(403) == "Keine Berechtigung (beim Übernehmen von Eintrag 5)."
    assert said(422, refused) == "Eingabe abgelehnt: Begründung: ist zu kurz"
    i18n.set_language("en")
    assert said(409) == (
        "Someone else was faster (while claiming entry 5). The current state is shown."
    )
    assert said(403) == "Not permitted (while claiming entry 5)."
    assert said(422, refused) == "Input refused: Reason: ist zu kurz"
    assert said(404) == (
        "Not found. (while claiming entry 5; or it belongs to another Regionalstelle)"
    )


def test_filter_mistakes_follow_the_language() -> None:
    """The filter words stay German (they are the syntax); the sentence around them does not."""

    def said(line: str) -> str:
        try:
            parse_query(line)
        except QueryError as error:
            return error.message
        raise AssertionError(f"{line!r} was read")

    german = "status: „quatsch“ ist nicht zulässig (erlaubt: aktiv, alle, offen, in_bearbeitung,"
    assert said("status:quatsch").startswith(german)
    assert said("alter>abc") == "„alter>abc“: nach alter> eine ganze Zahl (Tage) angeben"
    i18n.set_language("en")
    assert said("status:offn") == (
        "status: “offn” is not allowed – did you mean “status:offen”? "
        "(allowed: aktiv, alle, offen, in_bearbeitung, erledigt)"
    )
    assert said("alter>abc") == "“alter>abc”: give a whole number (days) after alter>"


def test_the_trouble_banner_follows_the_language() -> None:
    error = ApiError("Dienst weg.")
    assert trouble_text(error) == (
        "Dienst weg. Die Liste zeigt den letzten Stand. Hält die Störung an, den Betrieb "
        "informieren (Details: Strg+E)."
    )
    i18n.set_language("en")
    assert trouble_text(error) == (
        "Dienst weg. The list shows the last state. If the trouble lasts, tell IT operations "
        "(details: Ctrl+E)."
    )


def test_the_rules_own_words_follow_the_language_where_the_app_shows_them() -> None:
    """The repetition screen words the rule set from the domain (`said`), not from the
    service: German as the rules wrote it, English from the same catalog."""
    from datetime import date

    from inge_tui.domain.rulesets import WIEDERHOLUNG, ruleset_words
    from inge_tui.domain.said import said

    words = ruleset_words(WIEDERHOLUNG, date(2024, 9, 1), said("Antrag eingegangen"))
    german = (
        "Antrag eingegangen am 01.09.2024, vor dem 07.12.2024: Wiederholung nach § 5 Abs. 5"
        " IntV a. F. (alle Kursarten)"
    )
    assert words == german and i18n.spoken(words) == german
    i18n.set_language("en")
    assert i18n.spoken(words) == (
        "Application received on 01.09.2024, before 07.12.2024: Repetition under § 5 Abs. 5"
        " IntV a. F. (every course type)"
    )
    assert i18n.spoken("ein Text ohne said") == "ein Text ohne said"
