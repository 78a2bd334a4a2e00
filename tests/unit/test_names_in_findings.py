"""Look-alike names (ATT&CK AN1077) as a reason on findings."""

from __future__ import annotations

from tests.stories import Story


def test_a_name_imitating_a_builtin_or_a_seen_account_is_flagged() -> None:
    story = Story().creation("Administrat0r")
    story.add(
        4624,
        -500_000,
        {
            "TargetUserName": "svc_backup01",
            "TargetLogonId": "0x9",
            "LogonType": "3",
            "TargetUserSid": "S-1-5-21-1-2-3-1107",
        },
    )
    story.creation("svc_backupO1", ms=1000)
    story.creation("elie", ms=2000)
    codes = {f.account.name: {r.code for r in f.verdict.reasons} for f in story.hunt().findings}
    assert "lookalike_name" in codes["Administrat0r"]
    assert "lookalike_name" in codes["svc_backupO1"]
    assert "lookalike_name" not in codes["elie"]
