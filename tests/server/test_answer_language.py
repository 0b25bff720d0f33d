"""`Accept-Language: en` (the app sends it when its language is English): the rules' reasons and
blockers and the service's refusals come in English where the catalog has them; without it, or
with German asked for, every answer is the contract's German, unchanged."""

from __future__ import annotations

import pytest
from support.cases import Actors

from inge_tui.server.speech import chosen

EN = {"Accept-Language": "en"}


def texts(case: dict) -> list[str]:
    a = case["assessment"]
    return [r["text"] for r in a["reasons"]] + [b["text"] for b in a["blockers"]]


def test_a_case_in_english_and_the_same_case_in_german(actors: Actors) -> None:
    pid = actors.ready_case(b1=False, lid_points=12)
    english = actors.caseworker.get(f"/v1/participants/{pid}", headers=EN)
    assert english.headers["content-language"] == "en"
    assert "Accept-Language" in english.headers["vary"]
    said = texts(english.json())
    assert "Required data complete: surname, given name, date of birth, ID type and number" in said
    assert "Listening/Reading 25 of 45 points: A2 (B1 from 33)" in said, (
        said
    )  # the part's name is a word of its own, said in English too
    assert any(
        t.startswith(
            "Bescheinigung über das erreichte Ergebnis: DTZ A2, “Leben in Deutschland” test"
        )
        and t.endswith(
            "missing for the Zertifikat: DTZ B1 (or a valid alternative B1 proof)"
            " and a passed “Leben in Deutschland” test (from 15 points)"
        )
        for t in said
    ), said

    german = actors.case(pid)
    assert "Pflichtangaben vollständig: Name, Vorname, Geburtsdatum, Ausweisart und -nummer" in (
        texts(german)
    )
    assert "Hören/Lesen 25 von 45 Punkten: A2 (B1 ab 33)" in texts(german)
    asked = actors.caseworker.get(f"/v1/participants/{pid}", headers={"Accept-Language": "de-DE"})
    assert asked.headers["content-language"] == "de"
    assert texts(asked.json()) == texts(german)
    # same reasons, same order, same rules: only the words differ
    assert len(said) == len(texts(german))
    reasons = english.json()["assessment"]["reasons"]
    cited = {r["citation"] for r in reasons}
    assert "DTZ scoring rules (point thresholds, telc handbook 2015)" in cited  # words, not §
    assert "§ 17 Abs. 4 Satz 2 IntV" in cited  # a statute is cited as it is
    rules = [r["rule_id"] for r in reasons]
    assert rules == [r["rule_id"] for r in german["assessment"]["reasons"]]


def test_a_refusal_in_english_names_the_blockers_in_english(actors: Actors) -> None:
    pid = actors.register()
    actors.identity(pid)
    assert actors.lid(pid, 20).status_code == 201
    refused = actors.caseworker.post(
        f"/v1/participants/{pid}/certificates", json={}, headers={**EN, "Idempotency-Key": "k-en-1"}
    )
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["detail"] == "Issuing is blocked: No DTZ result transmitted"
    assert [b["text"] for b in body["blockers"]] == ["No DTZ result transmitted"]
    german = actors.caseworker.post(
        f"/v1/participants/{pid}/certificates", json={}, headers={"Idempotency-Key": "k-de-1"}
    )
    assert german.json()["detail"] == "Ausstellen ist blockiert: Kein DTZ-Ergebnis übermittelt"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "de"),
        ("", "de"),
        ("*", "de"),
        ("en", "en"),
        ("en-GB", "en"),
        ("fr, en;q=0.8", "en"),
        ("de-AT, en;q=0.5", "de"),
        ("en;q=0.2, de;q=0.9", "de"),
        ("en;q=kaputt", "de"),
    ],
)
def test_the_language_asked_for(header: str | None, language: str) -> None:
    assert chosen(header) == language


def test_refusals_in_english_name_their_fields_and_people(actors: Actors) -> None:
    pid = actors.ready_case()
    [entry] = actors.entries(pid)
    url = f"/v1/postbox/{entry['entry_id']}"
    assert actors.caseworker.post(f"{url}/claim").status_code == 200
    taken = actors.caseworker2.post(f"{url}/claim", headers=EN)
    assert taken.status_code == 409
    assert taken.json()["detail"].startswith(
        "The entry is being worked on by Sachbearbeiterin Weber (since "
    )
    stale = actors.caseworker.post(f"{url}/release", json={"version": 1}, headers=EN)
    assert stale.json()["detail"] == (
        "The entry has been changed meanwhile; please reload and decide again."
    )
    bad = actors.caseworker.post(f"{url}/release", json={"version": 1.5}, headers=EN)
    assert bad.json()["detail"] == [{"field": "version", "message": "whole number expected"}]
    role = actors.supervisor.post("/v1/dtz-results", json={}, headers=EN)
    assert role.status_code == 403
    assert role.json()["detail"].startswith("The role “")
    # German, unchanged, when English is not asked for
    german = actors.caseworker2.post(f"{url}/claim")
    assert german.json()["detail"].startswith("Der Eintrag ist von Sachbearbeiterin Weber")


def test_hours_that_go_down_are_refused_either_way_in_both_languages(actors: Actors) -> None:
    pid = actors.register()
    assert actors.hours(pid, "2025-06-01", 400).status_code in (200, 201)
    later_less = actors.hours(pid, "2025-07-01", 300)
    assert later_less.status_code == 422
    assert later_less.json()["detail"] == [
        {
            "field": "hours_used",
            "message": "300 UE am 01.07.2025, aber schon 400 UE am 01.06.2025 gemeldet:"
            " verbrauchte Stunden nehmen nicht ab",
        }
    ]
    body = {"report_id": "R-EN-1", "as_of": "2025-05-01", "hours_used": 500}
    earlier_more = actors.provider.post(f"/v1/participants/{pid}/hours", json=body, headers=EN)
    assert earlier_more.json()["detail"] == [
        {
            "field": "hours_used",
            "message": "500 UE on 01.05.2025, but only 400 UE reported on 01.06.2025:"
            " used hours do not go down",
        }
    ]


def _decision(case: dict) -> dict:
    """What a case view decides, without its words."""
    a = case["assessment"]
    return {
        **{k: a[k] for k in ("document", "next_step", "can_issue", "in_force", "counted")},
        "blockers": [(b["code"], b["supplier"], b["rule_id"]) for b in a["blockers"]],
        "rules": [r["rule_id"] for r in a["reasons"]],
        "postbox": [(e["kind"], e["status"], e["blockers"]) for e in case["postbox"]],
    }


def test_a_whole_life_reads_the_same_in_both_languages(actors: Actors) -> None:
    """Late facts, corrections up and down, a second sitting and an issued document: after
    each step the English view decides exactly what the German one does, the Postkorb row is
    the same, and the printed document is German whoever asks."""
    from support.cases import new_id

    pid = actors.register()
    actors.identity(pid)
    day = "2026-01-10"

    def agree() -> dict:
        german = actors.case(pid)
        english = actors.caseworker.get(f"/v1/participants/{pid}", headers=EN).json()
        assert _decision(english) == _decision(german)
        rows = [
            actors.entries(pid),
            actors.caseworker.get(
                "/v1/postbox", params={"participant_id": pid, "limit": 500}, headers=EN
            ).json()["items"],
        ]
        assert rows[0] == rows[1]
        return german["assessment"]

    assert actors.dtz(pid, exam_date=day, **A2_PARTS).status_code == 201
    assert agree()["next_step"] == "warten"  # the LiD is missing
    assert actors.lid(pid, 20).status_code == 201  # arrives late
    assert agree()["document"] == "bescheinigung"
    assert actors.dtz(pid, exam_date=day, **B1_PARTS).status_code == 201  # corrected up
    assert agree()["document"] == "zertifikat"
    issued = actors.caseworker.post(
        f"/v1/participants/{pid}/certificates",
        json={"expected_document": "zertifikat"},
        headers={**EN, "Idempotency-Key": new_id("ISS")},
    )
    assert issued.status_code == 201, issued.text
    number = issued.json()["certificate_id"]
    assert agree()["next_step"] == "keiner"
    assert actors.dtz(pid, exam_date="2026-02-10", **A2_PARTS).status_code == 201  # worse, later
    assert agree()["in_force"] == number
    pdf = f"/v1/certificates/{number}/pdf"
    assert actors.caseworker.get(pdf, headers=EN).content == actors.caseworker.get(pdf).content
    assert "Zertifikat Integrationskurs" in actors.pdf_text(number)
    assert actors.lid(pid, 12).status_code == 201  # corrected down: not passed
    assert agree()["next_step"] == "ruecknahme_vorschlagen"
    refused = [
        actors.issue(pid).json(),
        actors.caseworker.post(
            f"/v1/participants/{pid}/certificates",
            json={},
            headers={**EN, "Idempotency-Key": new_id("ISS")},
        ).json(),
    ]
    assert [r["code"] for r in refused] == ["withdrawal_required"] * 2
    assert refused[0]["detail"].startswith(f"Das Zertifikat {number} beruht nicht mehr")
    assert refused[1]["detail"].startswith(f"Zertifikat {number} no longer rests")


B1_PARTS = {"hoeren_lesen": 40, "schreiben": 16, "sprechen": 80}
A2_PARTS = {"hoeren_lesen": 25, "schreiben": 10, "sprechen": 50}
