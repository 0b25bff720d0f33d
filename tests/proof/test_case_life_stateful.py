"""Whole lives of cases against the real service: random facts in random order, checked after
every step (issue 10; domain.md A.11–A.16).

A Hypothesis state machine registers participants and sends what the outside systems and the
caseworkers send over a case's life: identity and registration dates, dated hours reports, DTZ
parts (with corrections and aborts, on a few exam days so that sittings repeat), LiD results,
paper captures, alternative proofs, data requests to the course provider (A.16), issues,
withdrawals with four eyes, reversals, copies and
the office's print run; and repetition applications approved with the waiver of the DTZ
condition (R13.3) under four eyes, with facts that arrive between the proposal and the
supervisor's confirmation. Every life starts with an issued Zertifikat, so the later steps of a
document are walked in every life. After every step, for every case it made:

- the assessment's `can_issue` and the issue route agree, both ways (a refused issue changes
  nothing; an issue the assessment allows is accepted);
- every open `abschluss` entry has an action that ends it, and an entry is open whenever
  something is due and the case has an exam pair;
- at most one document, and so at most one Zertifikat, is in force;
- the Postkorb row and the detail show the sittings the decision counts;
- a document in force with nothing due records exactly the counted sittings, and every issued
  PDF prints the sittings its assessment counted on one page, and the document in force keeps
  its decision record;
- every document number of the year is accounted for (used, or unused with a reason);
- a data request is open exactly while its blocker is there (the provider's report closes it),
  and the open entry carries its nearest deadline;
- a reversal is accepted exactly before dispatch, a copy exactly after it, and the print run
  holds only documents in force and letters about a posted document;
- a waiver that waits keeps its entry open and in the supervisors' `wartet:freigabe`, and only
  then; a confirmed waiver was confirmed by another person than its proposer, and the rules
  decide again on confirmation (a fact that took the ground away refuses it, and the proposal
  still waits to be refused).

`INGE_LIFE_EXAMPLES` sets the number of lives (default 16, of up to 14 steps each).
"""

from __future__ import annotations

import io
import os
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from pypdf import PdfReader
from support.cases import Actors, new_id

REACHED: Counter[str] = Counter()  # the later steps the lives walked, for the summary line


def event(step: str) -> None:
    REACHED[step] += 1


EXAMPLES = int(os.environ.get("INGE_LIFE_EXAMPLES", "16"))
DTZ_DAYS = ("2025-11-10", "2026-01-10", "2026-02-10")
LID_DAYS = ("2025-11-20", "2026-01-20")
HOURS_DAYS = ("2025-10-01", "2025-12-31", "2026-01-15", "2026-02-15")
REASON = "Ergebnis auf Papier, der Webservice hat nichts geliefert"
WAIVER = "Alphabetisierungskurs, Lernfortschritt belegt"
PROPOSER, SUPERVISOR = "Sachbearbeiterin Weber", "Leitung Nowak"  # the names of `Actors`
REFUSAL = "Kein begründeter Einzelfall nach Aktenlage"
WITHDRAWAL = "Die gewerteten Ergebnisse tragen das Zertifikat nicht mehr"
REVERSAL = "Irrtümlich ausgestellt, die Anschrift war falsch übernommen"

parts = st.fixed_dictionaries(
    {},
    optional={
        "hoeren_lesen": st.sampled_from([15, 25, 33, 40]),
        "schreiben": st.sampled_from([5, 10, 15, 18]),
        "sprechen": st.sampled_from([30.0, 50.0, 74.5, 75.0, 90.0]),
    },
).filter(bool)
complete_parts = st.fixed_dictionaries(
    {
        "hoeren_lesen": st.sampled_from([15, 25, 33, 40]),
        "schreiben": st.sampled_from([5, 10, 15, 18]),
        "sprechen": st.sampled_from([30.0, 50.0, 75.0, 90.0]),
    }
)


B1 = {"hoeren_lesen": 40, "schreiben": 18, "sprechen": 90.0}


def german(day: str | None) -> str:
    return date.fromisoformat(day).strftime("%d.%m.%Y") if day else ""


class CaseLives(RuleBasedStateMachine):
    actors: Actors

    def __init__(self) -> None:
        super().__init__()
        self.pids: list[str] = []
        self.issued = 0  # documents issued so far: the later steps of a document need one
        self.applications: list[tuple[str, int]] = []
        self.proposed: set[int] = set()  # applications whose waiver waits for a supervisor
        self.closed: set[int] = set()  # data requests seen closed

    cases = Bundle("cases")
    applications = Bundle("applications")

    # ---- the outside systems

    @initialize(
        target=cases,
        self_payer=st.booleans(),
        registered=st.booleans(),
        sitting=st.one_of(st.just(B1), complete_parts),
        points=st.sampled_from([14, 15, 20, 24]),
    )
    def ready_case(
        self, self_payer: bool, registered: bool, sitting: dict[str, float], points: int
    ) -> str:
        """A case whose Postkorb entry is there: identity, both results (paper for a
        self-payer)."""
        pid = self._register(self_payer, registered, "allgemein", 600, 600)
        self.identity(pid, complete=True)
        if self_payer:
            assert self.actors.paper(pid, exam_date=DTZ_DAYS[1], parts=sitting).status_code == 200
        else:
            assert self.actors.dtz(pid, exam_date=DTZ_DAYS[1], **sitting).status_code == 201
        self.lid(pid, LID_DAYS[1], points)
        return pid

    @initialize(
        then=st.sampled_from(["", "reverse", "dispatch", "dispatch-copy"]),
        refund=st.booleans(),
    )
    def issued_case(self, then: str, refund: bool) -> None:
        """A Zertifikat issued at the start of every life: what a document's later steps need;
        `refund`: its refund application filed at once (granted or refused later, or its
        Zertifikat withdrawn first)."""
        pid = self._register(False, True, "allgemein", 600, 600)
        self.identity(pid, complete=True)
        assert self.actors.dtz(pid, exam_date=DTZ_DAYS[1], **B1).status_code == 201
        self.lid(pid, LID_DAYS[1], 24)
        self.issue(pid, False, then)
        if refund:
            self.refund(pid, 137_400, False, None)

    @rule(
        target=cases,
        self_payer=st.booleans(),
        registered=st.booleans(),
        course=st.sampled_from([("allgemein", 600), ("allgemein", 300), ("intensiv", 400)]),
        used=st.sampled_from([0, 300, 400, 600]),
    )
    def bare_case(
        self, self_payer: bool, registered: bool, course: tuple[str, int], used: int
    ) -> str:
        """A registration and nothing else yet: facts arrive in any order."""
        kind, contingent = course
        return self._register(self_payer, registered, kind, contingent, min(used, contingent))

    def _register(
        self, self_payer: bool, registered: bool, kind: str, contingent: int, used: int
    ) -> str:
        pid = self.actors.register(
            self_payer=self_payer,
            registered_on="2025-01-15" if registered else None,
            course_type=kind,
            contingent_hours=contingent,
            hours_used=used,
            hours_as_of="2025-09-01",
        )
        self.pids.append(pid)
        return pid

    @rule(pid=cases, complete=st.booleans())
    def identity(self, pid: str, complete: bool) -> None:
        body: dict[str, Any] = {"document_number": "C01X00T47"}
        if complete:
            body.update(
                document_type="reisepass",
                address={"street": "Königstraße 12", "postal_code": "90402", "city": "Nürnberg"},
            )
        response = self.actors.provider.put(f"/v1/participants/{pid}/identity", json=body)
        assert response.status_code == 200, response.text

    @rule(pid=cases)
    def registration_date(self, pid: str) -> None:
        response = self.actors.provider.put(
            f"/v1/participants/{pid}/identity", json={"registered_on": "2025-01-15"}
        )
        assert response.status_code == 200, response.text

    @rule(pid=cases, day=st.sampled_from(HOURS_DAYS), hours=st.sampled_from([300, 450, 600]))
    def hours(self, pid: str, day: str, hours: int) -> None:
        response = self.actors.hours(pid, day, hours)
        assert response.status_code in (201, 422), response.text  # 422: hours go down

    @rule(pid=cases, day=st.sampled_from(DTZ_DAYS), given=parts)
    def dtz(self, pid: str, day: str, given: dict[str, float]) -> None:
        response = self.actors.dtz(pid, exam_date=day, **given)
        assert response.status_code == 201, response.text

    @rule(pid=cases, day=st.sampled_from(DTZ_DAYS))
    def dtz_aborted(self, pid: str, day: str) -> None:
        body = {
            "transmission_id": new_id("DTZ"),
            "participant_id": pid,
            "exam_date": day,
            "exam_center": "VHS Nürnberg",
            "aborted": True,
        }
        response = self.actors.institute.post("/v1/dtz-results", json=body)
        assert response.status_code == 201, response.text

    @rule(pid=cases, day=st.sampled_from(LID_DAYS), points=st.sampled_from([9, 14, 15, 20, 24]))
    def lid(self, pid: str, day: str, points: int) -> None:
        response = self.actors.lid(pid, points, exam_date=day)
        assert response.status_code == 201, response.text

    @rule(pid=cases, withdraw=st.booleans())
    def correct_down(self, pid: str, withdraw: bool) -> None:
        """The counted results corrected downwards: what takes a document's basis away (a case
        with a Zertifikat in force is taken first, so the withdrawal path is walked often);
        `withdraw` proposes and confirms the withdrawal right after."""
        pid = next((p for p in self.pids if self._zertifikat_in_force(p)), pid)
        case = self.actors.case(pid)
        if case["lid"] is not None:
            self.lid(pid, case["lid"]["exam_date"], 9)
        dtz = case["dtz"]
        if dtz is not None and dtz["counted"] and dtz["source"] == "webservice":
            self.dtz(pid, dtz["exam_date"], {"sprechen": 30.0})
        if withdraw:
            self.withdraw()
            self.withdraw()

    @rule(pid=cases, days=st.sampled_from([1, 14, 60]))
    def request_data(self, pid: str, days: int) -> None:
        """The caseworker asks the course provider for what it must supply (A.16)."""
        case = self.actors.case(pid)
        asked = {r["item"] for r in case["data_requests"] if r["status"] == "offen"}
        missing = [
            b["code"]
            for b in case["assessment"]["blockers"]
            if b["supplier"] == "kurstraeger" and b["code"] not in asked
        ]
        item = missing[0] if missing else "anschrift_fehlt"
        due = (self.actors.live.clock() + timedelta(days=days)).date().isoformat()
        response = self.actors.caseworker.post(
            f"/v1/participants/{pid}/data-requests", json={"item": item, "due_on": due}
        )
        if missing:
            assert response.status_code == 201, response.text
            event("Daten angefordert")
        elif item in asked:
            assert (response.status_code, response.json()["code"]) == (409, "request_open")
        else:
            assert response.status_code == 422, response.text

    @rule(
        pid=cases,
        paid=st.sampled_from([0, 45_801, 137_400]),
        certified=st.booleans(),
        then=st.sampled_from([None, True, False]),
    )
    def refund(self, pid: str, paid: int, certified: bool, then: bool | None) -> None:
        """The course provider files a refund application (R16), at any point of the life;
        `certified`: for the first case with a Zertifikat in force (so that grants happen);
        `then`: the caseworker decides it at once (grant or refuse), as `decide_refund`."""
        if certified:
            pid = next((p for p in self.pids if self._zertifikat_in_force(p)), pid)
        body = {
            "participant_id": pid,
            "received_on": self.actors.live.clock().date().isoformat(),
            "contribution_paid_cents": paid,
            "contribution_full_cents": 137_400,
            "iban": "DE89370400440532013000",
            "account_holder": "Ayşe Şahin",
        }
        live = [r for r in self.actors.case(pid)["refunds"] if r["status"] != "abgelehnt"]
        response = self.actors.provider.post("/v1/refund-applications", json=body)
        if live:
            assert response.status_code == 409, response.text
        else:
            assert response.status_code == 201, response.text
            event("Erstattung beantragt")
            if then is not None:
                self._decide_refund(response.json(), then)

    @rule(grant=st.booleans())
    def decide_refund(self, grant: bool) -> None:
        """The first open refund application is granted (only if R16 allows it) or refused."""
        refund = next(
            (
                r
                for pid in self.pids
                for r in self.actors.case(pid)["refunds"]
                if r["status"] == "offen"
            ),
            None,
        )
        if refund is not None:
            self._decide_refund(refund, grant)

    def _decide_refund(self, refund: dict[str, Any], grant: bool) -> None:
        body = {"decision": "approve"} if grant else {"decision": "reject", "reason": REASON}
        path = f"/v1/refund-applications/{refund['refund_id']}/decision"
        response = self.actors.caseworker.post(path, json=body)
        eligible = refund["assessment"]["eligible"]
        if grant and not eligible:
            assert (response.status_code, response.json()["code"]) == (422, "rules_forbid")
            event("Erstattung nach R16 verwehrt")
            return
        assert response.status_code == 200, response.text
        decided = response.json()
        assert decided["amount_cents"] == (refund["assessment"]["amount_cents"] if grant else None)
        letter = self.actors.caseworker.get(f"{path.rsplit('/', 1)[0]}/letter")
        assert letter.status_code == 200 and letter.content[:5] == b"%PDF-"
        event("Erstattung bewilligt" if grant else "Erstattung abgelehnt")

    def _can_issue(self, pid: str) -> bool:
        return bool(self.actors.case(pid)["assessment"]["can_issue"])

    def _zertifikat_in_force(self, pid: str) -> bool:
        return any(
            c["kind"] == "zertifikat" and c["status"] == "gueltig"
            for c in self.actors.case(pid)["certificates"]
        )

    # ---- the caseworkers

    @rule(pid=cases, day=st.sampled_from(DTZ_DAYS), given=complete_parts, reason=st.booleans())
    def paper(self, pid: str, day: str, given: dict[str, float], reason: bool) -> None:
        body = {"capture_reason": REASON} if reason else {}
        response = self.actors.paper(pid, exam_date=day, parts=given, **body)
        # 422: not a self-payer and no reason; 409: the web service sent that day
        assert response.status_code in (200, 409, 422), response.text

    @rule(
        pid=cases,
        proof=st.sampled_from(
            [
                ("Goethe-Zertifikat B1", "B1", "2024-11-01"),
                ("TestDaF (TDN 4)", "C1", "2024-11-01"),
                ("Goethe-Zertifikat B1", "C2", "2024-11-01"),
                ("telc Deutsch B1", "B1", "2022-01-01"),  # too old when presented
            ]
        ),
    )
    def alt_b1(self, pid: str, proof: tuple[str, str, str]) -> None:
        name, level, issued_on = proof
        response = self.actors.alt_b1(pid, exam_name=name, level=level, issued_on=issued_on)
        assert response.status_code == 200, response.text

    @rule(
        pid=cases,
        first_issuable=st.booleans(),
        then=st.sampled_from(
            ["", "reverse", "copy", "dispatch", "dispatch-reverse", "dispatch-copy"]
        ),
    )
    def issue(self, pid: str, first_issuable: bool, then: str) -> None:
        """Issue on a drawn case, or on the first case that can issue (so that documents are
        issued, superseded and withdrawn often enough); `then` takes the new document one step
        further at once (a document is rare in a short life)."""
        if first_issuable:
            pid = next((p for p in self.pids if self._can_issue(p)), pid)
        before = self.actors.case(pid)
        a = before["assessment"]
        response = self.actors.issue(pid)
        assert (response.status_code == 201) is a["can_issue"], (a, response.text)
        if response.status_code != 201:
            return
        self.issued += 1
        document = response.json()
        assert document["kind"] == a["document"]
        assert document["supersedes"] == a["supersedes"]
        self._prints_the_counted_sittings(before, document)
        if then == "reverse":
            self.reverse(pid, False)
        elif then == "copy":
            self.copy(pid, False)
        elif then.startswith("dispatch"):
            self.dispatch()
            if then.endswith("reverse"):
                self.reverse(pid, False)
            elif then.endswith("copy"):
                self.copy(pid, False)

    @rule()
    def withdraw(self) -> None:
        """Propose and confirm (four eyes) the withdrawal of the first Zertifikat that lost its
        basis, one step per call."""
        for pid in self.pids:
            a = self.actors.case(pid)["assessment"]
            path = f"/v1/certificates/{a['in_force']}/withdrawal"
            if a["next_step"] == "ruecknahme_vorschlagen":
                proposed = self.actors.caseworker.post(path, json={"reason": WITHDRAWAL})
                assert proposed.status_code == 201, proposed.text
                return
            if a["next_step"] == "ruecknahme_freigeben":
                own = self.actors.caseworker.post(f"{path}/confirm", json={})
                assert own.status_code == 403, own.text  # never the proposer
                confirmed = self.actors.supervisor.post(f"{path}/confirm", json={})
                assert confirmed.status_code == 200, confirmed.text
                event("Rücknahme bestätigt")
                return

    def _in_force(self, pid: str, first: bool) -> tuple[str, dict[str, Any]] | None:
        """The document in force of `pid`, or with `first` of the first case that has one (so
        that documents are reversed, copied and posted often enough)."""
        for candidate in [p for p in self.pids if first] + [pid]:
            certificates = self.actors.case(candidate)["certificates"]
            in_force = [c for c in certificates if c["status"] == "gueltig"]
            if in_force:
                return candidate, in_force[0]
        return None

    @precondition(lambda self: self.issued > 0)
    @rule(pid=cases, first=st.booleans())
    def reverse(self, pid: str, first: bool) -> None:
        """The issuer reverses the document in force: only before dispatch (A.12)."""
        found = self._in_force(pid, first)
        if found is None:
            return
        pid, document = found
        path = f"/v1/certificates/{document['certificate_id']}/reversal"
        response = self.actors.caseworker.post(path, json={"reason": REVERSAL})
        if document["dispatched_at"] is None:
            assert response.status_code == 200, response.text
            assert self.actors.case(pid)["assessment"]["in_force"] is None
            event("storniert")
        else:
            assert response.status_code == 409, response.text
            assert response.json()["code"] == "already_dispatched"
            event("Storno nach Versand abgelehnt")

    @precondition(lambda self: self.issued > 0)
    @rule(pid=cases, first=st.booleans())
    def copy(self, pid: str, first: bool) -> None:
        """A Zweitschrift of the document in force carries its number and data."""
        found = self._in_force(pid, first)
        if found is None:
            return
        number = found[1]["certificate_id"]
        made = self.actors.caseworker.post(
            f"/v1/certificates/{number}/copies", json={"reason": "verloren"}
        )
        if found[1]["dispatched_at"] is None:  # the original goes out first
            assert (made.status_code, made.json()["code"]) == (409, "not_dispatched")
            return
        assert made.status_code == 201, made.text
        copy = self.actors.caseworker.get(made.json()["pdf_url"])
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(copy.content)).pages)
        assert "ZWEITSCHRIFT" in text and number in text
        event("Zweitschrift")

    @precondition(lambda self: self.issued > 0)
    @rule()
    def dispatch(self) -> None:
        """The office's print run, marked as posted: only what the participant is to hold."""
        batch = self.actors.caseworker.get("/v1/dispatch").json()
        if not batch["items"]:
            return
        for item in batch["items"]:
            case = self.actors.case(item["participant_id"])
            documents = case["certificates"]
            if item["kind"] == "erstattung":  # a refund's Bescheid goes out once decided
                letters = {r["letter_id"]: r["status"] for r in case["refunds"]}
                assert letters.get(item["item_id"]) in ("bewilligt", "abgelehnt"), item
            elif item["kind"] in ("zweitschrift", "ruecknahme"):  # about a posted document
                original = item["item_id"].rsplit("-", 1)[0]
                about = next(c for c in documents if c["certificate_id"] == original)
                assert about["dispatched_at"] is not None, (item, about)
            else:  # a document that ended in the office is never posted
                document = next(c for c in documents if c["certificate_id"] == item["item_id"])
                assert document["status"] == "gueltig", (item, document)
        marked = self.actors.caseworker.post("/v1/dispatch", json={"as_of": batch["as_of"]})
        assert marked.status_code == 200, marked.text
        assert self.actors.caseworker.get("/v1/dispatch").json()["items"] == []
        event("versandt")

    # ---- repetition with the waiver of the DTZ condition (R13.3, four eyes)

    @initialize(target=applications)
    def first_application(self) -> tuple[str, int]:
        return self.alpha_application()

    @rule(target=applications)
    def alpha_application(self) -> tuple[str, int]:
        """An Alpha participant with the contingent used up and no DTZ yet: the rules allow
        the repetition only with the waiver."""
        pid = self.actors.register(
            course_type="alphabetisierung", contingent_hours=900, hours_used=900
        )
        response = self.actors.apply(pid)
        assert response.status_code == 201, response.text
        found = (pid, int(response.json()["application_id"]))
        self.applications.append(found)
        return found

    @rule(
        found=applications,
        late=st.sampled_from([None, None, "a2", "b1"]),
    )
    def propose_waiver(self, found: tuple[str, int], late: str | None) -> None:
        """The caseworker approves with the waiver: a proposal while the rules need it, a
        decision at once when they do not; `late` sends a DTZ result right after it."""
        _, app_id = found
        before = self._application(found)
        a = before["assessment"]
        response = self.actors.caseworker.post(
            f"/v1/repetition-applications/{app_id}/decision",
            json={
                "decision": "approve",
                "hours": 300,
                "waive_dtz_condition": True,
                "reason": WAIVER,
            },
        )
        if before["status"] != "offen":
            assert (response.status_code, response.json()["code"]) == (409, "already_decided")
        elif before["waiver_proposal"] is not None:
            assert (response.status_code, response.json()["code"]) == (409, "waiver_pending")
        elif a["eligible"]:
            assert response.status_code == 200, response.text
            assert response.json()["status"] == "genehmigt"
        elif a["eligible_with_waiver"]:
            assert response.status_code == 202, response.text
            assert response.json()["waiver_proposal"]["proposed_by"] == PROPOSER
            event("Verzicht vorgeschlagen")
            self.proposed.add(app_id)
        else:
            assert response.status_code == 422, response.text
        if late is not None:
            self.applicant_dtz(found, late)

    @rule(found=applications, level=st.sampled_from(["a2", "b1"]))
    def applicant_dtz(self, found: tuple[str, int], level: str) -> None:
        """A DTZ sitting of the applicant arrives late (before or after a proposal)."""
        given = B1 if level == "b1" else {"hoeren_lesen": 25, "schreiben": 10, "sprechen": 50.0}
        response = self.actors.dtz(found[0], exam_date=DTZ_DAYS[2], **given)
        assert response.status_code == 201, response.text

    @precondition(lambda self: self.proposed)
    @rule(found=applications, confirm=st.booleans(), waiting=st.booleans())
    def decide_waiver(self, found: tuple[str, int], confirm: bool, waiting: bool) -> None:
        """The proposer cannot take the second step; a supervisor confirms (the rules decide
        again) or refuses with a reason; `waiting` takes an application whose waiver waits."""
        if waiting:
            found = next(f for f in self.applications if f[1] in self.proposed)
        _, app_id = found
        before = self._application(found)
        path = f"/v1/repetition-applications/{app_id}/waiver/{'confirm' if confirm else 'refuse'}"
        body = {} if confirm else {"reason": REFUSAL}
        own = self.actors.caseworker.post(path, json=body)
        assert own.status_code in (403, 409), own.text
        response = self.actors.supervisor.post(path, json=body)
        if before["waiver_proposal"] is None:
            assert (response.status_code, response.json()["code"]) == (409, "no_waiver_pending")
            return
        a = before["assessment"]
        if not confirm:
            assert response.status_code == 200, response.text
            assert response.json()["status"] == "offen"
            assert response.json()["waiver_proposal"] is None
            event("Verzicht abgelehnt")
            self.proposed.discard(app_id)
        elif a["eligible"] or a["eligible_with_waiver"]:
            assert response.status_code == 200, response.text
            decided = response.json()
            assert decided["status"] == "genehmigt" and decided["waive_dtz_condition"] is True
            assert decided["decided_by"] == before["waiver_proposal"]["proposed_by"]
            assert decided["waiver_confirmed_by"] == SUPERVISOR
            event("Verzicht freigegeben")
            self.proposed.discard(app_id)
        else:  # a late fact took the ground away: refused, the proposal waits to be refused
            assert (response.status_code, response.json()["code"]) == (422, "rules_forbid")
            assert self._application(found)["waiver_proposal"] is not None
            event("Verzicht: spätes Ergebnis, Freigabe verweigert")

    def _application(self, found: tuple[str, int]) -> dict[str, Any]:
        pid, app_id = found
        applications = self.actors.case(pid)["applications"]
        return next(x for x in applications if x["application_id"] == app_id)

    @invariant()
    def a_waiting_waiver_waits_where_supervisors_look(self) -> None:
        if not self.applications:
            return
        page = self.actors.supervisor.get(
            "/v1/postbox", params={"awaiting": "freigabe", "kind": "wiederholung", "limit": 500}
        )
        assert page.status_code == 200, page.text
        awaiting = {e["participant_id"] for e in page.json()["items"]}
        for found in self.applications:
            application = self._application(found)
            pending = application["waiver_proposal"] is not None
            [entry] = self.actors.entries(found[0])
            assert (found[0] in awaiting) is pending, (application, entry)
            assert ("wartet_verzicht_freigabe" in entry["blockers"]) is pending
            assert (entry["status"] == "erledigt") is (application["status"] != "offen")
            if application["waiver_confirmed_by"]:
                assert application["waiver_confirmed_by"] != application["decided_by"]

    # ---- after every step

    @invariant()
    def every_number_is_accounted_for(self) -> None:
        year = datetime.now(UTC).year
        report = self.actors.caseworker.get(f"/v1/number-series/{year}").json()
        assert all(s["unexplained"] == [] for s in report["series"]), report

    @invariant()
    def the_figures_follow_every_change(self) -> None:
        """The Kennzahlen's running totals are what the entries say (`figures.drift`)."""
        from inge_tui.server.store import figures

        with self.actors.live.engine.connect() as conn:
            assert figures.drift(conn) == []

    @invariant()
    def every_case_agrees_with_itself(self) -> None:
        for pid in self.pids:
            self._check(pid)

    def _check(self, pid: str) -> None:
        case = self.actors.case(pid)
        a = case["assessment"]
        counted = a["counted"]
        entries = [e for e in case["postbox"] if e["kind"] == "abschluss"]
        open_entries = [e for e in entries if e["status"] != "erledigt"]
        in_force = [c for c in case["certificates"] if c["status"] == "gueltig"]

        # at most one document in force, and it is the one the assessment names
        assert len(in_force) <= 1
        assert a["in_force"] == (in_force[0]["certificate_id"] if in_force else None)

        # no dead end: an open entry has an action that ends it
        assert len(open_entries) <= 1
        step = a["next_step"]
        if open_entries:
            assert step != "keiner", (a, open_entries)
        if step == "warten":
            assert a["blockers"] and all(b["supplier"] for b in a["blockers"])
        if step.startswith("ruecknahme"):
            assert in_force and in_force[0]["kind"] == "zertifikat"
        has_pair = counted["lid_exam_date"] and (
            case["self_payer"] or counted["dtz_exam_date"] or case["alternative_b1"]
        )
        if step != "keiner" and has_pair:
            assert open_entries, a

        # the issue route agrees with a refusal (an allowed issue is the `issue` rule)
        if not a["can_issue"]:
            refused = self.actors.issue(pid)
            assert refused.status_code == 409, refused.text
            assert self.actors.case(pid)["version"] == case["version"]

        # the row and the detail show the counted sittings
        dtz = case["dtz"] if case["dtz"] and case["dtz"]["counted"] else None
        lid = case["lid"]
        assert (dtz["exam_date"] if dtz else None) == counted["dtz_exam_date"]
        assert (lid["exam_date"] if lid else None) == counted["lid_exam_date"]
        for entry in open_entries:
            assert entry["dtz_overall"] == (dtz["overall"] if dtz else None)
            assert entry["lid_points"] == (lid["points"] if lid else None)
            assert entry["expected_document"] == a["document"]
            assert entry["blocked"] is not a["can_issue"]

        # a data request is open exactly while its blocker is there, and the row says so
        asked = [r for r in case["data_requests"] if r["status"] == "offen"]
        providers = {b["code"] for b in a["blockers"] if b["supplier"] == "kurstraeger"}
        assert {r["item"] for r in asked} <= providers, (asked, a["blockers"])
        for entry in open_entries:
            due = min((r["due_on"] for r in asked), default=None)
            assert entry["request_due"] == due, (entry, asked)
        for request in case["data_requests"]:
            if request["status"] == "erledigt" and request["request_id"] not in self.closed:
                self.closed.add(request["request_id"])
                event("Datenanforderung erledigt")

        # a refund application: R16 on the case as it is now, in the detail and in the row
        zertifikat = bool(in_force) and in_force[0]["kind"] == "zertifikat"
        refund_rows = {e["refund_id"]: e for e in case["postbox"] if e["kind"] == "erstattung"}
        for refund in case["refunds"]:
            row, ra = refund_rows[refund["refund_id"]], refund["assessment"]
            met = {c["code"]: c["met"] for c in ra["conditions"]}
            assert met["zertifikat"] is zertifikat, (refund, in_force)
            unmet = [c["code"] for c in ra["conditions"] if c["required"] and not c["met"]]
            assert ra["eligible"] is (not unmet)
            half = (refund["contribution_paid_cents"] + 1) // 2
            assert ra["amount_cents"] == (half if ra["eligible"] else 0)
            if refund["status"] == "offen":
                assert row["status"] != "erledigt"
                assert row["blockers"] == [f"erstattung_{code}" for code in unmet], (row, ra)
                assert row["blocked"] is bool(unmet)
            else:
                assert row["status"] == "erledigt" and refund["letter_id"]

        # the decision record stays with the document in force, not on it
        if in_force:
            assert in_force[0]["record"], in_force[0]

        # a document in force with nothing due records exactly what counts
        if step == "keiner":
            assert in_force
            inputs = in_force[0]["inputs"]
            assert inputs["lid"] == (
                {"points": lid["points"], "exam_date": lid["exam_date"]} if lid else None
            )
            assert (inputs["dtz"] or {}).get("exam_date") == counted["dtz_exam_date"]
            assert (inputs["dtz"] or {}).get("source") == counted["dtz_source"]
            assert bool(inputs["alt_b1"]) is counted["alt_b1"]

    def _prints_the_counted_sittings(
        self, before: dict[str, Any], document: dict[str, Any]
    ) -> None:
        counted = before["assessment"]["counted"]
        lid = before["lid"]
        inputs = document["inputs"]
        assert inputs["lid"] == {"points": lid["points"], "exam_date": lid["exam_date"]}
        assert (inputs["dtz"] or {}).get("exam_date") == counted["dtz_exam_date"]
        text = self.actors.pdf_text(document["certificate_id"])
        assert "Seite 1 von 1" in text.replace("\u00a0", " ")  # one page, whatever the case
        assert f"Prüfung vom {german(lid['exam_date'])}" in text
        assert f"Leben in Deutschland {lid['points']} 33" in text
        if counted["dtz_exam_date"]:
            assert f"Prüfung vom {german(counted['dtz_exam_date'])}" in text
        other_lid_days = {x["exam_date"] for x in before["lid_attempts"]} - {lid["exam_date"]}
        for day in other_lid_days:
            assert f"Prüfung vom {german(day)}" not in text


def test_case_lives_stay_consistent_after_every_step(actors: Actors) -> None:
    CaseLives.actors = actors
    REACHED.clear()
    run_state_machine_as_test(
        CaseLives,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=14,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        ),
    )
    print("Schritte erreicht:", ", ".join(f"{k} {v}" for k, v in sorted(REACHED.items())))
