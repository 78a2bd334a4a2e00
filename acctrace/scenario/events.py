"""Builders for canonical Windows events, with the field spellings Windows really logs.

Each builder returns one `Event` with `record_id=0`; `number_records` numbers a finished
list per host and channel afterwards, because a story is written out of time order.
Logon ids are lower-case hex strings ("0x3e7"), 4688 PIDs hex, Sysmon PIDs decimal.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

SECURITY = "Security"
SECURITY_PROVIDER = "Microsoft-Windows-Security-Auditing"
SYSMON = "Microsoft-Windows-Sysmon/Operational"
SYSMON_PROVIDER = "Microsoft-Windows-Sysmon"
POWERSHELL = "Microsoft-Windows-PowerShell/Operational"
POWERSHELL_PROVIDER = "Microsoft-Windows-PowerShell"

SYSTEM_SID = "S-1-5-18"
SYSTEM_LOGON_ID = "0x3e7"
NULL_SID = "S-1-0-0"
NO_VALUE = "%%1793"  # "<value not set>"
YES, NO = "%%1842", "%%1843"

# TokenElevationType: default (no split token, also SYSTEM), full (elevated), limited.
ELEVATION_DEFAULT, ELEVATION_FULL, ELEVATION_LIMITED = "%%1936", "%%1937", "%%1938"
_MANDATORY_LABELS = {
    "Low": "S-1-16-4096",
    "Medium": "S-1-16-8192",
    "High": "S-1-16-12288",
    "System": "S-1-16-16384",
}
_SYSMON_USERS = {
    SYSTEM_SID: "NT AUTHORITY\\SYSTEM",
    "S-1-5-19": "NT AUTHORITY\\LOCAL SERVICE",
    "S-1-5-20": "NT AUTHORITY\\NETWORK SERVICE",
}
_ADMIN_RIGHTS = (
    "SeSecurityPrivilege",
    "SeTakeOwnershipPrivilege",
    "SeLoadDriverPrivilege",
    "SeBackupPrivilege",
    "SeRestorePrivilege",
    "SeDebugPrivilege",
    "SeSystemEnvironmentPrivilege",
    "SeImpersonatePrivilege",
    "SeDelegateSessionUserImpersonatePrivilege",
)
ADMIN_PRIVILEGES = "\r\n\t\t\t".join(_ADMIN_RIGHTS)
SYSTEM_PRIVILEGES = "\r\n\t\t\t".join(
    ("SeAssignPrimaryTokenPrivilege", "SeTcbPrivilege", "SeAuditPrivilege", *_ADMIN_RIGHTS)
)
# Group-membership event ids by group scope: (added, removed).
_MEMBER_EVENTS = {"global": (4728, 4729), "local": (4732, 4733), "universal": (4756, 4757)}


@dataclass(frozen=True, slots=True)
class Event:
    """One event as every writer sees it; `data` is the flat EventData, all strings."""

    event_id: int
    channel: str
    provider: str
    computer: str
    time_us: int
    record_id: int
    data: dict[str, str] = field(hash=False)
    process_id: int | None = None  # System/Execution ProcessID, where a reader needs it


@dataclass(frozen=True, slots=True)
class Host:
    """A machine; `sysmon`/`process_audit` say which process telemetry it keeps."""

    fqdn: str
    ip: str
    machine_sid: str  # on a DC this is the domain SID: it has no local accounts
    domain: str = "CORP"
    sysmon: bool = True
    process_audit: bool = True
    sysmon_skew_us: int = 0  # how far this host's Sysmon clock runs from its Security clock

    @property
    def netbios(self) -> str:
        return self.fqdn.split(".", 1)[0].upper()


@dataclass(frozen=True, slots=True)
class Account:
    """A security principal as logged: NetBIOS domain, name, SID; `dn` for AD accounts."""

    name: str
    domain: str
    sid: str
    dn: str = "-"


@dataclass(frozen=True, slots=True)
class Group:
    """A security group; `scope` ("global", "local", "universal") picks the event ids."""

    name: str
    domain: str
    sid: str
    scope: str


@dataclass(frozen=True, slots=True)
class Session:
    """A logon session: whose token, and the logon id every event of it carries."""

    user: Account
    logon_id: str
    terminal_session: int = 0
    logon_guid: str = "{00000000-0000-0000-0000-000000000000}"


@dataclass(frozen=True, slots=True)
class Process:
    """A running process as both 4688 (hex PID) and Sysmon (decimal PID, GUID) see it."""

    pid: int
    image: str
    command_line: str
    guid: str
    session: Session
    integrity: str = "High"
    elevation: str = ELEVATION_DEFAULT
    current_directory: str = "C:\\Windows\\system32\\"


def system_session(host: Host) -> Session:
    """SYSTEM as the Security log names it: the computer account with logon id 0x3e7."""
    return Session(Account(f"{host.netbios}$", host.domain, SYSTEM_SID), SYSTEM_LOGON_ID)


def uac_text(old: int, new: int) -> str:
    """The UserAccountControl field: one %%code per changed bit (2080+bit set, 2048+bit cleared)."""
    changed = old ^ new
    codes = [
        2080 + bit if new & (1 << bit) else 2048 + bit for bit in range(32) if changed & (1 << bit)
    ]
    return "".join(f"\r\n\t\t%%{code}" for code in codes) or "-"


def sysmon_time(time_us: int) -> str:
    """Sysmon's UtcTime: 'YYYY-MM-DD HH:MM:SS.mmm', no zone."""
    t = datetime.fromtimestamp(time_us / 1_000_000, tz=UTC)
    return t.strftime("%Y-%m-%d %H:%M:%S.") + f"{t.microsecond // 1000:03d}"


def number_records(events: Iterable[Event]) -> list[Event]:
    """Events in time order, each numbered by its host+channel log (ties keep list order)."""
    ordered = sorted(events, key=lambda e: e.time_us)
    counters: dict[tuple[str, str], int] = {}
    numbered = []
    for event in ordered:
        key = (event.computer, event.channel)
        counters[key] = counters.get(key, _first_record(*key)) + 1
        numbered.append(replace(event, record_id=counters[key]))
    return numbered


def _first_record(computer: str, channel: str) -> int:
    """Logs never start at 1 on a machine that has run for a while; stable per log."""
    return 10_000 + zlib.crc32(f"{computer}|{channel}".encode()) % 900_000


def _security(host: Host, t: int, event_id: int, data: dict[str, str]) -> Event:
    return Event(event_id, SECURITY, SECURITY_PROVIDER, host.fqdn, t, 0, data)


def _sysmon(host: Host, t: int, event_id: int, data: dict[str, str]) -> Event:
    t += host.sysmon_skew_us
    if "UtcTime" in data:
        data = {**data, "UtcTime": sysmon_time(t)}
    return Event(event_id, SYSMON, SYSMON_PROVIDER, host.fqdn, t, 0, data)


def _subject(session: Session) -> dict[str, str]:
    user = session.user
    return {
        "SubjectUserSid": user.sid,
        "SubjectUserName": user.name,
        "SubjectDomainName": user.domain,
        "SubjectLogonId": session.logon_id,
    }


def _target(account: Account) -> dict[str, str]:
    return {
        "TargetUserName": account.name,
        "TargetDomainName": account.domain,
        "TargetSid": account.sid,
    }


def _sysmon_user(account: Account) -> str:
    return _SYSMON_USERS.get(account.sid, f"{account.domain}\\{account.name}")


def _file_name(path: str) -> str:
    return path.rsplit("\\", 1)[-1]


# --- logons -------------------------------------------------------------------------


_LOGON_PROCESSES = {2: "User32 ", 4: "Advapi  ", 5: "Advapi  ", 10: "User32 "}
_LOGON_CALLERS = {
    2: "C:\\Windows\\System32\\winlogon.exe",
    4: "C:\\Windows\\System32\\svchost.exe",
    5: "C:\\Windows\\System32\\services.exe",
    10: "C:\\Windows\\System32\\winlogon.exe",
}


def _logon_process(logon_type: int, package: str) -> str:
    if logon_type == 3:
        return "NtLmSsp " if package == "NTLM" else "Kerberos"
    return _LOGON_PROCESSES.get(logon_type, "Advapi  ")


def logon(
    host: Host,
    t: int,
    session: Session,
    logon_type: int,
    *,
    ip: str = "-",
    port: str = "-",
    workstation: str = "-",
    package: str = "Negotiate",
    elevated: bool = True,
    caller_pid: int = 0x2D4,
) -> Event:
    """4624. Network logons have a NULL subject; the others are made by SYSTEM."""
    if logon_type == 3:
        subject = Session(Account("-", "-", NULL_SID), "0x0")
        caller_pid, caller = 0, "-"
    else:
        subject, caller = system_session(host), _LOGON_CALLERS.get(logon_type, "-")
    ntlm = package == "NTLM"
    return _security(
        host,
        t,
        4624,
        {
            **_subject(subject),
            "TargetUserSid": session.user.sid,
            "TargetUserName": session.user.name,
            "TargetDomainName": session.user.domain,
            "TargetLogonId": session.logon_id,
            "LogonType": str(logon_type),
            "LogonProcessName": _logon_process(logon_type, package),
            "AuthenticationPackageName": package,
            "WorkstationName": workstation,
            "LogonGuid": session.logon_guid,
            "TransmittedServices": "-",
            "LmPackageName": "NTLM V2" if ntlm else "-",
            "KeyLength": "128" if ntlm else "0",
            "ProcessId": hex(caller_pid),
            "ProcessName": caller,
            "IpAddress": ip,
            "IpPort": port,
            "ImpersonationLevel": "%%1833",
            "RestrictedAdminMode": NO if logon_type == 10 else "-",
            "TargetOutboundUserName": "-",
            "TargetOutboundDomainName": "-",
            "VirtualAccount": NO,
            "TargetLinkedLogonId": "0x0",
            "ElevatedToken": YES if elevated else NO,
        },
    )


def logoff(host: Host, t: int, session: Session, logon_type: int) -> Event:
    """4634: the session is gone; its logon id may be reused later."""
    user = session.user
    return _security(
        host,
        t,
        4634,
        {
            "TargetUserSid": user.sid,
            "TargetUserName": user.name,
            "TargetDomainName": user.domain,
            "TargetLogonId": session.logon_id,
            "LogonType": str(logon_type),
        },
    )


def special_privileges(
    host: Host, t: int, session: Session, privileges: str = ADMIN_PRIVILEGES
) -> Event:
    """4672: logged right after the 4624 of an administrator's session."""
    return _security(host, t, 4672, {**_subject(session), "PrivilegeList": privileges})


# --- processes ------------------------------------------------------------------------


def process_created(
    host: Host, t: int, proc: Process, parent: Process, creator: Session | None = None
) -> Event:
    """4688. `creator` is set when another account's process made it (services, tasks, RDP).

    Then the Subject is the creator and Target* the new process's own session; otherwise
    Target* holds the NULL SID and logon id 0x0, as Windows logs it.
    """
    own = proc.session
    if creator is None or creator == own:
        subject, target = own, Session(Account("-", "-", NULL_SID), "0x0")
    else:
        subject, target = creator, own
    return _security(
        host,
        t,
        4688,
        {
            **_subject(subject),
            "NewProcessId": hex(proc.pid),
            "NewProcessName": proc.image,
            "TokenElevationType": proc.elevation,
            "ProcessId": hex(parent.pid),
            "CommandLine": proc.command_line,
            "TargetUserSid": target.user.sid,
            "TargetUserName": target.user.name,
            "TargetDomainName": target.user.domain,
            "TargetLogonId": target.logon_id,
            "ParentProcessName": parent.image,
            "MandatoryLabel": _MANDATORY_LABELS[proc.integrity],
        },
    )


def process_exited(host: Host, t: int, proc: Process) -> Event:
    """4689."""
    return _security(
        host,
        t,
        4689,
        {
            **_subject(proc.session),
            "Status": "0x0",
            "ProcessId": hex(proc.pid),
            "ProcessName": proc.image,
        },
    )


def _hashes(image: str) -> str:
    """Stable fake hashes: the same image always hashes the same, as on a real fleet."""
    digest = hashlib.sha256(image.lower().encode()).hexdigest().upper()
    md5 = hashlib.md5(image.lower().encode()).hexdigest().upper()
    return f"MD5={md5},SHA256={digest},IMPHASH={md5[::-1]}"


def sysmon_process_created(host: Host, t: int, proc: Process, parent: Process) -> Event:
    """Sysmon 1: has what 4688 lacks (GUIDs, parent command line, hashes)."""
    return _sysmon(
        host,
        t,
        1,
        {
            "RuleName": "-",
            "UtcTime": sysmon_time(t),
            "ProcessGuid": proc.guid,
            "ProcessId": str(proc.pid),
            "Image": proc.image,
            "OriginalFileName": _file_name(proc.image).upper(),
            "CommandLine": proc.command_line,
            "CurrentDirectory": proc.current_directory,
            "User": _sysmon_user(proc.session.user),
            "LogonGuid": proc.session.logon_guid,
            "LogonId": proc.session.logon_id,
            "TerminalSessionId": str(proc.session.terminal_session),
            "IntegrityLevel": proc.integrity,
            "Hashes": _hashes(proc.image),
            "ParentProcessGuid": parent.guid,
            "ParentProcessId": str(parent.pid),
            "ParentImage": parent.image,
            "ParentCommandLine": parent.command_line,
            "ParentUser": _sysmon_user(parent.session.user),
        },
    )


def sysmon_process_terminated(host: Host, t: int, proc: Process) -> Event:
    """Sysmon 5."""
    return _sysmon(
        host,
        t,
        5,
        {
            "RuleName": "-",
            "UtcTime": sysmon_time(t),
            "ProcessGuid": proc.guid,
            "ProcessId": str(proc.pid),
            "Image": proc.image,
            "User": _sysmon_user(proc.session.user),
        },
    )


def sysmon_network(host: Host, t: int, proc: Process, dest_ip: str, dest_port: int) -> Event:
    """Sysmon 3: irrelevant to account creation, present so that filtering is exercised."""
    return _sysmon(
        host,
        t,
        3,
        {
            "RuleName": "-",
            "UtcTime": sysmon_time(t),
            "ProcessGuid": proc.guid,
            "ProcessId": str(proc.pid),
            "Image": proc.image,
            "User": _sysmon_user(proc.session.user),
            "Protocol": "tcp",
            "Initiated": "true",
            "SourceIp": host.ip,
            "SourcePort": str(49152 + (t // 1000) % 16000),
            "DestinationIp": dest_ip,
            "DestinationPort": str(dest_port),
        },
    )


def sysmon_file_created(host: Host, t: int, proc: Process, path: str) -> Event:
    """Sysmon 11: irrelevant, for filtering."""
    return _sysmon(
        host,
        t,
        11,
        {
            "RuleName": "-",
            "UtcTime": sysmon_time(t),
            "ProcessGuid": proc.guid,
            "ProcessId": str(proc.pid),
            "Image": proc.image,
            "TargetFilename": path,
            "CreationUtcTime": sysmon_time(t),
            "User": _sysmon_user(proc.session.user),
        },
    )


def handle_requested(host: Host, t: int, proc: Process, object_name: str) -> Event:
    """4656: irrelevant, for filtering."""
    return _security(
        host,
        t,
        4656,
        {
            **_subject(proc.session),
            "ObjectServer": "Security",
            "ObjectType": "File",
            "ObjectName": object_name,
            "HandleId": "0x0",
            "AccessList": "%%4416",
            "AccessMask": "0x1",
            "ProcessId": hex(proc.pid),
            "ProcessName": proc.image,
        },
    )


def connection_permitted(host: Host, t: int, proc: Process, dest_ip: str, dest_port: int) -> Event:
    """5156 (Windows Filtering Platform): irrelevant, for filtering; its ProcessID is decimal."""
    return _security(
        host,
        t,
        5156,
        {
            "ProcessID": str(proc.pid),
            "Application": "\\device\\harddiskvolume2" + proc.image[2:].lower(),
            "Direction": "%%14593",
            "SourceAddress": host.ip,
            "SourcePort": str(49152 + (t // 1000) % 16000),
            "DestAddress": dest_ip,
            "DestPort": str(dest_port),
            "Protocol": "6",
        },
    )


# --- account management ---------------------------------------------------------------


def user_created(
    host: Host,
    t: int,
    subject: Session,
    account: Account,
    *,
    upn: str = "-",
    display_name: str = NO_VALUE,
) -> Event:
    """4720. The SAM always creates the account disabled with "password not required"."""
    return _security(
        host,
        t,
        4720,
        {
            **_target(account),
            **_subject(subject),
            "PrivilegeList": "-",
            "SamAccountName": account.name,
            "DisplayName": display_name,
            "UserPrincipalName": upn,
            "HomeDirectory": NO_VALUE,
            "HomePath": NO_VALUE,
            "ScriptPath": NO_VALUE,
            "ProfilePath": NO_VALUE,
            "UserWorkstations": NO_VALUE,
            "PasswordLastSet": "%%1794",
            "AccountExpires": "%%1794",
            "PrimaryGroupId": "513",
            "AllowedToDelegateTo": "-",
            "OldUacValue": "0x0",
            "NewUacValue": "0x15",
            "UserAccountControl": uac_text(0, 0x15),
            "UserParameters": NO_VALUE,
            "SidHistory": "-",
            "LogonHours": "%%1797",
        },
    )


def _account_event(
    event_id: int, host: Host, t: int, subject: Session, account: Account, **extra: str
) -> Event:
    return _security(host, t, event_id, {**_target(account), **_subject(subject), **extra})


def user_enabled(host: Host, t: int, subject: Session, account: Account) -> Event:
    """4722."""
    return _account_event(4722, host, t, subject, account)


def user_disabled(host: Host, t: int, subject: Session, account: Account) -> Event:
    """4725."""
    return _account_event(4725, host, t, subject, account)


def password_reset(host: Host, t: int, subject: Session, account: Account) -> Event:
    """4724: also logged when a password is given at creation (`net user NAME PASS /add`)."""
    return _account_event(4724, host, t, subject, account)


def user_deleted(host: Host, t: int, subject: Session, account: Account) -> Event:
    """4726."""
    return _account_event(4726, host, t, subject, account, PrivilegeList="-")


_4738_ATTRIBUTES = (
    "SamAccountName",
    "DisplayName",
    "UserPrincipalName",
    "HomeDirectory",
    "HomePath",
    "ScriptPath",
    "ProfilePath",
    "UserWorkstations",
    "PasswordLastSet",
    "AccountExpires",
    "PrimaryGroupId",
    "AllowedToDelegateTo",
    "UserParameters",
    "SidHistory",
    "LogonHours",
)


def user_changed(
    host: Host, t: int, subject: Session, account: Account, *, old_uac: int, new_uac: int
) -> Event:
    """4738: only changed attributes have values, the others are '-'."""
    unchanged = dict.fromkeys(_4738_ATTRIBUTES, "-")
    return _security(
        host,
        t,
        4738,
        {
            "Dummy": "-",
            **_target(account),
            **_subject(subject),
            "PrivilegeList": "-",
            **unchanged,
            "OldUacValue": hex(old_uac),
            "NewUacValue": hex(new_uac),
            "UserAccountControl": uac_text(old_uac, new_uac),
        },
    )


def user_renamed(host: Host, t: int, subject: Session, account: Account, new_name: str) -> Event:
    """4781."""
    return _security(
        host,
        t,
        4781,
        {
            "OldTargetUserName": account.name,
            "NewTargetUserName": new_name,
            "TargetDomainName": account.domain,
            "TargetSid": account.sid,
            **_subject(subject),
            "PrivilegeList": "-",
        },
    )


def _membership(
    host: Host, t: int, subject: Session, member: Account, group: Group, removed: bool
) -> Event:
    event_id = _MEMBER_EVENTS[group.scope][removed]
    return _security(
        host,
        t,
        event_id,
        {
            "MemberName": member.dn,
            "MemberSid": member.sid,
            "TargetUserName": group.name,
            "TargetDomainName": group.domain,
            "TargetSid": group.sid,
            **_subject(subject),
            "PrivilegeList": "-",
        },
    )


def member_added(host: Host, t: int, subject: Session, member: Account, group: Group) -> Event:
    """4728 (global), 4732 (local), 4756 (universal)."""
    return _membership(host, t, subject, member, group, removed=False)


def member_removed(host: Host, t: int, subject: Session, member: Account, group: Group) -> Event:
    """4729 (global), 4733 (local), 4757 (universal)."""
    return _membership(host, t, subject, member, group, removed=True)


# --- services -------------------------------------------------------------------------


def service_installed(host: Host, t: int, name: str, image_path: str) -> Event:
    """System 7045: the Service Control Manager installed a service."""
    data = {
        "ServiceName": name,
        "ImagePath": image_path,
        "ServiceType": "user mode service",
        "StartType": "demand start",
        "AccountName": "LocalSystem",
    }
    return Event(7045, "System", "Service Control Manager", host.fqdn, t, 0, data)


def service_install_audited(
    host: Host, t: int, installer: Session, name: str, image_path: str
) -> Event:
    """Security 4697: the same installation, with the installer's logon session."""
    return _security(
        host,
        t,
        4697,
        {
            **_subject(installer),
            "ServiceName": name,
            "ServiceFileName": image_path,
            "ServiceType": "0x10",
            "ServiceStartType": "3",
            "ServiceAccount": "LocalSystem",
        },
    )


# --- PowerShell --------------------------------------------------------------------------------


def script_block_logged(
    host: Host, t: int, proc: Process, block_id: str, text: str, number: int = 1, total: int = 1
) -> Event:
    """4104 (Microsoft-Windows-PowerShell/Operational): part `number` of `total` of a script
    block; the process that ran it is named only in the header (Execution ProcessID)."""
    data = {
        "MessageNumber": str(number),
        "MessageTotal": str(total),
        "ScriptBlockText": text,
        "ScriptBlockId": block_id,
        "Path": "",
    }
    return Event(4104, POWERSHELL, POWERSHELL_PROVIDER, host.fqdn, t, 0, data, proc.pid)
