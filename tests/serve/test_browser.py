"""The review console end to end in a real browser (headless Chromium via Selenium) against
a real `acctrace serve` on 127.0.0.1: log in, filter, open a case, record a disposition,
approve a workflow after its preview, see the findings it approves, export the attestation,
verify the ledger. Pages are checked for console errors (a blocked inline script or style
would be one), and screenshots for layout. Skipped where Chromium is absent."""

from __future__ import annotations

import base64
import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from acctrace.assess.tools import basename
from acctrace.cli import cli
from acctrace.scenario.events import number_records
from acctrace.scenario.history import intrusion, routine
from acctrace.scenario.writers import write
from acctrace.serve.auth import add_user
from tests.report.test_browser import browser  # noqa: F401 (the fixture)
from tests.serve.conftest import DEMO_POLICY, PASSWORDS, Served, hunted, ingest, start, stop

By = pytest.importorskip("selenium.webdriver.common.by").By
ui = pytest.importorskip("selenium.webdriver.support.ui")
expected = pytest.importorskip("selenium.webdriver.support.expected_conditions")


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    work = tmp_path_factory.mktemp("serve-browser")
    (work / "logs").mkdir()
    events = number_records(routine(weeks=1) + intrusion(weeks=1))  # one log: no shared ids
    write(events, work / "logs" / "security.jsonl", "event-json")
    policy = work / "policy.yaml"
    shutil.copy(DEMO_POLICY, policy)
    users = work / "team.yaml"
    add_user(users, "adam", "admin", PASSWORDS["adam"])
    store = ingest(work / "logs", work / "history.duckdb")
    served = start(store, "--policy", str(policy), "--users", str(users))
    yield served
    stop(served)


def _clean(driver) -> None:  # type: ignore[no-untyped-def]
    """No console error (a script or style the policy blocked would be one), nothing
    wider than the window."""
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    assert driver.execute_script("return window.__alerts") == []
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def _shot(driver, path: Path) -> Path:  # type: ignore[no-untyped-def]
    """A screenshot of the whole page (the window stretched to its height)."""
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1366, min(max(height, 768), 4000))
    driver.save_screenshot(str(path))
    driver.set_window_size(1366, 768)
    assert path.stat().st_size > 10_000
    return path


def _inside_window(driver, element) -> bool:  # type: ignore[no-untyped-def]
    box = element.rect
    width = driver.execute_script("return window.innerWidth")
    return element.is_displayed() and box["x"] >= 0 and box["x"] + box["width"] <= width


def _go(driver, selector: str) -> None:  # type: ignore[no-untyped-def]
    """Click what `selector` finds, and wait until the next page replaced this one."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, selector).click()
    ui.WebDriverWait(driver, 30).until(expected.staleness_of(page))


def _ids(driver) -> list[str]:  # type: ignore[no-untyped-def]
    rows = driver.find_elements(By.CSS_SELECTOR, "table.queue tbody tr[data-finding-id]")
    return [r.get_attribute("data-finding-id") for r in rows]


def test_review_console_end_to_end(browser, console: Served, tmp_path: Path) -> None:  # noqa: F811
    findings = hunted(console)
    routine_ids = {
        f.id for f in findings if f.process and basename(f.process.image) == "wsmprovhost.exe"
    }
    net = {f.id for f in findings if f.process and basename(f.process.image) == "net1.exe"}

    # log in: the console sends a stranger to the login form
    browser.get(console.url)
    assert "/login" in browser.current_url
    browser.find_element(By.ID, "name").send_keys("adam")
    browser.find_element(By.ID, "password").send_keys(PASSWORDS["adam"])
    _go(browser, "form.login button")
    table = browser.find_element(By.CSS_SELECTOR, "table.queue")
    assert sorted(_ids(browser)) == sorted(f.id for f in findings)
    assert _inside_window(browser, table)
    _clean(browser)
    shots = [_shot(browser, tmp_path / "serve-findings.png")]

    # filter: the tool that created the night's accounts
    ui.Select(browser.find_element(By.ID, "f-tool")).select_by_value("net1.exe")
    _go(browser, ".query button")
    assert set(_ids(browser)) == net

    # open a case and record a disposition
    tmp1 = next(f for f in findings if f.account.name == "tmp1")
    _go(browser, f'tr[data-finding-id="{tmp1.id}"] a')
    article = browser.find_element(By.CSS_SELECTOR, "article.case")
    assert article.get_attribute("data-finding-id") == tmp1.id
    lineage = article.find_element(By.CSS_SELECTOR, ".lineage")
    assert _inside_window(browser, lineage) and lineage.size["height"] > 50
    browser.find_element(By.CSS_SELECTOR, 'input[value="malicious_confirmed"]').click()
    browser.find_element(By.ID, "owner").send_keys("nobody: disable it")
    browser.find_element(By.ID, "note").send_keys("burst of accounts at night over RDP")
    _go(browser, "form.review-form button")
    state = browser.find_element(By.CSS_SELECTOR, "#review-h .state")
    assert state.text == "Malicious, confirmed"
    _clean(browser)
    shots.append(_shot(browser, tmp_path / "serve-case.png"))

    # approve a routine creation as a workflow: the preview shows the others it approves
    first = min((f for f in findings if f.id in routine_ids), key=lambda f: f.time or "")
    browser.get(f"{console.url}findings/{first.id}")
    _go(browser, "a.button")
    ticket = browser.find_element(By.ID, "wf-ticket")
    ticket.send_keys("CHG-2001")
    _go(browser, "#workflow-form button")
    would = browser.find_elements(By.CSS_SELECTOR, "table.would tr[data-finding-id]")
    assert {r.get_attribute("data-finding-id") for r in would} == routine_ids
    _clean(browser)
    _go(browser, "form.save-workflow button")
    assert set(_ids(browser)) == routine_ids  # the findings now approved by the workflow
    states = browser.find_elements(By.CSS_SELECTOR, "table.queue .state")
    assert {s.text for s in states} == {"Approved by workflow"}

    # the attestation: printable page, and its CSV
    browser.get(f"{console.url}attestation")
    head = browser.find_element(By.ID, "ledger-head").text
    rows = browser.find_elements(By.CSS_SELECTOR, "table.attest tr[data-finding-id]")
    assert len(rows) == len(findings)
    _clean(browser)
    shots.append(_shot(browser, tmp_path / "serve-attestation.png"))
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not browser.find_element(By.CSS_SELECTOR, "form.query").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "table.attest").is_displayed()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {})["data"])
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000  # printable, as auditors file it
    link = browser.find_element(By.LINK_TEXT, "Download CSV").get_attribute("href")
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    with httpx.Client(cookies=cookies) as client:
        exported = list(csv.DictReader(io.StringIO(client.get(link).text)))
    assert {r["ledger_head"] for r in exported} == {head}
    reviewed = next(r for r in exported if r["finding_id"] == tmp1.id)
    assert (reviewed["review"], reviewed["reviewer"]) == ("Malicious, confirmed", "adam")

    # the ledger: the console says the chain holds, and so does the command
    browser.get(f"{console.url}ledger")
    assert browser.find_element(By.ID, "ledger-check").text.startswith("The chain holds: 2 entries")
    verified = CliRunner().invoke(cli, ["ledger", "verify", str(console.ledger), "--head", head])
    assert verified.exit_code == 0, verified.output
    # the table as the team now sees it: reviewed, approved by workflow, still open
    browser.get(console.url)
    states = {s.text for s in browser.find_elements(By.CSS_SELECTOR, "table.queue .state")}
    assert states == {"Unreviewed", "Malicious, confirmed", "Approved by workflow"}
    browser.save_screenshot(str(tmp_path / "serve-console.png"))  # the one in docs/serve.md
    shots.append(tmp_path / "serve-console.png")
    print("\nscreenshots of the console: " + ", ".join(str(s) for s in shots))
