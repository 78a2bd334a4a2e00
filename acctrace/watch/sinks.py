"""Where alerts go: JSON lines on stdout or in a file, an HTTP webhook, or syslog (RFC 5424
over UDP or TCP). Each sink takes alerts of one shape (json, ecs, ocsf) at or above its
minimum severity, and later revisions of any finding it was given.

Delivery is recorded in the store (an outbox, see state.py), after the sink took it. What
each sink guarantees across crashes (kill -9 included):
- file: exactly once. What it wrote after the last delivery recorded is read back on
  restart and not written again.
- stdout and webhook: at least once. A crash between a send and its record sends that
  alert again, with the same finding id and revision (and, for the webhook, the same
  `Idempotency-Key: ID:REVISION` header): the receiver drops the repeat. A webhook that
  keeps failing moves the alert to the dead-letter file instead.
- syslog over TCP: at least once as far as the server's TCP stack: a server that is down
  or refuses the connection keeps the alerts queued, but syslog has no acknowledgement, so
  alerts written into a connection that breaks afterwards can be lost.
- syslog over UDP: at most once. A datagram lost, or sent while nothing listens, is not
  noticed.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, ClassVar

import orjson

from acctrace.errors import AcctraceError
from acctrace.findings import SEVERITY_ORDER
from acctrace.watch.alerts import SHAPES, identity
from acctrace.watch.state import Delivery

log = logging.getLogger("acctrace.watch")


@dataclass(frozen=True)
class Outcome:
    """What became of the deliveries a sink was given: sent, or given up (dead) and why."""

    sent: list[Delivery]
    dead: list[Delivery]
    detail: str | None = None


class SinkError(AcctraceError):
    """A --sink that cannot be understood."""


class Sink:
    """A destination for alerts; `name` keys its deliveries in the store."""

    name: str
    shape: str = "json"
    min_severity: str = "info"

    def wants(self, severity: str, had_earlier: bool) -> bool:
        return had_earlier or SEVERITY_ORDER[severity] >= SEVERITY_ORDER[self.min_severity]

    def send(self, deliveries: list[Delivery]) -> Outcome:
        raise NotImplementedError

    def close(self) -> None:
        return None


class StreamSink(Sink):
    def __init__(self, stream: IO[str], name: str = "stdout"):
        self.stream, self.name = stream, name

    def send(self, deliveries: list[Delivery]) -> Outcome:
        try:
            for d in deliveries:
                self.stream.write(d.document + "\n")
            self.stream.flush()
        except OSError as exc:  # a closed pipe: the alerts stay queued, for the next run
            return Outcome(sent=[], dead=[], detail=f"{type(exc).__name__}: {exc}")
        return Outcome(sent=deliveries, dead=[])


class FileSink(Sink):
    """Appends alerts to a file, made durable (fsync) before they are recorded as sent."""

    def __init__(self, path: Path):
        self.path = path
        self.name = f"file:{path}"

    def size(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0

    def written_after(self, size: int) -> set[tuple[str, int]]:
        """The alerts in the file beyond `size`: written before a crash, never recorded."""
        if not self.path.exists() or self.size() <= size:
            return set()
        with open(self.path, "rb") as stream:
            stream.seek(size)
            tail = stream.read()
        found = {identity(line) for line in tail.decode("utf-8", "replace").splitlines()}
        return {key for key in found if key is not None}

    def send(self, deliveries: list[Delivery]) -> Outcome:
        with open(self.path, "a", encoding="utf-8") as stream:
            for d in deliveries:
                stream.write(d.document + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        return Outcome(sent=deliveries, dead=[])


class WebhookSink(Sink):
    """POSTs each alert as JSON; retries with exponential backoff on connection errors,
    timeouts, 408, 429 and 5xx; gives up on other answers at once. Alerts it gives up on go
    to the dead-letter file, one JSON line each with the error."""

    RETRY_STATUS: ClassVar[set[int]] = {408, 425, 429}

    def __init__(self, url: str, dead_letter: Path, retries: int = 4, backoff_s: float = 0.5):
        import httpx  # only a webhook needs it

        self.url, self.dead_letter = url, dead_letter
        self.retries, self.backoff_s = retries, backoff_s
        self.name = f"webhook:{url}"
        self.client = httpx.Client(timeout=10.0)
        self._errors = (httpx.TransportError,)

    def send(self, deliveries: list[Delivery]) -> Outcome:
        sent: list[Delivery] = []
        for index, d in enumerate(deliveries):
            error = self._post(d)
            if error is not None:  # the endpoint stays down: the rest of the batch too
                dead = deliveries[index:]
                self._bury(dead, error)
                return Outcome(sent=sent, dead=dead, detail=error)
            sent.append(d)
        return Outcome(sent=sent, dead=[])

    def _post(self, d: Delivery) -> str | None:
        """None when the endpoint took the alert, else why it was not taken."""
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": f"{d.id}:{d.revision}",
            "X-Acctrace-Finding": d.id,
            "X-Acctrace-Revision": str(d.revision),
        }
        error = "not tried"
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff_s * 2 ** (attempt - 1))
            try:
                response = self.client.post(self.url, content=d.document, headers=headers)
            except self._errors as exc:
                error = f"{type(exc).__name__}: {exc}"
                continue
            if response.is_success:
                return None
            error = f"HTTP {response.status_code}"
            if response.status_code < 500 and response.status_code not in self.RETRY_STATUS:
                return error
        return error

    def _bury(self, dead: list[Delivery], error: str) -> None:
        with open(self.dead_letter, "ab") as stream:
            for d in dead:
                entry = {"sink": self.name, "error": error, "alert": orjson.loads(d.document)}
                stream.write(orjson.dumps(entry) + b"\n")
        log.warning(
            "alerts sent to the dead-letter file",
            extra={"sink": self.name, "alerts": len(dead), "error": error},
        )

    def close(self) -> None:
        self.client.close()


# Finding severity -> syslog severity name (the handler's priority map).
SYSLOG_SEVERITY = {
    "critical": "CRITICAL",
    "high": "ERROR",
    "medium": "WARNING",
    "low": "NOTICE",
    "info": "INFO",
}
ENTERPRISE_ID = 32473  # RFC 5612's number for documentation and examples


class SyslogSink(Sink):
    """RFC 5424 messages (rfc5424-logging-handler builds and sends them): the alert as the
    message, its finding id, revision and severity as structured data. TCP uses octet-
    counting framing (RFC 6587), so a message may hold any byte."""

    def __init__(self, host: str, port: int, transport: str):
        self.address, self.transport = (host, port), transport
        self.name = f"syslog+{transport}:{host}:{port}"
        self._handler = None

    def _open(self):  # type: ignore[no-untyped-def]
        from rfc5424logging import Rfc5424SysLogHandler, transport

        return Rfc5424SysLogHandler(
            address=self.address,
            socktype=socket.SOCK_STREAM if self.transport == "tcp" else socket.SOCK_DGRAM,
            framing=transport.FRAMING_OCTET_COUNTING,
            appname="acctrace",
            enterprise_id=ENTERPRISE_ID,
            utc_timestamp=True,
        )

    def send(self, deliveries: list[Delivery]) -> Outcome:
        sent: list[Delivery] = []
        for d in deliveries:
            record = logging.LogRecord("acctrace", logging.INFO, "", 0, d.document, None, None)
            record.levelname = SYSLOG_SEVERITY[d.severity]
            record.msgid = "finding"
            record.structured_data = {
                "alert": {"id": d.id, "revision": str(d.revision), "severity": d.severity}
            }
            try:  # the handler's emit() would swallow errors: build and send ourselves
                if self._handler is None:
                    self._handler = self._open()
                self._handler.transport.transmit(self._handler.build_msg(record))
            except OSError as exc:
                self.close()
                # Not given up: pending alerts are sent again next cycle, when it may be up.
                return Outcome(sent=sent, dead=[], detail=f"{type(exc).__name__}: {exc}")
            sent.append(d)
        return Outcome(sent=sent, dead=[])

    def close(self) -> None:
        if self._handler is not None:
            self._handler.close()
            self._handler = None


def parse_sink(spec: str, dead_letter: Path) -> Sink:
    """A sink from its --sink text: `stdout`, `file:PATH`, `webhook:URL`,
    `syslog+udp:HOST:PORT` or `syslog+tcp:HOST:PORT`, each optionally followed by
    `,shape=json|ecs|ocsf`, `,min-severity=LEVEL`, and for a webhook `,retries=N`,
    `,dead-letter=PATH`."""
    target, options = _split_options(spec)
    kind, _, rest = target.partition(":")
    shape = options.pop("shape", "json")
    min_severity = options.pop("min-severity", "info")
    if kind == "stdout" and not rest:
        sink: Sink = StreamSink(sys.stdout)
    elif kind == "file" and rest:
        sink = FileSink(Path(rest))
    elif kind == "webhook" and rest.startswith(("http://", "https://")):
        retries = _number(options.pop("retries", "4"), spec)
        dead = Path(options.pop("dead-letter", str(dead_letter)))
        sink = WebhookSink(rest, dead, retries=retries)
    elif kind in ("syslog+udp", "syslog+tcp") and rest.count(":") == 1:
        host, port = rest.split(":")
        sink = SyslogSink(host, _number(port, spec), kind.split("+")[1])
    else:
        raise SinkError(
            "expected stdout, file:PATH, webhook:URL, syslog+udp:HOST:PORT or syslog+tcp:HOST:PORT",
            spec,
        )
    if options:
        raise SinkError(f"unknown option {sorted(options)[0]!r}", spec)
    if shape not in SHAPES:
        raise SinkError(f"shape must be one of {', '.join(SHAPES)}", spec)
    if min_severity not in SEVERITY_ORDER:
        raise SinkError(f"min-severity must be one of {', '.join(SEVERITY_ORDER)}", spec)
    sink.shape, sink.min_severity = shape, min_severity
    return sink


_OPTIONS = ("shape", "min-severity", "retries", "dead-letter")


def _split_options(spec: str) -> tuple[str, dict[str, str]]:
    """`target,key=value,...`: a comma starts an option only before a known key, so a URL
    or path may hold commas."""
    parts = spec.split(",")
    target = [parts[0]]
    options: dict[str, str] = {}
    for part in parts[1:]:
        key, eq, value = part.partition("=")
        if (eq and key in _OPTIONS) or options:  # after a known option, every part is one
            options[key] = value
        else:
            target.append(part)
    return ",".join(target), options


def _number(text: str, spec: str) -> int:
    if not text.isdigit():
        raise SinkError(f"{text!r} is not a number", spec)
    return int(text)
