"""SPL for Splunk: 4720s from the Security log joined with the account-management processes
(Security 4688, Sysmon 1) of the same host and logon session. Fields are the events' own
EventData names, as the Splunk Add-ons for Windows and for Sysmon extract them from XML
rendering (`renderXml = true`). After the join both events' fields are on one row, so
every workflow of the policy, with its validity dates, becomes one exclusion. Not
executed here (no Splunk runs locally): checked against golden files.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from acctrace.export.definition import (
    CREATION_EVENT,
    NO_LOGON_ID,
    PAIRING_LIMITS,
    SECURITY_4688,
    SYSMON_1,
    Analytic,
    Match,
    approved_pairs,
    glob_regex,
)

SECURITY_SOURCES = '(source="XmlWinEventLog:Security" OR source="WinEventLog:Security")'
SYSMON_SOURCE = 'source="XmlWinEventLog:Microsoft-Windows-Sysmon/Operational"'

_FIELDS = {
    "creator_name": "creator_name",
    "creator_sid": "creator_sid",
    "creator_domain": "creator_domain",
    "host": "Computer",
    "account_name": "account_name",
    "image": "process_image",
    "parent_image": "parent_image",
}

CANNOT = [
    "which candidate created the account: every account-management process of the session "
    "in the window is a row; acctrace ranks them",
    *PAIRING_LIMITS,
    "more processes than a subsearch returns (Splunk's subsearch limits apply to the join)",
]


def _string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _match(m: Match) -> str:
    # coalesce: a missing field is no match, where a null would make the whole test null
    return f'match(lower(coalesce({_FIELDS[m.field]}, "")), {_string(glob_regex(m.glob))})'


def _epoch(day: date) -> int:
    return int(datetime.combine(day, time(), UTC).timestamp())


def _excluded(spec: Analytic) -> str:
    approved = approved_pairs(
        spec.approvals,
        _match,
        lambda day: f"creation_time>={_epoch(day)}",
        lambda day: f"creation_time<{_epoch(day)}",
        ("AND", "OR", "false()"),
    )
    return f"| where NOT ({approved})\n" if approved else ""


def render(spec: Analytic) -> str:
    header = spec.header(
        "a user account created (4720) in the logon session of an account-management "
        "process on the same host (Security 4688 or Sysmon 1) that started within the "
        f"window before it, or up to {spec.window.after_s:g} s after (clock skew). One row "
        "per pair; approved pairs are dropped. Needs XML rendering (renderXml = true). Not "
        "executed by acctrace's tests: see docs/export.md.",
        CANNOT,
    )
    tools = ", ".join(_string(t) for t in spec.tools)
    own, sysmon = SECURITY_4688, SYSMON_1
    excluded = _excluded(spec)
    query = f"""search {SECURITY_SOURCES} EventCode={CREATION_EVENT}
| eval creation_time=_time, host_key=lower(Computer), logon_id=lower(SubjectLogonId)
| rename TargetUserName AS account_name, TargetSid AS account_sid,
    SubjectUserName AS creator_name, SubjectDomainName AS creator_domain,
    SubjectUserSid AS creator_sid
| fields creation_time, Computer, host_key, logon_id, account_name, account_sid,
    creator_name, creator_domain, creator_sid
| join type=inner max=0 host_key, logon_id
    [ search ({SECURITY_SOURCES} EventCode={own.event_id})
        OR ({SYSMON_SOURCE} EventCode={sysmon.event_id})
    | eval process_image=coalesce({own.image}, {sysmon.image})
    | eval process_file=lower(replace(process_image, "^.*\\\\\\\\", ""))
    | where in(process_file, {tools})
    ``` A 4688 started under other credentials runs in TargetLogonId's session. ```
    | eval logon_id=lower(case(EventCode={sysmon.event_id}, {sysmon.logon_id},
        isnotnull(TargetLogonId) AND TargetLogonId!="{NO_LOGON_ID}", TargetLogonId,
        true(), SubjectLogonId))
    | eval process_time=_time, host_key=lower(Computer),
        parent_image=coalesce({own.parent_image}, {sysmon.parent_image}),
        telemetry=if(EventCode={sysmon.event_id}, "{sysmon.name}", "{own.name}")
    | fields process_time, host_key, logon_id, process_image, CommandLine, parent_image,
        telemetry ]
| where process_time>=creation_time-{spec.window.before_s:g}
    AND process_time<=creation_time+{spec.window.after_s:g}
{excluded}| table creation_time, Computer, account_name, account_sid, creator_domain, creator_name,
    creator_sid, logon_id, process_time, telemetry, process_image, CommandLine, parent_image
| sort 0 creation_time, process_time
"""
    return "".join(f"``` {line} ```\n" for line in header) + query
