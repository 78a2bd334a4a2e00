"""`acctrace hunt` and `acctrace ingest`: read event logs, attribute every account creation."""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from acctrace.commands.common import (
    LOG_PATHS,
    Progress,
    analysis_options,
    at_least,
    db_option,
    exit_partial_if,
    fail,
    hunt_options,
    not_an_input,
    opened_database,
    output_options,
    output_stream,
    use_color,
    warn,
    workers_option,
)
from acctrace.errors import AcctraceError

if TYPE_CHECKING:
    from acctrace.findings import HuntResult

MACHINE_FORMATS = ("csv-timeline", "ecs", "ocsf")  # each the name of a module in acctrace.report
HUNT_FORMATS = ("text", "json", *MACHINE_FORMATS)


@click.command()
@click.argument("paths", nargs=-1, type=LOG_PATHS)
@click.option("--json", "as_json", is_flag=True, help="One JSON finding per line on stdout.")
@db_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(HUNT_FORMATS),
    help="Output on stdout: text (default), json (= --json), csv-timeline, ecs or ocsf.",
)
@click.option(
    "--stats", is_flag=True, help="Records read, used, passed over and skipped, per input (stderr)."
)
@workers_option
@click.option(
    "--engine",
    type=click.Choice(["duckdb", "spark"]),
    default="duckdb",
    show_default=True,
    help="Where the correlation runs: embedded DuckDB, or Apache Spark (same analytic).",
)
@click.option(
    "--spark-master",
    default="local[*]",
    show_default=True,
    help="Spark master URL for --engine spark (ignored when run under spark-submit).",
)
@click.option(
    "--parquet",
    "parquet_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Parquet dataset (acctrace ingest --parquet): add PATHS to it, then hunt it all.",
)
@click.option(
    "--hops",
    type=click.IntRange(0, 10),
    default=3,
    show_default=True,
    help="How many remote-session hops to follow back to their origin.",
)
@output_options
@analysis_options
def hunt(
    paths: tuple[Path, ...],
    as_json: bool,
    db_path: Path | None,
    output_format: str | None,
    output: Path | None,
    min_severity: str,
    no_color: bool,
    stats: bool,
    workers: int,
    engine: str,
    spark_master: str,
    parquet_dir: Path | None,
    hops: int,
    **analysis: object,
) -> None:
    """Find every account created in PATHS (files, folders, .zip/.gz/.tar.gz; EVTX, JSON
    lines or event XML, detected from content) and attribute it.

    \b
    Examples:
      acctrace hunt C:/triage/                      readable summary
      acctrace hunt logs.zip --json > findings.jsonl
      acctrace hunt evtx/ --policy approved.yaml --window 300 --since 2024-03-01
      acctrace hunt evtx/ --format ecs > alerts.ndjson
      acctrace hunt evtx/ --min-severity medium -o findings.txt
    """
    if not paths and db_path is None and parquet_dir is None:
        raise click.UsageError("give PATHS to hunt, or --db / --parquet made by acctrace ingest")
    if db_path is not None and (parquet_dir is not None or engine == "spark"):
        raise click.UsageError("--db is the embedded store; use --parquet with --engine spark")
    if as_json and output_format not in (None, "json"):
        raise click.UsageError("--json is --format json; give one or the other")
    output_format = "json" if as_json else (output_format or "text")
    not_an_input(output, paths)
    from acctrace.pipeline import run
    from acctrace.report import stats as report_stats

    try:
        options = hunt_options(
            analysis,
            max_hops=hops,
            workers=workers or None,
            engine=engine,
            spark_master=spark_master,
            parquet=parquet_dir,
        )
    except AcctraceError as exc:
        fail(str(exc))
    reading_only = not paths  # a store watch writes to is read from its snapshot
    with Progress(list(paths)) as progress, opened_database(db_path, reading_only) as database:
        result = run(list(paths), options, warn, progress.advance, database)
    if not result.files and database is None and parquet_dir is None:
        fail("no readable event log in the given paths")
    with output_stream(output) as stream:
        render_format(result, output_format, stream, min_severity, use_color(stream, no_color))
    if stats:
        report_stats.render(result, sys.stderr)
    exit_partial_if(result.problems or any(f.skipped for f in result.files))


@click.command()
@click.argument("paths", nargs=-1, required=True, type=LOG_PATHS)
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The DuckDB store to add to (created when absent).",
)
@click.option(
    "--parquet",
    "parquet_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Or a Parquet dataset, partitioned by event kind and day, for DuckDB or Spark.",
)
@workers_option
def ingest(
    paths: tuple[Path, ...], db_path: Path | None, parquet_dir: Path | None, workers: int
) -> None:
    """Store the relevant events of PATHS, once each, for later hunts (`hunt --db FILE` or
    `hunt --parquet DIR`). Inputs a DuckDB store holds already are not read again.

    \b
    Examples:
      acctrace ingest /collections/2024-03-04/ --db soc.duckdb
      acctrace hunt --db soc.duckdb --since 2024-03-04T00:00:00
      acctrace ingest /collections/ --parquet lake/acctrace/
      acctrace hunt --parquet lake/acctrace/ --engine spark
    """
    if (db_path is None) == (parquet_dir is None):
        raise click.UsageError("give one of --db FILE or --parquet DIR")
    from acctrace.reading import read_inputs, stored_files
    from acctrace.storage import parquet

    with Progress(list(paths)) as progress, opened_database(db_path, create=True) as database:
        known = database.known_sha256() if database else frozenset()
        reading = read_inputs(list(paths), warn, progress.advance, known, workers or None)
        if database is not None:
            added = database.add(reading.store.tables(), stored_files(reading))
        else:
            added = parquet.write(reading.store.tables(), parquet_dir)
    if not reading.tallies and not reading.already_stored:
        fail("no readable event log in the given paths")
    read = sum(t.read for t in reading.tallies)
    click.echo(
        f"{len(reading.tallies)} inputs read ({read:,} records), {added:,} new events stored; "
        f"{len(reading.already_stored)} inputs already stored; {len(reading.problems)} input "
        f"problems",
        err=True,
    )
    exit_partial_if(reading.problems)


def render_format(
    result: HuntResult,
    output_format: str,
    stream: TextIO | None = None,
    min_severity: str = "info",
    color: bool = False,
) -> None:
    """Findings at or above MIN_SEVERITY in OUTPUT_FORMAT on `stream` (stdout); for machine
    formats the summary line goes to stderr."""
    from acctrace.report import jsonl, text

    stream = stream or sys.stdout
    result, hidden = at_least(result, min_severity)
    if output_format == "text":
        text.render(result, stream, color, hidden)
        return
    renderer = (
        jsonl
        if output_format == "json"
        else import_module("acctrace.report." + output_format.replace("-", "_"))
    )
    renderer.render(result, stream)
    click.echo(text.summary_line(result, hidden), err=True)


def render(result: HuntResult, as_json: bool) -> None:
    """Findings as readable text, or one JSON finding per line with the summary on stderr."""
    render_format(result, "json" if as_json else "text", color=use_color(sys.stdout, False))
