"""The Markdown report carries the HTML report's content, with logged strings inert."""

from __future__ import annotations

import io
from pathlib import Path

from acctrace.findings import HuntResult
from acctrace.pipeline import HuntOptions, run
from acctrace.report import markdown
from tests.report.conftest import HOSTILE_NAME, by_name


def render(result: HuntResult) -> str:
    out = io.StringIO()
    markdown.render(result, out)
    return out.getvalue()


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks (inside them everything is literal)."""
    prose, fence = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if fence is None and stripped.startswith("```"):
            fence = stripped[: len(stripped) - len(stripped.lstrip("`"))]
        elif fence is not None and stripped == fence:
            fence = None
        elif fence is None:
            prose.append(line)
    return prose


def test_every_case_with_lineage_timeline_checklist_and_evidence(demo_result: HuntResult) -> None:
    text = render(demo_result)
    assert text.count("\n### ") == len(demo_result.findings) + 2  # + glance + what was read
    backdoor = by_name(demo_result, "backdoor")
    section = text.split(f"`{backdoor.id}`, created")[1].split("\n### ")[0]
    assert "net1.exe" in section and "psexesvc.exe" in section
    assert "Account Created" in section and "Group Member Added" in section
    assert "Disable-LocalUser -Name 'backdoor'" in section
    assert backdoor.sources[0].sha256 in section


def test_logged_strings_cannot_become_markup(hostile_result: HuntResult) -> None:
    text = render(hostile_result)
    assert not any("<img" in line or "<script>" in line for line in prose_lines(text))
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    finding = by_name(hostile_result, HOSTILE_NAME)
    assert f"`{finding.id}`" in text


def test_code_blocks_outlast_backticks_and_show_control_characters() -> None:
    block = markdown.code_block("a ``` b\nc")
    assert block.startswith("````\n") and block.endswith("\n````")
    assert "\\x0a" in block
    assert markdown.text("*bold* [x](javascript:1)") == "\\*bold\\* \\[x\\](javascript:1)"


def test_real_logs(shared_data: Path) -> None:
    result = run([shared_data / "evtx" / "mdecrevoisier"], HuntOptions())
    text = render(result)
    for name in ("toto3", "hacking-local-acct", "admin-kriss"):
        assert name in text
    assert "FAKE-COMPUTER$" in text.replace("\\$", "$")


def test_findings_table_first_linking_each_case_with_its_headline(
    demo_result: HuntResult,
) -> None:
    text = render(demo_result)
    table = text.index("### Findings, most severe first")
    assert table < text.index("## Cases, most severe first")
    for f in demo_result.findings:
        link = f"](#case-{f.id})"
        assert link in text and f'<a id="case-{f.id}"></a>' in text
        assert text.index(link) < text.index(f'<a id="case-{f.id}"></a>')
    svc = by_name(demo_result, "svc_update")
    case = text.split(f'<a id="case-{svc.id}"></a>', 1)[1]
    assert "CORP\\\\alice on WS01.corp.local" in case.split("####", 1)[0]  # escaped backslash
