"""Issue 17 items 8 and 13 against the fault server: resource bombs and tricks of a hostile site
get the right reason (never a false "连接失败" or 无法连接), and never exhaust the machine."""
from __future__ import annotations

import sqlite3

import pytest

from faultserver import HOSTILE_FAULTS, run_fault_site

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    def credentials(text: str, base_url: str) -> str:  # a column URL carrying user:pass@
        host = base_url.split("//", 1)[1]
        return text.replace("url: credcolumn/index.html",
                            f'url: "http://admin:secret@{host}credcolumn/index.html"')

    return run_fault_site(tmp_path_factory.mktemp("hostile"), (*HOSTILE_FAULTS, "credcolumn"),
                          credentials)


def _rules(item: dict) -> dict[str, dict]:
    return {f["rule"]: f for f in item["findings"]}


def test_a_flood_of_entries_is_capped_and_reported(hostile_run):
    rules = _rules(hostile_run["items"]["flood"])
    details = rules["pagination_capped"]["details"]
    assert details["entries_skipped"] == 500 and details["pages"] == 1
    assert "500 条未检查" in rules["pagination_capped"]["message"]
    with sqlite3.connect(hostile_run["db"]) as conn:
        (listed,) = conn.execute("SELECT COUNT(*) FROM listings WHERE column_url LIKE '%/flood/%'").fetchone()
    assert listed == 1000
    assert hostile_run["offsite_hits"] == 0


@pytest.mark.parametrize("name", ["gzlist", "endlesslist"])
def test_a_list_too_large_to_read_says_so(hostile_run, name):
    rules = _rules(hostile_run["items"][name])
    finding = rules["column_unreachable"]
    assert finding["details"]["reason"] == "page_too_large", finding["details"]
    assert "过大" in finding["message"] and "连接失败" not in finding["message"]
    assert "empty_column" not in rules


def test_a_gzip_bomb_article_is_too_large_not_a_broken_link(hostile_run):
    rules = _rules(hostile_run["items"]["gzart"])
    assert "broken_link" not in rules, rules.get("broken_link")
    assert rules["page_too_large"]["details"]["url"].endswith("/gzart/bomb.html")
    assert rules["page_too_large"]["details"]["bytes"] > 16 * 1024 * 1024
    with sqlite3.connect(hostile_run["db"]) as conn:
        dated = conn.execute("SELECT COUNT(*) FROM articles WHERE url LIKE '%/gzart/a%' "
                             "AND publish_date IS NOT NULL").fetchone()[0]
    assert dated == 2  # the column goes on


def test_a_cookie_flood_does_not_make_the_site_refuse_us(hostile_run):
    item = hostile_run["items"]["cookies"]
    assert item["findings"] == [] and item["article_count"] == 3
    with sqlite3.connect(hostile_run["db"]) as conn:
        statuses = {r[0] for r in conn.execute(
            "SELECT http_status FROM articles WHERE url LIKE '%/cookies/%'")}
    assert statuses == {200}


def test_links_with_credentials_are_never_requested(hostile_run):
    item = hostile_run["items"]["userinfo"]
    assert not any(f["rule"] == "broken_link" for f in item["findings"]), item["findings"]
    assert hostile_run["hits"].get("/userinfo/a7.html", 0) == 0
    assert hostile_run["hits"].get("/userinfo/a1.html", 0) == 1


def test_a_column_url_with_credentials_is_reported_not_requested(hostile_run):
    assert hostile_run["hits"].get("/credcolumn/index.html", 0) == 0
    (finding,) = [f for f in hostile_run["items"]["credcolumn"]["findings"]
                  if f["rule"] == "column_unreachable"]
    assert finding["details"]["reason"] == "credentials_in_url"
    assert "用户名和密码" in finding["message"]


def test_an_impossible_date_is_named_not_called_missing(hostile_run):
    item = hostile_run["items"]["year9999"]
    missing = [f for f in item["findings"] if f["rule"] == "date_missing"]
    assert [f["details"]["url"].rsplit("/", 1)[1] for f in missing] == ["t1.html"]
    assert missing[0]["details"]["reason"] == "date_rejected"
    assert "不可能正确" in missing[0]["message"] and "均未标注" not in missing[0]["message"]
    assert not any(f["rule"] == "date_future" for f in item["findings"])  # no 伪造 veto on a guess


def test_extractor_names_an_impossible_visible_date():
    from datetime import date

    from zwgk.crawler.extract import extract_article

    html = ("<html><head><title>通知</title></head><body><h1>关于某事的通知</h1>"
            "<div>发布时间：{}</div><p>{}</p></body></html>")
    for shown, expected in (("9999-12-31", "9999-12-31"), ("2027-01-05", "2027-01-05"),
                            ("2026-11-02", None)):
        fields = extract_article(html.format(shown, "正文。" * 40), as_of=date(2026, 11, 20))
        assert fields.rejected_publish_date == expected, (shown, fields)
        assert (fields.publish_date is None) == (expected is not None)
