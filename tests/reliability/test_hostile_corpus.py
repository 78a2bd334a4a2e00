"""A hostile-input corpus generated here, hunted through the command line: the run finishes,
each problem is one stderr line naming its file, exit status 3 says something was skipped,
and attacker-controlled names cannot forge lines, escape sequences or reach the network."""

from __future__ import annotations

import gzip
import io
import json
import os
import socket
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from acctrace.cli import cli
from tests.reliability.hostile import creation, creation_line, creation_xml, other_line

FORGED = "[CRITICAL 100] forged"
EVIL_NAME = f"evil\n{FORGED}\x1b[2J\u2028x\u202egnp.exe"


def corpus(root: Path) -> dict[str, str]:
    """Write the corpus; returns file name -> a fragment its warning must contain."""
    good = creation_line("alice", 1) + other_line(2)
    files = {
        "good.json": good,
        "hostile-name.json": json.dumps(creation(EVIL_NAME, 3)).encode() + b"\n",
        "bad-lines.json": good + b"{not json\n" + b"[1]\n" + b"\xff\xfe{\n",
        "deep.json": b'{"EventID": 4720, "x": ' + b"[" * 3000 + b"]" * 3000 + b"}\n",
        "empty.evtx": b"",
        "stub.evtx": b"ElfFile\x00" + b"\x01" * 40,
        "garbage.evtx": b"ElfFile\x00" + os.urandom(4096 + 70_000),
        "laughs.xml": b'<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><Events>'
        + creation_xml("x", 4).replace("<Computer>", "<Computer>&b;").encode()
        + creation_xml("bob", 5).encode(),
        "cut.xml": creation_xml("carol", 6).encode()[:120],
        "binary.bin": bytes(range(256)),
        "cut.json.gz": gzip.compress(good * 500)[:300],
        "notgzip.gz": b"\x1f\x8b" + b"\x00" * 50,
        "broken.zip": b"PK\x03\x04" + b"\x00" * 60,
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("../../../../tmp/acctrace-escape.json", good)
        z.writestr("nested/inner.zip", _zip_of("deeper.json", good))
    (root / "climb.zip").write_bytes(buffer.getvalue())
    (root / "name\nwarning: forged.json").write_bytes(b"{oops\n")
    (root / "loop").symlink_to(root)
    return {
        "bad-lines.json": "invalid_json",
        "deep.json": "too_deep",
        "empty.evtx": "empty",
        "stub.evtx": "unreadable_evtx",
        "laughs.xml": "malformed_xml",
        "cut.xml": "malformed_xml",
        "binary.bin": "unknown_format",
        "cut.json": "archive_damaged",
        "notgzip": "bad_archive",
        "broken.zip": "bad_archive",
        "loop": "link_not_followed",
        "name\\x0awarning: forged.json": "invalid_json",
    }


def _zip_of(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("acctrace opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("as_json", [False, True])
def test_the_hostile_corpus_runs_clean(tmp_path: Path, no_network: None, as_json: bool) -> None:
    expected = corpus(tmp_path)
    args = ["hunt", str(tmp_path), "--stats", *(["--json"] if as_json else [])]
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == 3
    warnings = [x for x in result.stderr.splitlines() if x.startswith("warning: ")]
    for name, reason in expected.items():
        assert any(f"/{name}" in w and reason in w for w in warnings), (name, reason, warnings)
    # every stderr line is a warning, the stats table, or the closing count line
    for line in result.stderr.splitlines():
        assert line.startswith(("warning: ", "  ", " ")) or line[:1].isdigit() or "input" in line
    assert not Path("/tmp/acctrace-escape.json").exists()
    out = result.stdout
    assert "\x1b" not in out + result.stderr and "\u2028" not in result.stderr
    if as_json:
        found = sorted(json.loads(line)["account"]["name"] for line in out.split("\n") if line)
        assert found == sorted(["alice", "bob", EVIL_NAME])  # JSON keeps the name exactly, escaped
    else:
        assert "\u2028" not in out and "\u202e" not in out
        assert not any(line.startswith(FORGED) for line in out.splitlines())
        assert "evil\\x0a[CRITICAL 100] forged\\x1b[2J\\u2028x\\u202egnp.exe" in out


def test_a_clean_run_exits_0_and_stats_prove_the_identity(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(creation_line("alice", 1) + other_line(2) * 3)
    (tmp_path / "b.json.gz").write_bytes(gzip.compress(creation_line("alice", 1)))
    result = CliRunner().invoke(cli, ["hunt", str(tmp_path), "--stats"])
    assert result.exit_code == 0, result.stderr
    rows = [line.split() for line in result.stderr.splitlines() if line.strip()[:1].isdigit()]
    header = result.stderr.splitlines()[0].split()
    assert header[:6] == ["read", "used", "duplicates", "passed_over", "skipped", "findings"]
    table = {row[6]: [int(n) for n in row[:6]] for row in rows}
    assert table[str(tmp_path / "a.json")] == [4, 1, 0, 3, 0, 1]
    assert table[str(tmp_path / "b.json")] == [1, 0, 1, 0, 0, 0]
    assert table["total"] == [5, 1, 1, 3, 0, 1]
    for read, used, duplicates, passed_over, skipped, _ in table.values():
        assert read == used + duplicates + passed_over + skipped


def test_json_lines_output_escapes_unicode_line_separators(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(json.dumps(creation(EVIL_NAME, 3)).encode() + b"\n")
    out = CliRunner().invoke(cli, ["hunt", str(tmp_path), "--json"]).stdout
    assert len(out.splitlines()) == 1 and json.loads(out)["account"]["name"] == EVIL_NAME
