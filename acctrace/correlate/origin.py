"""Cross-host joins, as portable Ibis: where did a remote logon session come from?

Pure functions, Ibis tables in and out. `correlate/trace.py` runs them hop by hop.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

SECOND_US = 1_000_000
# A connection is logged on the source host, the logon on the target: different clocks,
# and the logon follows the connection. Look this far before and after the logon.
BEFORE_LOGON_US = 120 * SECOND_US
AFTER_LOGON_US = 30 * SECOND_US
_LOCAL = ("127.0.0.1", "::1", "-", "")


def ip_hosts(logons: ir.Table, connections: ir.Table) -> ir.Table:
    """Which host has used which address, from the telemetry itself.

    A machine account (`HOST$`) logging on from an address, and a host's own outbound
    Sysmon 3 connections (their SourceIp), both place that host at that address.
    """
    by_machine_logon = logons.filter(
        logons.user_name.endswith("$") & logons.source_ip.notnull() & ~logons.source_ip.isin(_LOCAL)
    ).select(
        ip=logons.source_ip,
        host=logons.user_name.lower().substr(0, logons.user_name.length() - 1),
        evidence=ibis.literal("4624 logon of the machine account from that address"),
    )
    by_connection = connections.filter(
        connections.initiated
        & connections.source_ip.notnull()
        & ~connections.source_ip.isin(_LOCAL)
    ).select(
        ip=connections.source_ip,
        host=connections.host,
        evidence=ibis.literal("Sysmon 3 connections made by that host from that address"),
    )
    return by_machine_logon.union(by_connection, distinct=True)


def dns_answers(requests: ir.Table, dns: ir.Table) -> ir.Table:
    """Sysmon 22 answers that resolved a name to a requested source address."""
    return (
        requests.join(dns, [dns.query_results.contains(requests.source_ip)])
        .select("request_key", host_name=dns.query_name)
        .distinct()
    )


def _near(requests: ir.Table, table: ir.Table) -> list[ir.BooleanValue]:
    return [
        table.host == requests.source_host,
        table.time_us >= requests.logon_time - BEFORE_LOGON_US,
        table.time_us <= requests.logon_time + AFTER_LOGON_US,
    ]


def connections_to_target(requests: ir.Table, connections: ir.Table) -> ir.Table:
    """Outbound connections on the source host to the target's address around the logon."""
    joined = requests.join(
        connections,
        [*_near(requests, connections), connections.dest_ip == requests.target_ip],
    )
    return joined.filter(joined.initiated.fill_null(True))


def explicit_logons_from(requests: ir.Table, explicit_logons: ir.Table) -> ir.Table:
    """4648 (logon with explicit credentials) on the source host around the logon."""
    return requests.join(explicit_logons, _near(requests, explicit_logons))


def explicit_logons_anywhere(requests: ir.Table, explicit_logons: ir.Table) -> ir.Table:
    """4648 on any host around the logon: for sessions that logged no source address."""
    return requests.join(
        explicit_logons,
        [
            explicit_logons.host != requests.target_host,
            explicit_logons.time_us >= requests.logon_time - BEFORE_LOGON_US,
            explicit_logons.time_us <= requests.logon_time + AFTER_LOGON_US,
        ],
    )


def processes_by_pid(wanted: ir.Table, processes: ir.Table) -> ir.Table:
    """The latest process with a PID on a host that started before a time (PIDs are reused)."""
    joined = wanted.join(
        processes,
        [
            processes.host == wanted.w_host,
            processes.pid == wanted.w_pid,
            processes.time_us <= wanted.w_time,
        ],
    )
    return _first(joined, ibis.desc(joined.time_us), joined.event_key)


def commands_from(requests: ir.Table, processes: ir.Table) -> ir.Table:
    """Processes on the source host started shortly before the logon whose command line
    names the target host (`\\\\host`, `/node:host`, `-ComputerName host`, ...) or its address."""
    joined = requests.join(processes, _near(requests, processes))
    line = joined.command_line.lower()
    names_ip = (joined.target_ip != "") & line.contains(joined.target_ip)
    return joined.filter(line.contains(joined.target_host) | names_ip)


def processes_by_guid(wanted: ir.Table, processes: ir.Table) -> ir.Table:
    """The Sysmon 1 record of processes named by GUID on a host (from Sysmon 3 or 22); one
    per GUID, though logs that repeat GUIDs (replayed or copied days) hold many."""
    joined = wanted.join(
        processes, [processes.host == wanted.w_host, processes.process_guid == wanted.w_guid]
    )
    return _first(joined, joined.event_key)


def sessions_by_logon_id(wanted: ir.Table, logons: ir.Table) -> ir.Table:
    """The 4624 that opened a session, by host and logon id (e.g. a service installer's)."""
    joined = wanted.join(logons, [logons.host == wanted.w_host, logons.logon_id == wanted.w_logon])
    return _first(joined, ibis.desc(joined.time_us), joined.event_key)


def service_installs_on(wanted: ir.Table, installs: ir.Table) -> ir.Table:
    """Service installations (7045, 4697) on the hosts of service-launched processes, before
    the latest of them: each once, not once per process (which of them a process ran is
    told by its command line, compared in Python)."""
    latest = wanted.group_by("w_host").aggregate(w_time=wanted.w_time.max())
    return installs.semi_join(
        latest, [installs.host == latest.w_host, installs.time_us <= latest.w_time]
    )


def _first(joined: ir.Table, *order: ir.Value) -> ir.Table:
    """The first row per request (`w_key`) in `order`; the event key makes ties agree on
    every engine."""
    rank = ibis.row_number().over(group_by=joined.w_key, order_by=list(order))
    return joined.mutate(_rank=rank).filter(ibis._._rank == 0).drop("_rank")
