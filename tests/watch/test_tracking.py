"""The open findings' indexes answer what asking every open finding would."""

from __future__ import annotations

import copy
import random
from pathlib import Path

from acctrace.assess.related import link_related
from acctrace.pipeline import HuntOptions, run
from acctrace.scenario.writers import write_demo
from acctrace.watch.tracking import Changes, Footprint, Footprints, OpenFindings, _hosts

HOSTS = ["ws01", "ws02", "dc01", "srv01"]
ACCOUNTS = ["s-1-5-21-1-1001", "s-1-5-21-1-1002", "s-1-5-21-1-1003"]
NAMES = ["backdoor", "svc_sql", "helpdesk"]
REACH = 600


def _footprint(rng: random.Random) -> Footprint:
    return Footprint(
        hosts=frozenset(rng.sample(HOSTS, rng.randint(1, 2))),
        time_us=None if rng.random() < 0.1 else rng.randrange(10_000),
        sid=rng.choice([*ACCOUNTS, None]),
        name=rng.choice([*NAMES, None]),
        without_telemetry=rng.random() < 0.3,
    )


def _changes(rng: random.Random) -> Changes:
    return Changes(
        earliest={h: rng.randrange(-1_000, 11_000) for h in rng.sample(HOSTS, rng.randint(0, 2))},
        sids=set(rng.sample(ACCOUNTS, rng.randint(0, 1))),
        names=set(rng.sample(NAMES, rng.randint(0, 1))),
        process_hosts=set(rng.sample(HOSTS, rng.randint(0, 1))),
    )


def test_the_findings_a_batch_touches_are_those_it_touches_one_by_one() -> None:
    rng = random.Random(4720)
    held: dict[str, Footprint] = {}
    index = Footprints()
    some = 0
    for round_ in range(200):
        for _ in range(5):  # new findings, and new footprints of held ones
            finding_id = f"f{rng.randrange(60)}"
            if finding_id in held:
                index.remove(finding_id, held[finding_id])
            held[finding_id] = _footprint(rng)
            index.add(finding_id, held[finding_id])
        for gone in rng.sample(sorted(held), min(2, len(held))) if round_ % 3 == 0 else []:
            index.remove(gone, held.pop(gone))
        changes = _changes(rng)
        expected = {i for i, fp in held.items() if fp.touched_by(changes, REACH)}
        assert index.touched(changes, REACH) == expected
        some += 0 < len(expected) < len(held)
    assert some > 100  # batches that touch some findings and not others


def test_findings_past_their_horizon_leave_every_index(tmp_path: Path) -> None:
    """Closed findings are forgotten, by the links and the footprints too: the open ones
    are linked as over themselves alone, and no batch touches a closed one."""
    findings = run([write_demo(tmp_path, "ecs")[0].parent], HuntOptions()).findings
    open_findings = OpenFindings()
    for n, finding in enumerate(findings):
        open_findings.note(finding, f"place{n}", first_seen_us=100 * n, alerted=True)
    open_findings.close(first_seen_before_us=250)
    kept = findings[3:]
    assert list(open_findings.by_id) == list(open_findings.links.keys) == [f.id for f in kept]
    everything = Changes(earliest={h: -(2**62) for f in findings for h in _hosts(f) if h})
    assert sorted(open_findings.touched(everything, REACH)) == [f"place{n}" for n in range(3, 7)]
    linked = [(f.related_counts, f.related) for f in link_related(copy.deepcopy(kept))]
    open_findings.link(kept)
    assert [(f.related_counts, f.related) for f in kept] == linked
    open_findings.close(first_seen_before_us=250)  # nothing more to close: nothing changes
    assert len(open_findings.by_id) == len(kept)
