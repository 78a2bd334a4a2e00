"""Commands for people and auditors: `report`, `case`, `verify`, and `schema` of a finding."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from acctrace.commands.common import (
    E_NOTHING,
    E_OK,
    LOG_PATHS,
    analysis_options,
    db_option,
    exit_partial_if,
    fail,
    hunt_options,
    not_an_input,
    opened_database,
    output_option,
    output_stream,
    warn,
)
from acctrace.correlate.window import Window
from acctrace.errors import AcctraceError

if TYPE_CHECKING:
    from acctrace.findings import Finding
    from acctrace.report.load import Gathered


def _gather(paths: tuple[Path, ...], db_path: Path | None = None, **analysis: object) -> Gathered:
    """Hunt the logs in PATHS (and the store at DB_PATH, as `hunt --db` does) and load the
    saved findings among them; exit 1 when there is nothing."""
    from acctrace.report.load import gather

    if not paths and db_path is None:
        raise click.UsageError("give PATHS, or --db made by acctrace ingest")
    try:
        options = hunt_options(analysis)
        with opened_database(db_path, reading_only=not paths) as database:
            gathered = gather(list(paths), options, on_problem=warn, database=database)
    except AcctraceError as exc:
        fail(str(exc))
    if not gathered.result.files and not gathered.saved_findings and db_path is None:
        fail("no readable event log or saved findings in the given paths")
    return gathered


@click.command()
@click.argument("paths", nargs=-1, type=LOG_PATHS)
@output_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["html", "md"]),
    default="html",
    show_default=True,
    help="One self-contained HTML page, or Markdown for tickets and wikis.",
)
@db_option
@analysis_options
def report(
    paths: tuple[Path, ...],
    output: Path | None,
    output_format: str,
    db_path: Path | None,
    **analysis: object,
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
      acctrace report --db soc.duckdb --hosts inventory.csv --since 2024-03-01 -o report.html
    """
    from acctrace.readiness import readiness_of
    from acctrace.report import html, markdown
    from acctrace.report.casefile import plural

    not_an_input(output, paths)
    gathered = _gather(paths, db_path, **analysis)
    context = html.ReportContext(
        saved_findings=gathered.saved_findings,
        readiness=readiness_of(gathered.log_paths, gathered.result.findings),
    )
    renderer = html if output_format == "html" else markdown
    with output_stream(output) as stream:
        renderer.render(gathered.result, stream, context)
    if output is not None:
        click.echo(f"wrote {output}: {plural(len(gathered.result.findings), 'case')}", err=True)
    exit_partial_if(gathered.result.problems)


@click.command()
@click.argument("finding_id")
@click.argument("paths", nargs=-1, type=LOG_PATHS)
@click.option(
    "--bundle",
    "bundle_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The zip to write.",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Persistent store (`ingest` or `watch`): find the finding in it, read only (its "
    "snapshot while `watch` writes it). The records are read again from PATHS when given, "
    "else from the files the store names.",
)
@click.option(
    "--include-secrets",
    is_flag=True,
    help="Keep the records raw, with any password typed on a command line (marked in the "
    "manifest); by default they are redacted and only their SHA-256 is of the original.",
)
@click.option(
    "--sign-key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Ed25519 private key (unencrypted PEM) to sign the manifest with (manifest.sig).",
)
@analysis_options
def case(
    finding_id: str,
    paths: tuple[Path, ...],
    bundle_path: Path,
    db_path: Path | None,
    include_secrets: bool,
    sign_key: Path | None,
    **analysis: object,
) -> None:
    """An evidence bundle for one finding: its JSON, its report page, the raw records it rests
    on (read again from the logs in PATHS) and a manifest of SHA-256 hashes.

    FINDING_ID is a finding's id or a unique prefix of it. PATHS must hold the logs the
    finding came from; saved `hunt --json` output may be given beside them. With --db, the
    finding comes from the store (an alert's id from `watch`), and PATHS are optional.

    \b
    Examples:
      acctrace case b6a285234d5d evtx/ --bundle case.zip
      acctrace case b6a285234d5d evtx/ --bundle case.zip --sign-key ir-team.pem
      acctrace case b6a285234d5d --db soc.duckdb --bundle case.zip
      acctrace verify case.zip --logs evtx/
    """
    from acctrace.report import bundle
    from acctrace.report.text import safe

    if not paths and db_path is None:
        raise click.UsageError("give PATHS holding the finding's logs, or --db")
    not_an_input(bundle_path, paths)
    gathered = _gather(() if db_path else paths, db_path, **analysis)
    matches = [f for f in gathered.result.findings if f.id.startswith(finding_id)]
    if len(matches) != 1:
        what = "no finding" if not matches else f"{len(matches)} findings"
        fail(f"{what} with id {safe(finding_id)}")
    finding = matches[0]
    logs = gathered.log_paths if db_path is None else list(paths) or _named_logs(finding)
    command_line = ["acctrace", "case", finding_id, *map(str, paths), "--bundle", str(bundle_path)]
    if db_path is not None:
        command_line += ["--db", str(db_path)]
    if include_secrets:
        command_line.append("--include-secrets")
        click.echo("warning: the bundle keeps raw records, with their secrets", err=True)
    for name, value in analysis.items():  # the analysis options that were given
        if value not in (None, False, Window.before_s):
            flag = "--" + name.replace("_", "-")
            command_line += [flag] if value is True else [flag, str(value)]
    try:
        made = bundle.make_bundle(
            finding,
            gathered.result,
            logs,
            bundle_path,
            command_line,
            include_secrets,
            sign_key,
        )
    except AcctraceError as exc:
        fail(str(exc))
    click.echo(
        f"wrote {safe(made.path)}: finding {safe(finding.id)}, {made.records} records"
        + (f", {made.missing} not found in the logs" if made.missing else "")
        + f"; manifest SHA-256 {made.manifest_sha256}",
        err=True,
    )
    exit_partial_if(gathered.result.problems or made.missing)


def _named_logs(finding: Finding) -> list[Path]:
    """The files a stored finding's records were read from, as the store names them (an
    archive's member by its archive), that are still there."""
    named = {Path(source.file.split("!", 1)[0]) for source in finding.sources}
    return sorted(path for path in named if path.is_file())


@click.command()
@click.argument("bundle_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--logs",
    multiple=True,
    type=LOG_PATHS,
    help="The original logs: also check that every bundled record is in them (repeatable).",
)
@click.option(
    "--public-key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Ed25519 public key (PEM): the manifest must carry a signature by its private key.",
)
def verify(bundle_path: Path, logs: tuple[Path, ...], public_key: Path | None) -> None:
    """Check an evidence bundle made by `acctrace case`: every file against the manifest's
    SHA-256, the records against the finding, and with --logs against the original logs.
    Exit status 0 when everything holds, 1 otherwise.

    \b
    Examples:
      acctrace verify case.zip
      acctrace verify case.zip --logs evtx/ --logs more.zip
      acctrace verify case.zip --public-key ir-team.pub.pem
    """
    from acctrace.report import bundle
    from acctrace.report.text import safe

    try:
        result = bundle.verify(bundle_path, list(logs) if logs else None, public_key)
    except AcctraceError as exc:
        fail(str(exc))
    for line in result.checked:
        click.echo(f"ok      {safe(line)}")
    for line in result.problems:
        click.echo(f"FAILED  {safe(line)}")
    if result.manifest_sha256:
        click.echo(f"manifest SHA-256 {result.manifest_sha256}")
    verdict = "verified" if result.ok else f"{len(result.problems)} problems"
    click.echo(f"{bundle_path}: {verdict}")
    sys.exit(E_OK if result.ok else E_NOTHING)


@click.command()
def schema() -> None:
    """Print the JSON Schema of one finding (each line of `hunt --json`)."""
    from acctrace.findings import Finding

    click.echo(json.dumps(Finding.model_json_schema(), indent=2))
