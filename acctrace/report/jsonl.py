"""JSON lines: one finding per line on stdout, nothing else."""

from __future__ import annotations

from typing import TextIO

from acctrace.findings import HuntResult

# Valid inside JSON strings, but line breaks to str.splitlines() and some log shippers:
# a logged name must never split one finding over two lines.
_LINE_SEPARATORS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029"})


def render(result: HuntResult, stream: TextIO) -> None:
    for finding in result.findings:
        stream.write(finding.model_dump_json().translate(_LINE_SEPARATORS))
        stream.write("\n")
