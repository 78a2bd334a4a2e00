"""The origin of a creation: trace the remote session behind it and describe each hop."""

from __future__ import annotations

from typing import Any

from acctrace.assess.lineage import ancestors, process_model
from acctrace.correlate.run import Correlation, CreationStory
from acctrace.correlate.trace import Hop, SessionToTrace, is_remote
from acctrace.findings import Origin, Via

Row = dict[str, Any]


def trace_origins(
    chains: dict[str, tuple[CreationStory, list[Row]]], correlation: Correlation
) -> dict[str, tuple[Hop | None, Row | None]]:
    """For each creation (by key: its story and the creating chain), where the creator's
    remote session came from; for a service-launched chain, where the session that
    installed the service came from. Values are the hop and the installation."""
    tracer = correlation.tracer
    services = tracer.services_behind(
        {key: (story.creation["host"], chain) for key, (story, chain) in chains.items() if chain}
    )
    requests = []
    for key, (story, chain) in chains.items():
        install, installer_session = services.get(key, (None, None))
        session = story.session if is_remote(story.session) else installer_session
        if session is not None:
            requests.append(
                SessionToTrace(key, story.creation["host"], session, chain, via_service=install)
            )
    hops = tracer.trace_all(requests)
    return {key: (hops.get(key), services.get(key, (None, None))[0]) for key in chains}


def origin_model(hop: Hop) -> Origin:
    process = hop.process
    return Origin(
        host=hop.host,
        host_evidence=hop.host_evidence,
        source_ip=hop.source_ip,
        user=hop.user,
        user_domain=hop.user_domain,
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
