"""`acctrace validate`: plan account-creation tests, check the collected logs, write the fix-kit.

Registered on the main group in acctrace/cli.py; heavy modules are imported inside the
commands, so `acctrace --help` stays quick. stdout is data; warnings go to stderr.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from acctrace.validate.plan import Plan


def _out_dir(help: str, **default: object) -> Callable:
    """The -o/--out directory option every validate command that writes files takes."""
    return click.option(
        "-o",
        "--out",
        type=click.Path(path_type=Path, file_okay=False),
        required=not default,
        show_default=bool(default),
        help=help,
        **default,
    )


def _load_plan(path: Path) -> Plan:
    from acctrace.errors import AcctraceError
    from acctrace.validate.plan import load_plan

    try:
        return load_plan(path)
    except AcctraceError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def validate() -> None:
    """Prove the telemetry: create a test account each way, then check that the logs show
    each one and name its creator (docs/validate.md).

    \b
    Example:
      acctrace validate plan --local --domain -o plan/
      acctrace validate check plan/plan.json logs/ --run-log plan/run-log.jsonl
      acctrace validate fix-kit -o kit/
    """


@validate.command()
@click.option("--local", "local", is_flag=True, help="Local account methods (T1136.001).")
@click.option("--domain", "domain", is_flag=True, help="Domain account methods (T1136.002).")
@_out_dir("Directory for the script, plan.json and the manual steps.")
def plan(local: bool, domain: bool, out: Path) -> None:
    """Write a PowerShell script that creates, then deletes, one disabled test account per
    creation method; plan.json naming the accounts; and step-by-step MMC instructions.
    Without --local or --domain, both.

    \b
    Example:
      acctrace validate plan --local -o plan/
      # on the test host, elevated:
      #   .\\acctrace-validate.ps1 -IUnderstandThisCreatesAccounts
    """
    from acctrace.validate.plan import build_plan, write_plan

    scopes = [s for s, on in (("local", local), ("domain", domain)) if on] or ["local", "domain"]
    written = write_plan(build_plan(scopes), out)  # type: ignore[arg-type]
    for path in written:
        click.echo(str(path))


@validate.command()
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path, exists=True))
@click.argument(
    "paths", metavar="LOGS...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option(
    "--run-log",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The run log the script wrote (run-log.jsonl): tells a failed method from a missing "
    "event, and a cleared log from auditing that is off.",
)
@click.option("--json", "as_json", is_flag=True, help="The validation document as JSON on stdout.")
@click.option(
    "--attest",
    type=click.Path(path_type=Path, file_okay=False),
    help="Also write the printable attestation (attestation.html and .json) to this directory.",
)
def check(
    plan_path: Path,
    paths: tuple[Path, ...],
    run_log: Path | None,
    as_json: bool,
    attest: Path | None,
) -> None:
    """Hunt the logs collected after a plan ran and report per method: 4720 seen, creator
    and session, creating process attributed as expected (and its confidence), script text
    (4104), deletion, and how far back each host's Security log reaches; for every gap, the
    exact fix (auditpol subcategory GUID, registry value, Sysmon lines).

    \b
    Example:
      acctrace validate check plan/plan.json logs/ --run-log plan/run-log.jsonl
      acctrace validate check plan/ logs/ --json > validation.json
      acctrace validate check plan/ logs/ --attest evidence/
    """
    import sys

    from acctrace.errors import AcctraceError
    from acctrace.report.text import safe
    from acctrace.validate import text
    from acctrace.validate.attest import write_attestation
    from acctrace.validate.check import check as run_check
    from acctrace.validate.runlog import load_run_log

    plan = _load_plan(plan_path)
    try:
        entries = load_run_log(run_log) if run_log else None
    except AcctraceError as exc:
        raise click.ClickException(str(exc)) from exc
    if run_log and entries is not None and not any(e.run_id == plan.run_id for e in entries):
        click.echo(f"warning: {run_log}: no entry of run {plan.run_id}: not used", err=True)
    report = run_check(
        plan,
        list(paths),
        entries,
        on_problem=lambda p: click.echo(f"warning: {safe(p)}", err=True),
    )
    if not report.files:
        raise click.ClickException("no readable event log in the given paths")
    if attest is not None:  # first: a reader that stops early (| head) must not lose it
        for path in write_attestation(report, attest):
            click.echo(f"wrote {path}", err=True)
    if as_json:
        click.echo(report.model_dump_json(indent=2))
    else:
        text.render(report, sys.stdout)


@validate.command()
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--settings",
    type=click.Choice(
        [
            "everything",
            "no-command-lines",
            "sysmon-no-4688",
            "no-process-telemetry",
            "registry-only",
            "log-cleared",
        ]
    ),
    default="everything",
    show_default=True,
    help="What the simulated hosts log (docs/validate.md lists each).",
)
@_out_dir("Directory for logs/ and run-log.jsonl.")
def simulate(plan_path: Path, settings: str, out: Path) -> None:
    """Rehearse without a Windows host: the scenario generator runs PLAN on a simulated test
    host and domain controller that log as --settings says, and writes the collected logs
    and the run log, ready for `validate check`.

    \b
    Example:
      acctrace validate plan -o plan/
      acctrace validate simulate plan/ --settings no-command-lines -o rehearsal/
      acctrace validate check plan/ rehearsal/logs/ --run-log rehearsal/run-log.jsonl
    """
    import json

    from acctrace.scenario.validation import PROFILES
    from acctrace.scenario.validation import simulate as run_plan
    from acctrace.scenario.writers import write
    from acctrace.validate.script import script

    plan = _load_plan(plan_path)
    simulated = run_plan(plan, PROFILES[settings], script(plan))
    (out / "logs").mkdir(parents=True, exist_ok=True)
    click.echo(str(write(simulated.events, out / "logs" / "collected.jsonl", "event-json")))
    run_log = out / "run-log.jsonl"
    run_log.write_text("".join(json.dumps(e) + "\n" for e in simulated.run_log), "utf-8")
    click.echo(str(run_log))


@validate.command(name="fix-kit")
@_out_dir("Directory for the files.", default=Path("acctrace-fix-kit"))
def fix_kit(out: Path) -> None:
    """Write the settings AN1604 needs: a GPO startup script (auditpol by GUID, registry
    values), the GPO's Advanced Audit Policy audit.csv, and a Sysmon configuration.

    \b
    Example:
      acctrace validate fix-kit -o kit/
    """
    from acctrace.validate.kit import write_kit

    for path in write_kit(out):
        click.echo(str(path))
