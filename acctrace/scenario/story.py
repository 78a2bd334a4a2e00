"""A seeded day in `corp.local`: seven account creations, benign and malicious, plus noise.

The story exists so that tests and demos exercise attribution on realistic sequences:
the creator's 4624/4672, the 4688 and Sysmon 1 process chain, the 4720 with the SAM's
automatic group adds, 4722/4724/4738 and the follow-ups (privileged groups, logons,
deletion). `CREATIONS` says what a correct attribution finds.
"""

from __future__ import annotations

import base64
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from acctrace.scenario.events import (
    ELEVATION_DEFAULT,
    SYSTEM_PRIVILEGES,
    Account,
    Event,
    Group,
    Host,
    Process,
    Session,
    connection_permitted,
    handle_requested,
    logoff,
    logon,
    member_added,
    member_removed,
    number_records,
    password_reset,
    process_created,
    process_exited,
    service_install_audited,
    service_installed,
    special_privileges,
    sysmon_file_created,
    sysmon_network,
    sysmon_process_created,
    sysmon_process_terminated,
    system_session,
    user_changed,
    user_created,
    user_deleted,
    user_enabled,
)

DEFAULT_START = datetime(2024, 3, 4, 8, 0, tzinfo=UTC)
DOMAIN_DNS = "corp.local"
DOMAIN = "CORP"
DOMAIN_SID = "S-1-5-21-1111111111-2222222222-3333333333"

# The DC has no SAM accounts of its own: its "machine SID" is the domain SID.
# SRV01 keeps only Sysmon and DC01 only 4688, so both kinds of attribution are needed.
DC01 = Host("DC01.corp.local", "10.0.0.10", DOMAIN_SID, sysmon=False)
SRV01 = Host(
    "SRV01.corp.local",
    "10.0.0.20",
    "S-1-5-21-3914326213-2065871120-2451839612",
    process_audit=False,
)
WS01 = Host("WS01.corp.local", "10.0.0.101", "S-1-5-21-1702458395-4093128841-1375342210")
WS02 = Host("WS02.corp.local", "10.0.0.102", "S-1-5-21-2857134620-3304976108-883561437")
HOSTS = (DC01, SRV01, WS01, WS02)

USERS = Group("Users", "Builtin", "S-1-5-32-545", "local")
ADMINISTRATORS = Group("Administrators", "Builtin", "S-1-5-32-544", "local")
REMOTE_DESKTOP_USERS = Group("Remote Desktop Users", "Builtin", "S-1-5-32-555", "local")
SALES = Group("Sales", DOMAIN, f"{DOMAIN_SID}-1120", "global")

SYSTEM32 = "C:\\Windows\\System32\\"
CMD = SYSTEM32 + "cmd.exe"
NET = SYSTEM32 + "net.exe"
NET1 = SYSTEM32 + "net1.exe"
POWERSHELL = SYSTEM32 + "WindowsPowerShell\\v1.0\\powershell.exe"
MMC = SYSTEM32 + "mmc.exe"
EXPLORER = "C:\\Windows\\explorer.exe"
WINWORD = "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE"
PSEXESVC = "C:\\Windows\\PSEXESVC.exe"
PSEXEC = "C:\\Tools\\PsExec.exe"

_SECOND = 1_000_000
_MINUTE = 60 * _SECOND
_MS = 1000


def domain_user(name: str, rid: int, ou: str = "Staff") -> Account:
    return Account(name, DOMAIN, f"{DOMAIN_SID}-{rid}", f"CN={name},OU={ou},DC=corp,DC=local")


def local_user(host: Host, name: str, rid: int) -> Account:
    """A SAM account: domain = host NetBIOS name, SID = machine SID + RID (>= 1000)."""
    return Account(name, host.netbios, f"{host.machine_sid}-{rid}")


def none_group(host: Host) -> Group:
    """The SAM's `None` group (RID 513) every new local account joins."""
    return Group("None", host.netbios, f"{host.machine_sid}-513", "global")


ALICE = domain_user("alice", 1107, "Admins")
BOB = domain_user("bob", 1108)
HELPDESK1 = domain_user("helpdesk1", 1110, "IT")
SVC_PROVISION = domain_user("svc-provision", 1111, "Service Accounts")
SVC_BACKUP = domain_user("svc-backup", 1112, "Service Accounts")
CAROL = domain_user("carol", 1113)
DAVE = domain_user("dave", 1114)
ERIN = domain_user("erin", 1115)
FRANK = domain_user("frank", 1116)

JDOE = domain_user("jdoe", 1104)
ASMITH = domain_user("asmith", 1105)
BACKDOOR = local_user(WS01, "backdoor", 1001)
HIDDEN = local_user(WS01, "adm1n$", 1002)
SUPPORT_TMP = local_user(SRV01, "support_tmp", 1001)
SVC_UPDATE = local_user(WS02, "svc_update", 1001)
DEFAULTUSER0 = local_user(WS02, "defaultuser0", 1000)

PASSWORDS = ("Winter2024!", "P@ssw0rd123", "Passw0rd!", "Hidd3n!Pass")


def _encoded(script: str) -> str:
    """What `powershell -enc` takes: base64 of the UTF-16LE script."""
    return base64.b64encode(script.encode("utf-16-le")).decode("ascii")


NEW_LOCAL_USER = "New-LocalUser -Name support_tmp -NoPassword"
ADD_RDP_MEMBER = "Add-LocalGroupMember -Group 'Remote Desktop Users' -Member support_tmp"
SET_NEVER_EXPIRES = "Set-LocalUser -Name support_tmp -PasswordNeverExpires $true"
NEW_AD_USER = (
    "Import-Module ActiveDirectory; New-ADUser -Name jdoe -AccountPassword "
    "(ConvertTo-SecureString 'Winter2024!' -AsPlainText -Force) -SamAccountName jdoe "
    "-UserPrincipalName jdoe@corp.local -Path 'OU=Staff,DC=corp,DC=local' -Enabled $true; "
    "Add-ADGroupMember -Identity Sales -Members jdoe"
)


@dataclass(frozen=True, slots=True)
class Creation:
    """One account the story creates and who made it: the answer a correct attribution gives."""

    account: str  # DOMAIN\name as in the 4720
    host: str
    creator: str  # DOMAIN\name of the 4720 subject
    tool: str | None  # image of the process that called the SAM, None when there is none
    malicious: bool


CREATIONS = (
    Creation("CORP\\jdoe", DC01.fqdn, "CORP\\svc-provision", POWERSHELL, False),
    Creation("CORP\\asmith", DC01.fqdn, "CORP\\helpdesk1", MMC, False),
    Creation("WS01\\backdoor", WS01.fqdn, "CORP\\alice", NET1, True),
    Creation("SRV01\\support_tmp", SRV01.fqdn, "CORP\\bob", POWERSHELL, True),
    Creation("WS02\\svc_update", WS02.fqdn, "CORP\\WS02$", NET1, True),
    Creation("WS01\\adm1n$", WS01.fqdn, "CORP\\alice", NET1, True),
    Creation("WS02\\defaultuser0", WS02.fqdn, "CORP\\WS02$", None, False),
)

_STANDING = {
    "services": (SYSTEM32 + "services.exe", "C:\\Windows\\system32\\services.exe"),
    "winlogon": (SYSTEM32 + "winlogon.exe", "winlogon.exe"),
    "schedule": (
        SYSTEM32 + "svchost.exe",
        "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
    ),
}
# Which standing process logs a logon of each type on behalf of the user (4624 ProcessId).
_LOGON_CALLERS = {2: "winlogon", 4: "schedule", 5: "services", 10: "winlogon"}
_USER_PROGRAMS = (
    (
        "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
        '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer',
    ),
    (
        "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
        '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"',
    ),
    (SYSTEM32 + "notepad.exe", '"C:\\Windows\\system32\\notepad.exe" C:\\Users\\Public\\todo.txt'),
    (
        "C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe",
        '"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe" /background',
    ),
    (SYSTEM32 + "taskhostw.exe", "taskhostw.exe"),
)
_SYSTEM_PROGRAMS = (
    (SYSTEM32 + "svchost.exe", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s BITS"),
    (SYSTEM32 + "svchost.exe", "C:\\Windows\\System32\\svchost.exe -k wsappx -p -s ClipSVC"),
    (SYSTEM32 + "SearchProtocolHost.exe", "SearchProtocolHost.exe Global\\UsGthrFltPipe"),
    (SYSTEM32 + "wbem\\WmiPrvSE.exe", "C:\\Windows\\system32\\wbem\\wmiprvse.exe -Embedding"),
    (SYSTEM32 + "backgroundTaskHost.exe", "backgroundTaskHost.exe -ServerName:App.AppX"),
    (SYSTEM32 + "sppsvc.exe", "C:\\Windows\\system32\\sppsvc.exe"),
)


class StoryBuilder:
    """Accumulates events; hands out unique PIDs, logon ids and GUIDs from one seeded RNG."""

    def __init__(self, rng: random.Random, start_us: int) -> None:
        self.rng = rng
        self.start = start_us
        self.events: list[Event] = []
        self.quiet: list[tuple[Host, int, int]] = []  # (host, from, to): no process events
        self.background: list[tuple[Host, int, Session, Process]] = []
        self._pids: dict[str, set[int]] = {}
        self._logon_ids = {"0x3e7", "0x3e4", "0x3e5"}
        self._standing: dict[tuple[str, str], Process] = {}
        self.parents: dict[str, Process] = {}  # process GUID -> the process that started it

    # --- identifiers ---------------------------------------------------------------

    def at(self, minute: int) -> int:
        """A time in the given minute after the start, leaving room for the sequence."""
        return self.start + minute * _MINUTE + self.rng.randrange(_SECOND, 40 * _SECOND)

    def ms(self, low: int, high: int) -> int:
        return self.rng.randrange(low, high) * _MS + self.rng.randrange(_MS)

    def pid(self, host: Host) -> int:
        used = self._pids.setdefault(host.fqdn, set())
        while (pid := self.rng.randrange(400, 16000, 4)) in used:
            pass
        used.add(pid)
        return pid

    def guid(self) -> str:
        return "{" + str(uuid.UUID(int=self.rng.getrandbits(128), version=4)) + "}"

    def session(self, user: Account, terminal: int = 0) -> Session:
        while (lid := hex(self.rng.randrange(0x100000, 0x8000000))) in self._logon_ids:
            pass
        self._logon_ids.add(lid)
        return Session(user, lid, terminal, self.guid())

    # --- building blocks -------------------------------------------------------------

    def add(self, *events: Event) -> None:
        self.events.extend(events)

    def standing(self, host: Host, name: str) -> Process:
        """A process running since boot (services.exe, winlogon.exe...): no creation event."""
        key = (host.fqdn, name)
        if key not in self._standing:
            image, command_line = _STANDING[name]
            self._standing[key] = Process(
                self.pid(host), image, command_line, self.guid(), system_session(host), "System"
            )
        return self._standing[key]

    def log_on(
        self,
        host: Host,
        t: int,
        user: Account,
        logon_type: int,
        *,
        ip: str = "-",
        workstation: str = "-",
        package: str = "Negotiate",
        admin: bool = False,
        terminal: int = 0,
    ) -> Session:
        """4624 (and 4672 for an administrator) of a new session."""
        session = self.session(user, terminal)
        port = str(self.rng.randrange(49152, 65535)) if ip != "-" else "-"
        caller = self.standing(host, _LOGON_CALLERS.get(logon_type, "services")).pid
        self.add(
            logon(
                host,
                t,
                session,
                logon_type,
                ip=ip,
                port=port,
                workstation=workstation,
                package=package,
                elevated=admin,
                caller_pid=caller,
            )
        )
        if admin:
            self.add(special_privileges(host, t + 3, session))
        return session

    def spawn(
        self,
        host: Host,
        t: int,
        parent: Process,
        image: str,
        command_line: str,
        *,
        session: Session | None = None,
        creator: Session | None = None,
        integrity: str | None = None,
        elevation: str | None = None,
        pid: int | None = None,
    ) -> Process:
        """A new process, logged by whichever of 4688 and Sysmon 1 the host keeps. `pid`
        reuses a PID on purpose (it must have ended)."""
        own = session or parent.session
        proc = Process(
            pid or self.pid(host),
            image,
            command_line,
            self.guid(),
            own,
            integrity or parent.integrity,
            elevation or parent.elevation,
            parent.current_directory,
        )
        if host.process_audit:
            self.add(process_created(host, t, proc, parent, creator))
        if host.sysmon:
            self.add(sysmon_process_created(host, t, proc, parent))
        self.parents[proc.guid] = parent
        return proc

    def lineage(self, proc: Process) -> tuple[str, ...]:
        """The images of a process's ancestors, nearest first, as the telemetry shows them:
        up to the first one running since boot (known only by the name its child logged)."""
        images = []
        while (parent := self.parents.get(proc.guid)) is not None:
            images.append(parent.image)
            if parent.guid not in self.parents:
                break
            proc = parent
        return tuple(images)

    def exit(self, host: Host, t: int, *procs: Process) -> int:
        """Processes end one after the other (children first); returns the last time."""
        for proc in procs:
            t += self.ms(1, 20)
            if host.process_audit:
                self.add(process_exited(host, t, proc))
            if host.sysmon:
                self.add(sysmon_process_terminated(host, t, proc))
        return t

    def net(self, host: Host, t: int, shell: Process, args: str) -> tuple[int, Process, Process]:
        """`net ARGS` typed in cmd: net.exe starts net1.exe, which acts ~15 ms later."""
        net = self.spawn(host, t, shell, NET, f"net  {args}")
        t += self.ms(4, 9)
        net1 = self.spawn(host, t, net, NET1, f"C:\\Windows\\system32\\net1  {args}")
        return t + self.ms(14, 17), net, net1

    def create_local(
        self, host: Host, t: int, subject: Session, account: Account, *, password: bool
    ) -> int:
        """4720 with the SAM's automatic None/Users adds, then 4722, [4724,] 4738."""
        self.add(
            user_created(host, t, subject, account),
            member_added(host, t, subject, account, none_group(host)),
            member_added(host, t, subject, account, USERS),
        )
        t += self.ms(1, 3)
        self.add(user_enabled(host, t, subject, account))
        if password:
            t += self.ms(1, 3)
            self.add(password_reset(host, t, subject, account))
        t += self.ms(1, 3)
        self.add(
            user_changed(
                host, t, subject, account, old_uac=0x15, new_uac=0x10 if password else 0x14
            )
        )
        return t

    def create_domain(
        self,
        host: Host,
        t: int,
        subject: Session,
        account: Account,
        *,
        display_name: str = "%%1793",
    ) -> int:
        """4720 on the DC; Domain Users comes from primaryGroupID, so no 4728 is logged."""
        upn = f"{account.name}@{DOMAIN_DNS}"
        self.add(user_created(host, t, subject, account, upn=upn, display_name=display_name))
        for event in (password_reset, user_enabled):
            t += self.ms(5, 30)
            self.add(event(host, t, subject, account))
        t += self.ms(5, 30)
        self.add(user_changed(host, t, subject, account, old_uac=0x15, new_uac=0x10))
        return t

    def delete_local(
        self, host: Host, t: int, subject: Session, account: Account, groups: tuple[Group, ...]
    ) -> int:
        """The SAM removes the account from its local groups, then logs 4726."""
        for group in groups:
            self.add(member_removed(host, t, subject, account, group))
        t += self.ms(1, 3)
        self.add(user_deleted(host, t, subject, account))
        return t

    def desktop(self, host: Host, t: int, session: Session, integrity: str) -> Process:
        """userinit.exe then explorer.exe of a new interactive session."""
        winlogon = self.standing(host, "winlogon")
        userinit = self.spawn(
            host,
            t,
            winlogon,
            SYSTEM32 + "userinit.exe",
            "C:\\Windows\\system32\\userinit.exe",
            session=session,
            creator=winlogon.session,
            integrity=integrity,
            elevation=ELEVATION_DEFAULT,
        )
        explorer = self.spawn(
            host, t + self.ms(300, 900), userinit, EXPLORER, "C:\\Windows\\Explorer.EXE"
        )
        self.exit(host, t + 2 * _SECOND, userinit)
        return explorer


# --- the seven stories ------------------------------------------------------------------


def _windows_setup(s: StoryBuilder) -> None:
    """g. OOBE's defaultuser0 on WS02: SYSTEM, no process around it, deleted 20 min later."""
    host, system = WS02, system_session(WS02)
    t = s.at(5)
    s.quiet.append((host, t - 5 * _MINUTE, t + 25 * _MINUTE))
    s.create_local(host, t, system, DEFAULTUSER0, password=True)
    s.delete_local(host, t + 20 * _MINUTE, system, DEFAULTUSER0, (USERS,))


def _provisioning(s: StoryBuilder) -> None:
    """a. A scheduled task on DC01 runs New-Hire.ps1 as svc-provision: jdoe, then Sales."""
    host = DC01
    t = s.at(30)
    session = s.log_on(host, t, SVC_PROVISION, 4)
    task = s.standing(host, "schedule")
    script = s.spawn(
        host,
        t + s.ms(200, 400),
        task,
        POWERSHELL,
        "powershell.exe -File C:\\Provisioning\\New-Hire.ps1",
        session=session,
        creator=task.session,
        integrity="Medium",
        elevation=ELEVATION_DEFAULT,
    )
    t += 2 * _SECOND
    child = s.spawn(
        host, t, script, POWERSHELL, f'"{POWERSHELL}" -NoProfile -Command "{NEW_AD_USER}"'
    )
    t += s.ms(1500, 2000)
    t = s.create_domain(host, t, session, JDOE)
    t += s.ms(600, 900)
    s.add(member_added(host, t, session, JDOE, SALES))
    t = s.exit(host, t + s.ms(200, 400), child, script)
    s.add(logoff(host, t + _SECOND, session, 4))


def _helpdesk(s: StoryBuilder) -> None:
    """b. helpdesk1 RDPs from WS01 to DC01 and creates asmith in Users and Computers."""
    host = DC01
    t = s.at(73)
    session = s.log_on(host, t, HELPDESK1, 10, ip=WS01.ip, workstation=WS01.netbios, terminal=2)
    explorer = s.desktop(host, t + 2 * _SECOND, session, "Medium")
    mmc = s.spawn(
        host, t + 70 * _SECOND, explorer, MMC, f'"{MMC}" "C:\\Windows\\system32\\dsa.msc"'
    )
    t = s.create_domain(host, t + 2 * _MINUTE, session, ASMITH, display_name="Anna Smith")
    t = s.exit(host, t + 3 * _MINUTE, mmc, explorer)
    s.add(logoff(host, t + _SECOND, session, 10))


def _alice(s: StoryBuilder) -> None:
    """c + f. alice, admin, PsExecs from WS02 into WS01 and opens a cmd in her network session.

    c: `backdoor`, added to Administrators, used for a network logon 45 minutes later.
    f: hidden `adm1n$` from the same cmd, added to Administrators, deleted 5 minutes later.
    """
    host = WS01
    t = s.at(130)
    # On her own workstation WS02, PsExec connects to WS01's SMB port just before the logon.
    desk = s.log_on(WS02, t - 25 * _MINUTE, ALICE, 2, admin=True, terminal=2)
    explorer = s.desktop(WS02, t - 25 * _MINUTE + 2 * _SECOND, desk, "High")
    psexec = s.spawn(
        WS02,
        t - 3 * _SECOND,
        explorer,
        PSEXEC,
        f"PsExec.exe \\\\{host.netbios} -accepteula cmd.exe",
    )
    s.add(sysmon_network(WS02, t - 2 * _SECOND, psexec, host.ip, 445))
    session = s.log_on(
        host, t, ALICE, 3, ip=WS02.ip, workstation=WS02.netbios, package="NTLM", admin=True
    )
    services = s.standing(host, "services")
    psexesvc = s.spawn(host, t + s.ms(600, 900), services, PSEXESVC, PSEXESVC)
    shell = s.spawn(
        host,
        t + _SECOND,
        psexesvc,
        CMD,
        '"cmd.exe"',
        session=session,
        creator=psexesvc.session,
        integrity="High",
    )

    t += 9 * _SECOND
    t, net, net1 = s.net(host, t, shell, "user backdoor P@ssw0rd123 /add")
    t = s.exit(host, s.create_local(host, t, session, BACKDOOR, password=True), net1, net)
    t += 14 * _SECOND
    t, net, net1 = s.net(host, t, shell, "localgroup administrators backdoor /add")
    s.add(member_added(host, t, session, BACKDOOR, ADMINISTRATORS))
    s.exit(host, t, net1, net)

    t = s.at(142)
    t, net, net1 = s.net(host, t, shell, "user adm1n$ Hidd3n!Pass /add")
    t = s.exit(host, s.create_local(host, t, session, HIDDEN, password=True), net1, net)
    t += 11 * _SECOND
    t, net, net1 = s.net(host, t, shell, "localgroup administrators adm1n$ /add")
    s.add(member_added(host, t, session, HIDDEN, ADMINISTRATORS))
    s.exit(host, t, net1, net)

    t = s.at(147)
    t, net, net1 = s.net(host, t, shell, "user adm1n$ /delete")
    t = s.delete_local(host, t, session, HIDDEN, (ADMINISTRATORS, USERS))
    s.exit(host, t, net1, net)

    t = s.exit(host, s.at(150), shell, psexesvc)
    s.add(logoff(host, t + _SECOND, session, 3))

    t = s.at(175)
    used = s.log_on(
        host, t, BACKDOOR, 3, ip=WS02.ip, workstation=WS02.netbios, package="NTLM", admin=True
    )
    s.add(logoff(host, t + 30 * _SECOND, used, 3))


def _macro(s: StoryBuilder) -> None:
    """d. A macro in bob's Word on SRV01 runs hidden encoded PowerShell: support_tmp.

    SRV01 keeps only Sysmon, so the process chain is visible there and nowhere else.
    """
    host = SRV01
    t = s.at(195)
    session = s.log_on(
        host, t, BOB, 10, ip=WS02.ip, workstation=WS02.netbios, admin=True, terminal=3
    )
    explorer = s.desktop(host, t + 2 * _SECOND, session, "High")
    word = s.spawn(
        host,
        t + 5 * _MINUTE,
        explorer,
        WINWORD,
        f'"{WINWORD}" /n "C:\\Users\\bob\\Downloads\\Invoice_0324.docm" /o ""',
    )

    def powershell(when: int, script: str) -> Process:
        return s.spawn(
            host, when, word, POWERSHELL, f"powershell.exe -NoP -W Hidden -enc {_encoded(script)}"
        )

    t += 10 * _MINUTE
    create = powershell(t, NEW_LOCAL_USER)
    t = s.create_local(host, t + s.ms(900, 1400), session, SUPPORT_TMP, password=False)
    s.exit(host, t, create)
    t += 4 * _SECOND
    add = powershell(t, ADD_RDP_MEMBER)
    t += s.ms(700, 1100)
    s.add(member_added(host, t, session, SUPPORT_TMP, REMOTE_DESKTOP_USERS))
    s.exit(host, t, add)
    t += 2 * _MINUTE
    never = powershell(t, SET_NEVER_EXPIRES)
    t += s.ms(700, 1100)
    s.add(user_changed(host, t, session, SUPPORT_TMP, old_uac=0x14, new_uac=0x210))
    t = s.exit(host, t + 8 * _MINUTE, never, word, explorer)
    s.add(logoff(host, t + _SECOND, session, 10))


def _system_service(s: StoryBuilder) -> None:
    """e. A malicious service on WS02 runs `cmd /c net user` as SYSTEM: svc_update."""
    host, system = WS02, system_session(WS02)
    t = s.at(260)
    # alice installs it remotely from WS01 with sc.exe, over RPC to the service manager.
    command = "cmd.exe /c net user svc_update Passw0rd! /add"
    desk = s.log_on(WS01, t - 30 * _MINUTE, ALICE, 2, admin=True, terminal=3)
    explorer = s.desktop(WS01, t - 30 * _MINUTE + 2 * _SECOND, desk, "High")
    sc = s.spawn(
        WS01,
        t - 4 * _SECOND,
        explorer,
        SYSTEM32 + "sc.exe",
        f'sc.exe \\\\{host.netbios} create updsvc binPath= "%COMSPEC% /c net user '
        'svc_update Passw0rd! /add"',
    )
    s.add(sysmon_network(WS01, t - 3 * _SECOND, sc, host.ip, 135))
    installer = s.log_on(
        host,
        t - 2 * _SECOND,
        ALICE,
        3,
        ip=WS01.ip,
        workstation=WS01.netbios,
        package="Kerberos",
        admin=True,
    )
    image_path = "%COMSPEC% /c net user svc_update Passw0rd! /add"
    s.add(
        service_install_audited(host, t - _SECOND, installer, "updsvc", image_path),
        service_installed(host, t - _SECOND + 5, "updsvc", image_path),
    )
    services = s.standing(host, "services")
    shell = s.spawn(host, t, services, CMD, command)
    t, net, net1 = s.net(host, t + s.ms(20, 40), shell, "user svc_update Passw0rd! /add")
    t = s.create_local(host, t, system, SVC_UPDATE, password=True)
    s.exit(host, t, net1, net, shell)


_HOST_OF_COMPUTER = {f"{host.netbios}$": host for host in (SRV01, WS01, WS02)}

# --- what happens around them -----------------------------------------------------------

_SYSTEM_ACCOUNT = Account("SYSTEM", "NT AUTHORITY", "S-1-5-18")
_COMPUTERS = tuple(
    Account(f"{host.netbios}$", DOMAIN, f"{DOMAIN_SID}-{1201 + i}")
    for i, host in enumerate((SRV01, WS01, WS02))
)
_NOISE_HOURS = 9


def _background(s: StoryBuilder) -> None:
    """The users already at work: their sessions own the ordinary processes of the noise."""
    for host, user, minute in ((WS01, CAROL, 1), (WS02, DAVE, 40)):
        t = s.at(minute)
        session = s.log_on(host, t, user, 2, terminal=1)
        explorer = s.desktop(host, t + _SECOND, session, "Medium")
        s.background.append((host, t + 2 * _SECOND, session, explorer))
    s.log_on(SRV01, s.at(3), SVC_BACKUP, 4)


def _is_quiet(s: StoryBuilder, host: Host, t: int) -> bool:
    return any(h == host and start <= t <= end for h, start, end in s.quiet)


def _noise_process(s: StoryBuilder, host: Host, t: int) -> None:
    if _is_quiet(s, host, t):
        return
    users = [
        (session, explorer)
        for h, since, session, explorer in s.background
        if h == host and since < t
    ]
    if users and s.rng.random() < 0.6:
        _, parent = s.rng.choice(users)
        image, command_line = s.rng.choice(_USER_PROGRAMS)
    else:
        parent = s.standing(host, "services")
        image, command_line = s.rng.choice(_SYSTEM_PROGRAMS)
    proc = s.spawn(host, t, parent, image, command_line)
    end = t + s.rng.randrange(_SECOND, 10 * _MINUTE)
    if not _is_quiet(s, host, end):
        s.exit(host, end, proc)


def _noise_network_logon(s: StoryBuilder, t: int) -> None:
    host = s.rng.choice((DC01, SRV01))
    user = s.rng.choice((CAROL, DAVE, ERIN, FRANK, *_COMPUTERS))
    source = s.rng.choice((WS01, WS02, SRV01))
    source = _HOST_OF_COMPUTER.get(user.name, source)  # a machine logs on from its own address
    session = s.log_on(host, t, user, 3, ip=source.ip, package="Kerberos")
    s.add(logoff(host, t + s.rng.randrange(_SECOND, _MINUTE), session, 3))


def _noise_service_logon(s: StoryBuilder, t: int) -> None:
    host = s.rng.choice(HOSTS)
    system = Session(_SYSTEM_ACCOUNT, "0x3e7")
    s.add(
        logon(host, t, system, 5, caller_pid=s.standing(host, "services").pid),
        special_privileges(host, t + 2, system, SYSTEM_PRIVILEGES),
    )


def _noise_other(s: StoryBuilder, t: int) -> None:
    """Event ids acctrace never needs: they must be read past, not mistaken for anything."""
    host = s.rng.choice(HOSTS)
    if _is_quiet(s, host, t):
        return
    proc = s.standing(host, "schedule")
    kinds = ["4656", "5156"] + (["3", "11"] if host.sysmon else [])
    kind = s.rng.choice(kinds)
    if kind == "4656":
        s.add(handle_requested(host, t, proc, "C:\\ProgramData\\Microsoft\\Network\\netcfg.dat"))
    elif kind == "5156":
        s.add(connection_permitted(host, t, proc, DC01.ip, 135))
    elif kind == "3":
        s.add(sysmon_network(host, t, proc, "52.109.8.20", 443))
    else:
        s.add(sysmon_file_created(host, t, proc, "C:\\Windows\\Temp\\MpCmdRun.log"))


def _noise(s: StoryBuilder, count: int) -> None:
    """Exactly `count` unrelated events over the day (the last episode may be cut short)."""
    first = len(s.events)
    while len(s.events) - first < count:
        t = s.start + s.rng.randrange(_NOISE_HOURS * 60 * _MINUTE)
        kind = s.rng.choices(("process", "network", "service", "other"), (5, 3, 1, 2))[0]
        if kind == "process":
            _noise_process(s, s.rng.choice(HOSTS), t)
        elif kind == "network":
            _noise_network_logon(s, t)
        elif kind == "service":
            _noise_service_logon(s, t)
        else:
            _noise_other(s, t)
    del s.events[first + count :]


def _microseconds(when: datetime) -> int:
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


def generate(seed: int = 7, start: datetime | None = None, noise: int = 200) -> list[Event]:
    """The whole day in time order, record ids set; the same arguments give the same events.

    A naive `start` is taken as UTC.
    """
    s = StoryBuilder(random.Random(seed), _microseconds(start or DEFAULT_START))
    _background(s)
    for story in (_windows_setup, _provisioning, _helpdesk, _alice, _macro, _system_service):
        story(s)
    _noise(s, noise)
    return number_records(s.events)
