"""Secrets typed on command lines never leave the reader: they become `[redacted]`."""

from __future__ import annotations

import re

from acctrace import knowledge

REDACTED = "[redacted]"


def redact_command_line(command_line: str | None) -> str | None:
    if not command_line:
        return command_line
    for _, pattern in knowledge.compiled("secrets"):
        command_line = pattern.sub(_keep_prefix, command_line)
    return command_line


def _keep_prefix(match: re.Match[str]) -> str:
    return match.group("keep") + REDACTED
