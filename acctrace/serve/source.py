"""The console's findings: the persistent store hunted as `hunt --db` does, read-only.

The store is hunted again only when it or the policy file changed (their size and
modification time), so pages stay fast while `ingest` or `watch` keep adding events. When
the store cannot be read at a given moment, the last findings stay on screen with the
reason, rather than an error page.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from acctrace.assess.policy import Policy, load_policy
from acctrace.errors import AcctraceError
from acctrace.findings import Finding, HuntResult
from acctrace.pipeline import HuntOptions, run
from acctrace.storage.database import open_for_reading, snapshot_path


@dataclass
class Hunted:
    result: HuntResult
    at: str  # when the store was hunted (UTC)
    read_from: str  # the store, or the snapshot a writer published
    problem: str | None = None  # why the newest hunt failed, when it did
    by_id: dict[str, Finding] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {f.id: f for f in self.result.findings}


class StoreFindings:
    def __init__(self, store: Path, policy: Path | None, options: HuntOptions):
        self.store, self.policy_path, self.options = store, policy, options
        self._lock = threading.Lock()
        self._seen: tuple | None = None
        self._hunted: Hunted | None = None

    def policy(self) -> Policy | None:
        if self.policy_path is None or not self.policy_path.exists():
            return None
        return load_policy(self.policy_path)

    def policy_sha256(self) -> str:
        if self.policy_path is None or not self.policy_path.exists():
            return ""
        return hashlib.sha256(self.policy_path.read_bytes()).hexdigest()

    def current(self) -> Hunted:
        with self._lock:
            seen = self._stamp()
            if self._hunted is None or seen != self._seen:
                self._hunted = self._hunt(self._hunted)
                self._seen = seen
            return self._hunted

    def _stamp(self) -> tuple:
        paths = [self.store, self.store.with_name(self.store.name + ".wal")]
        paths += [snapshot_path(self.store), *([self.policy_path] if self.policy_path else [])]
        return tuple(
            (p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else None for p in paths
        )

    def _hunt(self, last: Hunted | None) -> Hunted:
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            self.options.policy = self.policy()
            database = open_for_reading(self.store)
            try:
                result = run([], self.options, database=database)
                read_from = str(database.read_from)
            finally:
                database.close()
        except AcctraceError as exc:
            if last is None:
                raise
            return Hunted(last.result, last.at, last.read_from, problem=str(exc))
        return Hunted(result, now, read_from)
