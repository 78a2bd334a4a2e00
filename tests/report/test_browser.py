"""The HTML report in a real browser (Debian's headless Chromium, driven by Selenium): no
console error, no network request, no script of the data ran, every case and the lineage
tree visible, no horizontal scrolling on a laptop screen. Skipped where Chromium is absent.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from acctrace.findings import HuntResult
from acctrace.report import html
from tests.report.conftest import HOSTILE_NAME, by_name

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# Records every alert() before the page's own code runs; an injected one would show here.
TRAP = "window.__alerts = []; window.alert = function (m) { window.__alerts.push(String(m)); };"

webdriver = pytest.importorskip("selenium.webdriver")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()) and not (
        shutil.which("chromium") and shutil.which("chromedriver")
    ):
        pytest.skip("chromium and chromium-driver are not installed")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1366,768",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = CHROMEDRIVER if Path(CHROMEDRIVER).exists() else shutil.which("chromedriver")
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TRAP})
    try:
        yield driver
    finally:
        driver.quit()


def test_hostile_report_in_chromium(browser, hostile_result: HuntResult, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    out = io.StringIO()
    html.render(hostile_result, out)
    page.write_text(out.getvalue(), encoding="utf-8")

    browser.get(page.as_uri())
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    assert browser.execute_script("return window.__alerts") == []
    requests = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert requests == []
    assert browser.execute_script("return document.images.length") == 0

    articles = browser.execute_script(
        "return Array.from(document.querySelectorAll('article.case')).map(a => a.dataset.findingId)"
    )
    assert sorted(articles) == sorted(f.id for f in hostile_result.findings)

    hostile = by_name(hostile_result, HOSTILE_NAME)
    heading = browser.find_element("css selector", f"#case-{hostile.id}-h")
    assert HOSTILE_NAME in heading.text  # shown as the text it is
    tree = browser.find_element("css selector", f"#case-{hostile.id} .lineage")
    assert tree.is_displayed() and tree.size["height"] > 100
    nodes = tree.find_elements("css selector", ".node")
    assert len(nodes) >= 4 and all(n.is_displayed() for n in nodes)
    assert any("</script><script>alert(2)</script>" in n.text for n in nodes)
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth"
    )

    button = browser.find_element("css selector", f"#case-{hostile.id} button.copy")
    button.click()  # the clipboard may be refused headless: then the command is selected
    assert browser.execute_script("return window.__alerts") == []
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]

    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1366, min(height, 8000))
    shot = tmp_path / "report.png"
    browser.save_screenshot(str(shot))
    browser.set_window_size(1366, 768)
    assert shot.stat().st_size > 10_000
    print(f"\nscreenshot of the report: {shot}")


@pytest.fixture(scope="module")
def real_report(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report `acctrace report` writes on every real recording, readiness included."""
    from click.testing import CliRunner

    from acctrace.cli import cli

    page = tmp_path_factory.mktemp("real") / "report.html"
    run = CliRunner().invoke(cli, ["report", str(shared_data / "evtx"), "-o", str(page)])
    assert page.is_file(), run.output
    return page


def _box(browser, selector: str) -> dict:
    return browser.execute_script(
        "var r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};",
        selector,
    )


def test_real_report_opens_on_the_findings_table(browser, real_report: Path) -> None:
    """On a laptop screen the findings table, with the first case's row and its link, is
    on the first screen; readiness comes after the cases."""
    browser.set_window_size(1366, 768)
    browser.get(real_report.as_uri())
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    screen = browser.execute_script("return window.innerHeight")
    table, first_row = _box(browser, "#findings-table"), _box(browser, "#findings-table tbody tr")
    assert 0 <= table["top"] < screen / 2
    assert first_row["bottom"] <= screen
    link = browser.find_element("css selector", "#findings-table tbody tr a")
    assert link.is_displayed()
    first_case = browser.find_element("css selector", "article.case")
    assert link.get_attribute("href").endswith("#" + first_case.get_attribute("id"))
    order = browser.execute_script(
        "return ['findings', 'overview', 'cases', 'readiness', 'inputs'].map("
        "id => document.getElementById(id).getBoundingClientRect().top)"
    )
    assert order == sorted(order)
    shot = real_report.with_suffix(".png")
    browser.save_screenshot(str(shot))
    print(f"\nfirst screen of the real-data report: {shot}")

    link.click()  # the row leads to its case, which then starts on screen
    top = browser.execute_script(
        "return document.querySelector('article.case').getBoundingClientRect().top"
    )
    assert 0 <= top < screen


def test_findings_table_sorts_and_filters(browser, real_report: Path) -> None:
    browser.get(real_report.as_uri())
    accounts = (
        "return Array.from(document.querySelectorAll('#findings-table tbody tr'))"
        ".filter(r => !r.hidden).map(r => r.cells[1].textContent)"
    )
    ranked = browser.execute_script(accounts)
    assert len(ranked) == 10
    times = accounts.replace("cells[1]", "cells[7]")
    created = browser.execute_script(times)
    browser.find_element("css selector", "button.sort[data-column='7']").click()
    assert browser.execute_script(times) == sorted(created, reverse=True)
    browser.find_element("css selector", "button.sort[data-column='7']").click()
    assert browser.execute_script(times) == sorted(created)
    browser.find_element("css selector", "button.sort[data-column='0']").click()
    assert browser.execute_script(accounts) == ranked  # back to the ranking
    box = browser.find_element("id", "finding-filter")
    box.send_keys("OFFSEC")
    rows = browser.execute_script(
        "return Array.from(document.querySelectorAll('#findings-table tbody tr'))"
        ".map(r => [r.hidden, r.textContent.toLowerCase()])"
    )
    assert all(("offsec" in row) != hidden for hidden, row in rows)
    shown = sum(not hidden for hidden, _ in rows)
    assert 0 < shown < len(ranked)
    assert browser.find_element("id", "finding-count").text == f"Showing {shown} of 10."
    box.clear()
    box.send_keys(" ")  # an input event that matches everything again
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "finding-severity")).select_by_visible_text("high")
    high = browser.execute_script(accounts)
    assert len(high) == 4
