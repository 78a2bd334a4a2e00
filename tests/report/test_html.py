"""The HTML report: every case, most severe first, attacker strings inert, checklists specific."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from pathlib import Path

from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.findings import SEVERITY_ORDER, HuntResult
from acctrace.pipeline import HuntOptions, run
from acctrace.report import html
from acctrace.report.casefile import checklist, ps_quote
from tests.report.conftest import HOSTILE_NAME, by_name

MDEC = "evtx/mdecrevoisier"


def page(result: HuntResult) -> str:
    out = io.StringIO()
    html.render(result, out)
    return out.getvalue()


def case_ids(text: str) -> list[str]:
    return re.findall(r'<article class="case [a-z]+" id="case-([0-9a-f]+)"', text)


def test_every_finding_is_a_case_most_severe_first(demo_result: HuntResult) -> None:
    text = page(demo_result)
    ids = case_ids(text)
    assert sorted(ids) == sorted(f.id for f in demo_result.findings) and len(ids) == 7
    severities = [next(f for f in demo_result.findings if f.id == i).verdict.severity for i in ids]
    ranks = [-SEVERITY_ORDER[s] for s in severities]
    assert ranks == sorted(ranks)
    assert 'href="#case-' + ids[0] + '"' in text  # the contents link to each case


def test_logged_strings_are_text_never_markup(hostile_result: HuntResult) -> None:
    text = page(hostile_result)
    finding = by_name(hostile_result, HOSTILE_NAME)
    assert f'id="case-{finding.id}"' in text
    assert "<img" not in text and "onerror=alert(1)>" not in text.replace("&gt;", "")
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "</script><script>" not in text
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in text
    assert text.count("<script>") == 1 and text.count("</script>") == 1


def test_only_its_own_inline_style_and_script_may_apply(demo_result: HuntResult) -> None:
    text = page(demo_result)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1)
    csp = csp.replace("&#39;", "'")
    assert csp.startswith("default-src 'none';")
    style = re.search(r"<style>(.*?)</style>", text, re.S).group(1)
    script = re.search(r"<script>(.*?)</script>", text, re.S).group(1)
    for content in (style, script):
        digest = base64.b64encode(hashlib.sha256(content.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", text)  # nothing to fetch
    assert "@import" not in style and "url(" not in style


def test_checklists_name_the_account_host_and_groups(demo_result: HuntResult) -> None:
    backdoor = checklist(by_name(demo_result, "backdoor"))
    commands = {c.text: c.where for c in backdoor.commands}
    assert commands["Disable-LocalUser -Name 'backdoor'"] == "WS01.corp.local"
    assert "Remove-LocalGroupMember -Group 'Administrators' -Member 'backdoor'" in commands

    jdoe = by_name(demo_result, "jdoe")
    texts = [c.text for c in checklist(jdoe).commands]
    assert texts == [f"Disable-ADAccount -Identity '{jdoe.account.sid}'"]

    hidden = checklist(by_name(demo_result, "adm1n$"))  # deleted: nothing left to disable
    assert not any("Disable" in c.text or "Remove-" in c.text for c in hidden.commands)
    assert any("deleted" in n for n in hidden.notes)

    support = checklist(by_name(demo_result, "support_tmp"))
    assert any("'Remote Desktop Users'" in c.text for c in support.commands)


def test_powershell_quoting_cannot_be_broken_out_of() -> None:
    assert ps_quote("O'Brien") == "'O''Brien'"
    assert (
        ps_quote("x\u2019; Remove-Item C:\\ -Recurse #")
        == "'x\u2019\u2019; Remove-Item C:\\ -Recurse #'"
    )
    assert ps_quote("$(calc)") == "'$(calc)'"


def test_real_logs_report_every_account_with_its_evidence(shared_data: Path) -> None:
    result = run([shared_data / MDEC], HuntOptions())
    text = page(result)
    assert len(case_ids(text)) == 4
    for name in ("toto3", "hacking-local-acct", "admin-kriss", "FAKE-COMPUTER$"):
        assert name in text
    toto3 = by_name(result, "toto3")
    assert toto3.sources[0].sha256 in text
    assert "net1.exe" in text and "[redacted] /add" in text
    assert "no_process_telemetry" in text  # hacking-local-acct: unknown, and why


def test_report_command_renders_saved_findings_without_the_logs(
    demo_dir: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "findings.jsonl"
    hunted = CliRunner().invoke(cli, ["hunt", str(demo_dir), "--json"])
    saved.write_text(hunted.stdout)
    from_logs, from_saved = tmp_path / "logs.html", tmp_path / "saved.html"
    assert CliRunner().invoke(cli, ["report", str(demo_dir), "-o", str(from_logs)]).exit_code == 0
    result = CliRunner().invoke(cli, ["report", str(saved), "-o", str(from_saved)])
    assert result.exit_code == 0, result.output
    saved_text = from_saved.read_text()
    assert case_ids(saved_text) == case_ids(from_logs.read_text())
    assert "not re-analysed" in saved_text


def test_report_without_logs_or_findings_exits_1(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing")
    result = CliRunner().invoke(cli, ["report", str(tmp_path), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 1 and "no readable event log" in result.stderr


def test_the_who_names_the_remote_user_behind_a_service(demo_result: HuntResult) -> None:
    """svc_update was made by SYSTEM through a service alice installed from WS01: the case
    names her and WS01, never "this host"."""
    svc = by_name(demo_result, "svc_update")
    article = page(demo_result).split(f'id="case-{svc.id}"', 1)[1].split("</article>", 1)[0]
    came_from = re.search(r"<dt>Came from</dt><dd>([^<]*)</dd>", article)
    assert came_from and came_from.group(1).startswith("CORP\\alice on WS01.corp.local")
    headline = re.search(r'<p class="headline">([^<]*)</p>', article)
    assert headline and "CORP\\alice on WS01.corp.local" in headline.group(1)


def test_findings_table_first_and_readiness_grouped(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "real.html"
    CliRunner().invoke(cli, ["report", str(shared_data / "evtx"), "-o", str(out)])
    text = out.read_text(encoding="utf-8")
    places = [text.index(f'<section id="{s}"') for s in ("findings", "cases", "readiness")]
    assert places == sorted(places)
    rows = re.findall(r"<tr><td><strong>(\d+)</strong>: ", text.split('id="readiness"')[1])
    table_rows = len(re.findall(r"<tr data-rank=", text))
    assert rows and sum(map(int, rows)) > len(rows)  # hosts with the same gaps share a row
    assert table_rows == 10  # one findings-table row per finding
