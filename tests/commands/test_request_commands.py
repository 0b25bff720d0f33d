"""Data requests through the one command set (`inge-tui run --json`, as the palette and the
keys run them) against the real service (domain.md A.16): every missing item at once, one
German line for what is not missing or not yet overdue, and nothing changed by a refusal."""

from __future__ import annotations

from commands_support import Office, json_lines, run_headless


def run(office: Office, *args: str) -> tuple[int, str, str]:
    return run_headless(["--url", office.live.base_url, "run", *args], {"INGE_TOKEN": office.token})


def open_requests(office: Office, pid: str) -> list[str]:
    answer = office.actors.caseworker.get("/v1/data-requests", params={"participant_id": pid})
    return sorted(r["item"] for r in answer.json()["items"])


def test_request_everything_missing_then_the_refusals(office: Office) -> None:
    [pid] = office.ready(identity=False)
    code, _, err = run(office, f"open {pid}", "request-data")
    assert code == 1 and "Was anfordern?" in err and "anschrift" in err  # more than one item

    code, out, err = run(office, "--json", f"open {pid}", "request-data alle 10.01.2099")
    assert code == 0, err
    made = json_lines(out)[-1]
    assert made["message"].startswith("Angefordert bei Kursträger Süd: ")
    assert made["message"].endswith("Frist 10.01.2099.")
    assert open_requests(office, pid) == [
        "anschrift_fehlt",
        "ausweisart_fehlt",
        "ausweisnummer_fehlt",
    ]

    code, _, err = run(office, f"open {pid}", "request-data anschrift")
    assert code == 1 and "Alles Fehlende ist schon angefordert" in err
    code, _, err = run(office, f"open {pid}", "remind-data")
    assert code == 1 and "Noch nicht überfällig: Frist bis 10.01.2099" in err
    code, _, err = run(office, f"open {pid}", "request-data nachname")
    assert code == 1
    assert len(open_requests(office, pid)) == 3

    [ready] = office.ready()
    code, _, err = run(office, f"open {ready}", "request-data anschrift 14")
    assert code == 1 and "Es fehlt nichts, was der Kursträger liefern muss" in err
    [other] = office.ready(identity=False)
    code, _, err = run(office, f"open {other}", "request-data alle 400")
    assert code == 1 and "Frist: 400 Tage – erlaubt sind 1 bis 365" in err
    code, _, err = run(office, f"open {other}", "request-data anschrift 01.01.2020")
    assert (
        code == 1 and "Frist: " in err
    )  # the field, named in German and "in der Vergangenheit" in err
    assert open_requests(office, other) == []
