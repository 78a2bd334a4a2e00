"""The origin of a creation: trace the remote session behind it and describe each hop."""

from __future__ import annotations

from typing import Any

from acctrace.assess.lineage import ancestors, process_model
from acctrace.correlate.run import Correlation, CreationStory
from acctrace.correlate.trace import Hop, SessionToTrace, is_remote
from acctrace.findings import Origin, Via

Row = dict[str, Any]


def trace_origin(
    story: CreationStory, chain: list[Row], correlation: Correlation
) -> tuple[Hop | None, Row | None]:
    """Where the creator's remote session came from; for a service-launched chain, where the
    session that installed the service came from. Returns the hop and the installation."""
    host = story.creation["host"]
    tracer = correlation.tracer
    install, installer_session = tracer.service_behind(host, chain) if chain else (None, None)
    session = story.session if is_remote(story.session) else installer_session
    if session is None:
        return None, install
    return tracer.trace(SessionToTrace(host, session, chain, via_service=install)), install


def origin_model(hop: Hop) -> Origin:
    process = hop.process
    return Origin(
        host=hop.host,
        host_evidence=hop.host_evidence,
        source_ip=hop.source_ip,
        user=hop.user,
        process=process_model(process) if process else None,
        lineage=ancestors(process, hop.lineage) if process else [],
        via=Via(mechanism=hop.mechanism, evidence=hop.evidence),
        confidence=round(hop.confidence, 2),
        origin=origin_model(hop.previous) if hop.previous else None,
    )


def hop_sources(hop: Hop | None) -> list[Row]:
    rows: list[Row] = []
    while hop is not None:
        rows += hop.sources + hop.lineage
        hop = hop.previous
    return rows
