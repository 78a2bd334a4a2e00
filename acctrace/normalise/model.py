"""The event model: one table per kind of event the analytic reads.

Every reader's output ends here, so nothing downstream knows which format an event came
from. Each table has the common columns below plus its own; the columns are documented
in docs/architecture.md. Times are microseconds since the epoch (UTC) in `time_us`;
logon ids are lower-case hex strings; PIDs integers; GUIDs upper-case without braces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from acctrace.normalise import fields
from acctrace.normalise.redact import redact_command_line
from acctrace.normalise.shapes import RawEvent

Row = dict[str, Any]

COMMON = [
    ("event_key", "string"),  # host|channel|event id|record id: the same event in two files
    ("host", "string"),  # fields.host_key of Computer
    ("host_name", "string"),  # Computer as logged
    ("time_us", "int64"),
    ("record_id", "int64"),
    ("event_id", "int32"),
    ("channel", "string"),
    ("file", "string"),
    ("sha256", "string"),
]

_S = "string"
_I = "int64"

KIND_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "creation": [
        ("account_sid", _S),
        ("account_name", _S),
        ("account_domain", _S),
        ("sam_account_name", _S),
        ("display_name", _S),
        ("user_principal_name", _S),
        ("creator_sid", _S),
        ("creator_name", _S),
        ("creator_domain", _S),
        ("creator_logon_id", _S),
        ("new_uac", _S),
        ("primary_group_id", _S),
    ],
    "process": [
        ("pid", _I),
        ("parent_pid", _I),
        ("logon_id", _S),
        ("image", _S),
        ("command_line", _S),
        ("parent_image", _S),
        ("parent_command_line", _S),
        ("process_guid", _S),
        ("parent_process_guid", _S),
        ("user_sid", _S),
        ("user_name", _S),
        ("user_domain", _S),
        ("integrity", _S),
        ("telemetry", _S),
    ],
    "process_end": [("pid", _I), ("process_guid", _S), ("image", _S)],
    "logon": [
        ("logon_id", _S),
        ("user_sid", _S),
        ("user_name", _S),
        ("user_domain", _S),
        ("logon_type", _I),
        ("source_ip", _S),
        ("source_port", _I),
        ("workstation", _S),
        ("auth_package", _S),
        ("logon_process", _S),
        ("elevated", "bool"),
    ],
    "privilege": [("logon_id", _S), ("user_sid", _S), ("privileges", _S)],
    "connection": [
        ("pid", _I),
        ("process_guid", _S),
        ("image", _S),
        ("user_name", _S),
        ("user_domain", _S),
        ("initiated", "bool"),
        ("source_ip", _S),
        ("source_port", _I),
        ("dest_ip", _S),
        ("dest_port", _I),
        ("dest_hostname", _S),
    ],
    "dns": [("query_name", _S), ("query_results", _S), ("process_guid", _S), ("image", _S)],
    "explicit_logon": [
        ("actor_sid", _S),
        ("actor_name", _S),
        ("actor_domain", _S),
        ("actor_logon_id", _S),
        ("target_user", _S),
        ("target_domain", _S),
        ("target_server", _S),
        ("target_info", _S),  # the service principal (HTTP/host): how the session was used
        ("pid", _I),
        ("image", _S),
        ("dest_ip", _S),
    ],
    "service_install": [
        ("service_name", _S),
        ("image_path", _S),
        ("service_account", _S),
        ("installer_sid", _S),
        ("installer_name", _S),
        ("installer_logon_id", _S),
    ],
    "sam_write": [
        ("account_name", _S),
        ("alias_rid", _I),
        ("hidden_from_logon", "bool"),
        ("action", _S),
        ("pid", _I),
        ("process_guid", _S),
        ("image", _S),
    ],
    "kerberos": [("service_name", _S), ("user_name", _S)],
    "script_block": [
        ("pid", _I),  # the PowerShell process that logged it (System/Execution ProcessID)
        ("script_block_id", _S),
        ("message_number", _I),
        ("message_total", _I),
        ("script_text", _S),
    ],
    "account_change": [
        ("account_sid", _S),
        ("account_name", _S),
        ("group_sid", _S),
        ("group_name", _S),
        ("group_domain", _S),
        ("actor_sid", _S),
        ("actor_name", _S),
        ("actor_domain", _S),
        ("actor_logon_id", _S),
        ("old_name", _S),
        ("new_name", _S),
        ("new_uac", _S),
    ],
}

# Each table's columns and their types, named as pyarrow (`pa.type_for_alias`) and DuckDB
# both read them: a hunt loads its rows into DuckDB without importing pyarrow (0.1 s).
COLUMNS: dict[str, list[tuple[str, str]]] = {k: COMMON + cols for k, cols in KIND_COLUMNS.items()}

if TYPE_CHECKING:
    import pyarrow as pa

    SCHEMAS: dict[str, pa.Schema]


def arrow_schema(columns: list[tuple[str, str]]) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([(column, pa.type_for_alias(type_)) for column, type_ in columns])


def __getattr__(name: str) -> Any:
    """`SCHEMAS`, the tables' Arrow schemas, made when first imported (PEP 562)."""
    if name != "SCHEMAS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    schemas = {kind: arrow_schema(columns) for kind, columns in COLUMNS.items()}
    globals()["SCHEMAS"] = schemas
    return schemas


def family(raw: RawEvent) -> str | None:
    """Which event source wrote it: the provider decides, the channel name is the fallback."""
    return _family(raw.provider, raw.channel)


@lru_cache(maxsize=256)  # a log has a handful of providers and channels; asked every event
def _family(provider: str, channel: str) -> str | None:
    provider = provider.lower()
    channel = channel.lower()
    if "security-auditing" in provider or (not provider and channel == "security"):
        return "security"
    if "sysmon" in provider or "sysmon" in channel:
        return "sysmon"
    if channel == "security":
        return "security"
    if (
        provider == "microsoft-windows-powershell"
        or channel == "microsoft-windows-powershell/operational"
    ):
        return "powershell"
    if "service control manager" in provider or channel == "system":
        return "system"
    return None


def _subject(d: Row, prefix: str) -> Row:
    return {
        f"{prefix}_sid": fields.sid(d.get("SubjectUserSid")),
        f"{prefix}_name": fields.name(d.get("SubjectUserName")),
        f"{prefix}_domain": fields.text(d.get("SubjectDomainName")),
        f"{prefix}_logon_id": fields.logon_id(d.get("SubjectLogonId")),
    }


def _creation(d: Row) -> Row:
    return {
        "account_sid": fields.sid(d.get("TargetSid")),
        "account_name": fields.name(d.get("TargetUserName")),
        "account_domain": fields.text(d.get("TargetDomainName")),
        "sam_account_name": fields.name(d.get("SamAccountName")),
        "display_name": fields.text(d.get("DisplayName")),
        "user_principal_name": fields.text(d.get("UserPrincipalName")),
        **_subject(d, "creator"),
        "new_uac": fields.text(d.get("NewUacValue")),
        "primary_group_id": fields.text(d.get("PrimaryGroupId")),
    }


def _split_user(value: Any) -> tuple[str | None, str | None]:
    user = fields.text(value)
    if user and "\\" in user:
        domain, name = user.split("\\", 1)
        return domain, name
    return None, user


def _security_process(d: Row) -> Row:
    # A process started under other credentials (runas) carries them as the Target subject.
    target_logon = fields.logon_id(d.get("TargetLogonId"))
    own_session = target_logon not in (None, "0x0")
    side = "Target" if own_session else "Subject"
    return {
        "pid": fields.number(d.get("NewProcessId")),
        "parent_pid": fields.number(d.get("ProcessId")),
        "logon_id": target_logon if own_session else fields.logon_id(d.get("SubjectLogonId")),
        "image": fields.text(d.get("NewProcessName")),
        "command_line": redact_command_line(fields.text(d.get("CommandLine"))),
        "parent_image": fields.text(d.get("ParentProcessName")),
        "parent_command_line": None,
        "process_guid": None,
        "parent_process_guid": None,
        "user_sid": fields.sid(d.get(f"{side}UserSid")),
        "user_name": fields.text(d.get(f"{side}UserName")),
        "user_domain": fields.text(d.get(f"{side}DomainName")),
        "integrity": fields.text(d.get("MandatoryLabel")),
        "telemetry": "security-4688",
    }


def _sysmon_process(d: Row) -> Row:
    domain, name = _split_user(d.get("User"))
    return {
        "pid": fields.number(d.get("ProcessId")),
        "parent_pid": fields.number(d.get("ParentProcessId")),
        "logon_id": fields.logon_id(d.get("LogonId")),
        "image": fields.text(d.get("Image")),
        "command_line": redact_command_line(fields.text(d.get("CommandLine"))),
        "parent_image": fields.text(d.get("ParentImage")),
        "parent_command_line": redact_command_line(fields.text(d.get("ParentCommandLine"))),
        "process_guid": fields.guid(d.get("ProcessGuid")),
        "parent_process_guid": fields.guid(d.get("ParentProcessGuid")),
        "user_sid": None,
        "user_name": name,
        "user_domain": domain,
        "integrity": fields.text(d.get("IntegrityLevel")),
        "telemetry": "sysmon-1",
    }


def _security_process_end(d: Row) -> Row:
    return {
        "pid": fields.number(d.get("ProcessId")),
        "process_guid": None,
        "image": fields.text(d.get("ProcessName")),
    }


def _sysmon_process_end(d: Row) -> Row:
    return {
        "pid": fields.number(d.get("ProcessId")),
        "process_guid": fields.guid(d.get("ProcessGuid")),
        "image": fields.text(d.get("Image")),
    }


def _logon(d: Row) -> Row:
    elevated = fields.text(d.get("ElevatedToken"))
    return {
        # The new session is the Target side; SubjectLogonId is whoever asked for it.
        "logon_id": fields.logon_id(d.get("TargetLogonId")),
        "user_sid": fields.sid(d.get("TargetUserSid")),
        "user_name": fields.name(d.get("TargetUserName")),
        "user_domain": fields.text(d.get("TargetDomainName")),
        "logon_type": fields.number(d.get("LogonType")),
        "source_ip": fields.text(d.get("IpAddress")),
        "source_port": fields.number(d.get("IpPort")) or None,
        "workstation": fields.text(d.get("WorkstationName")),
        "auth_package": fields.text(d.get("AuthenticationPackageName")),
        "logon_process": fields.text(d.get("LogonProcessName")),
        "elevated": None if elevated is None else elevated in ("%%1842", "Yes", "true"),
    }


def _privilege(d: Row) -> Row:
    return {
        "logon_id": fields.logon_id(d.get("SubjectLogonId")),
        "user_sid": fields.sid(d.get("SubjectUserSid")),
        "privileges": fields.text(d.get("PrivilegeList")),
    }


def _account_change(d: Row) -> Row:
    member = fields.sid(d.get("MemberSid"))
    group_event = member is not None or "MemberName" in d
    return {
        "account_sid": member if group_event else fields.sid(d.get("TargetSid")),
        "account_name": fields.name(d.get("MemberName"))
        if group_event
        else fields.name(d.get("TargetUserName")),
        "group_sid": fields.sid(d.get("TargetSid")) if group_event else None,
        "group_name": fields.name(d.get("TargetUserName")) if group_event else None,
        "group_domain": fields.text(d.get("TargetDomainName")) if group_event else None,
        **_subject(d, "actor"),
        "old_name": fields.name(d.get("OldTargetUserName")),
        "new_name": fields.name(d.get("NewTargetUserName")),
        "new_uac": fields.text(d.get("NewUacValue")),
    }


def _boolean(value: object) -> bool | None:
    s = fields.text(value)
    return None if s is None else s.lower() in ("true", "1", "yes")


def _connection(d: Row) -> Row:
    domain, name = _split_user(d.get("User"))
    return {
        "pid": fields.number(d.get("ProcessId")),
        "process_guid": fields.guid(d.get("ProcessGuid")),
        "image": fields.text(d.get("Image")),
        "user_name": name,
        "user_domain": domain,
        "initiated": _boolean(d.get("Initiated")),
        "source_ip": _ip(d.get("SourceIp")),
        "source_port": fields.number(d.get("SourcePort")),
        "dest_ip": _ip(d.get("DestinationIp")),
        "dest_port": fields.number(d.get("DestinationPort")),
        "dest_hostname": fields.text(d.get("DestinationHostname")),
    }


def _ip(value: object) -> str | None:
    """IPv4-mapped IPv6 (::ffff:10.0.0.5) is the IPv4 address."""
    s = fields.text(value)
    return s[7:] if s and s.lower().startswith("::ffff:") else s


def _dns(d: Row) -> Row:
    return {
        "query_name": fields.text(d.get("QueryName")),
        "query_results": fields.text(d.get("QueryResults")),
        "process_guid": fields.guid(d.get("ProcessGuid")),
        "image": fields.text(d.get("Image")),
    }


def _explicit_logon(d: Row) -> Row:
    return {
        **_subject(d, "actor"),
        "target_user": fields.name(d.get("TargetUserName")),
        "target_domain": fields.text(d.get("TargetDomainName")),
        "target_server": fields.text(d.get("TargetServerName")),
        "target_info": fields.text(d.get("TargetInfo")),
        "pid": fields.number(d.get("ProcessId")),
        "image": fields.text(d.get("ProcessName")),
        "dest_ip": _ip(d.get("IpAddress")),
    }


def _service_install(d: Row) -> Row:
    # 7045 (System) names the file ImagePath; 4697 (Security) ServiceFileName, with the session.
    return {
        "service_name": fields.text(d.get("ServiceName")),
        "image_path": redact_command_line(
            fields.text(d.get("ImagePath") or d.get("ServiceFileName"))
        ),
        "service_account": fields.text(d.get("AccountName") or d.get("ServiceAccount")),
        "installer_sid": fields.sid(d.get("SubjectUserSid")),
        "installer_name": fields.text(d.get("SubjectUserName")),
        "installer_logon_id": fields.logon_id(d.get("SubjectLogonId")),
    }


_SAM_NAME = re.compile(r"\\SAM\\SAM\\Domains\\Account\\Users\\Names\\([^\\]+)", re.IGNORECASE)
_SAM_ALIAS = re.compile(
    r"\\SAM\\SAM\\Domains\\Builtin\\Aliases\\([0-9A-F]{8})(?:\\|$)", re.IGNORECASE
)
_HIDDEN_USER = re.compile(r"\\Winlogon\\SpecialAccounts\\UserList\\([^\\]+)$", re.IGNORECASE)


def _sam_write(d: Row) -> Row | None:
    """Sysmon 12/13/14 on the SAM's account keys; other registry writes are not used.

    These always show lsass.exe as the process: they prove a creation, not its creator.
    """
    target = fields.text(d.get("TargetObject")) or ""
    action = fields.text(d.get("EventType"))
    base = {
        "action": action,
        "pid": fields.number(d.get("ProcessId")),
        "process_guid": fields.guid(d.get("ProcessGuid")),
        "image": fields.text(d.get("Image")),
        "account_name": None,
        "alias_rid": None,
        "hidden_from_logon": None,
    }
    if name := _SAM_NAME.search(target):
        return {**base, "account_name": name.group(1)}
    if alias := _SAM_ALIAS.search(target):
        return {**base, "alias_rid": int(alias.group(1), 16)}
    if hidden := _HIDDEN_USER.search(target):
        details = (fields.text(d.get("Details")) or "").lower()
        return {
            **base,
            "account_name": hidden.group(1),
            "hidden_from_logon": "0x00000000" in details or details in ("0", "dword (0)"),
        }
    return None


def _script_block(d: Row) -> Row:
    """4104: one part of a script block's text (long blocks span several events)."""
    return {
        "pid": None,  # from the event's header: see to_row
        "script_block_id": fields.guid(d.get("ScriptBlockId")),
        "message_number": fields.number(d.get("MessageNumber")),
        "message_total": fields.number(d.get("MessageTotal")),
        "script_text": redact_command_line(fields.name(d.get("ScriptBlockText"))),
    }


def _kerberos(d: Row) -> Row:
    return {
        "service_name": fields.text(d.get("ServiceName")),
        "user_name": fields.text(d.get("TargetUserName")),
    }


GROUP_ADDED = {4728: "global", 4732: "local", 4756: "universal"}
GROUP_REMOVED = {4729: "global", 4733: "local", 4757: "universal"}
ACCOUNT_CHANGES = {
    4722: "enabled",
    4725: "disabled",
    4724: "password_reset",
    4738: "changed",
    4726: "deleted",
    4781: "renamed",
    **{eid: "group_added" for eid in GROUP_ADDED},
    **{eid: "group_removed" for eid in GROUP_REMOVED},
}

# (family, event id) -> (kind, field map). The analytic reads exactly these events.
CATALOGUE: dict[tuple[str, int], tuple[str, Callable[[Row], Row | None]]] = {
    ("security", 4720): ("creation", _creation),
    ("security", 4688): ("process", _security_process),
    ("sysmon", 1): ("process", _sysmon_process),
    ("security", 4689): ("process_end", _security_process_end),
    ("sysmon", 5): ("process_end", _sysmon_process_end),
    ("security", 4624): ("logon", _logon),
    ("security", 4672): ("privilege", _privilege),
    **{("security", eid): ("account_change", _account_change) for eid in ACCOUNT_CHANGES},
    ("sysmon", 3): ("connection", _connection),
    ("sysmon", 22): ("dns", _dns),
    ("security", 4648): ("explicit_logon", _explicit_logon),
    ("system", 7045): ("service_install", _service_install),
    ("security", 4697): ("service_install", _service_install),
    **{("sysmon", eid): ("sam_write", _sam_write) for eid in (12, 13, 14)},
    ("security", 4768): ("kerberos", _kerberos),
    ("security", 4769): ("kerberos", _kerberos),
    ("powershell", 4104): ("script_block", _script_block),
}

RELEVANT_EVENT_IDS: frozenset[int] = frozenset(eid for _, eid in CATALOGUE)


def to_row(raw: RawEvent) -> tuple[str, Row] | None:
    """Map one event to (kind, row without the common columns), or None when not used."""
    fam = family(raw)
    entry = CATALOGUE.get((fam, raw.event_id)) if fam else None
    if entry is None:
        return None
    kind, field_map = entry
    row = field_map(raw.data)
    if row is not None and kind == "script_block":
        row["pid"] = raw.process_id  # 4104 names its process only in the header
    return None if row is None else (kind, row)
