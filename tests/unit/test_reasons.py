"""The reason-code registry (knowledge/reasons.yaml) is the only source of codes, titles and
weights: every code any module can emit is in it, and the docs show it as it is."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import acctrace
from acctrace.assess.reasons import bands, markdown_table, reason, registry, score_of, severity_of
from acctrace.findings import Reason

PACKAGE = Path(acctrace.__file__).parent
DOCS = PACKAGE.parent / "docs" / "findings.md"


def _emitted_codes() -> tuple[set[str], list[str]]:
    """Codes passed as literals to `reason(...)` (or the verdict's `add(...)`, which wraps
    it) anywhere in the package, and every place a reason is made some other way."""
    codes: set[str] = set()
    offenders: list[str] = []
    for path in sorted(set(PACKAGE.rglob("*.py")) - {PACKAGE / "assess" / "reasons.py"}):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            if node.func.id == "Reason":
                offenders.append(f"{where}: Reason(...) made directly; use reason(code, text)")
            elif node.func.id in ("reason", "add") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    codes.add(first.value)
                elif node.func.id == "reason" and not _wraps(path, first):
                    offenders.append(f"{where}: reason code is not a literal")
    return codes, offenders


def _wraps(path: Path, first: ast.expr) -> bool:
    """The verdict's `add = lambda code, text: ...reason(code, text)`: codes come from its calls."""
    return path.name == "verdict.py" and isinstance(first, ast.Name) and first.id == "code"


def test_every_code_a_module_can_emit_is_registered() -> None:
    codes, offenders = _emitted_codes()
    assert offenders == []
    assert len(codes) > 20, "the scan found too few reasons: has reason() been renamed?"
    assert sorted(codes - set(registry())) == []


def test_every_registered_code_is_emitted_somewhere() -> None:
    codes, _ = _emitted_codes()
    assert sorted(set(registry()) - codes) == [], "registered codes no module emits"


def test_an_unregistered_code_is_refused() -> None:
    with pytest.raises(KeyError, match=r"knowledge/reasons\.yaml"):
        reason("made_up", "text")


def test_docs_show_the_registry() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    assert markdown_table() in docs, (
        "docs/findings.md's reason table differs from knowledge/reasons.yaml; paste this:\n"
        + markdown_table()
    )


def test_bands_cover_every_score_once() -> None:
    owners = [[s for s, (low, high) in bands().items() if low <= n <= high] for n in range(101)]
    assert all(len(o) == 1 for o in owners)
    order = [severity_of(n) for n in range(101)]
    assert order == sorted(order, key=["info", "low", "medium", "high", "critical"].index)


def test_a_ceiling_lowers_the_score_into_its_band() -> None:
    """The severity follows the score: a known benign account with heavy reasons is at the
    top of `low`, never `[LOW 75]` beside a `[MEDIUM 55]`."""
    heavy = [Reason(code=c, text="") for c in ("hidden_name", "privileged_group", "short_lived")]
    assert severity_of(score_of(heavy)) in ("high", "critical")
    benign = score_of([*heavy, Reason(code="known_benign", text="")])
    assert benign == bands()["low"][1]
    assert score_of([*heavy, Reason(code="approved", text="")]) == bands()["info"][1]


def test_docs_show_the_bands() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for severity, (low, high) in bands().items():
        assert f"| {severity} | {low}–{high} |" in docs
