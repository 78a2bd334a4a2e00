"""The AN1604 joins, as portable Ibis expressions.

Every function is pure: Ibis tables in, an Ibis table out, no I/O. Only constructs that
run identically on DuckDB and Spark are used: equi/range joins, `row_number()` windows and
unions; no ASOF joins (Spark has none) and no recursive CTEs (Ibis has none), so ancestry
is walked one parent level per query (`parents`).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from acctrace import knowledge
from acctrace.correlate.window import SECOND_US, Window


def _creation_keys(creations: ir.Table) -> ir.Table:
    return creations.select(
        creation_key=creations.event_key,
        c_host=creations.host,
        c_time=creations.time_us,
        c_logon=creations.creator_logon_id,
        c_account_sid=creations.account_sid,
    )


def _at_extreme_time(table: ir.Table, keys: list[str], time: str, latest: bool) -> ir.Table:
    """The rows of `table` at the latest (or earliest) `time` of each group of `keys`. The
    time is aggregated first, so that only those rows are ranked or joined on: logs that
    repeat PIDs, logon ids or GUIDs every day would otherwise rank every day's rows."""
    groups = {f"_x{i}": table[key] for i, key in enumerate(keys)}
    found = table.group_by(**groups).aggregate(
        _xt=table[time].max() if latest else table[time].min()
    )
    on = [table[key] == found[f"_x{i}"] for i, key in enumerate(keys)]
    return table.join(found, [*on, table[time] == found._xt]).drop(*groups, "_xt")


def _latest_per(table: ir.Table, key: str) -> ir.Table:
    """The most recent row (by time_us, then event_key) for each value of `key`."""
    at = _at_extreme_time(table, [key], "time_us", latest=True)
    rank = ibis.row_number().over(group_by=at[key], order_by=ibis.desc(at.event_key))
    return at.mutate(_rank=rank).filter(ibis._._rank == 0).drop("_rank")


# --- the order of events: one log's record ids, or clocks with a measured skew ---------------


def _is_sysmon(channel: ir.StringValue) -> ir.BooleanValue:
    return channel.lower().contains("sysmon")


def process_twins(processes: ir.Table, bound_us: int) -> ir.Table:
    """Pairs of records of one process in both logs: its Sysmon 1 and its 4688.

    Same host, PID and image, within `bound_us`; each Sysmon 1 keeps its nearest 4688.
    `delta_us` (Sysmon time minus Security time) measures the skew between the two clocks.
    """
    s = processes.filter(processes.telemetry == "sysmon-1")
    p = processes.filter(processes.telemetry == "security-4688").select(
        p_host=processes.host,
        p_pid=processes.pid,
        p_image=processes.image.lower(),
        p_time=processes.time_us,
        p_key=processes.event_key,
    )
    pairs = s.join(
        p,
        [
            s.host == p.p_host,
            s.pid == p.p_pid,
            s.image.lower() == p.p_image,
            (s.time_us - p.p_time).abs() <= bound_us,
        ],
    ).mutate(delta_us=ibis._.time_us - ibis._.p_time)
    rank = ibis.row_number().over(
        group_by=pairs.event_key, order_by=[pairs.delta_us.abs(), pairs.p_key]
    )
    nearest = pairs.mutate(_rank=rank).filter(ibis._._rank == 0)
    return nearest.select("host", "delta_us")


TWIN_BOUND_US = 60 * SECOND_US  # the Sysmon 1 and 4688 of one process are this close at most
MIN_TWINS = 3  # fewer pairs than this measure nothing
TWIN_JITTER_US = 10_000  # the two records of one process are written this close together


def host_clocks(processes: ir.Table, window: Window) -> ir.Table:
    """Per host with process twins: the skew of its Sysmon clock against its Security clock
    (the median gap of the twins) and the tolerance left after it (their range), when at
    least MIN_TWINS measure it. Unmeasured hosts keep no skew and the window's `after_s`.
    """
    twins = process_twins(processes, TWIN_BOUND_US)
    stats = twins.group_by("host").aggregate(
        pairs=twins.count(),
        median_us=twins.delta_us.approx_median().cast("int64"),
        low_us=twins.delta_us.min(),
        high_us=twins.delta_us.max(),
    )
    measured = stats.pairs >= MIN_TWINS
    # The whole range, not half of it: a log that rounds to whole seconds (NXLog's
    # EventTime) spreads the gaps over a second, and a new event may fall at either end.
    tolerance = ibis.least(stats.high_us - stats.low_us + TWIN_JITTER_US, window.after_us)
    return stats.select(
        "host",
        "pairs",
        measured=measured,
        skew_us=measured.ifelse(stats.median_us, 0),
        tolerance_us=measured.ifelse(tolerance, window.after_us),
    )


def _with_clock(c: ir.Table, clocks: ir.Table, window: Window) -> ir.Table:
    """Creation keys with what ordering against them needs: their log and record id, the
    host's measured skew between Sysmon and Security, and the tolerance left after it.
    Hosts without a measurement fall back to the window's fixed `after_s`."""
    k = clocks.select(k_host=clocks.host, k_skew=clocks.skew_us, k_tol=clocks.tolerance_us)
    joined = c.left_join(k, c.c_host == k.k_host)
    skew = joined.k_skew.fill_null(0)
    return joined.mutate(
        c_skew=skew,
        c_tol=joined.k_tol.fill_null(window.after_us),
        c_sec=joined.c_time - _is_sysmon(joined.c_channel).ifelse(skew, 0),
    ).drop("k_host", "k_skew", "k_tol")


def _security_clock(t: ir.Table, channel: str, time: str) -> ir.IntegerValue:
    """An event's time on its host's Security clock (Sysmon times are moved by the skew)."""
    return t[time] - _is_sysmon(t[channel]).ifelse(t.c_skew, 0)


def _same_log(t: ir.Table, channel: str, record: str) -> ir.BooleanValue:
    return (t[channel] == t.c_channel) & t[record].notnull() & t.c_record.notnull()


def may_precede(
    t: ir.Table, channel: str = "channel", record: str = "record_id", time: str = "time_us"
) -> ir.BooleanValue:
    """The event may have happened before the creation. In one log (one host, one channel)
    the record id decides, whatever the timestamps; across logs, its time on the Security
    clock is at most the creation's plus the host's tolerance."""
    same = _same_log(t, channel, record)
    return (same & (t[record] < t.c_record)) | (
        ~same & (_security_clock(t, channel, time) <= t.c_sec + t.c_tol)
    )


def surely_precedes(t: ir.Table, channel: str, record: str, time: str) -> ir.BooleanValue:
    same = _same_log(t, channel, record)
    return (same & (t[record] < t.c_record)) | (
        ~same & (_security_clock(t, channel, time) < t.c_sec - t.c_tol)
    )


def surely_follows(t: ir.Table, channel: str, record: str, time: str) -> ir.BooleanValue:
    same = _same_log(t, channel, record)
    return (same & (t[record] > t.c_record)) | (
        ~same & (_security_clock(t, channel, time) > t.c_sec + t.c_tol)
    )


def _ordered_creations(
    creations: ir.Table, processes: ir.Table, clocks: ir.Table | None, window: Window
) -> ir.Table:
    """Creation keys with their clock; `clocks` (host_clocks, materialised) is measured
    here when not given."""
    clocks = host_clocks(processes, window) if clocks is None else clocks
    c = creations.select(
        creation_key=creations.event_key,
        c_host=creations.host,
        c_time=creations.time_us,
        c_logon=creations.creator_logon_id,
        c_channel=creations.channel,
        c_record=creations.record_id,
        c_name=creations.account_name.lower(),
    )
    return _with_clock(c, clocks, window)


_CREATION_ORDER = ("c_channel", "c_record", "c_skew", "c_tol", "c_sec")


def runs_code_in_process(image: ir.StringValue) -> ir.BooleanValue:
    """A script host, or a binary from outside the Windows and Program Files folders: what
    can create an account inside its own process, minutes or hours into its run (the same
    knowledge as assess/tools.py's `is_script_host` and `is_unknown_binary`)."""
    path = image.lower().replace("/", "\\")
    hosts = [e["image"].lower() for e in knowledge.load("helper_processes")["script_hosts"]]
    script_host = path.isin(hosts)
    for name in hosts:
        script_host |= path.endswith("\\" + name)
    in_system = ibis.literal(False)
    for folder in knowledge.load("account_tools")["system_folders"]:
        in_system |= path.startswith(folder)
    return (script_host | (path.contains("\\") & ~in_system)).fill_null(False)


def _near(c: ir.Table, processes: ir.Table, window: Window) -> list[ir.BooleanValue]:
    """Coarse time bounds that keep the join a range join; `may_precede` decides exactly."""
    slack = c.c_skew.abs() + c.c_tol
    return [
        processes.time_us >= c.c_time - window.before_us - slack,
        processes.time_us <= c.c_time + slack,
    ]


Process = tuple[ir.StringValue, ir.IntegerValue, ir.StringValue, ir.IntegerValue]


def _its_end(process: Process, end: Process) -> list[ir.BooleanValue]:
    """An end (host, PID, GUID, time) of the process started at (host, PID, GUID, time): the
    same host and PID, GUIDs agreeing where both are logged, not before the start (PIDs
    are reused)."""
    (host, pid, guid, time), (e_host, e_pid, e_guid, e_time) = process, end
    return [
        host == e_host,
        pid == e_pid,
        guid.isnull() | e_guid.isnull() | (guid == e_guid),
        e_time >= time,
    ]


def _in_session(c: ir.Table, processes: ir.Table) -> list[ir.BooleanValue]:
    return [c.c_host == processes.host, c.c_logon == processes.logon_id]


def _long_running(
    c: ir.Table, processes: ir.Table, process_ends: ir.Table, window: Window
) -> ir.Table:
    """In-process creators (`runs_code_in_process`) in the creator's session that started
    before `_near`'s bounds: a PowerShell session creates accounts minutes into its script.

    Judged once per process, not per pair. A process whose first end came before those
    bounds surely ended before the creation (one log's clock runs forward) and is left out
    here, before `_alive_at_creation` decides exactly for the rest: a logon session's
    processes repeat over days of logs, and every pair would meet every end of its PID."""
    hosts = processes.filter(runs_code_in_process(processes.image))
    ends = process_ends.select(e_host="host", e_pid="pid", e_guid="process_guid", e_time="time_us")
    ended = hosts.join(
        ends,
        _its_end(
            (hosts.host, hosts.pid, hosts.process_guid, hosts.time_us),
            (ends.e_host, ends.e_pid, ends.e_guid, ends.e_time),
        ),
    )
    first = ended.group_by(f_key=ended.event_key).aggregate(f_end=ended.e_time.min())
    hosts = hosts.left_join(first, hosts.event_key == first.f_key)
    slack = c.c_skew.abs() + c.c_tol
    start = c.c_time - window.before_us - slack
    older = c.join(hosts, [*_in_session(c, hosts), hosts.time_us < start])
    return older.filter(older.f_end.isnull() | (older.f_end >= start)).drop("f_key", "f_end")


def _alive_at_creation(
    joined: ir.Table, process_ends: ir.Table, window: Window, long_running: bool = False
) -> ir.Table:
    """Candidates that started early enough and were not surely ended before the creation;
    `surely_before` tells those whose start surely preceded it from those within the
    clock tolerance of it, `in_window` those that started within the window from the
    long-running in-process creators `_near` let in."""
    in_window = _security_clock(joined, "channel", "time_us") >= joined.c_sec - window.before_us
    early_enough = (in_window | runs_code_in_process(joined.image)) if long_running else in_window
    started = joined.filter(may_precede(joined), early_enough).mutate(
        surely_before=lambda t: surely_precedes(t, "channel", "record_id", "time_us"),
        in_window=in_window,
    )
    ends = process_ends.select(
        e_host=process_ends.host,
        e_pid=process_ends.pid,
        e_guid=process_ends.process_guid,
        e_time=process_ends.time_us,
        e_channel=process_ends.channel,
        e_record=process_ends.record_id,
    )
    # The ends are matched by an inner join and what no hash join can take (ORs over both
    # sides) filtered after it: in an anti join those would make it a nested loop.
    hits = started.join(
        ends,
        _its_end(
            (started.host, started.pid, started.process_guid, started.time_us),
            (ends.e_host, ends.e_pid, ends.e_guid, ends.e_time),
        ),
    )
    hits = hits.filter(_ended_before(hits, hits))
    dead = hits.select(d_creation=hits.creation_key, d_key=hits.event_key).distinct()
    return started.anti_join(
        dead, [started.creation_key == dead.d_creation, started.event_key == dead.d_key]
    )


def _ended_before(started: ir.Table, ends: ir.Table) -> ir.BooleanValue:
    same = (
        (ends.e_channel == started.c_channel) & ends.e_record.notnull() & started.c_record.notnull()
    )
    end_sec = ends.e_time - _is_sysmon(ends.e_channel).ifelse(started.c_skew, 0)
    return (same & (ends.e_record < started.c_record)) | (
        ~same & (end_sec < started.c_sec - started.c_tol)
    )


def candidate_processes(
    creations: ir.Table,
    processes: ir.Table,
    process_ends: ir.Table,
    window: Window,
    clocks: ir.Table | None = None,
) -> ir.Table:
    """Processes in the creator's logon session on the same host, alive at the creation:
    started within the window before it, or, for a script host or a binary from outside
    the Windows folders, however long before (`in_window` false) when no end was logged
    before the creation; the assessment weighs what shows it ran across it.

    Never crosses sessions: a process in another logon session is not a candidate, however
    close in time. A process recorded after the 4720 in the same log is never a candidate,
    even at the same millisecond.
    """
    c = _ordered_creations(creations, processes, clocks, window)
    recent = c.join(processes, [*_in_session(c, processes), *_near(c, processes, window)])
    older = _long_running(c, processes, process_ends, window)
    alive = _alive_at_creation(recent.union(older, distinct=False), process_ends, window, True)
    return alive.drop("c_host", "c_logon", "c_name", *_CREATION_ORDER)


def creations_of(creations: ir.Table, keys: ir.Table) -> ir.Table:
    """The creations whose event keys are in `keys`."""
    return creations.semi_join(keys, "event_key")


def candidates(
    creations: ir.Table,
    processes: ir.Table,
    process_ends: ir.Table,
    clocks: ir.Table,
    window: Window,
) -> ir.Table:
    """Every candidate creator: in the creator's session, or naming the account."""
    in_session = candidate_processes(creations, processes, process_ends, window, clocks)
    by_content = processes_naming_the_account(creations, processes, process_ends, window, clocks)
    return in_session.union(by_content, distinct=False)


def _candidates_at(candidates: ir.Table, c: ir.Table) -> ir.Table:
    """Each candidate's identity (k_*) beside its creation's clock (c_*)."""
    k = candidates.select(
        k_creation=candidates.creation_key,
        candidate_key=candidates.event_key,
        k_host=candidates.host,
        k_pid=candidates.pid,
        k_guid=candidates.process_guid,
        k_time=candidates.time_us,
    )
    return k.join(c, k.k_creation == c.creation_key)


def signs_of_life(
    candidates: ir.Table,
    creations: ir.Table,
    processes: ir.Table,
    process_ends: ir.Table,
    window: Window,
    clocks: ir.Table | None = None,
) -> ir.Table:
    """What shows each candidate still ran after the creation: a child it started after
    it or within the clock tolerance of it (within the window), and its own end when logged
    (the first after its start).

    Rows: creation_key, candidate_key, sign ("child" or "end"), image, time_us, and
    `after_creation` (the child or end surely followed the creation; a child that may not
    have still shows its parent ran around then).
    """
    kc = _candidates_at(candidates, _ordered_creations(creations, processes, clocks, window))
    p = processes
    since = [p.time_us > kc.k_time, p.time_us <= kc.c_time + window.before_us]
    # Children by GUID and by PID as two hash joins (one join on either would pair every
    # process of the host): those the GUID names, then those only the PID does.
    by_guid = kc.join(p, [kc.k_host == p.host, p.parent_process_guid == kc.k_guid, *since])
    by_pid = kc.join(p, [kc.k_host == p.host, p.parent_pid == kc.k_pid, *since])
    named = by_pid.k_guid.notnull() & (by_pid.parent_process_guid == by_pid.k_guid)
    kids = by_guid.union(by_pid.filter(~named.fill_null(False)), distinct=False)
    kids = kids.filter(~surely_precedes(kids, "channel", "record_id", "time_us"))
    children = kids.select(
        "creation_key",
        "candidate_key",
        sign=ibis.literal("child"),
        image=kids.image,
        time_us=kids.time_us,
        after_creation=surely_follows(kids, "channel", "record_id", "time_us"),
    )
    e = process_ends
    ends = kc.join(
        e,
        _its_end(
            (kc.k_host, kc.k_pid, kc.k_guid, kc.k_time), (e.host, e.pid, e.process_guid, e.time_us)
        ),
    )
    # The first end's time by aggregation, then its row: a PID reused every day would
    # otherwise rank every later end of it for every candidate.
    at_first = _at_extreme_time(ends, ["creation_key", "candidate_key"], "time_us", latest=False)
    rank = ibis.row_number().over(
        group_by=[at_first.creation_key, at_first.candidate_key], order_by=at_first.event_key
    )
    first_end = at_first.mutate(_rank=rank).filter(ibis._._rank == 0)
    ended = first_end.select(
        "creation_key",
        "candidate_key",
        sign=ibis.literal("end"),
        image=first_end.image,
        time_us=first_end.time_us,
        after_creation=surely_follows(first_end, "channel", "record_id", "time_us"),
    )
    return children.union(ended, distinct=False)


def script_blocks_of(
    candidates: ir.Table,
    creations: ir.Table,
    processes: ir.Table,
    script_blocks: ir.Table,
    window: Window,
    clocks: ir.Table | None = None,
) -> ir.Table:
    """PowerShell script blocks (4104) each candidate logged between its start and the
    creation: what a script host ran, when no command line shows it."""
    kc = _candidates_at(candidates, _ordered_creations(creations, processes, clocks, window))
    s = script_blocks
    found = kc.join(
        s,
        [
            kc.k_host == s.host,
            kc.k_pid == s.pid,
            s.time_us >= kc.k_time - kc.c_skew.abs() - kc.c_tol,
            s.time_us <= kc.c_time + kc.c_skew.abs() + kc.c_tol,
        ],
    )
    found = found.filter(may_precede(found))
    return found.select(
        "creation_key",
        "candidate_key",
        "event_key",
        "time_us",
        "script_block_id",
        "message_number",
        "message_total",
        "script_text",
    )


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

    Bounded however often a PID was reused: the latest end of that PID before the child
    is found first (a process started at or before it had ended by then), so only processes
    started after it are matched, on narrow keys; the chosen one's columns are joined last.
    """
    f = frontier
    keys = processes.select(
        k_key=processes.event_key,
        k_host=processes.host,
        k_pid=processes.pid,
        k_guid=processes.process_guid,
        k_time=processes.time_us,
        k_image=processes.image.lower(),
    )
    ends = process_ends.select(
        e_host=process_ends.host, e_pid=process_ends.pid, e_time=process_ends.time_us
    )
    ended = f.join(
        ends,
        [
            f.child_host == ends.e_host,
            f.child_parent_pid == ends.e_pid,
            ends.e_time < f.child_time,
        ],
    )
    last_end = ended.group_by(l_of="lineage_of", l_child="child_key").aggregate(
        last_end=ended.e_time.max()
    )
    f_end = f.left_join(
        last_end, [f.lineage_of == last_end.l_of, f.child_key == last_end.l_child]
    ).drop("l_of", "l_child")
    by_pid = f_end.join(
        keys,
        [
            f_end.child_host == keys.k_host,
            f_end.child_parent_pid == keys.k_pid,
            keys.k_time <= f_end.child_time,
            f_end.last_end.isnull() | (keys.k_time > f_end.last_end),
            keys.k_key != f_end.child_key,
            f_end.child_parent_image.isnull() | (f_end.child_parent_image.lower() == keys.k_image),
        ],
    ).select("lineage_of", "child_key", "k_key", "k_time", _by=ibis.literal(1))
    # Of the processes a GUID names (a log repeated over days names each many times), only
    # the latest can be chosen: found per GUID before the frontier is joined.
    newest = _at_extreme_time(keys, ["k_host", "k_guid"], "k_time", latest=True)
    by_guid = f.join(
        newest, [f.child_host == newest.k_host, f.child_parent_guid == newest.k_guid]
    ).select("lineage_of", "child_key", "k_key", "k_time", _by=ibis.literal(0))
    matches = by_guid.union(by_pid, distinct=False)
    rank = ibis.row_number().over(
        group_by=[matches.lineage_of, matches.child_key],
        order_by=[matches._by, ibis.desc(matches.k_time), matches.k_key],
    )
    best = matches.mutate(_rank=rank).filter(ibis._._rank == 0)
    best = best.select(b_of=best.lineage_of, b_child=best.child_key, b_key=best.k_key)
    chosen = f.join(best, [f.lineage_of == best.b_of, f.child_key == best.b_child])
    found = chosen.join(processes, chosen.b_key == processes.event_key)
    return found.mutate(depth=found.depth + 1).drop("b_of", "b_child", "b_key")


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

    A domain SID names the domain, so the same SID on another host (a domain account used
    elsewhere) is the same account. A local SID names its machine, and cloned machines
    share it: a local account's follow-ups are those on its own host. Each creation's
    follow-ups end where the next creation of the same account begins, so N creations
    sharing a SID and M events about it give M rows, not N x M.
    """
    local = creations.account_domain.upper() == creations.host.substr(0, 15).upper()
    c = creations.select(
        creation_key=creations.event_key,
        c_time=creations.time_us,
        c_account_sid=creations.account_sid,
        c_scope=ibis.ifelse(local, creations.host, ""),
    )
    c = c.mutate(
        c_until=c.c_time.lead().over(group_by=[c.c_account_sid, c.c_scope], order_by=c.c_time)
    )

    def after_creation(t: ir.Table, sid: ir.Column) -> list[ir.BooleanValue]:
        return [
            c.c_account_sid == sid,
            (c.c_scope == "") | (c.c_scope == t.host),
            t.time_us >= c.c_time - window.after_us,
            c.c_until.isnull() | (t.time_us < c.c_until),
        ]

    ch = c.join(account_changes, after_creation(account_changes, account_changes.account_sid))
    lg = c.join(logons, after_creation(logons, logons.user_sid))

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


def creations_in_range(
    creations: ir.Table,
    sam_writes: ir.Table,
    since_us: int | None = None,
    until_us: int | None = None,
) -> ir.Table:
    """Every account creation: 4720s, and SAM writes that have none, between the bounds.
    A creation whose time is unknown may be in the range: it is kept, not dropped."""
    every = creations.union(registry_only_creations(sam_writes, creations), distinct=False)
    if since_us is not None:
        every = every.filter(every.time_us.isnull() | (every.time_us >= since_us))
    if until_us is not None:
        every = every.filter(every.time_us.isnull() | (every.time_us <= until_us))
    return every


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
    creations: ir.Table,
    processes: ir.Table,
    process_ends: ir.Table,
    window: Window,
    clocks: ir.Table | None = None,
) -> ir.Table:
    """For creations without a known session: processes on the host, alive at the creation,
    whose command line names the new account. Evidence by content, never by session
    guesswork."""
    c = _ordered_creations(creations, processes, clocks, window)
    joined = c.join(
        processes,
        [
            c.c_host == processes.host,
            c.c_logon.isnull(),
            *_near(c, processes, window),
            processes.command_line.lower().contains(c.c_name),
        ],
    )
    alive = _alive_at_creation(joined, process_ends, window)
    return alive.drop("c_host", "c_logon", "c_name", *_CREATION_ORDER)


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


def host_display_names(*tables: ir.Table) -> ir.Table:
    """Each host key with the fullest name it was logged under (WS01 -> WS01.corp.local)."""
    named = [t.select("host", "host_name") for t in tables]
    union = named[0]
    for more in named[1:]:
        union = union.union(more, distinct=True)
    union = union.filter(union.host_name.notnull())
    return union.group_by("host").aggregate(
        host_name=union.host_name.argmax(union.host_name.length())
    )


def process_spans(processes: ir.Table) -> ir.Table:
    """The first and last process event of each host's files."""
    return processes.group_by(["host", "file"]).aggregate(
        first=processes.time_us.min(), last=processes.time_us.max()
    )
