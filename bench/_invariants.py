"""What must hold in the store after any amount of concurrent work, checked from the database.

`check_store(url)` reads the tables directly (never through the service) and answers one
`Check` per invariant; `bench/load.py` prints them after a load run and `tests/proof` asserts
them after a short one. The invariants:

- nothing issued twice: no two documents of a participant print the same (kind and counted
  sittings), and no entry is decided twice without a document in between being superseded;
- at most one document, and so one Zertifikat, in force per participant; every superseded
  document names the later one that replaced it;
- no dead end (domain.md A.14): every open `abschluss` entry has something due by the rules, and
  every participant with something due on an exam pair has an open entry;
- every decision (document, repetition decision) in the audit history;
- every claim either held (and its last claim event in the audit is the holder's) or released:
  status, holder and expiry agree, closed entries hold no claim;
- document numbers unique within their series, below the series counter, each document
  printable (its PDF, or the text it prints matching its stored SHA-256);
- every number up to a series' counter is a document or recorded as not used with its reason;
- every participant fed during a run (ids starting with `fed_prefix`) has at most one
  `abschluss` entry, and exactly one once both results arrived (`fed_complete`);
- every document a client was answered with is stored for that participant (`issued`);
- after a load run, the load's caseworkers (`load_token_prefix`) hold no claim any more.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, and_, func, or_, select

from inge_tui.domain.types import NextStep
from inge_tui.server.documents import data_hash
from inge_tui.server.store import audit_chain
from inge_tui.server.store.cases import CaseRepository
from inge_tui.server.store.db import make_engine
from inge_tui.server.store.schema import (
    audit,
    certificates,
    counters,
    document_numbers,
    participants,
    postbox_entries,
    repetition_applications,
    tokens,
)
from inge_tui.server.usecases.postbox_sync import abschluss_key
from inge_tui.server.usecases.rules import Rules

pb = postbox_entries.c
DECISIONS = ("dokument_ausgestellt", "wiederholung_entschieden")
CLAIM_EVENTS = ("postkorb_uebernommen", "postkorb_uebernahme_durch_leitung", "postkorb_freigegeben")


@dataclass(frozen=True)
class Check:
    """One invariant: its name, whether it holds, and what was counted."""

    name: str
    ok: bool
    detail: str


def check_store(
    database_url: str,
    *,
    fed_prefix: str | None = None,
    fed_complete: Collection[str] = (),
    load_token_prefix: str | None = None,
    issued: Mapping[str, str] | None = None,
) -> list[Check]:
    """Every invariant of the module docstring, read from the store at `database_url`."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            checks = [
                _decided_once(conn),
                _one_zertifikat(conn),
                _no_dead_end(conn),
                _decisions_audited(conn),
                _claims_consistent(conn),
                _numbers_and_pdfs(conn),
                _numbers_accounted(conn),
                _audit_chained(conn),
            ]
            if load_token_prefix is not None:
                checks.append(_claims_given_back(conn, load_token_prefix))
            if issued is not None:
                checks.append(_answers_stored(conn, issued))
            if fed_prefix is not None:
                checks.append(_fed_once(conn, fed_prefix, set(fed_complete)))
            return checks
    finally:
        engine.dispose()


def _audit_chained(conn: Connection) -> Check:
    """Every audit row is a link of its office's chain, in the order of the commits."""
    report = audit_chain.verify(conn)
    heads = ", ".join(f"{chain or '–'} {link.seq}" for chain, link in sorted(report.heads.items()))
    detail = report.broken.describe() if report.broken else f"{report.rows} Zeilen ({heads})"
    return Check("Prüfspur lückenlos verkettet", report.ok, detail)


def _decided_once(conn: Connection) -> Check:
    """A duplicate issue prints what the document before it printed: same kind, same sittings
    (a reversed document does not count: the case is decided again)."""
    rows = conn.execute(
        select(certificates.c.participant_id, certificates.c.kind, certificates.c.inputs).where(
            certificates.c.status != "storniert"  # reversed: as if never issued (A.12)
        )
    ).all()
    printed: Counter[tuple[str, str, str]] = Counter()
    for pid, kind, inputs in rows:
        data = json.loads(inputs)
        basis = json.dumps([data.get("dtz"), data.get("lid"), data.get("alt_b1")], sort_keys=True)
        printed[(pid, kind, basis)] += 1
    twice = [key for key, n in printed.items() if n > 1]
    decided = conn.execute(
        select(func.count()).select_from(audit).where(audit.c.action.in_(DECISIONS))
    ).scalar_one()
    return Check(
        "nichts doppelt ausgestellt",
        not twice,
        f"{decided} Entscheidungen, {len(rows)} Dokumente; zweimal dasselbe: {len(twice)}"
        + (f" (zuerst bei {twice[0][0]}: {_life(conn, twice[0][0])})" if twice else ""),
    )


def _life(conn: Connection, participant_id: str) -> str:
    """A participant's documents and audited actions in order, to find a duplicate's cause."""
    c = certificates.c
    docs = conn.execute(
        select(c.certificate_id, c.kind, c.status, c.issued_at, c.issued_by)
        .where(c.participant_id == participant_id)
        .order_by(c.issued_at)
    ).all()
    actions = conn.execute(
        select(audit.c.at, audit.c.action, audit.c.actor_name)
        .where(audit.c.participant_id == participant_id)
        .order_by(audit.c.audit_id)
    ).all()
    return f"Dokumente {[tuple(d) for d in docs]}; Prüfspur {[tuple(a) for a in actions]}"


def _one_zertifikat(conn: Connection) -> Check:
    in_force = certificates.c.status == "gueltig"
    stmt = (
        select(certificates.c.participant_id)
        .where(in_force)
        .group_by(certificates.c.participant_id)
        .having(func.count() > 1)
    )
    twice = conn.execute(stmt).scalars().all()
    zertifikate = conn.execute(
        select(func.count())
        .select_from(certificates)
        .where(in_force, certificates.c.kind == "zertifikat")
    ).scalar_one()
    numbers = set(conn.execute(select(certificates.c.certificate_id)).scalars())
    dangling = conn.execute(
        select(certificates.c.superseded_by).where(certificates.c.status == "ersetzt")
    ).scalars()
    unexplained = [n for n in dangling if n not in numbers]
    return Check(
        "höchstens ein gültiges Dokument (Zertifikat) je Teilnehmer",
        not twice and not unexplained,
        f"{zertifikate} gültige Zertifikate; Teilnehmende mit zwei gültigen: {len(twice)}, "
        f"ersetzt ohne Nachfolger: {len(unexplained)}",
    )


def _no_dead_end(conn: Connection) -> Check:
    """Every case with an open `abschluss` entry or a document on file, assessed by the rules
    as the service would (default thresholds): open exactly while something is due."""
    cases = CaseRepository(conn)
    rules = Rules()
    touched = select(pb.participant_id).where(pb.kind == "abschluss")
    dead = missing = checked = 0
    for pid in set(conn.execute(touched).scalars()):
        case = cases.load(pid)
        if case is None:
            continue
        checked += 1
        entries = conn.execute(
            select(pb.status).where(pb.participant_id == pid, pb.kind == "abschluss")
        ).scalars()
        is_open = any(status != "erledigt" for status in entries)
        a = rules.assess(case, on=date.today())  # the day only picks the rule set
        due = a.next_step is not NextStep.KEINER
        if is_open and not due:
            dead += 1
        # seeded history closes entries without a document; only cases with documents count
        if due and not is_open and case.certificates and abschluss_key(case, a):
            missing += 1
    return Check(
        "kein offener Eintrag ohne Ausweg",
        dead == 0 and missing == 0,
        f"{checked} Fälle; offen ohne Fälliges: {dead}, Fälliges ohne offenen Eintrag: {missing}",
    )


def _decisions_audited(conn: Connection) -> Check:
    issued = set(conn.execute(select(certificates.c.certificate_id)).scalars())
    decided = set(
        conn.execute(
            select(repetition_applications.c.application_id).where(
                repetition_applications.c.status != "offen"
            )
        ).scalars()
    )
    audited_docs: Counter[str] = Counter()
    audited_apps: Counter[int] = Counter()
    stmt = select(audit.c.action, audit.c.inputs, audit.c.outcome).where(
        audit.c.action.in_(DECISIONS)
    )
    for action, inputs, outcome in conn.execute(stmt):
        if action == "dokument_ausgestellt":
            audited_docs[json.loads(outcome)["certificate_id"]] += 1
        else:
            audited_apps[int(json.loads(inputs)["application"]["application_id"])] += 1
    missing_docs = issued - set(audited_docs)
    missing_apps = decided - set(audited_apps)
    extra = [k for k, n in audited_docs.items() if n > 1 or k not in issued]
    extra += [str(k) for k, n in audited_apps.items() if n > 1 or k not in decided]
    return Check(
        "jede Entscheidung in der Prüfspur",
        not missing_docs and not missing_apps and not extra,
        f"{len(issued)} Dokumente, {len(decided)} Wiederholungsentscheidungen; ohne Eintrag: "
        f"{len(missing_docs) + len(missing_apps)}, doppelt oder verwaist: {len(extra)}",
    )


def _claims_consistent(conn: Connection) -> Check:
    held = pb.claimed_by_token.is_not(None)
    torn = or_(
        and_(pb.status == "in_bearbeitung", pb.claimed_by_token.is_(None)),
        and_(held, pb.status != "in_bearbeitung"),
        and_(
            held,
            or_(
                pb.claim_expires_at.is_(None),
                pb.claimed_at.is_(None),
                pb.claimed_by_name.is_(None),
            ),
        ),
        and_(pb.claimed_by_token.is_(None), pb.claim_expires_at.is_not(None)),
    )
    torn_count = conn.execute(
        select(func.count()).select_from(postbox_entries).where(torn)
    ).scalar_one()
    holders = dict(conn.execute(select(pb.entry_id, pb.claimed_by_token).where(held)).all())
    last_event: dict[int, tuple[str, int | None]] = {}
    events = (
        select(audit.c.entry_id, audit.c.action, audit.c.actor_token)
        .where(audit.c.action.in_(CLAIM_EVENTS), audit.c.entry_id.in_(list(holders) or [-1]))
        .order_by(audit.c.audit_id)
    )
    for entry_id, action, actor in conn.execute(events):
        last_event[entry_id] = (action, actor)
    claimed_last = {
        entry_id
        for entry_id, (action, actor) in last_event.items()
        if action != "postkorb_freigegeben" and actor == holders[entry_id]
    }
    unexplained = set(holders) - claimed_last
    return Check(
        "jeder Claim gehalten oder freigegeben",
        torn_count == 0 and not unexplained,
        f"{len(holders)} gehalten; widersprüchlich: {torn_count}, ohne passendes "
        f"Übernehmen in der Prüfspur: {len(unexplained)}",
    )


def _claims_given_back(conn: Connection, token_prefix: str) -> Check:
    stmt = (
        select(func.count())
        .select_from(postbox_entries.join(tokens, tokens.c.token_id == pb.claimed_by_token))
        .where(tokens.c.name.like(f"{token_prefix}%"))
    )
    still = conn.execute(stmt).scalar_one()
    return Check(
        "nach dem Lauf alle Claims zurückgegeben",
        still == 0,
        f"noch gehalten von den Lastclients: {still}",
    )


def _numbers_and_pdfs(conn: Connection) -> Check:
    """Numbers unique and below their counter; each document printable: its PDF stored, or
    (issued since schema 3, not yet fetched) the text it prints with a matching SHA-256."""
    c = certificates.c
    rows = conn.execute(
        select(
            c.certificate_id,
            func.coalesce(func.length(c.pdf), 0),
            func.substr(c.pdf, 1, 5),
            c.printed,
            c.printed_sha256,
        )
    ).all()
    series: dict[str, list[int]] = {}
    for number, *_rest in rows:
        name, _, value = number.rpartition("-")
        series.setdefault(name, []).append(int(value))
    ceilings = dict(conn.execute(select(counters.c.name, counters.c.value)).all())
    bad_numbers = sum(
        len(values) - len(set(values)) + sum(v > ceilings.get(name, 0) or v < 1 for v in values)
        for name, values in series.items()
    )
    rendered = sum(1 for _n, size, *_r in rows if size)
    bad_pdfs = sum(
        1
        for _n, size, head, printed, digest in rows
        if (size and (bytes(head) != b"%PDF-" or size < 1000))
        or (not size and (not printed or data_hash(printed) != digest))
    )
    return Check(
        "Dokumentnummern eindeutig, jedes Dokument druckbar",
        bad_numbers == 0 and bad_pdfs == 0,
        f"{len(rows)} Nummern in {len(series)} Reihen, {rendered} schon als PDF; "
        f"doppelt/außerhalb: {bad_numbers}, ohne gültiges PDF oder passende Prüfsumme: {bad_pdfs}",
    )


def _numbers_accounted(conn: Connection) -> Check:
    """Every number up to its series' counter is a document or recorded as not used with a
    reason (domain.md A.13; a number reserved for an issue that never finished keeps the
    reason it was reserved with): unexplained gaps 0."""
    ceilings = dict(conn.execute(select(counters.c.name, counters.c.value)).all())
    documents = set(conn.execute(select(certificates.c.certificate_id)).scalars())
    n = document_numbers.c
    recorded = {
        number: (state, reason)
        for number, state, reason in conn.execute(select(n.number, n.state, n.reason))
    }
    handed_out = unexplained = unused = 0
    for name, last in ceilings.items():
        for value in range(1, int(last) + 1):
            number = f"{name}-{value:07d}"
            handed_out += 1
            if number in documents:
                continue
            state, reason = recorded.get(number, (None, None))
            if state in ("verworfen", "reserviert") and reason:
                unused += 1
            else:
                unexplained += 1
    return Check(
        "jede vergebene Nummer belegt oder mit Grund verworfen",
        unexplained == 0,
        f"{handed_out} Nummern vergeben, {unused} mit Grund verworfen, ungeklärt: {unexplained}",
    )


def _answers_stored(conn: Connection, issued: Mapping[str, str]) -> Check:
    stmt = select(certificates.c.certificate_id, certificates.c.participant_id)
    stored = {number: pid for number, pid in conn.execute(stmt)}
    wrong = [pid for pid, number in issued.items() if stored.get(number) != pid]
    return Check(
        "jede Ausstellung, die ein Client sah, steht so in der Datenbank",
        not wrong,
        f"{len(issued)} gesehen; fehlend oder anderer Teilnehmer: {len(wrong)}",
    )


def _fed_once(conn: Connection, prefix: str, complete: set[str]) -> Check:
    entries = (
        select(participants.c.participant_id, func.count(pb.entry_id))
        .select_from(
            participants.outerjoin(
                postbox_entries,
                and_(pb.participant_id == participants.c.participant_id, pb.kind == "abschluss"),
            )
        )
        .where(participants.c.participant_id.like(f"{prefix}%"))
        .group_by(participants.c.participant_id)
    )
    counts = {pid: int(n) for pid, n in conn.execute(entries)}
    twice = [pid for pid, n in counts.items() if n > 1]
    missing = [pid for pid in complete if counts.get(pid) != 1]
    return Check(
        "jede neue Prüfungspaarung genau ein Postkorb-Eintrag",
        not twice and not missing,
        f"{len(counts)} neu angemeldet, {len(complete)} mit beiden Ergebnissen; ohne Eintrag: "
        f"{len(missing)}, mit zweien: {len(twice)}",
    )
