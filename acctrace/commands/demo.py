"""`acctrace demo`: write a small generated domain's logs and a policy, then hunt them."""

from __future__ import annotations

from pathlib import Path

import click

from acctrace.commands.common import warn
from acctrace.scenario import SHAPES

DEMO_POLICY = Path(__file__).parents[1] / "scenario" / "demo-policy.yaml"


@click.command()
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
    from acctrace.assess.policy import load_policy
    from acctrace.commands.hunt import render
    from acctrace.pipeline import HuntOptions, run
    from acctrace.scenario.writers import write_demo

    logs = out / "logs"
    files = write_demo(logs, shape, seed)
    policy = out / "policy.yaml"
    policy.write_text(DEMO_POLICY.read_text(encoding="utf-8"), encoding="utf-8")
    click.echo(f"wrote {len(files)} {shape} logs to {logs}/ and {policy}; hunting:\n", err=True)
    result = run(files, HuntOptions(policy=load_policy(policy)), on_problem=warn)
    render(result, as_json)
    report = out / "report.html"
    click.echo(
        f"\nA report to read in a browser: acctrace report {logs} --policy {policy} -o {report}",
        err=True,
    )
