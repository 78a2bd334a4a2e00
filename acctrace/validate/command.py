"""`acctrace validate`: plan account-creation tests, check the collected logs, write the fix-kit.

Registered on the main group in acctrace/cli.py; heavy modules are imported inside the
commands, so `acctrace --help` stays quick. stdout is data; warnings go to stderr.
"""

from __future__ import annotations

from pathlib import Path

import click


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
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Directory for the script, plan.json and the manual steps.",
)
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


@validate.command(name="fix-kit")
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("acctrace-fix-kit"),
    show_default=True,
    help="Directory for the files.",
)
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
