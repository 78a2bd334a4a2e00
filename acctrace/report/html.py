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
from acctrace.normalise.fields import parse_iso
from acctrace.readiness.groups import group_hosts
from acctrace.readiness.report import CoverageReport
from acctrace.report.casefile import Case, StoryEvent, build_cases, fit, overview, row
from acctrace.report.inert import inert

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
    single_case: bool = False  # one case's page (an evidence bundle): no findings table


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
            rows=[row(c.finding) for c in cases],
            severity_rank=SEVERITY_ORDER,
            policy_given=not any(
                r.code == "approval_not_checked" for f in result.findings for r in f.verdict.reasons
            ),
            single_case=context.single_case,
            anchors={c.finding.id for c in cases},
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
            readiness_groups=group_hosts(context.readiness.hosts) if context.readiness else [],
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
        finalize=_inert,
    )


def _inert(value: object) -> object:
    """Every logged string a template shows, with control and bidi characters escaped
    (markup the code built, a `Markup`, is left as it is)."""
    return inert(value, keep_layout=True) if type(value) is str else value


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
        return parse_iso(iso).timestamp()
    except ValueError:
        return None


def _label_time(t: float, span: float) -> str:
    moment = datetime.fromtimestamp(t, UTC)
    return moment.strftime("%H:%M" if span < 86_400 else "%Y-%m-%d")


_LANES = 12  # host lanes drawn; creations on further hosts share one last lane


def _overview_chart(cases: list[Case]) -> dict | None:
    """Creations over time, one lane per host (the busiest first), coloured by severity."""
    points = [(c, _epoch(c.finding.time)) for c in cases]
    dated = [(c, t) for c, t in points if t is not None]
    if not dated:
        return None
    hosts = [
        h for h, _ in Counter(c.finding.host or "unknown host" for c, _ in dated).most_common()
    ]
    shown = hosts if len(hosts) <= _LANES else hosts[: _LANES - 1]
    labels = shown + ([f"{len(hosts) - len(shown)} other hosts"] if len(shown) < len(hosts) else [])
    width, left, right = 900, 230, 880
    start, end = min(t for _, t in dated), max(t for _, t in dated)
    span = max(end - start, 1.0)
    row_height, top = 26, 16
    axis = top + row_height * len(labels)

    def x(t: float) -> float:
        return (
            round(left + (t - start) / span * (right - left), 1)
            if end > start
            else (left + right) / 2
        )

    def lane(host: str | None) -> int:
        name = host or "unknown host"
        return shown.index(name) if name in shown else len(labels) - 1

    marks = []
    for c, t in dated:
        severity = c.finding.verdict.severity
        marks.append(
            {
                "x": x(t),
                "y": top + row_height * lane(c.finding.host) + row_height / 2,
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
        "lanes": [
            {"y": top + row_height * i + row_height / 2, "label": fit(label, 34)}
            for i, label in enumerate(labels)
        ],
        "marks": marks,
        "ticks": ticks,
        "start": dated[0][0].finding.time if len(dated) == 1 else _iso(start),
        "end": _iso(end),
    }


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _case_timeline(case: Case) -> dict | None:
    """The account's life as a strip; the creation, privileged memberships and the deletion
    are labelled (a label that would overlap the previous one is left to its tooltip)."""
    dated = [(e, _epoch(e.time)) for e in case.story]
    dated = [(e, t) for e, t in dated if t is not None]
    if len(dated) < 2:
        return None
    left, right = 12, 888
    start, end = dated[0][1], dated[-1][1]
    span = max(end - start, 1e-3)
    marks, last_tag = [], -1000.0
    for e, t in dated:
        x = round(left + (t - start) / span * (right - left), 1)
        tag = _tag(e) if x - last_tag >= 120 else None
        if tag:
            last_tag = x
        marks.append(
            {
                "x": x,
                "emphasis": e.emphasis,
                "colour": COLOURS[case.finding.verdict.severity] if e.emphasis else "#57606a",
                "label": f"{e.time} {e.kind}: {e.message}",
                "tag": tag,
                "anchor": "start" if x < 100 else "end" if x > right - 100 else "middle",
            }
        )
    return {
        "width": 900,
        "height": 60,
        "left": left,
        "right": right,
        "axis": 28,
        "marks": marks,
        "start": dated[0][0].time,
        "end": dated[-1][0].time,
    }


def _tag(event: StoryEvent) -> str | None:
    if event.kind == "Account Created":
        return "created"
    if event.kind == "Account Deleted":
        return "deleted"
    if event.emphasis:  # a privileged group membership
        return fit(event.message.replace("added to group ", "+"), 28)
    return None
