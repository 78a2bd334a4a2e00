"""The creating process and its lineage, on small in-memory stories."""

from __future__ import annotations

from tests.stories import Story

NET = "C:\\Windows\\System32\\net.exe"
NET1 = "C:\\Windows\\System32\\net1.exe"
CMD = "C:\\Windows\\System32\\cmd.exe"
PS = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"


def only(story: Story):
    (finding,) = story.hunt().findings
    return finding


def test_pid_reuse_picks_the_latest_process_with_that_pid_before_the_child() -> None:
    story = (
        Story()
        .process_4688(0x100, 0x4, "C:\\Windows\\explorer.exe", None, ms=-90_000)
        .process_4688(0x200, 0x100, "C:\\old\\updater.exe", None, ms=-80_000)
        .process_end_4689(0x200, ms=-70_000)
        .process_4688(0x200, 0x100, CMD, "cmd.exe", ms=-30_000)  # PID 0x200 reused
        .process_4688(0x300, 0x200, NET, "net user backdoor Pw1! /add", ms=-20)
        .process_4688(
            0x200, 0x999, "C:\\later\\reuse.exe", None, ms=500
        )  # reused after: never a parent
        .creation()
    )
    f = only(story)
    assert f.process.image == NET
    assert [a.image for a in f.lineage] == [CMD, "C:\\Windows\\explorer.exe", None]
    assert f.lineage[-1].pid == 0x4 and f.lineage[-1].telemetry is None


def test_a_parent_pid_whose_process_ended_before_the_child_is_not_its_parent() -> None:
    story = (
        Story()
        .process_4688(0x200, 0x4, "C:\\old\\updater.exe", None, ms=-60_000)
        .process_end_4689(0x200, ms=-50_000)
        .process_4688(0x300, 0x200, NET, "net user backdoor x /add", ms=-20)
        .creation()
    )
    f = only(story)
    assert [(a.image, a.pid) for a in f.lineage] == [(None, 0x200)]


def test_processes_of_other_sessions_are_never_candidates() -> None:
    story = (
        Story()
        .process_4688(0x300, 0x4, NET, "net user backdoor x /add", ms=-10, logon="0x9999")
        .process_4688(0x310, 0x4, "C:\\Tools\\sync.exe", "sync.exe --daily", ms=-50_000)
        .creation()
    )
    f = only(story)
    assert f.process.image.endswith("sync.exe")  # the only process in the session
    assert all(a.image != NET for a in f.alternatives)
    assert f.process.confidence < 0.5


def test_no_candidate_in_the_session_says_so() -> None:
    story = (
        Story().process_4688(0x300, 0x4, NET, "net user x /add", ms=-10, logon="0x9999").creation()
    )
    f = only(story)
    assert f.process is None
    assert [r.code for r in f.verdict.reasons if r.code.startswith("no_process")] == [
        "no_process_in_session"
    ]


def test_the_worker_beats_its_launcher_when_both_show_the_creation() -> None:
    story = (
        Story()
        .process_4688(0x300, 0x200, NET, "net user backdoor x /add", ms=-31)
        .process_4688(0x301, 0x300, NET1, "net1 user backdoor x /add", ms=-16)
        .creation()
    )
    assert only(story).process.image == NET1


def test_a_parent_that_shows_the_creation_beats_a_closer_child_that_does_not() -> None:
    story = (
        Story()
        .process_4688(
            0x300, 0x200, PS, "powershell -c New-LocalUser -Name backdoor -NoPassword", ms=-900
        )
        .process_4688(
            0x301, 0x300, "C:\\Windows\\System32\\conhost.exe", "conhost.exe 0xffffffff", ms=-899
        )
        .process_4688(0x302, 0x300, "C:\\Windows\\System32\\whoami.exe", "whoami /all", ms=-5)
        .creation()
    )
    f = only(story)
    assert f.process.image == PS
    assert f.alternatives == []  # conhost.exe and whoami.exe cannot create accounts


def test_sysmon_lineage_follows_guids_and_one_process_in_both_logs_is_one_candidate() -> None:
    story = (
        Story()
        .sysmon_1("A-1", "0-0", 500, CMD, "cmd.exe", ms=-5_000)
        .sysmon_1("A-2", "A-1", 600, NET, "net user backdoor Secret9 /add", ms=-30)
        .process_4688(600, 500, NET, "net user backdoor Secret9 /add", ms=-29)
        .creation()
    )
    f = only(story)
    assert f.process.telemetry == "sysmon-1" and f.process.process_guid == "A-2"
    assert f.alternatives == []  # net.exe is not listed twice; its shell cmd.exe is lineage
    assert f.lineage[0].image == CMD
    assert f.lineage[0].process_guid == "A-1"
    assert "Secret9" not in f.model_dump_json()
    assert [s.event_id for s in f.sources if s.role == "process"] == [1, 4688]


def test_encoded_powershell_in_the_lineage_is_a_reason() -> None:
    story = (
        Story()
        .process_4688(
            0x200, 0x4, PS, "powershell -nop -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoA", ms=-3_000
        )
        .process_4688(0x300, 0x200, NET, "net user backdoor x /add", ms=-20)
        .creation()
    )
    codes = {r.code for r in only(story).verdict.reasons}
    assert "encoded_command" in codes
