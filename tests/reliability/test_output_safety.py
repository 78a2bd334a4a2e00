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
