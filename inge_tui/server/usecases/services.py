"""What every use case shares: the store, the rules, the settings, and the stored-answer helpers.

Use cases live in `ingestion.py` (outside systems), `casework.py` and `issuing.py`
(caseworkers' decisions), `claims.py` and `postbox.py` (the Postkorb), `reports.py` (statistics,
audit, documents) and `admin.py` (offices, tokens). Each is a function `(services, principal,
…) -> Answer` that runs its writes in one transaction via `services.store.run`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from inge_tui.api import models as m
from inge_tui.domain.said import said
from inge_tui.server.errors import Conflict, invalid, version_conflict
from inge_tui.server.settings import Settings
from inge_tui.server.signin import SignInGuard
from inge_tui.server.store.cases import CaseRecord
from inge_tui.server.store.uow import Store, Tx
from inge_tui.server.usecases.rules import Rules


@dataclass
class Services:
    store: Store
    rules: Rules
    settings: Settings
    signin: SignInGuard = field(default_factory=SignInGuard)


@dataclass
class Answer:
    """A use case's answer: HTTP status, JSON body, and whether it is a stored one replayed."""

    status: int
    body: Any
    replayed: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


def fingerprint(*parts: Any) -> str:
    """SHA-256 over the canonical JSON of what identifies a request (kind, path, body)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def replay(stored: dict[str, Any], fp: str, *, field_name: str, what: str) -> Answer:
    """The stored first answer, if the request is the same; otherwise a 409 naming the key."""
    if stored["fingerprint"] != fp:
        raise Conflict(
            said(
                "{what} wurde schon für eine andere Anfrage verwendet; eine Wiederholung muss"
                " denselben Inhalt haben.",
                what=what,
            ),
            code="key_reused",
            field=field_name,
        )
    return Answer(int(stored["response_status"]), json.loads(stored["response_body"]), True)


def store_transmission(
    tx: Tx,
    transmission_id: str,
    kind: str,
    participant_id: str,
    principal: Any,
    fp: str,
    status: int,
    body: Any,
) -> None:
    """Keep a transmission's answer so that a repeat gets exactly this answer again."""
    tx.ledger.store_transmission(
        {
            "transmission_id": transmission_id,
            "kind": kind,
            "participant_id": participant_id,
            "token_id": principal.token_id,
            "fingerprint": fp,
            "response_status": status,
            "response_body": json.dumps(body, ensure_ascii=False),
            "received_at": tx.now,
        }
    )


def store_idempotent(tx: Tx, principal: Any, key: str, fp: str, status: int, body: Any) -> None:
    """Keep the answer under the caller's `Idempotency-Key` (Stripe-style)."""
    tx.ledger.store_idempotency(
        {
            "token_id": principal.token_id,
            "key": key,
            "fingerprint": fp,
            "status": "done",
            "response_status": status,
            "response_body": json.dumps(body, ensure_ascii=False),
            "created_at": tx.now,
        }
    )


NO_VERSION = 0
"""What `expected_version` answers when `If-Match` and the body name different versions: no
case or entry ever has it (versions start at 1), so the check refuses it as stale (409)."""


def expected_version(if_match: str | None, body_version: int | None) -> int | None:
    """The version the caller says it saw: `If-Match` (`3`, `"3"`, `W/"3"`) or the body field;
    `NO_VERSION` when the two disagree."""
    header = None
    if if_match is not None and if_match.strip() != "*":
        raw = if_match.strip().removeprefix("W/").strip('"')
        if not raw.isdigit() or len(raw) > 9:
            raise invalid("If-Match", said("Versionsnummer erwartet, z. B. 3"))
        header = int(raw)
    if header is not None and body_version is not None and header != body_version:
        # Both are preconditions and both must hold; two different versions cannot both be
        # the current one, so this is the 409 of a stale version (with the current state),
        # not a malformed request: each value alone is well formed.
        return NO_VERSION
    return header if header is not None else body_version


def check_version(case: CaseRecord, expected: int | None) -> None:
    """409 with the current state when the caller decided on an older version of the case."""
    current = int(case.participant["version"])
    if expected is not None and expected != current:
        summary = m.ParticipantSummary.model_validate(case.participant)
        raise version_conflict(summary.model_dump(mode="json"))


def check_not_claimed_by_other(tx: Tx, case: CaseRecord, token_id: int) -> None:
    """A decision is refused while another caseworker holds a live claim on the case."""
    for entry in tx.postbox.for_participant(case.participant_id):
        holder = entry.get("claimed_by_token")
        expires = entry.get("claim_expires_at")
        if (
            entry["status"] == "in_bearbeitung"
            and holder is not None
            and holder != token_id
            and expires is not None
            and expires > tx.now
        ):
            raise Conflict(
                said(
                    "Der Fall ist von {holder} in Bearbeitung (seit {since} UTC).",
                    holder=entry["claimed_by_name"],
                    since=f"{entry['claimed_at']:%d.%m.%Y %H:%M}",
                ),
                code="claimed",
                current={"entry_id": entry["entry_id"], "claimed_by": entry["claimed_by_name"]},
            )


def mask(number: str | None) -> str | None:
    """A document number as the audit keeps it: only the last two characters."""
    if not number:
        return None
    return "•" * max(len(number) - 2, 0) + number[-2:]


class _Tried(Exception):
    """Carries a dry run's answer out of its transaction, which then rolls back."""

    def __init__(self, answer: Answer) -> None:
        super().__init__("dry run")
        self.answer = answer


def run_or_try(svc: Services, fn: Callable[[Tx], Answer], *, dry_run: bool) -> Answer:
    """Run `fn` in one transaction; with `dry_run`, answer as it would and keep nothing (the
    transaction rolls back: no row, no audit entry). A refusal answers as it would too."""
    if not dry_run:
        return svc.store.run(fn)

    def trial(tx: Tx) -> Answer:
        raise _Tried(fn(tx))

    try:
        svc.store.run(trial, retries=0)
    except _Tried as tried:
        tried.answer.headers["Dry-Run"] = "true"
        return tried.answer
    raise AssertionError("a dry run always answers")  # pragma: no cover
