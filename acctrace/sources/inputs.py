"""Finding the inputs: files and directories (recursed), and members of .zip/.gz/.tar(.gz).

The format is always detected from content, never from the file name. Archives are read
as streams; nothing is extracted to disk under a member's own name.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tarfile
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from acctrace.errors import InputProblem

MAX_ARCHIVE_DEPTH = 3
_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class Input:
    """One seekable stream of events: a file, or a member of an archive.

    The stream is valid until the next Input is taken from `discover`.
    """

    name: str  # what the user sees: a path, or "archive.zip!member.json"
    format: str  # evtx | jsonl | xml
    stream: IO[bytes]
    path: Path | None  # set for plain files, which the EVTX parser reads fastest by path


def sniff(head: bytes) -> str | None:
    """The format of a stream from its first bytes."""
    if head.startswith(b"ElfFile\x00"):
        return "evtx"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if len(head) > 262 and head[257:262] == b"ustar":
        return "tar"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head[2:].decode("utf-16-le" if head[0] == 0xFF else "utf-16-be", "ignore").encode()
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return "xml"
    if text.startswith(b"{"):
        return "jsonl"
    return None


def discover(paths: list[Path]) -> Iterator[Input | InputProblem]:
    """Every event stream under `paths`, in a stable order, and what could not be opened."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield from _open_file(path)
        else:
            yield InputProblem(str(path), "not_found", "no such file or directory")


def _walk(root: Path) -> Iterator[Input | InputProblem]:
    problems: list[InputProblem] = []

    def on_error(exc: OSError) -> None:
        problems.append(InputProblem(str(exc.filename), "unreadable", exc.strerror or str(exc)))

    for folder, dirs, files in os.walk(root, onerror=on_error):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            if path.is_file():
                yield from _open_file(path)
    yield from problems


def _open_file(path: Path) -> Iterator[Input | InputProblem]:
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below, after the consumer is done
    except OSError as exc:
        yield InputProblem(str(path), "unreadable", exc.strerror or str(exc))
        return
    with stream:
        yield from _classify(str(path), stream, path, depth=0)


def _classify(
    name: str, stream: IO[bytes], path: Path | None, depth: int
) -> Iterator[Input | InputProblem]:
    try:
        head = stream.read(_SNIFF_BYTES)
        stream.seek(0)
    except (OSError, EOFError, zipfile.BadZipFile, gzip.BadGzipFile) as exc:
        yield InputProblem(name, "unreadable", str(exc))
        return
    kind = sniff(head)
    if kind is None:
        reason = "empty" if not head else "unknown_format"
        detail = (
            "empty file"
            if not head
            else ("not EVTX, JSON lines, Windows event XML or a supported archive")
        )
        yield InputProblem(name, reason, detail)
    elif kind in _ARCHIVES:
        if depth >= MAX_ARCHIVE_DEPTH:
            yield InputProblem(
                name, "archive_too_deep", f"more than {MAX_ARCHIVE_DEPTH} nested archives"
            )
            return
        try:
            yield from _ARCHIVES[kind](name, stream, depth + 1)
        except (zipfile.BadZipFile, gzip.BadGzipFile, tarfile.TarError, OSError, EOFError) as exc:
            yield InputProblem(name, "bad_archive", str(exc))
    else:
        yield Input(name, kind, stream, path)


def _zip_members(name: str, stream: IO[bytes], depth: int) -> Iterator[Input | InputProblem]:
    with zipfile.ZipFile(stream) as archive:
        for member in sorted(archive.infolist(), key=lambda m: m.filename):
            if member.is_dir():
                continue
            with archive.open(member) as inner:
                yield from _classify(f"{name}!{member.filename}", inner, None, depth)


def _gzip_member(name: str, stream: IO[bytes], depth: int) -> Iterator[Input | InputProblem]:
    inner_name = name[:-3] if name.lower().endswith(".gz") else f"{name}!content"
    with gzip.GzipFile(fileobj=stream) as inner:
        yield from _classify(inner_name, inner, None, depth)


def _tar_members(name: str, stream: IO[bytes], depth: int) -> Iterator[Input | InputProblem]:
    with tarfile.open(fileobj=stream, mode="r:") as archive, ExitStack() as stack:
        for member in archive:
            inner = archive.extractfile(member) if member.isfile() else None
            if inner is not None:
                stack.callback(inner.close)
                yield from _classify(f"{name}!{member.name}", inner, None, depth)


_ARCHIVES = {"zip": _zip_members, "gzip": _gzip_member, "tar": _tar_members}


def sha256_of(stream: IO[bytes]) -> str:
    """The SHA-256 of a whole stream, which is left rewound for the reader."""
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()
