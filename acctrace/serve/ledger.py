"""The review ledger: every review action, appended, chained by SHA-256.

A SQLite file that only `acctrace serve` writes (the event store stays DuckDB, whose single
writer may be `ingest` or `watch`). Each entry holds who acted (from the login), when, what,
on which finding, the finding's review state before and after, the previous entry's hash and
its own hash over all of that. Editing, inserting or deleting a row breaks the chain at that
row; deleting the newest rows is caught by checking a head hash kept elsewhere (an
attestation prints it): `acctrace ledger verify LEDGER --head HASH`.

The current review of a finding is the `after` of its newest entry: the ledger is the only
record, so no second table can disagree with it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from acctrace.errors import AcctraceError

GENESIS = "0" * 64
_COLUMNS = ("seq", "at", "actor", "role", "action", "subject", "before", "after")
_CREATE = """
create table if not exists ledger (
    seq integer primary key,
    at text not null,
    actor text not null,
    role text not null,
    action text not null,
    subject text not null,
    before text not null,
    after text not null,
    prev text not null,
    hash text not null
)
"""


class LedgerError(AcctraceError):
    """The ledger file cannot be opened or is not an acctrace ledger."""


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor: str
    role: str
    action: str  # review | approve_as_workflow
    subject: str  # the finding's id
    before: dict[str, Any]
    after: dict[str, Any]
    prev: str
    hash: str


@dataclass
class Verification:
    entries: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def entry_hash(*fields: object) -> str:
    """SHA-256 over an entry's fields (seq, at, actor, role, action, subject, before, after,
    prev; before and after as stored text) as one canonical JSON array."""
    body = json.dumps(
        list(fields),
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _canonical(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class Ledger:
    def __init__(self, path: Path):
        self.path = path
        try:
            with self._connect() as con:
                con.execute(_CREATE)
        except sqlite3.DatabaseError as exc:
            raise LedgerError(str(exc), str(path)) from exc

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=10, isolation_level=None)) as con:
            yield con

    def append(
        self,
        actor: str,
        role: str,
        action: str,
        subject: str,
        before: dict[str, Any],
        after: dict[str, Any],
    ) -> Entry:
        """Add one entry after the current head, in one write transaction, so two appends
        can never chain to the same predecessor."""
        at = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
        before_text, after_text = _canonical(before), _canonical(after)
        with self._connect() as con:
            con.execute("begin immediate")
            try:
                last = con.execute("select seq, hash from ledger order by seq desc limit 1")
                seq, prev = next(iter(last.fetchall()), (0, GENESIS))
                seq += 1
                digest = entry_hash(
                    seq, at, actor, role, action, subject, before_text, after_text, prev
                )
                con.execute(
                    "insert into ledger values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (seq, at, actor, role, action, subject, before_text, after_text, prev, digest),
                )
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
        return Entry(seq, at, actor, role, action, subject, before, after, prev, digest)

    def entries(self, subject: str | None = None) -> list[Entry]:
        query = "select * from ledger" + (" where subject = ?" if subject else "")
        with self._connect() as con:
            rows = con.execute(query + " order by seq", (subject,) if subject else ()).fetchall()
        return [_entry(row) for row in rows]

    def reviews(self) -> dict[str, dict[str, Any]]:
        """Each reviewed finding's current review: from the `after` of its newest review."""
        with self._connect() as con:
            rows = con.execute(
                "select subject, after from ledger where seq in "
                "(select max(seq) from ledger where action = 'review' group by subject)"
            ).fetchall()
        return {subject: json.loads(after)["review"] for subject, after in rows}

    def head(self) -> tuple[int, str]:
        with self._connect() as con:
            row = con.execute("select seq, hash from ledger order by seq desc limit 1").fetchone()
        return row if row else (0, GENESIS)


def _entry(row: tuple) -> Entry:
    seq, at, actor, role, action, subject, before, after, prev, digest = row
    return Entry(
        seq, at, actor, role, action, subject, json.loads(before), json.loads(after), prev, digest
    )


def verify(path: Path, head: str | None = None) -> Verification:
    """Recompute every hash and link, in order; with `head`, that entry must be in the chain
    (so none up to it was deleted) and, unless entries were added after it, be the last."""
    if not path.is_file():
        raise LedgerError("no such ledger file", str(path))
    result = Verification()
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
            rows = con.execute(f"select {', '.join(_COLUMNS)}, prev, hash from ledger order by seq")
            rows = rows.fetchall()
    except sqlite3.DatabaseError as exc:
        raise LedgerError(f"not a readable acctrace ledger ({exc})", str(path)) from exc
    expected_prev, expected_seq = GENESIS, 1
    seen: set[str] = set()
    for seq, at, actor, role, action, subject, before, after, prev, digest in rows:
        if seq != expected_seq:
            result.problems.append(f"entry {expected_seq} is missing (next is {seq})")
        if prev != expected_prev:
            result.problems.append(f"entry {seq} does not follow the entry before it")
        computed = entry_hash(seq, at, actor, role, action, subject, before, after, prev)
        if computed != digest:
            result.problems.append(f"entry {seq} was changed after it was written")
        seen.add(digest)
        expected_prev, expected_seq = digest, seq + 1
        result.entries += 1
    result.head = expected_prev
    if head and head not in seen:
        result.problems.append(
            f"head {head[:16]}... is not in the chain: entries up to it were removed or changed"
        )
    return result
