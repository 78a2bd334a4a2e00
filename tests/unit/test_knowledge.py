"""Every pattern in the knowledge files matches its `match` examples and none of its `no_match`."""

from __future__ import annotations

import json

import pytest

from acctrace import knowledge
from acctrace.knowledge.__main__ import LOCK
from acctrace.normalise.redact import REDACTED, redact_command_line

PATTERN_LISTS = [
    ("secrets", "entries"),
    ("secrets", "encoded_commands"),
    ("account_tools", "creation_commands"),
    ("account_tools", "encoded_commands"),
    ("benign_accounts", "entries"),
]


def test_every_knowledge_file_is_versioned() -> None:
    assert all(isinstance(v, int) and v >= 1 for v in knowledge.versions().values())


@pytest.mark.parametrize(("name", "key"), PATTERN_LISTS)
def test_patterns_against_their_examples(name: str, key: str) -> None:
    offenders = []
    for entry, pattern in knowledge.compiled(name, key):
        assert entry.get("match"), f"{name}:{entry['id']} has no match example"
        offenders += [(entry["id"], "misses", m) for m in entry["match"] if not pattern.search(m)]
        offenders += [
            (entry["id"], "hits", m) for m in entry.get("no_match", []) if pattern.search(m)
        ]
    assert offenders == []


def test_ids_are_unique() -> None:
    for name, key in PATTERN_LISTS:
        ids = [e["id"] for e, _ in knowledge.compiled(name, key)]
        assert len(ids) == len(set(ids)), name


@pytest.mark.parametrize(
    ("command_line", "secret"),
    [
        ("net  user toto3 @#(*kjh@(@Jd /add", "@#(*kjh@(@Jd"),
        ('net user "bob" "two words" /add /domain', "two words"),
        (
            "New-LocalUser x -Password (ConvertTo-SecureString 'Winter2024!' -AsPlainText -Force)",
            "Winter2024!",
        ),
        ("dsadd user cn=x,dc=corp -pwd Secr3t", "Secr3t"),
        ('wmic useraccount call create name="x",password="Secr3t"', "Secr3t"),
        ("psexec \\\\srv -u admin -p Secr3t cmd", "Secr3t"),
    ],
)
def test_redaction_removes_the_secret_and_keeps_the_rest(command_line: str, secret: str) -> None:
    redacted = redact_command_line(command_line)
    assert secret not in redacted and REDACTED in redacted
    assert redacted.split()[0] == command_line.split()[0]


def test_commands_without_secrets_are_untouched() -> None:
    for line in (
        "net user toto3 /add",
        "net user x * /add",
        "net localgroup administrators x /add",
        "New-LocalUser x -Password $pw",
    ):
        assert redact_command_line(line) == line


def test_a_changed_knowledge_file_has_a_new_version_in_the_lock() -> None:
    """Like detection-rules' version lock: a file edited without a version bump (and a
    `python -m acctrace.knowledge` to relock) fails here, naming the file."""
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    stale = []
    for name in knowledge.FILES:
        locked = lock.get(name, {})
        current = {"version": knowledge.load(name)["version"], "sha256": knowledge.digest(name)}
        if current["sha256"] != locked.get("sha256"):
            if current["version"] == locked.get("version"):
                stale.append(f"{name}.yaml changed: bump its version, then relock")
            else:
                stale.append(f"{name}.yaml has version {current['version']}: relock")
    assert stale == [], "; ".join(stale) + " (python -m acctrace.knowledge)"
