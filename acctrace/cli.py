"""The command line: thin commands over the pipeline. stdout is data; the rest goes to stderr.

Exit codes: 0 the hunt ran and read everything; 1 nothing could be hunted (no readable
input, or a bad policy file); 2 usage error; 3 the hunt ran, but some input could not be
read or some records were skipped (each is a warning on stderr).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import click

from acctrace import __version__
from acctrace.assess.inventory import Inventory, load_inventory
from acctrace.assess.policy import load_policy
from acctrace.baseline.novelty import load_baseline
from acctrace.correlate.analytic import Window
from acctrace.errors import AcctraceError, InputProblem
from acctrace.findings import Finding, HuntResult
from acctrace.pipeline import HuntOptions, run
from acctrace.readiness import readiness_of
from acctrace.readiness.commands import baseline, coverage, explain
from acctrace.reading import read_inputs, stored_files
from acctrace.report import bundle, csv_timeline, ecs, html, jsonl, markdown, ocsf, text
from acctrace.report import stats as report_stats
from acctrace.report.load import Gathered, gather
from acctrace.scenario.writers import SHAPES, write_demo
from acctrace.storage import parquet
from acctrace.storage.database import EventDatabase, open_for_reading

E_OK, E_NOTHING, E_USAGE = 0, 1, 2
MACHINE_FORMATS = {"csv-timeline": csv_timeline, "ecs": ecs, "ocsf": ocsf}
HUNT_FORMATS = ("text", "json", *MACHINE_FORMATS)
E_PARTIAL = 3  # the hunt ran, but not everything could be read: see docs/reliability.md
DEMO_POLICY = Path(__file__).parent / "scenario" / "demo-policy.yaml"


def _time(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date or time") from exc
    t = t if t.tzinfo else t.replace(tzinfo=UTC)
    return int(t.timestamp()) * 1_000_000 + t.microsecond


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="acctrace")
def cli() -> None:
    """Attribute every Windows account creation: who, with what, what happened next, and
    whether it was approved (MITRE ATT&CK AN1604, T1136)."""


_WORKERS = click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=0,
    show_default=True,
    help="Processes reading files in parallel; 0 chooses (every core for large collections).",
)

_ANALYSIS = (
    click.option(
        "--policy",
        type=click.Path(path_type=Path, dir_okay=False),
        help="YAML file of approved provisioning workflows.",
    ),
    click.option(
        "--window",
        type=click.FloatRange(min=0),
        default=Window.before_s,
        show_default=True,
        help="Seconds before a creation in which the creating process may have started.",
    ),
    click.option("--since", help="Only accounts created at or after this time (ISO 8601, UTC)."),
    click.option("--until", help="Only accounts created at or before this time (ISO 8601, UTC)."),
    click.option(
        "--no-builtin-benign",
        is_flag=True,
        help="Do not lower findings for accounts Windows and installers create routinely.",
    ),
)


def _analysis_options(command):  # type: ignore[no-untyped-def]
    """The analysis options hunt, report and case share."""
    for option in reversed(_ANALYSIS):
        command = option(command)
    return command


def _hunt_options(analysis: dict, **more: object) -> HuntOptions:
    """HuntOptions from the shared analysis options (raises AcctraceError on a bad policy)."""
    policy = analysis["policy"]
    return HuntOptions(
        window=Window(before_s=float(analysis["window"])),
        policy=load_policy(policy) if policy else None,
        builtin_benign=not analysis["no_builtin_benign"],
        since_us=_time(analysis["since"]),
        until_us=_time(analysis["until"]),
        **more,
    )


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON finding per line on stdout.")
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Persistent store (acctrace ingest): add PATHS to it, then hunt everything it holds.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(HUNT_FORMATS),
    help="Output on stdout: text (default), json (= --json), csv-timeline, ecs or ocsf.",
)
@click.option(
    "--stats", is_flag=True, help="Records read, used, passed over and skipped, per input (stderr)."
)
@click.option(
    "--hosts",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Host inventory (CSV or YAML: name, ips, role) to resolve addresses and roles.",
)
@_WORKERS
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
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Policy file written by `acctrace baseline`, read as history: adds first_seen_creator, "
    "first_seen_tool and burst reasons.",
)
@_analysis_options
def hunt(
    paths: tuple[Path, ...],
    as_json: bool,
    db_path: Path | None,
    output_format: str | None,
    stats: bool,
    hosts: Path | None,
    workers: int,
    engine: str,
    spark_master: str,
    parquet_dir: Path | None,
    hops: int,
    baseline_file: Path | None,
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
    """
    if not paths and db_path is None and parquet_dir is None:
        raise click.UsageError("give PATHS to hunt, or --db / --parquet made by acctrace ingest")
    if db_path is not None and (parquet_dir is not None or engine == "spark"):
        raise click.UsageError("--db is the embedded store; use --parquet with --engine spark")
    if as_json and output_format not in (None, "json"):
        raise click.UsageError("--json is --format json; give one or the other")
    output_format = "json" if as_json else (output_format or "text")
    try:
        options = _hunt_options(
            analysis,
            max_hops=hops,
            workers=workers or None,
            engine=engine,
            spark_master=spark_master,
            parquet=parquet_dir,
            inventory=load_inventory(hosts) if hosts else Inventory(),
            baseline=load_baseline(baseline_file) if baseline_file else None,
        )
    except AcctraceError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(E_NOTHING)
    reading_only = not paths  # a store watch writes to is read from its snapshot
    with _Progress(list(paths)) as progress, _database(db_path, reading_only) as database:
        result = run(list(paths), options, _warn, progress.advance, database)
    if not result.files and database is None and parquet_dir is None:
        click.echo("error: no readable event log in the given paths", err=True)
        sys.exit(E_NOTHING)
    _render_format(result, output_format)
    if stats:
        report_stats.render(result, sys.stderr)
    if result.problems or any(f.skipped for f in result.files):
        sys.exit(E_PARTIAL)


@contextmanager
def _database(path: Path | None, reading_only: bool = False) -> Iterator[EventDatabase | None]:
    if path is None:
        yield None
        return
    try:
        database = open_for_reading(path) if reading_only else EventDatabase(path)
    except AcctraceError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(E_NOTHING)
    try:
        yield database
    finally:
        database.close()


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
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
@_WORKERS
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
    with _Progress(list(paths)) as progress, _database(db_path) as database:
        known = database.known_sha256() if database else frozenset()
        reading = read_inputs(list(paths), _warn, progress.advance, known, workers or None)
        if database is not None:
            added = database.add(reading.store.tables(), stored_files(reading))
        else:
            added = parquet.write(reading.store.tables(), parquet_dir)
    read = sum(t.read for t in reading.tallies)
    click.echo(
        f"{len(reading.tallies)} inputs read ({read:,} records), {added:,} new events stored; "
        f"{len(reading.already_stored)} inputs already stored; {len(reading.problems)} input "
        f"problems",
        err=True,
    )
    if reading.problems:
        sys.exit(E_PARTIAL)


def _render_format(result: HuntResult, output_format: str) -> None:
    if output_format in ("text", "json"):
        _render(result, output_format == "json")
        return
    MACHINE_FORMATS[output_format].render(result, sys.stdout)
    click.echo(text.summary_line(result), err=True)


def _render(result: HuntResult, as_json: bool) -> None:
    if as_json:
        jsonl.render(result, sys.stdout)
        click.echo(text.summary_line(result), err=True)
    else:
        text.render(result, sys.stdout)


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo"),
    show_default=True,
    help="Folder for the generated logs and the example policy.",
)
@click.option(
    "--format",
    "shape",
    type=click.Choice(SHAPES),
    default="ecs",
    show_default=True,
    help="Which supported input shape to write the logs in.",
)
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the story.")
@click.option("--json", "as_json", is_flag=True, help="One JSON finding per line on stdout.")
def demo(out: Path, shape: str, seed: int, as_json: bool) -> None:
    """Generate a small domain's Security and Sysmon logs (benign provisioning and four
    attacks) with an example policy, then hunt them with that policy.

    \b
    Examples:
      acctrace demo
      acctrace demo --out /tmp/corp --format xml
    """
    logs = out / "logs"
    files = write_demo(logs, shape, seed)
    policy = out / "policy.yaml"
    policy.write_text(DEMO_POLICY.read_text(encoding="utf-8"), encoding="utf-8")
    click.echo(f"wrote {len(files)} {shape} logs to {logs}/ and {policy}; hunting:\n", err=True)
    result = run(files, HuntOptions(policy=load_policy(policy)), on_problem=_warn)
    _render(result, as_json)
    report = out / "report.html"
    click.echo(
        f"\nA report to read in a browser: acctrace report {logs} --policy {policy} -o {report}",
        err=True,
    )


@cli.command()
def schema() -> None:
    """Print the JSON Schema of one finding (each line of `hunt --json`)."""
    click.echo(json.dumps(Finding.model_json_schema(), indent=2))


def _gather(paths: tuple[Path, ...], **analysis: object) -> Gathered:
    """Hunt the logs in PATHS and load the saved findings among them; exit 1 when neither."""
    try:
        options = _hunt_options(analysis)
        gathered = gather(list(paths), options, on_problem=_warn)
    except AcctraceError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(E_NOTHING)
    if not gathered.result.files and not gathered.saved_findings:
        click.echo("error: no readable event log or saved findings in the given paths", err=True)
        sys.exit(E_NOTHING)
    return gathered


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: stdout).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["html", "md"]),
    default="html",
    show_default=True,
    help="One self-contained HTML page, or Markdown for tickets and wikis.",
)
@_analysis_options
def report(
    paths: tuple[Path, ...], output: Path | None, output_format: str, **analysis: object
) -> None:
    """A report people read: an overview, then one case per finding, most severe first,
    with its lineage, timeline, verdict, response checklist and evidence.

    PATHS are event logs (hunted as by `hunt`) or saved `hunt --json` output (rendered
    again without re-analysis), or both.

    \b
    Examples:
      acctrace report evtx/ -o report.html
      acctrace hunt evtx/ --json > findings.jsonl && acctrace report findings.jsonl -o report.html
      acctrace report logs.zip --format md --policy approved.yaml -o report.md
    """
    gathered = _gather(paths, **analysis)
    context = html.ReportContext(
        saved_findings=gathered.saved_findings,
        readiness=readiness_of(gathered.log_paths, gathered.result.findings),
    )
    renderer = html if output_format == "html" else markdown
    if output is None:
        renderer.render(gathered.result, sys.stdout, context)
    else:
        with open(output, "w", encoding="utf-8") as stream:
            renderer.render(gathered.result, stream, context)
        click.echo(f"wrote {output}: {len(gathered.result.findings)} cases", err=True)


@cli.command()
@click.argument("finding_id")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--bundle",
    "bundle_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The zip to write.",
)
@_analysis_options
def case(finding_id: str, paths: tuple[Path, ...], bundle_path: Path, **analysis: object) -> None:
    """An evidence bundle for one finding: its JSON, its report page, the raw records it rests
    on (read again from the logs in PATHS) and a manifest of SHA-256 hashes.

    FINDING_ID is a finding's id or a unique prefix of it. PATHS must hold the logs the
    finding came from; saved `hunt --json` output may be given beside them.

    \b
    Examples:
      acctrace case b6a285234d5d evtx/ --bundle case.zip
      acctrace verify case.zip --logs evtx/
    """
    gathered = _gather(paths, **analysis)
    matches = [f for f in gathered.result.findings if f.id.startswith(finding_id)]
    if len(matches) != 1:
        what = "no finding" if not matches else f"{len(matches)} findings"
        click.echo(f"error: {what} with id {text.safe(finding_id)}", err=True)
        sys.exit(E_NOTHING)
    command_line = ["acctrace", "case", finding_id, *map(str, paths), "--bundle", str(bundle_path)]
    for name, value in analysis.items():  # the analysis options that were given
        if value not in (None, False, Window.before_s):
            flag = "--" + name.replace("_", "-")
            command_line += [flag] if value is True else [flag, str(value)]
    made = bundle.make_bundle(
        matches[0], gathered.result, gathered.log_paths, bundle_path, command_line
    )
    click.echo(
        f"wrote {made.path}: finding {matches[0].id}, {made.records} records"
        + (f", {made.missing} not found in the logs" if made.missing else "")
        + f"; manifest SHA-256 {made.manifest_sha256}",
        err=True,
    )


@cli.command()
@click.argument("bundle_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--logs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="The original logs: also check that every bundled record is in them (repeatable).",
)
def verify(bundle_path: Path, logs: tuple[Path, ...]) -> None:
    """Check an evidence bundle made by `acctrace case`: every file against the manifest's
    SHA-256, the records against the finding, and with --logs against the original logs.
    Exit status 0 when everything holds, 1 otherwise.

    \b
    Examples:
      acctrace verify case.zip
      acctrace verify case.zip --logs evtx/ --logs more.zip
    """
    result = bundle.verify(bundle_path, list(logs) if logs else None)
    for line in result.checked:
        click.echo(f"ok      {text.safe(line)}")
    for line in result.problems:
        click.echo(f"FAILED  {text.safe(line)}")
    verdict = "verified" if result.ok else f"{len(result.problems)} problems"
    click.echo(f"{bundle_path}: {verdict}")
    sys.exit(E_OK if result.ok else E_NOTHING)


def _warn(problem: InputProblem) -> None:
    click.echo(f"warning: {text.safe(problem)}", err=True)


class _Progress:
    """A progress bar on stderr, only when it is a terminal: files done, records read and
    records per second."""

    def __init__(self, paths: list[Path]):
        self.bar = None
        self.done: set[str] = set()
        self.records = 0
        self.started = time.monotonic()
        if sys.stderr.isatty():
            total = sum(1 for p in paths for _ in (p.rglob("*") if p.is_dir() else [p]))
            self.bar = click.progressbar(
                length=max(total, 1),
                label="reading",
                file=sys.stderr,
                item_show_func=lambda rate: rate,
            )

    def __enter__(self) -> _Progress:
        if self.bar:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar:
            self.bar.__exit__(*exc)

    def advance(self, name: str, records: int = 0) -> None:
        """After each input: count its records; step the bar once per top-level file."""
        self.records += records
        if self.bar is None:
            return
        seconds = max(time.monotonic() - self.started, 1e-6)
        rate = f"{self.records:,} records, {self.records / seconds:,.0f}/s"
        top = name.split("!", 1)[0]
        step = 0 if top in self.done else 1
        self.done.add(top)
        self.bar.update(step, rate)


for _command in (coverage, baseline, explain):  # telemetry readiness and tuning (issue 4)
    cli.add_command(_command)


def main() -> None:
    cli()
