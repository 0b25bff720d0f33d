"""Refund applications over HTTP (§ 9 Abs. 6 IntV, R16), a whole life: filed by the course
provider with the contribution paid and an IBAN, seen by the caseworker with each condition and
the amount in cents, granted or refused once, with a Bescheid in the print run. Bad input is
refused whole, in German, naming the field; another office sees nothing.
"""

from __future__ import annotations

import io
from typing import Any

import httpx
from support.cases import Actors

IBAN = "DE89370400440532013000"  # the textbook example: its check digits are right


def file(actors: Actors, pid: str, **overrides: Any) -> httpx.Response:
    body = {
        "participant_id": pid,
        "received_on": actors.live.clock().date().isoformat(),
        "contribution_paid_cents": 137_400,
        "iban": "de89 3704 0044 0532 0130 00",
        "account_holder": "Ayşe Şahin",
        **overrides,
    }
    return actors.provider.post("/v1/refund-applications", json=body)


def decide(actors: Actors, refund_id: int, client: httpx.Client | None = None, **body: Any) -> Any:
    return (client or actors.caseworker).post(
        f"/v1/refund-applications/{refund_id}/decision", json=body
    )


def certified(actors: Actors, **overrides: Any) -> str:
    """A case with its Zertifikat issued (DTZ B1 on 10.01.2026, LiD on 20.01.2026)."""
    pid = actors.ready_case(**overrides)
    issued = actors.issue(pid)
    assert issued.status_code == 201, issued.text
    assert issued.json()["kind"] == "zertifikat"
    return pid


def letter_text(actors: Actors, refund_id: int) -> str:
    from pypdf import PdfReader

    answer = actors.caseworker.get(f"/v1/refund-applications/{refund_id}/letter")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
    return text.replace("\u00a0", " ")


def refund_row(actors: Actors, pid: str) -> dict[str, Any]:
    [row] = [e for e in actors.entries(pid) if e["kind"] == "erstattung"]
    return row


def conditions(refund: dict[str, Any]) -> dict[str, bool]:
    return {c["code"]: c["met"] for c in refund["assessment"]["conditions"]}


def test_an_eligible_application_is_granted_once_with_its_bescheid(actors: Actors) -> None:
    pid = certified(actors)
    filed = file(actors, pid, contribution_full_cents=137_400)
    assert filed.status_code == 201, filed.text
    refund = filed.json()
    assert refund["iban_masked"] == "DE•• •••• •••• •••• ••30 00"
    assert IBAN not in filed.text
    assert refund["assessment"]["eligible"] is True
    assert refund["assessment"]["amount_cents"] == 68_700
    assert conditions(refund) == {
        "zertifikat": True,
        "teilnahmeberechtigung": True,
        "frist": True,
        "beitrag_gezahlt": True,
        "teilbefreiung": True,
    }
    frist = next(c for c in refund["assessment"]["conditions"] if c["code"] == "frist")
    assert "20.01.2026" in frist["text"] and "01.11.2026" in frist["text"]
    assert frist["citation"] == "§ 9 Abs. 6 IntV"

    [entry] = [e for e in actors.entries(pid) if e["kind"] == "erstattung"]
    assert entry["refund_id"] == refund["refund_id"] and entry["status"] == "offen"
    assert entry["entry_id"] == refund["entry_id"]
    kinds = actors.caseworker.get("/v1/postbox", params={"kind": "erstattung", "limit": 500})
    assert pid in {e["participant_id"] for e in kinds.json()["items"]}

    [seen] = actors.case(pid)["refunds"]
    assert seen["status"] == "offen" and seen["assessment"]["amount_cents"] == 68_700

    granted = decide(actors, refund["refund_id"], decision="approve")
    assert granted.status_code == 200, granted.text
    done = granted.json()
    assert (done["status"], done["amount_cents"]) == ("bewilligt", 68_700)
    assert done["letter_id"] and done["decided_by"] == "Sachbearbeiterin Weber"
    [closed] = [e for e in actors.entries(pid) if e["kind"] == "erstattung"]
    assert closed["status"] == "erledigt"

    again = decide(actors, refund["refund_id"], decision="approve")
    assert (again.status_code, again.json()["code"]) == (409, "already_decided")
    second = file(actors, pid)
    assert (second.status_code, second.json()["code"]) == (409, "refund_granted")

    text = letter_text(actors, refund["refund_id"])
    assert "687,00 €" in text and "1.374,00 €" in text
    assert "••30 00" in text and "0532" not in text
    assert done["letter_id"] in text

    batch = actors.caseworker.get("/v1/dispatch").json()
    assert done["letter_id"] in {i["item_id"] for i in batch["items"]}

    audit = actors.supervisor.get("/v1/audit", params={"participant_id": pid}).json()["items"]
    decided = [r for r in audit if r["action"] == "erstattung_entschieden"]
    assert len(decided) == 1
    assert decided[0]["outcome"]["amount_cents"] == 68_700
    filed_rows = [r for r in audit if r["action"] == "erstattung_beantragt"]
    assert filed_rows and IBAN not in str(filed_rows[0]["inputs"])


def test_a_late_or_unpaid_application_cannot_be_granted_only_refused_with_a_reason(
    actors: Actors,
) -> None:
    # entitled 01.11.2023 on a general course: the window closed on 01.11.2025, before success
    late = certified(actors, entitlement_date="2023-11-01")
    refund = file(actors, late).json()
    assert refund["assessment"]["eligible"] is False
    assert conditions(refund)["frist"] is False
    assert refund["assessment"]["amount_cents"] == 0
    [row] = [e for e in actors.entries(late) if e["kind"] == "erstattung"]
    assert (row["blockers"], row["blocked"]) == (["erstattung_frist"], True)
    forbidden = decide(actors, refund["refund_id"], decision="approve")
    assert (forbidden.status_code, forbidden.json()["code"]) == (422, "rules_forbid")
    assert "nach Ende der Frist" in forbidden.text and "§ 9 Abs. 6 IntV" in forbidden.text

    bare = decide(actors, refund["refund_id"], decision="reject")
    assert bare.status_code == 422
    assert bare.json()["detail"][0]["field"] == "reason"
    refused = decide(
        actors,
        refund["refund_id"],
        decision="reject",
        reason="Erfolg erst nach Ablauf der Zweijahresfrist nachgewiesen",
    )
    assert refused.status_code == 200, refused.text
    assert (refused.json()["status"], refused.json()["amount_cents"]) == ("abgelehnt", None)
    assert "Zweijahresfrist" in letter_text(actors, refund["refund_id"])
    # refused: it may be filed again (e.g. with proof of an earlier Berechtigung)
    assert file(actors, late).status_code == 201

    unpaid = certified(actors)
    nothing = file(actors, unpaid, contribution_paid_cents=0).json()
    assert conditions(nothing)["beitrag_gezahlt"] is False
    assert decide(actors, nothing["refund_id"], decision="approve").status_code == 422


def test_a_partly_exempt_participant_gets_half_of_what_was_paid(actors: Actors) -> None:
    pid = certified(actors)
    refund = file(
        actors, pid, contribution_paid_cents=45_801, contribution_full_cents=137_400
    ).json()
    assert refund["assessment"]["amount_cents"] == 22_901  # 229,005 € rounds half up
    [exempt] = [c for c in refund["assessment"]["conditions"] if c["code"] == "teilbefreiung"]
    assert "Teilweise befreit" in exempt["text"] and exempt["required"] is False


def test_an_application_waits_for_the_zertifikat_and_counts_it_once_issued(
    actors: Actors,
) -> None:
    pid = actors.ready_case()
    refund = file(actors, pid).json()
    assert conditions(refund)["zertifikat"] is False
    assert refund_row(actors, pid)["blockers"] == ["erstattung_zertifikat"]
    assert decide(actors, refund["refund_id"], decision="approve").status_code == 422
    assert actors.issue(pid).status_code == 201
    [seen] = actors.case(pid)["refunds"]
    assert seen["assessment"]["eligible"] is True
    assert (refund_row(actors, pid)["blockers"], refund_row(actors, pid)["blocked"]) == ([], False)
    assert decide(actors, refund["refund_id"], decision="approve").status_code == 200


def test_bad_applications_are_refused_whole_in_german(actors: Actors) -> None:
    pid = certified(actors)
    bad_iban = file(actors, pid, iban="DE89370400440532013001")
    assert bad_iban.status_code == 422
    [error] = bad_iban.json()["detail"]
    assert error["field"] == "iban" and "Prüfziffer" in error["message"]
    short = file(actors, pid, iban="DE8937040044")
    assert short.json()["detail"][0]["field"] == "iban"
    full_below = file(actors, pid, contribution_paid_cents=500, contribution_full_cents=100)
    assert full_below.json()["detail"][0]["field"] == "contribution_full_cents"
    future = file(actors, pid, received_on="2099-01-01")
    assert future.json()["detail"][0]["field"] == "received_on"
    negative = file(actors, pid, contribution_paid_cents=-1)
    assert negative.json()["detail"][0]["field"] == "contribution_paid_cents"
    assert actors.case(pid)["refunds"] == []
    assert file(actors, pid).status_code == 201
    twice = file(actors, pid)
    assert (twice.status_code, twice.json()["code"]) == (409, "refund_pending")


def test_another_office_sees_no_refund_and_cannot_decide_it(actors: Actors) -> None:
    pid = certified(actors)
    refund = file(actors, pid).json()
    other_office = actors.live.new_office()
    stranger = actors.live.client("caseworker", other_office, name="Fremd")
    try:
        answer = decide(actors, refund["refund_id"], stranger, decision="approve")
        assert answer.status_code == 404
        assert (
            stranger.get(f"/v1/refund-applications/{refund['refund_id']}/letter").status_code == 404
        )
    finally:
        stranger.close()
    provider_decides = decide(actors, refund["refund_id"], actors.provider, decision="approve")
    assert provider_decides.status_code == 403
