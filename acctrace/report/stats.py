"""`hunt --stats`: the accounting of every input, one row per file and a total.

For each row read = used + duplicates + passed over + skipped; the skipped records are
broken down by reason, and findings counts the findings whose creation evidence is in the
file (a duplicated event counts for the file that kept it). Then, per host with process
telemetry, the measured skew between its Sysmon and Security clocks.
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from acctrace.findings import FileStats, HostClock, HuntResult
from acctrace.report.text import safe

_COLUMNS = ("read", "used", "duplicates", "passed_over", "skipped", "findings")
_EVIDENCE_ROLES = ("creation", "registry")


def render(result: HuntResult, stream: TextIO) -> None:
    found = Counter(
        source.file
        for finding in result.findings
        for source in finding.sources
        if source.role in _EVIDENCE_ROLES
    )
    rows = [_row(f, found[f.file]) for f in result.files]
    total_skipped: Counter[str] = Counter()
    for f in result.files:
        total_skipped.update(f.skipped)
    totals = [sum(r[0][i] for r in rows) for i in range(len(_COLUMNS) - 1)]
    rows.append(
        ([*totals, len(result.findings)], f"total of {len(result.files)} inputs", total_skipped)
    )
    width = [max(len(c), *(len(f"{r[0][i]:,}") for r in rows)) for i, c in enumerate(_COLUMNS)]
    stream.write("  ".join(c.rjust(w) for c, w in zip(_COLUMNS, width, strict=True)) + "  input\n")
    for numbers, name, skipped in rows:
        cells = "  ".join(f"{n:,}".rjust(w) for n, w in zip(numbers, width, strict=True))
        why = ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items()))
        stream.write(f"{cells}  {safe(name)}" + (f" (skipped: {why})" if why else "") + "\n")
    for clock in result.clocks:
        stream.write(_clock_line(clock) + "\n")


def _clock_line(clock: HostClock) -> str:
    """How events of the host's two logs were ordered against each other."""
    if clock.skew_ms is None:
        return (
            f"clock {safe(clock.host)}: Sysmon against Security not measured ({clock.pairs} "
            f"processes in both logs); fixed tolerance {clock.tolerance_ms:g} ms"
        )
    return (
        f"clock {safe(clock.host)}: Sysmon {clock.skew_ms:+.1f} ms against Security, from "
        f"{clock.pairs} processes in both logs; tolerance {clock.tolerance_ms:g} ms"
    )


def _row(f: FileStats, findings: int) -> tuple[list[int], str, dict[str, int]]:
    skipped = sum(f.skipped.values())
    return [f.read, f.used, f.duplicates, f.passed_over, skipped, findings], f.file, f.skipped
