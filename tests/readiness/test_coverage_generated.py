"""Coverage of generated logs, where every fact is known: what each host keeps, and
tampering (a cleared log, deleted records, silences) added on purpose."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.readiness import coverage, text
from acctrace.readiness.report import CoverageReport, HostCoverage
from acctrace.scenario.events import Event
from acctrace.scenario.history import DC01, routine
from acctrace.scenario.writers import write


def host(report: CoverageReport, key: str) -> HostCoverage:
    return next(h for h in report.hosts if h.host == key)


def status(h: HostCoverage, key: str) -> str:
    return next(t.status for t in h.telemetry if t.key == key)


def test_each_host_shows_what_it_keeps(past_coverage: CoverageReport) -> None:
    report = past_coverage
    dc = host(report, "dc01")
    assert status(dc, "account_management") == "evidenced"
    assert status(dc, "process_4688") == "evidenced"
    assert status(dc, "sysmon_1") == "unknown"  # DC01 ships no Sysmon log at all
    assert status(dc, "powershell_4104") == "unknown"
    idm = host(report, "idm01")
    assert status(idm, "sysmon_1") == "evidenced" and status(idm, "sysmon_3") == "evidenced"
    # weeks of IDM01's Security log and never an account event: absent, not unknown
    assert status(idm, "account_management") == "absent"
    assert idm.verdict == "blind"
    methods = {m.key: m.readiness for m in dc.methods}
    assert methods["net_user"] == "ready"
    assert methods["remote"] == "ready"
    assert methods["powershell"] == "partial"  # no script block logging
    assert dc.verdict == "partial"
    fixes = [f.setting for f in report.fixes]
    assert any("script block logging" in f for f in fixes)


def test_silence_over_a_weekend_loses_no_records(past_coverage: CoverageReport) -> None:
    security = next(c for c in host(past_coverage, "dc01").channels)
    assert security.channel == "Security" and security.whole_log
    assert security.records_missing == 0 and security.record_gaps == []
    assert security.silent_gaps and all(g.records_missing == 0 for g in security.silent_gaps)
    assert max(g.hours for g in security.silent_gaps) > 48  # Friday evening to Monday


def _cleared(events: list[Event]) -> Event:
    first = events[0]
    return Event(
        1102,
        "Security",
        "Microsoft-Windows-Eventlog",
        DC01.fqdn,
        first.time_us - 1_000_000,
        first.record_id - 1,
        {"SubjectUserName": "mallory", "SubjectDomainName": "CORP"},
    )


def test_deleted_records_and_a_clear_are_reported(tmp_path: Path) -> None:
    dc = [e for e in routine(weeks=2) if e.computer == DC01.fqdn and e.channel == "Security"]
    middle = len(dc) // 2
    kept = dc[:middle] + dc[middle + 25 :]  # 25 records cut out of the log
    write([_cleared(dc), *kept], tmp_path / "dc01.jsonl", "event-json")
    report = coverage([tmp_path])
    security = next(c for c in host(report, "dc01").channels if c.channel == "Security")
    assert security.records_missing == 25
    gap = security.record_gaps[0]
    assert (gap.after, gap.before, gap.missing) == (
        dc[middle - 1].record_id,
        dc[middle + 25].record_id,
        25,
    )
    clears = host(report, "dc01").clears
    assert [(c.event_id, c.by) for c in clears] == [(1102, "CORP\\mallory")]


def test_duplicate_exports_are_counted_once(tmp_path: Path) -> None:
    dc = [e for e in routine(weeks=1) if e.computer == DC01.fqdn]
    write(dc, tmp_path / "a.jsonl", "event-json")
    write([replace(e) for e in dc], tmp_path / "b.xml", "xml")
    security = host(coverage([tmp_path]), "dc01").channels[0]
    assert security.events == len(dc) and security.duplicates == len(dc)


def test_table_names_each_host_its_verdict_and_the_top_fixes(
    past_coverage: CoverageReport,
) -> None:
    out = io.StringIO()
    text.render(past_coverage, out, detail=True)
    table = out.getvalue()
    assert "== dc01 (DC01.corp.local): PARTIAL" in table
    assert "== idm01 (IDM01.corp.local): BLIND" in table
    assert "Fixes that matter most across the estate" in table
    short = io.StringIO()
    text.render(past_coverage, short)  # without --detail: one group per gap, no host blocks
    assert "== " not in short.getvalue() and "PARTIAL 1 host: DC01.corp.local" in short.getvalue()
    assert "--detail" in short.getvalue()


def test_cli_json_validates_against_the_documented_model(history: dict[str, Path]) -> None:
    result = CliRunner().invoke(cli, ["coverage", str(history["night"]), "--json"])
    assert result.exit_code == 0, result.output
    document = CoverageReport.model_validate(json.loads(result.stdout))
    assert [h.host for h in document.hosts] == ["dc01"]
    assert document.hosts[0].findings == 5


def test_cli_nothing_readable_is_exit_1(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a log")
    result = CliRunner().invoke(cli, ["coverage", str(tmp_path)])
    assert result.exit_code == 1
