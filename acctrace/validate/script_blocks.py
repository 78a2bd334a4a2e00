"""PowerShell script block logging (4104), reassembled: long scripts are logged in parts
(MessageNumber of MessageTotal) under one ScriptBlockId, and a name may straddle two parts."""

from __future__ import annotations

from pathlib import Path

from acctrace.normalise import fields
from acctrace.sources import Tally, discover, read
from acctrace.sources.inputs import Input

SCRIPT_BLOCK = frozenset({4104})


def script_blocks(paths: list[Path]) -> dict[str, list[str]]:
    """host key -> the text of every script block logged there (input problems are the
    hunt's to report: the same inputs are read there)."""
    parts: dict[tuple[str, str], dict[int, str]] = {}
    for item in discover(paths):
        if not isinstance(item, Input):
            continue
        for raw in read(item, Tally(item.name, item.format), SCRIPT_BLOCK):
            d = raw.data
            block = fields.text(d.get("ScriptBlockId")) or f"record {raw.record_id}"
            key = (fields.host_key(raw.computer) or "", block)
            number = fields.number(d.get("MessageNumber")) or 1
            parts.setdefault(key, {})[number] = fields.text(d.get("ScriptBlockText")) or ""
    blocks: dict[str, list[str]] = {}
    for (host, _), pieces in parts.items():
        blocks.setdefault(host, []).append("".join(pieces[n] for n in sorted(pieces)))
    return blocks
