"""Sinks against real listeners on 127.0.0.1: an HTTP server that fails before it answers,
one that stays down (dead letters), syslog over UDP and TCP; shapes and min-severity."""

from __future__ import annotations

import contextlib
import os
import re
import socketserver
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import duckdb
import orjson
import pytest

from acctrace.findings import SEVERITY_ORDER, Finding
from acctrace.pipeline import HuntOptions, run
from acctrace.scenario.writers import write_demo
from acctrace.storage.database import EventDatabase
from acctrace.watch.alerts import SHAPES, Timing, identity, render
from acctrace.watch.loop import Watcher, WatchOptions, open_sources
from acctrace.watch.sinks import SinkError, StreamSink, parse_sink
from acctrace.watch.state import Delivery


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        server = self.server
        server.calls += 1  # type: ignore[attr-defined]
        if server.calls <= server.fail_first:  # type: ignore[attr-defined]
            self.send_response(503)
        else:
            server.received.append((dict(self.headers), orjson.loads(body)))  # type: ignore[attr-defined]
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


def _serve(server: socketserver.BaseServer) -> socketserver.BaseServer:
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _hook(fail_first: int) -> HTTPServer:
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    server.calls, server.fail_first, server.received = 0, fail_first, []  # type: ignore[attr-defined]
    return _serve(server)  # type: ignore[return-value]


class _Syslog(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        if isinstance(self.request, tuple):  # UDP: one datagram, one message
            self.server.messages.append(self.request[0])  # type: ignore[attr-defined]
            return
        data = b""
        while chunk := self.request.recv(65536):
            data += chunk
        while data:  # RFC 6587 octet counting: "LENGTH MESSAGE"
            length, _, rest = data.partition(b" ")
            self.server.messages.append(rest[: int(length)])  # type: ignore[attr-defined]
            data = rest[int(length) :]


def _syslog(server_class: type[socketserver.BaseServer]) -> socketserver.BaseServer:
    server = server_class(("127.0.0.1", 0), _Syslog)
    server.messages = []  # type: ignore[attr-defined]
    server.max_packet_size = 65507  # type: ignore[attr-defined]  # whole datagrams: alerts are KiBs
    return _serve(server)


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sinks") / "logs"
    write_demo(folder, "ecs")
    return folder


@pytest.fixture(scope="module")
def expected(logs: Path) -> list[Finding]:
    return run([logs], HuntOptions()).findings


@pytest.fixture(scope="module")
def listeners(logs: Path) -> Iterator[dict[str, socketserver.BaseServer]]:
    """One watch run over the demo logs, with a sink on every kind of real listener: a
    webhook that fails twice first, one that stays down, syslog over UDP and over TCP."""
    servers = {
        "hook": _hook(fail_first=2),
        "down": _hook(fail_first=10**6),
        "udp": _syslog(socketserver.ThreadingUDPServer),
        "tcp": _syslog(socketserver.ThreadingTCPServer),
    }
    folder = logs.parent
    specs = [
        f"webhook:http://127.0.0.1:{servers['hook'].server_address[1]}/a,"
        "min-severity=medium,shape=ecs",
        f"webhook:http://127.0.0.1:{servers['down'].server_address[1]}/a,retries=2,"
        f"dead-letter={folder}/dead.jsonl",
        f"syslog+udp:127.0.0.1:{servers['udp'].server_address[1]},shape=ocsf",
        f"syslog+tcp:127.0.0.1:{servers['tcp'].server_address[1]},shape=ocsf",
    ]
    sinks = [parse_sink(spec, folder / "unused.jsonl") for spec in specs]
    for sink in sinks[:2]:
        sink.backoff_s = 0.01  # type: ignore[attr-defined]
    database = EventDatabase(folder / "soc.duckdb")
    watcher = Watcher(database, [], sinks, WatchOptions(timing=Timing(grace_s=0)))
    watcher.sources = open_sources([str(logs)], database, "")
    watcher.run(threading.Event(), once=True)
    for sink in sinks:
        sink.close()
    database.close()
    yield servers
    for server in servers.values():
        server.shutdown()
        server.server_close()


def test_webhook_retries_then_delivers_only_what_is_severe_enough(
    listeners: dict, expected: list[Finding]
) -> None:
    hook = listeners["hook"]
    severe = [f for f in expected if SEVERITY_ORDER[f.verdict.severity] >= 2]
    assert hook.calls == len(severe) + 2  # two 503s retried, then one POST each
    assert sorted(doc["event"]["id"] for _, doc in hook.received) == sorted(f.id for f in severe)
    headers, doc = hook.received[0]
    assert headers["Idempotency-Key"] == f"{doc['event']['id']}:1"
    assert doc["acctrace"]["revision"] == 1 and doc["event"]["kind"] == "alert"


def test_a_webhook_that_stays_down_fills_the_dead_letter_file(
    listeners: dict, expected: list[Finding], logs: Path
) -> None:
    buried = [orjson.loads(x) for x in (logs.parent / "dead.jsonl").read_bytes().splitlines()]
    assert sorted(b["alert"]["id"] for b in buried) == sorted(f.id for f in expected)
    assert {b["error"] for b in buried} == {"HTTP 503"}
    assert all(b["alert"]["revision"] == 1 for b in buried)
    assert listeners["down"].calls == 3  # the first alert tried 3 times, the rest buried


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_syslog_rfc5424_messages(listeners: dict, expected: list[Finding], transport: str) -> None:
    messages = listeners[transport].messages
    for _ in range(50):  # UDP datagrams may still be on their way
        if len(messages) >= len(expected):
            break
        time.sleep(0.1)
    assert len(messages) == len(expected)
    header = re.compile(
        rb"^<(\d+)>1 \d{4}-\d\d-\d\dT[\d:.]+(?:Z|\+00:00) \S+ acctrace \d+ finding "
        rb'\[alert@32473 id="(\w+)" revision="1" severity="(\w+)"\] (?:\xef\xbb\xbf)?(\{.*\})$',
        re.DOTALL,
    )
    by_id = {f.id: f for f in expected}
    syslog_severity = {"critical": 2, "high": 3, "medium": 4, "low": 5, "info": 6}
    for message in messages:
        match = header.match(message)
        assert match, (len(message), message[:200], message[-200:])
        priority, finding_id, severity, body = match.groups()
        finding = by_id[finding_id.decode()]
        assert severity.decode() == finding.verdict.severity
        assert int(priority) == 8 + syslog_severity[finding.verdict.severity]  # facility user
        document = orjson.loads(body)
        assert document["finding_info"]["uid"] == finding_id.decode()
        assert document["activity_id"] == 1


@pytest.mark.parametrize("revision", [1, 2])
def test_alerts_of_every_shape_validate_and_name_their_revision(
    expected: list[Finding], revision: int
) -> None:
    from jsonschema import Draft202012Validator
    from ocsf_json_schema import OcsfJsonSchemaEmbedded, get_ocsf_schema

    from acctrace.report import ocsf

    schema = OcsfJsonSchemaEmbedded(get_ocsf_schema(ocsf.OCSF_VERSION))
    validator = Draft202012Validator(schema.get_class_schema("detection_finding"))
    for finding in expected:
        document = orjson.loads(render(finding, revision, "ocsf"))
        assert list(validator.iter_errors(document)) == []
        assert (document["activity_id"], document["type_uid"]) == (
            (1, 200401) if revision == 1 else (2, 200402)
        )
        for shape in SHAPES:
            assert identity(render(finding, revision, shape)) == (finding.id, revision)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("pager:555", "expected stdout"),
        ("file:a.jsonl,shape=cef", "shape must be one of"),
        ("stdout,min-severity=urgent", "min-severity must be one of"),
        ("syslog+udp:host:port", "is not a number"),
        ("file:a.jsonl,shape=ecs,colour=red", "unknown option"),
    ],
)
def test_a_bad_sink_is_one_clear_error(spec: str, message: str) -> None:
    with pytest.raises(SinkError, match=message) as caught:
        parse_sink(spec, Path("dead.jsonl"))
    assert spec in str(caught.value)


def test_a_file_path_may_hold_commas(tmp_path: Path) -> None:
    sink = parse_sink(f"file:{tmp_path}/a,b.jsonl,shape=ecs", tmp_path / "d")
    assert sink.name == f"file:{tmp_path}/a,b.jsonl" and sink.shape == "ecs"


def test_an_alert_sent_but_not_recorded_before_a_crash_is_sent_again_with_its_key(
    logs: Path, tmp_path: Path
) -> None:
    """At least once: kill -9 between a webhook's POST and its record in the store leaves
    the delivery pending; the restarted watcher sends that alert again, with the same
    Idempotency-Key, and nothing else."""
    hook = _hook(fail_first=0)
    spec = f"webhook:http://127.0.0.1:{hook.server_address[1]}/alerts"
    store = tmp_path / "soc.duckdb"

    def watch_once() -> None:
        sink = parse_sink(spec, tmp_path / "dead.jsonl")
        database = EventDatabase(store)
        watcher = Watcher(database, [], [sink], WatchOptions(timing=Timing(grace_s=0)))
        watcher.sources = open_sources([str(logs)], database, "")
        watcher.run(threading.Event(), once=True)
        sink.close()
        database.close()

    try:
        watch_once()
        first = list(hook.received)
        assert first
        headers, doc = first[0]
        with duckdb.connect(str(store)) as con:  # the state such a crash leaves
            con.execute(
                "update watch_deliveries set state = 'pending' where id = ? and revision = ?",
                [doc["id"], doc["revision"]],
            )
        watch_once()
        again = hook.received[len(first) :]
    finally:
        hook.shutdown()
        hook.server_close()
    assert [(h["Idempotency-Key"], d) for h, d in again] == [(headers["Idempotency-Key"], doc)]
    assert headers["Idempotency-Key"] == f"{doc['id']}:{doc['revision']}"


def test_stdout_closed_by_its_reader_keeps_the_alerts_queued() -> None:
    """`acctrace watch | consumer` whose consumer died: nothing is recorded as sent."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    with open(write_end, "w", encoding="utf-8") as stream:
        sink = StreamSink(stream)
        delivery = Delivery("f1", 1, "high", '{"id": "f1", "revision": 1}')
        outcome = sink.send([delivery])
        assert outcome.sent == [] and "BrokenPipe" in (outcome.detail or "")
        with contextlib.suppress(BrokenPipeError):
            stream.close()
