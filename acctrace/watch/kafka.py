"""Kafka topics as a source: one JSON event per message (Winlogbeat's or NXLog's Kafka
output), read by a confluent-kafka consumer in a consumer group.

Offsets are committed to Kafka only after the batch's events are committed to the store,
and the store keeps each partition's next offset in that same transaction. When the group
assigns a partition, reading resumes from the store's offset: a crash between the store's
commit and Kafka's re-reads nothing, and one before both re-reads what was not stored.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from acctrace.errors import AcctraceError, InputProblem
from acctrace.watch.follow import Polled, read_stream

log = logging.getLogger("acctrace.watch")
BATCH_MESSAGES = 5000
POLL_SECONDS = 1.0
_LINE = re.compile(r"line (\d+)")


class KafkaSource:
    def __init__(self, bootstrap: str, topics: list[str], group: str, stored: dict[str, Any]):
        from confluent_kafka import Consumer

        self.name = f"kafka://{bootstrap}/{','.join(topics)}"
        self.stored = stored  # kafka:<topic>:<partition> -> {"offset": next offset to read}
        self.assigned = False
        self.consumer = Consumer(
            {
                "bootstrap.servers": bootstrap,
                "group.id": group,
                "enable.auto.commit": False,  # committed after the store, below
                "auto.offset.reset": "earliest",
                # A member killed without leaving holds its partitions this long.
                "session.timeout.ms": 10000,
                "heartbeat.interval.ms": 1000,
            }
        )
        self.consumer.subscribe(topics, on_assign=self._on_assign, on_revoke=self._on_revoke)

    @classmethod
    def from_url(cls, url: str, group: str, stored: dict[str, Any]) -> KafkaSource:
        """kafka://HOST:PORT[,HOST:PORT]/TOPIC[,TOPIC]"""
        parts = urlsplit(url)
        topics = [t for t in parts.path.strip("/").split(",") if t]
        if not parts.netloc or not topics:
            raise AcctraceError("expected kafka://HOST:PORT/TOPIC[,TOPIC]", url)
        return cls(parts.netloc, topics, group, stored)

    def _on_assign(self, consumer: Any, partitions: list) -> None:
        for partition in partitions:
            stored = self.stored.get(_key(partition.topic, partition.partition))
            if stored is not None:
                partition.offset = stored["offset"]
        consumer.assign(partitions)
        self.assigned = True
        log.info(
            "kafka partitions assigned",
            extra={"partitions": [f"{p.topic}:{p.partition}" for p in partitions]},
        )

    def _on_revoke(self, consumer: Any, partitions: list) -> None:
        self.assigned = False

    def poll(self) -> Polled:
        messages = self.consumer.consume(BATCH_MESSAGES, POLL_SECONDS)
        polled = Polled()
        by_topic: dict[str, list[Any]] = {}
        for message in messages:
            if message.error():
                polled.problems.append(InputProblem(self.name, "kafka_error", str(message.error())))
                continue
            by_topic.setdefault(message.topic(), []).append(message)
            key = _key(message.topic(), message.partition())
            polled.positions[key] = {"offset": message.offset() + 1}
        for topic, batch in by_topic.items():
            lines = [m.value().replace(b"\n", b" ") for m in batch if m.value()]
            where = [f"partition {m.partition()} offset {m.offset()}" for m in batch if m.value()]
            part = read_stream(io.BytesIO(b"\n".join(lines)), f"kafka:{topic}")
            part.problems = [_placed(p, where) for p in part.problems]
            polled.extend(part)
        # Until the group has assigned partitions, or while messages come, there is more.
        polled.more = not self.assigned or bool(messages)
        return polled

    def commit(self, polled: Polled) -> None:
        """The batch is in the store: commit its offsets to Kafka (for other tools and the
        group's view of lag; the store's copy is the one reading resumes from)."""
        from confluent_kafka import KafkaException, TopicPartition

        self.stored.update(polled.positions)
        offsets = []
        for key, position in polled.positions.items():
            _, topic, partition = key.rsplit(":", 2)
            offsets.append(TopicPartition(topic, int(partition), position["offset"]))
        if not offsets:
            return
        try:
            self.consumer.commit(offsets=offsets, asynchronous=False)
        except KafkaException as exc:  # e.g. a rebalance meanwhile: the store has it anyway
            log.warning("kafka offset commit failed", extra={"error": str(exc)})

    def lag(self) -> dict[str, float]:
        """Messages behind the high watermark, over the partitions assigned here."""
        from confluent_kafka import KafkaException

        behind, partitions = 0, []
        try:
            partitions = self.consumer.position(self.consumer.assignment())
            for partition in partitions:
                high = self.consumer.get_watermark_offsets(partition, timeout=1.0)[1]
                behind += max(high - partition.offset, 0) if partition.offset >= 0 else high
        except KafkaException as exc:
            log.warning("kafka lag unknown", extra={"error": str(exc)})
        return {"messages_behind": behind, "partitions": len(partitions) if self.assigned else 0}

    def close(self) -> None:
        self.consumer.close()


def _key(topic: str, partition: int) -> str:
    return f"kafka:{topic}:{partition}"


def _placed(problem: InputProblem, where: list[str]) -> InputProblem:
    """A problem's "line N" of the batch as the message's partition and offset."""
    match = _LINE.search(problem.where or "")
    if match is None or not 0 < int(match.group(1)) <= len(where):
        return problem
    return InputProblem(
        problem.file, problem.reason, problem.detail, where[int(match.group(1)) - 1]
    )
