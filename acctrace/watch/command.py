"""`acctrace watch`: the command. Heavy modules are imported when it runs, not when the CLI
starts."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path

import click

from acctrace.commands.common import analysis_options, hunt_options
from acctrace.errors import AcctraceError


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--db",
    "db_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The store (as for ingest/hunt --db): events, checkpoints and alerts sent.",
)
@click.option(
    "--sink",
    "sink_specs",
    multiple=True,
    help="Where alerts go (repeatable; default stdout): stdout, file:PATH, webhook:URL, "
    "syslog+udp:HOST:PORT, syslog+tcp:HOST:PORT; options ,shape=json|ecs|ocsf "
    ",min-severity=LEVEL (webhook also ,retries=N ,dead-letter=PATH).",
)
@click.option(
    "--grace",
    type=click.FloatRange(min=0),
    default=180.0,
    show_default=True,
    help="Seconds a creation is held after it arrives, for late events, before its alert.",
)
@click.option(
    "--horizon",
    type=click.FloatRange(min=0),
    default=24 * 3600.0,
    show_default=True,
    help="Seconds after its alert during which changes to a finding are sent as updates.",
)
@click.option(
    "--look-back",
    type=click.FloatRange(min=0),
    default=7 * 24 * 3600.0,
    show_default=True,
    help="Seconds of event time a hunt looks back from a creation for its process, "
    "ancestors and logon session (older ones are reported as not in the telemetry).",
)
@click.option(
    "--memory-limit",
    default="256MB",
    show_default=True,
    help="What DuckDB may hold (its cache of the store included); past it, it spills to "
    "STORE.tmp beside the store.",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.05),
    default=5.0,
    show_default=True,
    help="Seconds between cycles when nothing is waiting.",
)
@click.option(
    "--kafka-group",
    default="acctrace-watch",
    show_default=True,
    help="Consumer group for kafka:// sources.",
)
@click.option(
    "--health-every",
    type=click.FloatRange(min=1),
    default=60.0,
    show_default=True,
    help="Seconds between health lines (lag per source, events/s, queued creations).",
)
@click.option(
    "--log-format",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="Logs on stderr: one JSON object per line, or plain text.",
)
@click.option("--once", is_flag=True, help="Read what is waiting, alert what is due, then stop.")
@analysis_options
def watch(
    sources: tuple[str, ...],
    db_path: Path,
    sink_specs: tuple[str, ...],
    grace: float,
    horizon: float,
    look_back: float,
    memory_limit: str,
    interval: float,
    kafka_group: str,
    health_every: float,
    log_format: str,
    once: bool,
    **analysis: object,
) -> None:
    """Follow live event logs and alert on every account created, within minutes: folders
    and files of JSON lines (followed as they grow and rotate, compressed to .gz or not),
    EVTX files (read from their first unread chunk, beyond the last record seen in each
    log), and Kafka topics (kafka://HOST:PORT/TOPIC). Events, checkpoints and the alerts
    sent are kept in the store, so a restart after a crash loses nothing and sends nothing
    twice to a file (stdout and webhooks: at least once, with an idempotency key). `hunt
    --db`, `report --db` and `case ID --db` read the same store meanwhile (its snapshot).

    \b
    Example:
      acctrace watch /var/log/winlogbeat/ --db soc.duckdb --policy approved.yaml \\
          --sink file:alerts.ndjson,shape=ecs --sink webhook:https://soar.example/hook,min-severity=high
      acctrace watch kafka://127.0.0.1:9092/winlogbeat --db soc.duckdb --sink syslog+tcp:siem:6514
    """
    from acctrace.storage.database import EventDatabase, snapshot_path
    from acctrace.watch.alerts import Timing
    from acctrace.watch.loop import Watcher, WatchOptions, open_sources
    from acctrace.watch.sinks import StreamSink, parse_sink

    _logging(log_format)
    dead_letter = db_path.with_name(db_path.name + ".dead-letter.jsonl")
    try:
        sinks = [parse_sink(spec, dead_letter) for spec in sink_specs] or [StreamSink(sys.stdout)]
        options = WatchOptions(
            hunt=hunt_options(analysis),
            timing=Timing(grace_s=grace, horizon_s=horizon),
            interval_s=interval,
            health_every_s=health_every,
            look_back_s=look_back,
            memory_limit=memory_limit,
        )
        database = EventDatabase(db_path)
    except AcctraceError as exc:
        raise click.ClickException(str(exc)) from exc
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    watcher = Watcher(database, [], sinks, options)  # prepares the store's watch tables
    try:
        watcher.sources = followed = open_sources(list(sources), database, kafka_group)
        logging.getLogger("acctrace.watch").info(
            "watching",
            extra={
                "sources": [s.name for s in followed],
                "sinks": [s.name for s in sinks],
                "store": str(db_path),
                "snapshot": str(snapshot_path(db_path)),
            },
        )
        watcher.run(stop, once=once)
    except AcctraceError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        for closing in [*watcher.sources, *sinks]:
            closing.close()
        database.close()


def _logging(log_format: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(message)s", rename_fields={"asctime": "time"}
            )
        )
    else:
        handler.setFormatter(_TextFormatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("acctrace.watch")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False


class _TextFormatter(logging.Formatter):
    """For people: the message, then the record's fields as key=value."""

    _STANDARD = frozenset(vars(logging.makeLogRecord({})))

    def format(self, record: logging.LogRecord) -> str:
        fields = {k: v for k, v in vars(record).items() if k not in self._STANDARD}
        extra = " ".join(f"{k}={v}" for k, v in fields.items() if k != "message")
        return f"{super().format(record)} {extra}".rstrip()
