"""The story of one finding as people read it: what the HTML, Markdown and CSV reports show.

Everything here is derived from the result document only (a `Finding`), so saved
`hunt --json` output renders the same as a fresh hunt. Logged strings stay raw here;
each renderer escapes them for its own medium.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from acctrace.assess.reasons import title
from acctrace.assess.setup import relative_id
from acctrace.assess.tools import basename
from acctrace.findings import (
    SEVERITY_ORDER,
    Finding,
    FollowUp,
    HuntResult,
    Party,
    Related,
    Source,
)
from acctrace.normalise.fields import seconds_between

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# PowerShell treats these as single quotes too; each must be doubled inside '...'.
_PS_QUOTES = "'\u2018\u2019\u201a\u201b"

ACTION_TITLES = {
    "group_added": "Group Member Added",
    "group_removed": "Group Member Removed",
    "enabled": "Account Enabled",
    "disabled": "Account Disabled",
    "password_reset": "Password Reset",
    "changed": "Account Changed",
    "deleted": "Account Deleted",
    "renamed": "Account Renamed",
    "logon": "Logon By New Account",
}


@dataclass(frozen=True)
class Evidence:
    """One logged event a statement rests on."""

    role: str
    file: str
    sha256: str | None
    record_id: int | None
    channel: str | None
    event_id: int

    @property
    def label(self) -> str:
        record = f" record {self.record_id}" if self.record_id is not None else ""
        return f"{self.channel or 'event'} {self.event_id}{record}"

    @property
    def key(self) -> tuple[str, int | None, int]:
        return (self.file, self.record_id, self.event_id)


@dataclass(frozen=True)
class StoryEvent:
    """One dated line of the account's life, with the events that show it."""

    time: str | None
    kind: str  # what the timestamp means, as Timesketch's `timestamp_desc`
    message: str
    host: str | None
    evidence: tuple[Evidence, ...] = ()
    emphasis: bool = False  # the creation itself, and privileged group adds


@dataclass(frozen=True)
class Node:
    """A process (or the remote host a session came from) in the lineage tree."""

    title: str
    detail: str | None
    host: str | None
    kind: str  # origin | ancestor | creator
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class SessionProcess:
    """Another process of the creator's logon session near the creation."""

    title: str
    start: str | None
    detail: str | None
    relation: str  # sibling (same parent as the creating process), or in the session


@dataclass(frozen=True)
class Command:
    """A response step to copy and run by hand; acctrace never runs it."""

    purpose: str
    where: str
    text: str


@dataclass
class Checklist:
    commands: list[Command] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    next_checks: list[str] = field(default_factory=list)


@dataclass
class Case:
    finding: Finding
    anchor: str
    title: str
    headline: str  # the answer in one sentence
    who: list[tuple[str, str]]
    tree: list[Node]  # root first; the creating process last
    alternatives: list[str]
    session: list[SessionProcess]  # other processes of the creator's session around it
    story: list[StoryEvent]
    reasons: list[tuple[str, str, str]]  # code, title, text
    policy: str
    checklist: Checklist
    evidence: list[Evidence]
    related: list[RelatedGroup]


@dataclass(frozen=True)
class Row:
    """One finding as a line of the findings table (text as logged; renderers escape it)."""

    anchor: str
    severity: str
    score: int
    account: str
    host: str
    creator: str
    process: str
    origin: str
    reasons: str
    time: str


@dataclass
class Overview:
    total: int
    by_severity: list[tuple[str, int]]
    by_host: list[tuple[str, int]]
    by_creator: list[tuple[str, int]]
    first: str | None
    last: str | None


def qualified(domain: str | None, name: str | None) -> str:
    """DOMAIN\\name for reading: both kept as logged, with what would not show made visible."""
    if domain and name:
        return f"{visible(domain)}\\{visible(name)}"
    return visible(name or domain or "unknown")


def visible(name: str) -> str:
    """A name exactly as logged, but with what a reader cannot see written as an escape:
    format characters (zero-width, direction marks), spaces other than the plain one, and
    spaces at either end. `Administrator ` reads `Administrator\\x20`."""
    inner = name.strip(" ")
    lead, trail = len(name) - len(name.lstrip(" ")), len(name) - len(name.rstrip(" "))
    shown = "".join(_escape(c) if _hidden(c) else c for c in inner)
    return "\\x20" * lead + shown + "\\x20" * trail if inner else "\\x20" * len(name)


def _hidden(c: str) -> bool:
    return unicodedata.category(c) in ("Cf", "Zs", "Zl", "Zp", "Cc") and c != " "


def _escape(c: str) -> str:
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def fit(value: str, width: int) -> str:
    """The value cut to `width` characters, ending in an ellipsis when cut."""
    return value if len(value) <= width else value[: width - 1] + "…"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def group_label(group: Party) -> str:
    """A group as people know it; the SAM's default group is really named "None"."""
    if group.name == "None" and relative_id(group.sid) == 513:
        return '"None" (default group, RID 513)'
    return qualified(group.domain, group.name or group.sid)


def headline(f: Finding) -> str:
    """The answer in one sentence: who (and from where), which account on which host,
    with what, with which privilege, and what happened next."""
    c, o = f.creator, f.origin
    who = "SYSTEM" if c and c.kind == "system" else creator_label(f) if c else "someone"
    admin = {True: " as an admin", False: " as a non-admin", None: ""}[
        c.admin if c and c.kind != "system" else None
    ]
    running = admin
    if o is not None:
        origin_user = qualified(o.user_domain, o.user) if o.user else "someone"
        tool = f"{basename(o.process.image)}, " if o.process else ""
        actor = (
            f"{origin_user} on {o.host or o.source_ip or 'an unresolved host'} "
            f"({tool}via {o.via.mechanism})"
        )
        if who.lower() != origin_user.lower():
            running = f" running as {who}{admin}"
    elif c is None:
        actor = "An unknown creator (only registry writes show it)"
    else:
        actor = who
        s = f.session
        if s and s.logon_type in (3, 10) and (s.workstation or s.source_ip):
            actor += f" from {s.workstation or s.source_ip} ({s.logon_type_name} logon)"
    process = basename(f.process.image) if f.process else "an unknown process"
    return (
        f"{actor} created {f.account.scope} account {account_label(f)} on "
        f"{f.host or 'an unknown host'} with {process}{running}; {_what_next(f)}."
    )


def _what_next(f: Finding) -> str:
    notable: list[str] = []
    added = [x.group for x in f.follow_up if x.action == "group_added" and x.privileged_group]
    if added:
        notable.append("added to " + ", ".join(dict.fromkeys(group_label(g) for g in added if g)))
    for x in f.follow_up:
        if x.action == "renamed" and x.new_name:
            notable.append(f"renamed to {x.new_name}")
        elif x.action in ("disabled", "hidden_from_logon_screen"):
            notable.append(x.action.replace("_", " "))
    logons = sum(1 for x in f.follow_up if x.action == "logon")
    if logons:
        notable.append(f"used for {plural(logons, 'logon')}")
    deleted = next((x for x in f.follow_up if x.action == "deleted"), None)
    if deleted and deleted.time and f.time:
        notable.append(f"deleted {seconds_between(f.time, deleted.time):,.0f} s later")
    return "then " + ", ".join(notable) if notable else "nothing notable followed in these logs"


def account_label(f: Finding) -> str:
    return qualified(f.account.domain, f.account.name)


def creator_label(f: Finding) -> str:
    c = f.creator
    return qualified(c.domain, c.name) if c else "unknown (not in the 4720)"


def build_cases(result: HuntResult) -> list[Case]:
    return [build_case(f) for f in sorted(result.findings, key=severity_order)]


def severity_order(f: Finding) -> tuple:
    return (-SEVERITY_ORDER[f.verdict.severity], -f.verdict.score, f.time or "", f.id)


def overview(result: HuntResult) -> Overview:
    findings = result.findings
    severities = Counter(f.verdict.severity for f in findings)
    times = sorted(f.time for f in findings if f.time)
    return Overview(
        total=len(findings),
        by_severity=[(s, severities[s]) for s in sorted(SEVERITY_ORDER, key=_desc) if s],
        by_host=Counter(f.host or "unknown" for f in findings).most_common(),
        by_creator=Counter(creator_label(f) for f in findings).most_common(),
        first=times[0] if times else None,
        last=times[-1] if times else None,
    )


def _desc(severity: str) -> int:
    return -SEVERITY_ORDER[severity]


def build_case(f: Finding) -> Case:
    evidence = [_evidence(s) for s in f.sources]
    return Case(
        finding=f,
        anchor=f"case-{f.id}",
        title=f"{account_label(f)} on {f.host or 'unknown host'}",
        headline=headline(f),
        who=_who(f),
        tree=_tree(f, evidence),
        alternatives=[
            f"{p.image or 'unknown image'} pid {p.pid} (confidence {p.confidence})"
            for p in f.alternatives
        ],
        session=_session_processes(f),
        story=story(f),
        reasons=[(r.code, title(r.code), r.text) for r in f.verdict.reasons],
        policy=_policy(f),
        checklist=checklist(f),
        evidence=evidence,
        related=related_groups(f),
    )


LINK_WORDS = {
    "session": "from this session",
    "origin": "from the same origin",
    "tool": "made with the same tool within minutes",
}


class RelatedGroup(NamedTuple):
    """The findings related to one by the same closest link: how many, and the nearest."""

    words: str  # "from this session"
    total: int
    nearest: list[Related]  # at most `assess.related.NEAREST`; `total` may be more


def related_groups(f: Finding) -> list[RelatedGroup]:
    """Related findings grouped by their closest link (session, then origin, then tool)."""
    groups = [
        RelatedGroup(
            words, f.related_counts.get(link, 0), [r for r in f.related if r.links[0] == link]
        )
        for link, words in LINK_WORDS.items()
    ]
    return [g for g in groups if g.nearest]


def row(f: Finding) -> Row:
    return Row(
        anchor=f"case-{f.id}",
        severity=f.verdict.severity,
        score=f.verdict.score,
        account=account_label(f),
        host=f.host or "unknown",
        creator=creator_label(f) if f.creator else "unknown (registry only)",
        process=basename(f.process.image) if f.process else "unknown",
        origin=origin_label(f),
        reasons=", ".join(
            title(r.code) for r in f.verdict.reasons if r.code != "approval_not_checked"
        ),
        time=f.time or "",
    )


def origin_label(f: Finding) -> str:
    """Who drove the creation from where: the traced origin, else the remote session's
    source, else the host itself."""
    o, s = f.origin, f.session
    if o is not None:
        who = f"{qualified(o.user_domain, o.user)} on " if o.user else ""
        tool = f", {basename(o.process.image)}" if o.process else ""
        return f"{who}{o.host or o.source_ip or 'an unresolved host'} (via {o.via.mechanism}{tool})"
    if s is not None and s.logon_type in (3, 10) and (s.workstation or s.source_ip):
        return " / ".join(x for x in (s.workstation, s.source_ip) if x)
    return "this host" if s is not None else "unknown"


def _session_processes(f: Finding) -> list[SessionProcess]:
    """The candidates the correlation found in the creator's session, in time order, less
    the creating process's own ancestors (the tree shows those)."""
    in_tree = {(a.pid, basename(a.image)) for a in f.lineage}
    parent = f.process.parent_pid if f.process else None
    return [
        SessionProcess(
            _process_title(p.image, p.pid) + f" — confidence {p.confidence}",
            p.start,
            p.command_line,
            "sibling" if parent is not None and p.parent_pid == parent else "in the session",
        )
        for p in sorted(f.alternatives, key=lambda p: p.start or "")
        if (p.pid, basename(p.image)) not in in_tree
    ]


def _evidence(s: Source) -> Evidence:
    return Evidence(s.role, s.file, s.sha256, s.record_id, s.channel, s.event_id)


def _by_role(evidence: list[Evidence], role: str) -> list[Evidence]:
    return [e for e in evidence if e.role == role]


def _who(f: Finding) -> list[tuple[str, str]]:
    rows = [("Account", f"{account_label(f)} ({f.account.scope}, SID {f.account.sid or '?'})")]
    c = f.creator
    if c:
        admin = {True: "held admin privileges", False: "no admin privileges", None: "unknown"}
        rows += [
            ("Creator", f"{creator_label(f)} ({c.kind}, SID {c.sid or '?'})"),
            ("Privileges", admin[c.admin]),
            ("Logon session", c.logon_id or "unknown"),
        ]
    else:
        rows.append(("Creator", "unknown: only registry writes show this account"))
    s = f.session
    if s:
        rows.append(("Session", f"{s.logon_type_name or s.logon_type} logon at {s.start or '?'}"))
    elif c:
        rows.append(("Session", "its logon (4624) was not recorded"))
    if f.origin is not None or (s and s.logon_type in (3, 10)):
        rows.append(("Came from", origin_label(f)))
    elif s:
        rows.append(("Came from", f"this host ({s.logon_type_name or 'local'} logon)"))
    if f.account.uac_flags:
        rows.append(("Account settings", ", ".join(f.account.uac_flags)))
    return rows


def _tree(f: Finding, evidence: list[Evidence]) -> list[Node]:
    nodes: list[Node] = []
    origin = getattr(f, "origin", None)  # cross-host origin, when the result document has one
    if origin is not None:
        nodes += _origin_nodes(origin)
    elif f.session and (f.session.source_ip or f.session.workstation):
        source = " / ".join(x for x in (f.session.workstation, f.session.source_ip) if x)
        nodes.append(
            Node(
                f"remote host {source}",
                f"{f.session.logon_type_name or 'remote'} logon into {f.host}",
                source,
                "origin",
                tuple(_by_role(evidence, "session")),
            )
        )
    lineage_evidence = _by_role(evidence, "lineage")
    logged = [a for a in f.lineage if a.telemetry]
    for ancestor in reversed(f.lineage):
        ev: tuple[Evidence, ...] = ()
        if ancestor.telemetry and ancestor in logged:
            i = logged.index(ancestor)
            ev = (lineage_evidence[i],) if i < len(lineage_evidence) else ()
        detail = ancestor.command_line or (
            "named only by its child" if not ancestor.telemetry else None
        )
        nodes.append(
            Node(_process_title(ancestor.image, ancestor.pid), detail, f.host, "ancestor", ev)
        )
    p = f.process
    if p:
        detail = p.command_line or "(command line not logged)"
        nodes.append(
            Node(
                _process_title(p.image, p.pid) + f" — confidence {p.confidence}",
                detail,
                f.host,
                "creator",
                tuple(_by_role(evidence, "process")),
            )
        )
    else:
        nodes.append(Node("creating process unknown", _process_gap(f), f.host, "creator"))
    return nodes


def _origin_nodes(origin: object) -> list[Node]:
    """The remote hop(s) before the creator's session, oldest first."""
    hops = []
    while origin is not None:
        hops.append(origin)
        origin = getattr(origin, "origin", None)
    nodes = []
    for hop in reversed(hops):
        host = getattr(hop, "host", None) or getattr(hop, "source_ip", None) or "unknown host"
        via = getattr(getattr(hop, "via", None), "mechanism", "unknown")
        process = getattr(hop, "process", None)
        title = f"{host} via {via}"
        if process is not None:
            title += f": {_process_title(process.image, process.pid)}"
        detail = process.command_line if process is not None else None
        nodes.append(Node(title, detail, host, "origin"))
    return nodes


def _process_title(image: str | None, pid: int | None) -> str:
    name = basename(image) or "unknown image"
    return f"{name} (pid {pid})" if pid is not None else name


def _process_gap(f: Finding) -> str:
    for r in f.verdict.reasons:
        if r.code in ("no_process_telemetry", "no_process_in_session"):
            return r.text
    return "no process-creation event explains it"


def _policy(f: Finding) -> str:
    if f.approval:
        ticket = f" (ticket {f.approval.ticket})" if f.approval.ticket else ""
        return f"Matches approved workflow '{f.approval.workflow}'{ticket}."
    for r in f.verdict.reasons:
        if r.code == "unapproved":
            return r.text
    return "Approval not checked (no policy given): run with --policy FILE to check it."


def story(f: Finding) -> list[StoryEvent]:
    """The account's life in time order: logon, processes, creation, what happened next."""
    evidence = [_evidence(s) for s in f.sources]
    events: list[StoryEvent] = []
    s = f.session
    if s and s.start:
        source = " / ".join(x for x in (s.workstation, s.source_ip) if x)
        events.append(
            StoryEvent(
                s.start,
                "Creator Logon",
                f"{creator_label(f)} logged on ({s.logon_type_name or s.logon_type})"
                + (f" from {source}" if source else "")
                + f", session {s.logon_id}",
                f.host,
                tuple(_by_role(evidence, "session")),
            )
        )
    lineage_evidence = _by_role(evidence, "lineage")
    logged = [a for a in f.lineage if a.telemetry]
    for i, ancestor in enumerate(logged):
        if ancestor.start:
            ev = (lineage_evidence[i],) if i < len(lineage_evidence) else ()
            events.append(
                StoryEvent(
                    ancestor.start,
                    "Process Start",
                    f"{ancestor.image} started (pid {ancestor.pid})"
                    + (f": {ancestor.command_line}" if ancestor.command_line else ""),
                    f.host,
                    ev,
                )
            )
    p = f.process
    if p and p.start:
        events.append(
            StoryEvent(
                p.start,
                "Process Start",
                f"creating process {p.image} started (pid {p.pid})"
                + (f": {p.command_line}" if p.command_line else ""),
                f.host,
                tuple(_by_role(evidence, "process")),
            )
        )
    events.append(
        StoryEvent(
            f.time,
            "Account Created",
            f"{f.account.scope} account {account_label(f)} ({f.account.sid}) created by "
            f"{creator_label(f)}",
            f.host,
            tuple(_by_role(evidence, "creation") or _by_role(evidence, "registry")),
            emphasis=True,
        )
    )
    follow_evidence = _by_role(evidence, "follow_up")
    for i, x in enumerate(f.follow_up):
        ev = (follow_evidence[i],) if i < len(follow_evidence) else ()
        events.append(
            StoryEvent(
                x.time,
                ACTION_TITLES.get(x.action, x.action.replace("_", " ").title()),
                follow_up_text(x),
                x.host,
                ev,
                emphasis=x.privileged_group and x.action == "group_added",
            )
        )
    return sorted(events, key=lambda e: e.time or "")


def follow_up_text(x: FollowUp, brief: bool = False) -> str:
    """What happened to the account; `brief` leaves out account-control values and who did
    it (for one-line summaries)."""
    what = {
        "group_added": "added to group",
        "group_removed": "removed from group",
        "password_reset": "password reset",
        "logon": "logon by the new account",
    }.get(x.action, x.action.replace("_", " "))
    if x.group:
        what += f" {group_label(x.group)}"
        if x.privileged_group:
            what += " (privileged)"
    if x.action == "logon":
        what += f", type {x.logon_type}"
        source = " / ".join(v for v in (x.workstation, x.source_ip) if v)
        if source:
            what += f" from {source}"
    if x.new_name:
        what += f" to {x.new_name}"
    if x.uac_value and not brief:
        what += f" (account control {x.uac_value})"
    if x.actor and x.actor.name and x.action != "logon" and not brief:
        what += f", by {qualified(x.actor.domain, x.actor.name)}"
    return what


# --- the response checklist ------------------------------------------------------------


def ps_quote(value: str) -> str:
    """A PowerShell single-quoted literal: no expansion, every kind of single quote doubled."""
    return "'" + "".join(ch * 2 if ch in _PS_QUOTES else ch for ch in value) + "'"


def _printable(value: str | None) -> bool:
    return bool(value) and not _CONTROL.search(value or "")


def checklist(f: Finding) -> Checklist:
    out = Checklist()
    a = f.account
    host = f.host or "the host in the finding"
    name = a.name
    for x in f.follow_up:
        if x.action == "renamed" and x.new_name:
            name = x.new_name
    deleted = next((x for x in f.follow_up if x.action == "deleted"), None)
    local = a.scope == "local"
    where = host if local else f"a machine with the ActiveDirectory module, domain {a.domain}"

    if deleted:
        out.notes.append(
            f"The account was deleted at {deleted.time}; nothing to disable. Confirm it is gone "
            "and find out what it did while it existed."
        )
        if a.sid:
            lookup = "Get-LocalUser -SID" if local else "Get-ADUser -Identity"
            out.commands.append(
                Command(
                    "Confirm the account no longer exists", where, f"{lookup} {ps_quote(a.sid)}"
                )
            )
    elif local:
        if _printable(name):
            text = f"Disable-LocalUser -Name {ps_quote(name or '')}"
        elif a.sid:
            text = f"Disable-LocalUser -SID {ps_quote(a.sid)}"
            out.notes.append("The account name holds control characters: it is disabled by SID.")
        else:
            text = ""
        if text:
            out.commands.append(Command("Disable the account", host, text))
    else:
        identity = a.sid if a.sid else (a.sam_account_name or name)
        if identity and _printable(identity):
            out.commands.append(
                Command(
                    "Disable the account",
                    where,
                    f"Disable-ADAccount -Identity {ps_quote(identity)}",
                )
            )

    member = name if local else (a.sid or a.sam_account_name or name)
    for group in _privileged_groups_kept(f):
        group_name = group.name or group.sid or ""
        if deleted or not _printable(group_name) or not _printable(member):
            continue
        if local:
            text = (
                f"Remove-LocalGroupMember -Group {ps_quote(group_name)} "
                f"-Member {ps_quote(member or '')}"
            )
        else:
            text = (
                f"Remove-ADGroupMember -Identity {ps_quote(group.sid or group_name)} "
                f"-Members {ps_quote(member or '')} -Confirm:$false"
            )
        out.commands.append(Command(f"Remove it from {group_name}", where, text))

    out.questions = _questions(f)
    out.next_checks = _next_checks(f)
    return out


def _privileged_groups_kept(f: Finding) -> list:
    """Privileged groups the account was added to and not removed from afterwards."""
    kept: dict[str, object] = {}
    for x in f.follow_up:
        if not x.group or not x.privileged_group:
            continue
        key = (x.group.sid or x.group.name or "").lower()
        if x.action == "group_added":
            kept[key] = x.group
        elif x.action == "group_removed":
            kept.pop(key, None)
    return list(kept.values())


def _questions(f: Finding) -> list[str]:
    who = creator_label(f)
    account = account_label(f)
    tool = basename(f.process.image) if f.process else None
    questions = [
        f"Who asked for {account} on {f.host}, and under which ticket or change?",
        f"Did {who} create it at {f.time}"
        + (f" with {tool}" if tool else "")
        + ", and is that how accounts are normally created there?",
        "Who owns the account now, what is it for, and when should it expire?",
    ]
    groups = sorted(
        {x.group.name or x.group.sid or "" for x in f.follow_up if x.privileged_group and x.group}
    )
    if groups:
        questions.append(f"Who approved the membership of {', '.join(groups)}, and is it needed?")
    if f.approval:
        questions.append(
            f"Does {f.approval.ticket or 'the approving ticket'} of workflow "
            f"'{f.approval.workflow}' cover this exact account?"
        )
    return questions


def _next_checks(f: Finding) -> list[str]:
    codes = {r.code for r in f.verdict.reasons}
    logons = [x for x in f.follow_up if x.action == "logon"]
    checks = [
        f"Logons by the new account everywhere since {f.time}: 4624 with TargetUserSid "
        f"{f.account.sid or f.account.name} ({len(logons)} in these logs)."
    ]
    c = f.creator
    if c and c.logon_id:
        checks.append(
            f"What else ran in the creator's logon session {c.logon_id} on {f.host}: 4688 "
            "(SubjectLogonId) and Sysmon 1 (LogonId), and the creator's other sessions (4624 for "
            f"{creator_label(f)})."
        )
    if f.session and (f.session.source_ip or f.session.workstation):
        source = " / ".join(x for x in (f.session.workstation, f.session.source_ip) if x)
        checks.append(f"The source host {source}: what opened the session at {f.session.start}.")
    if "encoded_command" in codes:
        checks.append("Decode the encoded PowerShell and look for what else it did.")
    if "short_lived" in codes:
        checks.append("What the account did while it existed: logons, processes, file access.")
    if "system_context" in codes:
        checks.append("The service, scheduled task or exploit that ran as SYSTEM at that time.")
    if "no_process_telemetry" in codes:
        checks.append(
            f"Turn on process auditing with command lines (4688) or Sysmon on {f.host}: "
            "without it the creating process cannot be named."
        )
    return checks
