"""Running `acctrace watch` for real: a subprocess on a store, its alerts in a file sink."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import orjson

from acctrace.findings import Finding
from acctrace.normalise.model import SCHEMAS
from acctrace.reading import read_inputs

ROOT = Path(__file__).resolve().parents[2]


def start_watch(*args: str | Path, log: Path) -> subprocess.Popen:
    """`acctrace watch ARGS` in its own process, logging to `log`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(log, "ab") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "acctrace", "watch", *map(str, args)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            cwd=ROOT,
            env=env,
        )


def run_watch(*args: str | Path, log: Path, timeout: float = 120) -> None:
    process = start_watch(*args, "--once", log=log)
    assert process.wait(timeout=timeout) == 0, log.read_text()[-3000:]


def alert_lines(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()] if path.exists() else []


def latest_revisions(alerts: list[dict]) -> dict[str, dict]:
    """The last revision alerted of each finding, in the json shape."""
    latest: dict[str, dict] = {}
    for alert in alerts:
        if alert["revision"] > latest.get(alert["id"], {"revision": 0})["revision"]:
            latest[alert["id"]] = alert
    return latest


def comparable(finding: Finding | dict, renames: dict[str, str] | None = None) -> dict:
    """A finding without what differs by how its events arrived: the revision, and the file
    (and its SHA-256) each evidence record was read from; with `renames` (batch input ->
    where watch read it), the batch inputs' names in texts are read as the watched ones."""
    doc = finding if isinstance(finding, dict) else finding.model_dump(mode="json")
    if renames:
        text = orjson.dumps(doc).decode()
        for batch, watched in renames.items():
            text = text.replace(
                orjson.dumps(batch).decode()[1:-1], orjson.dumps(watched).decode()[1:-1]
            )
        doc = orjson.loads(text)
    doc = {k: v for k, v in doc.items() if k != "revision"}
    doc["sources"] = sorted(
        (
            {k: v for k, v in source.items() if k not in ("file", "sha256")}
            for source in doc["sources"]
        ),
        key=lambda s: orjson.dumps(s, option=orjson.OPT_SORT_KEYS),
    )
    return doc


def assert_watch_gave_the_hunt(
    alerts: Path, store: Path, expected: list[Finding], inputs: list[Path], renames: dict[str, str]
) -> None:
    """No alert sent twice; the last revision of each finding is the hunt's finding (see
    `comparable`); and the store holds every event of `inputs` once."""
    sent = alert_lines(alerts)
    keys = [(a["id"], a["revision"]) for a in sent]
    assert len(keys) == len(set(keys)), "an alert was sent twice"
    latest = latest_revisions(sent)
    assert sorted(latest) == sorted(f.id for f in expected)
    for finding in expected:
        assert comparable(latest[finding.id]) == comparable(finding, renames), finding.id
    batch = read_inputs(inputs).store.tables()
    con = duckdb.connect(str(store), read_only=True)
    try:
        for kind in SCHEMAS:
            stored = con.execute(f'select count(*) from "{kind}"').fetchone()[0]
            assert stored == batch[kind].num_rows, kind
    finally:
        con.close()
