"""Keeping the Postkorb in step with a case: the exactly-once trigger and the list columns.

Called inside the transaction of every write that concerns a participant (the participant row
is locked, so two processes never run this for one case at once):

- An `abschluss` entry stands for one exam pair, named by `pair_key`: the LiD sitting plus the
  DTZ sitting (or the alternative B1 proof) that the rules count (domain.md A.11). For a
  self-payer the LiD sitting alone opens it; the entry then waits, blocked, for the paper DTZ.
  A pair gets one entry, ever (unique index on participant, kind, pair_key). At most one
  `abschluss` entry is open per participant (partial unique index).
- An `abschluss` entry is open exactly while something is due (`Assessment.next_step` is not
  `keiner`, A.14): a document to issue, a blocker to resolve, a withdrawal to propose or
  confirm. A late fact or a correction that makes something due reopens the pair's entry
  (flag `korrektur` for a correction, `neues_ergebnis` for a new fact) or opens one for a new
  pair; one that makes the document in force right again closes it. While an entry is open, a
  newer pair moves into it (flag `neues_ergebnis`).
- The denormalised list columns (name, counted results, expected document, blockers, flags)
  are recomputed from the assessment on every call; the entry's version moves only if they
  change.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from inge_tui.domain.types import Assessment, NextStep
from inge_tui.server.store.cases import CaseRecord
from inge_tui.server.store.postbox import search_key
from inge_tui.server.store.uow import Tx
from inge_tui.server.usecases.rules import Rules
from inge_tui.server.usecases.views import split

Row = dict[str, Any]

ABSCHLUSS = "abschluss"
WIEDERHOLUNG = "wiederholung"
ERSTATTUNG = "erstattung"
# the entry kinds that stand for an application: (kind, the entry's column, pair key prefix)
APPLICATION_ENTRIES = (
    (WIEDERHOLUNG, "application_id", "A"),
    (ERSTATTUNG, "refund_id", "E"),
)
STICKY_FLAGS = frozenset({"korrektur", "neues_ergebnis"})
NAME_COLUMNS = ("surname", "given_name", "name_key", "self_payer", "course_type")
# a step that is not a blocker of the rules but keeps the entry from being issued, as the list
# shows it among the blockers
STEP_CODES = {
    NextStep.RUECKNAHME_VORSCHLAGEN: "ruecknahme_vorschlagen",
    NextStep.RUECKNAHME_FREIGEBEN: "ruecknahme_freigabe",
}
# a proposed waiver of the DTZ condition (R13.3) waits for a supervisor (four eyes)
WAIVER_CODE = "verzicht_freigabe"
FREIGABE = "freigabe"


@dataclass(frozen=True)
class _System:
    """The service itself as the actor of what follows from a fact (an audit row's actor)."""

    token_id: None = None
    name: str = "inge-tui"
    role: str = "system"


def close_answered_requests(tx: Tx, case: CaseRecord, assessment: Assessment) -> CaseRecord:
    """A data request ends by itself when its blocker is gone (the provider reported the data,
    or the rules no longer need it): `erledigt`, audited. Answers the case as it is now."""
    missing = {b.code for b in assessment.blockers}
    answered = [r for r in case.open_requests if r["item"] not in missing]
    if not answered:
        return case
    tx.cases.close_requests([r["request_id"] for r in answered], tx.now)
    for request in answered:
        tx.ledger.audit(
            at=tx.now,
            actor=_System(),
            action="datenanforderung_erledigt",
            office=request["office"],
            participant_id=case.participant_id,
            inputs={"request_id": request["request_id"], "item": request["item"]},
            outcome={"status": "erledigt", "requested_on": request["requested_on"].isoformat()},
        )
    closed = {r["request_id"] for r in answered}
    requests = [
        {**r, "status": "erledigt", "closed_at": tx.now} if r["request_id"] in closed else r
        for r in case.data_requests
    ]
    return dataclasses.replace(case, data_requests=requests)


def _waiting(rules: Rules, case: CaseRecord, entry: Row) -> tuple[str, ...]:
    """What an open application's approval waits for (empty for any other entry): a fact
    (R13 in the 9th Kursabschnitt) or a supervisor's confirmation of a proposed waiver; for an
    open refund application, the conditions of R16 it does not meet (it can only be refused)."""
    if entry["kind"] == ERSTATTUNG:
        refund = next((r for r in case.refunds if r["refund_id"] == entry.get("refund_id")), None)
        if refund is None or refund["status"] != "offen" or entry["status"] == "erledigt":
            return ()
        unmet = rules.refund(case, refund).conditions
        return tuple(c.code for c in unmet if c.required and not c.met)
    app = next(
        (a for a in case.applications if a["application_id"] == entry.get("application_id")), None
    )
    if app is None or app["status"] != "offen" or entry["status"] == "erledigt":
        return ()
    if app.get("waiver_proposed_by"):
        return (WAIVER_CODE,)
    return tuple(c.code for c in rules.repetition(case, app).waiting_for)


def closed_values(tx: Tx) -> dict[str, object]:
    """The values that close a Postkorb entry (and end any claim on it)."""
    return {
        "status": "erledigt",
        "closed_at": tx.now,
        "updated_at": tx.now,
        "claimed_by_token": None,
        "claimed_by_name": None,
        "claimed_at": None,
        "claim_expires_at": None,
        "awaiting": None,
    }


def abschluss_key(case: CaseRecord, assessment: Assessment) -> str | None:
    """The exam pair an `abschluss` entry stands for, or None while there is none (R5, R8)."""
    counted = assessment.counted
    if counted.lid is None:
        return None
    key = f"L{counted.lid.exam_date.isoformat()}"
    if case.participant["self_payer"]:
        return key
    if counted.dtz is not None:
        return f"{key}|D{counted.dtz.exam_date.isoformat()}"
    if counted.alt_b1 is not None:
        issued = counted.alt_b1.issued_on
    elif case.alt_b1 is not None:  # a proof on file that does not count (yet) opens it too
        issued = case.alt_b1["issued_on"]
    else:
        return None
    return f"{key}|B{issued.isoformat()}"


def entry_columns(
    case: CaseRecord, assessment: Assessment, kind: str, waiting: tuple[str, ...] = ()
) -> Row:
    """The denormalised list columns of an entry of `kind` for this case: the sittings the
    rules counted, never an ignored one (A.11). `waiting`: the codes of the conditions a
    `wiederholung` entry's approval waits for (R13 in the 9th Kursabschnitt), or those of R16
    an `erstattung` entry's application does not meet."""
    p = case.participant
    counted = assessment.counted
    dtz_overall = assessment.dtz.overall if counted.dtz and assessment.dtz else None
    computed = {"selbstzahler"} if p["self_payer"] else set()
    requests: list[Row] = []
    if kind == ABSCHLUSS:
        codes = [b.code for b in assessment.blockers]
        step = STEP_CODES.get(assessment.next_step)
        if step:
            codes.append(step)
        document = assessment.document.value if assessment.document is not None else None
        blocked = not assessment.can_issue
        requests = case.open_requests
    else:
        prefix = "erstattung_" if kind == ERSTATTUNG else "wartet_"
        codes, document = [f"{prefix}{code}" for code in waiting], None
        blocked = bool(waiting)
    center = None
    if counted.dtz is not None:
        day, source = counted.dtz.exam_date, counted.dtz.source.value
        center = next(
            (r["exam_center"] for r in case.dtz if (r["exam_date"], r["source"]) == (day, source)),
            None,
        )
    return {
        "surname": p["surname"],
        "given_name": p["given_name"],
        "course_type": str(p["course_type"]),
        "exam_center": center,
        "name_key": search_key(f"{p['surname']} {p['given_name']}")[:400],
        "self_payer": bool(p["self_payer"]),
        "dtz_overall": str(dtz_overall) if dtz_overall is not None else None,
        "lid_points": int(assessment.lid.points) if assessment.lid else None,
        "expected_document": document,
        "blocker_codes": ",".join(codes)[:400],
        "blocked": blocked,
        # waits for a supervisor's four eyes (`wartet:freigabe`)
        "awaiting": FREIGABE if any(c.endswith("_freigabe") for c in codes) else None,
        # open data requests to the course provider (A.16): the first day and nearest deadline
        "requested_on": min((r["requested_on"] for r in requests), default=None),
        "request_due": min((r["due_on"] for r in requests), default=None),
        "_computed_flags": computed,
    }


def _with_flags(
    entry: Row | None, columns: Row, add: frozenset[str] | set[str] = frozenset()
) -> Row:
    values = dict(columns)
    computed = values.pop("_computed_flags")
    sticky = {f for f in split(entry["flags"]) if f in STICKY_FLAGS} if entry else set()
    values["flags"] = ",".join(sorted(sticky | computed | set(add)))
    return values


def new_entry(
    case: CaseRecord, columns: Row, *, kind: str, pair_key: str, now: Any, **extra: Any
) -> Row:
    return {
        "office": case.participant["office"],
        "kind": kind,
        "status": "offen",
        "participant_id": case.participant_id,
        "pair_key": pair_key,
        "created_at": now,
        "updated_at": now,
        **_with_flags(None, columns),
        **extra,
    }


@dataclass(frozen=True)
class Synced:
    """A case after a write: its new version, its rows, the assessment and its entries."""

    version: int
    case: CaseRecord
    assessment: Assessment
    entries: list[Row]


def resync(
    tx: Tx,
    rules: Rules,
    participant_id: str,
    *,
    correction: bool = False,
    application: Row | None = None,
    refund: Row | None = None,
) -> Synced:
    """After any write to a case: bump its version, read it again, bring the Postkorb in step."""
    version = tx.cases.touch(participant_id, tx.now)
    case = tx.cases.load(participant_id)
    assert case is not None
    assessment, entries = sync_case(
        tx, rules, case, correction=correction, application=application, refund=refund
    )
    return Synced(version, case, assessment, entries)


def sync_case(
    tx: Tx,
    rules: Rules,
    case: CaseRecord,
    *,
    correction: bool = False,
    application: Row | None = None,
    refund: Row | None = None,
) -> tuple[Assessment, list[Row]]:
    """Open, keep or close the case's entries by what is due, and refresh their list columns."""
    assessment = rules.assess(case, on=tx.now.date())
    case = close_answered_requests(tx, case, assessment)
    entries = tx.postbox.for_participant(case.participant_id)
    extra_flags: dict[int, set[str]] = {}
    reopen: set[int] = set()
    close: set[int] = set()

    key = abschluss_key(case, assessment)
    due = assessment.next_step is not NextStep.KEINER
    abschluss = [e for e in entries if e["kind"] == ABSCHLUSS]
    still_open = [e for e in abschluss if e["status"] != "erledigt"]
    flag = "korrektur" if correction else "neues_ergebnis"
    if key is not None and due:
        keyed = next((e for e in abschluss if e["pair_key"] == key), None)
        if still_open:
            current = still_open[0]
            if keyed is None:  # a newer pair moves into the open entry
                moved = tx.postbox.update(
                    current["entry_id"], {"pair_key": key, "updated_at": tx.now}
                )
                assert moved is not None
                entries = [moved if e["entry_id"] == moved["entry_id"] else e for e in entries]
                extra_flags[moved["entry_id"]] = {"neues_ergebnis"}
            elif correction and keyed is current:
                extra_flags[current["entry_id"]] = {"korrektur"}
        elif keyed is not None:  # something is due again on a pair whose entry was closed
            reopen.add(keyed["entry_id"])
            extra_flags[keyed["entry_id"]] = {flag}
        else:
            columns = entry_columns(case, assessment, ABSCHLUSS)
            entries.append(
                tx.postbox.insert(
                    new_entry(case, columns, kind=ABSCHLUSS, pair_key=key, now=tx.now)
                )
            )
    elif not due:
        # the document in force says what the rules count: nothing is left to do
        close = {e["entry_id"] for e in still_open}

    # an application just filed gets its entry (one per application, ever)
    for (kind, key, prefix), filed in zip(APPLICATION_ENTRIES, (application, refund), strict=True):
        if filed is not None and not any(e.get(key) == filed[key] for e in entries):
            columns = entry_columns(case, assessment, kind)
            pair_key = f"{prefix}{filed[key]}"
            values = new_entry(case, columns, kind=kind, pair_key=pair_key, now=tx.now)
            entries.append(tx.postbox.insert({**values, key: filed[key]}))

    refreshed = []
    for entry in entries:
        values = _with_flags(
            entry,
            entry_columns(case, assessment, entry["kind"], _waiting(rules, case, entry)),
            extra_flags.get(entry["entry_id"], set()),
        )
        if entry["entry_id"] in reopen:
            values.update(status="offen", closed_at=None)
        elif entry["entry_id"] in close:
            values.update(closed_values(tx))
        elif entry["status"] == "erledigt":
            # A closed entry keeps what it showed when it was closed; only names follow the case.
            values = {k: values[k] for k in NAME_COLUMNS}
        changed = {k: v for k, v in values.items() if entry.get(k) != v}
        if changed:
            entry = tx.postbox.update(entry["entry_id"], {**changed, "updated_at": tx.now}) or entry
        refreshed.append(entry)
    return assessment, refreshed
