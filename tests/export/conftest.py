"""Events for the export tests: real files and a generated domain, read once, with the
pairs acctrace itself finds on them (the reference every executed export must give)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pytest

from acctrace.assess.policy import load_policy
from acctrace.assess.tools import basename
from acctrace.commands.demo import DEMO_POLICY
from acctrace.correlate.run import correlate
from acctrace.correlate.window import Window
from acctrace.findings import HuntResult
from acctrace.normalise.fields import host_key
from acctrace.pipeline import HuntOptions, run
from acctrace.reading import read_inputs
from acctrace.scenario.writers import write_demo

SYSMON_CHANNEL = "microsoft-windows-sysmon/operational"
Pair = tuple[str, str]  # (creation event_key, process event_key), as record_key gives them


def record_key(event_key: str) -> str:
    """host|channel|event id|record id: acctrace's key without the hash of the event's
    identity, as a rule engine's events name them (tests/export/events.py)."""
    return event_key.split("#", 1)[0]


@dataclass
class Corpus:
    paths: list[Path]
    tables: dict[str, pa.Table]
    candidates: set[Pair]  # every (creation, candidate process) the correlation finds
    hunt: HuntResult  # findings under the demo policy

    def attributed(self) -> set[Pair]:
        """(creation, process) event keys of every finding whose creating process acctrace
        names."""
        channel = {"security-4688": ("security", 4688), "sysmon-1": (SYSMON_CHANNEL, 1)}
        pairs = set()
        for f in self.hunt.findings:
            creation = next((s for s in f.sources if s.role == "creation"), None)
            if f.process is None or creation is None or f.process.telemetry not in channel:
                continue
            host = host_key(f.host)
            name, event_id = channel[f.process.telemetry]
            pairs.add(
                (
                    f"{host}|{(creation.channel or '').lower()}|4720|{creation.record_id}",
                    f"{host}|{name}|{event_id}|{f.process.record_id}",
                )
            )
        return pairs

    def rows(self, kind: str) -> dict[str, dict]:
        rows = self.tables[kind].to_pylist()
        return {k: {**r, "event_key": k} for r in rows if (k := record_key(r["event_key"]))}

    def tool_candidates(self, tools: tuple[str, ...], span_s: float) -> dict[str, list[dict]]:
        """Per 4720: its candidates that a per-event rule language can pair with it, an
        account-management image in the creator's session, started before it within
        `span_s`; earliest first."""
        creations, processes = self.rows("creation"), self.rows("process")
        found: dict[str, list[dict]] = {}
        for creation_key, process_key in self.candidates:
            c, p = creations.get(creation_key), processes[process_key]
            if (
                c is not None
                and p["logon_id"] == c["creator_logon_id"]
                and basename(p["image"]) in tools
                and 0 < c["time_us"] - p["time_us"] <= span_s * 1_000_000
            ):
                found.setdefault(creation_key, []).append(p)
        return {k: sorted(v, key=lambda p: p["time_us"]) for k, v in found.items()}


@pytest.fixture(scope="session")
def corpus(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    evtx = shared_data / "evtx"
    hidden = "persistence_hidden_local_account_sysmon.evtx"
    paths = [
        evtx / "mdecrevoisier",
        evtx / "evtx-attack-samples" / "Persistence" / hidden,
        *write_demo(tmp_path_factory.mktemp("export-demo"), "event-json", seed=11),
    ]
    tables = read_inputs(paths).store.tables()
    stories = correlate(tables, Window()).stories
    candidates = {
        (record_key(s.creation["event_key"]), record_key(c["event_key"]))
        for s in stories
        for c in s.candidates
    }
    hunt = run(paths, HuntOptions(policy=load_policy(DEMO_POLICY)))
    return Corpus(paths, tables, candidates, hunt)
