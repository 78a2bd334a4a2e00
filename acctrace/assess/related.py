"""Related findings: accounts made in the same creator session, from the same origin, or
with the same tool within minutes, so an analyst reviews them together.

Each finding keeps, per closest link (session, then origin, then tool), how many others it
has and the `NEAREST` of them nearest in time. Listing them all grew with the square of the
findings: one person's session across a month of creations linked every one to every
other (95,238 links for 818 findings, gigabytes at four thousand). Findings are grouped by
each link's key and sorted by time once, so counting is a binary search and choosing the
nearest a walk outwards from the finding's place: O(n log n), not all pairs.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import combinations

from acctrace import knowledge
from acctrace.assess.tools import basename
from acctrace.findings import Finding, Link, Related
from acctrace.normalise.fields import host_key, parse_iso

NEAREST = 10  # others named per link: enough to review together; the count says the rest
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SYSTEM_SESSION = "0x3e7"  # every SYSTEM service shares it: not one person's session
Key = Callable[[Finding], tuple | None]


def _session(f: Finding) -> tuple | None:
    if f.creator is None or not f.creator.logon_id:
        return None
    return (host_key(f.host), f.creator.logon_id.lower())


def _origin(f: Finding) -> tuple | None:
    """Who drove it from where: the traced origin's user and host, or the remote session's
    source when it was not traced further."""
    if f.origin is not None:
        where = host_key(f.origin.host) or f.origin.source_ip
        return ((f.origin.user or "").lower(), where) if where else None
    s = f.session
    if s is not None and s.logon_type in (3, 10) and (s.workstation or s.source_ip):
        who = (f.creator.name or "") if f.creator else ""
        return (who.lower(), host_key(s.workstation) or s.source_ip)
    return None


def _tool(f: Finding) -> tuple | None:
    image = basename(f.process.image) if f.process else ""
    return (image,) if image else None


LINKS: dict[Link, Key] = {"session": _session, "origin": _origin, "tool": _tool}


class _Groups:
    """The findings sharing each key (of one link, or of several links at once), sorted by
    time; findings of unknown time follow, and are never within minutes of another."""

    def __init__(self, links: tuple[Link, ...], keys: list[dict[Link, tuple | None]], when):
        self.when = when
        self.key = [_joint(k, links) for k in keys]
        members: dict[tuple, list[int]] = defaultdict(list)
        for i, k in enumerate(self.key):
            if k is not None:
                members[k].append(i)
        self.timed: dict[tuple, list[int]] = {}
        self.times: dict[tuple, list[int]] = {}
        self.size = {k: len(m) for k, m in members.items()}
        for k, m in members.items():
            timed = sorted((i for i in m if when[i] is not None), key=lambda i: (when[i], i))
            self.timed[k] = timed + sorted(i for i in m if when[i] is None)
            self.times[k] = [when[i] for i in timed]

    def others(self, i: int) -> int:
        k = self.key[i]
        return 0 if k is None else self.size[k] - 1

    def within(self, i: int, window: int) -> int:
        """How many others of i's group are within `window` microseconds of it."""
        k, t = self.key[i], self.when[i]
        if k is None or t is None:
            return 0
        times = self.times[k]
        return bisect_right(times, t + window) - bisect_left(times, t - window) - 1

    def nearest(self, i: int, window: int | None) -> Iterator[int]:
        """The others of i's group, nearest in time first (the earlier on a tie); only those
        within `window` unless it is None."""
        k, t = self.key[i], self.when[i]
        if k is None:
            return
        order, times = self.timed[k], self.times[k]
        if t is None:  # no distance to anyone: by time
            if window is None:
                yield from (j for j in order if j != i)
            return
        here = order.index(i, bisect_left(times, t))
        before, after = here - 1, here + 1
        limit = float("inf") if window is None else window
        while True:
            back = t - times[before] if before >= 0 else None
            ahead = times[after] - t if after < len(times) else None
            if back is not None and (ahead is None or back <= ahead) and back <= limit:
                yield order[before]
                before -= 1
            elif ahead is not None and ahead <= limit:
                yield order[after]
                after += 1
            else:
                break
        if window is None:
            yield from order[len(times) :]


@dataclass(frozen=True, slots=True)
class LinkKeys:
    """What linking needs of a finding: a long-running `acctrace watch` keeps these for
    every finding still open (`LinkIndex`) and links a few hunted again against them."""

    id: str
    when: int | None  # microseconds since the epoch
    keys: dict[Link, tuple | None]
    person: bool  # the creator session is a person's: linked whenever it happened
    account: str | None


def link_keys(f: Finding) -> LinkKeys:
    return LinkKeys(
        f.id, _microseconds(f.time), {name: key(f) for name, key in LINKS.items()},
        _person(f), _account(f),
    )  # fmt: skip


def link_related(findings: list[Finding]) -> list[Finding]:
    """Fill each finding's `related` and `related_counts`: the others it shares a session,
    origin or tool with, the same origin or tool only within `related_seconds`, the same
    person's session whenever it happened."""
    for f, (counts, related) in zip(findings, links([link_keys(f) for f in findings]), strict=True):
        f.related_counts, f.related = counts, related
    return findings


Linked = tuple[dict[Link, int], list[Related]]


def _window_us() -> int:
    return knowledge.load("scoring")["related_seconds"] * 1_000_000


class LinkIndex:
    """Link keys of many findings (`acctrace watch`'s open ones), indexed so that the
    findings linking a few can involve are found without looking at the others: `links`
    over `around(those)` gives those what it gives over all. They are the few; those
    sharing a session with one of them when either is a person's (linked whenever it
    happened); and those sharing a session, an origin or a tool within `related_seconds`
    of one sharing it (such links count only that close). Kept in the order findings were
    first added, which `links` breaks ties of time by. It also keeps the keys added,
    changed or removed since `unsettled` was last asked: the findings whose links these
    may have changed."""

    def __init__(self) -> None:
        self.keys: dict[str, LinkKeys] = {}
        self._moved: list[LinkKeys] = []  # since `unsettled`: keys added and keys dropped
        self._order: dict[str, int] = {}
        self._added = 0
        self._sessions: dict[tuple, set[str]] = defaultdict(set)
        self._persons: dict[tuple, set[str]] = defaultdict(set)  # of each session
        # per session (findings not a person's), origin or tool: its timed findings as
        # (time, order, id), sorted
        self._near: dict[tuple[Link, tuple], list[tuple[int, int, str]]] = defaultdict(list)

    def add(self, f: LinkKeys) -> None:
        """Add a finding, or change one's keys (it keeps its place in the order)."""
        before = self.keys.get(f.id)
        if before == f:
            return
        self._moved.append(f)
        if before is not None:
            self._moved.append(before)
            self._unindex(before)
        else:
            self._order[f.id] = self._added
            self._added += 1
        self.keys[f.id] = f
        for index, key in self._groups(f):
            index[key].add(f.id)
        for name, entry in self._entries(f):
            insort(self._near[name, f.keys[name]], entry)

    def remove(self, finding_id: str) -> None:
        gone = self.keys.pop(finding_id)
        self._moved.append(gone)
        self._unindex(gone)
        del self._order[finding_id]

    def unsettled(self) -> list[str]:
        """The findings held whose links may have changed since the last call: those that
        linking any keys added, changed or removed since can involve (a finding's links
        depend on those it can be linked with alone, and that relation is symmetric)."""
        moved, self._moved = self._moved, []
        return self.around(moved) if moved else []

    def around(self, given: list[LinkKeys]) -> list[str]:
        """The ids, in order, of the findings held that linking `given` can involve."""
        window = _window_us()
        found = {f.id for f in given if f.id in self.keys}
        for f in given:
            session = f.keys["session"]
            if session is not None:
                found.update(self._persons.get(session, ()))
                if f.person:
                    found.update(self._sessions.get(session, ()))
            if f.when is None:
                continue
            for name in _TIMED if f.person else ("session", *_TIMED):
                near = self._near.get((name, f.keys[name])) if f.keys[name] is not None else None
                if near:
                    low = bisect_left(near, (f.when - window,))
                    high = bisect_right(near, (f.when + window, _LAST))
                    found.update(entry[2] for entry in near[low:high])
        return sorted(found, key=self._order.__getitem__)

    def link(self, given: list[str]) -> list[Linked]:
        """What `links` over every finding held gives these (held) ones, in their order."""
        subset = self.around([self.keys[i] for i in given])
        position = {i: p for p, i in enumerate(subset)}
        return links([self.keys[i] for i in subset], [position[i] for i in given])

    def _entries(self, f: LinkKeys) -> list[tuple[Link, tuple[int, int, str]]]:
        if f.when is None:
            return []
        entry = (f.when, self._order[f.id], f.id)
        names = _TIMED if f.person else ("session", *_TIMED)
        return [(name, entry) for name in names if f.keys[name] is not None]

    def _groups(self, f: LinkKeys) -> list[tuple[dict[tuple, set[str]], tuple]]:
        session = f.keys["session"]
        if session is None:
            return []
        return [(self._sessions, session)] + ([(self._persons, session)] if f.person else [])

    def _unindex(self, f: LinkKeys) -> None:
        for index, key in self._groups(f):
            index[key].discard(f.id)
            if not index[key]:
                del index[key]
        for name, entry in self._entries(f):
            near = self._near[name, f.keys[name]]
            del near[bisect_left(near, entry)]
            if not near:
                del self._near[name, f.keys[name]]


_TIMED: tuple[Link, ...] = ("origin", "tool")  # links that count only within minutes
_LAST = float("inf")  # sorts after any order and id at one time


def links(findings: list[LinkKeys], only: list[int] | None = None) -> list[Linked]:
    """Per finding (or per finding of the indexes `only`), in order: how many others it has
    per closest link, and the nearest of them."""
    window = _window_us()
    when = [f.when for f in findings]
    keys = [f.keys for f in findings]
    names = tuple(LINKS)
    groups = {
        links: _Groups(links, keys, when)
        for size in range(1, len(names) + 1)
        for links in combinations(names, size)
    }

    def within(i: int, *links: Link) -> int:
        return groups[links].within(i, window)

    linked = []
    for i in range(len(findings)) if only is None else only:
        always = findings[i].person
        counts: dict[Link, int] = {
            # each other finding is counted under its closest link only
            "session": groups[("session",)].others(i) if always else within(i, "session"),
            "origin": within(i, "origin") - within(i, "session", "origin"),
            "tool": within(i, "tool")
            - within(i, "session", "tool")
            - within(i, "origin", "tool")
            + within(i, "session", "origin", "tool"),
        }
        shown: set[int] = set()
        for name in names:
            reach = None if name == "session" and always else window
            closest = (
                j
                for j in groups[(name,)].nearest(i, reach)
                if _links(i, j, keys, when, window, always)[0] == name
            )
            for j, _ in zip(closest, range(NEAREST), strict=False):
                shown.add(j)
        related = [
            Related(
                id=findings[j].id,
                account=findings[j].account,
                links=_links(i, j, keys, when, window, always),
            )
            for j in sorted(shown, key=lambda j: (when[j] is None, when[j] or 0, findings[j].id))
        ]
        linked.append(({name: n for name, n in counts.items() if n}, related))
    return linked


def _joint(keys: dict[Link, tuple | None], links: tuple[Link, ...]) -> tuple | None:
    joint = tuple(keys[name] for name in links)
    return None if None in joint else joint


def _links(i: int, j: int, keys, when: list[int | None], window: int, always: bool) -> list[Link]:
    """The links between findings i and j, closest first."""
    near = when[i] is not None and when[j] is not None and abs(when[j] - when[i]) <= window
    return [
        name
        for name in LINKS
        if keys[i][name] is not None
        and keys[i][name] == keys[j][name]
        and (near or (name == "session" and always))
    ]


def _person(f: Finding) -> bool:
    return f.creator is not None and (f.creator.logon_id or "").lower() != _SYSTEM_SESSION


def _microseconds(iso_time: str | None) -> int | None:
    if not iso_time:
        return None
    return (parse_iso(iso_time) - _EPOCH) // timedelta(microseconds=1)  # exact, unlike floats


def _account(f: Finding) -> str | None:
    a = f.account
    return f"{a.domain}\\{a.name}" if a.domain and a.name else a.name
