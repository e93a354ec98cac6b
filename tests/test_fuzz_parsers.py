"""Fuzzing what the existing fuzz tests leave out (issue 7): the bytes → text → fields path the
spider takes, the date and 文号 parsers called directly, the 文号 series analysis and the WAF
challenge detector. No input may raise; broken bytes around a page's title and dates must not
lose them.

Already covered elsewhere: extract_article on arbitrary text and decode_html on arbitrary bytes
(test_extract_units.py), parse_list on text and markup soup (test_listing_fuzz.py), 文号 round
trips (test_docnumbers.py).
"""
from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwgk.audit.docnumbers import analyse_doc_numbers, parse_doc_number
from zwgk.crawler.challenge import is_challenge, skipped_links, visible_bytes
from zwgk.crawler.extract import decode_html, extract_article
from zwgk.crawler.extract.dates import find_date, leading_date, meta_date
from zwgk.crawler.extract.docnumber import clean_labelled, in_title, on_own_line
from zwgk.crawler.listing.dates import date_only, dates_in, is_partial_date, year_from_url

AS_OF = date(2026, 11, 20)
TITLE = "关于加强住房保障工作的通知"
PAGE = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="PubDate" content="2026-10-05 09:00"></head><body><h1>{title}</h1>'
        '<div class="info">发布时间：2026-10-05</div><div class="content"><p>正文{garbage}内容。</p>'
        '</div></body></html>')
DATEY = st.sampled_from(["2024年5月12日", "2024-05-12", "二〇二四年五月十二日", "2024/5/12", "24-5-12",
                         "发布日期：", "成文日期：", "99999年99月99日", "0000-00-00", "2024年13月40日",
                         "〔2024〕", "第", "号", "\u3000", " ", "年", "月", "日", "-", "/", ".", ":"])
TEXTY = st.lists(st.one_of(DATEY, st.text(max_size=8)), max_size=30).map("".join)
DOCNOY = st.lists(st.one_of(st.sampled_from(["国发", "临住建发", "〔", "〕", "[", "]", "（", "）",
                                             "2024", "２０２４", "第", "号", "7", "007", "—", "文号：",
                                             "字", "函", "\u3000"]),
                            st.text(max_size=6)), max_size=20).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(garbage=st.binary(max_size=300).map(lambda b: bytes(x | 0x80 for x in b)),
       nul=st.booleans(), encoding=st.sampled_from(["utf-8", "gb18030"]),
       cut=st.integers(min_value=0, max_value=60))
def test_broken_bytes_keep_title_and_dates(garbage: bytes, nul: bool, encoding: str, cut: int):
    """Invalid byte runs, NULs, a GBK body labelled UTF-8, the tail cut: title and date stay."""
    body = PAGE.format(title=TITLE, garbage="{g}").encode(encoding)
    body = body.replace(b"{g}", garbage)
    if nul:
        body = body.replace(b"<h1>", b"\x00<h1>\x00")
    body = body[: len(body) - cut]
    text = decode_html(body, "text/html; charset=utf-8")
    fields = extract_article(text, "http://127.0.0.1/a/t.html", as_of=AS_OF)
    assert TITLE in fields.title, (fields.title, encoding)
    assert fields.publish_date == date(2026, 10, 5)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.binary(max_size=2000), declared=st.one_of(st.none(), st.text(max_size=30)))
def test_arbitrary_bytes_through_decode_and_extract(body: bytes, declared):
    fields = extract_article(decode_html(body, declared), "http://127.0.0.1/x.html", as_of=AS_OF)
    assert fields.publish_date is None or fields.publish_date <= AS_OF


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(), TEXTY), url=st.text(max_size=40),
       month=st.integers(-5, 20), day=st.integers(-5, 40))
def test_date_parsers_never_raise(text: str, url: str, month: int, day: int):
    for value in (find_date(text), leading_date(text), meta_date(text), date_only(text, url),
                  date_only(text), year_from_url(url, month, day)):
        assert value is None or isinstance(value, date)
    assert all(isinstance(d, date) for d in dates_in(text))
    assert isinstance(is_partial_date(text), bool)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(), DOCNOY))
def test_doc_number_parsers_never_raise(text: str):
    for value in (clean_labelled(text), in_title(text), on_own_line(text)):
        assert value is None or isinstance(value, str)
    parsed = parse_doc_number(text)
    assert parsed is None or parsed.number >= 0


@settings(max_examples=150, deadline=None)
@given(entries=st.lists(st.tuples(st.one_of(st.none(), DOCNOY, st.text(max_size=20)),
                                  st.text(max_size=20)), max_size=30),
       prefixes=st.lists(st.one_of(st.sampled_from(["国发", "临住建发", ""]), st.text(max_size=5)),
                         max_size=3),
       exempt=st.lists(st.one_of(DOCNOY, st.text(max_size=10)), max_size=3))
def test_series_analysis_never_raises(entries, prefixes, exempt):
    analyse_doc_numbers(entries, prefixes, exempt)


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=3000), status=st.integers(100, 599), text=st.text(max_size=500))
def test_challenge_detector_never_raises(body: bytes, status: int, text: str):
    assert isinstance(is_challenge(status, body), bool)
    assert visible_bytes(body) <= len(body)
    assert 0 <= skipped_links(text) <= text.count("=")
