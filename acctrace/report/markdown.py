"""The HTML report's content as Markdown, for tickets and wikis.

Logged strings are attacker-controlled: in prose they are escaped (Markdown punctuation
backslashed, `<`, `>` and `&` as entities, so no renderer turns them into HTML or links);
command lines and commands go into code blocks whose fence is longer than any run of
backticks they contain. Control characters are shown as `\\xNN`.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TextIO

from acctrace import __version__
from acctrace.findings import HuntResult
from acctrace.report.casefile import Case, build_cases, overview, plural, row
from acctrace.report.html import ReportContext
from acctrace.report.inert import inert

# Inline markup only: a value never starts a line (newlines are shown as \x0a), so block
# markers (`#`, `-`, `1.`) cannot take effect and are left alone for readability.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def text(value: object) -> str:
    """A logged value as inert Markdown prose."""
    raw = inert(str(value))
    escaped = _MD_SPECIAL.sub(r"\\\1", raw)
    return "".join(_ENTITIES.get(ch, ch) for ch in escaped)


def code_block(value: str, language: str = "") -> str:
    body = inert(value)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{body}\n{fence}"


def render(result: HuntResult, stream: TextIO, context: ReportContext | None = None) -> None:
    context = context or ReportContext()
    cases = build_cases(result)
    out: list[str] = [f"# {text(context.title)}", ""]
    out += _overview(result, context)
    out += ["", "## Cases, most severe first", ""]
    if not cases:
        out.append("No account was created in these logs.")
    for case in cases:
        out += _case(case, context)
    stream.write("\n".join(out).rstrip() + "\n")


def _overview(result: HuntResult, context: ReportContext) -> list[str]:
    ov = overview(result)
    out = [
        f"Made by acctrace {__version__}. Logged strings are shown as text exactly as logged.",
        "",
        "## Overview",
        "",
        f"{ov.total} account creations"
        + (f", from {ov.first} to {ov.last}" if ov.first else "")
        + ".",
        "",
        "| Severity | Findings |",
        "| --- | --- |",
        *(f"| {s} | {n} |" for s, n in ov.by_severity),
        "",
        "| Host | Findings |",
        "| --- | --- |",
        *(f"| {text(h)} | {n} |" for h, n in ov.by_host),
        "",
        "| Creator | Findings |",
        "| --- | --- |",
        *(f"| {text(c)} | {n} |" for c, n in ov.by_creator),
        "",
        "### Findings, most severe first",
        "",
        "| Severity | Account | Host | Creator | Process | Origin | Reasons | Created |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        *(
            f"| {r.severity} {r.score} | [{text(r.account)}](#{r.anchor}) | {text(r.host)} | "
            f"{text(r.creator)} | {text(r.process)} | {text(r.origin)} | {text(r.reasons)} | "
            f"{r.time} |"
            for r in (row(c.finding) for c in build_cases(result))
        ),
        "",
        "### What was read",
        "",
    ]
    if context.saved_findings:
        out.append(
            "Findings loaded from saved `hunt --json` output (not re-analysed): "
            + ", ".join(text(s) for s in context.saved_findings)
        )
        out.append("")
    if result.files:
        skipped: Counter[str] = Counter()
        for f in result.files:
            skipped.update(f.skipped)
        out += [
            f"{plural(len(result.files), 'file')}, "
            f"{plural(sum(f.read for f in result.files), 'record')} read, "
            f"{sum(f.used for f in result.files):,} used; skipped: "
            + (", ".join(f"{n} {r}" for r, n in sorted(skipped.items())) or "none")
            + ".",
            "",
            "| File | Format | SHA-256 | Read | Used | Skipped |",
            "| --- | --- | --- | --- | --- | --- |",
            *(
                f"| {text(f.file)} | {f.format} | `{f.sha256 or ''}` | {f.read} | {f.used} | "
                f"{sum(f.skipped.values())} |"
                for f in result.files
            ),
        ]
    if result.problems:
        out += ["", "Input problems:", "", *(f"- {text(p)}" for p in result.problems)]
    return out


def _case(case: Case, context: ReportContext) -> list[str]:
    f = case.finding
    numbers: dict[tuple, int] = {}
    for e in case.evidence:
        numbers.setdefault(e.key, len(numbers) + 1)

    def refs(evidence: tuple) -> str:
        return (" [" + ", ".join(f"E{numbers[e.key]}" for e in evidence) + "]") if evidence else ""

    out = [
        f'<a id="{case.anchor}"></a>',  # the findings table links here (the id is hex)
        "",
        f"### {f.verdict.severity.upper()} {f.verdict.score}: {text(case.title)}",
        "",
        text(case.headline),
        "",
        f"Finding `{f.id}`, created {f.time or 'at an unknown time'}, "
        f"{f.attack.technique} ({f.attack.analytic}).",
        "",
        *(
            f"Related: {plural(total, 'other account')} {words}: "
            + ", ".join(f"{text(r.account)} (`{r.id}`)" for r in nearest)
            + (f", … {total - len(nearest)} more" if total > len(nearest) else "")
            for words, total, nearest in case.related
        ),
        "",
        "#### Who",
        "",
        *(f"- **{label}:** {text(value)}" for label, value in case.who),
        "",
        "#### What: the creating process and its lineage (oldest first)",
        "",
    ]
    for depth, node in enumerate(case.tree):
        indent = "  " * depth
        kind = {"origin": "from", "ancestor": "parent", "creator": "created the account"}[node.kind]
        out.append(f"{indent}- *{kind}:* **{text(node.title)}**{refs(node.evidence)}")
        if node.detail:
            out += [f"{indent}  " + line for line in code_block(node.detail).splitlines()]
    if case.alternatives:
        out += ["", "Other candidates: " + "; ".join(text(a) for a in case.alternatives)]
    out += ["", "#### When: the account's life", ""]
    for ev in case.story:
        line = f"- {ev.time or 'time unknown'} **{ev.kind}**: {text(ev.message)}"
        if ev.host and ev.host != f.host:
            line += f" (on {text(ev.host)})"
        out.append(line + refs(ev.evidence))
    out += ["", f"#### Verdict: {f.verdict.severity}, score {f.verdict.score} of 100", ""]
    out += [f"- **{title}** (`{code}`): {text(why)}" for code, title, why in case.reasons]
    out += ["", f"**Policy:** {text(case.policy)}", "", "#### Response checklist", ""]
    out.append(
        "Commands to review and run by hand if the owner cannot justify the account; "
        "acctrace never runs them."
    )
    out += ["", *(text(n) for n in case.checklist.notes)]
    for cmd in case.checklist.commands:
        out += [
            f"- [ ] {text(cmd.purpose)}, on {text(cmd.where)}:",
            "",
            code_block(cmd.text, "powershell"),
            "",
        ]
    out += ["Questions for the owner:", "", *(f"- [ ] {text(q)}" for q in case.checklist.questions)]
    out += [
        "",
        "What to check next:",
        "",
        *(f"- [ ] {text(c)}" for c in case.checklist.next_checks),
    ]
    out += ["", "#### Evidence", ""]
    listed: set[tuple] = set()
    for e in case.evidence:
        if e.key in listed:
            continue
        listed.add(e.key)
        out.append(
            f"- E{numbers[e.key]} {e.role}: {text(e.label)} in {text(e.file)} "
            f"(SHA-256 `{e.sha256 or 'unknown'}`)"
        )
        raw = context.raw_records.get(e.key)
        if raw:
            out += ["", code_block(raw), ""]
    out.append("")
    return out
