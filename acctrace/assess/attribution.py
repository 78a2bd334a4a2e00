"""Which candidate process created the account, and how sure we are.

The correlation already applied the rules of order: every candidate ran in the creator's
logon session (or named the account) and may have been alive at the creation; a process
recorded after the 4720 in the same log, or surely ended before it, is not a candidate.
Here each remaining rule is one named function:

- `helper_reason`: console hosts and tools that cannot create accounts are passed over;
- `command_evidence`: what the command line shows (a creation command naming this account
  is strong; one naming another account is about another creation);
- `is_wrapper`: a process whose descendant shows a creation command (as strongly) only
  launched the actor (cmd -> net.exe -> net1.exe: net1.exe acted); wrappers are lineage;
- `liveness`: a child started or an end logged after the creation proves the process ran
  across it; a script host or unknown binary alive across it, with no account tool,
  is the best candidate; its PowerShell script blocks (4104) raise that, and a creation
  command in them counts as on a command line (`script_evidence`);
- `unproven_long_run`: a script host or unknown binary that started before the window is a
  candidate only when a child it started or its end shows it ran around the creation (a
  long PowerShell session creates accounts minutes in); nothing else shows it had not
  ended unlogged;
- `abstain_on_near_ties`: two different images with close scores are both shown, with a
  confidence below one half, never a confident pick.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from acctrace.assess.tools import (
    NO_EVIDENCE,
    CommandEvidence,
    basename,
    creation_evidence,
    helper_reason,
    is_script_host,
    is_standard_tool,
    is_unknown_binary,
    names,
    tool_method,
)
from acctrace.correlate.rows import (
    CandidateRow,
    CreationRow,
    ProcessRow,
    SeenScriptBlockRow,
    SignOfLifeRow,
)
from acctrace.correlate.run import Clock
from acctrace.normalise.fields import iso
from acctrace.normalise.redact import redact_command_line

_SECOND_US = 1_000_000
_UNMEASURED = Clock(0, 0, 2 * _SECOND_US, False)

# How much of the confidence each kind of evidence carries (the rest is timing).
_EVIDENCE_SHARE, _TIMING_SHARE, _ALIVE_SHARE = 0.7, 0.2, 0.05
_OTHER_ACCOUNT = 0.25  # a creation command that names another account: about another creation
_TOOL_WITHOUT_COMMAND_LINE = 0.4
_SCRIPT_HOST_ALIVE = 0.35  # an in-process creator that ran across the creation
_SCRIPT_HOST_MAYBE = 0.2  # one that may have
_SCRIPT_LOGGED = 0.1  # more when its script blocks (4104) were logged before the creation
_STRONG = 0.6  # creation evidence this strong makes a process an account tool
_UNCERTAIN_ORDER = 0.5  # started within the clock tolerance of the creation
_ALIVE_ONLY = 0.1
NEAR_TIE = 0.1  # scores closer than this between different images are a tie
ABSTAINED = 0.45  # the confidence of each side of a tie: below one half


@dataclass
class Ranked:
    row: CandidateRow
    confidence: float  # unrounded, so that near ties still rank by proximity
    evidence: list[str]
    also_logged_as: CandidateRow | None = None  # the other telemetry's record of the same process
    command: CommandEvidence = NO_EVIDENCE
    weight: float = 0.0
    alive: str | None = field(default=None)  # why it is known to have run across the creation
    named: bool = False  # its creation command names this account
    script: str | None = None  # the PowerShell script blocks it logged before the creation
    acted_us: int | None = None  # when its last script block ran, on the Security clock

    @property
    def keys(self) -> set[str]:
        twin = self.also_logged_as
        return {self.row["event_key"], *([twin["event_key"]] if twin else [])}


def rank(
    creation: CreationRow,
    candidates: Sequence[CandidateRow],
    life: Sequence[SignOfLifeRow],
    clock: Clock | None = None,
    script_blocks: Sequence[SeenScriptBlockRow] = (),
) -> list[Ranked]:
    """The actors among the candidates, best first, with a confidence in 0..1 and the
    evidence behind it. Helpers and wrappers are left out (wrappers appear as lineage)."""
    clock = clock or _UNMEASURED
    creation_time = _on_security_clock(creation, clock)
    if creation["time_us"] % _SECOND_US == 0:
        # Logged with whole seconds only (NXLog's EventTime): it happened within that second.
        creation_time += _SECOND_US - 1
    processes = [
        p for p in _merge_duplicates(candidates, clock) if helper_reason(p.row["image"]) is None
    ]
    for p in processes:
        p.command, p.evidence = command_evidence(p.row["command_line"], creation["account_name"])
        p.script = script_text(p, script_blocks)
        if p.script and p.command.weight < _STRONG:
            p.command, p.evidence = script_evidence(p.script, creation["account_name"])
            mine = [r["time_us"] for r in script_blocks if r["candidate_key"] in p.keys]
            p.acted_us = max(mine) if p.command.pattern else None
        p.named = p.command.names_account and p.command.weight >= _STRONG
        p.alive = liveness(p, life)
    processes = [p for p in processes if not unproven_long_run(p, life)]
    actors = [p for p in processes if not is_wrapper(p, processes, clock)]
    for p in actors:
        p.weight, more = _weight(p, actors)
        p.evidence += more
        p.confidence = _confidence(p, creation_time, clock)
    ranked = sorted(actors, key=lambda p: (-p.confidence, p.row["event_key"]))
    abstain_on_near_ties(ranked)
    return ranked


def command_evidence(
    command_line: str | None, account_name: str | None
) -> tuple[CommandEvidence, list[str]]:
    """What the command line shows, with the account's name checked where the command
    carries one."""
    found = creation_evidence(command_line)
    if not found.pattern:
        return found, []
    if found.names_account and not names(found.text or "", account_name or ""):
        other = CommandEvidence(
            found.weight * _OTHER_ACCOUNT,
            found.pattern,
            found.text,
            found.names_account,
            found.method,
        )
        return other, [f"command line matches '{found.pattern}' but does not name the account"]
    named = " and names the account" if found.names_account else ""
    return found, [f"command line matches '{found.pattern}'{named}"]


def script_text(p: Ranked, blocks: Sequence[SeenScriptBlockRow]) -> str | None:
    """The script blocks (4104) the process logged before the creation, each reassembled
    from its parts in order, one after the other."""
    parts: dict[str, list[SeenScriptBlockRow]] = {}
    for row in blocks:
        if row["candidate_key"] in p.keys:
            parts.setdefault(row["script_block_id"] or row["event_key"], []).append(row)
    if not parts:
        return None
    scripts = []
    for rows in sorted(parts.values(), key=lambda rs: min(r["time_us"] for r in rs)):
        seen = {r["message_number"]: r["script_text"] or "" for r in rows}
        scripts.append("".join(seen[n] for n in sorted(seen, key=lambda n: n or 0)))
    # Redacted again once whole: a password split across two parts escaped each part's.
    return redact_command_line("\n".join(scripts))


def script_evidence(script: str, account_name: str | None) -> tuple[CommandEvidence, list[str]]:
    """What the process's own script blocks show: a creation command there is as good as on
    its command line; without one, the script is still shown to the analyst."""
    found, evidence = command_evidence(script, account_name)
    if found.pattern:
        return found, [e.replace("command line", "its script block (4104)") for e in evidence]
    return found, ["its script blocks (4104) are shown; none creates an account"]


def is_wrapper(p: Ranked, processes: list[Ranked], clock: Clock) -> bool:
    """A process it started (directly or further down) shows the creation command at least
    as strongly as `p` does: `p` launched the actor (a shell, net.exe, a script runner) and
    is lineage, not the creator."""
    return any(
        d.command.weight >= max(p.command.weight, _STRONG) or _hands_over(p, d)
        for d in _descendants(p, processes, clock)
    )


def _hands_over(p: Ranked, d: Ranked) -> bool:
    """`d` is an account tool whose command line was not logged, started by `p` for the
    method `p` shows (a script running `net user NAME /add` starts net.exe, which starts
    net1.exe), or by a silent tool of its own kind, or running across the creation: the
    narrower process did the work, the one that started it is lineage."""
    if not _silent_tool(d):
        return False
    method = tool_method(d.row["image"])
    shown = p.command.method if p.command.weight >= _STRONG else None
    if shown is not None:
        return shown == method
    return _silent_tool(p) and (tool_method(p.row["image"]) == method or d.alive is not None)


def liveness(p: Ranked, life: Sequence[SignOfLifeRow]) -> str | None:
    """Why the process is known to have run across the creation, or None when it may have
    ended before (processes surely ended before were never candidates)."""
    mine = [r for r in life if r["candidate_key"] in p.keys]
    end = min((r for r in mine if r["sign"] == "end"), key=_time, default=None)
    if end is not None and end["after_creation"]:
        return f"its end was logged after the creation ({_iso(end)})"
    children = [
        r
        for r in mine
        if r["sign"] == "child"
        and r["after_creation"]
        and (end is None or r["time_us"] <= end["time_us"])
    ]
    if children:
        child = min(children, key=_time)
        return f"it started {basename(child['image'])} after the creation ({_iso(child)})"
    return None


def unproven_long_run(p: Ranked, life: Sequence[SignOfLifeRow]) -> bool:
    """Started before the window (a long-running script host or unknown binary), and
    neither a child it started nor its end is logged after the creation or within the clock
    tolerance of it: its end may simply not have been logged, so it is no candidate. One
    that ran around the creation is weighed like any in-process creator."""
    if p.row.get("in_window", True):
        return False
    return not any(r["candidate_key"] in p.keys for r in life)


def abstain_on_near_ties(ranked: list[Ranked]) -> None:
    """When the runner-up is a different image scoring close to the best, neither is a
    confident pick: both drop below one half and say so."""
    if len(ranked) < 2:
        return
    best, runner = ranked[0], ranked[1]
    if basename(best.row["image"]) == basename(runner.row["image"]):
        return
    if runner.confidence < best.confidence - NEAR_TIE or best.confidence <= ABSTAINED:
        return
    for p, other in ((best, runner), (runner, best)):
        p.confidence = min(p.confidence, ABSTAINED) - (0 if p is best else 0.01)
        p.evidence.append(f"near tie with {basename(other.row['image'])}: not a confident pick")


def _weight(p: Ranked, actors: list[Ranked]) -> tuple[float, list[str]]:
    """How strongly the process itself points at the creation (0-1)."""
    row, evidence = p.row, []
    weight = p.command.weight
    if not p.command.pattern and row["command_line"] is None and is_standard_tool(row["image"]):
        weight = _TOOL_WITHOUT_COMMAND_LINE
        evidence.append(f"{basename(row['image'])} manages accounts (no command line logged)")
    if weight < _SCRIPT_HOST_ALIVE and not any(_account_tool(a) for a in actors):
        weight = max(weight, _in_process_weight(p, evidence))
    return weight, evidence


def _in_process_weight(p: Ranked, evidence: list[str]) -> float:
    """With no account tool in the session, a script host or an unknown binary is the best
    candidate: more so when it is known to have run across the creation."""
    image = p.row["image"]
    if is_script_host(image):
        what = f"{basename(image)} runs scripts"
    elif is_unknown_binary(image):
        what = "a binary from outside the Windows folders"
    else:
        return _ALIVE_ONLY if p.alive else 0.0
    logged = _SCRIPT_LOGGED if p.script else 0.0  # PowerShell logged what it ran
    if p.alive:
        evidence.append(f"{what} and ran across the creation; no account tool in the session")
        return _SCRIPT_HOST_ALIVE + logged
    evidence.append(f"{what} and may have run at the creation; no account tool in the session")
    return _SCRIPT_HOST_MAYBE + logged


def _account_tool(p: Ranked) -> bool:
    """A process that shows an account-creation command, or an account tool whose command
    line was not logged, started surely before the creation."""
    if not p.row.get("surely_before", True):
        return False
    return p.command.weight >= _STRONG or _silent_tool(p)


def _silent_tool(p: Ranked) -> bool:
    return p.row["command_line"] is None and is_standard_tool(p.row["image"])


def _confidence(p: Ranked, creation_time: int, clock: Clock) -> float:
    started = _on_security_clock(p.row, clock)
    delay_s = max(creation_time - started, 0) / _SECOND_US
    # A script block that shows the creation dates the act better than the process start.
    acted_s = max(creation_time - p.acted_us, 0) / _SECOND_US if p.acted_us else delay_s
    weight = p.weight
    if not p.row.get("surely_before", True):
        # Within the clock tolerance of the creation: it may have started after it. A
        # command creating this very account is still its creator (a retry would fail);
        # weaker evidence (`net user NAME`) is more likely a check made after it.
        weak_command = bool(p.command.pattern) and weight == p.command.weight < _STRONG
        if weak_command:
            weight = 0.0
        elif not p.named:
            weight *= _UNCERTAIN_ORDER
        timing = _UNCERTAIN_ORDER
        p.evidence.append("started within the clock tolerance of the creation (order unsure)")
    elif p.alive:
        # Alive across the creation: when it started says nothing more.
        timing = 1.0
        p.evidence.append(f"alive at the creation: {p.alive}")
    else:
        timing = 1.0 / (1.0 + acted_s / 10.0)
    p.evidence.append(f"started {delay_s:.3f} s before the creation in the creator's session")
    score = _EVIDENCE_SHARE * weight + _TIMING_SHARE * timing
    if p.alive:
        score += _ALIVE_SHARE
    return min(1.0, score + (0.05 if weight >= 0.9 else 0.0))


def _descendants(p: Ranked, processes: list[Ranked], clock: Clock) -> list[Ranked]:
    found, frontier = [], [p]
    while frontier:
        parent = frontier.pop()
        for other in processes:
            if other not in found and other is not p and _is_parent(parent, other.row, clock):
                found.append(other)
                frontier.append(other)
    return found


def _is_parent(parent: Ranked, child: CandidateRow, clock: Clock) -> bool:
    for row in (parent.row, parent.also_logged_as):
        if row is None or row["host"] != child["host"]:
            continue
        if child["parent_process_guid"] and row["process_guid"] == child["parent_process_guid"]:
            return True
        started_before = _on_security_clock(row, clock) <= _on_security_clock(child, clock)
        if row["pid"] == child["parent_pid"] and started_before:
            return True
    return False


def _merge_duplicates(candidates: Sequence[CandidateRow], clock: Clock) -> list[Ranked]:
    """One entry per process when both 4688 and Sysmon 1 logged it; Sysmon's is kept."""
    ordered = sorted(candidates, key=lambda r: (r["telemetry"] != "sysmon-1", r["event_key"]))
    kept: list[Ranked] = []
    for row in ordered:
        twin = next((k for k in kept if _same_process(k.row, row, clock)), None)
        if twin is None:
            kept.append(Ranked(row, 0.0, []))
        elif twin.also_logged_as is None:
            twin.also_logged_as = row
    return kept


def _same_process(a: CandidateRow, b: CandidateRow, clock: Clock) -> bool:
    gap = abs(_on_security_clock(a, clock) - _on_security_clock(b, clock))
    return (
        a["telemetry"] != b["telemetry"]
        and a["pid"] == b["pid"]
        and basename(a["image"]) == basename(b["image"])
        and gap <= clock.tolerance_us + _SECOND_US
    )


def _on_security_clock(row: CreationRow | ProcessRow, clock: Clock) -> int:
    """The event's time on its host's Security clock (Sysmon's runs `skew_us` apart)."""
    sysmon = "sysmon" in (row.get("channel") or "").lower()
    return row["time_us"] - (clock.skew_us if sysmon else 0)


def _time(row: SignOfLifeRow) -> int:
    return row["time_us"]


def _iso(row: SignOfLifeRow) -> str:
    return iso(row["time_us"]) or "?"
