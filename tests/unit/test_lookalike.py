"""Look-alike account names (AN1077): every example in knowledge/lookalike.yaml, both sides.

Each entry and rule of the knowledge file carries `match` and `no_match` examples; these
tests run all of them, then check the behaviour analysts rely on beyond single examples:
ordinary directories stay quiet, the result is deterministic, and a call stays fast.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acctrace import knowledge
from acctrace.assess import lookalike
from acctrace.assess.lookalike import Imitation, imitation

DATA = knowledge.load("lookalike")
SECTIONS = ("builtins", "homoglyphs", "sequences", "rules")


def _entry_id(entry: dict[str, Any]) -> str:
    return entry.get("id") or entry["name"]


def _example(raw: str | dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """An example as {name, known, imitates, how}; see the header of lookalike.yaml."""
    example = {"name": raw} if isinstance(raw, str) else dict(raw)
    known = example.get("known", [])
    example["known"] = [known] if isinstance(known, str) else list(known)
    if "imitates" not in example:
        if "name" in entry and "id" not in entry:  # a built-in entry
            example["imitates"] = entry["name"]
        elif len(example["known"]) == 1:
            example["imitates"] = example["known"][0]
    return example


def _cases(side: str) -> list[Any]:
    cases = []
    for section in SECTIONS:
        for entry in DATA[section]:
            for i, raw in enumerate(entry.get(side, [])):
                example = _example(raw, entry)
                case_id = f"{section}:{_entry_id(entry)}:{i}:{example['name']!r}"
                cases.append(pytest.param(example, id=case_id))
    return cases


@pytest.mark.parametrize("example", _cases("match"))
def test_match_examples_are_imitations(example: dict[str, Any]) -> None:
    found = imitation(example["name"], example["known"])
    assert found is not None, example
    assert found.imitated == example["imitates"]
    assert found.builtin == (example["imitates"] not in example["known"])
    if "how" in example:
        assert found.how == example["how"]


@pytest.mark.parametrize("example", _cases("no_match"))
def test_no_match_examples_are_not_imitations(example: dict[str, Any]) -> None:
    assert imitation(example["name"], example["known"]) is None


def test_every_entry_has_examples_on_both_sides() -> None:
    missing = [
        (section, _entry_id(entry), side)
        for section in SECTIONS
        for entry in DATA[section]
        for side in ("match", "no_match")
        if not entry.get(side)
    ]
    assert missing == []


def test_homoglyph_maps_are_single_characters_to_latin_letters() -> None:
    offenders = [
        (group["id"], char, letters)
        for group in DATA["homoglyphs"]
        for char, letters in group["map"].items()
        if not (
            isinstance(char, str)
            and len(char) == 1
            and isinstance(letters, str)
            and letters
            and all("a" <= c <= "z" for c in letters)
        )
    ]
    assert offenders == []


def test_knowledge_versions_list_the_file() -> None:
    assert knowledge.versions()["lookalike"] >= 1


# --- the judgment calls of issue 3, stated as behaviour ---------------------------------


@pytest.mark.parametrize(
    ("name", "imitated", "how"),
    [
        ("Adminstrator", "Administrator", "one letter removed ('i')"),
        ("Administrat0r", "Administrator", "digit 0 for letter o"),
        ("\u0410dministrator", "Administrator", "Cyrillic 'А' for Latin 'A'"),
        ("administrator$", "Administrator", "trailing $ added"),
        ("Administrator1", "Administrator", "one digit added ('1')"),
        ("Administrators", "Administrator", "one letter added ('s')"),
        ("krbtgt1", "krbtgt", "one digit added ('1')"),
        ("WDAGUtiIityAccount", "WDAGUtilityAccount", "capital I for lowercase l"),
        ("Guests", "Guest", "one letter added ('s')"),
    ],
)
def test_builtin_imitations(name: str, imitated: str, how: str) -> None:
    assert imitation(name) == Imitation(imitated=imitated, how=how, builtin=True)


@pytest.mark.parametrize(
    "name", ["admin", "elie", "svc_backup", "jdoe", "asmith", "backup", "Administrator"]
)
def test_ordinary_names_beside_the_builtins(name: str) -> None:
    assert imitation(name) is None


def test_a_digit_added_to_a_seen_user_is_a_second_account_not_an_imitation() -> None:
    assert imitation("jsmith2", ["jsmith"]) is None
    assert imitation("jsmith$", ["jsmith"]) == Imitation("jsmith", "trailing $ added", False)


def test_the_new_accounts_own_name_among_the_known_is_not_an_imitation() -> None:
    # The caller may pass every name of the telemetry, the new account's included.
    assert imitation("jsmiht", ["jsmiht", "JSMIHT", "elie"]) is None
    assert imitation("jsmiht", ["jsmiht", "jsmith"]) == Imitation(
        "jsmith", "letters swapped ('ht' for 'th')", False
    )


def test_a_seen_spelling_of_a_builtin_is_that_builtin() -> None:
    found = imitation("Adminstrator", ["ADMINISTRATOR", "administrator"])
    assert found == Imitation("Administrator", "one letter removed ('i')", True)


def test_domain_prefixes_are_set_aside() -> None:
    assert imitation("CORP\\jsmіth", ["CORP\\jsmith"]) == Imitation(
        "jsmith", "Cyrillic 'і' for Latin 'i'", False
    )
    assert imitation("WS01\\Administrator") is None


def test_the_closest_imitation_wins_and_the_answer_does_not_depend_on_order() -> None:
    known = ["jsmitth", "jsmith", "jsmiht"]
    found = imitation("jsmіth", known)  # Cyrillic і: a look-alike of jsmith, one edit from others
    assert found == Imitation("jsmith", "Cyrillic 'і' for Latin 'i'", False)
    assert imitation("jsmіth", list(reversed(known))) == found
    # Case only beside a localised built-in beats one accent away from the English one.
    assert imitation("administratör") == Imitation("Administratör", "case only", True)


@pytest.mark.parametrize("name", ["", "$", "\u200b", " "])
def test_empty_names_are_not_imitations(name: str) -> None:
    assert imitation(name, ["jsmith", name]) is None


# A directory as organisations name people and services: initial + surname, numbered
# series, second accounts, service accounts, computers. None of it imitates the rest.
_SURNAMES = (
    "smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez "
    "lopez wilson anderson thomas taylor moore jackson martin lee perez thompson white "
    "harris sanchez clark ramirez lewis robinson walker young allen king wright scott "
    "torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell "
    "carter roberts johnston woods wood gray ray price rice kelly kelley berry perry "
    "fernandez gonzales gonzalez rose ross andersen petersen peterson olsen olson"
).split()
DIRECTORY = sorted(
    {i + s for s in _SURNAMES for i in "ajmst"}
    | {f"{i}{s}2" for s in _SURNAMES[:10] for i in "js"}
    | {f"student{n:02}" for n in range(1, 31)}
    | {f"svc_{s}" for s in "backup sql web iis exchange print scan veeam sccm adfs".split()}
    | {f"WS{n:03}$" for n in range(1, 60)}
    | {"elie", "backup", "admin", "it-admin", "helpdesk", "helpdesk1", "kiosk", "scanner"}
    | {"toto3", "hacking-local-acct", "admin-kriss", "support_tmp", "jdoe", "pgustavo"}
)


def test_an_ordinary_directory_imitates_nothing() -> None:
    flagged = {n: imitation(n, DIRECTORY) for n in DIRECTORY}
    assert {n: f for n, f in flagged.items() if f} == {}


def test_an_imitation_hides_in_an_ordinary_directory() -> None:
    for name, imitated in [
        ("jsmіth", "jsmith"),
        ("mjonse", "mjones"),
        ("svc_bakcup", "svc_backup"),
    ]:
        found = imitation(name, DIRECTORY)
        assert found is not None and found.imitated == imitated, name


def test_a_few_thousand_known_names_take_milliseconds() -> None:
    known = [f"{n}{i}" for n in DIRECTORY for i in ("", "x", "_a")][:3000]
    imitation("warmup", known)
    start = time.perf_counter()
    for name in ("jsmіth", "Adminstrator", "newuser", "mjonse", "student31"):
        imitation(name, known)
    per_call = (time.perf_counter() - start) / 5
    assert per_call < 0.25, f"{per_call * 1000:.0f} ms per call"


# The quick pre-filter may only discard names the rule itself would not find alike.
_LETTERS = "abeilmnorstuvw01IOSW$\u0430\u0456\u043e\u03bf\u0399\u200b"


@st.composite
def _pairs(draw: st.DrawFn) -> tuple[str, str]:
    known = draw(st.text(alphabet=_LETTERS, min_size=1, max_size=9))
    new = list(known)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(new)))
        action = draw(st.sampled_from(["change", "add", "remove", "swap"]))
        letter = draw(st.sampled_from(_LETTERS))
        if action == "change" and at < len(new):
            new[at] = letter
        elif action == "add":
            new.insert(at, letter)
        elif action == "remove" and at < len(new):
            del new[at]
        elif action == "swap" and at + 1 < len(new):
            new[at], new[at + 1] = new[at + 1], new[at]
    return "".join(new), known


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pairs(), st.booleans())
def test_the_prefilter_keeps_every_name_the_rule_finds_alike(
    pair: tuple[str, str], builtin: bool
) -> None:
    new, known = (lookalike._form(n) for n in pair)
    if lookalike._compare(new, known, builtin) is not None:
        assert any(lookalike._near(a, b) for a, b in zip(new.coarse, known.coarse, strict=True))
