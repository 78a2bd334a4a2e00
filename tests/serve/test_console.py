"""The console's work, against a real `acctrace serve`: the table shows what `hunt --db`
finds, filtered and sorted; a review shows everywhere; an approved workflow is previewed,
saved as a versioned policy change, and approves what it previewed; the attestation holds
every account of the period with the ledger's head."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

from acctrace.assess.policy import load_policy
from acctrace.assess.tools import basename
from acctrace.reading import read_inputs, stored_files
from acctrace.scenario.history import intrusion
from acctrace.scenario.writers import write
from acctrace.serve.ledger import Ledger
from acctrace.storage.database import EventDatabase
from tests.serve.conftest import (
    Served,
    csrf_token,
    finding_ids,
    hunted,
    ingest,
    start,
    stop,
)


def _tool(f) -> str:  # type: ignore[no-untyped-def]
    return basename(f.process.image) if f.process else "unknown"


def test_the_table_is_the_hunt_filtered_and_sorted(history_served: Served) -> None:
    client = history_served.logged_in()
    findings = hunted(history_served)
    assert len(findings) > 8
    assert sorted(finding_ids(client.get("/").text)) == sorted(f.id for f in findings)
    by_time = [f.id for f in sorted(findings, key=lambda f: f.time or "")]
    assert finding_ids(client.get("/", params={"sort": "time", "order": "asc"}).text) == by_time
    newest = client.get("/", params={"sort": "time", "order": "desc"}).text
    assert finding_ids(newest) == by_time[::-1]
    net = {f.id for f in findings if _tool(f) == "net1.exe"}
    assert net and set(finding_ids(client.get("/", params={"tool": "net1.exe"}).text)) == net
    critical = {f.id for f in findings if f.verdict.severity == "critical"}
    shown = finding_ids(client.get("/", params={"severity": "critical"}).text)
    assert set(shown) == critical
    hidden = [f for f in findings if f.account.name and f.account.name.endswith("$")]
    assert finding_ids(client.get("/", params={"q": "SVC-SQL$"}).text) == [hidden[0].id]
    day = sorted(f.time for f in findings if f.time)[0][:10]
    first_day = {f.id for f in findings if f.time and f.time.startswith(day)}
    period = client.get("/", params={"since": day, "until": day}).text
    assert set(finding_ids(period)) == first_day and len(first_day) < len(findings)
    reason = findings[0].verdict.reasons[0].code
    with_reason = {f.id for f in findings if reason in {r.code for r in f.verdict.reasons}}
    assert set(finding_ids(client.get("/", params={"reason": reason}).text)) == with_reason


def test_a_review_shows_everywhere(history_served: Served) -> None:
    client = history_served.logged_in()
    finding = next(f for f in hunted(history_served) if f.account.name == "tmp1")
    page = client.get(f"/findings/{finding.id}").text
    assert "Unreviewed" in page and 'id="case-' in page and "Response checklist" in page
    form = {"csrftoken": csrf_token(page), "finding_id": finding.id}
    refused = client.post("/review", data=form | {"disposition": "approved"})
    assert refused.status_code == 400 and "ticket" in refused.text  # approval names a ticket
    review = {"disposition": "malicious_confirmed", "owner": "nobody", "note": "burst at night"}
    assert client.post("/review", data=form | review).status_code == 303
    assert finding_ids(client.get("/", params={"review": "malicious_confirmed"}).text) == [
        finding.id
    ]
    case = client.get(f"/findings/{finding.id}").text
    assert "Malicious, confirmed" in case and "burst at night" in case
    entry = Ledger(history_served.ledger).entries(finding.id)[-1]
    assert entry.before["state"] == "unreviewed"
    assert (
        entry.after["state"] == "malicious_confirmed" and entry.after["review"]["owner"] == "nobody"
    )
    assert re.search(r"The chain holds: \d+ entries", client.get("/ledger").text)
    burst = {f.id for f in hunted(history_served) if f.account.name in ("tmp2", "tmp3", "svc-sql$")}
    session = re.search(r"other accounts? from this session:(.*?)</ul>", case, re.S).group(1)  # type: ignore[union-attr]
    same_session = re.findall(r'href="/findings/(\w+)"', session)
    assert burst <= set(same_session)  # the burst's other accounts, in the same logon session


def test_approve_as_workflow_previews_saves_and_approves(history_served: Served) -> None:
    client = history_served.logged_in()
    findings = hunted(history_served)
    routine = [f for f in findings if _tool(f) == "wsmprovhost.exe"]
    first = min(routine, key=lambda f: f.time or "")
    preview = client.get("/workflow", params={"finding": first.id}).text
    assert set(re.findall(r'<tr data-finding-id="(\w+)"', preview)) == {f.id for f in routine}
    assert "*.*" in preview  # account names of the same shape as first.last
    old_text = history_served.policy.read_text(encoding="utf-8")  # type: ignore[union-attr]
    form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', preview))
    form |= {"csrftoken": csrf_token(preview), "ticket": "CHG-2001"}
    saved = client.post("/workflow", data=form)
    assert saved.status_code == 303, saved.text
    new_text = history_served.policy.read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert new_text.startswith(old_text.rstrip("\n"))  # the file's comments are kept
    kept = list(history_served.policy.with_name("policy.yaml.history").glob("*.yaml"))  # type: ignore[union-attr]
    assert [k.read_text(encoding="utf-8") for k in kept] == [old_text]
    workflow = load_policy(history_served.policy).workflows[-1]  # type: ignore[arg-type]
    assert workflow.ticket == "CHG-2001" and workflow.process_images == ["wsmprovhost.exe"]
    assert workflow.creators == ["group:helpdesk"]  # the policy's group that holds helpdesk1
    approved = finding_ids(client.get("/", params={"review": "workflow"}).text)
    assert set(approved) >= {f.id for f in routine}
    after = {f.id: f for f in hunted(history_served)}  # a later hunt with the policy file
    assert all(after[f.id].approval.workflow == workflow.name for f in routine)  # type: ignore[union-attr]
    assert all(after[f.id].approval is None for f in findings if _tool(f) == "net1.exe")
    entry = Ledger(history_served.ledger).entries(first.id)[-1]
    assert entry.action == "approve_as_workflow"
    assert (entry.before["state"], entry.after["state"]) == ("unreviewed", "workflow")
    assert entry.before["severity"] != "info" and entry.after["severity"] == "info"
    assert entry.after["approval"]["workflow"] == workflow.name
    assert set(entry.after["approves"]) == {f.id for f in routine}


def test_attestation_of_a_period(history_served: Served) -> None:
    client = history_served.logged_in()
    findings = hunted(history_served)
    page = client.get("/attestation").text
    ledger_count, head = Ledger(history_served.ledger).head()
    assert head in page and "Who exercises account-creation rights" in page
    rows = list(csv.DictReader(io.StringIO(client.get("/attestation.csv").text)))
    assert sorted(r["finding_id"] for r in rows) == sorted(f.id for f in findings)
    assert {(r["ledger_head"], r["ledger_entries"]) for r in rows} == {(head, str(ledger_count))}
    policy = hashlib.sha256(history_served.policy.read_bytes()).hexdigest()  # type: ignore[union-attr]
    assert {r["policy_sha256"] for r in rows} == {policy} and policy in page
    by_id = {f.id: f for f in findings}
    for r in rows:
        f = by_id[r["finding_id"]]
        assert r["unreviewed"] == str(f.approval is None and r["reviewer"] == "")
        assert all(s.sha256 in r["evidence"] for s in f.sources if s.sha256)
    last_day = max(f.time for f in findings if f.time)[:10]
    night = list(csv.DictReader(io.StringIO(
        client.get("/attestation.csv", params={"since": last_day}).text
    )))  # fmt: skip
    assert {r["finding_id"] for r in night} == {
        f.id for f in findings if f.time and f.time >= last_day
    }
    creators = re.search(r'<table class="creators">.*?</table>', page, re.S).group(0)  # type: ignore[union-attr]
    assert f"<td>CORP\\helpdesk1</td><td>{len(findings)}</td>" in creators


def test_a_store_of_real_logs(shared_data: Path, tmp_path: Path) -> None:
    store = ingest(shared_data / "evtx", tmp_path / "real.duckdb", damaged=True)
    served = start(store)
    try:
        client = served.logged_in()
        findings = hunted(served)
        assert findings
        table = client.get("/").text
        assert sorted(finding_ids(table)) == sorted(f.id for f in findings)
        for f in findings:
            assert client.get(f"/findings/{f.id}").status_code == 200
    finally:
        stop(served)


def test_the_console_follows_a_store_another_process_writes(
    demo_dir: Path,
    tmp_path: Path,
) -> None:
    """While a writer (as `acctrace watch`) holds the store, the console reads the snapshot
    it publishes, and shows the new findings once a newer snapshot is there."""
    store = ingest(demo_dir, tmp_path / "watched.duckdb")
    served = start(store)
    writer = EventDatabase(store)  # holds DuckDB's write lock from here on
    try:
        client = served.logged_in()
        writer.publish_snapshot()
        before = set(finding_ids(client.get("/").text))
        assert before
        (tmp_path / "night").mkdir()
        write(intrusion(weeks=1), tmp_path / "night" / "dc01.xml", "xml")
        reading = read_inputs([tmp_path / "night"])
        assert writer.add(reading.store.tables(), stored_files(reading)) > 0
        writer.publish_snapshot()
        page = client.get("/").text
        assert "from the snapshot its writer published" in page
        new = set(finding_ids(page)) - before
        assert len(new) >= 4 and "CORP\\tmp1" in page
    finally:
        writer.close()
        stop(served)
