"""Start-up: `acctrace --version`, `--help` and usage errors answer without loading the
analytic's heavy libraries (they take most of a second and ~150 MB to import)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("ibis", "sqlglot", "pandas", "duckdb", "pyarrow", "pyspark", "numpy")

# Runs the command line in this fresh interpreter, then reports which heavy modules it loaded.
PROBE = f"""
import json, sys
from acctrace.cli import cli
try:
    cli.main(args=sys.argv[1:], prog_name="acctrace")
except SystemExit as exit:
    code = exit.code
print(json.dumps([code, sorted(m for m in {HEAVY!r} if m in sys.modules)]))
"""


def run_cli(*args: str) -> tuple[int, list[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT, check=True
    )
    code, loaded = json.loads(done.stdout.splitlines()[-1])
    return code, loaded, done.stdout + done.stderr


def test_importing_the_cli_loads_nothing_heavy() -> None:
    probe = f"import sys, acctrace.cli; print([m for m in {HEAVY!r} if m in sys.modules])"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("args", "exit_code"),
    [
        (["--version"], 0),
        (["--help"], 0),  # imports every command module, to list it
        (["hunt", "--help"], 0),
        (["hunt"], 2),  # usage error: nothing to hunt
        (["ingest", "x.evtx"], 2),  # usage error: neither --db nor --parquet
        (["no-such-command"], 2),
    ],
)
def test_quick_answers_load_nothing_heavy(args: list[str], exit_code: int) -> None:
    code, loaded, output = run_cli(*args)
    assert code == exit_code, output
    assert loaded == [], f"acctrace {' '.join(args)} imported {loaded}"


def test_help_lists_every_command() -> None:
    from acctrace.cli import COMMANDS

    code, _, output = run_cli("--help")
    assert code == 0
    for name in COMMANDS:
        assert f"  {name} " in output, name


def test_a_hunt_of_one_file_loads_duckdb_only() -> None:
    """The steps of a hunt ship compiled (acctrace/correlate/compiled.py): a hunt with the
    default tunables, or any other window, loads neither Ibis nor its SQL compiler. Nor
    pyarrow, numpy or pandas (0.3 s of a 0.8 s hunt): the events read go to DuckDB as
    rows (`Engine.load_rows`), never as Arrow tables or Python values, which make pyarrow
    and DuckDB import pandas, and the rows found come back as Python rows."""
    evtx = ROOT.parent / "shared/data/evtx/mdecrevoisier/ID4688-User creation via commandline.evtx"
    if not evtx.exists():
        pytest.skip("the real logs of ../shared/data are not beside the project")
    for window in ([], ["--window", "30"]):
        code, loaded, output = run_cli("hunt", str(evtx), "--json", *window)
        assert code == 0, output
        assert '"toto3"' in output
        assert loaded == ["duckdb"], output
