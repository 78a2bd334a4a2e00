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
