"""Typed rows of what the correlation returns, built on the event model's typed rows.

Each relation of analytic.py and origin.py that the assessment reads has its row type here
(origin.py's other joins return rows of the event model's tables);
tests/unit/test_rows.py checks every one against the relation's columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from acctrace.normalise.rows import (
    ConnectionRow,
    CreationRow,
    ExplicitLogonRow,
    LogonRow,
    PrivilegeRow,
    ProcessRow,
    SamWriteRow,
    ServiceInstallRow,
)

__all__ = [
    "CandidateRow",
    "ConnectionRow",
    "CreationRow",
    "EventRow",
    "ExplicitLogonRow",
    "FollowUpRow",
    "IpHostRow",
    "LogonRow",
    "ProcessRow",
    "SamWriteRow",
    "SeenScriptBlockRow",
    "ServiceInstallRow",
    "SessionPrivilegeRow",
    "SessionRow",
    "SignOfLifeRow",
]


# A row of any event table, cited as a source of evidence: it has model.COMMON's columns.
EventRow = Mapping[str, Any]


class CandidateRow(ProcessRow):
    """A process that may have created the account (candidate_processes)."""

    creation_key: str
    c_time: int  # the creation's time
    surely_before: bool  # started surely before the creation, not within the clock tolerance
    in_window: bool  # started within the window; if not, a long-running in-process creator


class SignOfLifeRow(TypedDict):
    """A candidate's child started, or its end logged, after the creation (signs_of_life)."""

    creation_key: str
    candidate_key: str
    sign: str  # "child" or "end"
    image: str | None
    time_us: int
    after_creation: bool


class SeenScriptBlockRow(TypedDict):
    """A 4104 a candidate logged before the creation (script_blocks_of)."""

    creation_key: str
    candidate_key: str
    event_key: str
    time_us: int
    script_block_id: str | None
    message_number: int | None
    message_total: int | None
    script_text: str | None


class SessionRow(LogonRow):
    """The 4624 that opened the creator's session (creator_sessions)."""

    creation_key: str


class SessionPrivilegeRow(PrivilegeRow):
    """The 4672 of the creator's session (creator_privileges)."""

    creation_key: str


class IpHostRow(TypedDict):
    """A host seen using an address (origin.ip_hosts)."""

    ip: str
    host: str
    evidence: str


class FollowUpRow(TypedDict):
    """What happened to the new account afterwards (follow_ups): a change or a logon."""

    creation_key: str
    event_key: str
    event_id: int
    host: str
    host_name: str | None
    time_us: int
    record_id: int | None
    channel: str
    file: str | None
    sha256: str | None
    group_sid: str | None
    group_name: str | None
    group_domain: str | None
    actor_sid: str | None
    actor_name: str | None
    actor_domain: str | None
    actor_logon_id: str | None
    old_name: str | None
    new_name: str | None
    new_uac: str | None
    logon_type: int | None
    source_ip: str | None
    workstation: str | None
