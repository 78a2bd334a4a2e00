"""Finding the inputs: files and directories (recursed), and members of .zip/.gz/.tar(.gz).

The format is always detected from content, never from the file name. Archives are read
as streams: a member's bytes are copied, within limits, into an anonymous temporary file
that has no name on disk, so a member called `../../x` is never written anywhere.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import stat
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from acctrace.errors import InputProblem

MAX_ARCHIVE_DEPTH = 3
MAX_MEMBERS = 100_000  # per archive
MAX_MEMBER_BYTES = 4 << 30  # decompressed size of one member
MAX_RATIO = 1000  # decompressed : compressed, checked once a member passes RATIO_FLOOR
RATIO_FLOOR = 64 << 20  # preallocated EVTX chunks compress far better than 1000:1 when small
_SPOOL_IN_MEMORY = 32 << 20
_COPY_BYTES = 1 << 16  # small, so a cut-short stream loses little of its last piece
_SNIFF_BYTES = 4096
# Raised by compressed streams that are corrupt or cut short.
# NotImplementedError: a zip declaring a version or method Python cannot read (found by fuzzing)
_STREAM_ERRORS = (
    OSError,
    EOFError,
    zlib.error,
    zipfile.BadZipFile,
    tarfile.TarError,
    NotImplementedError,
)


@dataclass(frozen=True)
class Input:
    """One seekable stream of events: a file, or a member of an archive.

    The stream is valid until the next Input is taken from `discover`.
    """

    name: str  # what the user sees: a path, or "archive.zip!member.json"
    format: str  # evtx | jsonl | xml
    stream: IO[bytes]
    path: Path | None  # set for plain files, which the EVTX parser reads fastest by path


class _Refused(Exception):
    """An archive member over a limit; its problem is reported and it is not read."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


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
    for item in files(paths):
        if isinstance(item, InputProblem):
            yield item
        else:
            yield from _open_file(item)


def files(paths: list[Path]) -> Iterator[Path | InputProblem]:
    """The regular files under `paths` (folders walked, sorted), and what is not one."""
    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            yield _missing(path, exc)
            continue
        if stat.S_ISDIR(mode):
            yield from _walk(path)
        elif stat.S_ISREG(mode):
            yield path
        else:
            yield InputProblem(str(path), "not_a_file", "a device, pipe or socket: not read")


def _missing(path: Path, exc: OSError) -> InputProblem:
    if path.is_symlink():
        return InputProblem(str(path), "broken_link", f"a link that leads nowhere: {exc.strerror}")
    if isinstance(exc, FileNotFoundError):
        return InputProblem(str(path), "not_found", "no such file or directory")
    return InputProblem(str(path), "unreadable", exc.strerror or str(exc))


def _walk(root: Path) -> Iterator[Path | InputProblem]:
    """Files under `root`, sorted; links to folders are named, not followed (no loops)."""
    problems: list[InputProblem] = []

    def on_error(exc: OSError) -> None:
        problems.append(InputProblem(str(exc.filename), "unreadable", exc.strerror or str(exc)))

    for folder, dirs, files in os.walk(root, onerror=on_error):
        dirs.sort()
        for name in [d for d in dirs if Path(folder, d).is_symlink()]:
            dirs.remove(name)
            problems.append(
                InputProblem(str(Path(folder, name)), "link_not_followed", "a link to a folder")
            )
        for name in sorted(files):
            path = Path(folder, name)
            try:
                mode = path.stat().st_mode
            except OSError as exc:  # vanished since the folder was listed, or a broken link
                yield (
                    _missing(path, exc)
                    if path.is_symlink()
                    else InputProblem(str(path), "vanished", "removed while the folder was read")
                )
                continue
            if stat.S_ISREG(mode):
                yield path
            else:
                yield InputProblem(str(path), "not_a_file", "a device, pipe or socket: not read")
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
    except _STREAM_ERRORS as exc:
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
        except _STREAM_ERRORS as exc:
            yield InputProblem(name, "bad_archive", str(exc) or type(exc).__name__)
    else:
        yield Input(name, kind, stream, path)


def _member(
    name: str, source: IO[bytes], packed_size: int | None, depth: int, crc: int | None = None
) -> Iterator[Input | InputProblem]:
    """Classify one member from a bounded anonymous copy of its bytes."""
    with tempfile.SpooledTemporaryFile(_SPOOL_IN_MEMORY) as copy:
        try:
            actual_crc = _copy_bounded(source, copy, packed_size)
            if crc is not None and actual_crc != crc:
                yield InputProblem(name, "archive_damaged", "CRC-32 mismatch; read as it is")
        except _Refused as exc:
            yield InputProblem(name, exc.reason, exc.detail)
            return
        except _STREAM_ERRORS as exc:  # read what came before the damage
            kept, detail = copy.tell(), str(exc) or type(exc).__name__
            if not kept:
                yield InputProblem(name, "bad_archive", detail)
                return
            yield InputProblem(name, "archive_damaged", f"{detail}; read the first {kept:,} bytes")
        copy.seek(0)
        yield from _classify(name, copy, None, depth)  # type: ignore[arg-type]


def _copy_bounded(source: IO[bytes], target: IO[bytes], packed_size: int | None) -> int:
    """Copy within the limits; returns the CRC-32 of what was copied."""
    total, crc = 0, 0
    read = getattr(source, "read1", source.read)  # one raw read each: keeps all but the damage
    while chunk := read(_COPY_BYTES):
        total += len(chunk)
        if total > MAX_MEMBER_BYTES:
            raise _Refused("archive_limit", f"member larger than {MAX_MEMBER_BYTES:,} bytes")
        if packed_size and total > RATIO_FLOOR and total > MAX_RATIO * packed_size:
            raise _Refused(
                "archive_bomb",
                f"expands more than {MAX_RATIO}:1 ({packed_size:,} bytes to over {total:,})",
            )
        target.write(chunk)
        crc = zlib.crc32(chunk, crc)
    return crc


def _zip_members(name: str, stream: IO[bytes], depth: int) -> Iterator[Input | InputProblem]:
    with zipfile.ZipFile(stream) as archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_MEMBERS:
            yield InputProblem(name, "archive_limit", f"more than {MAX_MEMBERS:,} members")
            members = []
        for member in sorted(members, key=lambda m: m.filename):
            inner_name = f"{name}!{member.filename}"
            declared = _zip_declared_problem(member)
            if declared:
                yield InputProblem(inner_name, *declared)
                continue
            try:
                inner = archive.open(member)
            except (*_STREAM_ERRORS, RuntimeError) as exc:  # encrypted
                yield InputProblem(inner_name, "bad_archive", str(exc))
                continue
            if hasattr(inner, "_expected_crc"):  # checked by _member, which keeps the content
                inner._expected_crc = None
            with inner:
                yield from _member(inner_name, inner, member.compress_size, depth, member.CRC)


def _zip_declared_problem(member: zipfile.ZipInfo) -> tuple[str, str] | None:
    """Refuse by the sizes a zip declares; zipfile never reads past the declared size."""
    size, packed = member.file_size, member.compress_size
    if size > MAX_MEMBER_BYTES:
        return "archive_limit", f"member declares {size:,} bytes, over {MAX_MEMBER_BYTES:,}"
    if size > RATIO_FLOOR and size > MAX_RATIO * max(packed, 1):
        return "archive_bomb", f"expands more than {MAX_RATIO}:1 ({packed:,} bytes to {size:,})"
    return None


def _gzip_member(name: str, stream: IO[bytes], depth: int) -> Iterator[Input | InputProblem]:
    inner_name = name[:-3] if name.lower().endswith(".gz") else f"{name}!content"
    packed = stream.seek(0, os.SEEK_END)
    stream.seek(0)
    with gzip.GzipFile(fileobj=stream) as inner:
        yield from _member(inner_name, inner, packed, depth)  # type: ignore[arg-type]


def _tar_members(name: str, stream: IO[bytes], depth: int) -> Iterator[Input | InputProblem]:
    with tarfile.open(fileobj=stream, mode="r:") as archive:
        for count, member in enumerate(archive, start=1):
            if count > MAX_MEMBERS:
                yield InputProblem(name, "archive_limit", f"more than {MAX_MEMBERS:,} members")
                return
            if not member.isfile():
                continue
            inner_name = f"{name}!{member.name}"
            if member.size > MAX_MEMBER_BYTES:
                yield InputProblem(
                    inner_name, "archive_limit", f"member of {member.size:,} bytes, over the limit"
                )
                continue
            inner = archive.extractfile(member)
            if inner is not None:
                with inner:
                    yield from _member(inner_name, inner, None, depth)


_ARCHIVES = {"zip": _zip_members, "gzip": _gzip_member, "tar": _tar_members}


def sha256_of(stream: IO[bytes]) -> str:
    """The SHA-256 of a whole stream, which is left rewound for the reader."""
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


class Hashing(io.RawIOBase):
    """A seekable stream, hashed as its reader reads it: one pass for the records and the
    SHA-256. Each byte is hashed once, in order, the first time a read reaches it; reads
    elsewhere (a header, a last chunk) are passed through. `hexdigest` hashes whatever the
    reader left unread, so the digest is always the whole stream's."""

    def __init__(self, stream: IO[bytes]):
        super().__init__()
        self._stream = stream
        self._digest = hashlib.sha256()
        self._hashed = 0  # bytes hashed: the stream's first `_hashed` bytes
        self._position = stream.seek(0)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        self._position = self._stream.seek(offset, whence)
        return self._position

    def tell(self) -> int:
        return self._position

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        n = self._stream.readinto(view) or 0  # type: ignore[attr-defined]
        start, self._position = self._position, self._position + n
        if start <= self._hashed < self._position:
            self._digest.update(view[self._hashed - start : n])
            self._hashed = self._position
        return n

    def hexdigest(self) -> str:
        """The SHA-256 of the whole stream (reads the rest if the reader stopped early)."""
        self._stream.seek(self._hashed)
        while chunk := self._stream.read(1 << 20):
            self._digest.update(chunk)
            self._hashed += len(chunk)
        self._stream.seek(self._position)
        return self._digest.hexdigest()


def hashing(stream: IO[bytes]) -> tuple[IO[bytes], Hashing]:
    """`stream` to read buffered, and the `Hashing` under it that knows its SHA-256."""
    raw = Hashing(stream)
    return io.BufferedReader(raw, 1 << 16), raw
