"""Promise 3 checks that belong to the edges: policy YAML never runs code, and logged names
cannot forge lines or send escape sequences in the text output."""

from __future__ import annotations

from pathlib import Path

import pytest

from acctrace.assess.policy import load_policy
from acctrace.errors import InputProblem, PolicyError
from acctrace.report.text import safe


@pytest.mark.parametrize(
    "payload",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
        "!!python/name:os.system",
    ],
)
def test_policy_yaml_never_constructs_python_objects(tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "ran"
    policy = tmp_path / "policy.yaml"
    policy.write_text("workflows:\n  - name: x\n    creators: " + payload.format(marker=marker))
    with pytest.raises(PolicyError) as caught:
        load_policy(policy)
    assert str(policy) in str(caught.value)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\nb", "a\\x0ab"),
        ("a\r\nb", "a\\x0d\\x0ab"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("\x9b2J", "\\x9b2J"),  # the 8-bit CSI
        ("a\x00b", "a\\x00b"),
        ("line\u2028sep\u2029", "line\\u2028sep\\u2029"),
        ("evil\u202egnp.exe", "evil\\u202egnp.exe"),  # displays as evilexe.png
        ("lone\ud800", "lone\\ud800"),
        ("C:\\Windows\\net.exe ünïcødé", "C:\\Windows\\net.exe ünïcødé"),
    ],
)
def test_safe_shows_controls_escaped_and_leaves_the_rest(raw: str, shown: str) -> None:
    assert safe(raw) == shown
    assert len(safe(raw).splitlines()) == 1
    safe(raw).encode("utf-8")  # always writable


def test_a_problem_naming_a_hostile_file_is_one_line() -> None:
    problem = InputProblem(
        "dir/x\nwarning: all clear\x1b[2J", "invalid_json", "bad\rline", "line 1"
    )
    assert safe(problem).splitlines() == [safe(problem)]
    assert "\x1b" not in safe(problem)


HOSTILE = "ev\x00il\x1b]0;pwned\x07\u202egnp.exe\u2028line\u2029two\u2066x"
RAW = ("\x00", "\x1b", "\x07", "\u202e", "\u2028", "\u2029", "\u2066")


def test_control_and_bidi_characters_are_inert_in_every_output(tmp_path: Path) -> None:
    """Issue #11: HTML kept NUL/ESC/BEL/RLO/U+2028, Markdown RLO, ECS/OCSF a raw U+2028 (a
    splitlines() reader cut one alert into five); `case` printed a saved finding's id raw."""
    import orjson
    from click.testing import CliRunner

    from acctrace.cli import cli
    from tests.reliability.hostile import creation

    logs = tmp_path / "x.jsonl"
    logs.write_bytes(orjson.dumps(creation(HOSTILE, 1) | {"Hostname": HOSTILE}) + b"\n")

    def out(*args: object) -> str:
        result = CliRunner().invoke(cli, [str(a) for a in args])
        assert result.exit_code == 0, result.output
        return result.stdout

    for fmt in ("ecs", "ocsf", "json"):
        text = out("hunt", logs, "--format", fmt)
        assert len(text.splitlines()) == 1, fmt
        assert not [c for c in RAW if c in text], fmt
        assert orjson.loads(text)  # still JSON, decoding to the value logged
    for args in (["hunt", logs], ["report", logs], ["report", logs, "--format", "md"]):
        text = out(*args)
        assert not [c for c in RAW if c in text], args
    assert "\\u202egnp.exe" in out("report", logs)

    saved = tmp_path / "saved.jsonl"
    finding = orjson.loads(out("hunt", logs, "--json"))
    finding["id"] = "abc\x1b]0;title\x07"
    saved.write_bytes(orjson.dumps(finding) + b"\n")
    result = CliRunner().invoke(
        cli, ["case", "abc", str(saved), str(logs), "--bundle", str(tmp_path / "c.zip")]
    )
    assert "\x1b" not in result.output
