"""Telemetry readiness: would acctrace see an account being created here, and name its creator?

`coverage(paths)` reads every event once into per-host statistics (never into the
analytic's event store), runs the normal hunt on the same paths for its findings, and
judges each host. `explain` prints the analytic's own description from bundled data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from acctrace.errors import InputProblem
from acctrace.findings import Finding
from acctrace.pipeline import HuntOptions, run
from acctrace.readiness.collect import collect
from acctrace.readiness.judge import build_report
from acctrace.readiness.report import CoverageReport

__all__ = ["CoverageReport", "coverage", "readiness_of"]


def coverage(
    paths: list[Path],
    on_problem: Callable[[InputProblem], None] | None = None,
    options: HuntOptions | None = None,
) -> CoverageReport:
    """`options`: the hunt's (an inventory's host roles, for instance), as `hunt` takes them."""
    collection = collect(paths, on_problem)
    # the hunt's problems are the same inputs': reported once, above
    hunt = run(paths, options or HuntOptions())
    problems = [str(p) for p in collection.problems]
    return build_report(collection, hunt.findings, problems)


def readiness_of(paths: list[Path], findings: list[Finding]) -> CoverageReport | None:
    """The readiness of the hosts in `paths`, judged with findings already made (a report's
    section); None without logs (a report of saved findings)."""
    if not paths:
        return None
    return build_report(collect(paths), findings, [])
