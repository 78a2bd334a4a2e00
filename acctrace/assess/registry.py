"""What Sysmon's registry events say about an account, beside or instead of its 4720.

The SAM stores accounts under `...\\SAM\\Domains\\Account\\Users\\Names\\<name>`; Sysmon 12/13
show lsass.exe writing there when an account is created (even where Security auditing is
off), `Builtin\\Aliases\\00000220` when the Administrators alias changes, and a
`Winlogon\\SpecialAccounts\\UserList\\<name> = 0` value hides an account from the logon
screen (ATT&CK AN1001). These prove what happened to the account, never who did it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from acctrace.correlate.rows import CreationRow, SamWriteRow
from acctrace.findings import FollowUp, Party
from acctrace.normalise.fields import iso

ADMINISTRATORS_ALIAS = 0x220
# An alias write this soon after a creation, with no other creation on the host in between,
# is taken as that account's membership change.
ALIAS_WINDOW_US = 10 * 60 * 1_000_000


@dataclass
class RegistryStory:
    sources: list[SamWriteRow] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    hidden_from_logon: bool = False


def registry_story(
    creation: CreationRow, sam_writes: list[SamWriteRow], creations_on_host: list[int]
) -> RegistryStory:
    """The registry writes about the account created by `creation` (a 4720 or a first
    SAM write), as extra sources and inferred follow-ups. `sam_writes` are the host's, in
    time order; `creations_on_host` the times of every creation there."""
    story = RegistryStory()
    start = creation["time_us"]
    if start is None:  # a creation without a time cannot be placed among the writes
        return story
    name = (creation["account_name"] or "").lower()
    later = [t for t in creations_on_host if t is not None and t > start]
    until = min([*later, start + ALIAS_WINDOW_US])
    for row in sam_writes:  # this host's, in time order
        own_name = (row["account_name"] or "").lower() == name
        if own_name and row["hidden_from_logon"]:
            story.hidden_from_logon = True
            story.follow_ups.append(_inferred(row, "hidden_from_logon_screen"))
            story.sources.append(row)
        elif own_name and row["hidden_from_logon"] is None:
            story.sources.append(row)
            if row["action"] == "DeleteKey" and row["time_us"] >= start:
                story.follow_ups.append(_inferred(row, "deleted"))
        elif row["alias_rid"] == ADMINISTRATORS_ALIAS and start <= row["time_us"] <= until:
            story.sources.append(row)
            story.follow_ups.append(
                _inferred(
                    row,
                    "group_added",
                    group=Party(name="Administrators", domain="Builtin", sid="S-1-5-32-544"),
                )
            )
            break  # one write of the alias stands for one membership change
    return story


def _inferred(row: SamWriteRow, action: str, group: Party | None = None) -> FollowUp:
    return FollowUp(
        time=iso(row["time_us"]),
        event_id=row["event_id"],
        action=action,
        host=row["host_name"],
        group=group,
        privileged_group=group is not None,
        inferred=True,
    )
