"""The one description of AN1604 that every export target renders.

Which events pair (a 4720 with a process creation in the creator's logon session on the
same host, the process started within the window before it), which process images manage
accounts (knowledge/account_tools.yaml), and which creations the policy approves, compiled
into conditions on event fields that each target spells in its own language.
"""

from __future__ import annotations

import hashlib
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from acctrace import __version__, knowledge
from acctrace.assess.policy import Policy, Workflow
from acctrace.correlate.window import Window

CREATION_EVENT = 4720
PRIVILEGE_EVENT = 4672

# Logical fields of a workflow condition on the 4720; the others (image, parent_image) are
# on the process event.
CREATION_SIDE = ("creator_name", "creator_sid", "creator_domain", "host", "account_name")


@dataclass(frozen=True)
class Telemetry:
    """One kind of process-creation event, with its field names as Windows logs them.

    A 4688 names the new process's own session in `TargetLogonId` when it was started under
    other credentials (runas, a scheduled task) and leaves it 0x0 (or absent, before
    Windows 10) otherwise; then the process runs in its creator's `SubjectLogonId`
    (normalise/model.py reads it so). Rule languages join on one field per event, so the
    two cases are two kinds: `runas` says which (None for Sysmon, which always has one).
    """

    name: str
    event_id: int
    image: str
    command_line: str
    parent_image: str
    logon_id: str
    runas: bool | None = None


RUNAS_LOGON_ID = "TargetLogonId"
NO_LOGON_ID = "0x0"
SECURITY_4688 = Telemetry(
    "security-4688",
    4688,
    "NewProcessName",
    "CommandLine",
    "ParentProcessName",
    "SubjectLogonId",
    runas=False,
)
SECURITY_4688_RUNAS = replace(
    SECURITY_4688, name="security-4688-runas", logon_id=RUNAS_LOGON_ID, runas=True
)
SYSMON_1 = Telemetry("sysmon-1", 1, "Image", "CommandLine", "ParentImage", "LogonId")
PROCESS_TELEMETRY = (SECURITY_4688, SECURITY_4688_RUNAS, SYSMON_1)

# The 4720's fields for the creation side of a workflow condition.
CREATION_FIELDS = {
    "creator_name": "SubjectUserName",
    "creator_sid": "SubjectUserSid",
    "creator_domain": "SubjectDomainName",
    "host": "Computer",
    "account_name": "TargetUserName",
}
CREATION_LOGON_ID = "SubjectLogonId"


# What no single-join target (Sigma, EQL, KQL, SPL) can express; each target adds its own.
PAIRING_LIMITS = [
    "processes outside the account-management images, and creations whose logon session "
    "is unknown (acctrace then looks for a command line naming the new account)",
    "registry-only creations (Sysmon 12/13 SAM writes without a 4720)",
    "ancestry beyond the parent, the cross-host origin of a network logon, follow-ups",
]

def event_field(logical: str, telemetry: Telemetry | None) -> str:
    """The Windows field name of a logical condition field, on a 4720 or a process event."""
    if telemetry is None:
        return CREATION_FIELDS[logical]
    return {"image": telemetry.image, "parent_image": telemetry.parent_image}[logical]


@dataclass(frozen=True)
class Match:
    """`field` (a logical field) matches the case-insensitive glob `glob` (`*`, `?`)."""

    field: str
    glob: str


Alternative = tuple[Match, ...]  # every match must hold


@dataclass(frozen=True)
class Approval:
    """One workflow as conditions: every condition holds, each by any of its alternatives."""

    name: str
    conditions: tuple[tuple[Alternative, ...], ...]
    valid_from: date | None = None
    valid_until: date | None = None

    @property
    def sides(self) -> frozenset[str]:
        fields = {m.field for c in self.conditions for alt in c for m in alt}
        return frozenset(("creation" if f in CREATION_SIDE else "process") for f in fields)

    def single_event_side(self) -> str | None:
        """The one event ('creation' or 'process') a per-event filter can test this
        workflow on, or None: a condition needs both events, validity dates, a `[set]`
        (rule languages have `*` and `?` only), or can never hold (an empty group)."""
        globs = [m.glob for c in self.conditions for alt in c for m in alt]
        if self.valid_from or self.valid_until or len(self.sides) != 1:
            return None
        if any("[" in g for g in globs) or not all(self.conditions):
            return None
        return next(iter(self.sides))


def _creator_alternatives(pattern: str, policy: Policy) -> list[Alternative]:
    """assess.policy matches a creator pattern against the name, the SID and DOMAIN\\name;
    `group:NAME` stands for the group's members."""
    if pattern.lower().startswith("group:"):
        members = policy.groups.get(pattern[6:], [])
        return [alt for m in members for alt in _creator_alternatives(m, policy)]
    if "\\" in pattern:
        domain, name = pattern.split("\\", 1)
        return [(Match("creator_domain", domain), Match("creator_name", name))]
    return [(Match("creator_name", pattern),), (Match("creator_sid", pattern),)]


def _host_alternatives(pattern: str) -> list[Alternative]:
    # A host pattern matches the host as logged or its first label (WS01 for WS01.corp.local).
    return [(Match("host", pattern),), (Match("host", pattern + ".*"),)]


def _image_alternatives(field_name: str, pattern: str) -> list[Alternative]:
    # An image pattern matches the full path or the file name alone.
    return [(Match(field_name, pattern),), (Match(field_name, "*\\" + pattern),)]


def glob_regex(glob: str) -> str:
    """An anchored regular expression for a case-insensitive fnmatch glob (`*`, `?`,
    `[set]`, `[!set]`), in the subset RE2, Java and POSIX engines read alike."""
    g, out, i = glob.lower(), [], 0
    while i < len(g):
        char, i = g[i], i + 1
        end = g.find("]", i + (2 if g[i : i + 1] == "!" else 1)) if char == "[" else -1
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        elif end != -1:
            body = g[i:end].replace("\\", "\\\\")
            out.append("[^" + body[1:] + "]" if body.startswith("!") else "[" + body + "]")
            i = end + 1
        elif char.isalnum() or char == " " or not char.isascii():
            out.append(char)
        else:
            out.append("\\" + char)
    return "^" + "".join(out) + "$"


def approval_condition(
    approval: Approval,
    match: Callable[[Match], str],
    since: Callable[[date], str],
    before: Callable[[date], str],
    words: tuple[str, str, str] = ("and", "or", "false"),
) -> str:
    """The workflow as one boolean expression of a query language over a row holding both
    events: `match` spells one field test, `since`/`before` a bound on the creation time
    (`before` gets the day after `valid_until`); `words` are the language's AND, OR and false."""
    and_, or_, false = f" {words[0]} ", f" {words[1]} ", words[2]

    def alternative(alt: Alternative) -> str:
        return match(alt[0]) if len(alt) == 1 else "(" + and_.join(map(match, alt)) + ")"

    conditions = [
        "(" + or_.join(map(alternative, alternatives)) + ")" if alternatives else false
        for alternatives in approval.conditions
    ]
    if approval.valid_from:
        conditions.append(since(approval.valid_from))
    if approval.valid_until:
        conditions.append(before(approval.valid_until + timedelta(days=1)))
    return "(" + and_.join(conditions) + ")"


def approved_pairs(
    approvals: tuple[Approval, ...],
    match: Callable[[Match], str],
    since: Callable[[date], str],
    before: Callable[[date], str],
    words: tuple[str, str, str] = ("and", "or", "false"),
) -> str | None:
    """Every workflow as one expression, a line each (None without workflows)."""
    if not approvals:
        return None
    expressions = [approval_condition(a, match, since, before, words) for a in approvals]
    return f"\n    {words[1]} ".join(expressions)


def approval_of(workflow: Workflow, policy: Policy) -> Approval:
    conditions: list[tuple[Alternative, ...]] = []
    if workflow.creators:
        alts = [a for p in workflow.creators for a in _creator_alternatives(p, policy)]
        conditions.append(tuple(alts))
    if workflow.hosts:
        conditions.append(tuple(a for p in workflow.hosts for a in _host_alternatives(p)))
    if workflow.process_images:
        conditions.append(
            tuple(a for p in workflow.process_images for a in _image_alternatives("image", p))
        )
    if workflow.parent_images:
        conditions.append(
            tuple(a for p in workflow.parent_images for a in _image_alternatives("parent_image", p))
        )
    if workflow.account_names:
        conditions.append(tuple((Match("account_name", p),) for p in workflow.account_names))
    return Approval(workflow.name, tuple(conditions), workflow.valid_from, workflow.valid_until)


@dataclass(frozen=True)
class Analytic:
    """What every target compiles: the window, the tools, the policy's approvals."""

    window: Window = field(default_factory=Window)
    approvals: tuple[Approval, ...] = ()
    policy_hash: str | None = None
    version: str = __version__

    @property
    def tools(self) -> tuple[str, ...]:
        """File names of the images that create accounts, routinely or not (lower-case).
        lsass.exe writes every SAM key but never creates an account on its own."""
        account_tools = knowledge.load("account_tools")
        images = [e["image"] for e in account_tools["standard_tools"]]
        images += [e["image"] for e in account_tools["unusual_tools"]]
        return tuple(sorted({i.lower() for i in images} - {"lsass.exe"}))

    def single_event_approvals(self, side: str) -> list[Approval]:
        return [a for a in self.approvals if a.single_event_side() == side]

    def left_out_of_filters(self) -> list[str]:
        """One header line naming the workflows a per-event filter cannot express; they
        are left out, so what they approve still alerts."""
        names = [a.name for a in self.approvals if a.single_event_side() is None]
        return [f"policy workflows left out (they still alert): {names}"] if names else []

    @property
    def span_s(self) -> int:
        """The window in whole seconds, at least one: rule languages have no fractions."""
        return max(1, math.ceil(self.window.before_s))

    def header(self, detects: str, cannot: list[str]) -> list[str]:
        """The lines every output starts with (without comment markers)."""
        lines = [
            f"acctrace {self.version} export of MITRE ATT&CK AN1604 (T1136 Create Account).",
            f"Detects: {detects}",
            f"Window: the process started at most {self.window.before_s:g} s before the 4720.",
            "Policy: "
            + (f"sha256 {self.policy_hash}" if self.policy_hash else "none (nothing approved)"),
            "Cannot express (acctrace does these; see docs/export.md):",
        ]
        lines += [f"  - {c}" for c in cannot]
        return [
            wrapped
            for line in lines
            for wrapped in textwrap.wrap(line, 92, subsequent_indent="    ", break_on_hyphens=False)
        ]


def policy_hash(policy: Policy) -> str:
    """SHA-256 of the policy's content, so the same workflows hash alike however written."""
    return hashlib.sha256(policy.model_dump_json().encode()).hexdigest()


def analytic_of(policy: Policy | None, window: Window) -> Analytic:
    if policy is None:
        return Analytic(window)
    approvals = tuple(approval_of(w, policy) for w in policy.workflows)
    return Analytic(window, approvals, policy_hash(policy))
