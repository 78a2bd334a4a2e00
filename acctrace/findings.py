"""The result document: one `Finding` per account created, and the `HuntResult` around them.

Every output (JSON lines, text, later HTML and SIEM formats) is a view of this document,
and `acctrace schema` prints its JSON Schema.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Severity = Literal["info", "low", "medium", "high", "critical"]
HostRole = Literal["domain_controller", "identity_management", "server", "workstation"]
Link = Literal["session", "origin", "tool"]  # why two findings are related, closest first
SEVERITY_ORDER: dict[str, int] = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


class _Model(BaseModel):
    # Each model's validator is built when first used, not at import: a hunt builds only
    # those it uses, 0.03-0.06 s less CPU than building all of them on every start.
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Account(_Model):
    name: str | None
    domain: str | None
    sid: str | None
    scope: Literal["local", "domain"]
    sam_account_name: str | None = None
    display_name: str | None = None
    user_principal_name: str | None = None
    uac_value: str | None = Field(
        None, description="NewUacValue as logged (SAM account control bits)"
    )
    uac_flags: list[str] = Field(default_factory=list, description="uac_value decoded into words")
    hidden: bool = Field(description="the name ends in '$', hiding a user among computer accounts")


class Creator(_Model):
    name: str | None
    domain: str | None
    sid: str | None
    logon_id: str | None
    kind: Literal["system", "service", "machine", "user"]
    admin: bool | None = Field(
        description="the session held special privileges (4672); null when unknown"
    )


class Session(_Model):
    logon_id: str | None
    logon_type: int | None
    logon_type_name: str | None
    source_ip: str | None
    source_port: int | None
    workstation: str | None
    auth_package: str | None
    logon_process: str | None
    start: str | None
    elevated: bool | None


class Process(_Model):
    image: str | None
    command_line: str | None = Field(description="passwords typed on it are [redacted]")
    pid: int | None
    parent_pid: int | None = None
    process_guid: str | None = None
    start: str | None
    user: str | None = None
    integrity: str | None = None
    telemetry: str = Field(
        description="security-4688 or sysmon-1; for an origin process known only from the "
        "connection or explicit logon it made, sysmon-3 or security-4648"
    )
    record_id: int | None = None
    confidence: float | None = Field(None, ge=0, le=1, description="for the creating process only")
    evidence: list[str] = Field(default_factory=list)
    script: str | None = Field(
        None,
        description="PowerShell script blocks (4104) it logged before the creation, reassembled; "
        "passwords [redacted]",
    )


class Ancestor(_Model):
    image: str | None
    command_line: str | None = None
    pid: int | None
    process_guid: str | None = None
    start: str | None = None
    telemetry: str | None = Field(description="null when only the child named this parent")


class Via(_Model):
    mechanism: Literal["wmi", "winrm", "service", "rdp", "smb", "rpc", "ldap", "unknown"]
    evidence: list[str] = Field(default_factory=list)


class Origin(_Model):
    """Where the creator's remote session (or the session that installed the service
    behind the creating process) came from, and the process there that opened it."""

    host: str | None = Field(description="the source host; null when its address is unresolved")
    host_evidence: str | None = None
    source_ip: str | None
    user: str | None
    user_domain: str | None = None
    process: Process | None
    lineage: list[Ancestor] = Field(default_factory=list)
    via: Via
    confidence: float = Field(ge=0, le=1)
    origin: Origin | None = Field(
        None, description="the hop before, when the origin process itself ran in a remote session"
    )


class Party(_Model):
    name: str | None
    domain: str | None = None
    sid: str | None = None
    logon_id: str | None = None


class FollowUp(_Model):
    time: str | None
    event_id: int
    action: Literal[
        "group_added",
        "group_removed",
        "enabled",
        "disabled",
        "password_reset",
        "changed",
        "deleted",
        "renamed",
        "logon",
        "hidden_from_logon_screen",
    ]
    host: str | None
    group: Party | None = None
    privileged_group: bool = False
    actor: Party | None = None
    new_name: str | None = None
    uac_value: str | None = None
    logon_type: int | None = None
    source_ip: str | None = None
    workstation: str | None = None
    inferred: bool = Field(False, description="read from registry writes, not from an audit event")


class Reason(_Model):
    code: str
    text: str


class Verdict(_Model):
    severity: Severity
    score: int = Field(ge=0, le=100)
    reasons: list[Reason]


class Related(_Model):
    """Another finding this one goes with: the same creator session, origin or tool."""

    id: str
    account: str | None = Field(description="DOMAIN\\name of the other account")
    links: list[Link] = Field(
        description="session: the same creator logon session; origin: the same remote user "
        "and host behind it; tool: the same creating program, created within minutes"
    )


class Approval(_Model):
    workflow: str
    ticket: str | None = None


class Attack(_Model):
    analytic: Literal["AN1604"] = "AN1604"
    strategy: Literal["DET0583"] = "DET0583"
    technique: Literal["T1136.001", "T1136.002"]
    tactic: Literal["persistence"] = "persistence"


class Source(_Model):
    role: Literal[
        "creation",
        "registry",
        "process",
        "lineage",
        "session",
        "privilege",
        "follow_up",
        "origin",
        "service",
    ]
    file: str
    sha256: str | None
    record_id: int | None
    channel: str | None
    event_id: int


class Finding(_Model):
    schema_version: str = SCHEMA_VERSION
    id: str = Field(description="stable across runs and input order: host, account SID, record id")
    time: str | None
    host: str | None
    host_role: (
        Literal["domain_controller", "identity_management", "server", "workstation"] | None
    ) = Field(None, description="from --hosts, or inferred (Kerberos 4768/4769, domain 4720s)")
    evidence_basis: Literal["event_4720", "registry"] = Field(
        "event_4720",
        description="event_4720, or registry when only Sysmon registry writes show the creation",
    )
    account: Account
    creator: Creator | None = Field(description="null when only the registry shows the creation")
    session: Session | None
    process: Process | None
    alternatives: list[Process] = Field(default_factory=list)
    lineage: list[Ancestor] = Field(default_factory=list, description="nearest ancestor first")
    follow_up: list[FollowUp] = Field(default_factory=list)
    origin: Origin | None = None
    verdict: Verdict
    approval: Approval | None = None
    related: list[Related] = Field(
        default_factory=list,
        description="other findings of the same session, origin or tool: per closest link "
        "(its first), the ten nearest in time",
    )
    related_counts: dict[Link, int] = Field(
        default_factory=dict,
        description="how many other findings each closest link relates this one to, "
        "listed in `related` or not",
    )
    attack: Attack
    sources: list[Source]


class FileStats(_Model):
    file: str
    format: str
    sha256: str | None
    read: int
    used: int
    duplicates: int
    passed_over: int
    skipped: dict[str, int]


class HostClock(_Model):
    """How far a host's Sysmon clock runs from its Security clock, measured on processes
    both logged (their Sysmon 1 and 4688); events are ordered across the two with it."""

    host: str
    pairs: int = Field(description="processes seen by both Sysmon 1 and 4688")
    skew_ms: float | None = Field(description="Sysmon time minus Security time (median)")
    tolerance_ms: float = Field(description="how far apart two events must be to be ordered")


class HuntResult(_Model):
    """Everything one hunt produced: findings, what was read, and what could not be."""

    findings: list[Finding]
    files: list[FileStats]
    problems: list[str]
    knowledge: dict[str, int]
    clocks: list[HostClock] = Field(default_factory=list)
