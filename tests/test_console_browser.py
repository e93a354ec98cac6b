"""The console in a real browser (headless Debian Chromium through /usr/bin/chromedriver, as
tests/test_browser.py drives it): a checker logs in, browses sites, a night's report and an item,
spot-checks the demo's 季度更新 column from the form and watches the findings appear, checks the
trap site whose titles are hostile markup (they stay text), and logs out.
"""
from __future__ import annotations

import time

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from console_env import PASSWORDS  # the `console` fixture: conftest.py
from test_browser import driver  # noqa: F401 - fixture: headless system Chromium


def _severe(d) -> list[str]:
    return [e["message"] for e in d.get_log("browser") if e["level"] == "SEVERE"]


def _no_alert(d) -> None:
    try:
        text = d.switch_to.alert.text
    except NoAlertPresentException:
        return
    pytest.fail(f"an alert opened: {text}")


def test_checker_logs_in_browses_spot_checks_and_logs_out(console, driver):  # noqa: F811
    d = driver
    wait = WebDriverWait(d, 120)
    d.get(console.base + "/")
    assert "/login" in d.current_url
    d.find_element(By.ID, "name").send_keys("carl")
    d.find_element(By.ID, "password").send_keys(PASSWORDS["carl"])
    d.find_element(By.ID, "login").click()
    wait.until(EC.presence_of_element_located((By.ID, "site-demo")))
    row = d.find_element(By.ID, "site-demo")
    assert "不合格" in row.text and "最差" not in row.text  # verdict badge, not a header
    assert d.find_elements(By.CSS_SELECTOR, "#site-demo svg.trend rect")

    row.find_element(By.LINK_TEXT, "临江市住房和城乡建设局（演示站点）").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.nights")))
    d.find_element(By.LINK_TEXT, "报告").click()
    wait.until(lambda x: "/nights/" in x.current_url and x.find_elements(By.TAG_NAME, "h1"))
    assert "临江市住房和城乡建设局" in d.find_element(By.TAG_NAME, "body").text
    d.back()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.items")))
    d.find_element(By.CSS_SELECTOR, 'a[href="/sites/demo/items/5.1"]').click()
    wait.until(EC.presence_of_element_located((By.ID, "check-item")))
    assert "首次发现" in d.page_source
    assert _severe(d) == []  # no CSP violation, no failed resource, on any page so far

    console.wait_idle()
    d.get(console.base + "/checks")
    Select(d.find_element(By.ID, "url-site")).select_by_value("demo")
    d.find_element(By.ID, "url").send_keys(console.demo_url + "zdbs/pg/index.html")
    d.find_element(By.ID, "deadline").send_keys("季度更新")
    clicked = time.monotonic()
    d.find_element(By.ID, "start-url").click()
    wait.until(lambda x: "/checks/" in x.current_url)
    assert d.find_element(By.ID, "progress")  # the live part the stream updates
    wait.until(EC.presence_of_element_located((By.ID, "result-status")))
    print(f"click-to-result: {time.monotonic() - clicked:.2f} s")
    assert d.find_element(By.ID, "result-status").text == "不合格"
    assert "2026年第二季度" in d.find_element(By.ID, "findings").text
    assert int(d.find_element(By.ID, "articles").text) == 12
    assert len(d.find_elements(By.CSS_SELECTOR, "#articles-table tbody tr")) == 12
    assert _severe(d) == []

    console.wait_idle()
    d.get(console.base + "/checks")
    Select(d.find_element(By.ID, "pick")).select_by_value("trap 1")
    d.find_element(By.ID, "start-item").click()
    wait.until(EC.presence_of_element_located((By.ID, "result-status")))
    _no_alert(d)
    table = d.find_element(By.ID, "articles-table").text
    assert "<script>window.__pwned=2</script>" in table  # shown as the text it is
    assert d.execute_script("return window.__pwned === undefined")
    assert d.find_elements(By.CSS_SELECTOR, 'img[src="x"]') == []
    assert d.find_elements(By.CSS_SELECTOR, "main script") == []

    d.find_element(By.ID, "logout").click()
    wait.until(lambda x: "/login" in x.current_url)
    d.get(console.base + "/checks")
    assert "/login" in d.current_url and d.find_elements(By.ID, "login")
    assert console.canary.count() == 0
