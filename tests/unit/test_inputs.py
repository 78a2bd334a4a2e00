"""Inputs are found in folders and archives, and bad ones are named, never fatal."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
import zipfile
from pathlib import Path

from acctrace.errors import InputProblem
from acctrace.normalise.store import EventStore
from acctrace.reading import ingest
from acctrace.sources import Input, discover
from acctrace.sources.inputs import hashing
from tests.unit.test_formats import BLOCKS

EVENT_JSON = BLOCKS[0][1].encode() + b"\n"


def names(paths: list[Path]) -> list[tuple[str, str]]:
    out = []
    for item in discover(paths):
        if isinstance(item, InputProblem):
            out.append((Path(item.file).name, item.reason))
        else:
            out.append((item.name.split("/")[-1], item.format))
            assert item.stream.read(1) in (b"{", b"<", b"E")  # readable, from the start
    return out


def test_archives_are_read_as_streams(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "a.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("logs/one.json", EVENT_JSON)
        z.writestr("../../escape.json", EVENT_JSON)  # read, never written anywhere
    (tmp_path / "b.json.gz").write_bytes(gzip.compress(EVENT_JSON))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as t:
        info = tarfile.TarInfo("inner/two.json")
        info.size = len(EVENT_JSON)
        t.addfile(info, io.BytesIO(EVENT_JSON))
    (tmp_path / "c.tar.gz").write_bytes(buffer.getvalue())
    assert names([tmp_path]) == [
        ("escape.json", "jsonl"),
        ("one.json", "jsonl"),
        ("b.json", "jsonl"),
        ("two.json", "jsonl"),
    ]
    assert not (tmp_path.parent / "escape.json").exists()


def test_a_zip_inside_a_zip(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("deep.xml", BLOCKS[3][1])
    with zipfile.ZipFile(tmp_path / "outer.zip", "w") as z:
        z.writestr("inner.zip", inner.getvalue())
    assert names([tmp_path / "outer.zip"]) == [("outer.zip!inner.zip!deep.xml", "xml")]


def test_bad_inputs_are_named_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "empty.evtx").write_bytes(b"")
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    found = dict(names([tmp_path, tmp_path / "missing.evtx"]))
    assert found == {
        "broken.zip": "bad_archive",
        "empty.evtx": "empty",
        "notes.txt": "unknown_format",
        "missing.evtx": "not_found",
    }


def test_hashing_while_reading_gives_the_whole_streams_sha256() -> None:
    """One pass: bytes are hashed as the reader reaches them, whatever else it reads first
    (an EVTX header, the last chunk), and what it leaves unread is hashed at the end."""
    data = bytes(range(256)) * 4096  # 1 MiB
    for reads in ([], [(0, 10)], [(0, 4096), (len(data) - 100, 100), (0, 70_000)], [(5, 50)]):
        stream, digest = hashing(io.BytesIO(data))
        for offset, size in reads:
            stream.seek(offset)
            assert stream.read(size) == data[offset : offset + size]
        assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    stream, digest = hashing(io.BytesIO(data))
    assert stream.read() == data  # read to the end as a reader does
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()


def test_every_input_is_hashed_as_it_is_read(tmp_path: Path) -> None:
    """The SHA-256 an input is recorded with is its content's, for files and archive members."""
    (tmp_path / "a.jsonl").write_bytes(EVENT_JSON * 3)
    with zipfile.ZipFile(tmp_path / "b.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("inner.jsonl", EVENT_JSON * 5)
    tallies = [ingest(i, EventStore()) for i in discover([tmp_path]) if isinstance(i, Input)]
    assert {t.sha256 for t in tallies} == {
        hashlib.sha256(EVENT_JSON * 3).hexdigest(),
        hashlib.sha256(EVENT_JSON * 5).hexdigest(),
    }
