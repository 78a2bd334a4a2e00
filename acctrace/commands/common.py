"""What the commands share: exit codes, the analysis options, warnings, progress, the store.

Light on purpose (see acctrace/commands/__init__.py): the pipeline, policy loading and the
store are imported inside the functions that use them.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO, TypeVar

import click

from acctrace.correlate.window import Window
from acctrace.errors import AcctraceError, InputProblem

if TYPE_CHECKING:
    from acctrace.findings import HuntResult
    from acctrace.pipeline import HuntOptions
    from acctrace.storage.database import EventDatabase

# Exit codes (documented in cli.py and docs/reliability.md).
E_OK, E_NOTHING, E_USAGE, E_PARTIAL = 0, 1, 2, 3

F = TypeVar("F", bound=Callable[..., object])


def parse_time(value: str | None) -> int | None:
    """An ISO 8601 time on the command line as microseconds since the epoch (naive = UTC)."""
    if value is None:
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date or time") from exc
    t = t if t.tzinfo else t.replace(tzinfo=UTC)
    return int(t.timestamp()) * 1_000_000 + t.microsecond


workers_option = click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=0,
    show_default=True,
    help="Processes reading in parallel; 0: one per idle core for large input (a large "
    "EVTX or JSON-lines file is read in pieces).",
)

policy_option = click.option(
    "--policy",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML file of approved provisioning workflows.",
)
window_option = click.option(
    "--window",
    type=click.FloatRange(min=0),
    default=Window.before_s,
    show_default=True,
    help="Seconds before a creation in which the creating process may have started.",
)

hosts_option = click.option(
    "--hosts",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Host inventory (CSV or YAML: name, ips, role) to resolve addresses and roles.",
)

_ANALYSIS = (
    policy_option,
    window_option,
    click.option("--since", help="Only accounts created at or after this time (ISO 8601, UTC)."),
    click.option("--until", help="Only accounts created at or before this time (ISO 8601, UTC)."),
    click.option(
        "--no-builtin-benign",
        is_flag=True,
        help="Do not lower findings for accounts Windows and installers create routinely.",
    ),
    hosts_option,
    click.option(
        "--baseline",
        "baseline_file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Policy file written by `acctrace baseline`, read as history: adds "
        "first_seen_creator, first_seen_tool and burst reasons.",
    ),
)

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Persistent store (acctrace ingest): add PATHS to it, then use everything it holds.",
)


def analysis_options(command: F) -> F:
    """The analysis options hunt, report and case share."""
    for option in reversed(_ANALYSIS):
        command = option(command)
    return command


SEVERITIES = ("info", "low", "medium", "high", "critical")

output_option = click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the output to FILE instead of stdout.",
)

_OUTPUT = (
    output_option,
    click.option(
        "--min-severity",
        type=click.Choice(SEVERITIES),
        default="info",
        show_default=True,
        help="Leave out findings below this severity (the closing line counts them).",
    ),
    click.option(
        "--no-color",
        is_flag=True,
        help="No colour in text output (also when NO_COLOR is set or output is not a terminal).",
    ),
)


def output_options(command: F) -> F:
    """Where the findings go and which of them: -o FILE, --min-severity, --no-color."""
    for option in reversed(_OUTPUT):
        command = option(command)
    return command


def use_color(stream: object, no_color: bool) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    isatty = getattr(stream, "isatty", None)
    return not no_color and not os.environ.get("NO_COLOR") and bool(isatty and isatty())


@contextmanager
def output_stream(path: Path | None) -> Iterator[TextIO]:
    """stdout, or FILE (written as UTF-8) for -o FILE."""
    if path is None:
        yield sys.stdout
        return
    try:
        stream = path.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        fail(f"{path}: cannot write: {exc.strerror or exc}")
    with stream:
        yield stream


def at_least(result: HuntResult, min_severity: str) -> tuple[HuntResult, int]:
    """The result without findings below MIN_SEVERITY, and how many were left out."""
    from acctrace.findings import SEVERITY_ORDER

    floor = SEVERITY_ORDER[min_severity]
    kept = [f for f in result.findings if SEVERITY_ORDER[f.verdict.severity] >= floor]
    hidden = len(result.findings) - len(kept)
    return (result.model_copy(update={"findings": kept}) if hidden else result), hidden


def hunt_options(analysis: dict, **more: object) -> HuntOptions:
    """HuntOptions from the shared analysis options (raises AcctraceError on a bad policy,
    inventory or baseline file; a usage error when --since is after --until)."""
    from acctrace.assess.inventory import Inventory, load_inventory
    from acctrace.assess.policy import load_policy
    from acctrace.baseline.novelty import load_baseline
    from acctrace.pipeline import HuntOptions

    since, until = parse_time(analysis["since"]), parse_time(analysis["until"])
    if since is not None and until is not None and since > until:
        raise click.UsageError(
            f"--since {analysis['since']} is after --until {analysis['until']}: no account "
            "could match"
        )
    policy, hosts, baseline = (analysis.get(k) for k in ("policy", "hosts", "baseline_file"))
    return HuntOptions(
        window=Window(before_s=float(analysis["window"])),
        policy=load_policy(policy) if policy else None,
        builtin_benign=not analysis["no_builtin_benign"],
        since_us=since,
        until_us=until,
        inventory=load_inventory(hosts) if hosts else Inventory(),
        baseline=load_baseline(baseline) if baseline else None,
        **more,
    )


def warn(problem: InputProblem) -> None:
    """An input problem as one warning line on stderr; the run goes on."""
    from acctrace.report.text import safe

    click.echo(f"warning: {safe(problem)}", err=True)
    context = click.get_current_context(silent=True)
    if context is not None:
        context.meta[_WARNINGS] = context.meta.get(_WARNINGS, 0) + 1


# Logs to read: a file that exists but cannot be read is a warning from discovery (the run
# goes on), not click's usage error for the whole command.
LOG_PATHS = click.Path(path_type=Path, readable=False)
_WARNINGS = "acctrace.warnings"  # click's per-invocation meta: how many warnings were given


def warned() -> int:
    """How many warnings this command gave so far."""
    context = click.get_current_context(silent=True)
    return context.meta.get(_WARNINGS, 0) if context else 0


def exit_partial_if(problems: object = None) -> None:
    """The exit contract's 3, the same for every command: it ran, but something given
    could not be read or used (each is a warning on stderr). 0 is the caller's return."""
    if problems or warned():
        sys.exit(E_PARTIAL)


def not_an_input(output: Path | None, inputs: tuple[Path, ...] | list[Path]) -> None:
    """A usage error when OUTPUT would overwrite an input: a path given, or a file in a
    folder given (an evidence log must never be truncated by its own report)."""
    if output is None or not output.exists():
        return
    target = output.resolve()
    for given in inputs:
        source = given.resolve()
        if target == source or (source.is_dir() and source in target.parents):
            raise click.UsageError(f"{output} is one of the inputs: it would be overwritten")


def fail(message: str) -> NoReturn:
    """Nothing could be done: one error line on stderr, exit 1."""
    click.echo(f"error: {message}", err=True)
    sys.exit(E_NOTHING)


@contextmanager
def opened_database(
    path: Path | None, reading_only: bool = False, create: bool = False
) -> Iterator[EventDatabase | None]:
    """The persistent store at PATH (None when not asked for), made when absent only if
    `create` (ingest); exit 1 when it cannot be opened or written (a full disk)."""
    if path is None:
        yield None
        return
    from acctrace.storage.database import EventDatabase, StoreError, open_for_reading

    try:
        database = open_for_reading(path) if reading_only else EventDatabase(path, create=create)
    except AcctraceError as exc:
        fail(str(exc))
    try:
        yield database
    except StoreError as exc:
        fail(str(exc))
    finally:
        database.close()


class Progress:
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

    def __enter__(self) -> Progress:
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
