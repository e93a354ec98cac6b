"""extract_article on every article page of the demo site, rendered directly (no server).

The demo's pages carry one variant per extractor and per trap (demosite.data.PAGE_*): metadata
with a 12-hour clock, "null" or empty; info tables as table rows, <dl> and label/value <div>s
with spaced labels and full-width colons; labelled 发布时间/日期/时间; dates only in the URL (TRS
and Hanweb); an English date only dateparser reads; an undated page; a meta PubDate that
disagrees with the visible date; GBK pages; sidebars and footers with newer dates. The ground
truth (demosite.truth.expected_articles) says what a reader sees and which evidence shows it.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from zwgk.crawler.extract import ArticleFields, decode_html, extract_article
from zwgk.demosite import data, truth
from zwgk.demosite.site import DEMO_AS_OF, build_site

BASE = "http://127.0.0.1:8000"  # the crawler always knows the page's URL; URL dates need it
ARTICLES = truth.expected_articles()
VARIANTS = {
    data.PAGE_META_12H: "meta",
    data.PAGE_META_NULL: "url",
    data.PAGE_META_EMPTY: "text",
    data.PAGE_URL_ONLY: "url",
    data.PAGE_DL_TABLE: "infotable",
    data.PAGE_DIV_TABLE: "infotable",
    data.PAGE_TIME_LABEL: "text",
    data.PAGE_ENGLISH_DATE: "dateparser",
    data.PAGE_UNDATED: "",
}


def _extract(art: dict) -> ArticleFields:
    page = build_site()[art["url"]]
    assert page.status == 200, art["url"]
    return extract_article(decode_html(page.body, page.content_type), BASE + art["url"], as_of=DEMO_AS_OF)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _one(page_kind: str) -> dict:
    (art,) = [a for a in ARTICLES if a["page"] == page_kind]
    return art


def test_every_variant_is_on_the_demo_once():
    counts = Counter(a["page"] for a in ARTICLES if a["page"])
    assert counts == Counter(list(VARIANTS)), "each page variant must be served exactly once"
    # the traps that are not variants: GBK pages, a disagreeing meta PubDate
    assert any(a["gbk"] for a in ARTICLES)
    assert [a for a in ARTICLES if a["meta_publish_date"] and a["meta_publish_date"] != a["publish_date"]]


def test_every_demo_article_is_read_as_a_person_reads_it():
    wrong = []
    for art in ARTICLES:
        f = _extract(art)
        got = {"title": f.title, "publish_date": _iso(f.publish_date), "date_source": f.date_source,
               "written_date": _iso(f.written_date), "doc_number": f.doc_number}
        want = {key: art[key] for key in got}
        if art["publish_date"] and art["publish_date"] > DEMO_AS_OF.isoformat():
            # a date after as-of is never a publish date (docs/extraction.md, Validation); the note
            # keeps the evidence (the audit reads the list's date for date_future)
            want.update(publish_date=None, date_source="")
            if not any(f"visible publish date {art['publish_date']} out of range" in n for n in f.notes):
                wrong.append((art["url"], "no note on the rejected future date", f.notes))
        if got != want:
            wrong.append((art["url"], art["page"], got, want, f.notes))
    assert not wrong, f"{len(wrong)} of {len(ARTICLES)} pages misread, e.g. {wrong[:3]}"


@pytest.mark.parametrize("page_kind", sorted(VARIANTS))
def test_each_variant_gives_its_evidence(page_kind: str):
    art = _one(page_kind)
    f = _extract(art)
    assert f.date_source == VARIANTS[page_kind], (art["url"], f.notes)
    assert _iso(f.publish_date) == art["publish_date"]
    assert f.meta_publish_date is None  # an empty, "null" or 12-hour meta is no disagreement


def test_undated_page_is_recorded_as_undated():
    """No date on the page, none in its URL: body dates (an event, a deadline), the sidebar's
    newer links and the footer's 网站更新 date must not stand in for it."""
    art = _one(data.PAGE_UNDATED)
    page = build_site()[art["url"]].body.decode("utf-8")
    assert "网站更新：2026-11-20" in page and "年" in page  # the dates that must not be taken
    f = _extract(art)
    assert f.publish_date is None and f.date_source == ""
    assert f.title == art["title"] and f.body_text


def test_meta_disagreeing_with_the_visible_date_is_recorded():
    (art,) = [a for a in ARTICLES if a["meta_publish_date"] and a["meta_publish_date"] != a["publish_date"]]
    f = _extract(art)
    assert _iso(f.publish_date) == art["publish_date"] and f.date_source == "text"  # visible wins
    assert _iso(f.meta_publish_date) == art["meta_publish_date"]
    assert any("visible wins" in note for note in f.notes)


def test_gbk_pages_decode_and_extract():
    gbk = [a for a in ARTICLES if a["gbk"]]
    assert len(gbk) > 20
    for art in gbk[::5]:
        page = build_site()[art["url"]]
        assert "charset" not in page.content_type  # only <meta> says gb2312
        f = _extract(art)
        assert f.title == art["title"] and _iso(f.publish_date) == art["publish_date"]


def test_sidebar_and_footer_dates_are_newer_than_the_article():
    """The trap is real: every page shows dates newer than its own (sidebar, footer)."""
    for art in ARTICLES[::9]:
        if art["publish_date"] is None:
            continue
        text = decode_html(build_site()[art["url"]].body)
        assert "相关文章" in text or "最新动态" in text
        assert "网站更新：2026-11-20" in text
        assert _iso(_extract(art).publish_date) == art["publish_date"]
