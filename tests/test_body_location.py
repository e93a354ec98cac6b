"""Issue 10 item 9: when the extractor cannot locate an article's body (a frame holds it, a script
writes it, the page shows no recognisable article), the audit warns (content_unlocated) with the
reason and never fails content_missing. Real pages from shared/realpages, mutated: the element the
extractor reads as the body is replaced by an <iframe> or by a script writing the same text."""
from __future__ import annotations

from datetime import date

import pytest
from lxml import etree

from zwgk.audit.catalog import AuditSettings, Column, Item, Rules
from zwgk.audit.model import Article
from zwgk.audit.rules import AuditContext
from zwgk.audit.rules.documents import content_missing
from zwgk.audit.workdays import WorkCalendar
from zwgk.crawler.extract import extract_article
from zwgk.crawler.extract.core import SHORT_BODY_CHARS, _Page
from zwgk.crawler.extract.evaluate import load_gold, read_page

AS_OF = date(2026, 11, 20)
ITEM = Item(id="1.1", category="机构信息", name="机构职能", content="", deadline="", units=("办公室",),
            columns=(Column(name="c", url="http://h/c/"),), rules=Rules(), method="")
CTX = AuditContext(as_of=AS_OF, calendar=WorkCalendar(), settings=AuditSettings())


def _audit(url: str, html: str) -> tuple[str, list]:
    """Extract as the crawler does, then judge the stored fields as the audit does."""
    f = extract_article(html, url, as_of=AS_OF)
    a = Article(url=url, item_id=ITEM.id, column_url="http://h/c/", title=f.title,
                publish_date=f.publish_date, body_text=f.body_text, links=tuple(f.links),
                body_status=f.body_status)
    return f.body_status, content_missing(ITEM, [a], [], CTX)


def _mutated(html: str, url: str, how: str) -> str:
    page = _Page(html, url, {}, [])
    content = page.content  # the element the extractor reads as the body
    text = " ".join("".join(content.itertext()).split())
    for child in list(content):
        content.remove(child)
    content.text = None
    if how == "frame":
        etree.SubElement(content, "iframe", src="content_body.html", width="100%")
    else:
        script = etree.SubElement(content, "script")
        script.text = 'document.write("<p>' + text.replace('"', "")[:600] + '</p>");'
    return etree.tostring(page.root, encoding="unicode", method="html")


@pytest.fixture(scope="module")
def gold(shared):
    pages = [p for p in load_gold(shared / "realpages")]
    assert len(pages) >= 20
    return [(p.url or f"http://h/{i}.html", read_page(shared / "realpages", p))
            for i, p in enumerate(pages)]


@pytest.mark.parametrize("how", ["frame", "script"])
def test_a_body_moved_out_of_reach_is_a_warn_never_a_fail(gold, how):
    warned = 0
    for url, html in gold:
        original_status, original = _audit(url, html)
        assert original_status == "" and original == [], url  # real pages: located, not empty
        status, found = _audit(url, _mutated(html, url, how))
        assert not [f for f in found if f.severity == "fail"], (url, found)
        if status:
            assert status == how, url
            (f,) = found
            assert (f.rule, f.severity, f.details["reason"]) == ("content_unlocated", "warn", how)
            assert "未能定位正文" in f.message and "办公室" in f.message
            warned += 1
        else:  # the extractor read another run of text as the body: long enough to say nothing
            assert len(extract_article(_mutated(html, url, how), url, as_of=AS_OF).body_text) \
                >= SHORT_BODY_CHARS
    assert warned >= len(gold) - 3, warned


@pytest.mark.parametrize("html, status", [
    ('<html><frameset cols="20%,80%"><frame src="menu.html"><frame src="main.html"></frameset></html>',
     "frame"),
    ('<html><head><title>通知</title></head><body><div id="app"></div>'
     '<script>var doc = {title: "关于做好2026年寒假期间学生安全教育工作的通知", body: "各学校：为切实做好寒假期间学生安全工作，现将有关事项通知如下。"};'
     'document.getElementById("app").innerHTML = doc.body;</script></body></html>', "script"),
    ("<html><body></body></html>", "no_text"),
    ("", "no_text"),
])
def test_pages_without_a_locatable_body(html, status):
    found_status, found = _audit("http://h/a.html", html)
    assert found_status == status
    assert [(f.rule, f.severity, f.details["reason"]) for f in found] == \
        [("content_unlocated", "warn", status)]


def test_a_located_empty_body_still_fails():
    """A title, its 发布日期, nothing else: the body was found, and it is empty."""
    html = ('<html><head><title>临江县教育局主要职责</title></head><body>'
            '<div class="nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a></div>'
            '<div class="article"><h1>临江县教育局主要职责</h1>'
            '<div class="info">发布时间：2026-03-16　来源：临江县教育局</div>'
            '<div class="content"></div></div>'
            '<div class="footer">版权所有 © 2026 临江县教育局　网站标识码：3310000099</div>'
            '</body></html>')
    status, found = _audit("http://h/a.html", html)
    assert status == ""
    assert [(f.rule, f.severity) for f in found] == [("content_missing", "fail")]


def test_an_attachment_next_to_a_frame_is_the_publication():
    html = ('<html><body><h1>临江县2026年公开招聘中小学教师公告</h1><div>发布日期：2026-05-15</div>'
            '<div class="content"><iframe src="/viewer.html?file=a.pdf"></iframe>'
            '<p>附件：<a href="/uploads/a.pdf">公告.pdf</a></p></div></body></html>')
    status, found = _audit("http://h/a.html", html)
    assert status == "frame" and found == []
