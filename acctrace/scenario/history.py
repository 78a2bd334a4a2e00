"""Weeks of routine provisioning, then an intrusion: the history `acctrace baseline` learns from.

Routine: every weekday, one to three new hires. The help desk (`CORP\\helpdesk1`, whose
provisioning role holds admin privileges on the DC) works in the identity-management
console on IDM01; its PowerShell opens a remoting session to DC01, where `New-ADUser`
runs in `wsmprovhost.exe` inside a network logon from IDM01 and creates `first.last`.
DC01 keeps Security 4688 only; IDM01 keeps Sysmon and 4688.

Intrusion (the night after the last routine day): the help desk's stolen credentials are
used over RDP from WS07 into DC01; `cmd` -> `net` creates the hidden `svc-sql$`, adds it to
Domain Admins, then creates `tmp1`..`tmp4` within minutes (a burst).
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

from acctrace.scenario.events import (
    ELEVATION_DEFAULT,
    Account,
    Event,
    Group,
    Host,
    Process,
    Session,
    logoff,
    logon,
    member_added,
    number_records,
    password_reset,
    process_created,
    process_exited,
    special_privileges,
    sysmon_network,
    sysmon_process_created,
    system_session,
    user_changed,
    user_created,
    user_enabled,
)

DOMAIN, DOMAIN_DNS = "CORP", "corp.local"
DOMAIN_SID = "S-1-5-21-4444444444-5555555555-6666666666"
START = datetime(2024, 1, 8, tzinfo=UTC)  # a Monday
DC01 = Host("DC01.corp.local", "10.1.0.10", DOMAIN_SID, sysmon=False)
IDM01 = Host("IDM01.corp.local", "10.1.0.30", "S-1-5-21-1010101010-2020202020-3030303030")
WS07 = Host("WS07.corp.local", "10.1.0.107", "S-1-5-21-7070707070-8080808080-9090909090")
HELPDESK = Account("helpdesk1", DOMAIN, f"{DOMAIN_SID}-1109", "CN=helpdesk1,OU=IT,DC=corp,DC=local")
ROUTINE_CREATOR = f"{DOMAIN}\\{HELPDESK.name}"
DOMAIN_ADMINS = Group("Domain Admins", DOMAIN, f"{DOMAIN_SID}-512", "global")
INTRUSION_ACCOUNTS = ("svc-sql$", "tmp1", "tmp2", "tmp3", "tmp4")

_SYS32 = "C:\\Windows\\System32\\"
POWERSHELL = _SYS32 + "WindowsPowerShell\\v1.0\\powershell.exe"
WSMPROVHOST = _SYS32 + "wsmprovhost.exe"
SVCHOST = _SYS32 + "svchost.exe"
IDM_CONSOLE = "C:\\Program Files\\IdM\\IdmConsole.exe"
_FIRST = ("anna", "ben", "chloe", "david", "emma", "felix", "grace", "henry", "iris", "jonas")
_LAST = ("smith", "meyer", "garcia", "novak", "rossi", "martin", "kowalski", "jensen", "silva")
_SECOND, _MS = 1_000_000, 1000


class _Ids:
    """Unique PIDs, logon ids and GUIDs from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[object] = set()
        self.rid = 2000

    def pid(self) -> int:
        while (pid := self.rng.randrange(400, 60000, 4)) in self.used:
            pass
        self.used.add(pid)
        return pid

    def guid(self) -> str:
        return "{" + str(uuid.UUID(int=self.rng.getrandbits(128), version=4)) + "}"

    def session(self, user: Account) -> Session:
        while (lid := hex(self.rng.randrange(0x100000, 0x8000000))) in self.used:
            pass
        self.used.add(lid)
        return Session(user, lid, 0, self.guid())

    def account(self, name: str) -> Account:
        self.rid += 1
        return Account(
            name, DOMAIN, f"{DOMAIN_SID}-{self.rid}", f"CN={name},OU=Staff,DC=corp,DC=local"
        )


def _us(when: datetime) -> int:
    return (when - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


def _standing(ids: _Ids, host: Host, image: str, command_line: str) -> Process:
    return Process(ids.pid(), image, command_line, ids.guid(), system_session(host), "System")


def _create_domain_user(
    t: int, session: Session, account: Account, display: str = "%%1793"
) -> list[Event]:
    upn = f"{account.name}@{DOMAIN_DNS}"
    return [
        user_created(DC01, t, session, account, upn=upn, display_name=display),
        password_reset(DC01, t + 12 * _MS, session, account),
        user_enabled(DC01, t + 25 * _MS, session, account),
        user_changed(DC01, t + 40 * _MS, session, account, old_uac=0x15, new_uac=0x10),
    ]


def _routine_creation(ids: _Ids, t: int, desktop: Session, name: str) -> list[Event]:
    """IDM01 PowerShell -> WinRM -> DC01 wsmprovhost.exe -> New-ADUser NAME."""
    console = Process(ids.pid(), IDM_CONSOLE, f'"{IDM_CONSOLE}"', ids.guid(), desktop, "Medium")
    script = (
        f"Invoke-Command -ComputerName DC01 -ScriptBlock {{ New-ADUser -Name {name} "
        f"-Path 'OU=Staff,DC=corp,DC=local' }}"
    )
    shell = Process(
        ids.pid(),
        POWERSHELL,
        f'"{POWERSHELL}" -NoProfile -Command "{script}"',
        ids.guid(),
        desktop,
        "Medium",
    )
    events = [
        process_created(IDM01, t, shell, console),
        sysmon_process_created(IDM01, t, shell, console),
        sysmon_network(IDM01, t + 300 * _MS, shell, DC01.ip, 5985),
    ]
    remote = ids.session(HELPDESK)
    t += 400 * _MS
    events += [
        logon(
            DC01,
            t,
            remote,
            3,
            ip=IDM01.ip,
            port=str(ids.rng.randrange(49152, 65535)),
            workstation=IDM01.netbios,
            package="Kerberos",
        ),
        special_privileges(DC01, t + 3, remote),
    ]
    dcom = _standing(ids, DC01, SVCHOST, "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p")
    host_proc = Process(
        ids.pid(),
        WSMPROVHOST,
        "C:\\Windows\\system32\\wsmprovhost.exe -Embedding",
        ids.guid(),
        remote,
        "High",
        ELEVATION_DEFAULT,
    )
    events.append(process_created(DC01, t + 150 * _MS, host_proc, dcom, creator=dcom.session))
    account = ids.account(name)
    display = " ".join(part.title() for part in name.split("."))
    events += _create_domain_user(t + 1500 * _MS, remote, account, display)
    events += [
        process_exited(DC01, t + 3 * _SECOND, host_proc),
        logoff(DC01, t + 4 * _SECOND, remote, 3),
    ]
    return events


def routine(seed: int = 11, weeks: int = 4, start: datetime = START) -> list[Event]:
    """The help desk's provisioning over `weeks` weeks of weekdays, record ids set."""
    rng = random.Random(seed)
    ids = _Ids(rng)
    events: list[Event] = []
    used: set[str] = set()
    for day in range(weeks * 7):
        date = start + timedelta(days=day)
        if date.weekday() >= 5:
            continue
        morning = _us(date + timedelta(hours=8, minutes=rng.randrange(30)))
        desktop = ids.session(HELPDESK)
        events.append(logon(IDM01, morning, desktop, 2, elevated=False))
        for _ in range(rng.randint(1, 3)):
            while (name := f"{rng.choice(_FIRST)}.{rng.choice(_LAST)}") in used:
                pass
            used.add(name)
            t = _us(date + timedelta(hours=rng.randrange(9, 17), minutes=rng.randrange(60)))
            events += _routine_creation(ids, t, desktop, name)
    return number_records(events)


def intrusion(seed: int = 11, when: datetime | None = None, weeks: int = 4) -> list[Event]:
    """RDP into DC01 with the help desk's credentials at night; net.exe creates five accounts."""
    rng = random.Random(seed + 1)
    ids = _Ids(rng)
    t = _us(when or START + timedelta(days=weeks * 7 - 2, hours=2, minutes=13))
    session = ids.session(HELPDESK)
    events = [
        logon(DC01, t, session, 10, ip=WS07.ip, port="50112", workstation=WS07.netbios),
        special_privileges(DC01, t + 3, session),
    ]
    winlogon = _standing(ids, DC01, _SYS32 + "winlogon.exe", "winlogon.exe")
    explorer = Process(
        ids.pid(),
        "C:\\Windows\\explorer.exe",
        "C:\\Windows\\Explorer.EXE",
        ids.guid(),
        session,
        "High",
    )
    events.append(process_created(DC01, t + _SECOND, explorer, winlogon, creator=winlogon.session))
    cmd = Process(
        ids.pid(),
        _SYS32 + "cmd.exe",
        '"C:\\Windows\\system32\\cmd.exe"',
        ids.guid(),
        session,
        "High",
    )
    events.append(process_created(DC01, t + 20 * _SECOND, cmd, explorer))
    t += 60 * _SECOND
    for i, name in enumerate(INTRUSION_ACCOUNTS):
        args = f"user {name} Winter2024! /add /domain"
        net = Process(ids.pid(), _SYS32 + "net.exe", f"net  {args}", ids.guid(), session, "High")
        net1 = Process(
            ids.pid(),
            _SYS32 + "net1.exe",
            f"C:\\Windows\\system32\\net1  {args}",
            ids.guid(),
            session,
            "High",
        )
        account = ids.account(name)
        events += [
            process_created(DC01, t, net, cmd),
            process_created(DC01, t + 6 * _MS, net1, net),
            *_create_domain_user(t + 21 * _MS, session, account),
        ]
        if i == 0:
            events.append(member_added(DC01, t + 20 * _SECOND, session, account, DOMAIN_ADMINS))
        events += [
            process_exited(DC01, t + 200 * _MS, net1),
            process_exited(DC01, t + 210 * _MS, net),
        ]
        t += 40 * _SECOND
    return number_records(events)
