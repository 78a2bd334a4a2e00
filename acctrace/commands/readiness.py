"""The commands of telemetry readiness and tuning: `coverage`, `baseline`, `explain`.

Registered lazily in acctrace/cli.py; thin shells over acctrace.readiness and
acctrace.baseline, imported when a command runs (see acctrace/commands/__init__.py).
stdout is data; warnings go to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from acctrace.commands.common import (
    E_NOTHING,
    LOG_PATHS,
    db_option,
    exit_partial_if,
    fail,
    hosts_option,
    opened_database,
    warn,
)
from acctrace.errors import AcctraceError

if TYPE_CHECKING:
    from acctrace.pipeline import HuntOptions


@click.command()
@click.argument("paths", nargs=-1, required=True, type=LOG_PATHS)
@click.option("--json", "as_json", is_flag=True, help="The coverage document as JSON on stdout.")
@click.option(
    "--detail", is_flag=True, help="Each host in full (channels, telemetry, methods) first."
)
@hosts_option
def coverage(paths: tuple[Path, ...], as_json: bool, detail: bool, hosts: Path | None) -> None:
    """Telemetry readiness per host: which channels and events the logs hold, tampering
    (clears, audit policy changes, gaps), whether each way of creating an account could be
    attributed, and the settings that would fix what is missing (docs/coverage.md).

    \b
    Examples:
      acctrace coverage evtx/
      acctrace coverage logs.zip --json > coverage.json
      acctrace coverage evtx/ --detail --hosts inventory.csv
    """
    from acctrace.readiness import coverage as measure
    from acctrace.readiness import text

    report = measure(list(paths), on_problem=warn, options=_with_inventory(hosts))
    if not report.files:
        click.echo("error: no readable event log in the given paths", err=True)
        sys.exit(E_NOTHING)
    if as_json:
        click.echo(report.model_dump_json(indent=2))
    else:
        text.render(report, sys.stdout, detail)
    exit_partial_if()


@click.command()
@click.argument("paths", nargs=-1, type=LOG_PATHS)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Policy file to write the proposed workflows to.",
)
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Creations a combination needs to be proposed.",
)
@click.option(
    "--min-days",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Different days it must be seen on (a one-off burst is not routine).",
)
@db_option
@hosts_option
def baseline(
    paths: tuple[Path, ...],
    out: Path,
    min_count: int,
    min_days: int,
    db_path: Path | None,
    hosts: Path | None,
) -> None:
    """Learn routine account creation from past logs in PATHS and write it as PROPOSED
    approved workflows (policy format, commented with counts, first/last seen and an
    example finding), for review. Attack-looking creations are never proposed.

    \b
    Examples:
      acctrace baseline last-quarter/ --out proposed.yaml
      acctrace hunt today/ --baseline proposed.yaml
      acctrace baseline --db soc.duckdb --hosts inventory.csv --out proposed.yaml
    """
    from acctrace.assess.policy import load_policy
    from acctrace.baseline.learn import learn

    if not paths and db_path is None:
        raise click.UsageError("give PATHS, or --db made by acctrace ingest")
    options = _with_inventory(hosts)
    with opened_database(db_path, reading_only=not paths) as database:
        proposal, policy_text, files = learn(
            list(paths), min_count, min_days, warn, options, database
        )
    if not files and db_path is None:
        click.echo("error: no readable event log in the given paths", err=True)
        sys.exit(E_NOTHING)
    out.write_text(policy_text, encoding="utf-8")
    try:
        load_policy(out)  # what we write must be what hunt --policy accepts
    except AcctraceError as exc:  # pragma: no cover - a bug, reported plainly
        click.echo(f"error: wrote an invalid policy: {exc}", err=True)
        sys.exit(E_NOTHING)
    from acctrace.report.casefile import plural

    click.echo(
        f"{plural(len(proposal.groups), 'proposed workflow')} written to {out}; "
        f"{plural(len(proposal.attack_looking), 'attack-looking creation')} left out",
        err=True,
    )
    exit_partial_if()


def _with_inventory(hosts: Path | None) -> HuntOptions | None:
    """The hunt's options with the --hosts inventory (None without one); exit 1 on a bad file."""
    if hosts is None:
        return None
    from acctrace.assess.inventory import load_inventory
    from acctrace.pipeline import HuntOptions

    try:
        return HuntOptions(inventory=load_inventory(hosts))
    except AcctraceError as exc:
        fail(str(exc))


@click.command()
def explain() -> None:
    """What ATT&CK analytic AN1604 is, its log sources and tunables, how acctrace
    implements each and where you set it, and its sibling analytics (from bundled data).

    \b
    Example:
      acctrace explain
    """
    from acctrace.readiness import explain as explainer

    explainer.render(sys.stdout)
