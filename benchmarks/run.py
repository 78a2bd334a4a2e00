"""acctrace's benchmark: builds its inputs, times acctrace against the bare parser, and
reports each target (issue 14) as PASS or MISS. Timings are never asserted anywhere.

    .venv/bin/python benchmarks/run.py [--size tiny|small|medium|large] [--out results.json]
                                       [--work DIR] [--repeats N] [--only evtx,jsonl,...]
                                       [--profile evtx|jsonl|triage|small_files|correlation]

Method and the latest numbers: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import inputs
import measure
import orjson

MEASUREMENTS = ("startup", "small_files", "evtx", "jsonl", "triage", "stages", "correlation")
PROFILED = ("small_files", "evtx", "jsonl", "triage", "correlation")
TARGETS = {
    "startup_s": 0.15,  # `acctrace --version`
    "one_file_hunt_s": 0.6,  # `acctrace hunt` of one small real EVTX file, end to end
    "small_files_ratio": 10.0,  # acctrace time / bare iteration time, the real EVTX tree
    "evtx_ratio": 0.5,  # acctrace throughput / bare records_json() throughput
    "jsonl_lines_per_s": 300_000,
    "jsonl_peak_rss_mb": 1536,  # for 10 million lines (--size large)
    "triage_speedup": 1.6,  # --workers 2 over --workers 1, on 2 cores
    "correlation_s": 5.0,  # 1M processes, 100k logons, 10k creations (medium and large)
}
# A small real log with one account creation and its process (the "one small file").
ONE_FILE = inputs.SHARED_EVTX / "mdecrevoisier" / "ID4688-User creation via commandline.evtx"
HUNT_OK = (0, 3)  # 3: some input could not be read (the collection has odd real files)


def _result(
    value: float | None, target: float, higher_is_better: bool, unit: str, **detail: Any
) -> dict[str, Any]:
    if value is None:
        status = detail.pop("status", "NOT MEASURED")
    elif higher_is_better:
        status = "PASS" if value >= target else "MISS"
    else:
        status = "PASS" if value < target else "MISS"
    return {
        "value": None if value is None else round(value, 4),
        "unit": unit,
        "target": (">= " if higher_is_better else "< ") + _number(target),
        "status": status,
        **detail,
    }


def _hunt(path: str, *extra: str) -> list[str]:
    return [*measure.acctrace_command(), "hunt", path, "--json", *extra]


def _skipped(name: str, higher_is_better: bool, unit: str, missing: Path) -> dict[str, Any]:
    return {
        name: _result(
            None,
            TARGETS[name],
            higher_is_better,
            unit,
            status="SKIPPED",
            note=f"needs the real logs ({missing} is absent)",
        )
    }


def bench_startup(built: inputs.Inputs, repeats: int, warmup: int) -> dict[str, Any]:
    """`acctrace --version`, `--help`, and a whole hunt of one small real file."""
    acctrace = measure.acctrace_command()
    commands = {"version": [*acctrace, "--version"], "help": [*acctrace, "--help"]}
    if ONE_FILE.is_file():
        commands["one_file"] = _hunt(str(ONE_FILE))
    timed = measure.alternate(commands, repeats, warmup, ok=HUNT_OK)
    runs = {k: measure.summarise(v) for k, v in timed.items()}
    results = {
        "startup_s": _result(
            runs["version"].median_s,
            TARGETS["startup_s"],
            False,
            "s",
            version=measure.as_dict(runs["version"]),
            help=measure.as_dict(runs["help"]),
            note="whole process, `acctrace --version` (and `--help` beside it)",
        )
    }
    if "one_file" not in runs:
        return results | _skipped("one_file_hunt_s", False, "s", ONE_FILE)
    return results | {
        "one_file_hunt_s": _result(
            runs["one_file"].median_s,
            TARGETS["one_file_hunt_s"],
            False,
            "s",
            file=ONE_FILE.name,
            acctrace=measure.as_dict(runs["one_file"]),
        )
    }


def bench_small_files(built: inputs.Inputs, repeats: int, warmup: int) -> dict[str, Any]:
    """The real EVTX tree (hundreds of small logs): acctrace's time over a bare hunter's."""
    tree = inputs.SHARED_EVTX
    if not tree.is_dir():
        return _skipped("small_files_ratio", False, "x", tree)
    runs = measure.alternate(
        {"raw": measure.child_command("raw-evtx-tree", str(tree)), "acctrace": _hunt(str(tree))},
        repeats,
        warmup,
        ok=HUNT_OK,
        keep_stdout=True,
    )
    raw, acct = measure.summarise(runs["raw"]), measure.summarise(runs["acctrace"])
    counted = orjson.loads(runs["raw"][0].stdout)
    return {
        "small_files_ratio": _result(
            acct.median_s / raw.median_s,
            TARGETS["small_files_ratio"],
            False,
            "x",
            aim=5,
            cpu_ratio=round(acct.median_cpu_s / raw.median_cpu_s, 3),
            files=counted["files"],
            records=counted["records"],
            raw=measure.as_dict(raw),
            acctrace=measure.as_dict(acct),
            note="time ratio, both whole processes; lower is better; cpu_ratio: the same in "
            "CPU seconds, which a busy machine disturbs less",
        )
    }


def bench_evtx(built: inputs.Inputs, repeats: int, warmup: int) -> dict[str, Any]:
    if built.evtx is None:
        return _skipped("evtx_ratio", True, "ratio", inputs.SHARED_EVTX)
    path, records = built.evtx["path"], built.evtx["records"]
    commands = {"raw": measure.child_command("raw-evtx", path), "acctrace": _hunt(path)}
    readers = {n: _hunt(path, "--workers", str(n)) for n in (1, 2)} if has_workers_option() else {}
    commands |= {f"readers_{n}": argv for n, argv in readers.items()}
    runs = measure.alternate(commands, repeats, warmup, ok=HUNT_OK)
    raw, acct = measure.summarise(runs["raw"]), measure.summarise(runs["acctrace"])
    raw_rate, acct_rate = records / raw.median_s, records / acct.median_s
    by_readers = {}  # the file read by one reader, and in pieces by two (the default's choice
    for n in readers:  # on two idle cores)
        run = measure.summarise(runs[f"readers_{n}"])
        by_readers[f"readers_{n}"] = {
            "ratio": round(records / run.median_s / raw_rate, 4),
            "cpu_ratio": round(raw.median_cpu_s / run.median_cpu_s, 4),
            **measure.as_dict(run),
        }
    return {
        "evtx_ratio": _result(
            acct_rate / raw_rate,
            TARGETS["evtx_ratio"],
            True,
            "ratio",
            aim=0.8,
            cpu_ratio=round(raw.median_cpu_s / acct.median_cpu_s, 4),
            records=records,
            bytes=built.evtx["bytes"],
            raw_records_per_s=round(raw_rate),
            acctrace_records_per_s=round(acct_rate),
            raw=measure.as_dict(raw),
            acctrace=measure.as_dict(acct),
            **by_readers,
            note="both sides include process start; cpu_ratio: the same in CPU seconds; "
            "acctrace: the default --workers 0 (one reader per idle core), readers_N: --workers N",
        )
    }


def bench_jsonl(built: inputs.Inputs, repeats: int, warmup: int) -> dict[str, Any]:
    path, lines = built.jsonl["path"], built.jsonl["lines"]
    commands = {"acctrace": _hunt(path)}
    if has_workers_option():  # the default reads a large file in pieces with every idle core
        commands["readers_1"] = _hunt(path, "--workers", "1")
    runs = measure.alternate(commands, repeats, warmup, ok=HUNT_OK)
    acct = measure.summarise(runs["acctrace"])
    detail = {
        "lines": lines,
        "relevant": built.jsonl["relevant"],
        "bytes": built.jsonl["bytes"],
        "acctrace": measure.as_dict(acct),
    }
    if "readers_1" in runs:
        one = measure.summarise(runs["readers_1"])
        detail["readers_1"] = {"lines_per_s": round(lines / one.median_s), **measure.as_dict(one)}
    return {
        "jsonl_lines_per_s": _result(
            lines / acct.median_s, TARGETS["jsonl_lines_per_s"], True, "lines/s", **detail
        ),
        "jsonl_peak_rss_mb": _result(
            acct.peak_rss_mb,
            TARGETS["jsonl_peak_rss_mb"],
            False,
            "MiB",
            lines=lines,
            note="the target is set for 10 million lines (--size large)",
        ),
    }


def has_workers_option() -> bool:
    out = subprocess.run(
        [*measure.acctrace_command(), "hunt", "--help"], capture_output=True, text=True, check=False
    )
    return "--workers" in out.stdout


def bench_triage(built: inputs.Inputs, repeats: int, warmup: int) -> dict[str, Any]:
    path, records = built.triage["path"], built.triage["records"]
    workers = has_workers_option()
    commands = {"workers_1": _hunt(path, "--workers", "1")} if workers else {"single": _hunt(path)}
    if workers:
        commands["workers_2"] = _hunt(path, "--workers", "2")
    runs = {
        k: measure.summarise(v)
        for k, v in measure.alternate(commands, repeats, warmup, ok=HUNT_OK).items()
    }
    detail: dict[str, Any] = {
        "files": built.triage["files"],
        "records": records,
        "bytes": built.triage["bytes"],
        **{name: measure.as_dict(s) for name, s in runs.items()},
        **{f"{name}_records_per_s": round(records / s.median_s) for name, s in runs.items()},
    }
    if not workers:
        return {
            "triage_speedup": _result(
                None,
                TARGETS["triage_speedup"],
                True,
                "x",
                note="`acctrace hunt --help` lists no --workers option: single process only",
                **detail,
            )
        }
    speedup = runs["workers_1"].median_s / runs["workers_2"].median_s
    return {"triage_speedup": _result(speedup, TARGETS["triage_speedup"], True, "x", **detail)}


STAGES = ("import_reading", "import_pipeline", "read", "load", "assess")


def bench_stages(built: inputs.Inputs, repeats: int, warmup: int) -> dict[str, Any]:
    """CPU seconds per stage of a hunt of the dense EVTX, the triage collection and the JSON
    lines, with one reader and with two, run alternately. A busy machine stretches wall
    time but hardly CPU time, so the speed-up two readers can give on two idle cores is
    bounded from CPU:
    the stages' sum with one reader over the critical path with two (the imports, half of
    the reading's CPU, the parent's and the worker's together, as the parent takes runs
    back until the two meet; then the serial stages)."""
    targets = {"triage": built.triage["path"], "jsonl": built.jsonl["path"]}
    if built.evtx is not None:
        targets = {"evtx": built.evtx["path"], **targets}
    commands = {
        f"{name}_{n}": measure.child_command("stages", f"{path}:{n}")
        for name, path in targets.items()
        for n in (1, 2)
    }
    runs = measure.alternate(commands, repeats, warmup, keep_stdout=True)
    results = {}
    for name in targets:
        one, two = (_stage_medians(runs[f"{name}_{n}"]) for n in (1, 2))
        serial = sum(one["cpu_s"].values())
        critical = sum(two["cpu_s"].values()) - two["cpu_s"]["read"] / 2
        critical += two["workers_cpu_s"] / 2
        results[f"{name}_two_readers_cpu_bound"] = _result(
            serial / critical,
            TARGETS["triage_speedup"],
            True,
            "x",
            one_reader=one,
            two_readers=two,
            serial_cpu_s=round(serial, 4),
            critical_path_cpu_s=round(critical, 4),
            note="CPU seconds of the hunt with one reader over the critical path with two; "
            "wall times of the stages beside them (wall_s); the --json output is not included",
        )
    return results


def _stage_medians(runs: list[measure.Run]) -> dict[str, Any]:
    outputs = [orjson.loads(r.stdout) for r in runs]
    return {
        "cpu_s": {s: round(statistics.median(o["cpu_s"][s] for o in outputs), 4) for s in STAGES},
        "wall_s": {s: round(statistics.median(o["wall_s"][s] for o in outputs), 4) for s in STAGES},
        "workers_cpu_s": round(statistics.median(o["workers_cpu_s"] for o in outputs), 4),
        "records": outputs[0]["records"],
        "findings": outputs[0]["findings"],
    }


def bench_correlation(built: inputs.Inputs, repeats: int, warmup: int) -> dict[str, Any]:
    argv = measure.child_command("correlate", built.correlation["path"])
    runs = measure.alternate({"correlate": argv}, repeats, warmup, keep_stdout=True)["correlate"]
    outputs = [orjson.loads(r.stdout) for r in runs]
    seconds = sorted(o["seconds"] for o in outputs)
    median = (
        seconds[len(seconds) // 2]
        if len(seconds) % 2
        else sum(seconds[len(seconds) // 2 - 1 : len(seconds) // 2 + 1]) / 2
    )
    return {
        "correlation_s": _result(
            median,
            TARGETS["correlation_s"],
            False,
            "s",
            rows=built.correlation["rows"],
            runs_s=[round(s, 4) for s in seconds],
            stories=outputs[0]["stories"],
            candidates=outputs[0]["candidates"],
            peak_rss_mb=round(max(r.peak_rss_mb for r in runs), 1),
            note="correlate(tables, Window()) alone, timed inside the child; tables from Arrow IPC",
        )
    }


BENCHES = {
    "startup": bench_startup,
    "small_files": bench_small_files,
    "evtx": bench_evtx,
    "jsonl": bench_jsonl,
    "triage": bench_triage,
    "stages": bench_stages,
    "correlation": bench_correlation,
}


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    versions = {}
    for package in ("acctrace", "evtx", "duckdb", "ibis-framework", "pyarrow", "orjson"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=measure.ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu": model,
        "memory_gb": _memory_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "commit": commit or None,
    }


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def print_table(results: dict[str, dict[str, Any]]) -> None:
    rows = [("measurement", "value", "target", "status")]
    for name, r in results.items():
        value = "-" if r["value"] is None else _number(r["value"])
        rows.append((name, f"{value} {r['unit']}", f"{r['target']} {r['unit']}", r["status"]))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def profile(built: inputs.Inputs, what: str, work: Path) -> None:
    """Run acctrace once on one input under cProfile and print where the time goes."""
    out = work / f"profile-{what}.prof"
    profiled = [sys.executable, "-m", "cProfile", "-o", str(out)]
    if what == "correlation":
        argv = [*profiled, *measure.child_command("correlate", built.correlation["path"])[1:]]
    else:
        path = {
            "evtx": (built.evtx or {}).get("path"),
            "jsonl": built.jsonl["path"],
            "triage": built.triage["path"],
            "small_files": str(inputs.SHARED_EVTX) if inputs.SHARED_EVTX.is_dir() else None,
        }[what]
        script = measure.acctrace_command()
        if path is None or len(script) != 1:
            print(f"cannot profile {what}: no input or no acctrace script", file=sys.stderr)
            return
        argv = [*profiled, script[0], "hunt", path, "--json"]
    measure.run(argv, ok=HUNT_OK)
    print(f"\nprofile of {what} ({out}), by own time, then cumulative:")
    pstats.Stats(str(out)).sort_stats("tottime").print_stats(20)
    pstats.Stats(str(out)).sort_stats("cumulative").print_stats(30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=list(inputs.SIZES), default="small")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument(
        "--work",
        type=Path,
        help="build the inputs here and keep them "
        "(default: a temporary folder, removed afterwards)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="use the inputs already built in --work for this size"
    )
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each command")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first")
    parser.add_argument(
        "--only",
        default=",".join(MEASUREMENTS),
        help=f"comma-separated subset of {','.join(MEASUREMENTS)}",
    )
    parser.add_argument(
        "--profile",
        choices=PROFILED,
        help="also profile acctrace on this input (cProfile)",
    )
    args = parser.parse_args(argv)
    only = [m for m in args.only.split(",") if m]
    if unknown := set(only) - set(MEASUREMENTS):
        parser.error(f"unknown measurement(s): {', '.join(sorted(unknown))}")
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    work = args.work or Path(tempfile.mkdtemp(prefix="acctrace-bench-"))
    try:
        built = _inputs(work, args.size, args.reuse)
        results: dict[str, dict[str, Any]] = {}
        for name in only:
            print(f"measuring {name} ...", flush=True)
            results.update(BENCHES[name](built, args.repeats, args.warmup))
        report = {
            "size": args.size,
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "repeats": args.repeats,
            "warmup": args.warmup,
            "machine": machine(),
            "inputs": {k: v for k, v in asdict(built).items() if v is not None},
            "measurements": results,
        }
        print()
        print_table(results)
        if args.out:
            args.out.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n")
            print(f"\nwrote {args.out}")
        if args.profile:
            profile(built, args.profile, work)
    except measure.ChildFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _inputs(work: Path, size: str, reuse: bool) -> inputs.Inputs:
    manifest = work / f"inputs-{size}.json"
    if reuse and manifest.is_file():
        print(f"reusing the inputs listed in {manifest}")
        return inputs.Inputs(**orjson.loads(manifest.read_bytes()))
    built = inputs.build(work, inputs.SIZES[size])
    manifest.write_bytes(orjson.dumps(asdict(built), option=orjson.OPT_INDENT_2))
    return built


if __name__ == "__main__":
    sys.exit(main())
