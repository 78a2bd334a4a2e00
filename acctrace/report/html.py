"""One self-contained HTML page: overview, then one case per finding, most severe first.

Every logged string is attacker-controlled, so the page is rendered by Jinja2 with
autoescaping on, no logged value is ever placed inside the script or style, and a
Content-Security-Policy allows only this page's own inline style and script (by hash):
even a value that escaped escaping could neither run a script nor load anything.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import TextIO

from jinja2 import BaseLoader, Environment, PackageLoader, StrictUndefined, select_autoescape

from acctrace import __version__
from acctrace.findings import SEVERITY_ORDER, HuntResult
from acctrace.readiness.report import CoverageReport
from acctrace.report.casefile import Case, build_cases, overview

COLOURS = {
    "critical": "#8b0000",
    "high": "#b3261e",
    "medium": "#9a5b00",
    "low": "#1f6f43",
    "info": "#3b5b8c",
}


@dataclass
class ReportContext:
    """What the page says beyond the result document."""

    title: str = "Account creations: acctrace report"
    saved_findings: list[str] = field(default_factory=list)  # files loaded as findings
    # (file, record_id, event_id) -> the raw record as read, when the caller re-read it
    raw_records: dict[tuple[str, int | None, int], str] = field(default_factory=dict)
    generated: datetime | None = None
    readiness: CoverageReport | None = None  # telemetry readiness of the hosts, when known


def render(result: HuntResult, stream: TextIO, context: ReportContext | None = None) -> None:
    stream.write(page(result, context or ReportContext()))


def page(result: HuntResult, context: ReportContext) -> str:
    css, js = asset("report.css"), asset("report.js")
    cases = build_cases(result)
    skipped: Counter[str] = Counter()
    for f in result.files:
        skipped.update(f.skipped)
    generated = (context.generated or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=context.title,
            version=__version__,
            generated=generated,
            knowledge=sorted(result.knowledge.items()),
            csp=content_security_policy(css, js),
            css=css,
            js=js,
            ov=overview(result),
            chart=_overview_chart(cases),
            cases=cases,
            case_parts={c.anchor: case_parts(c) for c in cases},
            files=result.files,
            read_total=f"{sum(f.read for f in result.files):,}",
            used_total=f"{sum(f.used for f in result.files):,}",
            skipped=sorted(skipped.items()),
            problems=result.problems,
            saved=context.saved_findings,
            raw_records=context.raw_records,
            readiness=context.readiness,
        )
    )


def content_security_policy(css: str, js: str) -> str:
    """Nothing may load; only this page's own style and script (by hash) may apply or run."""
    return (
        "default-src 'none'; "
        f"style-src '{_sha256(css)}'; script-src '{_sha256(js)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


@cache
def _environment() -> Environment:
    return environment(PackageLoader("acctrace.report", "templates"))


def environment(loader: BaseLoader) -> Environment:
    """The Jinja2 settings of every acctrace page: autoescaping everywhere, strict names."""
    return Environment(
        loader=loader,
        autoescape=select_autoescape(["html", "j2"], default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=False,
    )


@cache
def asset(name: str) -> str:
    return resources.files("acctrace.report").joinpath("templates", name).read_text("utf-8")


@dataclass(frozen=True)
class CaseParts:
    """What a case's template needs beyond the case: its timeline chart and evidence numbers."""

    timeline: dict | None
    evidence_numbers: dict[tuple, int]


def case_parts(case: Case) -> CaseParts:
    return CaseParts(_case_timeline(case), _evidence_numbers(case))


def _evidence_numbers(case: Case) -> dict[tuple, int]:
    numbers: dict[tuple, int] = {}
    for e in case.evidence:
        numbers.setdefault(e.key, len(numbers) + 1)
    return numbers


# --- inline SVG charts (numbers computed here; every label is escaped by the template) ----


def _epoch(iso: str | None) -> float | None:
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _label_time(t: float, span: float) -> str:
    moment = datetime.fromtimestamp(t, UTC)
    return moment.strftime("%H:%M" if span < 86_400 else "%Y-%m-%d")


def _overview_chart(cases: list[Case]) -> dict | None:
    points = [(c, _epoch(c.finding.time)) for c in cases]
    dated = [(c, t) for c, t in points if t is not None]
    if not dated:
        return None
    width, left, right = 900, 90, 880
    rows = sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.__getitem__, reverse=True)
    start, end = min(t for _, t in dated), max(t for _, t in dated)
    span = max(end - start, 1.0)
    row_height, top = 26, 16
    axis = top + row_height * len(rows)

    def x(t: float) -> float:
        return (
            round(left + (t - start) / span * (right - left), 1)
            if end > start
            else (left + right) / 2
        )

    marks = []
    for c, t in dated:
        severity = c.finding.verdict.severity
        marks.append(
            {
                "x": x(t),
                "y": top + row_height * rows.index(severity) + row_height / 2,
                "severity": severity,
                "colour": COLOURS[severity],
                "anchor": c.anchor,
                "label": f"{c.finding.time} {severity}: {c.title}",
            }
        )
    ticks = (
        [
            {"x": x(start + span * i / 4), "label": _label_time(start + span * i / 4, span)}
            for i in range(5)
        ]
        if end > start
        else [{"x": x(start), "label": _label_time(start, span)}]
    )
    return {
        "width": width,
        "height": axis + 28,
        "left": left,
        "right": right,
        "axis": axis,
        "marks": marks,
        "ticks": ticks,
        "start": dated[0][0].finding.time if len(dated) == 1 else _iso(start),
        "end": _iso(end),
    }


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _case_timeline(case: Case) -> dict | None:
    dated = [(e, _epoch(e.time)) for e in case.story]
    dated = [(e, t) for e, t in dated if t is not None]
    if len(dated) < 2:
        return None
    left, right = 12, 888
    start, end = dated[0][1], dated[-1][1]
    span = max(end - start, 1e-3)
    marks = [
        {
            "x": round(left + (t - start) / span * (right - left), 1),
            "emphasis": e.emphasis,
            "colour": COLOURS[case.finding.verdict.severity] if e.emphasis else "#57606a",
            "label": f"{e.time} {e.kind}: {e.message}",
        }
        for e, t in dated
    ]
    return {
        "width": 900,
        "height": 48,
        "left": left,
        "right": right,
        "axis": 14,
        "marks": marks,
        "start": dated[0][0].time,
        "end": dated[-1][0].time,
    }
