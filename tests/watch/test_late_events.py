"""Late and out-of-order events: a creation is held for the grace period, then alerted;
process events that arrive later make an update (same finding id, next revision); changes
after the horizon are not sent. The watcher runs in this process on a clock the test sets."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import orjson
from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.normalise.model import COLUMNS
from acctrace.pipeline import HuntOptions, run
from acctrace.scenario.story import DEFAULT_START, generate
from acctrace.scenario.writers import write, write_demo
from acctrace.storage.database import EventDatabase
from acctrace.watch.alerts import Timing
from acctrace.watch.loop import Watcher, WatchOptions, open_sources
from acctrace.watch.sinks import FileSink
from tests.watch.conftest import alert_lines, comparable, latest_revisions

PROCESS = {"4688", "1"}  # Security 4688, Sysmon 1
CHANGES = {"4722", "4724", "4725", "4726", "4738", "4781"}  # enabled, reset, ..., deleted


def _split(logs: list[Path]) -> dict[str, list[bytes]]:
    """Every line of the demo logs, by what it is: process events, account changes, rest."""
    parts: dict[str, list[bytes]] = {"process": [], "changes": [], "rest": []}
    for path in logs:
        for line in path.read_bytes().splitlines(keepends=True):
            code = str(orjson.loads(line)["winlog"]["event_id"])
            part = "process" if code in PROCESS else "changes" if code in CHANGES else "rest"
            parts[part].append(line)
    return parts


def _watching(
    tmp_path: Path, options: WatchOptions
) -> tuple[Watcher, EventDatabase, Path, Path, list[float]]:
    """A watcher in this process, following `watched/` into a file sink, on a clock the
    test moves (`now[0]`, seconds)."""
    watched, alerts = tmp_path / "watched", tmp_path / "alerts.jsonl"
    watched.mkdir()
    now = [1_000_000.0]
    database = EventDatabase(tmp_path / "soc.duckdb")
    watcher = Watcher(database, [], [FileSink(alerts)], options, clock=lambda: now[0])
    watcher.sources = open_sources([str(watched)], database, "")
    return watcher, database, watched, alerts, now


def _assert_alerted_as_hunted(
    tmp_path: Path, alerts: Path, watched: Path, files: dict[str, bytes]
) -> None:
    """The last revision alerted of each finding is what a hunt over `files` says."""
    batch = tmp_path / "batch"
    batch.mkdir()
    for name, data in files.items():
        (batch / name).write_bytes(data)
    expected = run([batch], HuntOptions()).findings
    latest = latest_revisions(alert_lines(alerts))
    assert sorted(latest) == sorted(f.id for f in expected)
    renames = {str(batch): str(watched)}
    for finding in expected:
        assert comparable(latest[finding.id]) == comparable(finding, renames), finding.id


def test_held_for_grace_updated_when_processes_arrive_not_after_the_horizon(
    tmp_path: Path,
) -> None:
    logs = write_demo(tmp_path / "demo", "ecs")
    parts = _split(logs)
    watcher, database, watched, alerts, now = _watching(
        tmp_path, WatchOptions(timing=Timing(grace_s=60, horizon_s=600))
    )

    (watched / "a.ndjson").write_bytes(b"".join(parts["rest"]))  # no process, no change yet
    watcher.cycle()
    assert alert_lines(alerts) == []  # held
    assert watcher.queued == 7

    now[0] += 61  # the grace period is over
    watcher.cycle()
    first = alert_lines(alerts)
    assert len(first) == 7 and {a["revision"] for a in first} == {1}
    assert watcher.queued == 0
    assert all(a["process"] is None for a in first)

    (watched / "b.ndjson").write_bytes(b"".join(parts["process"]))  # late process events
    now[0] += 60  # a minute since the last hunt for updates (with the first alerts)
    watcher.cycle()  # hunts the findings whose hosts had processes in their windows
    updates = [a for a in alert_lines(alerts) if a["revision"] == 2]
    assert any(a["process"] is not None for a in updates)  # the creators, found late
    assert {a["id"] for a in updates} <= {a["id"] for a in first}

    (watched / "c.ndjson").write_bytes(b"".join(parts["changes"]))  # after the horizon
    now[0] += 601
    watcher.cycle()
    assert max(a["revision"] for a in alert_lines(alerts)) == 2
    database.close()

    # What was alerted last is what a hunt says without the account changes.
    files = {"a.ndjson": b"".join(parts["rest"]), "b.ndjson": b"".join(parts["process"])}
    _assert_alerted_as_hunted(tmp_path, alerts, watched, files)


def test_alerted_a_grace_after_arriving_not_a_grace_after_first_hunted(tmp_path: Path) -> None:
    """The first alert is due when the grace since the creation reached the store ended,
    also when no hunt saw the creation before then (every store key carries an identity
    after the record id; a finding carries the record id only)."""
    logs = write_demo(tmp_path / "demo", "ecs")
    watcher, database, watched, alerts, now = _watching(
        tmp_path, WatchOptions(timing=Timing(grace_s=60), update_every_s=3600)
    )
    watcher.cycle()  # the first hunt, over an empty store
    for path in logs:
        (watched / path.name).write_bytes(path.read_bytes())
    now[0] += 1
    watcher.cycle()  # stored, held: no hunt before their grace ends
    assert alert_lines(alerts) == []
    now[0] += 60
    watcher.cycle()
    assert len(alert_lines(alerts)) == 7  # all of the demo's creations, none waiting more
    database.close()


def test_a_restart_resends_nothing_and_alerts_what_arrived_while_down(tmp_path: Path) -> None:
    logs = write_demo(tmp_path / "demo", "ecs")
    watched, alerts = tmp_path / "watched", tmp_path / "alerts.jsonl"
    watched.mkdir()
    (watched / logs[0].name).write_bytes(logs[0].read_bytes())

    def once() -> None:
        database = EventDatabase(tmp_path / "soc.duckdb")
        watcher = Watcher(database, [], [FileSink(alerts)], WatchOptions(timing=Timing(0)))
        watcher.sources = open_sources([str(watched)], database, "")
        watcher.run(threading.Event(), once=True)
        database.close()

    once()
    before = alert_lines(alerts)
    assert before
    once()  # nothing new: nothing sent
    assert alert_lines(alerts) == before
    for path in logs[1:]:
        (watched / path.name).write_bytes(path.read_bytes())
    once()
    after = alert_lines(alerts)
    assert after[: len(before)] == before
    ids = {a["id"] for a in after}
    assert ids == {f.id for f in run(logs, HuntOptions()).findings}


def test_a_restart_alerts_what_ingest_stored_while_watch_was_stopped(tmp_path: Path) -> None:
    """Watch notes arrivals from the batches it stores; what `ingest --db` added to the
    store meanwhile arrives when watch starts again."""
    logs = write_demo(tmp_path / "demo", "ecs")
    watched, alerts, store = tmp_path / "watched", tmp_path / "alerts.jsonl", tmp_path / "s.db"
    watched.mkdir()
    (watched / logs[0].name).write_bytes(logs[0].read_bytes())

    def once() -> None:
        database = EventDatabase(store)
        watcher = Watcher(database, [], [FileSink(alerts)], WatchOptions(timing=Timing(0)))
        watcher.sources = open_sources([str(watched)], database, "")
        watcher.run(threading.Event(), once=True)
        database.close()

    once()
    before = {a["id"] for a in alert_lines(alerts)}
    ingested = CliRunner().invoke(cli, ["ingest", *map(str, logs[1:]), "--db", str(store)])
    assert ingested.exit_code == 0, ingested.output
    once()
    after = {a["id"] for a in alert_lines(alerts)}
    assert before < after == {f.id for f in run(logs, HuntOptions()).findings}


def test_updates_hunt_only_what_changed_and_end_as_a_hunt_over_everything(
    tmp_path: Path,
) -> None:
    """The morning, alerted; then the rest of the day. The morning's findings are updated
    (the related findings made later, what happened to the accounts afterwards) by hunting
    again only the creations the new events may have changed and linking related findings
    over all of them (none is hunted again in turn here), and end as one hunt over the
    whole day says."""
    logs = write_demo(tmp_path / "demo", "ecs")
    lines = sorted(
        (line for path in logs for line in path.read_bytes().splitlines(keepends=True)),
        key=lambda line: orjson.loads(line)["@timestamp"],
    )
    creations = [
        i
        for i, line in enumerate(lines)
        if orjson.loads(line)["winlog"]["event_id"] in (4720, "4720")
    ]
    cut = creations[len(creations) // 2] + 1  # up to a creation, without what followed it
    watcher, database, watched, alerts, now = _watching(
        tmp_path, WatchOptions(timing=Timing(grace_s=60, horizon_s=3600), sweep=0)
    )

    (watched / "morning.ndjson").write_bytes(b"".join(lines[:cut]))
    watcher.cycle()
    now[0] += 61
    watcher.cycle()
    morning = {a["id"] for a in alert_lines(alerts)}
    assert 0 < len(morning) < 7

    (watched / "day.ndjson").write_bytes(b"".join(lines[cut:]))
    watcher.cycle()  # stored, held
    now[0] += 61
    watcher.cycle()  # the rest alerted; the morning's updated
    database.close()

    sent = alert_lines(alerts)
    assert any(a["id"] in morning and a["revision"] == 2 for a in sent)
    files = {"morning.ndjson": b"".join(lines[:cut]), "day.ndjson": b"".join(lines[cut:])}
    _assert_alerted_as_hunted(tmp_path, alerts, watched, files)


def test_hunted_on_arrival_alerted_with_what_arrived_within_the_grace_period(
    tmp_path: Path,
) -> None:
    """A creation is hunted as soon as it is stored; its process events, stored before the
    grace period ends, make it hunted again: the first alert has its creator's process."""
    logs = write_demo(tmp_path / "demo", "ecs")
    parts = _split(logs)
    watcher, database, watched, alerts, now = _watching(
        tmp_path, WatchOptions(timing=Timing(grace_s=60), update_every_s=3600)
    )
    watcher.cycle()  # the first hunt, over an empty store
    (watched / "a.ndjson").write_bytes(b"".join(parts["rest"] + parts["changes"]))
    now[0] += 1
    watcher.cycle()  # stored and hunted: no process yet
    (watched / "b.ndjson").write_bytes(b"".join(parts["process"]))
    now[0] += 1
    watcher.cycle()  # the processes, within the grace period
    assert alert_lines(alerts) == []
    now[0] += 60
    watcher.cycle()
    database.close()

    sent = alert_lines(alerts)
    assert len(sent) == 7 and {a["revision"] for a in sent} == {1}
    assert any(a["process"] is not None for a in sent)
    files = {
        "a.ndjson": b"".join(parts["rest"] + parts["changes"]),
        "b.ndjson": b"".join(parts["process"]),
    }
    _assert_alerted_as_hunted(tmp_path, alerts, watched, files)


def test_what_is_older_than_the_look_back_is_not_in_the_telemetry(tmp_path: Path) -> None:
    """A hunt reads the events of its look-back (here the shortest: the correlation window
    and its clock slack). What is older is reported as a rolled-over log would be: the
    logon session unknown, the lineage ending at the parent its child named, nothing in
    their place; what is within it is the hunt's."""
    logs = write_demo(tmp_path / "demo", "ecs")
    watcher, database, watched, alerts, now = _watching(
        tmp_path, WatchOptions(timing=Timing(grace_s=0), look_back_s=0)
    )
    for path in logs:
        (watched / path.name).write_bytes(path.read_bytes())
    watcher.cycle()
    now[0] += 1
    watcher.cycle()
    database.close()
    alerted = latest_revisions(alert_lines(alerts))
    expected = {f.id: f.model_dump(mode="json") for f in run(logs, HuntOptions()).findings}
    assert sorted(alerted) == sorted(expected)

    sessions_unseen = lineages_cut = 0
    for finding_id, batch in expected.items():
        seen = alerted[finding_id]
        assert seen["process"] == batch["process"]  # every creator ran within the window
        assert seen["session"] in (None, batch["session"])
        sessions_unseen += seen["session"] is None and batch["session"] is not None
        lineages_cut += _as_far_as_seen(seen["lineage"], batch["lineage"])
        if seen["origin"] is not None:  # traced from a session seen: the same, as far as seen
            origin, batch_origin = seen["origin"], batch["origin"]
            _as_far_as_seen(origin.pop("lineage"), batch_origin.pop("lineage"))
            assert origin == batch_origin
    assert sessions_unseen >= 2 and lineages_cut >= 2  # the demo's sessions began minutes before


def _as_far_as_seen(seen: list[dict], batch: list[dict]) -> bool:
    """The ancestors seen are the batch hunt's, up to one older than the look-back, shown as
    its child named it; True when the lineage was cut there."""
    logged = [a for a in seen if a["telemetry"] is not None]
    assert logged == batch[: len(logged)]
    if len(seen) == len(batch):
        assert seen == batch
        return False
    named, logged_parent = seen[-1], batch[len(logged)]
    assert named["telemetry"] is None and named["start"] is None
    for field in ("image", "pid", "process_guid"):
        assert named[field] == logged_parent[field]
    return True


def test_days_further_apart_than_the_look_back_are_hunted_apart(tmp_path: Path) -> None:
    """A day of the demo domain, and another a month later: the later day's creations are
    hunted over the later day's events alone, and each day's findings are what a hunt over
    that day alone gives (their related findings aside: watch links them over every open
    finding). A hunt over both days would also take, say, SYSTEM's logon session from the
    earlier day for a creation of the later one: a month-old story is beyond the look-back."""
    month = timedelta(days=30)
    days = {
        "earlier.ndjson": generate(),
        "later.ndjson": [  # other records of the same logs
            replace(e, record_id=e.record_id + 10**7)
            for e in generate(seed=11, start=DEFAULT_START + month)
        ],
    }
    watcher, database, watched, alerts, now = _watching(
        tmp_path, WatchOptions(timing=Timing(grace_s=0))
    )
    for name, events in days.items():
        write(events, watched / name, "ecs")
        now[0] += 1
        watcher.cycle()  # stores the day and hunts its creations on arrival
    since = days["earlier.ndjson"][-1].time_us + int(month.total_seconds() * 1e6) // 2
    count = 'select count(*) from "{}" where time_us >= ? or time_us is null'
    stored_later = sum(
        database.con.execute(count.format(kind), [since]).fetchone()[0] for kind in COLUMNS
    )
    assert watcher.health.last_hunt["events"] == stored_later
    now[0] += 1
    watcher.cycle()
    database.close()

    latest = latest_revisions(alert_lines(alerts))
    expected = {}
    for name, events in days.items():
        (tmp_path / name).mkdir()
        alone = write(events, tmp_path / name / name, "ecs")
        for finding in run([alone], HuntOptions()).findings:
            expected[finding.id] = comparable(finding, {str(alone): str(watched / name)})
    assert sorted(latest) == sorted(expected)
    unrelated = ("related", "related_counts")
    for finding_id, finding in expected.items():
        seen = comparable(latest[finding_id])
        for doc in (seen, finding):
            for key in unrelated:
                doc.pop(key)
        assert seen == finding, finding_id
