"""The command line: thin commands over the pipeline. stdout is data; the rest goes to stderr.

Exit codes: 0 the hunt ran (problems with some inputs are reported on stderr and counted);
1 nothing could be hunted (no readable input, or a bad policy file); 2 usage error.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from acctrace import __version__
from acctrace.assess.policy import load_policy
from acctrace.correlate.analytic import Window
from acctrace.errors import AcctraceError, InputProblem
from acctrace.findings import Finding, HuntResult
from acctrace.pipeline import HuntOptions, run
from acctrace.report import jsonl, text
from acctrace.scenario.writers import SHAPES, write_demo

E_OK, E_NOTHING, E_USAGE = 0, 1, 2
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


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON finding per line on stdout.")
@click.option(
    "--policy",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML file of approved provisioning workflows.",
)
@click.option(
    "--window",
    type=click.FloatRange(min=0),
    default=Window.before_s,
    show_default=True,
    help="Seconds before a creation in which the creating process may have started.",
)
@click.option("--since", help="Only accounts created at or after this time (ISO 8601, UTC).")
@click.option("--until", help="Only accounts created at or before this time (ISO 8601, UTC).")
@click.option(
    "--no-builtin-benign",
    is_flag=True,
    help="Do not lower findings for accounts Windows and installers create routinely.",
)
def hunt(
    paths: tuple[Path, ...],
    as_json: bool,
    policy: Path | None,
    window: float,
    since: str | None,
    until: str | None,
    no_builtin_benign: bool,
) -> None:
    """Find every account created in PATHS (files, folders, .zip/.gz/.tar.gz; EVTX, JSON
    lines or event XML, detected from content) and attribute it.

    \b
    Examples:
      acctrace hunt C:/triage/                      readable summary
      acctrace hunt logs.zip --json > findings.jsonl
      acctrace hunt evtx/ --policy approved.yaml --window 300 --since 2024-03-01
    """
    try:
        options = HuntOptions(
            window=Window(before_s=window),
            policy=load_policy(policy) if policy else None,
            builtin_benign=not no_builtin_benign,
            since_us=_time(since),
            until_us=_time(until),
        )
    except AcctraceError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(E_NOTHING)
    with _Progress(list(paths)) as progress:
        result = run(list(paths), options, on_problem=_warn, on_input=progress.advance)
    if not result.files:
        click.echo("error: no readable event log in the given paths", err=True)
        sys.exit(E_NOTHING)
    _render(result, as_json)


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
    files = write_demo(out, shape, seed)
    policy = out / "policy.yaml"
    policy.write_text(DEMO_POLICY.read_text(encoding="utf-8"), encoding="utf-8")
    click.echo(f"wrote {len(files)} {shape} logs and {policy} to {out}/; hunting them:\n", err=True)
    result = run(files, HuntOptions(policy=load_policy(policy)), on_problem=_warn)
    _render(result, as_json)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of one finding (each line of `hunt --json`)."""
    click.echo(json.dumps(Finding.model_json_schema(), indent=2))


def _warn(problem: InputProblem) -> None:
    click.echo(f"warning: {text.safe(problem)}", err=True)


class _Progress:
    """A progress bar on stderr, only when it is a terminal; advances per top-level file."""

    def __init__(self, paths: list[Path]):
        self.enabled = sys.stderr.isatty()
        self.bar = None
        self.done: set[str] = set()
        if self.enabled:
            total = sum(1 for p in paths for _ in (p.rglob("*") if p.is_dir() else [p]))
            self.bar = click.progressbar(length=max(total, 1), label="reading", file=sys.stderr)

    def __enter__(self) -> _Progress:
        if self.bar:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar:
            self.bar.__exit__(*exc)

    def advance(self, name: str) -> None:
        top = name.split("!", 1)[0]
        if self.bar and top not in self.done:
            self.done.add(top)
            self.bar.update(1)


def main() -> None:
    cli()
