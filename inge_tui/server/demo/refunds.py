"""Refund applications in the demo (§ 9 Abs. 6 IntV, R16): in the first office, the real use
cases issue the Zertifikat of a few ready cases (posted with the demo's print run) and the
course provider then files a refund for each: one eligible, one late (success after the
window), one with nothing paid (fully exempt), one partly exempt; and one granted by the
caseworker, whose Bescheid waits for the next print run.
Which case gets which life follows from its own facts (the window is the rules'), not from a
flag: the demo shows what the service would decide.
"""

from __future__ import annotations

from typing import Any

from inge_tui.api.models import RepetitionDecision
from inge_tui.api.requests import CertificateRequest, RefundApplicationIn, RefundDecisionIn
from inge_tui.server.auth import Principal
from inge_tui.server.demo.picks import ready_cases
from inge_tui.server.usecases import issuing, refunds
from inge_tui.server.usecases.services import Services

# the contribution of a 600-UE course at 2.29 € per UE (domain.md § 2.5)
FULL = 137_400
# IBANs with correct check digits (ISO 13616), invented
IBANS = (
    "DE84760100850012345678",
    "DE45120300000004711001",
    "DE12500105170648489890",
    "DE05100500000190123456",
    "DE95700202700015432101",
)
# life -> (paid, full): the contribution paid and the one due without exemption, in cents
LIVES = {
    "bewilligt": (FULL, FULL),
    "erstattungsfaehig": (FULL, FULL),
    "verspaetet": (FULL, FULL),
    "nichts_gezahlt": (0, FULL),
    "teilweise_befreit": (45_800, FULL),
}


def certify_for_refunds(svc: Services, worker: Principal, office: str) -> dict[str, str]:
    """Issue the Zertifikat of one ready case per refund life (the office posts them with the
    next print run); returns life -> participant (empty if the office has too few cases)."""
    found = svc.store.run(lambda tx: _cases_by_window(svc, tx, office), readonly=True)
    if not found:
        return {}
    chosen = {life: found["late" if life == "verspaetet" else "within"].pop(0) for life in LIVES}
    for pid in chosen.values():
        issuing.issue(svc, worker, pid, CertificateRequest(), f"demo-erstattung-{pid}", None)
    return chosen


def file_refunds(
    svc: Services, worker: Principal, provider: Principal, chosen: dict[str, str]
) -> list[int]:
    """The course provider files each life's application; the caseworker grants the first."""
    made = []
    today = svc.store.run(lambda tx: tx.now.date(), readonly=True)
    for index, (life, pid) in enumerate(chosen.items()):
        paid, full = LIVES[life]
        body = RefundApplicationIn(
            participant_id=pid,
            received_on=today,
            contribution_paid_cents=paid,
            contribution_full_cents=full,
            iban=IBANS[index],
            account_holder=_holder(svc, pid),
        )
        refund_id = int(refunds.file_refund(svc, provider, body).body["refund_id"])
        made.append(refund_id)
        if life == "bewilligt":
            decision = RefundDecisionIn(decision=RepetitionDecision.APPROVE)
            refunds.decide_refund(svc, worker, refund_id, decision, None)
    return made


def _cases_by_window(svc: Services, tx: Any, office: str) -> dict[str, list[str]]:
    """Ready cases (a Zertifikat due, nothing blocking) whose success falls within R16's
    window (`within`) or after it (`late`), skipping the first six (the document lives)."""
    found: dict[str, list[str]] = {"within": [], "late": []}
    probe = {"contribution_paid_cents": FULL, "contribution_full_cents": FULL}
    for pid in ready_cases(tx, office, offset=6, limit=400):
        case = tx.cases.load(pid)
        window = next(c for c in svc.rules.refund(case, probe).conditions if c.code == "frist")
        if case.participant["self_payer"] or case.participant["entitlement_date"] is None:
            continue
        found["within" if window.met else "late"].append(str(pid))
        if len(found["within"]) >= 4 and found["late"]:
            return found
    return found if len(found["within"]) >= 4 and found["late"] else {}


def _holder(svc: Services, pid: str) -> str:
    row = svc.store.run(lambda tx: tx.cases.get(pid), readonly=True)
    assert row is not None
    return f"{row['given_name']} {row['surname']}"
