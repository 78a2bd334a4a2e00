"""The command line: thin commands over the pipeline. stdout is data; the rest goes to stderr.

Exit codes: 0 the hunt ran and read everything; 1 nothing could be hunted (no readable
input, or a bad policy file); 2 usage error; 3 the hunt ran, but some input could not be
read or some records were skipped (each is a warning on stderr).

Start-up is kept short: this module imports click and nothing heavy, and each command is
loaded only when it is named (or listed by --help); see COMMANDS.
"""

from __future__ import annotations

from importlib import import_module

import click

from acctrace import __version__

# The commands, by name: "module:attribute" of a click command, imported only when needed.
# To add a command, define it in its own module (e.g. acctrace/watch/command.py) and add ONE
# line here. That module must import only click and light modules at its top: `acctrace
# --help` imports every command module to list it, and tests/test_startup.py fails if this
# brings in Ibis, DuckDB, pandas or pyarrow. Import those inside the command's body.
COMMANDS = {
    "hunt": "acctrace.commands.hunt:hunt",
    "ingest": "acctrace.commands.hunt:ingest",
    "demo": "acctrace.commands.demo:demo",
    "schema": "acctrace.commands.reports:schema",
    "report": "acctrace.commands.reports:report",
    "case": "acctrace.commands.reports:case",
    "verify": "acctrace.commands.reports:verify",
    "coverage": "acctrace.commands.readiness:coverage",
    "baseline": "acctrace.commands.readiness:baseline",
    "explain": "acctrace.commands.readiness:explain",
    "watch": "acctrace.watch.command:watch",
    "export": "acctrace.export.command:export",
    "validate": "acctrace.validate.command:validate",
    "serve": "acctrace.serve.command:serve",
    "ledger": "acctrace.serve.command:ledger",
    "users": "acctrace.serve.command:users",
}


class LazyGroup(click.Group):
    """A group whose commands are imported from COMMANDS when first asked for (click's
    documented lazy-loading pattern)."""

    def __init__(self, *args: object, lazy_commands: dict[str, str], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            module, attribute = self.lazy_commands[cmd_name].split(":")
            command = getattr(import_module(module), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self.lazy_commands[cmd_name]} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="acctrace")
def cli() -> None:
    """Attribute every Windows account creation: who, with what, what happened next, and
    whether it was approved (MITRE ATT&CK AN1604, T1136)."""


def main() -> None:
    cli()
