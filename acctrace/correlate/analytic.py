"""The AN1604 joins, as portable Ibis expressions.

Every function is pure: Ibis tables in, an Ibis table out, no I/O. Only constructs that
run identically on DuckDB and Spark are used: equi/range joins, `row_number()` windows and
unions; no ASOF joins (Spark has none) and no recursive CTEs (Ibis has none), so ancestry
is walked one parent level per query (`parents`).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from acctrace.correlate.window import Window


def _creation_keys(creations: ir.Table) -> ir.Table:
    return creations.select(
        creation_key=creations.event_key,
        c_host=creations.host,
        c_time=creations.time_us,
        c_logon=creations.creator_logon_id,
        c_account_sid=creations.account_sid,
    )


def _latest_per(table: ir.Table, key: str) -> ir.Table:
    """The most recent row (by time_us, then event_key) for each value of `key`."""
    rank = ibis.row_number().over(
        group_by=table[key], order_by=[ibis.desc(table.time_us), ibis.desc(table.event_key)]
    )
    return table.mutate(_rank=rank).filter(ibis._._rank == 0).drop("_rank")


def candidate_processes(
    creations: ir.Table, processes: ir.Table, process_ends: ir.Table, window: Window
) -> ir.Table:
    """Processes in the creator's logon session on the same host, alive at the creation.

    Never crosses sessions: a process in another logon session is not a candidate, however
    close in time.
    """
    c = _creation_keys(creations)
    joined = c.join(
        processes,
        [
            c.c_host == processes.host,
            c.c_logon == processes.logon_id,
            processes.time_us >= c.c_time - window.before_us,
            processes.time_us <= c.c_time + window.after_us,
        ],
    )
    ends = process_ends.select(
        e_host=process_ends.host, e_pid=process_ends.pid, e_time=process_ends.time_us
    )
    ended_before = joined.anti_join(
        ends,
        [
            joined.host == ends.e_host,
            joined.pid == ends.e_pid,
            ends.e_time >= joined.time_us,
            ends.e_time < joined.c_time - window.after_us,
        ],
    )
    return ended_before.drop("c_host", "c_logon", "c_account_sid")


def lineage_start(candidates: ir.Table) -> ir.Table:
    """The frontier for walking ancestry: one row per distinct candidate process."""
    return candidates.select(
        lineage_of=candidates.event_key,
        child_key=candidates.event_key,
        child_host=candidates.host,
        child_time=candidates.time_us,
        child_parent_pid=candidates.parent_pid,
        child_parent_guid=candidates.parent_process_guid,
        child_parent_image=candidates.parent_image,
        depth=ibis.literal(0),
    ).distinct()


def parents(frontier: ir.Table, processes: ir.Table, process_ends: ir.Table) -> ir.Table:
    """The parent process of every child in `frontier`, where telemetry has it.

    Sysmon children name their parent by ProcessGuid. Otherwise the parent is the most
    recent process with the parent PID on the same host that started before the child and
    had not ended by then (PIDs are reused); when the child logged its parent's image, the
    image must agree.
    """
    f, p = frontier, processes
    by_guid = f.join(p, [f.child_host == p.host, f.child_parent_guid == p.process_guid])
    by_pid = f.join(
        p,
        [
            f.child_host == p.host,
            f.child_parent_pid == p.pid,
            p.time_us <= f.child_time,
            p.event_key != f.child_key,
            f.child_parent_image.isnull() | (f.child_parent_image.lower() == p.image.lower()),
        ],
    )
    ends = process_ends.select(
        e_host=process_ends.host, e_pid=process_ends.pid, e_time=process_ends.time_us
    )
    by_pid = by_pid.anti_join(
        ends,
        [
            by_pid.host == ends.e_host,
            by_pid.pid == ends.e_pid,
            ends.e_time >= by_pid.time_us,
            ends.e_time < by_pid.child_time,
        ],
    )
    matches = by_guid.mutate(_by=0).union(by_pid.mutate(_by=1), distinct=False)
    rank = ibis.row_number().over(
        group_by=[matches.lineage_of, matches.child_key],
        order_by=[matches._by, ibis.desc(matches.time_us), matches.event_key],
    )
    best = matches.mutate(_rank=rank).filter(ibis._._rank == 0)
    return best.mutate(depth=best.depth + 1).drop("_rank", "_by")


def next_frontier(found: ir.Table) -> ir.Table:
    return found.select(
        lineage_of=found.lineage_of,
        child_key=found.event_key,
        child_host=found.host,
        child_time=found.time_us,
        child_parent_pid=found.parent_pid,
        child_parent_guid=found.parent_process_guid,
        child_parent_image=found.parent_image,
        depth=found.depth,
    )


def _session_rows(creations: ir.Table, table: ir.Table, window: Window) -> ir.Table:
    c = _creation_keys(creations)
    joined = c.join(
        table,
        [
            c.c_host == table.host,
            c.c_logon == table.logon_id,
            table.time_us <= c.c_time + window.after_us,
        ],
    )
    return _latest_per(joined, "creation_key").drop("c_host", "c_time", "c_logon", "c_account_sid")


def creator_sessions(creations: ir.Table, logons: ir.Table, window: Window) -> ir.Table:
    """The 4624 that opened the creator's logon session (its TargetLogonId) on that host."""
    return _session_rows(creations, logons, window)


def creator_privileges(creations: ir.Table, privileges: ir.Table, window: Window) -> ir.Table:
    """The 4672 (special privileges assigned) of the creator's logon session."""
    return _session_rows(creations, privileges, window)


_NO_STRING = ibis.null().cast("string")
_NO_INT = ibis.null().cast("int64")


def follow_ups(
    creations: ir.Table, account_changes: ir.Table, logons: ir.Table, window: Window
) -> ir.Table:
    """What happened to each new account after its creation, keyed by its SID.

    A SID names its machine or domain, so the same SID on another host (a domain account
    used elsewhere) is the same account.
    """
    c = _creation_keys(creations)
    ch = c.join(
        account_changes,
        [
            c.c_account_sid == account_changes.account_sid,
            account_changes.time_us >= c.c_time - window.after_us,
        ],
    )
    lg = c.join(
        logons, [c.c_account_sid == logons.user_sid, logons.time_us >= c.c_time - window.after_us]
    )

    def common(t: ir.Table, **extra: ir.Value) -> ir.Table:
        return t.select(
            "creation_key",
            "event_key",
            "event_id",
            "host",
            "host_name",
            "time_us",
            "record_id",
            "channel",
            "file",
            "sha256",
            **extra,
        )

    changes = common(
        ch,
        group_sid=ch.group_sid,
        group_name=ch.group_name,
        group_domain=ch.group_domain,
        actor_sid=ch.actor_sid,
        actor_name=ch.actor_name,
        actor_domain=ch.actor_domain,
        actor_logon_id=ch.actor_logon_id,
        old_name=ch.old_name,
        new_name=ch.new_name,
        new_uac=ch.new_uac,
        logon_type=_NO_INT,
        source_ip=_NO_STRING,
        workstation=_NO_STRING,
    )
    account_logons = common(
        lg,
        group_sid=_NO_STRING,
        group_name=_NO_STRING,
        group_domain=_NO_STRING,
        actor_sid=_NO_STRING,
        actor_name=_NO_STRING,
        actor_domain=_NO_STRING,
        actor_logon_id=lg.logon_id,
        old_name=_NO_STRING,
        new_name=_NO_STRING,
        new_uac=_NO_STRING,
        logon_type=lg.logon_type,
        source_ip=lg.source_ip,
        workstation=lg.workstation,
    )
    return changes.union(account_logons, distinct=False)


_REGISTRY_CREATION_ACTIONS = ("CreateKey", "SetValue")


def registry_only_creations(sam_writes: ir.Table, creations: ir.Table) -> ir.Table:
    """Accounts whose SAM key was written (Sysmon 12/13) but that have no 4720 on that host.

    One row per host and name, at the first write: a name created, deleted and created
    again is one account's history. Shaped like the `creation` table, with what the
    registry cannot tell (SID, creator) left null.
    """
    names = sam_writes.filter(
        sam_writes.account_name.notnull()
        & sam_writes.hidden_from_logon.isnull()
        & sam_writes.action.isin(_REGISTRY_CREATION_ACTIONS)
    ).mutate(name_key=sam_writes.account_name.lower())
    rank = ibis.row_number().over(
        group_by=[names.host, names.name_key], order_by=[names.time_us, names.event_key]
    )
    first = names.mutate(_rank=rank).filter(ibis._._rank == 0)
    known = creations.select(k_host=creations.host, k_name=creations.account_name.lower())
    only = first.anti_join(known, [first.host == known.k_host, first.name_key == known.k_name])
    return only.select(
        "event_key",
        "host",
        "host_name",
        "time_us",
        "record_id",
        "event_id",
        "channel",
        "file",
        "sha256",
        account_sid=_NO_STRING,
        account_name=only.account_name,
        account_domain=_NO_STRING,
        sam_account_name=only.account_name,
        display_name=_NO_STRING,
        user_principal_name=_NO_STRING,
        creator_sid=_NO_STRING,
        creator_name=_NO_STRING,
        creator_domain=_NO_STRING,
        creator_logon_id=_NO_STRING,
        new_uac=_NO_STRING,
        primary_group_id=_NO_STRING,
    )


def processes_naming_the_account(
    creations: ir.Table, processes: ir.Table, window: Window
) -> ir.Table:
    """For creations without a known session: processes on the host, in the window, whose
    command line names the new account. Evidence by content, never by session guesswork."""
    c = creations.select(
        creation_key=creations.event_key,
        c_host=creations.host,
        c_time=creations.time_us,
        c_logon=creations.creator_logon_id,
        c_name=creations.account_name.lower(),
    )
    joined = c.join(
        processes,
        [
            c.c_host == processes.host,
            c.c_logon.isnull(),
            processes.time_us >= c.c_time - window.before_us,
            processes.time_us <= c.c_time + window.after_us,
            processes.command_line.lower().contains(c.c_name),
        ],
    )
    return joined.drop("c_host", "c_logon", "c_name")


def domain_controllers(kerberos: ir.Table, creations: ir.Table) -> ir.Table:
    """Hosts the telemetry shows to be domain controllers, with the evidence.

    Only a DC logs Kerberos ticket requests (4768/4769), and a domain account's 4720 is
    logged on the DC that created it (a local account's domain is the host's own name).
    """
    kdc = kerberos.select(
        "host", evidence=ibis.literal("logs Kerberos ticket requests (4768/4769)")
    )
    domain = creations.filter(
        creations.account_domain.notnull()
        & (creations.account_domain.upper() != creations.host.upper().substr(0, 15))
    ).select("host", evidence=ibis.literal("logged the creation of a domain account (4720)"))
    return kdc.union(domain, distinct=True)


def account_names(logons: ir.Table, creations: ir.Table, changes: ir.Table) -> ir.Table:
    """Every account name the telemetry shows in use: logons, creations, changes."""
    seen = [
        logons.select(name=logons.user_name),
        creations.select(name=creations.account_name),
        changes.select(name=changes.account_name),
    ]
    names = seen[0].union(seen[1], distinct=True).union(seen[2], distinct=True)
    return names.filter(names.name.notnull())


def host_display_names(tables: dict[str, ir.Table]) -> ir.Table:
    """Each host key with the fullest name it was logged under (WS01 -> WS01.corp.local)."""
    named = [t.select("host", "host_name") for t in tables.values()]
    union = named[0]
    for more in named[1:]:
        union = union.union(more, distinct=True)
    union = union.filter(union.host_name.notnull())
    return union.group_by("host").aggregate(
        host_name=union.host_name.argmax(union.host_name.length())
    )
