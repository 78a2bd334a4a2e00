"""JSON lines: one finding per line on stdout, nothing else."""

from __future__ import annotations

from typing import TextIO

from acctrace.findings import HuntResult
from acctrace.report.inert import json_line


def render(result: HuntResult, stream: TextIO) -> None:
    for finding in result.findings:
        stream.write(json_line(finding.model_dump_json()))
        stream.write("\n")
