"""Workers exit with their parent: a hunt killed with -9 leaves no process reading on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry.name))
    return found


def _is_worker(pid: int) -> bool:
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has stopped; only its exit status is left


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    line = orjson.dumps(
        {"EventID": 4688, "Channel": "Security", "Hostname": "ws1", "RecordNumber": 1,
         "SourceName": "Microsoft-Windows-Security-Auditing", "NewProcessId": "0x10",
         "@timestamp": "2024-03-01T10:00:00Z", "CommandLine": "x" * 200}
    ) + b"\n"  # fmt: skip
    for i in range(12):  # enough to keep two workers reading for a while
        (tmp_path / f"{i}.jsonl").write_bytes(line * 60_000)
    hunt = subprocess.Popen(
        [sys.executable, "-m", "acctrace", "hunt", str(tmp_path), "--workers", "3"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2 and hunt.poll() is None:
            time.sleep(0.2)
            workers = [p for p in _children(hunt.pid) if _running(p) and _is_worker(p)]
        assert workers, "no worker started"
        time.sleep(1.0)  # let them read
        hunt.send_signal(signal.SIGKILL)
        hunt.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(map(_running, workers)):
            time.sleep(0.2)
        assert not [p for p in workers if _running(p)]
    finally:
        if hunt.poll() is None:
            hunt.kill()
        for pid in _children(hunt.pid):
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
