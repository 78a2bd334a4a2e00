"""Field spellings that vary between formats and Windows versions, canonicalised once.

Downstream code joins on these values, so every reader must go through them:
logon ids become lower-case hex strings, PIDs integers, GUIDs upper-case without braces,
host names a case- and domain-suffix-free key.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

_EMPTY = {"", "-", "%%1793"}  # what Windows logs for "no value"
# Lower-casing never shortens a string: anything longer is a value, without folding it.
_EMPTY_LONGEST = max(map(len, _EMPTY))
_FRACTION = re.compile(r"(\.\d{6})\d+")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_INT64 = (-(1 << 63), (1 << 63) - 1)  # every number column is int64 (Arrow, DuckDB)
# Times outside these are not event times (Windows counts from 1601; year 9999 overflows
# once a window is added): they become "time unknown" rather than an error downstream.
_FIRST_US = (datetime(1601, 1, 1, tzinfo=UTC) - _EPOCH) // _MICROSECOND
_LAST_US = (datetime(9000, 1, 1, tzinfo=UTC) - _EPOCH) // _MICROSECOND


def text(value: Any) -> str | None:
    """A logged string, or None where Windows logs a placeholder for 'nothing'."""
    if value.__class__ is not str:  # the usual case first: these run for every field read
        if value is None:
            return None
        if isinstance(value, dict):
            value = value.get("#text")
            if value is None:
                return None
        value = str(value)
    s = value.strip()
    return None if len(s) <= _EMPTY_LONGEST and s.lower() in _EMPTY else s


def name(value: Any) -> str | None:
    """An account or group name exactly as logged: never trimmed nor folded, because a
    trailing space or an invisible character is how a look-alike impersonates a name."""
    if value.__class__ is not str:
        if isinstance(value, dict):
            value = value.get("#text")
        if value is None:
            return None
        value = str(value)
    return None if len(value) <= _EMPTY_LONGEST and value.lower() in _EMPTY else value


def number(value: Any) -> int | None:
    """An integer written as int, decimal string or 0x-hex string (PIDs, record ids); None
    for anything else, or for a number no int64 column can hold."""
    cls = value.__class__
    if cls is int:
        n = value
    elif cls is str:
        return _parse_int(value)
    elif value is None or cls is bool:
        return None
    elif isinstance(value, dict):
        return number(value.get("#text"))
    elif isinstance(value, int):
        n = value
    else:
        return _parse_int(str(value))
    return n if _INT64[0] <= n <= _INT64[1] else None


def _parse_int(value: str) -> int | None:
    s = value.strip()
    if len(s) > 40:  # int() of a long digit string is quadratic; no field needs one
        return None
    try:
        n = int(s, 16) if s[:2].lower() == "0x" else int(s)
    except ValueError:
        return None
    return n if _INT64[0] <= n <= _INT64[1] else None


_HEX = re.compile(r"(?:0x)?[0-9a-f]{1,16}", re.IGNORECASE)


# Logs repeat the same sessions, accounts and hosts record after record: the canonical
# forms of logged strings are remembered (a bounded cache), as these run for every record.
_REMEMBERED = 4096


def logon_id(value: Any) -> str | None:
    """Logon ids as canonical lower-case hex ('0x3e7'), whatever base they were logged in.

    Windows logs them in hex; a value with hex letters but no `0x` is hex too, one of only
    decimal digits is read as a decimal number (as some exporters write them)."""
    if value.__class__ is str:
        return _logon_id_of_text(value)
    if isinstance(value, dict):
        value = value.get("#text")
    return _logon_id(value)


@lru_cache(maxsize=_REMEMBERED)
def _logon_id_of_text(value: str) -> str | None:
    return _logon_id(value)


def _logon_id(value: Any) -> str | None:
    n = number(value)
    if n is None:
        s = text(value)
        if s is None or not _HEX.fullmatch(s):
            return None
        n = int(s.removeprefix("0x").removeprefix("0X"), 16)
    return hex(n) if n >= 0 else None


def guid(value: Any) -> str | None:
    s = text(value)
    return s.strip("{}").upper() if s else None


def sid(value: Any) -> str | None:
    return _sid_of_text(value) if value.__class__ is str else _sid(value)


@lru_cache(maxsize=_REMEMBERED)
def _sid_of_text(value: str) -> str | None:
    return _sid(value)


def _sid(value: Any) -> str | None:
    s = text(value)
    if not s or s == "S-1-0-0":
        return None
    return s.upper() if s[:2].upper() == "S-" else s


def host_key(name: Any) -> str | None:
    """One key per machine: `WORKSTATION6` and `workstation6.theshire.local` are the same host."""
    return _host_key_of_text(name) if name.__class__ is str else _host_key(name)


@lru_cache(maxsize=_REMEMBERED)
def _host_key_of_text(name: str) -> str | None:
    return _host_key(name)


def _host_key(name: Any) -> str | None:
    s = text(name)
    return s.split(".", 1)[0].lower() if s else None


def event_id(value: Any) -> int | None:
    return number(value)


def timestamp_us(value: Any) -> int | None:
    """Microseconds since the epoch, UTC; a time without a zone is taken as UTC. Numbers
    (and strings of digits) are epoch seconds, or milliseconds when that large. None for
    anything else, and for times outside 1601-9000 (see _FIRST_US)."""
    if value.__class__ is str:
        return _text_time_us(value)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dict):
        attributes = value.get("#attributes")
        value = (attributes.get("SystemTime") if isinstance(attributes, dict) else None) or (
            value.get("SystemTime")
        )
        return timestamp_us(value)
    if isinstance(value, int | float):
        return _epoch_us(value)
    return _text_time_us(str(value))


def _epoch_us(value: float) -> int | None:
    """Epoch seconds, or milliseconds when that large."""
    if not math.isfinite(value) or abs(value) > 1e16:
        return None
    us = int(value * 1_000_000) if abs(value) < 1e11 else int(value * 1000)
    return us if _FIRST_US <= us < _LAST_US else None


def _text_time_us(value: str) -> int | None:
    s = value.strip()
    if s.isdigit() and len(s) <= 16:
        return _epoch_us(int(s))
    dot = s.find(".")
    # Windows writes 7 fractional digits, which fromisoformat refuses; the regex is the slow
    # part, so it runs only where a fraction longer than 6 digits may be.
    if dot >= 0 and (s.find(".", dot + 1) >= 0 or s[dot + 7 : dot + 8].isdigit()):
        s = _FRACTION.sub(r"\1", s)
    try:
        t = datetime.fromisoformat(s)
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    try:
        us = (t - _EPOCH) // _MICROSECOND
    except OverflowError:  # 0001-01-01 with a positive offset is before year 1 in UTC
        return None
    return us if _FIRST_US <= us < _LAST_US else None


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
