"""Keeping the Postkorb in step with a case: the exactly-once trigger and the list columns.

Called inside the transaction of every write that concerns a participant (the participant row
is locked, so two processes never run this for one case at once):

- An `abschluss` entry stands for one exam pair, named by `pair_key`: the LiD attempt plus
  the complete DTZ attempt (or the alternative B1 proof). For a self-payer the LiD attempt
  alone opens it; the entry then waits, blocked, for the paper DTZ. A pair gets one entry,
  ever (unique index on participant, kind, pair_key). While an entry is still open, a newer
  pair moves into it (flag `neues_ergebnis`) instead of opening a second one (partial unique
  index: one open `abschluss` per participant).
- A correction of a recorded result flags the entry `korrektur`; a closed entry is reopened.
- The denormalised list columns (name, results, expected document, blockers, flags) are
  recomputed from the assessment on every call; the entry's version moves only if they change.
"""

from __future__ import annotations

from typing import Any

from inge_tui.domain.types import Assessment
from inge_tui.server.facts import latest
from inge_tui.server.repo_cases import CaseRecord
from inge_tui.server.repo_postbox import search_key
from inge_tui.server.rules import Rules
from inge_tui.server.uow import Tx
from inge_tui.server.views import split

Row = dict[str, Any]

ABSCHLUSS = "abschluss"
WIEDERHOLUNG = "wiederholung"
STICKY_FLAGS = frozenset({"korrektur", "neues_ergebnis"})
NAME_COLUMNS = ("surname", "given_name", "name_key", "self_payer")


def abschluss_key(case: CaseRecord) -> str | None:
    """The exam pair an `abschluss` entry stands for, or None while there is none (R5, R8)."""
    lid = latest(case.lid)
    if lid is None:
        return None
    key = f"L{lid['exam_date'].isoformat()}"
    if case.participant["self_payer"]:
        return key
    dtz = latest(case.dtz, complete_only=True)
    if dtz is not None:
        return f"{key}|D{dtz['exam_date'].isoformat()}"
    if case.alt_b1 is not None:
        return f"{key}|B{case.alt_b1['issued_on'].isoformat()}"
    return None


def entry_columns(case: CaseRecord, assessment: Assessment, kind: str) -> Row:
    """The denormalised list columns of an entry of `kind` for this case."""
    p = case.participant
    dtz = latest(case.dtz, complete_only=True) or latest(case.dtz)
    lid = latest(case.lid)
    if assessment.dtz is not None and assessment.dtz.complete:
        dtz_overall = assessment.dtz.overall
    else:
        dtz_overall = dtz.get("overall") if dtz else None
    computed = {"selbstzahler"} if p["self_payer"] else set()
    if kind == ABSCHLUSS:
        codes = [b.code for b in assessment.blockers]
        document = assessment.document.value if assessment.document is not None else None
        blocked = bool(codes) or document is None
    else:
        codes, document, blocked = [], None, False
    return {
        "surname": p["surname"],
        "given_name": p["given_name"],
        "name_key": search_key(f"{p['surname']} {p['given_name']}")[:400],
        "self_payer": bool(p["self_payer"]),
        "dtz_overall": str(dtz_overall) if dtz_overall is not None else None,
        "lid_points": int(assessment.lid.points) if assessment.lid else (lid and lid["points"]),
        "expected_document": document,
        "blocker_codes": ",".join(codes)[:400],
        "blocked": blocked,
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


def sync_case(
    tx: Tx,
    rules: Rules,
    case: CaseRecord,
    *,
    correction: bool = False,
    application: Row | None = None,
) -> tuple[Assessment, list[Row]]:
    """Create what the case now calls for and refresh every entry's list columns."""
    assessment = rules.assess(case, on=tx.now.date())
    entries = tx.postbox.for_participant(case.participant_id)
    extra_flags: dict[int, set[str]] = {}
    reopen: set[int] = set()

    key = abschluss_key(case)
    abschluss = [e for e in entries if e["kind"] == ABSCHLUSS]
    if key is not None and not any(e["pair_key"] == key for e in abschluss):
        still_open = [e for e in abschluss if e["status"] != "erledigt"]
        if still_open:
            moved = tx.postbox.update(
                still_open[0]["entry_id"], {"pair_key": key, "updated_at": tx.now}
            )
            assert moved is not None
            entries = [moved if e["entry_id"] == moved["entry_id"] else e for e in entries]
            extra_flags[moved["entry_id"]] = {"neues_ergebnis"}
        else:
            columns = entry_columns(case, assessment, ABSCHLUSS)
            entries.append(
                tx.postbox.insert(
                    new_entry(case, columns, kind=ABSCHLUSS, pair_key=key, now=tx.now)
                )
            )
            correction = False  # a fresh entry shows the corrected values anyway
    if correction:
        current = next(
            (e for e in entries if e["kind"] == ABSCHLUSS and e["pair_key"] == key), None
        )
        if current is not None:
            extra_flags.setdefault(current["entry_id"], set()).add("korrektur")
            others_open = any(
                e["kind"] == ABSCHLUSS and e["status"] != "erledigt" and e is not current
                for e in entries
            )
            if current["status"] == "erledigt" and not others_open:
                reopen.add(current["entry_id"])

    if application is not None and not any(
        e.get("application_id") == application["application_id"] for e in entries
    ):
        columns = entry_columns(case, assessment, WIEDERHOLUNG)
        entries.append(
            tx.postbox.insert(
                new_entry(
                    case,
                    columns,
                    kind=WIEDERHOLUNG,
                    pair_key=f"A{application['application_id']}",
                    now=tx.now,
                    application_id=application["application_id"],
                )
            )
        )

    refreshed = []
    for entry in entries:
        values = _with_flags(
            entry,
            entry_columns(case, assessment, entry["kind"]),
            extra_flags.get(entry["entry_id"], set()),
        )
        if entry["entry_id"] in reopen:
            values.update(status="offen", closed_at=None)
        elif entry["status"] == "erledigt":
            # A closed entry keeps what it showed when it was closed; only names follow the case.
            values = {k: values[k] for k in NAME_COLUMNS}
        changed = {k: v for k, v in values.items() if entry.get(k) != v}
        if changed:
            entry = tx.postbox.update(entry["entry_id"], {**changed, "updated_at": tx.now}) or entry
        refreshed.append(entry)
    return assessment, refreshed
