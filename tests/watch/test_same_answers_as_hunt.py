"""Proof that watching gives the hunt's answers: real logs and generated domains, written
into a watched folder in random chunks, interleaved across files, a file rotated and
compressed, an EVTX export replaced, and the watcher killed with SIGKILL and restarted
midway, end with exactly the findings `acctrace hunt` gives on the same files (revision and
file names aside), every event stored once, and no alert sent twice."""

from __future__ import annotations

import gzip
import random
import shutil
import signal
import subprocess
import time
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from acctrace.pipeline import HuntOptions, run
from acctrace.scenario.story import generate
from acctrace.scenario.writers import by_host, write, write_demo
from tests.watch.conftest import (
    alert_lines,
    assert_watch_gave_the_hunt,
    run_watch,
    start_watch,
)


class Feeder:
    """Writes streams of JSON lines into a folder as a shipper would: in pieces cut at any
    byte, interleaved across files; a rotation renames a file at a line boundary, compresses
    it as logrotate does (`.1` -> `.1.gz`, then `.1` removed: its last lines may not have been
    read yet), and goes on in a new one."""

    def __init__(self, folder: Path, streams: dict[str, bytes], rng: random.Random):
        self.folder = folder
        pieces: dict[str, list[bytes]] = {}
        for name, data in streams.items():
            cuts = sorted(rng.sample(range(1, len(data)), min(12, len(data) - 1)))
            pieces[name] = [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]
        turns = [name for name, parts in pieces.items() for _ in parts]
        rng.shuffle(turns)  # interleaved across files; each file's pieces stay in order
        queues = {name: iter(parts) for name, parts in pieces.items()}
        self.steps = [(name, next(queues[name])) for name in turns]
        first = next(iter(streams))
        self.rotate = {first: len(streams[first]) // 2}  # rotated at the line after this
        self.written: dict[str, int] = {}

    def feed(self, count: int) -> None:
        for name, piece in self.steps[:count]:
            path = self.folder / name
            done = self.written.get(name, 0)
            limit = self.rotate.get(name)
            if limit is not None and done < limit <= done + len(piece):
                newline = piece.find(b"\n", limit - done) + 1 or len(piece)
                with open(path, "ab") as stream:
                    stream.write(piece[:newline])
                rotated = path.rename(path.with_name(name + ".1"))  # the name goes on anew
                path.with_name(name + ".1.gz").write_bytes(gzip.compress(rotated.read_bytes()))
                rotated.unlink()
                with open(path, "ab") as stream:
                    stream.write(piece[newline:])
            else:
                with open(path, "ab") as stream:
                    stream.write(piece)
            self.written[name] = done + len(piece)
            time.sleep(0.01)
        del self.steps[:count]


def _kill_after(
    watcher: subprocess.Popen, progress: Callable[[], bool], rng: random.Random
) -> None:
    """SIGKILL once the watcher has made progress, at a random moment after that."""
    deadline = time.monotonic() + 60
    while not progress():
        assert watcher.poll() is None and time.monotonic() < deadline, (
            "the watcher made no progress"
        )
        time.sleep(0.05)
    time.sleep(rng.uniform(0, 0.3))
    watcher.send_signal(signal.SIGKILL)
    watcher.wait()


@pytest.fixture()
def inputs(tmp_path: Path, shared_data: Path) -> tuple[dict[str, bytes], list[Path]]:
    """JSON-lines streams (a real OTRF capture, two generated domains in two shapes) and
    real EVTX files."""
    streams: dict[str, bytes] = {}
    capture = shared_data / "otrf" / "empire_shell_net_localgroup_administrators.zip"
    with zipfile.ZipFile(capture) as archive:
        member = archive.namelist()[0]
        streams["otrf.json"] = archive.read(member)
    for path in write_demo(tmp_path / "corp", "ecs", seed=7):
        streams[f"corp-{path.name}"] = path.read_bytes()
    # A second domain: another story, its machines renamed (the same host names and record
    # ids would be the same events).
    branch = [replace(e, computer=f"BR-{e.computer}") for e in generate(seed=11)]
    for host, events in by_host(branch):
        streams[f"branch-{host.lower()}.json"] = write(
            events, tmp_path / host, "nxlog"
        ).read_bytes()
    evtx = sorted((shared_data / "evtx" / "mdecrevoisier").glob("*.evtx"))
    return streams, evtx


def test_watch_with_kill_9_finds_what_hunt_finds(
    tmp_path: Path, inputs: tuple[dict[str, bytes], list[Path]]
) -> None:
    streams, evtx = inputs
    originals = tmp_path / "originals"
    originals.mkdir()
    for name, data in streams.items():
        (originals / name).write_bytes(data)
    expected = run([originals, *evtx], HuntOptions())
    assert len(expected.findings) >= 10

    watched, store, alerts, log = (
        tmp_path / "watched",
        tmp_path / "soc.duckdb",
        tmp_path / "alerts.jsonl",
        tmp_path / "watch.log",
    )
    watched.mkdir()
    args = (watched, "--db", store, "--grace", "0", "--interval", "0.1", "--sink", f"file:{alerts}")
    rng = random.Random(15)
    feeder = Feeder(watched, streams, rng)
    total = len(feeder.steps)

    watcher = start_watch(*args, log=log)
    feeder.feed(total // 3)
    shutil.copyfile(evtx[0], watched / evtx[0].name)
    shutil.copyfile(evtx[1], watched / evtx[1].name)
    _kill_after(watcher, lambda: len(alert_lines(alerts)) >= 2, rng)
    first_life = len(alert_lines(alerts))

    watcher = start_watch(*args, log=log)
    feeder.feed(total // 3)
    for path in evtx[2:]:
        shutil.copyfile(path, watched / path.name)
    replaced = watched / evtx[0].name  # the same export again, under the same name
    shutil.copyfile(evtx[0], tmp_path / "again.evtx")
    (tmp_path / "again.evtx").replace(replaced)
    _kill_after(watcher, lambda: len(alert_lines(alerts)) > first_life, rng)

    feeder.feed(len(feeder.steps))
    run_watch(*args, log=log)

    renames = {str(originals): str(watched)}
    assert_watch_gave_the_hunt(alerts, store, expected.findings, [originals, *evtx], renames)
