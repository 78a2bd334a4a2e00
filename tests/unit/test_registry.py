"""Account creations seen in Sysmon's SAM registry writes, alone or beside a 4720."""

from __future__ import annotations

from tests.stories import ADMINISTRATORS_ALIAS, SAM_NAMES, USER_LIST, Story, sam_write


def test_registry_writes_beside_a_4720_are_sources_not_a_second_finding() -> None:
    story = Story().creation("backdoor")
    sam_write(story, 1, SAM_NAMES + "backdoor\\(Default)")
    (f,) = story.hunt().findings
    assert f.evidence_basis == "event_4720"
    assert [s.role for s in f.sources][:2] == ["creation", "registry"]


def test_created_deleted_and_created_again_is_one_account_history() -> None:
    story = Story()
    sam_write(story, 0, SAM_NAMES + "ghost$\\(Default)")
    sam_write(story, 60_000, SAM_NAMES + "ghost$", action="DeleteKey")
    sam_write(story, 120_000, SAM_NAMES + "ghost$\\(Default)")
    (f,) = story.hunt().findings
    assert (f.account.name, f.evidence_basis, f.creator) == ("ghost$", "registry", None)
    assert [x.action for x in f.follow_up] == ["deleted"] and f.follow_up[0].inferred
    assert {"registry_only", "hidden_name"} <= {r.code for r in f.verdict.reasons}


def test_an_administrators_alias_write_after_creation_is_an_inferred_membership() -> None:
    story = Story()
    sam_write(story, 0, SAM_NAMES + "helper\\(Default)")
    sam_write(story, 4_000, ADMINISTRATORS_ALIAS)
    (f,) = story.hunt().findings
    (added,) = f.follow_up
    assert (added.action, added.group.sid, added.inferred) == ("group_added", "S-1-5-32-544", True)
    assert "privileged_group" in {r.code for r in f.verdict.reasons}


def test_a_userlist_value_of_zero_hides_the_account_from_the_logon_screen() -> None:
    story = Story().creation("support")
    sam_write(story, 500, USER_LIST + "support", details="DWORD (0x00000000)")
    (f,) = story.hunt().findings
    assert "hidden_from_logon_screen" in [x.action for x in f.follow_up]
    reason = next(r for r in f.verdict.reasons if r.code == "hidden_name")
    assert "logon screen" in reason.text and not f.account.hidden


def test_a_registry_only_creation_names_a_process_only_by_content() -> None:
    story = Story()
    story.process_4688(
        0x300,
        0x4,
        "C:\\Windows\\System32\\net.exe",
        "net user ghost$ x /add",
        ms=-40,
        logon="0x777",
    )
    story.process_4688(0x310, 0x4, "C:\\Windows\\System32\\notepad.exe", "notepad", ms=-10)
    sam_write(story, 0, SAM_NAMES + "ghost$\\(Default)")
    (f,) = story.hunt().findings
    assert f.process.image.endswith("net.exe") and f.alternatives == []
