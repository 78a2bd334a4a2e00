"""A throwaway PostgreSQL server on 127.0.0.1 for the tests: Debian's `postgresql`
binaries, a cluster in a temporary folder, stopped at the end.

PostgreSQL refuses to run as root, so under root the cluster belongs to the unprivileged
`postgres` account the Debian package creates, and its tools run through `runuser`.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa

_TYPES = {pa.string(): "text", pa.int64(): "bigint", pa.int32(): "integer", pa.bool_(): "boolean"}


def binaries() -> Path | None:
    """The newest installed server's bin folder (Debian keeps them per major version)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


def why_not_runnable() -> str | None:
    if binaries() is None:
        return "PostgreSQL is not installed (Debian package `postgresql`)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` account to run the server as"
        if shutil.which("runuser") is None:
            return "running as root without `runuser` to drop privileges"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server() -> Iterator[str]:
    """Start a server; yield its connection string."""
    bin_dir = binaries()
    assert bin_dir is not None
    root = Path(tempfile.mkdtemp(prefix="acctrace-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(root, account.pw_uid, account.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", _free_port()
    ctl = [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data)]

    def run(*command: str) -> None:
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    try:
        run(*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", "acctrace", "-A", "trust")
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(*ctl, "-o", options, "-l", str(root / "log"), "-w", "start")
        try:
            yield f"host=127.0.0.1 port={port} user=acctrace dbname=postgres"
        finally:
            run(*ctl, "-m", "immediate", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def load(connection, name: str, table: pa.Table) -> None:  # type: ignore[no-untyped-def]
    """Create `name` with the Arrow table's columns and copy its rows in."""
    columns = ", ".join(f'"{f.name}" {_TYPES[f.type]}' for f in table.schema)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE "{name}" ({columns})')
        with cursor.copy(f'COPY "{name}" FROM STDIN') as copy:
            for row in table.to_pylist():
                copy.write_row(list(row.values()))
