"""Related findings stay bounded: per closest link, the count of all and the nearest few,
the same as comparing every pair of findings would give."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

from acctrace import knowledge
from acctrace.assess.related import NEAREST, LinkIndex, LinkKeys, link_related, links
from acctrace.findings import Finding, HuntResult
from acctrace.normalise.fields import iso, parse_iso
from acctrace.report import text


def _repeated(result: HuntResult, rounds: int) -> list[Finding]:
    """The demo's findings again and again, as a person's session that lasts for weeks
    would give: some rounds minutes apart (origin and tool links), most a day apart."""
    copies = []
    for n in range(rounds):
        shift = timedelta(days=n // 3, minutes=4 * (n % 3), seconds=n)  # every time distinct
        for f in result.findings:
            time = iso(int((parse_iso(f.time) + shift).timestamp() * 1_000_000)) if f.time else None
            copies.append(f.model_copy(update={"id": f"{f.id[:20]}-{n:03}", "time": time}))
    return copies


def _every_pair(findings: list[Finding]) -> dict[str, dict[str, list[str]]]:
    """The definition, checked pair by pair: the links between each two findings."""
    from acctrace.assess.related import LINKS, _person

    limit = timedelta(seconds=knowledge.load("scoring")["related_seconds"])
    pairs: dict[str, dict[str, list[str]]] = {f.id: {} for f in findings}
    for a in findings:
        for b in findings:
            near = a.time and b.time and abs(parse_iso(a.time) - parse_iso(b.time)) <= limit
            links = [
                name
                for name, key in LINKS.items()
                if key(a) is not None
                and key(a) == key(b)
                and (near or (name == "session" and _person(a)))
            ]
            if a is not b and links:
                pairs[a.id][b.id] = links
    return pairs


def test_counts_and_nearest_match_every_pair(demo_result: HuntResult) -> None:
    findings = link_related(_repeated(demo_result, 36))
    expected = _every_pair(findings)
    when = {f.id: parse_iso(f.time) for f in findings if f.time}
    many = 0
    for f in findings:
        others = expected[f.id]
        assert f.related_counts == dict(Counter(links[0] for links in others.values()))
        for link in ("session", "origin", "tool"):
            closest = [o for o, links in others.items() if links[0] == link]
            closest.sort(key=lambda o: (abs(when[o] - when[f.id]), when[o]))
            shown = [r.id for r in f.related if r.links[0] == link]
            assert sorted(shown) == sorted(closest[:NEAREST]), (f.account.name, link)
            many += len(closest) > NEAREST
        assert all(r.links == others[r.id] for r in f.related)
        assert [r.id for r in f.related] == sorted(
            (r.id for r in f.related), key=lambda o: (when[o], o)
        )
    assert many  # a person's session of 36 rounds outgrows the list: the bound was exercised


def test_the_text_says_how_many_beyond_those_named(demo_result: HuntResult) -> None:
    findings = link_related(_repeated(demo_result, 36))
    backdoor = next(f for f in findings if f.account.name == "backdoor")
    total = backdoor.related_counts["session"]
    assert total > NEAREST
    line = next(x for x in text.block(backdoor).splitlines() if x.startswith("  related"))
    assert f"{total} other accounts from this session: " in line
    assert line.count("(") == 5 and f", … {total - 5} more" in line


def _drawn(rng: random.Random, count: int) -> list[LinkKeys]:
    """Findings whose sessions, origins and tools are drawn from a few of each, spread over
    a few `related_seconds`, some of unknown time: every way two can be linked, or not."""
    window = knowledge.load("scoring")["related_seconds"] * 1_000_000

    def one(pool: list[tuple]) -> tuple | None:
        return rng.choice([*pool, None])

    sessions = [("ws01", f"0x{n}") for n in range(4)]
    origins = [(f"user{n}", "ws02") for n in range(3)]
    tools = [("net1.exe",), ("powershell.exe",)]
    return [
        LinkKeys(
            id=f"f{n:04}",
            when=None if rng.random() < 0.05 else rng.randrange(6 * window),
            keys={"session": one(sessions), "origin": one(origins), "tool": one(tools)},
            person=rng.random() < 0.5,
            account=f"account{n}",
        )
        for n in range(count)
    ]


def _indexed(keys: list[LinkKeys]) -> LinkIndex:
    index = LinkIndex()
    for k in keys:
        index.add(k)
    return index


def test_linking_a_few_over_those_they_can_be_linked_with_gives_what_linking_all_does() -> None:
    """`acctrace watch` links the findings it hunted against only the open findings the
    index finds around them; each gets what linking every open finding would give it."""
    rng = random.Random(4720)
    smaller = 0
    for _ in range(20):
        keys = _drawn(rng, 300)
        index = _indexed(keys)
        wanted = sorted(rng.sample(range(len(keys)), rng.randint(1, 3)))
        smaller += len(index.around([keys[i] for i in wanted])) < len(keys)
        assert index.link([keys[i].id for i in wanted]) == links(keys, wanted)
    assert smaller  # the point: fewer findings grouped


def test_the_findings_whose_links_may_have_changed_are_all_that_did() -> None:
    """After findings are added, changed and removed, every finding `unsettled` leaves out
    is linked as before; what it names is a part of the whole."""
    rng = random.Random(4738)
    left_out = 0
    for _ in range(10):
        held = {k.id: k for k in _drawn(rng, 200)}
        index = _indexed(list(held.values()))
        index.unsettled()
        before = dict(zip(held, links(list(held.values())), strict=True))
        for k in _drawn(rng, 230)[200:]:  # new ones
            held[k.id] = k
            index.add(k)
        for gone in rng.sample(sorted(held), 3):
            index.remove(gone)
            del held[gone]
        for changed in rng.sample(_drawn(rng, 200), 3):  # new keys for old ids
            if changed.id in held:
                held[changed.id] = changed
                index.add(changed)
        order = list(index.keys)
        assert sorted(order) == sorted(held)
        now = dict(zip(order, links([index.keys[i] for i in order]), strict=True))
        unsettled = set(index.unsettled())
        assert not index.unsettled()  # asked again: nothing moved since
        for finding_id, linked in now.items():
            if finding_id not in unsettled:
                assert linked == before[finding_id], finding_id
                left_out += 1
        assert unsettled <= set(now)
    assert left_out  # the point: not every finding is linked again
