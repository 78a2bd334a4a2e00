"""The review ledger: entries chain by hash, and `acctrace ledger verify` finds any edit,
insertion or deletion (the newest entries' deletion through the head an attestation kept)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.serve.ledger import GENESIS, Ledger, verify


def _ledger(path: Path, entries: int = 4) -> Ledger:
    ledger = Ledger(path)
    for n in range(entries):
        before = {"state": "unreviewed"} if n == 0 else {"state": "needs_owner"}
        ledger.append(
            "rita",
            "reviewer",
            "review",
            f"finding{n % 2}",
            before,
            {"state": "needs_owner", "review": {"disposition": "needs_owner", "n": n}},
        )
    return ledger


def _sql(path: Path, statement: str) -> None:
    with sqlite3.connect(path) as con:
        con.execute(statement)


def test_an_intact_chain_verifies(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path / "l.sqlite")
    result = verify(ledger.path, head=ledger.head()[1])
    assert result.ok and result.entries == 4
    entries = ledger.entries()
    assert entries[0].prev == GENESIS
    assert [e.prev for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert result.head == entries[-1].hash == ledger.head()[1]
    assert ledger.reviews() == {
        "finding0": {"disposition": "needs_owner", "n": 2},
        "finding1": {"disposition": "needs_owner", "n": 3},
    }


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        (
            "update ledger set after = replace(after, 'needs_owner', 'approved') where seq = 2",
            "entry 2 was changed",
        ),
        ("update ledger set actor = 'mallory' where seq = 3", "entry 3 was changed"),
        ("delete from ledger where seq = 2", "entry 2 is missing"),
        ("update ledger set at = '2020-01-01T00:00:00Z' where seq = 1", "entry 1 was changed"),
    ],
)
def test_an_edited_or_deleted_row_is_detected(tmp_path: Path, tamper: str, problem: str) -> None:
    ledger = _ledger(tmp_path / "l.sqlite")
    _sql(ledger.path, tamper)
    result = verify(ledger.path)
    assert not result.ok
    assert any(problem in p for p in result.problems), result.problems


def test_a_rewritten_chain_or_a_removed_tail_fails_against_the_kept_head(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path / "l.sqlite")
    _, head = ledger.head()
    _sql(ledger.path, "delete from ledger where seq = 4")
    assert verify(ledger.path).ok  # the rest still chains: only a kept head shows the loss
    result = verify(ledger.path, head=head)
    assert not result.ok and "not in the chain" in result.problems[0]


def test_ledger_verify_command_exit_status(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path / "l.sqlite")
    ok = CliRunner().invoke(cli, ["ledger", "verify", str(ledger.path)])
    assert ok.exit_code == 0 and "4 entries" in ok.output and "the chain holds" in ok.output
    _sql(ledger.path, "update ledger set subject = 'other' where seq = 1")
    bad = CliRunner().invoke(cli, ["ledger", "verify", str(ledger.path)])
    assert bad.exit_code == 1 and "FAILED  entry 1 was changed" in bad.output
    missing = CliRunner().invoke(cli, ["ledger", "verify", str(tmp_path / "none.sqlite")])
    assert missing.exit_code == 1 and "none.sqlite: no such ledger file" in missing.output
