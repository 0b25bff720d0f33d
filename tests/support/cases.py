"""Builders for cases over HTTP, as the outside systems would feed them.

`Actors(live)` holds one authenticated client per role for an office of its own, and helpers
that register a participant, report identity data and send results. Every identifier is
fresh, so tests sharing one service never see each other's cases.
"""

from __future__ import annotations

import io
import secrets
from typing import Any

import httpx

from support.live import LiveService


def new_id(prefix: str = "TN") -> str:
    return f"{prefix}-{secrets.token_hex(5).upper()}"


class Actors:
    """Clients of every role for one office, and the feeds that build cases."""

    def __init__(self, live: LiveService, office: str | None = None) -> None:
        self.live = live
        self.office = office or live.new_office()
        self.provider = live.client("course_provider", name="Kursträger Süd")
        self.institute = live.client("test_institute", name="g.a.s.t.")
        self.oet = live.client("oet", name="OET")
        self.caseworker = live.client("caseworker", self.office, name="Sachbearbeiterin Weber")
        self.caseworker2 = live.client("caseworker", self.office, name="Sachbearbeiter Öztürk")
        self.supervisor = live.client("supervisor", self.office, name="Leitung Nowak")
        self.admin = live.client("admin", name="Betrieb")

    def close(self) -> None:
        for client in (
            self.provider,
            self.institute,
            self.oet,
            self.caseworker,
            self.caseworker2,
            self.supervisor,
            self.admin,
        ):
            client.close()

    # ---- feeds

    def participant_body(
        self, participant_id: str | None = None, **overrides: Any
    ) -> dict[str, Any]:
        return {
            "participant_id": participant_id or new_id(),
            "surname": "Şahin",
            "given_name": "Ayşe",
            "birth_date": "1990-04-17",
            "course_type": "allgemein",
            "contingent_hours": 600,
            "hours_used": 600,
            "hours_as_of": "2025-12-31",  # before the exams the tests send
            "self_payer": False,
            "office": self.office,
            "registered_on": "2025-01-15",
            "entitlement_date": "2024-11-01",
            **overrides,
        }

    def register(self, participant_id: str | None = None, **overrides: Any) -> str:
        body = self.participant_body(participant_id, **overrides)
        response = self.provider.post("/v1/participants", json=body)
        assert response.status_code == 201, response.text
        return str(body["participant_id"])

    def identity(self, participant_id: str, **overrides: Any) -> httpx.Response:
        body = {
            "document_type": "reisepass",
            "document_number": "C01X00T47",
            "address": {"street": "Königstraße 12", "postal_code": "90402", "city": "Nürnberg"},
            **overrides,
        }
        response = self.provider.put(f"/v1/participants/{participant_id}/identity", json=body)
        assert response.status_code == 200, response.text
        return response

    def apply(self, participant_id: str, **overrides: Any) -> httpx.Response:
        """A repetition application as the course provider files it (received 01.02.2026)."""
        body = {
            "participant_id": participant_id,
            "received_on": "2026-02-01",
            "requested_hours": 300,
            "provider_confirmation": True,
            **overrides,
        }
        return self.provider.post("/v1/repetition-applications", json=body)

    def hours(self, participant_id: str, as_of: str, hours_used: int) -> httpx.Response:
        body = {"report_id": new_id("STD"), "as_of": as_of, "hours_used": hours_used}
        return self.provider.post(f"/v1/participants/{participant_id}/hours", json=body)

    def dtz(
        self,
        participant_id: str,
        *,
        exam_date: str = "2026-01-10",
        transmission_id: str | None = None,
        **parts: float,
    ) -> httpx.Response:
        body = {
            "transmission_id": transmission_id or new_id("DTZ"),
            "participant_id": participant_id,
            "exam_date": exam_date,
            "exam_center": "VHS Nürnberg",
            "parts": parts,
        }
        return self.institute.post("/v1/dtz-results", json=body)

    def lid(
        self,
        participant_id: str,
        points: int = 20,
        *,
        exam_date: str = "2026-01-20",
        transmission_id: str | None = None,
    ) -> httpx.Response:
        body = {
            "transmission_id": transmission_id or new_id("LID"),
            "participant_id": participant_id,
            "exam_date": exam_date,
            "points": points,
        }
        return self.oet.post("/v1/lid-results", json=body)

    def ready_case(
        self,
        *,
        b1: bool = True,
        lid_points: int = 20,
        identity: bool = True,
        **overrides: Any,
    ) -> str:
        """A case whose Postkorb entry is there: DTZ complete and LiD recorded."""
        pid = self.register(**overrides)
        if identity:
            self.identity(pid)
        parts = (
            {"hoeren_lesen": 40, "schreiben": 16, "sprechen": 80}
            if b1
            else {
                "hoeren_lesen": 25,
                "schreiben": 10,
                "sprechen": 50,
            }
        )
        assert self.dtz(pid, **parts).status_code == 201
        assert self.lid(pid, lid_points).status_code == 201
        return pid

    # ---- caseworkers' steps

    def issue(self, participant_id: str, key: str | None = None, **body: Any) -> httpx.Response:
        return self.caseworker.post(
            f"/v1/participants/{participant_id}/certificates",
            json=body,
            headers={"Idempotency-Key": key or new_id("ISS")},
        )

    def paper(
        self, participant_id: str, *, exam_date: str = "2026-01-10", **body: Any
    ) -> httpx.Response:
        parts = body.pop("parts", {"hoeren_lesen": 40, "schreiben": 16, "sprechen": 80})
        return self.caseworker.post(
            f"/v1/participants/{participant_id}/dtz-paper",
            json={"exam_date": exam_date, "exam_center": "VHS Fürth", "parts": parts, **body},
        )

    def alt_b1(self, participant_id: str, **body: Any) -> httpx.Response:
        proof = {
            "exam_name": "Goethe-Zertifikat B1",
            "level": "B1",
            "issued_on": "2024-11-01",
            "presented_on": "2025-01-10",
            **body,
        }
        return self.caseworker.post(f"/v1/participants/{participant_id}/alternative-b1", json=proof)

    def pdf_text(self, certificate_id: str) -> str:
        from pypdf import PdfReader

        response = self.caseworker.get(f"/v1/certificates/{certificate_id}/pdf")
        assert response.status_code == 200, response.text
        return "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )

    # ---- reading

    def case(self, participant_id: str, client: httpx.Client | None = None) -> dict[str, Any]:
        response = (client or self.caseworker).get(f"/v1/participants/{participant_id}")
        assert response.status_code == 200, response.text
        return dict(response.json())

    def entries(self, participant_id: str, **params: Any) -> list[dict[str, Any]]:
        response = self.caseworker.get(
            "/v1/postbox", params={"participant_id": participant_id, "limit": 500, **params}
        )
        assert response.status_code == 200, response.text
        return list(response.json()["items"])
