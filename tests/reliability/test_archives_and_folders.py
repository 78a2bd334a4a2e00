"""Promise 1 for archives and folders: bombs refused with a message, limits on members and
depth, names that climb out never written, and folders with loops, holes and strangers."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from acctrace.errors import InputProblem
from acctrace.normalise.store import EventStore
from acctrace.reading import ingest
from acctrace.sources import discover, inputs
from tests.reliability.hostile import creation_line

LOG = creation_line("alice", 1) + creation_line("bob", 2)


def found(*paths: Path) -> list[tuple[str, str]]:
    """(name, format) of each input, or (file, reason) of each problem; inputs are read."""
    out = []
    for item in discover(list(paths)):
        if isinstance(item, InputProblem):
            out.append((Path(item.file).name, item.reason))
        else:
            tally = ingest(item, EventStore())
            out.append((item.name.rsplit("/", 1)[-1], f"{item.format}:{tally.read}"))
    return out


def problems(*paths: Path) -> list[InputProblem]:
    return [i for i in discover(list(paths)) if isinstance(i, InputProblem)]


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "RATIO_FLOOR", 1 << 20)
    monkeypatch.setattr(inputs, "MAX_RATIO", 100)


def zeros_after(log: bytes, size: int) -> bytes:
    return log + b" " * size  # JSON lines padded with blanks compress like a bomb


def test_a_zip_bomb_is_refused_by_its_declared_sizes(tmp_path: Path, small_limits: None) -> None:
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.json", zeros_after(LOG, 8 << 20))
        z.writestr("fine.json", LOG)
    assert found(tmp_path / "bomb.zip") == [("bomb.zip!bomb.json", "archive_bomb"),
                                            ("bomb.zip!fine.json", "jsonl:2")]  # fmt: skip
    (bomb,) = problems(tmp_path / "bomb.zip")
    assert "expands more than 100:1" in bomb.detail


def test_a_zip_that_lies_about_its_sizes_is_bounded_while_read(
    tmp_path: Path, small_limits: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "_zip_declared_problem", lambda member: None)  # a liar's header
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.json", zeros_after(LOG, 8 << 20))
    assert found(tmp_path / "bomb.zip") == [("bomb.zip!bomb.json", "archive_bomb")]


@pytest.mark.parametrize("shape", ["gzip", "tar.gz"])
def test_gzip_and_tar_bombs_are_refused_while_read(
    tmp_path: Path, small_limits: None, shape: str
) -> None:
    payload = zeros_after(LOG, 8 << 20)
    if shape == "gzip":
        (tmp_path / "bomb.json.gz").write_bytes(gzip.compress(payload))
    else:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as t:
            info = tarfile.TarInfo("bomb.json")
            info.size = len(payload)
            t.addfile(info, io.BytesIO(payload))
        (tmp_path / "bomb.tar.gz").write_bytes(buffer.getvalue())
    (problem,) = problems(tmp_path)
    assert problem.reason == "archive_bomb" and "expands more than 100:1" in problem.detail


def test_member_count_and_member_size_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "MAX_MEMBERS", 3)
    with zipfile.ZipFile(tmp_path / "many.zip", "w") as z:
        for i in range(5):
            z.writestr(f"{i}.json", LOG)
    assert [r for _, r in found(tmp_path / "many.zip")] == ["archive_limit"]
    monkeypatch.setattr(inputs, "MAX_MEMBERS", 100)
    monkeypatch.setattr(inputs, "MAX_MEMBER_BYTES", 100)
    assert [r for _, r in found(tmp_path / "many.zip")] == ["archive_limit"] * 5


def test_nesting_is_bounded(tmp_path: Path) -> None:
    data, name = LOG, "log.json"
    for depth in range(inputs.MAX_ARCHIVE_DEPTH + 1):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr(name, data)
        data, name = buffer.getvalue(), f"level{depth}.zip"
    (tmp_path / "deep.zip").write_bytes(data)
    ((member, reason),) = found(tmp_path / "deep.zip")
    assert reason == "archive_too_deep" and member.count("!") == inputs.MAX_ARCHIVE_DEPTH


def test_names_that_climb_out_are_read_but_never_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    with zipfile.ZipFile(work / "evil.zip", "w") as z:
        for name in ("../../escape.json", "/etc/cron.d/x.json", "..\\..\\win.json", "ok.json"):
            z.writestr(name, LOG)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as t:
        info = tarfile.TarInfo("../../../tar-escape.json")
        info.size = len(LOG)
        t.addfile(info, io.BytesIO(LOG))
        link = tarfile.TarInfo("link.json")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        t.addfile(link)
    (work / "evil.tar").write_bytes(buffer.getvalue())
    before = sorted(p for p in tmp_path.rglob("*"))
    result = found(work)
    assert sorted(r for _, r in result) == ["jsonl:2"] * 5  # the link is not followed
    assert sorted(p for p in tmp_path.rglob("*")) == before
    assert not Path("/etc/cron.d/x.json").exists()


def test_damaged_archives_keep_what_came_before_the_damage(tmp_path: Path) -> None:
    whole = gzip.compress(LOG * 2000)
    (tmp_path / "cut.json.gz").write_bytes(whole[: len(whole) // 2])
    with zipfile.ZipFile(tmp_path / "crc.zip", "w") as z:
        z.writestr("log.json", LOG * 50)
    raw = bytearray((tmp_path / "crc.zip").read_bytes())
    raw[raw.index(b"alice") : raw.index(b"alice") + 5] = b"mallo"  # stored: CRC now wrong
    (tmp_path / "crc.zip").write_bytes(bytes(raw))
    result = found(tmp_path)
    assert [r for _, r in result if not r.startswith("jsonl")] == ["archive_damaged"] * 2
    assert all(int(r.split(":")[1]) > 0 for _, r in result if r.startswith("jsonl"))


def test_folders_with_loops_holes_and_strangers(tmp_path: Path) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "a.json").write_bytes(LOG)
    (tmp_path / "logs" / "loop").symlink_to(tmp_path)  # a folder that contains itself
    (tmp_path / "logs" / "one").symlink_to(tmp_path / "logs" / "two")
    (tmp_path / "logs" / "two").symlink_to(tmp_path / "logs" / "one")  # a file-link loop
    (tmp_path / "logs" / "dangling.json").symlink_to(tmp_path / "nowhere")
    os.mkfifo(tmp_path / "logs" / "pipe.json")  # opening it would block forever
    (tmp_path / "logs" / "b.xml").write_text("<Events></Events>")
    (tmp_path / "logs" / "c.json.gz").write_bytes(gzip.compress(LOG))
    (tmp_path / "logs" / "notes.txt").write_text("hello")
    assert sorted(found(tmp_path)) == [
        ("a.json", "jsonl:2"),
        ("b.xml", "xml:0"),
        ("c.json", "jsonl:2"),
        ("dangling.json", "broken_link"),
        ("loop", "link_not_followed"),
        ("notes.txt", "unknown_format"),
        ("one", "broken_link"),
        ("pipe.json", "not_a_file"),
        ("two", "broken_link"),
    ]
    assert found(tmp_path / "logs" / "pipe.json") == [("pipe.json", "not_a_file")]


def test_unreadable_files_and_folders_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.json").write_bytes(LOG)
    (tmp_path / "secret.json").write_bytes(LOG)
    (tmp_path / "fine.json").write_bytes(LOG)
    real_scandir, real_open = os.scandir, open

    def scandir(path: object = ".") -> object:  # tests run as root: chmod denies nothing
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def fake_open(path: object, *args: object, **kwargs: object) -> object:
        if str(path).endswith("secret.json"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(inputs, "open", fake_open, raising=False)
    assert sorted(found(tmp_path)) == [
        ("fine.json", "jsonl:2"),
        ("locked", "unreadable"),
        ("secret.json", "unreadable"),
    ]


def test_a_file_that_vanishes_during_the_run_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "stays.json").write_bytes(LOG)
    real_walk = os.walk

    def walk(top: object, **kwargs: object):  # the listing still names a deleted file
        for folder, dirs, files in real_walk(top, **kwargs):  # type: ignore[call-overload]
            yield folder, dirs, [*files, "gone.json"]

    monkeypatch.setattr(os, "walk", walk)
    assert sorted(found(tmp_path)) == [("gone.json", "vanished"), ("stays.json", "jsonl:2")]
    assert found(tmp_path / "gone.json") == [("gone.json", "not_found")]


def test_an_evtx_file_removed_after_it_was_found_is_noted(tmp_path: Path) -> None:
    from acctrace.normalise.model import RELEVANT_EVENT_IDS
    from acctrace.sources import Tally, read

    path = tmp_path / "x.evtx"
    path.write_bytes(b"ElfFile\x00" + bytes(5000))
    (item,) = discover([path])
    path.unlink()
    tally = Tally(item.name, item.format)  # type: ignore[union-attr]
    assert list(read(item, tally, RELEVANT_EVENT_IDS)) == []  # type: ignore[arg-type]
    assert [p.reason for p in tally.problems] == ["unreadable_evtx"]
