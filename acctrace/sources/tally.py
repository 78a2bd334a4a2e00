"""Per-file accounting: what was read, used, passed over, skipped and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from acctrace.errors import InputProblem

MAX_PROBLEMS_KEPT = 20  # per file; the count of each reason is always complete


@dataclass
class Tally:
    """Counts for one input; `read == used + duplicates + passed_over + skipped` always."""

    file: str
    format: str
    sha256: str | None = None
    read: int = 0
    used: int = 0
    duplicates: int = 0
    passed_over: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[InputProblem] = field(default_factory=list)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def skip(self, reason: str, detail: str, where: str | None = None) -> None:
        """Count one record (already counted as read) that could not be used, and why."""
        self.skipped[reason] += 1
        self.note(reason, detail, where)

    def note(self, reason: str, detail: str, where: str | None = None) -> None:
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(InputProblem(self.file, reason, detail, where))
