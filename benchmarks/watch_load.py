"""Load on `acctrace watch`: a sustained stream of Winlogbeat lines, appended to a followed
file as a shipper would, and what the watcher holds: events/s, alert latency (from the
moment a creation's line is written to the moment its first alert is in the sink), and
RSS over time. Not a test: it runs for as long as asked and asserts nothing.

    .venv/bin/python benchmarks/watch_load.py --seconds 120 --rate 20000 --grace 5
    .venv/bin/python benchmarks/watch_load.py --seconds 1800 --out soak.json   # the soak

The lines are jsonl_gen's: the demo domain's day repeated a day later each round (seven
account creations per round, new SIDs, logon sessions and process GUIDs of its own), 2 %
relevant, the rest the day's irrelevant events.
The file rotates every `--rotate-mb` (`.1` becomes `.2` ..., eight kept), as Winlogbeat's
file output does.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import orjson

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
sys.path.insert(0, str(BENCHMARKS))
sys.path.insert(0, str(ROOT))

from jsonl_gen import stream  # noqa: E402  (benchmarks/ is not a package)


class Feeder(threading.Thread):
    """Appends `rate` lines a second in tenths of a second; notes when each creation was
    written, by (host, new account SID)."""

    def __init__(self, folder: Path, rate: int, seconds: float, rotate_bytes: int):
        super().__init__(daemon=True)
        self.path = folder / "winlogbeat.ndjson"
        self.rate, self.seconds, self.rotate_bytes = rate, seconds, rotate_bytes
        self.written: dict[tuple[str, str], float] = {}
        self.lines = 0
        self.behind_s = 0.0  # how far the feeder itself fell behind its schedule

    def run(self) -> None:
        lines = stream(10**12, 0.02, 0, fresh_sessions=True)
        step = self.rate // 10
        start = time.monotonic()
        size = 0
        out = open(self.path, "ab")  # noqa: SIM115 - reopened on rotation
        for tick in range(int(self.seconds * 10)):
            batch = []
            for _ in range(step):
                line, relevant = next(lines)
                batch.append(line)
                if relevant and b'"event_id":"4720"' in line:
                    record = orjson.loads(line)["winlog"]
                    key = (record["computer_name"].lower(), record["event_data"]["TargetSid"])
                    self.written[key] = -1.0  # stamped when written, below
            data = b"".join(batch)
            out.write(data)
            out.flush()
            now = time.time()
            for key, when in self.written.items():
                if when < 0:
                    self.written[key] = now
            self.lines += len(batch)
            size += len(data)
            if size >= self.rotate_bytes:
                out.close()
                self._rotate()
                out, size = open(self.path, "ab"), 0  # noqa: SIM115
            delay = start + (tick + 1) / 10 - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                self.behind_s = max(self.behind_s, -delay)
        out.close()

    def _rotate(self) -> None:
        """As Winlogbeat does: .1 becomes .2 and so on, the oldest kept removed."""
        name = self.path.name
        self.path.with_name(f"{name}.{KEEP_FILES}").unlink(missing_ok=True)
        for n in range(KEEP_FILES - 1, 0, -1):
            older = self.path.with_name(f"{name}.{n}")
            if older.exists():
                older.rename(self.path.with_name(f"{name}.{n + 1}"))
        self.path.rename(self.path.with_name(f"{name}.1"))


KEEP_FILES = 8  # rotated files kept: a watcher further behind loses lines, as in real life


class AlertReader(threading.Thread):
    """Notes when the first revision of each finding appears in the sink file."""

    def __init__(self, path: Path, stop: threading.Event):
        super().__init__(daemon=True)
        self.path, self.stop = path, stop
        self.seen: dict[tuple[str, str], float] = {}
        self.alerts = 0

    def run(self) -> None:
        offset = 0
        while not self.stop.is_set():
            if self.path.exists():
                with open(self.path, "rb") as stream_:
                    stream_.seek(offset)
                    data = stream_.read()
                end = data.rfind(b"\n") + 1
                now = time.time()
                for line in data[:end].splitlines():
                    alert = orjson.loads(line)
                    self.alerts += 1
                    if alert["revision"] == 1 and alert["host"]:
                        key = (alert["host"].lower(), alert["account"]["sid"])
                        self.seen.setdefault(key, now)
                offset += end
            time.sleep(0.05)


def rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_s(pid: int) -> float | None:
    """CPU seconds the process used so far (user + system): on a shared machine, wall
    time alone does not say how much the watcher had."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--rate", type=int, default=20_000, help="lines per second fed")
    parser.add_argument("--grace", type=float, default=5.0)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--rotate-mb", type=float, default=64)
    parser.add_argument("--drain", type=float, default=120, help="seconds allowed to catch up")
    parser.add_argument("--memory-limit", help="the watcher's --memory-limit (its default)")
    parser.add_argument("--horizon", type=float, help="the watcher's --horizon, s (its default)")
    parser.add_argument("--work", type=Path, help="keep the store, logs and alerts here")
    parser.add_argument("--out", type=Path, help="the results as JSON")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="acctrace-watch-load-"))
    watched, alerts, log = work / "in", work / "alerts.jsonl", work / "watch.log"
    watched.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "acctrace", "watch", str(watched), "--db", str(work / "soc.duckdb"),
        "--grace", str(args.grace), "--interval", str(args.interval), "--health-every", "5",
        "--sink", f"file:{alerts}",
    ]  # fmt: skip
    if args.memory_limit:
        command += ["--memory-limit", args.memory_limit]
    if args.horizon is not None:
        command += ["--horizon", str(args.horizon)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(log, "wb") as stderr:
        watcher = subprocess.Popen(command, stderr=stderr, stdout=subprocess.DEVNULL, env=env)
    while b'"watching"' not in log.read_bytes():
        time.sleep(0.1)

    stop = threading.Event()
    feeder = Feeder(watched, args.rate, args.seconds, int(args.rotate_mb * 2**20))
    reader = AlertReader(alerts, stop)
    started = time.time()
    feeder.start()
    reader.start()
    rss: list[tuple[float, float]] = []
    load: list[float] = []
    while feeder.is_alive():
        if (value := rss_mib(watcher.pid)) is not None:
            rss.append((round(time.time() - started, 1), round(value, 1)))
        load.append(os.getloadavg()[0])
        feeder.join(timeout=5)
    fed_s = time.time() - started
    deadline = time.time() + args.drain
    while len(reader.seen) < len(feeder.written) and time.time() < deadline:
        time.sleep(0.5)
    caught_up_s = time.time() - started - fed_s
    rss.append((round(time.time() - started, 1), rss_mib(watcher.pid) or 0.0))
    watcher_cpu_s = cpu_s(watcher.pid)
    watcher.send_signal(signal.SIGTERM)
    try:  # it ends its cycle first: a hunt may take long
        watcher.wait(timeout=300)
        stopped = "SIGTERM"
    except subprocess.TimeoutExpired:
        watcher.kill()
        watcher.wait()
        stopped = "SIGKILL, 300 s after SIGTERM"
    stop.set()
    reader.join()

    health = [
        h for h in map(orjson.loads, log.read_bytes().splitlines()) if h["message"] == "health"
    ]
    latencies = [
        reader.seen[key] - when for key, when in feeder.written.items() if key in reader.seen
    ]
    processed = [(h["time"], h["records"]) for h in health]
    # Where the watcher's time went, minute by minute of the run: as the store grows, a
    # hunt should cost what its creations need, not what the store holds.
    by_minute: dict[int, dict] = {}
    before = {"hunts": 0, "seconds": {}}
    for h in health:
        at = datetime.strptime(h["time"], "%Y-%m-%d %H:%M:%S,%f").timestamp() - started
        minute = by_minute.setdefault(
            int(at // 60), {"hunts": 0, "seconds": {}, "last": [], "duckdb_mib": 0.0}
        )
        minute["duckdb_mib"] = max(minute["duckdb_mib"], h.get("duckdb_mib", 0.0))
        minute["hunts"] += h["hunts"] - before["hunts"]
        for step, total in h["seconds_by_step"].items():
            spent = total - before["seconds"].get(step, 0.0)
            minute["seconds"][step] = round(minute["seconds"].get(step, 0.0) + spent, 2)
        if h.get("last_hunt"):
            minute["last"].append(h["last_hunt"])
        before = {"hunts": h["hunts"], "seconds": h["seconds_by_step"]}
    steps_by_minute = [
        {
            "minute": m,
            "hunts": v["hunts"],
            "seconds_by_step": v["seconds"],
            "seconds_per_hunt": round(v["seconds"].get("hunt", 0.0) / v["hunts"], 2)
            if v["hunts"]
            else None,
            "slice_events_max": max((h["events"] for h in v["last"]), default=None),
            "duckdb_mib_max": v["duckdb_mib"],
        }
        for m, v in sorted(by_minute.items())
    ]
    results = {
        "seconds_fed": round(fed_s, 1),
        "lines_fed": feeder.lines,
        "lines_per_s_fed": round(feeder.lines / fed_s),
        "feeder_behind_s": round(feeder.behind_s, 2),
        "lines_read_by_watch": health[-1]["records"] if health else None,
        "lines_per_s_read": round(health[-1]["records"] / (fed_s + caught_up_s))
        if health
        else None,
        "seconds_to_catch_up_after_feed": round(caught_up_s, 1),
        "watcher_stopped_by": stopped,
        "creations_fed": len(feeder.written),
        "creations_alerted": len(reader.seen),
        "alerts_total": reader.alerts,
        "grace_s": args.grace,
        "latency_p50_s": round(percentile(latencies, 0.5) or 0, 2),
        "latency_p99_s": round(percentile(latencies, 0.99) or 0, 2),
        "latency_max_s": round(max(latencies, default=0), 2),
        "latency_mean_s": round(statistics.fmean(latencies), 2) if latencies else None,
        "watcher_cpu_s": round(watcher_cpu_s, 1) if watcher_cpu_s is not None else None,
        "wall_s": round(fed_s + caught_up_s, 1),
        "load_average_1min": [round(min(load), 1), round(max(load), 1)] if load else None,
        "rss_mib_over_time": rss,
        "health_records_over_time": processed,
        "steps_by_minute": steps_by_minute,
    }
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
