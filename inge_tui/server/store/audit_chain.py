"""The audit chain: each office's audit rows are linked by hashes, so a row changed or removed
in the database itself is found (`inge-tui audit verify`).

Row n of an office's chain carries `chain_seq = n`, the `row_hash` of row n-1 as `prev_hash`
(64 zeros for the first) and its own `row_hash`: SHA-256 over the previous hash and the row's
content. Rows of no office (sign-ins, tokens) form the chain ''. `audit_heads` holds the last
link of each chain; a transaction locks the heads of the chains it writes, in one order, just
before it commits (`LedgerRepository.seal`), so the chain is the commit order even with several
processes on one PostgreSQL store, and no two transactions wait for each other's heads.

What the chain does not stop: someone with write access who rewrites a whole chain from the
changed row on and the head with it. Against that the head is written down elsewhere
(`audit verify` prints it; docs/reliability.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from inge_tui.server.store.db import insert_ignore, is_sqlite
from inge_tui.server.store.schema import audit, audit_heads

GENESIS = "0" * 64

# the content a row's hash covers, in this order (the id is left out: the database gives it
# only on insert; the place in the chain is `chain_seq`)
CONTENT = (
    "at",
    "office",
    "participant_id",
    "entry_id",
    "actor_token",
    "actor_name",
    "actor_role",
    "action",
    "inputs",
    "outcome",
    "rules_version",
)


@dataclass(frozen=True)
class Link:
    seq: int
    hash: str


START = Link(0, GENESIS)


def chain_of(office: str | None) -> str:
    return office or ""


def row_hash(prev_hash: str, seq: int, row: Mapping[str, Any]) -> str:
    """The hash of one audit row as the database gives it back."""
    values = [_canonical(row.get(name)) for name in CONTENT]
    text = json.dumps([prev_hash, seq, *values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):  # SQLite keeps microseconds, PostgreSQL too: the same text
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def link_rows(rows: Iterable[dict[str, Any]], heads: dict[str, Link]) -> None:
    """Give each row (in the order given) its place, the previous hash and its hash; `heads`
    moves on to the last link of each chain."""
    for row in rows:
        chain = chain_of(row.get("office"))
        last = heads.get(chain, START)
        seq = last.seq + 1
        row["chain_seq"] = seq
        row["prev_hash"] = last.hash
        row["row_hash"] = row_hash(last.hash, seq, row)
        heads[chain] = Link(seq, row["row_hash"])


def lock_heads(conn: Connection, chains: Iterable[str]) -> dict[str, Link]:
    """The last links of `chains`, locked until the transaction ends (SQLite's write lock
    already serialises writers; PostgreSQL locks the head rows, always in the same order)."""
    wanted = sorted(set(chains))
    for chain in wanted:
        insert_ignore(conn, audit_heads, {"chain": chain, "chain_seq": 0, "row_hash": GENESIS})
    stmt = select(audit_heads).where(audit_heads.c.chain.in_(wanted)).order_by(audit_heads.c.chain)
    if not is_sqlite(conn):
        stmt = stmt.with_for_update()
    return {r.chain: Link(r.chain_seq, r.row_hash) for r in conn.execute(stmt)}


def save_heads(conn: Connection, heads: Mapping[str, Link]) -> None:
    for chain, head in heads.items():
        conn.execute(
            update(audit_heads)
            .where(audit_heads.c.chain == chain)
            .values(chain_seq=head.seq, row_hash=head.hash)
        )


def append(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Write audit rows at the ends of their chains."""
    if not rows:
        return
    heads = lock_heads(conn, (chain_of(r.get("office")) for r in rows))
    link_rows(rows, heads)
    conn.execute(audit.insert(), rows)
    save_heads(conn, heads)


# ---- verifying


@dataclass(frozen=True)
class Break:
    """The first link that does not hold, in words."""

    audit_id: int | None
    chain: str
    seq: int | None
    reason: str

    def describe(self) -> str:
        where = f"Dienststelle {self.chain}" if self.chain else "ohne Dienststelle"
        row = f"Zeile {self.audit_id}, " if self.audit_id is not None else ""
        place = f"Glied {self.seq}" if self.seq is not None else "Ende"
        return f"{row}{where}, {place}: {self.reason}"


@dataclass
class Report:
    rows: int = 0  # the rows whose links hold
    heads: dict[str, Link] = field(default_factory=dict)
    broken: Break | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify_store(engine: Engine) -> Report:
    """`verify` over one snapshot of the store, so rows committed meanwhile by a running
    service are neither half seen nor taken for rows cut off the end."""
    with engine.connect() as conn:
        options: dict[str, Any] = {"readonly": True}  # SQLite: BEGIN DEFERRED, WAL snapshot
        if not is_sqlite(conn):
            options["isolation_level"] = "REPEATABLE READ"
        snapshot = conn.execution_options(**options)
        with snapshot.begin():
            return verify(snapshot)


def verify(conn: Connection, *, batch: int = 5000) -> Report:
    """Walk every chain from its first row; stop at the first link that does not hold."""
    report = Report()
    for row in _rows(conn, batch):
        chain = chain_of(row["office"])
        last = report.heads.get(chain, START)
        broken = _check(row, chain, last)
        if broken is not None:
            report.broken = broken
            return report
        report.rows += 1
        report.heads[chain] = Link(row["chain_seq"], row["row_hash"])
    report.broken = _check_heads(conn, report.heads)
    return report


def pages(conn: Connection, batch: int = 5000) -> Iterator[list[dict[str, Any]]]:
    """Every audit row in the order written, `batch` at a time."""
    after = 0
    while True:
        page = conn.execute(
            select(audit).where(audit.c.audit_id > after).order_by(audit.c.audit_id).limit(batch)
        ).all()
        if not page:
            return
        yield [dict(row._mapping) for row in page]
        after = page[-1].audit_id


def _rows(conn: Connection, batch: int) -> Iterator[dict[str, Any]]:
    for page in pages(conn, batch):
        yield from page


def _check(row: Mapping[str, Any], chain: str, last: Link) -> Break | None:
    audit_id, seq = row["audit_id"], row["chain_seq"]
    if seq is None or row["row_hash"] is None:
        return Break(
            audit_id, chain, None, "die Zeile gehört zu keiner Kette (nachträglich eingefügt)"
        )
    if seq > last.seq + 1:
        missing = seq - last.seq - 1
        return Break(audit_id, chain, seq, f"davor fehlen {missing} Zeile(n) (gelöscht)")
    if seq != last.seq + 1 or row["prev_hash"] != last.hash:
        return Break(
            audit_id, chain, seq, "verweist nicht auf die Zeile davor (verschoben oder ersetzt)"
        )
    if row_hash(row["prev_hash"], seq, row) != row["row_hash"]:
        return Break(audit_id, chain, seq, "der Inhalt wurde nach dem Schreiben geändert")
    return None


def _check_heads(conn: Connection, walked: Mapping[str, Link]) -> Break | None:
    """The chains end where `audit_heads` says: rows cut off the end are found too."""
    heads = conn.execute(select(audit_heads).order_by(audit_heads.c.chain)).all()
    for chain in sorted(set(walked) - {r.chain for r in heads}):
        return Break(None, chain, walked[chain].seq, "der Kopf der Kette fehlt (gelöscht)")
    for r in heads:
        end = walked.get(r.chain, START)
        if r.chain_seq > end.seq:
            return Break(
                None,
                r.chain,
                r.chain_seq,
                f"die letzten {r.chain_seq - end.seq} Zeile(n) fehlen (gelöscht)",
            )
        if end.seq != r.chain_seq or end.hash != r.row_hash:
            return Break(None, r.chain, end.seq, "das Ende der Kette passt nicht zum Kopf")
    return None
