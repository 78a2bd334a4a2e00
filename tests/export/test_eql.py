"""The exported EQL, run by Elastic's `eql` engine over the same events as Winlogbeat
documents, pairs creations with processes as acctrace does."""

from __future__ import annotations

import eql
import pytest

from acctrace.correlate.window import Window
from acctrace.export import eql as export_eql
from acctrace.export.definition import Analytic, analytic_of
from tests.export.conftest import Corpus, Pair
from tests.export.events import ecs_documents, raw_events
from tests.export.test_sigma import SINGLE_EVENT

PLAIN = analytic_of(None, Window())


@pytest.fixture(scope="module")
def documents(corpus: Corpus) -> list[tuple[eql.Event, str]]:
    """Winlogbeat documents in time order; eql's engine counts time in 100 ns ticks."""
    events = raw_events(corpus.paths)
    docs = [
        (eql.Event("generic", raw.time_us * 10, doc), key)
        for raw, (doc, key) in zip(events, ecs_documents(events), strict=True)
    ]
    return sorted(docs, key=lambda d: d[0].time)


def parse(text: str) -> list[eql.ast.PipedQuery]:
    blocks = text.split("\n\n")
    with eql.parser.elasticsearch_syntax:
        return [eql.parse_query(block) for block in blocks[1:]]


def alerts(spec: Analytic, documents) -> set[Pair]:  # type: ignore[no-untyped-def]
    found: set[Pair] = set()
    key_of = {id(event): key for event, key in documents}
    for i, query in enumerate(parse(export_eql.render(spec))):
        engine = eql.PythonEngine()
        engine.add_analytic(eql.ast.EqlAnalytic(query=query, metadata={"id": str(i)}))
        engine.add_output_hook(
            lambda out: found.add((key_of[id(out.events[1])], key_of[id(out.events[0])]))
        )
        engine.stream_events([event for event, _ in documents])
    return found


def test_every_sequence_is_a_pair_acctrace_finds_and_names_its_creations(
    corpus: Corpus,
    documents,  # type: ignore[no-untyped-def]
) -> None:
    found = alerts(PLAIN, documents)
    assert found <= corpus.candidates
    expected = corpus.tool_candidates(PLAIN.tools, PLAIN.span_s)
    assert expected and {c for c, _ in found} == set(expected)


def test_the_sequence_names_the_process_acctrace_names(
    corpus: Corpus,
    documents,  # type: ignore[no-untyped-def]
) -> None:
    """A sequence cites the latest matching process before the creation: the one that
    did the work, as acctrace ranks it (toto3: net1.exe, launched by net.exe)."""
    found = alerts(PLAIN, documents)
    expected = corpus.tool_candidates(PLAIN.tools, PLAIN.span_s)
    attributed = {
        (c, p) for c, p in corpus.attributed() if p in {q["event_key"] for q in expected.get(c, [])}
    }
    assert attributed and attributed <= found
    processes = corpus.rows("process")
    toto3 = [p for c, p in found if c.startswith("fs03|")]
    assert [processes[p]["image"].rsplit("\\", 1)[-1] for p in toto3] == ["net1.exe"]


def test_single_event_workflows_become_exclusions(
    corpus: Corpus,
    documents,  # type: ignore[no-untyped-def]
) -> None:
    spec = analytic_of(SINGLE_EVENT, Window())
    assert "left out (they still alert): ['both']" in export_eql.render(spec).replace(
        "\n//     ", " "
    )
    plain, filtered = alerts(PLAIN, documents), alerts(spec, documents)
    creations, processes = corpus.rows("creation"), corpus.rows("process")
    by_provisioner = {c for c, _ in plain if creations[c]["creator_name"] == "svc-provision"}
    assert by_provisioner and not by_provisioner & {c for c, _ in filtered}
    assert any(processes[p]["image"].lower().endswith("\\mmc.exe") for _, p in plain)
    assert not any(processes[p]["image"].lower().endswith("\\mmc.exe") for _, p in filtered)


def test_the_window_is_the_maxspan_of_every_sequence() -> None:
    text = export_eql.render(analytic_of(None, Window(before_s=30.5)))
    assert text.startswith("// acctrace ")
    assert [q.first.max_span.as_milliseconds() for q in parse(text)] == [31_000] * 3
