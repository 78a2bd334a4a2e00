"""Whether a new account's name imitates a built-in or a known account (ATT&CK AN1077).

The rule is explained in docs/lookalike.md; its data and thresholds are in
knowledge/lookalike.yaml. Two names are alike when each character of one can be read as
the character of the other in the same place (look-alike characters, case, a trailing `$`
or an invisible character set aside), or when one edit (a letter changed, added, removed,
or two swapped) separates them and the imitated name has at least five characters. The
differences organisations make every day are not imitations: case beside an account seen
in the telemetry, a digit beside one, the first letter, surname variants (only swaps,
doubled letters and similar letters count beside a seen account).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from acctrace import knowledge


@dataclass(frozen=True)
class Imitation:
    imitated: str  # the account name it imitates, as known ("Administrator", "jsmith")
    how: str  # one short phrase: "Cyrillic 'а' for Latin 'a'", "case only", ...
    builtin: bool  # imitates a built-in account rather than one seen in the telemetry


def imitation(name: str, known_accounts: Iterable[str] = ()) -> Imitation | None:
    """Whether a newly created account name imitates a built-in or a known account."""
    new = _form(name)
    if not new.tokens or new.raw in _builtin_names():
        return None  # nothing to compare, or the built-in itself (logged at setup)
    best: tuple[tuple, Imitation] | None = None
    for candidate, builtin in _candidates(known_accounts):
        if candidate == new.raw:
            continue  # the same account
        known = _form(candidate)
        if not (_near(new.coarse[0], known.coarse[0]) or _near(new.coarse[1], known.coarse[1])):
            continue
        found = _compare(new, known, builtin)
        if found is None:
            continue
        (kind, differences), how = found
        rank = (kind, differences, not builtin, candidate.casefold(), candidate)
        if best is None or rank < best[0]:
            best = (rank, Imitation(imitated=candidate, how=how, builtin=builtin))
    return best[1] if best else None


# --- the names to compare with ----------------------------------------------------------


def _candidates(known_accounts: Iterable[str]) -> Iterable[tuple[str, bool]]:
    builtins = _builtin_names()
    yield from ((b, True) for b in builtins)
    folded_builtins = {b.casefold() for b in builtins}
    seen: set[str] = set()
    for known in known_accounts:
        if not known:
            continue
        known = known.rsplit("\\", 1)[-1]  # DOMAIN\name: `\` cannot occur in an account name
        # A seen spelling of a built-in is that built-in, compared as one.
        if known in seen or known.casefold() in folded_builtins:
            continue
        seen.add(known)
        yield known, False


# --- characters: what each one reads as -------------------------------------------------


@dataclass(frozen=True)
class _Token:
    raw: str  # as written: one character, or a letter pair such as "rn"
    reads: frozenset[str]  # the casefolded letters it can be read as


@dataclass(frozen=True)
class _Form:
    raw: str
    chars: tuple[_Token, ...]  # one token per visible character, marks set aside
    tokens: tuple[_Token, ...]  # the same with letter pairs ("rn") read as one letter
    marks: frozenset[str]  # "trailing $", "space at either end", "invisible character U+200B"
    folded: str  # the visible characters casefolded
    coarse: tuple[str, str]  # tokens and chars, one class letter each: a quick pre-filter


@lru_cache(maxsize=65536)
def _form(name: str) -> _Form:
    raw = name.rsplit("\\", 1)[-1]
    marks: set[str] = set()
    visible = []
    for c in raw:
        if unicodedata.category(c) == "Cf":  # zero-width, direction marks: print as nothing
            marks.add(f"invisible character U+{ord(c):04X}")
        else:
            visible.append(c)
    text = "".join(visible)
    if text != text.strip():
        marks.add("space at either end")
        text = text.strip()
    if text.endswith("$"):
        marks.add("trailing $")
        text = text[:-1]
    chars: list[_Token] = []
    for c in text:
        reads = _reads(c)
        if not reads and chars:  # a lone combining mark belongs to the letter before it
            chars[-1] = _Token(chars[-1].raw + c, chars[-1].reads)
        elif reads:
            chars.append(_Token(c, reads))
    tokens = _merge_sequences(chars)
    return _Form(
        raw=raw,
        chars=tuple(chars),
        tokens=tokens,
        marks=frozenset(marks),
        folded=text.casefold(),
        coarse=(_coarse(tokens), _coarse(chars)),
    )


def _coarse(tokens: Iterable[_Token]) -> str:
    """One letter per token, the same for all letters a look-alike could join (i and l...).

    Two names the rule finds alike are at most one edit apart in this form, so comparing
    it with string operations discards most candidates before the comparison proper.
    """
    classes = _classes()
    letters = (min(t.reads) for t in tokens)
    return "".join(classes.get(c, c if len(c) == 1 else "\ufffd") for c in letters)


def _near(a: str, b: str) -> bool:
    """Whether two coarse forms are equal or one edit (change, add, remove, swap) apart."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < la and i < lb and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True  # one changed
        return a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1]  # swapped
    return a[i + 1 :] == b[i:] if la > lb else a[i:] == b[i + 1 :]


@lru_cache(maxsize=4096)
def _reads(c: str) -> frozenset[str]:
    table = _homoglyphs()
    for key in (c, c.casefold()):
        if key in table:
            return table[key]
    plain = unicodedata.normalize("NFKC", c)  # fullwidth, mathematical, ligatures
    if plain != c and len(plain) == 1 and plain in table:
        return table[plain]
    base = "".join(
        ch for ch in unicodedata.normalize("NFD", plain) if not unicodedata.combining(ch)
    )
    if not base:
        return frozenset()
    for key in (base, base.casefold()):
        if key in table:
            return table[key]
    return frozenset({base.casefold()})


def _merge_sequences(chars: list[_Token]) -> tuple[_Token, ...]:
    sequences = _sequences()
    out: list[_Token] = []
    i = 0
    while i < len(chars):
        pair = "".join(t.raw for t in chars[i : i + 2]).casefold()
        if i + 1 < len(chars) and pair in sequences:
            out.append(_Token(chars[i].raw + chars[i + 1].raw, sequences[pair]))
            i += 2
        else:
            out.append(chars[i])
            i += 1
    return tuple(out)


def _same(a: _Token, b: _Token) -> bool:
    return not a.reads.isdisjoint(b.reads)


# --- comparing two names ----------------------------------------------------------------

_CASE_OR_MARKS, _LOOK_ALIKE, _ONE_EDIT = 0, 1, 2


def _compare(new: _Form, known: _Form, builtin: bool) -> tuple[tuple[int, int], str] | None:
    """(kind, number of differences) and the phrase, or None when the names are not alike."""
    if not known.tokens or (
        abs(len(new.chars) - len(known.chars)) > 1 and abs(len(new.tokens) - len(known.tokens)) > 1
    ):
        return None
    marks = _marks_phrase(new, known)
    if new.folded == known.folded:
        if marks:
            return (_CASE_OR_MARKS, 0), marks
        # Case only: the same name to Windows, unless the name is a built-in's.
        return ((_CASE_OR_MARKS, 0), "case only") if _rule("case_only")[_side(builtin)] else None

    for new_tokens, known_tokens in ((new.tokens, known.tokens), (new.chars, known.chars)):
        if len(new_tokens) == len(known_tokens) and all(
            _same(a, b) for a, b in zip(new_tokens, known_tokens, strict=True)
        ):
            pairs = _differing_pairs(new_tokens, known_tokens)
            return (_LOOK_ALIKE, len(pairs)), _join(_pairs_phrase(pairs), marks)

    if len(known.chars) < _rule("min_known_length"):
        return None
    for new_tokens, known_tokens in ((new.tokens, known.tokens), (new.chars, known.chars)):
        edit = _one_edit(new_tokens, known_tokens)
        if edit is not None:
            if not _edit_counts(edit, builtin):
                return None
            phrase = _join(_edit_phrase(edit), _pairs_phrase(edit.aligned), marks)
            return (_ONE_EDIT, 1 + len(edit.aligned)), phrase
    return None


def _side(builtin: bool) -> str:
    return "builtin" if builtin else "seen"


@dataclass(frozen=True)
class _Edit:
    kind: str  # changed, added, removed, swapped
    at: int  # position in the new name
    new: str  # the characters as written in the new name ("" when removed)
    known: str  # the characters in the known name ("" when added)
    aligned: tuple[tuple[_Token, _Token], ...]  # other pairs that differ as look-alikes
    doubled: bool = False  # the letter added or removed repeats its neighbour


def _one_edit(x: tuple[_Token, ...], y: tuple[_Token, ...]) -> _Edit | None:
    """The single edit (Damerau-Levenshtein distance 1) that turns y into x, if there is one."""
    n, m = len(x), len(y)
    if n == m:
        diffs = [i for i in range(n) if not _same(x[i], y[i])]
        if len(diffs) == 1:
            i = diffs[0]
            return _Edit("changed", i, x[i].raw, y[i].raw, _differing_pairs(x, y, frozenset({i})))
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1:
            i = diffs[0]
            if _same(x[i], y[i + 1]) and _same(x[i + 1], y[i]):
                pairs = _differing_pairs(x, y, frozenset({i, i + 1}))
                return _Edit("swapped", i, x[i].raw + x[i + 1].raw, y[i].raw + y[i + 1].raw, pairs)
        return None
    if abs(n - m) != 1:
        return None
    longer, shorter = (x, y) if n > m else (y, x)
    i = next((k for k in range(len(shorter)) if not _same(longer[k], shorter[k])), len(shorter))
    if not all(_same(longer[k + 1], shorter[k]) for k in range(i, len(shorter))):
        return None
    rest = tuple(zip(longer[:i] + longer[i + 1 :], shorter, strict=True))
    pairs = tuple(
        (a, b) if n > m else (b, a) for a, b in rest if a.raw.casefold() != b.raw.casefold()
    )
    letter = longer[i].raw.casefold()
    doubled = any(
        longer[k].raw.casefold() == letter for k in (i - 1, i + 1) if 0 <= k < len(longer)
    )
    if n > m:
        return _Edit("added", i, longer[i].raw, "", pairs, doubled)
    return _Edit("removed", i, "", longer[i].raw, pairs, doubled)


def _edit_counts(edit: _Edit, builtin: bool) -> bool:
    """Whether this edit makes an imitation, or is an ordinary difference between names."""
    if edit.at == 0 and not _rule("first_character_edits"):
        return False
    digits_only = all(c.isdigit() for c in edit.new + edit.known)
    if digits_only and not _rule("digit_edits")[_side(builtin)]:
        return False
    kinds = {edit.kind}
    if edit.kind == "changed" and _similar(edit.new, edit.known):
        kinds.add("similar")
    if edit.doubled:
        kinds.add("doubled")
    return not kinds.isdisjoint(_rule("one_edit")[_side(builtin)])


def _similar(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    return any(a in group and b in group for group in _rule("similar_letters"))


def _differing_pairs(
    x: tuple[_Token, ...], y: tuple[_Token, ...], skip: frozenset[int] = frozenset()
) -> tuple[tuple[_Token, _Token], ...]:
    """Aligned pairs written differently beyond case (the look-alike characters)."""
    return tuple(
        (a, b)
        for i, (a, b) in enumerate(zip(x, y, strict=True))
        if i not in skip and a.raw.casefold() != b.raw.casefold()
    )


# --- phrases ----------------------------------------------------------------------------


def _join(*parts: str) -> str:
    return ", ".join(p for p in parts if p)


def _marks_phrase(new: _Form, known: _Form) -> str:
    added = [f"{m} added" for m in sorted(new.marks - known.marks)]
    removed = [f"{m} removed" for m in sorted(known.marks - new.marks)]
    return ", ".join(added + removed)


def _pairs_phrase(pairs: tuple[tuple[_Token, _Token], ...]) -> str:
    if not pairs:
        return ""
    a, b = pairs[0]
    phrase = f"{_describe(a.raw, b.raw)} for {_describe(b.raw, a.raw)}"
    more = len(pairs) - 1
    return phrase + (f" (and {more} more look-alike{'s' if more > 1 else ''})" if more else "")


def _edit_phrase(edit: _Edit) -> str:
    if edit.kind == "swapped":
        return f"letters swapped ('{edit.new}' for '{edit.known}')"
    if edit.kind == "changed":
        if edit.new.isdigit() and edit.known.isalpha():
            return f"digit {edit.new} for letter {edit.known}"
        return f"one {_what(edit.new + edit.known)} changed ('{edit.new}' for '{edit.known}')"
    c = edit.new or edit.known
    return f"one {_what(c)} {edit.kind} ('{c}')"


def _what(chars: str) -> str:
    if chars.isdigit():
        return "digit"
    return "letter" if chars.isalpha() else "character"


def _describe(c: str, other: str) -> str:
    """How to name a character beside the one it stands for or is replaced by."""
    if len(c) > 1 or len(other) > 1:
        return f"'{c}'"
    if c.isascii():
        if c.isdigit():
            return f"digit {c}"
        if other.isascii():
            if other.isdigit():
                return f"letter {c}"
            return f"capital {c}" if c.isupper() else f"lowercase {c}"
        return f"Latin '{c}'" if _script(other) != "Latin" else _case_word(c)
    script = _script(c)
    if script == "Latin":
        plain = unicodedata.normalize("NFD", c)
        return f"accented '{c}'" if len(plain) > 1 else f"look-alike '{c}'"
    return f"{script} '{c}'"


def _case_word(c: str) -> str:
    return f"capital {c}" if c.isupper() else f"lowercase {c}"


def _script(c: str) -> str:
    """The first word of the character's Unicode name: Cyrillic, Greek, Fullwidth, Latin..."""
    word = unicodedata.name(c, "other").split()[0]
    return word.capitalize() if word != "LATIN" else "Latin"


# --- knowledge --------------------------------------------------------------------------


@cache
def _builtin_names() -> tuple[str, ...]:
    return tuple(e["name"] for e in knowledge.load("lookalike")["builtins"])


@cache
def _homoglyphs() -> dict[str, frozenset[str]]:
    table: dict[str, frozenset[str]] = {}
    for group in knowledge.load("lookalike")["homoglyphs"]:
        for char, letters in group["map"].items():
            if not (isinstance(char, str) and len(char) == 1 and isinstance(letters, str)):
                raise ValueError(
                    f"knowledge/lookalike.yaml homoglyphs {group['id']}: "
                    f"{char!r}: {letters!r} is not one character mapped to letters"
                )
            table[char] = frozenset(letters)
    return table


@cache
def _classes() -> dict[str, str]:
    """Each letter a look-alike reads as, to one letter standing for all it can be taken for.

    Capital I reads as i or l, so i and l become one class; letters in no look-alike set
    stand for themselves.
    """
    parent: dict[str, str] = {}

    def root(c: str) -> str:
        while parent.setdefault(c, c) != c:
            c = parent[c]
        return c

    for letters in [*_homoglyphs().values(), *_sequences().values()]:
        first, *rest = sorted(letters)
        for other in rest:
            parent[root(other)] = root(first)
    return {c: root(c) for c in list(parent)}


@cache
def _sequences() -> dict[str, frozenset[str]]:
    return {
        e["letters"]: frozenset(e["looks_like"]) for e in knowledge.load("lookalike")["sequences"]
    }


@cache
def _rules() -> dict[str, Any]:
    return {e["id"]: e.get("value") for e in knowledge.load("lookalike")["rules"]}


def _rule(rule_id: str) -> Any:
    return _rules()[rule_id]
