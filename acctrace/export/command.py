"""`acctrace export`: the click command. Targets are imported when chosen (Ibis is heavy)."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from acctrace.commands.common import fail, output_stream, policy_option, window_option

TARGETS = ("sigma", "eql", "sql", "kql", "spl")
SQL_DIALECTS = (
    "duckdb",
    "postgres",
    "spark",
    "databricks",
    "snowflake",
    "bigquery",
    "trino",
    "athena",
)


@click.command()
@click.option("--to", "target", type=click.Choice(TARGETS), required=True, help="Language.")
@click.option(
    "--dialect",
    type=click.Choice(SQL_DIALECTS),
    help="SQL dialect (with --to sql; default duckdb).",
)
@policy_option
@window_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write here instead of stdout.",
)
def export(
    target: str, dialect: str | None, policy: Path | None, window: float, output: Path | None
) -> None:
    """Write AN1604 as a detection for another platform: Sigma rules with a temporal
    correlation, an EQL sequence, SQL views for a data lake, a KQL or an SPL search.

    Each output starts with what it detects, what it cannot express, the acctrace version
    and the policy hash. The SQL views read the tables `acctrace ingest --parquet` writes.
    See docs/export.md.

    Examples:

      acctrace export --to sigma -o an1604.yml

      acctrace export --to sql --dialect databricks --policy approved.yaml -o an1604.sql
    """
    from acctrace.assess.policy import load_policy
    from acctrace.correlate.window import Window
    from acctrace.errors import AcctraceError
    from acctrace.export.definition import analytic_of

    if dialect is not None and target != "sql":
        raise click.UsageError("--dialect applies to --to sql only")
    try:
        spec = analytic_of(load_policy(policy) if policy else None, Window(before_s=window))
    except AcctraceError as exc:
        fail(str(exc))
    module = importlib.import_module(f"acctrace.export.{target}")
    text = module.render(spec, dialect or "duckdb") if target == "sql" else module.render(spec)
    with output_stream(output) as stream:
        stream.write(text)
