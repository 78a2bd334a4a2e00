"""The adversarial generator's domains are hunted right: every creation's process, lineage
and session, on hosts that keep Sysmon, 4688 or both, with skewed Sysmon clocks.

benchmarks/accuracy.py measures the same over many domains; this keeps one small domain
in the suite so that a change that breaks a story fails here first.
"""

from __future__ import annotations

import pytest

from acctrace.normalise.shapes import RawEvent
from acctrace.normalise.store import EventStore
from acctrace.pipeline import HuntOptions, assess_store
from acctrace.scenario.adversarial import STORIES, domain


@pytest.mark.parametrize("seed", [3, 11])
def test_every_story_of_a_generated_domain_names_the_true_creator(seed: int) -> None:
    d = domain(seed, hosts=2, stories_per_host=len(STORIES) // 2)
    store = EventStore()
    for e in d.events:
        raw = RawEvent(
            e.event_id, e.channel, e.computer, e.time_us, e.record_id, e.provider, e.data
        )
        store.add(raw, "generated", "0" * 64)
    findings = {(f.host, f.account.name): f for f in assess_store(store, HuntOptions()).findings}
    assert len(findings) == len(d.truths)
    for truth in d.truths:
        f = findings[(truth.host, truth.account)]
        assert (f.process.image, f.process.pid) == (truth.image, truth.pid), truth.story
        assert tuple(a.image for a in f.lineage) == truth.lineage, truth.story
        assert (f.creator.logon_id, f.creator.name) == (
            truth.logon_id,
            truth.creator.split("\\")[1],
        )


def test_the_generator_is_seeded_and_tells_every_story() -> None:
    a, b = domain(5), domain(5)
    assert [e.data for e in a.events] == [e.data for e in b.events]
    stories = {t.story for seed in range(6) for t in domain(seed).truths}
    assert len(stories) == len(STORIES)


def test_the_accuracy_benchmark_prints_its_headline_and_calibration() -> None:
    import re
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "benchmarks" / "accuracy.py"
    argv = [sys.executable, str(script), "--domains", "1", "--seed", "2"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
    assert re.search(r"^top-1 creator accuracy: \d+\.\d %$", done.stdout, re.M), done.stderr
    assert "| 0.9-1.0 |" in done.stdout and re.search(r"^(PASS|MISS) top1$", done.stdout, re.M)
