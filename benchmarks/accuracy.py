"""How often acctrace names the right creator, and whether its confidence means what it says.

Hunts randomised adversarial domains (acctrace/scenario/adversarial.py) whose truth is
known, written in every input shape in turn, and scores every account creation:

    .venv/bin/python benchmarks/accuracy.py [--domains 40] [--seed 1] [--out results.json]

Targets (issue 12): top-1 creator accuracy >= 99 %; findings with confidence >= 0.9 right
>= 98 %; every wrong pick below 0.5. Method and the latest table: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from acctrace.findings import Finding
from acctrace.pipeline import HuntOptions, run
from acctrace.scenario import SHAPES
from acctrace.scenario.adversarial import Truth, domain
from acctrace.scenario.writers import write

BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01))
TARGETS = {"top1": 0.99, "confident_right": 0.98, "wrong_below": 0.5}


@dataclass
class Score:
    creations: int = 0
    top1: int = 0
    lineage: int = 0
    session: int = 0
    wrong_unknown: int = 0  # no process named although the telemetry shows it
    wrong_known: int = 0  # a process named, and it is the wrong one
    missing: int = 0  # no finding at all for a created account
    bands: Counter = field(default_factory=Counter)
    band_right: Counter = field(default_factory=Counter)
    wrong_confidences: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    per_story: Counter = field(default_factory=Counter)
    per_story_right: Counter = field(default_factory=Counter)


def right_process(f: Finding, truth: Truth) -> bool:
    p = f.process
    return p is not None and p.image == truth.image and p.pid == truth.pid


def judge(findings: list[Finding], truths: list[Truth], score: Score) -> None:
    by_account = {(f.host, f.account.name): f for f in findings}
    for truth in truths:
        score.creations += 1
        score.per_story[truth.story] += 1
        f = by_account.get((truth.host, truth.account))
        if f is None:
            score.missing += 1
            score.misses.append(f"{truth.story}: no finding for {truth.account!r}")
            continue
        right = right_process(f, truth)
        score.top1 += right
        score.per_story_right[truth.story] += right
        lineage = tuple(a.image for a in f.lineage)
        score.lineage += right and lineage == truth.lineage
        creator = f.creator and f"{f.creator.domain}\\{f.creator.name}"
        score.session += creator == truth.creator and f.creator.logon_id == truth.logon_id
        if f.process is None:
            score.wrong_unknown += 1
            score.misses.append(f"{truth.story}: unknown, truth {truth.image}")
            continue
        confidence = f.process.confidence or 0.0
        band = next(b for b in BANDS if b[0] <= confidence < b[1])
        score.bands[band] += 1
        score.band_right[band] += right
        if not right:
            score.wrong_known += 1
            score.wrong_confidences.append(confidence)
            score.misses.append(
                f"{truth.story}: named {f.process.image} pid={f.process.pid} at {confidence:.2f}, "
                f"truth {truth.image} pid={truth.pid}"
            )
        elif lineage != truth.lineage:
            score.misses.append(f"{truth.story}: lineage {lineage} != {truth.lineage}")


def hunt_domains(domains: int, seed: int, work: Path) -> Score:
    score = Score()
    for i in range(domains):
        d = domain(seed + i)
        shape = SHAPES[i % len(SHAPES)]
        path = write(d.events, work / f"domain{i}.{shape}", shape)
        result = run([path], HuntOptions())
        judge(result.findings, d.truths, score)
    return score


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f} %" if total else "n/a"


def report(score: Score) -> dict[str, object]:
    n = score.creations
    confident = score.bands[BANDS[-1]]
    lines = [
        f"account creations: {n}",
        f"top-1 creator accuracy: {_pct(score.top1, n)}",
        f"lineage accuracy: {_pct(score.lineage, n)}",
        f"session/creator accuracy: {_pct(score.session, n)}",
        f"wrong-unknown rate: {_pct(score.wrong_unknown, n)}",
        f"wrong-known rate: {_pct(score.wrong_known, n)}",
        f"missing findings: {score.missing}",
        f"highest confidence of a wrong pick: {max(score.wrong_confidences, default=0):.2f}",
        "",
        "| confidence | findings | right |",
        "| --- | ---: | ---: |",
    ]
    for band in BANDS:
        low, high = band
        label = f"{low:.1f}-{min(high, 1.0):.1f}"
        lines.append(
            f"| {label} | {score.bands[band]} | {_pct(score.band_right[band], score.bands[band])} |"
        )
    lines += ["", "| story | creations | top-1 right |", "| --- | ---: | ---: |"]
    for story, count in sorted(score.per_story.items()):
        lines.append(f"| {story} | {count} | {_pct(score.per_story_right[story], count)} |")
    print("\n".join(lines))
    for miss in score.misses[:30]:
        print("  miss:", miss)
    confident_right = score.band_right[BANDS[-1]] / confident if confident else 1.0
    verdicts = {
        "top1": score.top1 / n >= TARGETS["top1"] if n else False,
        "confident_right": confident_right >= TARGETS["confident_right"],
        "wrong_below": all(c < TARGETS["wrong_below"] for c in score.wrong_confidences),
    }
    for name, ok in verdicts.items():
        print(f"{'PASS' if ok else 'MISS'} {name}")
    return {
        "creations": n,
        "top1": score.top1,
        "lineage": score.lineage,
        "session": score.session,
        "wrong_unknown": score.wrong_unknown,
        "wrong_known": score.wrong_known,
        "wrong_confidences": score.wrong_confidences,
        "bands": {f"{b[0]}-{b[1]}": [score.bands[b], score.band_right[b]] for b in BANDS},
        "targets_met": verdicts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--domains", type=int, default=40, help="randomised domains to hunt")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first domain")
    parser.add_argument("--out", type=Path, help="write the numbers as JSON here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="acctrace-accuracy-") as work:
        score = hunt_domains(args.domains, args.seed, Path(work))
    results = report(score)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if all(results["targets_met"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
