"""Errors and input problems, each carrying the place it was found.

A problem with one file, chunk, record or line never stops a run: readers report it as an
`InputProblem`, the pipeline counts it, and the CLI prints it as one line on stderr.
"""

from __future__ import annotations

from dataclasses import dataclass


class AcctraceError(Exception):
    """Root of acctrace's errors: a message and, where known, the place it concerns."""

    def __init__(self, message: str, location: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class PolicyError(AcctraceError):
    """The policy file cannot be read or does not match the policy schema."""


@dataclass(frozen=True, slots=True)
class InputProblem:
    """Something in the input that could not be read; `reason` is a short stable code."""

    file: str
    reason: str
    detail: str
    where: str | None = None  # "record 17", "line 3", "chunk 6" when known

    def __str__(self) -> str:
        place = f"{self.file} ({self.where})" if self.where else self.file
        return f"{place}: {self.reason}: {self.detail}"
