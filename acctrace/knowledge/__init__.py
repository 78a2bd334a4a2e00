"""Detection knowledge kept as data: versioned YAML files with examples, checked by tests.

Each file has `version` and a list of entries; entries with patterns carry `match` and
`no_match` examples that tests/unit/test_knowledge.py runs against every pattern.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

# libyaml's safe loader when PyYAML has it: ten times faster, paid by every hunt.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FILES = (
    "secrets",
    "account_tools",
    "privileged_groups",
    "uac_flags",
    "benign_accounts",
    "scoring",
    "lookalike",
    "validation_methods",
    "reasons",
    "windows_setup",
    "helper_processes",
)


@cache
def load(name: str) -> dict[str, Any]:
    if name not in FILES:
        raise KeyError(name)
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=_SAFE_LOADER)


@cache
def compiled(name: str, key: str = "entries") -> tuple[tuple[dict[str, Any], re.Pattern[str]], ...]:
    """Entries of a knowledge file with their `pattern` compiled (case-insensitive)."""
    return tuple((e, re.compile(e["pattern"], re.IGNORECASE)) for e in load(name)[key])


def digest(name: str) -> str:
    """SHA-256 of a knowledge file's text: the version lock records it per version."""
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return hashlib.sha256(text.encode()).hexdigest()


def versions() -> dict[str, int]:
    """The version of every knowledge file, recorded in each report."""
    return {name: load(name)["version"] for name in FILES}
