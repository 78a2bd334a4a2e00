"""The coverage document (`acctrace coverage --json`): one `HostCoverage` per host, and the
estate's top fixes. docs/coverage.md describes every field."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

COVERAGE_SCHEMA_VERSION = "1.0"

Status = Literal["evidenced", "absent", "unknown"]
Readiness = Literal["ready", "partial", "blind"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecordGap(_Model):
    after: int = Field(description="last EventRecordID present before the jump")
    before: int = Field(description="first EventRecordID present after it")
    missing: int


class SilentGap(_Model):
    start: str
    end: str
    hours: float
    records_missing: int | None = Field(
        description="EventRecordIDs skipped across the silence: 0 means the host logged "
        "nothing (idle or off); null when record ids are unknown"
    )


class ChannelCoverage(_Model):
    channel: str
    events: int
    duplicates: int = Field(description="the same event read again from another file")
    first: str | None
    last: str | None
    days_with_events: int
    events_per_day: float = Field(description="events per day with events")
    event_ids: dict[str, int] = Field(description="count per event id, most frequent first")
    record_range: tuple[int, int] | None
    records_missing: int = Field(description="EventRecordIDs inside the range not in the data")
    whole_log: bool = Field(
        description="at least 20 events over at least an hour, with at least half of the "
        "record range present: absence of an event in it means something; an extract (a "
        "filtered export) or a few seconds of log prove nothing"
    )
    record_gaps: list[RecordGap] = Field(description="largest jumps first, at most 5")
    silent_gaps: list[SilentGap] = Field(description="longest first, at most 5")


class Clear(_Model):
    time: str | None
    log: str = Field(description="the log that was cleared")
    by: str | None
    event_id: int
    record_id: int | None
    file: str


class AuditPolicyChange(_Model):
    time: str | None
    by: str | None
    subcategory: str | None
    subcategory_guid: str | None
    changes: list[str]
    blinds_an1604: bool = Field(description="the subcategory is one AN1604 depends on")
    record_id: int | None
    file: str


class Telemetry(_Model):
    key: str
    label: str
    status: Status
    events: int
    detail: str


class Method(_Model):
    key: str
    label: str
    readiness: Readiness
    names_process: bool = Field(
        description="with the logs given, acctrace could name the creating process"
    )
    detail: str
    fixes: list[str]
    evidence: list[str] = Field(description="findings on this host that show it")


class HostCoverage(_Model):
    host: str = Field(description="host key: short name, lower case")
    names: list[str] = Field(description="the names it was logged under")
    verdict: Readiness
    why: str
    channels: list[ChannelCoverage]
    telemetry: list[Telemetry]
    methods: list[Method]
    clears: list[Clear]
    audit_policy_changes: list[AuditPolicyChange]
    findings: int
    fixes: list[str]


class Fix(_Model):
    setting: str
    hosts: list[str]


class CoverageReport(_Model):
    """Everything `acctrace coverage` found."""

    schema_version: str = COVERAGE_SCHEMA_VERSION
    hosts: list[HostCoverage]
    fixes: list[Fix] = Field(description="the settings that matter most across the estate")
    files: int
    problems: list[str]
