"""`said`: the German text itself, which also remembers how it was made."""

from __future__ import annotations

import copy
import pickle
from dataclasses import asdict

from inge_tui.domain.said import Said, in_words, joined, said
from inge_tui.domain.types import Reason

ENGLISH = {
    "DTZ vom {day} unvollständig, es fehlt: {missing}": (
        "DTZ of {day} incomplete, missing: {missing}"
    ),
    "Hören/Lesen": "Listening/Reading",
    "Schreiben": "Writing",
    " und ": " and ",
}


def english(message: str) -> str:
    return ENGLISH.get(message, message)


def test_said_is_the_german_text() -> None:
    text = said(
        "DTZ vom {day} unvollständig, es fehlt: {missing}",
        day="10.01.2026",
        missing=joined(" und ", [said("Hören/Lesen"), said("Schreiben")]),
    )
    german = "DTZ vom 10.01.2026 unvollständig, es fehlt: Hören/Lesen und Schreiben"
    assert text == german and isinstance(text, str) and hash(text) == hash(german)
    assert f"{text}" == german and str(text) == german and type(str(text)) is str
    assert in_words(text, english) == (
        "DTZ of 10.01.2026 incomplete, missing: Listening/Reading and Writing"
    )


def test_copies_keep_how_it_was_made() -> None:
    """`dataclasses.asdict` deep-copies a reason on its way into an answer."""
    reason = Reason(
        "R5", said("DTZ vom {day} unvollständig, es fehlt: {missing}", day="1", missing="x"), "§"
    )
    for kept in (
        asdict(reason)["text"],
        copy.deepcopy(reason.text),
        pickle.loads(pickle.dumps(reason.text)),
    ):
        assert isinstance(kept, Said) and kept == reason.text
        assert in_words(kept, english) == "DTZ of 1 incomplete, missing: x"


def test_plain_text_and_fixed_words_stay_as_they_are() -> None:
    assert in_words("kein said", english) == "kein said"
    assert said("Hören/Lesen") is said("Hören/Lesen")  # a fixed word is made once
    assert in_words(3, english) == 3
