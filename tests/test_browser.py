"""The report in a real browser: headless Chromium (Debian ``chromium`` + ``chromium-driver``,
driven by selenium with /usr/bin/chromedriver; nothing is downloaded).

What a reader relies on is checked where it happens: the page renders and its one script runs
(a wrong CSP hash would block it and log an error), the filters, sorting and paging work, not a
single request leaves the file, the console stays clean, crawled hostile titles stay inert text
(no alert, no injected element, no handler attribute), it prints on A4 landscape without tables
overflowing, it stays useful with scripts off, and the documented screenshot command works.
"""
from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from zwgk import nightly
from zwgk.report.html import write_report
from conftest import ROOT
from test_report import HOSTILE, big_report, synthetic

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", "--window-size=1366,900")


def _binary(env: str, *names: str) -> str:
    for name in (os.environ.get(env), *names):
        if name and shutil.which(name):
            return shutil.which(name)  # type: ignore[return-value]
    pytest.fail(f"{' / '.join(names)} not found: install Debian chromium and chromium-driver "
                f"(apt-get install -y chromium chromium-driver) or set {env}", pytrace=False)


@pytest.fixture(scope="module")
def driver():
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium must never fetch a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.binary_location = _binary("ZWGK_CHROMIUM", "chromium", "chromium-browser")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = Service(_binary("ZWGK_CHROMEDRIVER", "chromedriver"))
    d = webdriver.Chrome(service=service, options=options)
    d.set_page_load_timeout(60)
    yield d
    d.quit()


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("reports")
    out = {}
    doc, config, arts = synthetic()
    out["synthetic"] = write_report(root / "2026-11-20", doc, config, arts, []) / "report.html"
    doc, config, arts = synthetic(history=False)
    out["plain"] = write_report(root / "2026-11-19", doc, config, arts, []) / "report.html"
    out["index"] = nightly.write_index(root)
    doc, config, arts = big_report()
    big = root / "big"
    big.mkdir()
    from zwgk.report.html import render_html

    (big / "report.html").write_text(render_html(doc, config, arts, []), encoding="utf-8")
    out["big"] = big / "report.html"
    return out


def load(driver, path: Path) -> None:
    driver.get_log("browser")
    driver.get_log("performance")  # drain what earlier pages left
    driver.get(path.as_uri())


def console_errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def requests_made(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def visible_ids(driver, selector: str) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]))"
        ".filter(e => !e.hidden && e.offsetParent !== null).map(e => e.id);", selector)


def assert_inert(driver) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert  # noqa: B018 - raises when no alert is open
    state = driver.execute_script("""
      const handlers = [];
      document.querySelectorAll('*').forEach(e => Array.from(e.attributes).forEach(a => {
        if (a.name.startsWith('on')) { handlers.push(e.tagName + ' ' + a.name); } }));
      return {scripts: document.scripts.length, inline: Array.from(document.scripts).filter(s => s.src).length,
              imgs: document.images.length, iframes: document.querySelectorAll('iframe,object,embed').length,
              handlers: handlers, pwned: window.__pwned === undefined ? null : window.__pwned,
              jsLinks: Array.from(document.links).filter(a => !/^(https?:|file:|#)/.test(a.getAttribute('href'))
                                                           && a.getAttribute('href') !== '#').length};""")
    assert state == {"scripts": 1, "inline": 0, "imgs": 0, "iframes": 0, "handlers": [], "pwned": None,
                     "jsLinks": 0}, state


# --- tests ---------------------------------------------------------------------------------------

def test_renders_runs_its_script_and_stays_offline(driver, reports):
    load(driver, reports["synthetic"])
    assert driver.title.startswith("政务公开检查报告")
    assert driver.find_element("css selector", "h1").text == "政务公开检查报告"
    assert driver.execute_script("return document.documentElement.dataset.ready") == "1", \
        "the inline script did not run (CSP hash mismatch?)"
    assert driver.find_element("id", "filters").is_displayed()
    assert console_errors(driver) == []
    urls = requests_made(driver)
    assert urls and all(u == reports["synthetic"].as_uri() or u.startswith("data:") for u in urls), urls
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert_inert(driver)


def test_filters_narrow_items_units_and_rows(driver, reports):
    from selenium.webdriver.support.ui import Select

    load(driver, reports["synthetic"])
    q = driver.find_element("id", "f-q")
    q.send_keys("棚改")
    assert visible_ids(driver, "article.item") == ["item-2.1"]
    assert driver.find_element("id", "f-count").text == "显示 1 / 4 个事项"
    assert len([r for r in driver.find_elements("css selector", "#overview tbody tr") if r.is_displayed()]) == 1
    q.clear()
    q.send_keys(" ")  # the input event of clear() is not always fired
    q.clear()
    driver.execute_script("arguments[0].dispatchEvent(new Event('input'))", q)
    Select(driver.find_element("id", "f-status")).select_by_value("fail")
    assert visible_ids(driver, "article.item") == ["item-1.1", "item-2.1", "item-3.1"]
    Select(driver.find_element("id", "f-status")).select_by_value("")
    Select(driver.find_element("id", "f-unit")).select_by_value("住房保障科")
    assert visible_ids(driver, "article.item") == ["item-2.1"]
    units = driver.execute_script("return Array.from(document.querySelectorAll('.unit'))"
                                  ".filter(e => !e.hidden).map(e => e.dataset.unit);")
    assert units == ["住房保障科"]
    Select(driver.find_element("id", "f-unit")).select_by_value("")
    driver.find_element("id", "f-new").click()
    assert visible_ids(driver, "article.item") == ["item-1.1", "item-3.1"]  # 2.1 only persists
    rows = driver.execute_script("return Array.from(document.querySelectorAll('.unit tbody tr'))"
                                 ".filter(r => !r.hidden).map(r => r.dataset.new);")
    assert rows and set(rows) == {"1"}
    assert console_errors(driver) == []


def test_sorting_is_numeric_and_toggles(driver, reports):
    load(driver, reports["synthetic"])

    def ids():
        return [r.find_element("css selector", "td").text
                for r in driver.find_elements("css selector", "#overview tbody tr")]

    assert ids() == ["1.1", "2.1", "3.1", "10.1"]
    header = driver.find_element("css selector", "#overview thead th button.sort")
    header.click()
    assert ids() == ["1.1", "2.1", "3.1", "10.1"]
    header.click()
    assert ids() == ["10.1", "3.1", "2.1", "1.1"]
    status = driver.find_elements("css selector", "#overview thead th button.sort")[4]
    status.click()  # by status rank: fail first
    assert [r.get_attribute("data-status") for r in driver.find_elements("css selector", "#overview tbody tr")][-1] == "pass"


def test_long_article_list_pages_and_filters(driver, reports):
    load(driver, reports["synthetic"])
    item = driver.find_element("id", "item-10.1")
    item.find_element("css selector", "details.articles > summary").click()
    table = item.find_element("css selector", "table.paged")

    def shown():
        return driver.execute_script(
            "return Array.from(arguments[0].tBodies[0].rows).filter(r => !r.hidden)"
            ".map(r => r.querySelector('a').textContent);", table)

    assert len(shown()) == 50 and shown()[0] == "长栏目文章0000"
    pager = item.find_element("css selector", ".pager")
    assert pager.find_element("css selector", "output").text == "第 1 / 3 页，共 120 篇"
    pager.find_elements("css selector", "button")[1].click()
    assert shown()[0] == "长栏目文章0050" and len(shown()) == 50
    pager.find_element("css selector", "input").send_keys("0119")
    assert shown() == ["长栏目文章0119"]
    assert console_errors(driver) == []


def test_hostile_titles_stay_inert_when_shown_and_hovered(driver, reports):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    load(driver, reports["synthetic"])
    item = driver.find_element("id", "item-1.1")
    item.find_element("css selector", "details.articles > summary").click()
    links = {a.text: a for a in item.find_elements("css selector", "table.paged a")}
    for key in ("script", "img"):
        assert HOSTILE[key] in links, (key, list(links))
        ActionChains(driver).move_to_element(links[HOSTILE[key]]).perform()
    assert links[HOSTILE["img"]].get_attribute("href").endswith("#")  # javascript: URL neutralised
    body = driver.find_element("css selector", "body")
    for _ in range(5):
        body.send_keys(Keys.TAB)  # focus moves over the links: an injected onfocus would fire
    assert_inert(driver)
    assert console_errors(driver) == []


def test_scripts_off_the_page_is_complete(driver, reports):
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        load(driver, reports["synthetic"])
        assert driver.execute_script is not None
        assert not driver.find_element("id", "filters").is_displayed()
        assert "脚本未运行" in driver.find_element("tag name", "noscript").get_attribute("textContent")
        item = driver.find_element("id", "item-10.1")
        item.find_element("css selector", "details.articles > summary").click()
        rows = item.find_elements("css selector", "table.paged tbody tr")
        assert len(rows) == 120 and all(r.is_displayed() for r in rows)
        assert item.find_elements("css selector", ".pager") == []
        assert len(driver.find_elements("css selector", "article.item")) == 4
    finally:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_prints_on_a4_landscape_without_overflow(driver, reports):
    import base64

    load(driver, reports["synthetic"])
    driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    # A4 landscape minus 12 mm margins each side: 273 mm = 1032 CSS px.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1032, "height": 730, "deviceScaleFactor": 1, "mobile": False})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        overflow = driver.execute_script("""
          const bad = [];
          document.querySelectorAll('table, svg, .strip, .facts').forEach(t => {
            const box = t.getBoundingClientRect();
            if (box.width === 0) { return; }
            if (t.scrollWidth > t.clientWidth + 1 || box.right > document.documentElement.clientWidth + 1) {
              bad.push(t.tagName + (t.id ? '#' + t.id : '') + ' ' + Math.round(box.right));
            }
          });
          return {bad: bad, page: document.documentElement.scrollWidth,
                  controls: getComputedStyle(document.getElementById('filters')).display};""")
        assert overflow["bad"] == [] and overflow["page"] <= 1032, overflow
        assert overflow["controls"] == "none"
        pdf = driver.execute_cdp_cmd("Page.printToPDF", {"landscape": True, "paperWidth": 8.27,
                                                        "paperHeight": 11.69, "preferCSSPageSize": True})
        assert base64.b64decode(pdf["data"])[:5] == b"%PDF-"
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_report_without_history_blocks_renders_cleanly(driver, reports):
    load(driver, reports["plain"])
    assert driver.execute_script("return document.documentElement.dataset.ready") == "1"
    assert "没有上次检查的记录可供比较" in driver.find_element("id", "summary").text
    assert console_errors(driver) == []
    assert_inert(driver)


def test_ten_thousand_article_report_loads_and_pages(driver, reports):
    load(driver, reports["big"])
    assert driver.execute_script("return document.documentElement.dataset.ready") == "1"
    pagers = driver.execute_script("return document.querySelectorAll('.pager').length")
    assert pagers == 26
    visible = driver.execute_script(
        "return Array.from(document.querySelectorAll('table.paged tbody tr')).filter(r => !r.hidden).length")
    assert visible == 26 * 50
    assert console_errors(driver) == []
    assert requests_made(driver) == [reports["big"].as_uri()]


def test_index_page_links_reports_offline(driver, reports):
    load(driver, reports["index"])
    links = [a.get_attribute("href") for a in driver.find_elements("css selector", "tbody a")]
    assert reports["synthetic"].as_uri() in links and reports["plain"].as_uri() in links
    assert console_errors(driver) == []
    assert all(u == reports["index"].as_uri() or u.startswith("data:") for u in requests_made(driver))


def test_screenshot_command_writes_a_png(reports, tmp_path):
    out = tmp_path / "shot.png"
    proc = subprocess.run([sys.executable, "-m", "zwgk.report.screenshot", str(reports["synthetic"]), str(out),
                           "--width", "1200", "--height", "900"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    head = out.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (1200, 900)
    part = tmp_path / "item.png"
    proc = subprocess.run([sys.executable, "-m", "zwgk.report.screenshot", str(reports["synthetic"]), str(part),
                           "--at", "item-2.1"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    width, height = struct.unpack(">II", part.read_bytes()[16:24])
    assert width == 1400 and 150 < height < 900
