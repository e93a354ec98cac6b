"""Each extractor of crawler.extract on small synthetic snippets: faults, layouts and traps."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwgk.crawler.extract import ArticleFields, decode_html, extract_article
from zwgk.crawler.extract import core, dates, docnumber, meta, urls
from zwgk.crawler.extract.tree import parse_html

AS_OF = date(2026, 11, 20)
BODY = (
    "<p>为进一步做好相关工作，根据《关于加强管理的通知》（常住建〔2020〕78号）要求，"
    "结合2026年11月3日会议精神，现就有关事项通知如下。</p>"
    "<p>一、各单位要高度重视，认真组织实施，确保各项措施落实到位，按时报送工作情况。</p>"
)
SIDEBAR = (
    '<div class="right"><h3>最新动态</h3><ul>'
    + "".join(f'<li><a href="/x/{i}.html">其他文章标题{i}</a><span>2026-11-{i + 10}</span></li>' for i in range(6))
    + "</ul></div>"
)
FOOTER = '<div class="footer">版权所有 © 2026 临江市住房和城乡建设局 网站更新：2026-11-20</div>'
NAV = '<div class="nav"><a href="/">首页</a><a href="/xxgk/">信息公开</a><a href="/hdjl/">互动交流</a></div>'


def page(head: str = "", body: str = "") -> str:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{NAV}{body}{SIDEBAR}{FOOTER}</body></html>"


def run(html: str, url: str = "", **kw: object) -> ArticleFields:
    """The internal entry point: unlike extract_article it lets a bug raise."""
    return core.extract(html, url, kw.get("as_of", AS_OF), kw.get("selectors", {}))  # type: ignore[arg-type]


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-05-12", date(2024, 5, 12)),
        ("发布于2024/5/2 10:00", date(2024, 5, 2)),
        ("2024.05.12", date(2024, 5, 12)),
        ("2024年5月12日", date(2024, 5, 12)),
        ("2024 年 05 月 12 日", date(2024, 5, 12)),
        ("二〇一八年十二月二十一日", date(2018, 12, 21)),
        ("二○二四年五月十日", date(2024, 5, 10)),
        ("2024-02-30 then 2024-03-01", date(2024, 3, 1)),  # impossible dates are skipped
        ("2024-05/12", None),  # mixed separators are not a date
        ("电话 0571-88808880", None),
    ],
)
def test_find_date_formats(text: str, expected: date | None) -> None:
    assert dates.find_date(text) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2024-05-12 09:53", date(2024, 5, 12)),
        ("2024-05-12 03:15 PM", date(2024, 5, 12)),
        ("5/12/2024 3:15:00 PM", date(2024, 5, 12)),  # ASP.NET 12-hour clock, US order
        ("25/12/2024 11:00:00 AM", date(2024, 12, 25)),
        ("20240512", date(2024, 5, 12)),
        ("", None),
        ("null", None),
        ("  NULL ", None),
        ("undefined", None),
    ],
)
def test_meta_date_faults(raw: str, expected: date | None) -> None:
    assert dates.meta_date(raw) == expected


def test_leading_date_only_at_start() -> None:
    assert dates.leading_date(" [2024-05-12] 来源：办公室") == date(2024, 5, 12)
    assert dates.leading_date("浏览次数：12 2024-05-12") is None


def test_in_range_bounds() -> None:
    assert dates.in_range(date(2026, 11, 20), AS_OF) == date(2026, 11, 20)
    assert dates.in_range(date(2026, 11, 21), AS_OF) is None
    assert dates.in_range(date(1989, 12, 31), AS_OF) is None


# --- encoding -----------------------------------------------------------------------------------


GBK_PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
    "<body><h1>市住建局召开2026年第10次局长办公会</h1><p>发布时间：2026-11-05 朱镕基 䶮</p></body></html>"
)


def test_gbk_bytes_labelled_gb2312_decode_as_gb18030() -> None:
    body = GBK_PAGE.encode("gb18030")  # 镕 is GBK-only, 䶮 GB18030-only: gb2312 would garble both
    text = decode_html(body)
    assert "朱镕基 䶮" in text
    fields = extract_article(text, as_of=AS_OF)
    assert fields.publish_date == date(2026, 11, 5)
    assert fields.title == "市住建局召开2026年第10次局长办公会"


def test_declared_http_charset_and_header_forms() -> None:
    body = "<p>发布日期：2026年10月12日</p>".encode("gbk")
    assert "发布日期" in decode_html(body, "gb2312")
    assert "发布日期" in decode_html(body, "text/html; charset=GBK")
    assert "发布日期" in decode_html(body, "text/html")  # no charset anywhere: sniffed


def test_wrong_declarations_are_repaired() -> None:
    text = "关于印发临江市住房和城乡建设局政府信息公开工作要点的通知，发布日期：2026年10月12日。"
    # declared utf-8 but sent as GBK
    assert text in decode_html(text.encode("gbk"), "utf-8")
    # declared gb2312 but really utf-8 (long enough to tell)
    assert text in decode_html(text.encode("utf-8"), "gb2312")


@pytest.mark.parametrize(
    "body",
    [b"", b"\x00\x00", b"\xff\xfe\xfa garbage \x80\x81", "<p>发布日期".encode("utf-8")[:-2], b"<p>a\x00b</p>"],
)
def test_decode_never_raises_and_drops_nul(body: bytes) -> None:
    text = decode_html(body)
    assert "\x00" not in text
    extract_article(text)  # and extraction copes with whatever came out


# --- page metadata ------------------------------------------------------------------------------


def test_meta_reader_names_and_faults() -> None:
    root = parse_html(
        '<html><head><meta name="Maketime" content="2023-08-29 17:49:26">'
        '<meta name="others" content="页面生成时间 2024-07-05 14:01:14">'
        '<meta name="pubdate" content="2019-07-10 10:43"/><meta name="ArticleTitle" content="null">'
        '<meta name="SiteName" content="济南市文化和旅游局"><meta name="url" content="http://127.0.0.1:8000/a.html">'
        "</head><body></body></html>"
    )
    assert root is not None
    info = meta.read_meta(root)
    assert info.publish_date == date(2019, 7, 10)  # Maketime and 页面生成时间 are not publish dates
    assert info.title == ""  # "null"
    assert info.site_name == "济南市文化和旅游局"
    assert info.url == "http://127.0.0.1:8000/a.html"


def test_meta_is_used_when_nothing_visible() -> None:
    fields = run(page('<meta name="PubDate" content="2026-10-12 09:30">', f"<h1>关于开展检查的通知</h1>{BODY}"))
    assert (fields.publish_date, fields.date_source) == (date(2026, 10, 12), "meta")


@pytest.mark.parametrize("content", ["", "null", "NULL", "0"])
def test_empty_meta_falls_through(content: str) -> None:
    fields = run(page(f'<meta name="PubDate" content="{content}">', f"<h1>关于开展检查的通知</h1>{BODY}"))
    # the sidebar (2026-11-1x) and footer (2026-11-20) dates must not be taken instead
    assert fields.publish_date is None


def test_visible_date_wins_over_meta_and_meta_is_kept() -> None:
    fields = run(
        page(
            '<meta name="PubDate" content="2026-10-10 10:00"><meta name="ArticleTitle" content="关于开展检查的通知">',
            f'<h1>关于开展检查的通知</h1><div class="info">发布时间：2026-10-12　来源：办公室</div>{BODY}',
        )
    )
    assert (fields.publish_date, fields.date_source) == (date(2026, 10, 12), "text")
    assert fields.meta_publish_date == date(2026, 10, 10)
    assert any("differs" in note for note in fields.notes)


def test_agreeing_meta_is_not_reported() -> None:
    fields = run(
        page('<meta name="PubDate" content="2026-10-12 16:00">', f'<h1>关于开展检查的通知</h1><p>发布日期：2026-10-12</p>{BODY}')
    )
    assert fields.publish_date == date(2026, 10, 12)
    assert fields.meta_publish_date is None


# --- info tables --------------------------------------------------------------------------------

TABLE = (
    '<table class="xxgk_table"><tr><td class="t">索 引 号：</td><td>11320100/2026-00012</td>'
    '<td class="t">发布机构：</td><td>临江市住房和城乡建设局</td></tr>'
    '<tr><td class="t">成文日期：</td><td>2026年10月08日</td><td class="t">发布日期：</td><td>2026年10月12日</td></tr>'
    '<tr><td class="t">文　　号：</td><td>临住建发〔2026〕3号</td><td class="t">有 效 性：</td><td>有效</td></tr></table>'
)
DL = (
    '<dl class="info"><dt>索引号</dt><dd>000014349/2026-00001</dd><dt>成文日期</dt><dd>2026-10-08</dd>'
    "<dt>发布日期</dt><dd>2026-10-12</dd><dt>发文字号</dt><dd>临住建办发[2026]3号</dd><dt>有效性</dt><dd>废止</dd></dl>"
)
DIVS = (
    '<div class="xxgk"><div class="row"><span class="l">索&ensp;引&ensp;号：</span><span>A/2026-1</span></div>'
    '<div class="row"><span class="l">生成日期：</span><span>2026-10-08</span></div>'
    '<div class="row"><span class="l">文件编号：</span><span>临住建发（2026）012号</span></div>'
    '<div class="row"><span class="l">发布时间：</span><span>2026-10-12 09:00</span></div></div>'
)
SPANS_NO_COLON = (
    '<div class="xxgk"><p><span>索引号</span><span>A/2026-1</span></p><p><span>成文日期</span><span>2026-10-08</span></p>'
    "<p><span>文号</span><span>临住建发【2026】5号</span></p><p><span>发布日期</span><span>2026-10-12</span></p></div>"
)
LIS = (
    '<ul class="info_public"><li>索引号：PZ00103-0200-2015-00004</li><li>主题分类：无</li>'
    "<li>发文机关：某局</li><li>成文日期：2026-10-08</li><li>发文字号： <font>临住建发〔2026〕7号</font></li>"
    "<li>发布日期：2026-10-12</li><li>有&ensp;效&ensp;性：<font>失效</font></li></ul>"
)


@pytest.mark.parametrize(
    "layout, doc_number, validity",
    [
        (TABLE, "临住建发〔2026〕3号", "有效"),
        (DL, "临住建办发[2026]3号", "废止"),
        (DIVS, "临住建发（2026）012号", None),
        (SPANS_NO_COLON, "临住建发【2026】5号", None),
        (LIS, "临住建发〔2026〕7号", "失效"),
    ],
    ids=["table", "dl", "divs", "spans-no-colon", "li"],
)
def test_info_table_layouts(layout: str, doc_number: str, validity: str | None) -> None:
    fields = run(page(body=f"<h1>关于印发临江市某办法的通知</h1>{layout}{BODY}"))
    assert (fields.publish_date, fields.date_source) == (date(2026, 10, 12), "infotable")
    assert (fields.written_date, fields.written_source) == (date(2026, 10, 8), "infotable")
    assert (fields.doc_number, fields.doc_number_source) == (doc_number, "infotable")
    assert fields.validity == validity


def test_info_table_beats_meta_and_labelled_text() -> None:
    fields = run(
        page(
            '<meta name="PubDate" content="2026-10-13 10:00">',
            f"<h1>关于印发临江市某办法的通知</h1><p>时间：2026-10-14</p>{TABLE}{BODY}",
        )
    )
    assert (fields.publish_date, fields.date_source) == (date(2026, 10, 12), "infotable")
    assert fields.meta_publish_date == date(2026, 10, 13)


def test_republished_old_document_keeps_its_written_date() -> None:
    table = TABLE.replace("2026年10月08日", "1981年05月23日")
    fields = run(page(body=f"<h1>国务院关于棉粮挂钩的通知</h1>{table}{BODY}"))
    assert fields.written_date == date(1981, 5, 23)  # before 1990 is fine for 成文日期
    assert fields.publish_date == date(2026, 10, 12)


def test_chinese_numeral_written_date() -> None:
    table = TABLE.replace("2026年10月08日", "二〇二六年十月八日")
    assert run(page(body=f"<h1>关于印发临江市某办法的通知</h1>{table}{BODY}")).written_date == date(2026, 10, 8)


def test_placeholder_values_are_none() -> None:
    table = TABLE.replace("临住建发〔2026〕3号", "无").replace(">有效<", ">-<")
    fields = run(page(body=f"<h1>关于公布名单的公告</h1>{table}{BODY}"))
    assert fields.doc_number is None
    assert fields.validity is None


def test_empty_value_cell_does_not_borrow_the_next_label() -> None:
    table = TABLE.replace("<td>临住建发〔2026〕3号</td>", "<td></td>")
    assert run(page(body=f"<h1>关于公布名单的公告</h1>{table}{BODY}")).doc_number is None


def test_decision_date_is_not_a_written_date() -> None:
    body = (
        "<h1>行政处罚信息公开表（金罚决字〔2024〕36号）</h1><p>发布时间：2024-07-12</p>"
        "<table><tr><td>行政处罚决定书文号</td><td>金罚决字〔2024〕36号</td></tr>"
        "<tr><td>作出处罚决定的日期</td><td>2024年7月8日</td></tr></table>" + BODY
    )
    fields = run(page(body=body))
    assert fields.written_date is None
    assert fields.doc_number == "金罚决字〔2024〕36号"
    assert fields.publish_date == date(2024, 7, 12)


# --- labelled text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        ('<div class="info">发布时间：2026-10-12　来源：办公室</div>', date(2026, 10, 12)),
        ('<div class="detail-info"><span>发布日期：2026-05-03</span><span>来源：办公室</span></div>', date(2026, 5, 3)),
        ('<p class="time">日期：2026年10月12日 发布者：办公室</p>', date(2026, 10, 12)),
        ("<td>发布时间：<span>2021-10-11</span></td>", date(2021, 10, 11)),
        ('<span alt="时间：2017-11-08 20:26"><i>时间：</i>2019-09-18 06:23</span>', date(2019, 9, 18)),
        ('<span class="date">发布日期：\n   2019-07-10&nbsp;10:43</span>', date(2019, 7, 10)),
        ("<div>【发布时间】2024-05-12</div>", date(2024, 5, 12)),
        ("<div>信息来源: 发布日期：2024-07-05 13:57</div>", date(2024, 7, 5)),
    ],
)
def test_labelled_date_near_title(line: str, expected: date) -> None:
    fields = run(page(body=f"<h1>关于开展检查的通知</h1>{line}{BODY}"))
    assert (fields.publish_date, fields.date_source) == (expected, "text")


def test_message_time_is_not_a_time_label() -> None:
    fields = run(page(body=f"<h1>关于开展检查的通知</h1><p>留言时间：2025-04-27</p>{BODY}"))
    assert fields.publish_date is None


def test_bare_time_label_far_from_title_is_ignored() -> None:
    fields = run(page(body=f"<h1>关于开展检查的通知</h1>{BODY * 8}<p>时间：2026年10月12日</p>"))
    assert fields.publish_date is None


def test_label_in_long_body_far_from_title_is_not_the_publish_date() -> None:
    body = f"<h1>关于开展检查的通知</h1>{BODY * 25}<p>（本公告原 发布时间：2026-01-01）</p>{BODY * 3}"
    fields = run(page('<meta name="PubDate" content="2026-10-12">', body))
    assert (fields.publish_date, fields.date_source) == (date(2026, 10, 12), "meta")


def test_strong_label_nearest_title_wins() -> None:
    body = f"<h1>关于开展检查的通知</h1><p>发布时间：2026-10-12</p>{BODY}<table><tr><td>发布时间：2026-01-01</td></tr></table>"
    assert run(page(body=body)).publish_date == date(2026, 10, 12)


# --- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, day, month",
    [
        ("http://127.0.0.1:8000/zwgk/202405/t20240512_123.html", date(2024, 5, 12), (2024, 5)),
        ("http://127.0.0.1:8000/art/2024/5/12/art_1201_345.html", date(2024, 5, 12), (2024, 5)),
        ("http://127.0.0.1:8000/zhengce/content/2018-12/29/content_5353307.htm", date(2018, 12, 29), (2018, 12)),
        ("http://127.0.0.1:8000/news/2024/05/12/abc.html", date(2024, 5, 12), (2024, 5)),
        ("http://127.0.0.1:8000/news/202405/12/abc.html", date(2024, 5, 12), (2024, 5)),
        ("http://127.0.0.1:8000/col/202405/abc_1.html", None, (2024, 5)),
        ("http://127.0.0.1:8000/art/2024/2/30/art_1_2.html", None, None),
        ("http://127.0.0.1:8000/content_5353307.htm", None, None),
        ("", None, None),
    ],
)
def test_url_dates(url: str, day: date | None, month: tuple[int, int] | None) -> None:
    found = urls.url_date(url)
    assert (found.day, found.month) == (day, month)


def test_url_is_a_fallback_only() -> None:
    html = page(body=f"<h1>关于开展检查的通知</h1>{BODY}")
    fields = run(html, "http://127.0.0.1:8000/art/2024/5/12/art_1201_345.html")
    assert (fields.publish_date, fields.date_source) == (date(2024, 5, 12), "url")
    visible = page(body=f"<h1>关于开展检查的通知</h1><p>发布日期：2024-05-14</p>{BODY}")
    assert run(visible, "http://127.0.0.1:8000/art/2024/5/12/art_1201_345.html").publish_date == date(2024, 5, 14)


def test_month_only_url_gives_no_day() -> None:
    fields = run(page(body=f"<h1>关于开展检查的通知</h1>{BODY}"), "http://127.0.0.1:8000/col/202405/abc_1.html")
    assert fields.publish_date is None
    assert any("month" in note for note in fields.notes)


# --- traps: navigation, sidebars, footers, hidden text, validation -----------------------------


def test_sidebar_and_footer_dates_are_never_taken() -> None:
    assert run(page(body=f"<h1>关于开展检查的通知</h1>{BODY}")).publish_date is None


def test_related_list_inside_article_is_ignored() -> None:
    related = '<div class="xgwz"><h4>相关文章</h4><ul>' + "".join(
        f'<li><a href="/y/{i}.html">相关文章{i}</a> 发布时间：2026-11-1{i}</li>' for i in range(4)
    ) + "</ul></div>"
    body = f'<div class="article"><h1>关于开展检查的通知</h1><div class="zoom">{BODY}</div>{related}</div>'
    fields = run(page(body=body))
    assert fields.publish_date is None
    assert not any("/y/" in url for url, _ in fields.links)


def test_unlabeled_dated_link_list_in_body_area_is_ignored() -> None:
    items = "".join(f'<p><a href="/z/{i}.html">某通知{i}</a> 2026-11-0{i}</p>' for i in range(1, 5))
    fields = run(page(body=f"<h1>关于开展检查的通知</h1><div>{items}</div>{BODY}"))
    assert fields.publish_date is None


def test_article_inside_a_block_named_like_navigation() -> None:
    # skipped on the fast path (strong name), so the extractor must walk again and find it
    body = f'<div class="nav-content"><h1>关于开展检查的通知</h1><p>发布时间：2026-10-12</p>{BODY}</div>'
    fields = run(page(body=body))
    assert fields.publish_date == date(2026, 10, 12)
    assert "现就有关事项通知如下" in fields.body_text


def test_title_and_date_inside_a_position_wrapper() -> None:
    head = '<meta name="ArticleTitle" content="关于开展检查的通知">'
    body = f'<div class="position-relative"><h1>关于开展检查的通知</h1><p>发布时间：2026-10-12</p></div>{BODY}'
    fields = run(page(head, body))
    assert (fields.publish_date, fields.date_source) == (date(2026, 10, 12), "text")


def test_date_in_an_article_footer_block_is_read() -> None:
    body = (
        f'<div class="article"><h1>关于开展检查的通知</h1><div class="zoom">{BODY}</div>'
        '<div class="article-foot">发布日期：2026-10-12</div></div>'
    )
    fields = run(page('<meta name="PubDate" content="2026-10-10">', body))
    assert (fields.publish_date, fields.date_source) == (date(2026, 10, 12), "text")


def test_hidden_blocks_are_not_read() -> None:
    body = (
        '<h1>关于开展检查的通知</h1><div style="display: none">发布时间：2020-01-01</div>'
        '<div class="ng-hide">发布时间：2020-01-02</div><div class="info">发布时间：2026-10-12</div>' + BODY
    )
    assert run(page(body=body)).publish_date == date(2026, 10, 12)


def test_future_and_prehistoric_dates_are_rejected() -> None:
    head = '<meta name="PubDate" content="2027-01-01">'
    future = run(page(head, f"<h1>关于开展检查的通知</h1><p>发布时间：2027-01-01</p>{BODY}"))
    assert future.publish_date is None
    assert any("out of range" in note for note in future.notes)
    old = run(page(body=f"<h1>关于开展检查的通知</h1><p>发布时间：1985-01-01</p>{BODY}"))
    assert old.publish_date is None
    assert run(page(body=f"<h1>关于开展检查的通知</h1><p>发布时间：2026-11-21</p>{BODY}")).publish_date is None


def test_as_of_defaults_to_today() -> None:
    fields = extract_article(page(body=f"<h1>关于开展检查的通知</h1><p>发布时间：2099-01-01</p>{BODY}"))
    assert fields.publish_date is None


def test_title_area_last_resort() -> None:
    fields = run(page(body=f'<h1>关于开展检查的通知</h1><div class="date">2026-10-12</div>{BODY}'))
    assert (fields.publish_date, fields.date_source) == (date(2026, 10, 12), "dateparser")
    english = run(page(body=f'<h1>关于开展检查的通知</h1><div class="date">May 12, 2024</div>{BODY}'))
    assert (english.publish_date, english.date_source) == (date(2024, 5, 12), "dateparser")


def test_body_event_dates_are_not_publish_dates() -> None:
    assert run(page(body=f"<h1>关于开展检查的通知</h1>{BODY}<p>2026年10月1日</p>")).publish_date is None


# --- 文号 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, expected",
    [
        ("关于印发某办法的通知（临住建发〔2026〕8号）", "临住建发〔2026〕8号"),
        ("国家金融监督管理总局行政处罚信息公开表(金罚决字〔2024〕36号)", "金罚决字〔2024〕36号"),
        ("临住建发[2026]8号 关于印发某办法的通知", "临住建发[2026]8号"),
        ("关于转发国发〔2019〕4号文件的通知", None),  # quoted, not this document's number
        ("关于转发《某某办法》（国办发〔2024〕1号）的通知", None),
        ("关于2024年工作要点的通知", None),
    ],
)
def test_docno_in_title(title: str, expected: str | None) -> None:
    assert docnumber.in_title(title) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("国发〔2019〕4号", "国发〔2019〕4号"),
        ("临住建发[2026]8号", "临住建发[2026]8号"),
        ("临住建发【2026】8号", "临住建发【2026】8号"),
        ("临住建发(2026)8号", "临住建发(2026)8号"),
        ("临住建发（2026）012号", "临住建发（2026）012号"),
        ("临住建发〔2026〕第12号", "临住建发〔2026〕第12号"),
        ("临住建发〔18〕5号", "临住建发〔18〕5号"),
        ("临住建发〔2026〕8", "临住建发〔2026〕8"),
        ("临住建发 〔2026〕 8号", "临住建发 〔2026〕 8号"),
        ("国令第707号", "国令第707号"),
        ("财政部 税务总局公告2023年第1号", "财政部 税务总局公告2023年第1号"),
        ("国发〔2019〕4号　　　签发人：张三", "国发〔2019〕4号"),
        ("根据国发〔2019〕4号文件精神", None),
    ],
)
def test_docno_line_faults_kept_as_printed(line: str, expected: str | None) -> None:
    assert docnumber.on_own_line(line) == expected


def test_docno_from_first_body_lines() -> None:
    body = (
        '<h1>关于开展检查的通知</h1><div class="info">发布日期：2024-05-12</div>'
        f'<div class="content"><p>某某市人民政府办公室文件</p><p>某政办发〔2024〕12号</p>{BODY}</div>'
    )
    fields = run(page(body=body))
    assert (fields.doc_number, fields.doc_number_source) == ("某政办发〔2024〕12号", "body")


def test_docno_quoted_in_running_text_is_not_taken() -> None:
    later = f"{BODY}{BODY}<p>常住建〔2020〕78号</p>"  # a standalone line, but deep in the body
    fields = run(page(body=f'<h1>关于开展检查的通知</h1><div class="info">发布日期：2024-05-12</div>{later}'))
    assert fields.doc_number is None


def test_info_table_docno_beats_title() -> None:
    fields = run(
        page('<meta name="ArticleTitle" content="关于印发某办法的通知（临住建发〔2026〕9号）">', f"<h1>关于印发某办法的通知</h1>{TABLE}{BODY}")
    )
    assert (fields.doc_number, fields.doc_number_source) == ("临住建发〔2026〕3号", "infotable")


def test_docno_from_title_when_no_table() -> None:
    head = '<meta name="ArticleTitle" content="关于印发某办法的通知（临住建发〔2026〕8号）">'
    fields = run(page(head, f"<h1>关于印发某办法的通知</h1>{BODY}"))
    assert (fields.doc_number, fields.doc_number_source) == ("临住建发〔2026〕8号", "title")


# --- title, body, links -------------------------------------------------------------------------


def test_title_order() -> None:
    head = '<meta name="ArticleTitle" content="元数据标题"><title>网页标题 - 某市政府</title>'
    with_meta = run(page(head, f"<h1>正文大标题文字</h1>{BODY}"))
    assert with_meta.title == "元数据标题"
    heading = run(page("<title>正文大标题文字 - 某市人民政府</title>", f"<h1>正文大标题文字</h1>{BODY}"))
    assert heading.title == "正文大标题文字"
    no_heading = run(page("<title>关于开展检查的通知_通知公告_某市人民政府</title>", BODY))
    assert no_heading.title == "关于开展检查的通知"


def test_title_is_kept_literally() -> None:
    hostile = '&lt;script&gt;alert("x")&lt;/script&gt;关于" onmouseover="alert(1)的通报'
    fields = run(page(body=f"<h1>{hostile}</h1><p>日期：2026年10月12日</p>{BODY}"))
    assert fields.title == '<script>alert("x")</script>关于" onmouseover="alert(1)的通报'


def test_body_text_and_links() -> None:
    body = (
        '<div class="article"><h1>关于开展检查的通知的解读</h1><div class="info">发布时间：2024-05-12</div>'
        f'<div class="content">{BODY}<p>相关文件：<a href="../202405/t20240510_1.html">《某办法》</a></p>'
        '<p><a href="javascript:void(0)">打印</a><a href="mailto:a@b.c">邮件</a><a href="ftp://x/y">ftp</a></p></div></div>'
    )
    fields = run(page(body=body), "http://127.0.0.1:8000/zcjd/202405/t20240512_2.html")
    assert fields.links == [("http://127.0.0.1:8000/zcjd/202405/t20240510_1.html", "《某办法》")]
    assert "现就有关事项通知如下" in fields.body_text
    assert "版权所有" not in fields.body_text and "其他文章标题" not in fields.body_text
    assert "发布时间" not in fields.body_text


def test_body_text_is_trimmed() -> None:
    long_body = "<p>" + "政府信息公开工作要点，" * 4000 + "</p>"
    assert len(run(page(body=f"<h1>关于开展检查的通知</h1>{long_body}")).body_text) <= 20_000


# --- selectors ----------------------------------------------------------------------------------


def test_selectors_css_xpath_and_meta() -> None:
    html = page(
        '<meta name="PubDate" content="2024-05-10">',
        f'<h1>页面标题文字</h1><div id="d">2024年5月11日</div><span class="wh">X发〔2024〕1号</span>{BODY}',
    )
    selectors = {
        "publish_date": "#d",
        "doc_number": "//span[@class='wh']",
        "title": "h1",
        "written_date": "meta[name=PubDate]",
    }
    fields = run(html, selectors=selectors)
    assert (fields.publish_date, fields.date_source) == (date(2024, 5, 11), "selector")
    assert (fields.written_date, fields.written_source) == (date(2024, 5, 10), "selector")
    assert (fields.doc_number, fields.doc_number_source) == ("X发〔2024〕1号", "selector")
    assert fields.title == "页面标题文字"
    assert fields.meta_publish_date == date(2024, 5, 10)


def test_bad_selectors_are_noted_not_raised() -> None:
    fields = run(page(body=f"<h1>关于开展检查的通知</h1>{BODY}"), selectors={"publish_date": "///[[", "title": "div[[["})
    assert len([n for n in fields.notes if "selector" in n]) == 2
    assert fields.title == "关于开展检查的通知"


# --- robustness ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "\x00\x01<<<>>>&&&",
        '<?xml version="1.0" encoding="gbk"?><html><body><p>发布日期：2024-05-12</p></body></html>',
        "<html><head><meta name='PubDate' content='2024-05-12'></head><body><h1>标题标题</h1><div>发布时间：2024-05-1",
        "<div><p><span>" * 300 + "深层嵌套",
        "<table><tr><td>成文日期：</td></tr></table>",
        "\ud800\udfff lone surrogates",
    ],
)
def test_odd_input_never_raises(html: str) -> None:
    fields = run(html)
    assert isinstance(fields, ArticleFields)


def test_public_entry_point_tolerates_non_text() -> None:
    assert extract_article(None).publish_date is None  # type: ignore[arg-type]


_FRAGMENTS = st.sampled_from(
    [
        "<div>", "</div>", "<p>", "</p>", "<td>", "</td>", "<tr>", "<table>", '<a href="x/1.html">', "</a>",
        "<br>", "<h1>", "</h1>", '<span class="title">', "</span>", "<dl><dt>", "</dt><dd>",
        '<meta name="PubDate" content="2024-05-12">', "<title>", "</title>", "<script>", "</script>",
        "发布日期：", "成文日期", "文　　号：", "2024-05-12", "2024年5月12日", "国发〔2019〕4号", "有效性：",
        '<div class="footer">', '<ul class="right">', "<li>", "时间：", "<!--", "&nbsp;", "\u3000",
        '<div style="display:none">', "<body>", "</html>",
    ]
)
_HTMLISH = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=12)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=st.one_of(st.text(), _HTMLISH), url=st.text(max_size=40))
def test_extraction_never_raises_on_arbitrary_text(html: str, url: str) -> None:
    fields = run(html, url)  # the internal function: a bug would raise here
    assert fields.publish_date is None or fields.publish_date <= AS_OF
    assert isinstance(extract_article(html, url), ArticleFields)


@settings(max_examples=200, deadline=None)
@given(
    body=st.binary(max_size=400),
    declared=st.one_of(st.none(), st.sampled_from(["gb2312", "utf-8", "text/html", "x-unknown"])),
)
def test_decoding_never_raises_on_arbitrary_bytes(body: bytes, declared: str | None) -> None:
    assert "\x00" not in decode_html(body, declared)


def test_future_visible_date_is_refused_with_a_note() -> None:
    """A labelled 发布日期 after as-of is never the publish date, but the note keeps the evidence."""
    html = page(body=f'<h1>关于做好城镇燃气安全工作的通知</h1><div class="info">发布日期：2026-12-08</div>{BODY}')
    fields = run(html)
    assert fields.publish_date is None and fields.date_source == ""
    assert "visible publish date 2026-12-08 out of range (as of 2026-11-20), ignored" in fields.notes
    later = run(html, as_of=date(2026, 12, 31))
    assert later.publish_date == date(2026, 12, 8) and not any("out of range" in n for n in later.notes)
