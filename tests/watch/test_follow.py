"""Following files: identity by fingerprint, whole lines only, rotation and truncation,
EVTX read beyond the last record id of each log, bad input named with its file and line;
and the command's clean stop on SIGTERM."""

from __future__ import annotations

import gzip
import shutil
import signal
import threading
import time
from pathlib import Path

import orjson

from acctrace.sources.evtx import CHUNK_BYTES
from acctrace.watch.follow import FINGERPRINT_BYTES, FileSource, fingerprint
from tests.watch.conftest import start_watch

HEADER = 4096  # an EVTX file header block


def _event(record_id: int, event_id: int = 4688) -> bytes:
    """One NXLog-style Security event as a line."""
    return (
        orjson.dumps(
            {
                "EventID": event_id,
                "Channel": "Security",
                "Hostname": "WS01.corp.local",
                "RecordNumber": record_id,
                "EventTime": "2024-03-04 10:00:00",
                "NewProcessName": "C:\\Windows\\System32\\cmd.exe",
                "NewProcessId": "0x10",
                "ProcessId": "0x4",
                "SubjectLogonId": "0x3e7",
            }
        )
        + b"\n"
    )


def _ids(source: FileSource) -> list[int]:
    polled = source.poll()
    source.commit(polled)
    return [raw.record_id for raw, _ in polled.events]


def test_a_file_is_known_by_its_first_line_not_its_name(tmp_path: Path) -> None:
    source = FileSource(tmp_path, {})
    log = tmp_path / "winlogbeat.ndjson"
    log.write_bytes(_event(1) + _event(2)[:30])  # the second line is still being written
    assert _ids(source) == [1]
    with open(log, "ab") as stream:
        stream.write(_event(2)[30:] + _event(3))
    assert _ids(source) == [2, 3]
    log.rename(tmp_path / "winlogbeat.ndjson.1")  # rotated: read on where it was
    with open(tmp_path / "winlogbeat.ndjson.1", "ab") as stream:
        stream.write(_event(4))
    log.write_bytes(_event(5))  # the new file under the old name: read from its start
    assert sorted(_ids(source)) == [4, 5]
    assert _ids(source) == []


def test_a_file_cut_shorter_is_read_again_and_a_copy_once(tmp_path: Path) -> None:
    source = FileSource(tmp_path, {})
    log = tmp_path / "a.json"
    log.write_bytes(_event(1) + _event(2))
    assert _ids(source) == [1, 2]
    shutil.copyfile(log, tmp_path / "copy.json")  # the same first line: the same file
    assert _ids(source) == []
    (tmp_path / "copy.json").unlink()
    log.write_bytes(_event(1))  # truncated (copytruncate) and begun again
    assert _ids(source) == [1]


def test_a_last_line_without_newline_is_read_once_the_file_stays_unchanged(
    tmp_path: Path,
) -> None:
    source = FileSource(tmp_path, {}, last_line_wait_s=0.3)
    log = tmp_path / "nxlog.json"
    log.write_bytes(_event(1) + _event(2).rstrip(b"\n"))  # the writer stopped before "\n"
    assert _ids(source) == [1]
    assert _ids(source) == []  # not yet: it may still be being written
    time.sleep(0.4)
    assert _ids(source) == [2]  # unchanged for the wait, and whole JSON
    with open(log, "ab") as stream:
        stream.write(b"\n" + _event(3) + _event(4)[:25])  # the newline after all, and half a line
    assert _ids(source) == [3]
    time.sleep(0.4)
    polled = source.poll()
    assert polled.events == []  # half a line stays unread, however long
    assert [p.reason for p in polled.problems] == ["unfinished_line"]
    assert source.poll().problems == []  # said once
    with open(log, "ab") as stream:
        stream.write(_event(4)[25:] + _event(5))
    polled = source.poll()
    source.commit(polled)
    assert [raw.record_id for raw, _ in polled.events] == [4, 5] and not polled.problems
    only = tmp_path / "single.json"
    only.write_bytes(_event(6).rstrip(b"\n"))  # a file of one line, never ended
    assert _ids(source) == []
    time.sleep(0.4)
    assert _ids(source) == [6]


def test_a_rotated_file_compressed_is_read_on_from_its_checkpoint(tmp_path: Path) -> None:
    """logrotate renames the file, then compresses it (`.1` -> `.1.gz`, written while the
    watcher polls, then `.1` removed): the lines not read before the rotation are read from
    the compressed copy, once; nothing already read is read again."""
    source = FileSource(tmp_path, {})
    log = tmp_path / "winlogbeat.ndjson"
    log.write_bytes(b"".join(_event(i) for i in range(1, 4)))
    assert _ids(source) == [1, 2, 3]
    with open(log, "ab") as stream:  # written, not read yet, then rotated
        stream.write(b"".join(_event(i) for i in range(4, 3000)))
    rotated = tmp_path / "winlogbeat.ndjson.1"
    log.rename(rotated)
    log.write_bytes(_event(3000))
    packed = gzip.compress(rotated.read_bytes())
    rotated.unlink()
    compressed = tmp_path / "winlogbeat.ndjson.1.gz"
    compressed.write_bytes(packed[: len(packed) // 2])  # gzip still writing
    ids = _ids(source)
    assert 3000 in ids and 4 in ids and max(set(ids) - {3000}) < 2999
    compressed.write_bytes(packed)
    ids += _ids(source)
    assert sorted(ids) == list(range(4, 3001))
    assert _ids(source) == []
    assert _ids(FileSource(tmp_path, source.checkpoints)) == []  # after a restart too
    history = tmp_path / "older.ndjson.gz"  # compressed before watch knew it: read whole
    history.write_bytes(gzip.compress(_event(7001) + _event(7002)))
    assert _ids(source) == [7001, 7002]


def test_the_fingerprint_waits_for_the_first_line() -> None:
    assert fingerprint(b'{"EventID": 4688') is None
    assert fingerprint(b'{"EventID": 4688}\n{"Event') == fingerprint(b'{"EventID": 4688}\n')
    long_line = b"x" * FINGERPRINT_BYTES
    assert fingerprint(long_line) == fingerprint(long_line + b"more of the same line")


def test_bad_lines_are_named_by_their_line_in_the_whole_file(tmp_path: Path) -> None:
    source = FileSource(tmp_path, {})
    log = tmp_path / "a.json"
    log.write_bytes(_event(1) + _event(2))
    source.commit(source.poll())
    with open(log, "ab") as stream:
        stream.write(b'{"EventID": 4688, "Channel": "Security", broken\n' + _event(3))
    (tmp_path / "notes.txt").write_bytes(b"not an event log\n")
    polled = source.poll()
    assert [raw.record_id for raw, _ in polled.events] == [3]
    where = {(Path(p.file).name, p.reason, p.where) for p in polled.problems}
    assert ("a.json", "invalid_json", "line 3") in where
    assert ("notes.txt", "not_followed", None) in where
    source.commit(polled)
    assert source.poll().problems == []  # each reported once


def test_evtx_is_read_beyond_the_last_record_of_each_log(tmp_path: Path, shared_data: Path) -> None:
    folder = shared_data / "evtx" / "mdecrevoisier"
    source = FileSource(tmp_path, {})
    export = tmp_path / "ForwardedEvents.evtx"
    shutil.copyfile(folder / "ID4688-User creation via commandline.evtx", export)
    first = _ids(source)
    assert first and first == sorted(first)
    export.write_bytes(export.read_bytes())  # exported again: nothing new
    assert _ids(source) == []
    shutil.copyfile(folder / "ID4720-Local user created.evtx", tmp_path / "other.evtx")
    assert _ids(source)  # another host's log: its own record ids
    restarted = FileSource(tmp_path, source.checkpoints)
    assert _ids(restarted) == []


def test_a_growing_evtx_is_read_from_its_first_unread_chunk(
    tmp_path: Path, shared_data: Path
) -> None:
    """A live copy grows, then an export replaces it: every record once, and the chunks read
    before (all but the last, which may still grow) are not parsed again."""
    whole = (shared_data / "evtx" / "evtx-rs-samples" / "security.evtx").read_bytes()
    everything = FileSource(tmp_path / "all.evtx", {})
    (tmp_path / "all.evtx").write_bytes(whole)
    expected = everything.poll()
    watched = tmp_path / "in"
    watched.mkdir()
    log = watched / "Security.evtx"
    source = FileSource(watched, {})
    read, ids = [], []
    for chunks in (5, 12, 20):
        with open(log, "wb") as stream:  # grows in place
            stream.write(whole[: HEADER + chunks * CHUNK_BYTES + 1000])
        polled = source.poll()
        source.commit(polled)
        read.append(polled.records)
        ids += [raw.record_id for raw, _ in polled.events]
    replacement = tmp_path / "export.tmp"
    replacement.write_bytes(whole)
    replacement.replace(log)  # exported again, whole
    polled = source.poll()
    source.commit(polled)
    read.append(polled.records)
    ids += [raw.record_id for raw, _ in polled.events]
    assert sorted(ids) == sorted(raw.record_id for raw, _ in expected.events)
    assert len(ids) == len(set(ids))
    assert sum(read) < expected.records * 1.3  # not parsed again from the start each time
    assert FileSource(watched, source.checkpoints).poll().records < expected.records / 5


def test_a_cleared_log_is_read_and_reported_not_skipped(tmp_path: Path, shared_data: Path) -> None:
    """One host's Sysmon log exported, then cleared (its record ids began again lower) and
    exported again under the same name: the new records are read, the restart reported."""
    samples = shared_data / "evtx" / "evtx-attack-samples"
    before = (
        samples
        / "AutomatedTestingTools/Malware/DE_timestomp_and_dll_sideloading_and_RunPersist.evtx"
    )
    after = (
        samples / "Credential Access/discovery_sysmon_1_iis_pwd_and_config_discovery_appcmd.evtx"
    )
    source = FileSource(tmp_path, {})
    export = tmp_path / "Sysmon.evtx"
    shutil.copyfile(before, export)
    first = source.poll()
    source.commit(first)
    sysmon = [raw for raw, _ in first.events if raw.channel.endswith("Operational")]
    assert min(raw.record_id for raw in sysmon) > 6000
    shutil.copyfile(after, export)
    polled = source.poll()
    source.commit(polled)
    ids = [raw.record_id for raw, _ in polled.events if raw.channel.endswith("Operational")]
    assert ids and max(ids) < 6000  # every one below the ids read before
    restarts = [p for p in polled.problems if p.reason == "evtx_log_restarted"]
    assert len(restarts) == 1 and "iewin7" in restarts[0].detail
    assert restarts[0].file == str(export)
    shutil.copyfile(before, tmp_path / "older.evtx")  # the export before the clearing, again
    assert _ids(source) == []
    restarted = FileSource(tmp_path, source.checkpoints)
    polled = restarted.poll()
    assert polled.events == [] and polled.problems == []


def test_sigterm_stops_cleanly_with_a_snapshot_and_a_health_line(tmp_path: Path) -> None:
    watched, store, log = tmp_path / "in", tmp_path / "soc.duckdb", tmp_path / "w.log"
    watched.mkdir()
    (watched / "a.json").write_bytes(_event(1, 4720) + _event(2))
    watcher = start_watch(watched, "--db", store, "--interval", "0.2", log=log)
    deadline = time.monotonic() + 60
    while '"message": "watching"' not in log.read_text():
        assert watcher.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)
    watcher.send_signal(signal.SIGTERM)
    assert watcher.wait(timeout=60) == 0
    lines = [orjson.loads(line) for line in log.read_bytes().splitlines()]
    health = [line for line in lines if line["message"] == "health"]
    assert health and health[-1]["records"] == 2 and "lag" in health[-1]
    assert (tmp_path / "soc.duckdb.snapshot").exists()


def test_rotation_racing_the_reader_loses_and_repeats_nothing(tmp_path: Path) -> None:
    """A writer appends and rotates a chain of files (.1 -> .2 -> ...) while the source polls:
    every line is read exactly once, none is cut (a name read twice may be two files)."""
    done = threading.Event()
    written = []

    def shipper() -> None:
        log = tmp_path / "w.ndjson"
        for step in range(60):
            with open(log, "ab") as stream:
                for _ in range(200):
                    written.append(len(written) + 1)
                    stream.write(_event(written[-1]))
            if step % 5 == 4:
                for n in range(20, 0, -1):  # every file kept
                    older = tmp_path / f"w.ndjson.{n}"
                    if older.exists():
                        older.rename(tmp_path / f"w.ndjson.{n + 1}")
                log.rename(tmp_path / "w.ndjson.1")
        done.set()

    source = FileSource(tmp_path, {})
    writer = threading.Thread(target=shipper)
    writer.start()
    read: list[int] = []
    problems = []
    while not done.is_set():
        polled = source.poll()
        source.commit(polled)
        read += [raw.record_id for raw, _ in polled.events]
        problems += polled.problems
    writer.join()
    polled = source.poll()
    read += [raw.record_id for raw, _ in polled.events]
    assert problems + polled.problems == []
    assert sorted(read) == written


def test_text_logs_carry_the_fields_too(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from acctrace.cli import cli

    watched = tmp_path / "in"
    watched.mkdir()
    (watched / "a.json").write_bytes(_event(1, 4720) + _event(2))
    args = ["watch", str(watched), "--db", str(tmp_path / "s.duckdb"), "--once"]
    result = CliRunner().invoke(cli, [*args, "--log-format", "text", "--grace", "0"])
    assert result.exit_code == 0, result.output
    health = [line for line in result.stderr.splitlines() if " health " in line]
    assert health and "records=2" in health[-1] and "queued_creations=0" in health[-1]
