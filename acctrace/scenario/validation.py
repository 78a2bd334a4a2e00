"""A validation plan run on simulated hosts whose audit settings differ, so that tests know
exactly what `acctrace validate check` must report and which fix it must name.

An administrator (CORP\\purple) logs on to the test host WS-TEST, runs the plan's script in
PowerShell (its text logged by 4104 when script block logging is on) and then the MMC
methods by hand. Local methods log on WS-TEST; domain methods on DC01, through a network
logon from WS-TEST. What each host keeps follows `AuditSettings`; the run log is the one
the script would have written.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from acctrace.scenario.events import (
    SECURITY,
    SYSMON,
    SYSMON_PROVIDER,
    Account,
    Event,
    Host,
    Process,
    Session,
    logon,
    member_added,
    member_removed,
    number_records,
    password_reset,
    sysmon_network,
    sysmon_time,
    system_session,
    user_changed,
    user_created,
    user_deleted,
)
from acctrace.scenario.story import (
    DOMAIN_SID,
    MMC,
    POWERSHELL,
    SYSTEM32,
    USERS,
    StoryBuilder,
    domain_user,
    local_user,
    none_group,
)
from acctrace.validate.plan import METHOD_PAUSE_S, Plan, PlannedMethod

POWERSHELL_CHANNEL = "Microsoft-Windows-PowerShell/Operational"
POWERSHELL_PROVIDER = "Microsoft-Windows-PowerShell"
EVENTLOG_PROVIDER = "Microsoft-Windows-Eventlog"
DSADD = SYSTEM32 + "dsadd.exe"
CSC = "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe"
LSASS = SYSTEM32 + "lsass.exe"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
OU = "OU=Test,DC=corp,DC=local"
PURPLE = domain_user("purple", 1190, "Admins")
SCRIPT_PART = 6000  # 4104 splits long scripts: parts of this many characters
_SECOND = 1_000_000
_MINUTE = 60 * _SECOND
_HOUR = 60 * _MINUTE
# Account management and its group events: what is gone when Account Management is off.
_ACCOUNT_EVENTS = frozenset({4720, 4722, 4724, 4725, 4726, 4738, 4728, 4729, 4732, 4733})
# Where each method's directory call goes on the DC: the Sysmon 3 that links the hosts.
_DC_PORTS = {"net-user-domain": 445, "new-aduser": 9389, "dsadd-user": 389, "mmc-dsa": 389}


@dataclass(frozen=True)
class AuditSettings:
    """What a host keeps. `clear_after`: the Security log of the test host is cleared after
    that many methods have run, losing everything before."""

    name: str
    account_management: bool = True
    process_creation: bool = True  # Security 4688
    command_lines: bool = True  # ProcessCreationIncludeCmdLine_Enabled
    sysmon: bool = True  # Sysmon 1/3/5
    sam_registry: bool = False  # Sysmon 12/13 on the SAM
    script_block: bool = True  # PowerShell 4104
    clear_after: int | None = None


PROFILES = {
    p.name: p
    for p in (
        AuditSettings("everything"),
        AuditSettings("no-command-lines", command_lines=False, sysmon=False),
        AuditSettings("sysmon-no-4688", process_creation=False),
        AuditSettings("no-process-telemetry", process_creation=False, sysmon=False),
        AuditSettings(
            "registry-only",
            account_management=False,
            process_creation=False,
            sysmon=False,
            sam_registry=True,
        ),
        AuditSettings("log-cleared", clear_after=3),
    )
}


@dataclass
class SimulatedRun:
    events: list[Event]
    run_log: list[dict[str, object]]
    cleared_at_us: int | None


def _iso(time_us: int) -> str:
    t = datetime.fromtimestamp(time_us / 1_000_000, tz=UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


class _Run:
    def __init__(self, plan: Plan, settings: AuditSettings, seed: int) -> None:
        self.plan, self.settings = plan, settings
        self.story = StoryBuilder(random.Random(seed), int(START.timestamp()) * _SECOND)
        keeps = {"sysmon": settings.sysmon, "process_audit": settings.process_creation}
        self.ws = Host("WS-TEST.corp.local", "10.0.0.150", "S-1-5-21-4161424551-13-42", **keeps)
        self.dc = Host("DC01.corp.local", "10.0.0.10", DOMAIN_SID, **keeps)
        self.lsass = {
            h.fqdn: Process(
                self.story.pid(h), LSASS, LSASS, self.story.guid(), system_session(h), "System"
            )
            for h in (self.ws, self.dc)
        }
        self.run_log: list[dict[str, object]] = []
        self.rid = 1001

    # --- the operator ------------------------------------------------------------------

    def desktop(self, t: int) -> tuple[Session, Process]:
        session = self.story.log_on(self.ws, t, PURPLE, 2, admin=True, terminal=2)
        return session, self.story.desktop(self.ws, t + _SECOND, session, "High")

    def dc_session(self, t: int) -> Session:
        """The operator's network logon on the DC: the session every domain change runs in."""
        return self.story.log_on(
            self.dc, t, PURPLE, 3, ip=self.ws.ip, workstation=self.ws.netbios,
            package="Kerberos", admin=True,
        )  # fmt: skip

    def subject(self, planned: PlannedMethod, t: int, process: Process, local: Session) -> Session:
        """Whose session makes the change: the desktop's, or for a domain method a network
        logon on the DC, just after the creating process connected to it (Sysmon 3)."""
        if planned.scope == "local":
            return local
        if self.settings.sysmon:
            port = _DC_PORTS[planned.id]
            self.story.add(sysmon_network(self.ws, t - 400_000, process, self.dc.ip, port))
        return self.dc_session(t - 200_000)

    # --- the account itself -------------------------------------------------------------

    def account(self, planned: PlannedMethod) -> Account:
        if planned.scope == "domain":
            self.rid += 1
            return Account(
                planned.account, "CORP", f"{DOMAIN_SID}-{self.rid + 4000}",
                f"CN={planned.account},{OU}",
            )  # fmt: skip
        self.rid += 1
        return local_user(self.ws, planned.account, self.rid)

    def sam_key(self, host: Host, t: int, name: str, kind: str) -> None:
        """Sysmon 12: lsass.exe creating or deleting the account's key under Names."""
        if not self.settings.sam_registry:
            return
        lsass = self.lsass[host.fqdn]
        self.story.add(
            Event(
                12, SYSMON, SYSMON_PROVIDER, host.fqdn, t, 0,
                {
                    "RuleName": "-", "EventType": kind, "UtcTime": sysmon_time(t),
                    "ProcessGuid": lsass.guid, "ProcessId": str(lsass.pid), "Image": LSASS,
                    "TargetObject": f"HKLM\\SAM\\SAM\\Domains\\Account\\Users\\Names\\{name}",
                    "User": "NT AUTHORITY\\SYSTEM",
                },
            )
        )  # fmt: skip

    def create(self, planned: PlannedMethod, t: int, subject: Session) -> Account:
        account, host = self.account(planned), self._host(planned)
        add = self.story.add
        if planned.scope == "local":
            add(
                user_created(host, t, subject, account),
                member_added(host, t, subject, account, none_group(host)),
                member_added(host, t, subject, account, USERS),
            )
            self.sam_key(host, t, account.name, "CreateKey")
        else:
            add(user_created(host, t, subject, account, upn=f"{account.name}@corp.local"))
        add(password_reset(host, t + 2_000, subject, account))
        add(user_changed(host, t + 4_000, subject, account, old_uac=0x15, new_uac=0x11))
        return account

    def delete(self, planned: PlannedMethod, account: Account, t: int, subject: Session) -> None:
        host = self._host(planned)
        if planned.scope == "local":
            self.story.add(member_removed(host, t, subject, account, USERS))
            self.sam_key(host, t, account.name, "DeleteKey")
        self.story.add(user_deleted(host, t + 1_000, subject, account))

    def _host(self, planned: PlannedMethod) -> Host:
        return self.dc if planned.scope == "domain" else self.ws

    # --- one method -------------------------------------------------------------------

    def scripted(self, planned: PlannedMethod, t: int, shell: Process, session: Session) -> int:
        """Runs one Invoke-TestMethod: the creation, then `net user NAME /delete`."""
        s, started = self.story, t
        secret = "Xy7#kLm9!pQ2_z"  # stands for the run's random password
        domain = " /domain" if planned.scope == "domain" else ""
        creator: Process = shell
        children: list[Process] = []  # what the method started, ended children first
        if planned.id in ("net-user-local", "net-user-domain"):
            args = f"user {planned.account} {secret} /add{domain} /active:no"
            t, net, creator = s.net(self.ws, t, shell, args)
            children = [creator, net]
        elif planned.id == "dsadd-user":
            creator = s.spawn(
                self.ws, t, shell, DSADD,
                f'"{DSADD}" user CN={planned.account},{OU} -samid {planned.account} '
                f"-pwd {secret} -disabled yes",
            )  # fmt: skip
            children = [creator]
            t += s.ms(200, 400)
        elif planned.id == "netuseradd-api":
            # Add-Type compiles with csc.exe, which ends before the account is made.
            csc = s.spawn(self.ws, t, shell, CSC, f'"{CSC}" /noconfig /fullpaths @"x.cmdline"')
            t = s.exit(self.ws, t + s.ms(600, 900), csc)
        t += s.ms(300, 600)
        subject = self.subject(planned, t, creator, session)
        account = self.create(planned, t, subject)
        t = s.exit(self.ws, t + s.ms(5, 30), *children)
        t += METHOD_PAUSE_S * _SECOND
        _, net, net1 = s.net(self.ws, t, shell, f"user {planned.account} /delete{domain}")
        if planned.scope == "domain":
            subject = self.dc_session(t + 10_000)
        self.delete(planned, account, t + 30_000, subject)
        t = s.exit(self.ws, t + 60_000, net1, net)
        self.run_log.append(
            {
                "run_id": self.plan.run_id, "method": planned.id, "account": planned.account,
                "scope": planned.scope, "host": self.ws.netbios, "user": "CORP\\purple",
                "started": _iso(started), "created": True, "deleted": True, "error": None,
                "finished": _iso(t),
            }
        )  # fmt: skip
        return t + METHOD_PAUSE_S * _SECOND  # the script's Start-Sleep

    def manual(self, planned: PlannedMethod, t: int, explorer: Process, session: Session) -> int:
        """An MMC snap-in started from the Run dialog: the snap-in's process makes the account."""
        s = self.story
        snap_in = {"mmc-lusrmgr": "lusrmgr", "mmc-compmgmt": "compmgmt", "mmc-dsa": "dsa"}
        mmc = s.spawn(self.ws, t, explorer, MMC, f'"{MMC}" "{SYSTEM32}{snap_in[planned.id]}.msc"')
        t += 40 * _SECOND
        subject = self.subject(planned, t, mmc, session)
        account = self.create(planned, t, subject)
        self.delete(planned, account, t + 20 * _SECOND, subject)
        return s.exit(self.ws, t + 30 * _SECOND, mmc) + 10 * _SECOND

    # --- the whole run -----------------------------------------------------------------

    def script_blocks(self, t: int, text: str) -> None:
        """4104, split as PowerShell splits long scripts, all parts under one ScriptBlockId."""
        parts = [text[i : i + SCRIPT_PART] for i in range(0, len(text), SCRIPT_PART)]
        block = str(uuid.UUID(int=self.story.rng.getrandbits(128), version=4))
        for n, part in enumerate(parts, 1):
            self.story.add(
                Event(
                    4104, POWERSHELL_CHANNEL, POWERSHELL_PROVIDER, self.ws.fqdn, t + n, 0,
                    {
                        "MessageNumber": str(n), "MessageTotal": str(len(parts)),
                        "ScriptBlockText": part, "ScriptBlockId": block,
                        "Path": "C:\\Users\\purple\\plan\\acctrace-validate.ps1",
                    },
                )
            )  # fmt: skip

    def background(self) -> None:
        """Days of routine service logons (and Sysmon connections) before the run: the logs'
        retention to measure."""
        system = Session(Account("SYSTEM", "NT AUTHORITY", "S-1-5-18"), "0x3e7")
        for host in (self.ws, self.dc):
            services = self.story.standing(host, "services").pid
            for hour in range(72, 0, -2):
                t = self.story.start - hour * _HOUR
                self.story.add(logon(host, t, system, 5, caller_pid=services))
                if self.settings.sysmon:  # each host's own connections place it at its address
                    dns = self.story.standing(host, "schedule")
                    self.story.add(sysmon_network(host, t + _SECOND, dns, "10.0.0.53", 53))

    def run(self, script_text: str) -> SimulatedRun:
        s = self.story
        self.background()
        t = s.start
        session, explorer = self.desktop(t)
        t += 30 * _SECOND
        shell = s.spawn(
            self.ws, t, explorer, POWERSHELL,
            f'"{POWERSHELL}" -ExecutionPolicy Bypass -File .\\acctrace-validate.ps1 '
            f"-IUnderstandThisCreatesAccounts -OU '{OU}'",
        )  # fmt: skip
        t += _SECOND
        if self.settings.script_block:
            self.script_blocks(t, script_text)
        cleared_at = None
        for i, planned in enumerate(p for p in self.plan.methods if p.mode == "scripted"):
            if i == self.settings.clear_after:
                cleared_at = t
                t += 5 * _SECOND
            t = self.scripted(planned, t + _SECOND, shell, session)
        t = s.exit(self.ws, t, shell)
        for planned in (p for p in self.plan.methods if p.mode == "manual"):
            t = self.manual(planned, t + 20 * _SECOND, explorer, session)
        events = self._kept(s.events, cleared_at)
        return SimulatedRun(number_records(events), self.run_log, cleared_at)

    def _kept(self, events: list[Event], cleared_at: int | None) -> list[Event]:
        kept = []
        for e in events:
            unaudited = e.channel == SECURITY and e.event_id in _ACCOUNT_EVENTS
            if unaudited and not self.settings.account_management:
                continue
            if e.event_id == 4688 and not self.settings.command_lines:
                e = replace(e, data={**e.data, "CommandLine": ""})
            lost = cleared_at is not None and e.time_us < cleared_at
            if lost and e.channel == SECURITY and e.computer == self.ws.fqdn:
                continue
            kept.append(e)
        if cleared_at is not None:
            kept.append(
                Event(
                    1102, SECURITY, EVENTLOG_PROVIDER, self.ws.fqdn, cleared_at, 0,
                    {
                        "SubjectUserSid": PURPLE.sid, "SubjectUserName": PURPLE.name,
                        "SubjectDomainName": PURPLE.domain, "SubjectLogonId": "0x1",
                    },
                )
            )  # fmt: skip
        return kept


def simulate(plan: Plan, settings: AuditSettings, script_text: str, seed: int = 18) -> SimulatedRun:
    """The plan run on WS-TEST (and DC01 for domain methods) under `settings`."""
    return _Run(plan, settings, seed).run(script_text)
