"""KQL for Microsoft Sentinel and Defender: 4720s from `SecurityEvent` joined with the
account-management processes of the same host and logon session, from `SecurityEvent`
4688 and Defender's `DeviceProcessEvents` (`union isfuzzy=true`: either table may be
absent). After the join both events' fields are on one row, so every workflow of the
policy, with its validity dates, becomes one exclusion. Not executed here (no Kusto engine
runs locally): checked against golden files.
"""

from __future__ import annotations

from acctrace.export.definition import (
    CREATION_EVENT,
    NO_LOGON_ID,
    PAIRING_LIMITS,
    SECURITY_4688,
    Analytic,
    Match,
    approved_pairs,
    glob_regex,
)

# The joined row's column for each logical condition field.
_COLUMNS = {
    "creator_name": "CreatorName",
    "creator_sid": "CreatorSid",
    "creator_domain": "CreatorDomain",
    "host": "Computer",
    "account_name": "AccountName",
    "image": "ProcessImage",
    "parent_image": "ParentImage",
}

CANNOT = [
    "which candidate created the account: every account-management process of the session "
    "in the window is a row; acctrace ranks them",
    *PAIRING_LIMITS,
    "Sysmon event 1 (in Sentinel it needs a workspace parser; use DeviceProcessEvents)",
]


def _string(value: str) -> str:
    """A KQL verbatim string: no escapes, a quote doubled."""
    return '@"' + value.replace('"', '""') + '"'


def _match(m: Match) -> str:
    return f"tolower({_COLUMNS[m.field]}) matches regex {_string(glob_regex(m.glob))}"


def _excluded(spec: Analytic) -> str:
    approved = approved_pairs(
        spec.approvals,
        _match,
        lambda day: f"CreationTime >= datetime({day})",
        lambda day: f"CreationTime < datetime({day})",
    )
    return f"| where not({approved})\n" if approved else ""


def render(spec: Analytic) -> str:
    header = spec.header(
        "a user account created (4720, SecurityEvent) in the logon session of an "
        "account-management process on the same host (SecurityEvent 4688, or Defender "
        "DeviceProcessEvents) that started within the window before it, or up to "
        f"{spec.window.after_s:g} s after (clock skew). One row per pair; approved pairs "
        "are dropped. Not executed by acctrace's tests: see docs/export.md.",
        CANNOT,
    )
    tools = ", ".join(f'"{t}"' for t in spec.tools)
    own = SECURITY_4688
    excluded = _excluded(spec)
    query = f"""let window_before = {spec.window.before_s:g}s;
let window_after = {spec.window.after_s:g}s;
let tools = dynamic([{tools}]);
let creations = SecurityEvent
    | where EventID == {CREATION_EVENT}
    | project CreationTime = TimeGenerated, Computer, HostKey = tolower(Computer),
        LogonId = tolower(SubjectLogonId), AccountName = TargetUserName, AccountSid = TargetSid,
        CreatorName = SubjectUserName, CreatorDomain = SubjectDomainName,
        CreatorSid = SubjectUserSid;
let processes = union isfuzzy=true
    (SecurityEvent
    | where EventID == {own.event_id}
    | extend ProcessFile = tolower(extract(@"[^\\\\]+$", 0, {own.image}))
    | where ProcessFile in (tools)
    // A process started under other credentials runs in TargetLogonId's session.
    | extend LogonId = tolower(iff(isnotempty(TargetLogonId) and TargetLogonId != "{NO_LOGON_ID}",
        TargetLogonId, SubjectLogonId))
    | project ProcessTime = TimeGenerated, HostKey = tolower(Computer), LogonId,
        ProcessImage = {own.image}, ProcessCommandLine = {own.command_line},
        ParentImage = {own.parent_image}, Telemetry = "security-4688"),
    (DeviceProcessEvents
    | where tolower(FileName) in (tools)
    | project ProcessTime = Timestamp, HostKey = tolower(DeviceName),
        LogonId = strcat("0x", tolower(tohex(LogonId))), ProcessImage = FolderPath,
        ProcessCommandLine, ParentImage = InitiatingProcessFolderPath,
        Telemetry = "defender");
creations
| join kind=inner processes on HostKey, LogonId
| where ProcessTime between ((CreationTime - window_before) .. (CreationTime + window_after))
{excluded}| project CreationTime, Computer, AccountName, AccountSid, CreatorDomain, CreatorName,
    CreatorSid, LogonId, ProcessTime, Telemetry, ProcessImage, ProcessCommandLine, ParentImage
| order by CreationTime asc, ProcessTime asc
"""
    return "".join(f"// {line}\n" for line in header) + query
