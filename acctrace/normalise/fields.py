"""Field spellings that vary between formats and Windows versions, canonicalised once.

Downstream code joins on these values, so every reader must go through them:
logon ids become lower-case hex strings, PIDs integers, GUIDs upper-case without braces,
host names a case- and domain-suffix-free key.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

_EMPTY = {"", "-", "%%1793"}  # what Windows logs for "no value"
_FRACTION = re.compile(r"(\.\d{6})\d+")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def text(value: Any) -> str | None:
    """A logged string, or None where Windows logs a placeholder for 'nothing'."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("#text")
        if value is None:
            return None
    s = str(value).strip()
    return None if s.lower() in _EMPTY else s


def name(value: Any) -> str | None:
    """An account or group name exactly as logged: never trimmed nor folded, because a
    trailing space or an invisible character is how a look-alike impersonates a name."""
    if isinstance(value, dict):
        value = value.get("#text")
    if value is None:
        return None
    s = str(value)
    return None if s.lower() in _EMPTY else s


def number(value: Any) -> int | None:
    """An integer written as int, decimal string or 0x-hex string (PIDs, record ids)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, dict):
        return number(value.get("#text"))
    s = str(value).strip()
    try:
        return int(s, 16) if s[:2].lower() == "0x" else int(s)
    except ValueError:
        return None


def logon_id(value: Any) -> str | None:
    """Logon ids as canonical lower-case hex ('0x3e7'), whatever base they were logged in."""
    n = number(value)
    return None if n is None else hex(n)


def guid(value: Any) -> str | None:
    s = text(value)
    return s.strip("{}").upper() if s else None


def sid(value: Any) -> str | None:
    s = text(value)
    if not s or s == "S-1-0-0":
        return None
    return s.upper() if s[:2].upper() == "S-" else s


def host_key(name: Any) -> str | None:
    """One key per machine: `WORKSTATION6` and `workstation6.theshire.local` are the same host."""
    s = text(name)
    return s.split(".", 1)[0].lower() if s else None


def event_id(value: Any) -> int | None:
    return number(value)


def timestamp_us(value: Any) -> int | None:
    """Microseconds since the epoch, UTC; a time without a zone is taken as UTC."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return int(value * 1_000_000) if value < 1e11 else int(value * 1000)
    if isinstance(value, dict):
        value = value.get("#attributes", {}).get("SystemTime") or value.get("SystemTime")
        if value is None:
            return None
    s = _FRACTION.sub(r"\1", str(value).strip())
    try:
        t = datetime.fromisoformat(s)
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return (t - _EPOCH) // _MICROSECOND


def parse_iso(value: str) -> datetime:
    """A time as `iso` writes it (`...Z`) back as an aware datetime."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def seconds_between(start: str, end: str) -> float:
    return (parse_iso(end) - parse_iso(start)).total_seconds()


def iso(time_us: int | None) -> str | None:
    """ISO 8601 UTC with milliseconds, as shown in every output."""
    if time_us is None:
        return None
    t = datetime.fromtimestamp(time_us / 1_000_000, tz=UTC)
    return t.isoformat(timespec="milliseconds").replace("+00:00", "Z")
