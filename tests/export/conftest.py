"""Events for the export tests: real files and a generated domain, read once, with the
pairs acctrace itself finds on them (the reference every executed export must give)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pytest

from acctrace.assess.policy import load_policy
from acctrace.commands.demo import DEMO_POLICY
from acctrace.correlate.analytic import Window
from acctrace.correlate.run import correlate
from acctrace.findings import HuntResult
from acctrace.pipeline import HuntOptions, run
from acctrace.reading import read_inputs
from acctrace.scenario.writers import write_demo

Pair = tuple[str, str]  # (creation event_key, process event_key)


@dataclass
class Corpus:
    paths: list[Path]
    tables: dict[str, pa.Table]
    candidates: set[Pair]  # every (creation, candidate process) the correlation finds
    hunt: HuntResult  # findings under the demo policy


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
    candidates = {(s.creation["event_key"], c["event_key"]) for s in stories for c in s.candidates}
    hunt = run(paths, HuntOptions(policy=load_policy(DEMO_POLICY)))
    return Corpus(paths, tables, candidates, hunt)
