"""`acctrace serve`, `acctrace ledger verify` and `acctrace users add`: thin commands over
the console (acctrace/serve/app.py), its ledger and its users file. Heavy modules (the
pipeline, Starlette, uvicorn) are imported inside the command bodies."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import click

from acctrace.commands.common import E_NOTHING, E_OK

LOOPBACK = "127.0.0.1"


def default_ledger(store: Path) -> Path:
    """Beside the store: `soc.duckdb` keeps its reviews in `soc.duckdb.ledger.sqlite`."""
    return store.with_name(store.name + ".ledger.sqlite")


@click.command()
@click.option(
    "--db",
    "db_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The store to review (acctrace ingest --db, or the one acctrace watch fills).",
)
@click.option(
    "--policy",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Approved workflows: hunts use it, and `Approve as workflow` adds to it (created "
    "when absent; each earlier version is kept in POLICY.history/).",
)
@click.option(
    "--ledger",
    "ledger_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="SQLite file of reviews, chained by hash [default: STORE.ledger.sqlite].",
)
@click.option(
    "--users",
    "users_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Users file (acctrace users add) with roles; without it, a token printed at start.",
)
@click.option("--host", default=LOOPBACK, show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="0 chooses."
)
def serve(
    db_path: Path,
    policy: Path | None,
    ledger_path: Path | None,
    users_path: Path | None,
    host: str,
    port: int,
) -> None:
    """A review console in the browser: every account created, its case, a review
    (disposition, owner, note) kept in a hash-chained ledger, workflows approved from
    findings, and attestations for auditors.

    Listens on 127.0.0.1 unless told otherwise. Without --users, the login URL with a
    secret token is printed at start (whoever holds it acts as you, admin).

    \b
    Examples:
      acctrace ingest evtx/ --db soc.duckdb
      acctrace serve --db soc.duckdb --policy approved.yaml
      acctrace users add team.yaml alice --role reviewer
      acctrace serve --db soc.duckdb --policy approved.yaml --users team.yaml --port 8080
    """
    import uvicorn

    from acctrace.errors import AcctraceError
    from acctrace.pipeline import HuntOptions
    from acctrace.serve.app import Console, create_app
    from acctrace.serve.auth import Gate, load_users
    from acctrace.serve.ledger import Ledger
    from acctrace.serve.source import StoreFindings

    try:
        findings = StoreFindings(db_path, policy, HuntOptions())
        findings.current()  # a store that cannot be read fails here, not in the browser
        ledger = Ledger(ledger_path or default_ledger(db_path))
        gate = Gate(load_users(users_path)) if users_path else Gate()
    except AcctraceError as exc:
        raise click.ClickException(str(exc)) from exc
    listener = socket.create_server((host, port))
    bound = listener.getsockname()[1]
    where = f"http://{host}:{bound}/"
    if host != LOOPBACK:
        click.echo(f"warning: listening on {host}: reachable from other machines", err=True)
    click.echo(f"reviews go to the ledger {ledger.path}", err=True)
    if gate.token:
        click.echo(f"log in: {where}login?token={gate.token}", err=True)
    else:
        click.echo(f"log in at {where} with a name from {users_path}", err=True)
    click.echo(where)  # the one line on stdout: where the console is
    sys.stdout.flush()
    app = create_app(Console(findings, ledger, gate))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", server_header=False))
    server.run(sockets=[listener])


@click.group()
def ledger() -> None:
    """The review ledger of `acctrace serve`: check that no entry was changed or removed.

    \b
    Examples:
      acctrace ledger verify soc.duckdb.ledger.sqlite
      acctrace ledger verify soc.duckdb.ledger.sqlite --head 3f2a9c...
    """


@ledger.command()
@click.argument("ledger_path", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--head",
    help="The ledger head SHA-256 an attestation printed: it must still be in the chain.",
)
def verify(ledger_path: Path, head: str | None) -> None:
    """Recompute every entry's hash and link. Exit status 0 when the chain holds, 1 when
    an entry was changed, inserted or removed.

    \b
    Example:
      acctrace ledger verify soc.duckdb.ledger.sqlite
    """
    from acctrace.serve.ledger import LedgerError
    from acctrace.serve.ledger import verify as check

    try:
        result = check(ledger_path, head)
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from exc
    for problem in result.problems:
        click.echo(f"FAILED  {problem}")
    verdict = "the chain holds" if result.ok else f"{len(result.problems)} problems"
    click.echo(f"{ledger_path}: {result.entries} entries, head {result.head}: {verdict}")
    sys.exit(E_OK if result.ok else E_NOTHING)


@click.group()
def users() -> None:
    """The users file of `acctrace serve --users`: names, roles and password hashes.

    \b
    Example:
      acctrace users add team.yaml alice --role reviewer
    """


@users.command()
@click.argument("users_path", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["viewer", "reviewer", "admin"]),
    required=True,
    help="viewer reads and exports; reviewer also reviews; admin also changes the policy.",
)
@click.password_option(help="Asked for when not given (never put it on a command line).")
def add(users_path: Path, name: str, role: str, password: str) -> None:
    """Add NAME to the users file (created when absent), or replace them; only an Argon2id
    hash of the password is stored.

    \b
    Example:
      acctrace users add team.yaml alice --role reviewer
    """
    from acctrace.serve.auth import UsersError, add_user

    try:
        add_user(users_path, name, role, password)
    except UsersError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{users_path}: {name} is a {role}", err=True)
