"""Event-model tables for timing the correlation alone, generated directly (no parsing).

Shaped like a month of a mid-sized domain: hosts with logon sessions of many users, each
session running a few processes whose parents are earlier processes of the session (so
ancestry walks have depth), PIDs drawn from Windows' small PID space (so they are reused, as
in life), and every account creation made by `net1.exe` <- `net.exe` <- `cmd.exe` in an
admin session, followed by an enable (4722) and a group membership (4732). Tables follow
acctrace.normalise.model.SCHEMAS exactly and are saved as Arrow IPC files.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from acctrace.normalise.model import SCHEMAS

START_US = 1_709_251_200_000_000  # 2024-03-01T00:00:00Z
SPAN_US = 30 * 86_400 * 1_000_000
SECOND = 1_000_000
DOMAIN_SID = "S-1-5-21-4444444444-5555555555-6666666666"
IMAGES = [
    "C:\\Windows\\System32\\svchost.exe",
    "C:\\Windows\\System32\\conhost.exe",
    "C:\\Windows\\System32\\RuntimeBroker.exe",
    "C:\\Windows\\System32\\taskhostw.exe",
    "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
    "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
    "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
    "C:\\Windows\\System32\\cmd.exe",
    "C:\\Windows\\System32\\whoami.exe",
    "C:\\Windows\\System32\\ipconfig.exe",
    "C:\\Windows\\System32\\notepad.exe",
    "C:\\Windows\\System32\\msiexec.exe",
    "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
    "C:\\Windows\\System32\\SearchProtocolHost.exe",
    "C:\\Windows\\System32\\backgroundTaskHost.exe",
]
CMD, NET, NET1 = (f"C:\\Windows\\System32\\{n}" for n in ("cmd.exe", "net.exe", "net1.exe"))
EXPLORER = "C:\\Windows\\explorer.exe"


@dataclass(frozen=True)
class Tables:
    folder: Path
    rows: dict[str, int]


class _Rows:
    """Column lists for one table; the common columns are filled by `add`."""

    def __init__(self, kind: str, channel: str, event_id: int):
        self.kind, self.channel, self.event_id = kind, channel, event_id
        self.columns: dict[str, list[Any]] = {name: [] for name in SCHEMAS[kind].names}
        self.count = 0

    def add(self, host: int, time_us: int, **own: Any) -> None:
        self.count += 1
        record = self.count
        name = f"host{host:04d}"
        common = {
            "event_key": f"{name}|{self.channel.lower()}|{self.event_id}|{record}",
            "host": name,
            "host_name": f"HOST{host:04d}.corp.example",
            "time_us": time_us,
            "record_id": record,
            "event_id": self.event_id,
            "channel": self.channel,
            "file": f"triage/{name}/Security.evtx",
            "sha256": f"{host:064x}",
        }
        for column, values in self.columns.items():
            values.append(common[column] if column in common else own.get(column))

    def table(self) -> pa.Table:
        return pa.table(self.columns, schema=SCHEMAS[self.kind])


def _user(u: int) -> dict[str, str]:
    return {"sid": f"{DOMAIN_SID}-{1000 + u}", "name": f"user{u:05d}", "domain": "CORP"}


def generate(processes: int, logons: int, creations: int, seed: int = 6) -> dict[str, pa.Table]:
    """All event-model tables; `processes` counts 4688 rows, creations' chains included."""
    rng = random.Random(seed)
    hosts = max(4, creations // 200)
    users = max(10, logons // 50)
    logon = _Rows("logon", "Security", 4624)
    sessions = []  # (host, logon id, user, time)
    for i in range(logons):
        host, user, t = i % hosts, rng.randrange(users), START_US + rng.randrange(SPAN_US)
        kind = rng.choice((2, 3, 3, 3, 5, 10))
        logon_id = f"0x{0x100000 + i * 7:x}"
        u = _user(user)
        remote = kind in (3, 10)
        logon.add(
            host,
            t,
            logon_id=logon_id,
            user_sid=u["sid"],
            user_name=u["name"],
            user_domain=u["domain"],
            logon_type=kind,
            source_ip=f"10.{i % 250}.{i // 250 % 250}.{i % 7 + 1}" if remote else "-",
            source_port=rng.randrange(49152, 65535) if remote else None,
            workstation=f"HOST{rng.randrange(hosts):04d}" if remote else "-",
            auth_package="Kerberos",
            logon_process="User32",
            elevated=kind == 2,
        )
        sessions.append((host, logon_id, user, t))

    process = _Rows("process", "Security", 4688)
    process_end = _Rows("process_end", "Security", 4689)
    privilege = _Rows("privilege", "Security", 4672)
    creation = _Rows("creation", "Security", 4720)
    change = _Rows("account_change", "Security", 4722)
    group = _Rows("account_change", "Security", 4732)
    group.count = 10**9  # its own record ids: another event id, the same table

    def proc(
        host: int,
        t: int,
        session: tuple,
        pid: int,
        parent: tuple[int, str],
        image: str,
        command_line: str,
    ) -> tuple[int, str]:
        u = _user(session[2])
        process.add(
            host,
            t,
            pid=pid,
            parent_pid=parent[0],
            logon_id=session[1],
            image=image,
            command_line=command_line,
            parent_image=parent[1],
            user_sid=u["sid"],
            user_name=u["name"],
            user_domain=u["domain"],
            integrity="High",
            telemetry="security-4688",
        )
        return pid, image

    def pid() -> int:
        return rng.randrange(1, 16384) * 4

    for c in range(min(creations, logons)):  # the creators' sessions are the first ones
        host, logon_id, user, t0 = sessions[c]
        t = t0 + rng.randrange(60, 3600) * SECOND
        session, u = sessions[c], _user(user)
        privilege.add(
            host,
            t0,
            logon_id=logon_id,
            user_sid=u["sid"],
            privileges="SeSecurityPrivilege SeBackupPrivilege",
        )
        shell = proc(
            host,
            t0 + 2 * SECOND,
            session,
            pid(),
            (pid(), "C:\\Windows\\System32\\userinit.exe"),
            EXPLORER,
            "C:\\Windows\\Explorer.EXE",
        )
        cmd = proc(host, t - 30 * SECOND, session, pid(), shell, CMD, "cmd.exe")
        net = proc(host, t - 20_000, session, pid(), cmd, NET, f"net user new{c:05d} /add")
        proc(
            host,
            t - 16_000,
            session,
            pid(),
            net,
            NET1,
            f"C:\\Windows\\system32\\net1 user new{c:05d} /add",
        )
        sid = f"{DOMAIN_SID}-{200_000 + c}"
        actor = {
            "actor_sid": u["sid"],
            "actor_name": u["name"],
            "actor_domain": "CORP",
            "actor_logon_id": logon_id,
        }
        creation.add(
            host,
            t,
            account_sid=sid,
            account_name=f"new{c:05d}",
            account_domain="CORP",
            sam_account_name=f"new{c:05d}",
            display_name="%%1793",
            user_principal_name="-",
            creator_sid=u["sid"],
            creator_name=u["name"],
            creator_domain="CORP",
            creator_logon_id=logon_id,
            new_uac="0x15",
            primary_group_id="513",
        )
        change.add(host, t + SECOND, account_sid=sid, account_name=f"new{c:05d}", **actor)
        group.add(
            host,
            t + 2 * SECOND,
            account_sid=sid,
            group_sid="S-1-5-32-545",
            group_name="Users",
            group_domain="Builtin",
            **actor,
        )

    background = max(0, processes - process.count)
    running: dict[int, list[tuple[int, str, int]]] = defaultdict(list)  # session -> processes
    for _ in range(background):
        s = rng.randrange(logons)
        host, _logon, _user_index, t0 = sessions[s]
        earlier = running[s]
        t = (earlier[-1][2] if earlier else t0) + rng.randrange(1, 600) * SECOND
        parent = earlier[rng.randrange(len(earlier))][:2] if earlier else (pid(), EXPLORER)
        image = rng.choice(IMAGES)
        new = proc(host, t, sessions[s], pid(), parent, image, image.rsplit("\\", 1)[1])
        earlier.append((*new, t))
        if rng.random() < 0.1:
            process_end.add(host, t + rng.randrange(1, 300) * SECOND, pid=new[0], image=image)

    made = {
        "logon": logon,
        "process": process,
        "process_end": process_end,
        "privilege": privilege,
        "creation": creation,
    }
    tables = {kind: rows.table() for kind, rows in made.items()}
    tables["account_change"] = pa.concat_tables([change.table(), group.table()])
    for kind, schema in SCHEMAS.items():
        tables.setdefault(kind, schema.empty_table())
    return tables


def save(folder: Path, tables: dict[str, pa.Table]) -> Tables:
    folder.mkdir(parents=True, exist_ok=True)
    for kind, table in tables.items():
        with (
            pa.OSFile(str(folder / f"{kind}.arrow"), "wb") as sink,
            pa.ipc.new_file(sink, table.schema) as writer,
        ):
            writer.write_table(table)
    return Tables(folder, {kind: t.num_rows for kind, t in tables.items()})


def load(folder: Path) -> dict[str, pa.Table]:
    tables = {}
    for kind in SCHEMAS:
        with pa.memory_map(str(folder / f"{kind}.arrow")) as source:
            tables[kind] = pa.ipc.open_file(source).read_all()
    return tables
