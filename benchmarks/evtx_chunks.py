"""Dense EVTX logs made of the intact 64 KiB chunks of real EVTX files.

A chunk carries its own string and template tables, so whole chunks laid one after another
behind a fresh file header make a valid log. Copies of one chunk would repeat the same
events (the same EventRecordID, the same times, the same account SIDs), which acctrace counts
once and which would all fall in one correlation window; so every copy is renumbered (record
ids run on across the whole output), moved by whole days, and its domain SIDs (S-1-5-21-...)
get other RIDs. Both values are patched where the parser reads
them: the record header, and the template substitution values `EventRecordID` (a UInt64)
and `TimeCreated/@SystemTime` (a FILETIME), after which the chunk's two
CRC32s are computed again. Layout: libyal's EVTX format notes and the `evtx` crate
(src/evtx_file_header.rs, src/binxml/tokens.rs).
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
from evtx import PyEvtxParser

CHUNK_BYTES = 65536
FILE_HEADER_BYTES = 4096
DAY_FILETIME = 86_400 * 10_000_000  # FILETIME counts 100 ns steps
_FILE_HEADER = struct.Struct("<8sQQQIHHHH")  # magic, first/last chunk, next record, sizes, count
_RECORD_MAGIC = b"\x2a\x2a\x00\x00"
_UINT64, _FILETIME, _SID, _BINXML = 0x0A, 0x11, 0x13, 0x21  # BinXML value types
_DOMAIN_SID = b"\x01\x05\x00\x00\x00\x00\x00\x05\x15\x00\x00\x00"  # S-1-5-21, 5 parts
RID_STEP = 1_000_000  # round k adds k * RID_STEP to every domain RID


class NotUsable(ValueError):
    """A chunk that is damaged, or whose records this module cannot renumber."""


@dataclass(frozen=True)
class Record:
    offset: int  # of the record in its chunk
    id_value: int  # offset of the EventRecordID substitution value
    time_value: int  # offset of the SystemTime substitution value
    rids: tuple[int, ...]  # offsets of the RIDs of domain and machine SIDs (S-1-5-21-...)


@dataclass(frozen=True)
class SourceChunk:
    file: Path
    number: int  # chunk number in its file
    data: bytes
    records: tuple[Record, ...]
    channel: str

    @property
    def identity(self) -> tuple[str, int, int]:
        """Channel, id and time of the first record: the same chunk in two copies of a log."""
        record_id, written = struct.unpack_from("<QQ", self.data, self.records[0].offset + 8)
        return self.channel, record_id, written

    @property
    def fill(self) -> float:
        """How much of the chunk holds records: dense chunks make a dense log."""
        free = struct.unpack_from("<I", self.data, 48)[0]
        return free / CHUNK_BYTES


def file_header(chunks: int, next_record_id: int) -> bytes:
    """A clean (not dirty) EVTX 3.1 file header for `chunks` chunks; CRC32 of bytes 0-119."""
    if not 0 < chunks <= 0xFFFF:
        raise ValueError(f"an EVTX file holds 1 to 65535 chunks, not {chunks}")
    fixed = _FILE_HEADER.pack(
        b"ElfFile\x00", 0, chunks - 1, next_record_id, 128, 1, 3, FILE_HEADER_BYTES, chunks
    )
    head = fixed + bytes(120 - len(fixed))
    head += struct.pack("<II", 0, zlib.crc32(head))  # flags, checksum
    return head + bytes(FILE_HEADER_BYTES - len(head))


def chunks_of(path: Path) -> Iterator[SourceChunk]:
    """The chunks of one file that are intact, renumberable and parse without a warning."""
    blob = path.read_bytes()
    if len(blob) < FILE_HEADER_BYTES or not blob.startswith(b"ElfFile\x00"):
        return
    for number in range((len(blob) - FILE_HEADER_BYTES) // CHUNK_BYTES):
        start = FILE_HEADER_BYTES + number * CHUNK_BYTES
        data = blob[start : start + CHUNK_BYTES]
        try:
            records = _records(data)
            channel = _verify(data, len(records))
        except NotUsable:
            continue
        yield SourceChunk(path, number, data, records, channel)


def harvest(root: Path, files: Iterable[Path] | None = None) -> list[SourceChunk]:
    """Every usable chunk of every .evtx file under `root` (or of `files`), in path order."""
    paths = sorted(files) if files is not None else sorted(root.rglob("*.evtx"))
    return [chunk for path in paths for chunk in chunks_of(path)]


def _records(data: bytes) -> tuple[Record, ...]:
    if not data.startswith(b"ElfChnk\x00"):
        raise NotUsable("no chunk magic")
    first, last = struct.unpack_from("<QQ", data, 24)
    free, data_crc = struct.unpack_from("<II", data, 48)
    header_crc = struct.unpack_from("<I", data, 124)[0]
    if not 512 < free <= CHUNK_BYTES or last < first:
        raise NotUsable("implausible chunk header")
    if zlib.crc32(data[512:free]) != data_crc or header_crc != _header_crc(data):
        raise NotUsable("bad checksum")
    records, offset = [], 512
    while offset < free:
        if data[offset : offset + 4] != _RECORD_MAGIC:
            raise NotUsable(f"no record magic at {offset}")
        size, record_id, written = struct.unpack_from("<IQQ", data, offset + 4)
        if size < 28 or offset + size > free:
            raise NotUsable(f"bad record size at {offset}")
        records.append(_substitutions(data, offset, record_id, written))
        offset += size
    if len(records) != last - first + 1:
        raise NotUsable("record count differs from the chunk header")
    return tuple(records)


def _substitutions(data: bytes, offset: int, record_id: int, written: int) -> Record:
    """Find the template values the parser renders as EventRecordID and SystemTime.

    They repeat the record header's id and time in a log as Windows wrote it; in an exported
    (filtered) log the header is renumbered, and the values are found at their place in the
    System template instead: substitution 10 (UInt64) and 6 (FILETIME).
    """
    values = _template_values(data, offset + 24, offset)
    eight = [(kind, at, struct.unpack_from("<Q", data, at)[0]) for kind, at, size in values
             if size == 8]  # fmt: skip
    id_at = next((at for kind, at, v in eight if kind == _UINT64 and v == record_id), None)
    time_at = next((at for kind, at, v in eight if kind == _FILETIME and v == written), None)
    if id_at is None and len(values) > 10 and values[10][0] == _UINT64:
        id_at = values[10][1]
    if time_at is None and len(values) > 6 and values[6][0] == _FILETIME:
        time_at = values[6][1]
    if id_at is None or time_at is None:
        raise NotUsable(f"record at {offset}: no EventRecordID or SystemTime value to patch")
    rids = tuple(
        at + 24
        for kind, at, size in _all_values(data, values, offset)
        if kind == _SID and size == 28 and data[at : at + 12] == _DOMAIN_SID
    )
    return Record(offset, id_at, time_at, rids)


def _template_values(data: bytes, pos: int, offset: int) -> list[tuple[int, int, int]]:
    """(type, offset, size) of each substitution value of the template instance at `pos`
    (after a fragment header in a record; nested values may begin with the instance)."""
    if data[pos : pos + 4] == b"\x0f\x01\x01\x00":
        pos += 4
    if data[pos] != 0x0C:
        raise NotUsable(f"record at {offset}: no template instance at {pos}")
    definition = struct.unpack_from("<I", data, pos + 6)[0]
    pos += 10
    if definition == pos:  # the template is defined here, inline: skip it
        pos += 24 + struct.unpack_from("<I", data, pos + 20)[0]
    count = struct.unpack_from("<I", data, pos)[0]
    if count > 1024:
        raise NotUsable(f"record at {offset}: implausible substitution count")
    values, value = [], pos + 4 + 4 * count
    for i in range(count):
        size, kind = struct.unpack_from("<HB", data, pos + 4 + 4 * i)
        values.append((kind, value, size))
        value += size
    return values


def _all_values(
    data: bytes, values: list[tuple[int, int, int]], offset: int, depth: int = 0
) -> list[tuple[int, int, int]]:
    """`values` and those of the BinXML fragments nested in them (EventData is one)."""
    found = []
    for kind, at, size in values:
        found.append((kind, at, size))
        if kind == _BINXML and size > 14 and depth < 4 and 0x0C in (data[at], data[at + 4]):
            found += _all_values(data, _template_values(data, at, offset), offset, depth + 1)
    return found


def _header_crc(data: bytes | bytearray) -> int:
    return zlib.crc32(data[128:512], zlib.crc32(data[:120]))


def _verify(data: bytes, expected: int) -> str:
    """Parse the chunk alone with pyevtx-rs: every record, no warning; returns its channel."""
    blob = file_header(1, struct.unpack_from("<Q", data, 32)[0] + 1) + data
    channel = ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            parsed = list(PyEvtxParser(io.BytesIO(blob)).records_json())
        except (RuntimeError, OSError) as exc:
            raise NotUsable(str(exc)) from exc
    if caught or len(parsed) != expected:
        raise NotUsable("pyevtx-rs does not read every record")
    try:
        channel = orjson.loads(parsed[0]["data"])["Event"]["System"].get("Channel") or ""
    except (orjson.JSONDecodeError, KeyError, TypeError):
        channel = ""
    return str(channel)


def renumbered(chunk: SourceChunk, first_id: int, shift_days: int) -> bytes:
    """A copy of `chunk` whose records are numbered from `first_id` and moved by whole days.

    Domain and machine SIDs get new RIDs too, so that the accounts one copy creates are not
    the accounts of the previous copy: a SID is created once in a real log.
    """
    data = bytearray(chunk.data)
    shift = shift_days * DAY_FILETIME
    for i, record in enumerate(chunk.records):
        new_id = first_id + i
        written = struct.unpack_from("<Q", data, record.offset + 16)[0] + shift
        created = struct.unpack_from("<Q", data, record.time_value)[0] + shift
        struct.pack_into("<QQ", data, record.offset + 8, new_id, written)
        struct.pack_into("<Q", data, record.id_value, new_id)
        struct.pack_into("<Q", data, record.time_value, created)
        for at in record.rids:
            rid = struct.unpack_from("<I", data, at)[0]
            struct.pack_into("<I", data, at, (rid + shift_days * RID_STEP) & 0xFFFFFFFF)
    last = first_id + len(chunk.records) - 1
    struct.pack_into("<QQQQ", data, 8, first_id, last, first_id, last)
    free = struct.unpack_from("<I", data, 48)[0]
    struct.pack_into("<I", data, 52, zlib.crc32(data[512:free]))
    struct.pack_into("<I", data, 124, _header_crc(data))
    return bytes(data)


@dataclass(frozen=True)
class Written:
    path: Path
    chunks: int
    records: int
    bytes: int


def write_log(
    path: Path, sources: list[SourceChunk], chunks: int, first_id: int = 1, first_round: int = 0
) -> Written:
    """Write `chunks` chunks cycling through `sources`; round k of the cycle is k days later.

    The file is written chunk by chunk, never held whole in memory.
    """
    if not sources:
        raise ValueError("no usable EVTX chunk to build a log from")
    next_id, records = first_id, 0
    with open(path, "wb") as out:
        out.write(bytes(FILE_HEADER_BYTES))  # the header is written last, when the ids are known
        for i in range(chunks):
            source = sources[i % len(sources)]
            out.write(renumbered(source, next_id, first_round + i // len(sources)))
            next_id += len(source.records)
            records += len(source.records)
        out.seek(0)
        out.write(file_header(chunks, next_id))
    return Written(path, chunks, records, FILE_HEADER_BYTES + chunks * CHUNK_BYTES)


def count_records(path: Path, first_id: int = 1) -> tuple[int, int]:
    """Records pyevtx-rs reads from `path`, and how many distinct EventRecordIDs they carry
    (counted in a bitmap from `first_id`: a 1 GB log has millions)."""
    seen = bytearray(1 << 16)
    total = distinct = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for record in PyEvtxParser(str(path)).records_json():
            total += 1
            index = record["event_record_id"] - first_id
            if index < 0:
                continue
            if index >> 3 >= len(seen):
                seen.extend(bytes(max(len(seen), (index >> 3) + 1 - len(seen))))
            bit = 1 << (index & 7)
            if not seen[index >> 3] & bit:
                seen[index >> 3] |= bit
                distinct += 1
    if caught:
        raise NotUsable(f"{path}: pyevtx-rs warned: {caught[0].message}")
    return total, distinct
