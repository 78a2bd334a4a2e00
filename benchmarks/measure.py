"""Timing child processes: wall time and peak resident memory of each run, and medians.

Each run is its own process, started and reaped (os.wait4) by a small launcher process:
Linux carries a process's peak RSS across fork and exec, so a child forked straight from
this (large) process would report this process's size. The launcher reports the wall time
and ru_maxrss of the command, which include any worker processes it waited for (ru_maxrss
is then the largest of them, not their sum), and its CPU time (user + system, its waited-for
descendants included), which a busy machine disturbs far less than wall time. Commands
being compared are run alternately,
A B A B ..., so that a change in machine load or page cache affects both alike.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str  # kept only when asked for (small outputs)


class ChildFailed(RuntimeError):
    pass


def acctrace_command() -> list[str]:
    """The installed console script beside this Python, as users run it; else the module."""
    script = Path(sys.executable).parent / "acctrace"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from acctrace.cli import main; main()"]


def child_command(*args: str) -> list[str]:
    return [sys.executable, str(BENCHMARKS / "child.py"), *args]


_LAUNCHER = """
import json, os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    cpu = usage.ru_utime + usage.ru_stime
    json.dump({"seconds": seconds, "cpu_s": cpu, "maxrss_kib": usage.ru_maxrss}, out)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run(argv: list[str], keep_stdout: bool = False, ok: tuple[int, ...] = (0,)) -> Run:
    """Run `argv` once; stdout goes to /dev/null unless kept. Raises when the exit is not ok."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(BENCHMARKS), str(ROOT)])}
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".json") as usage,
    ):
        done = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, usage.name, *argv],
            stdout=out if keep_stdout else subprocess.DEVNULL,
            stderr=err,
            env=env,
            cwd=ROOT,
            check=False,
        )
        out.seek(0)
        err.seek(0)
        output, errors = out.read(), err.read()
        measured = json.loads(usage.read() or "{}")
    if done.returncode not in ok or not measured:
        tail = errors.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise ChildFailed(f"{' '.join(argv)} exited {done.returncode}: " + " | ".join(tail))
    # Linux reports ru_maxrss in KiB.
    return Run(
        measured["seconds"],
        measured["cpu_s"],
        measured["maxrss_kib"] / 1024,
        done.returncode,
        output.decode(),
    )


def alternate(
    commands: dict[str, list[str]],
    repeats: int,
    warmup: int = 1,
    ok: tuple[int, ...] = (0,),
    keep_stdout: bool = False,
) -> dict[str, list[Run]]:
    """Run each command `warmup` times untimed, then `repeats` times, alternating."""
    for _ in range(warmup):
        for argv in commands.values():
            run(argv, keep_stdout, ok)
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, argv in commands.items():
            runs[name].append(run(argv, keep_stdout, ok))
    return runs


@dataclass(frozen=True)
class Summary:
    median_s: float
    min_s: float
    max_s: float
    median_cpu_s: float
    peak_rss_mb: float  # the largest of the runs
    runs_s: list[float]


def summarise(runs: list[Run]) -> Summary:
    times = [r.seconds for r in runs]
    return Summary(
        statistics.median(times),
        min(times),
        max(times),
        statistics.median(r.cpu_s for r in runs),
        max(r.peak_rss_mb for r in runs),
        [round(t, 4) for t in times],
    )


def as_dict(summary: Summary) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(summary).items()}
