"""List readers on realistic synthetic pages of each CMS family, with the usual traps: header
navigation, a dated sidebar, a footer date, pager links that are not entries."""
from __future__ import annotations

import html
from datetime import date

import pytest

from zwgk.crawler.listing import ListEntry, ListPage, parse_list

SITE = "http://127.0.0.1:8000"

HEADER = """
<div class="header"><div class="logo"><a href="/"><img src="/logo.png" alt="临江市住房和城乡建设局"></a></div>
<span class="today">2026年11月20日 星期五</span>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/xwzx/">新闻中心</a></li><li><a href="/hdjl/">互动交流</a></li>
<li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="./">通知公告</a></div>
"""

SIDEBAR_ITEMS = [
    ("/xwzx/gzdt/202611/t20261119_9001.html", "市住建局开展冬季安全生产大检查", "2026-11-19"),
    ("/xwzx/gzdt/202611/t20261118_9000.html", "全市城建档案工作会议召开", "2026-11-18"),
    ("/xwzx/gzdt/202611/t20261117_8999.html", "我局召开2026年第10次局长办公会", "2026-11-17"),
    ("/xwzx/gzdt/202611/t20261116_8998.html", "老旧小区改造工程进度通报", "2026-11-16"),
    ("/xwzx/gzdt/202611/t20261115_8997.html", "住房公积金政策宣传进社区", "2026-11-15"),
    ("/xwzx/gzdt/202611/t20261114_8996.html", "物业服务质量提升行动推进会", "2026-11-14"),
]


def sidebar(kind: str = "class") -> str:
    items = "".join(f'<li><a href="{h}" title="{t}">{t}</a><span>{d}</span></li>'
                    for h, t, d in SIDEBAR_ITEMS)
    if kind == "aside":
        return f'<aside><h3>最新动态</h3><ul>{items}</ul></aside>'
    if kind == "heading":  # no telling class: only the box heading says what it is
        return f'<div class="r-box"><div class="r-tit">相关文章</div><ul>{items}</ul></div>'
    return f'<div class="sidebar"><div class="box"><h3>最新动态</h3><ul>{items}</ul></div></div>'


FOOTER = """
<div class="footer"><p><a href="/about.html">关于我们</a> | <a href="/map.html">网站地图</a> |
<a href="/contact.html">联系我们</a></p>
<p>版权所有 © 2026 临江市住房和城乡建设局 主办 网站标识码：3301000001 网站更新：2026-11-20</p></div>
"""


def page(main: str, *, side: str = "class", scripts: str = "", title: str = "通知公告",
         head: str = "") -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_临江市住房和城乡建设局</title>
<meta name="SiteName" content="临江市住房和城乡建设局"><meta name="ColumnName" content="{title}">{head}</head>
<body>{HEADER}<div class="container"><div class="main-content"><div class="col-title">{title}</div>{main}</div>
{sidebar(side) if side else ""}</div>{FOOTER}{scripts}</body></html>"""


def trs_items(n: int, start_day: int = 28, month: int = 10) -> list[tuple[str, str, str]]:
    out = []
    for i in range(n):
        d = date(2026, month, start_day - i)
        out.append((f"./2026{month:02d}/t{d:%Y%m%d}_{4700 + i}.html", f"关于开展住房保障工作检查的通知（第{i + 1}号）",
                    d.isoformat()))
    return out


def trs_list(items: list[tuple[str, str, str]]) -> str:
    lis = "".join(f'<li><a href="{h}" target="_blank" title="{t}">{t}</a><span>{d}</span></li>'
                  for h, t, d in items)
    return f'<ul class="list-ul">{lis}</ul>'


def expect(page_url: str, items: list[tuple[str, str, str]]) -> list[ListEntry]:
    from urllib.parse import urljoin
    return [ListEntry(urljoin(page_url, h), t, date.fromisoformat(d)) for h, t, d in items]


# --- TRS WCM ----------------------------------------------------------------------------------

@pytest.mark.parametrize("side", ["class", "aside", "heading"])
def test_trs_first_page_lists_all_other_pages(side: str) -> None:
    url = f"{SITE}/zwgk/tzgg/index.html"
    items = trs_items(10)
    html_text = page(trs_list(items) + '<div class="page"><script>createPageHTML(3, 0, "index", "html");</script></div>',
                     side=side)
    result = parse_list(html_text, url)
    assert result.style == "trs"
    assert result.entries == expect(url, items)
    assert result.next_urls == [f"{SITE}/zwgk/tzgg/index_1.html", f"{SITE}/zwgk/tzgg/index_2.html"]
    assert result.total_pages == 3
    assert not any("JavaScript" in n for n in result.notes)


@pytest.mark.parametrize("side", ["class", "aside", "heading"])
def test_trs_last_page_with_two_entries_beats_a_bigger_dated_sidebar(side: str) -> None:
    url = f"{SITE}/zwgk/tzgg/index_2.html"
    items = trs_items(2, start_day=3)
    html_text = page(trs_list(items) + '<script>createPageHTML(3, 2, "index", "html");</script>', side=side)
    result = parse_list(html_text, url)
    assert result.entries == expect(url, items)
    assert result.next_urls == []  # the first page already listed every page
    assert result.total_pages == 3


def test_trs_directory_url_and_variables() -> None:
    url = f"{SITE}/xwzx/hyxx/"
    items = trs_items(5)
    scripts = """<script>
    var countPage = 4//共多少页
    var currentPage = 0;
    createPageHTML(countPage, currentPage, "index", "htm");
    </script>"""
    result = parse_list(page(trs_list(items), scripts=scripts), url)
    assert result.next_urls == [f"{SITE}/xwzx/hyxx/index_{k}.htm" for k in (1, 2, 3)]
    assert result.entries == expect(url, items)


def test_trs_container_variant_counts_pages_from_one() -> None:
    url = f"{SITE}/gfxwj/fg.shtml"
    items = trs_items(4)
    scripts = "<script>createPageHTML('page_div',7, 1,'fg','shtml',95);</script>"
    result = parse_list(page(trs_list(items), scripts=scripts), url)
    assert result.next_urls == [f"{SITE}/gfxwj/fg_{k}.shtml" for k in range(2, 8)]
    assert result.total_pages == 7
    assert result.total_records == 95
    assert result.entries == expect(url, items)


def test_trs_document_write_pager_without_a_call() -> None:
    url = f"{SITE}/zwgk/ghjh/index.html"
    scripts = r"""<script>
    var currentPage = 0;//所在页从0开始
    var prevPage = currentPage-1
    var nextPage = currentPage+1
    var countPage = 3//共多少页
    if(countPage>1&&currentPage!=(countPage-1)) {
      document.write("<a href=\"index" + "_" + nextPage + "." + "html\">下一页</a>");
    }
    </script>"""
    items = trs_items(3)
    result = parse_list(page(trs_list(items), scripts=scripts), url)
    assert result.style == "trs"
    assert result.next_urls == [f"{SITE}/zwgk/ghjh/index_1.html", f"{SITE}/zwgk/ghjh/index_2.html"]


def test_trs_single_page_has_no_next_pages() -> None:
    url = f"{SITE}/zwgk/tzgg/index.html"
    items = trs_items(3)
    result = parse_list(page(trs_list(items), scripts='<script>createPageHTML(1, 0, "index", "html");</script>'), url)
    assert result.next_urls == [] and result.total_pages == 1
    assert result.entries == expect(url, items)


# --- Hanweb 大汉 ------------------------------------------------------------------------------

def hanweb_record(i: int, kind: str = "li") -> tuple[str, str, str, str]:
    d = date(2026, 10, 28) - (date(2026, 1, 2) - date(2026, 1, 1)) * i
    href = f"/art/{d.year}/{d.month}/{d.day}/art_1201_{345 + i}.html"
    title = f"临江市住房和城乡建设局关于印发第{i + 1}号文件的通知"
    if kind == "tr":
        frag = (f"<tr><td class='bt'><a href='{href}' title='{title}' target='_blank'>{title}</a></td>"
                f"<td class='bt-data-time'>{d.isoformat()}</td></tr>")
    else:
        frag = (f'<li><a href="{href}" title="{title}" target="_blank">{title}</a>'
                f'<span class="bt-data-time">{d.isoformat()}</span></li>')
    return frag, href, title, d.isoformat()


NEXTGROUP = ("/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid=1201&unitid=4567"
             "&webname=临江市住房和城乡建设局&permissiontype=0")


def hanweb_page(n_embedded: int, total: int, per_page: int = 15, group: int | None = None,
                kind: str = "li", nextgroup: bool = True) -> tuple[str, list[tuple[str, str, str, str]]]:
    recs = [hanweb_record(i, kind) for i in range(n_embedded)]
    records = "".join(f"<record><![CDATA[{frag}]]></record>\n" for frag, *_ in recs)
    ng = f'<nextgroup><![CDATA[<a href="{NEXTGROUP}"></a>]]></nextgroup>' if nextgroup else ""
    group_arg = f",groupSize:{group}" if group else ""
    main = f"""<div id="4567"><script type="text/xml"><datastore>{ng}<recordset>
{records}</recordset></datastore></script></div>
<script>$(function(){{$('#4567').jpage({{themeName:'default',showMode:'full',totalRecord:{total},
openCookies:false,dataBefore:'<ul class="list">',dataStore:dataStore,dataAfter:'</ul>'{group_arg},
proxyUrl:'/module/web/jpage/dataproxy.jsp',perPage:{per_page},barPosition:'bottom',
ajaxParam:{{col:1,appid:'1',webid:1,path:'/',columnid:1201,unitid:'4567',webname:'临江市住建局',permissiontype:0}}}});}});</script>"""
    return page(main, title="部门文件"), recs


def test_hanweb_embedded_records_and_ranges() -> None:
    url = f"{SITE}/col/col1201/index.html"
    text, recs = hanweb_page(15, 40)
    result = parse_list(text, url)
    assert result.style == "hanweb"
    assert result.entries == [ListEntry(SITE + h, t, date.fromisoformat(d)) for _, h, t, d in recs]
    assert result.total_records == 40
    assert result.next_urls == [
        f"{SITE}{NEXTGROUP}&startrecord=16&endrecord=30&perpage=15",
        f"{SITE}{NEXTGROUP}&startrecord=31&endrecord=40&perpage=15",
    ]


def test_hanweb_group_size_sets_range_size() -> None:
    text, _ = hanweb_page(45, 100, group=3)
    result = parse_list(text, f"{SITE}/col/col1201/index.html")
    assert [u.split("dataproxy.jsp?")[1].split("&startrecord=")[1] for u in result.next_urls] == [
        "46&endrecord=90&perpage=15", "91&endrecord=100&perpage=15"]


def test_hanweb_all_records_embedded_needs_no_proxy() -> None:
    text, recs = hanweb_page(12, 12)
    result = parse_list(text, f"{SITE}/col/col1201/index.html")
    assert len(result.entries) == 12 and result.next_urls == [] and result.notes == []


def test_hanweb_without_nextgroup_uses_proxy_url_and_ajax_params() -> None:
    text, _ = hanweb_page(15, 20, nextgroup=False)
    result = parse_list(text, f"{SITE}/col/col1201/index.html")
    assert len(result.next_urls) == 1
    nxt = result.next_urls[0]
    assert nxt.startswith(f"{SITE}/module/web/jpage/dataproxy.jsp?")
    assert "columnid=1201" in nxt and "unitid=4567" in nxt
    assert nxt.endswith("&startrecord=16&endrecord=20&perpage=15")


def test_hanweb_table_records() -> None:
    text, recs = hanweb_page(3, 3, kind="tr")
    result = parse_list(text, f"{SITE}/col/col1201/index.html")
    assert result.entries == [ListEntry(SITE + h, t, date.fromisoformat(d)) for _, h, t, d in recs]


def test_hanweb_dataproxy_answer_is_a_list_page() -> None:
    recs = [hanweb_record(i) for i in range(15, 30)]
    xml = ('<?xml version="1.0" encoding="utf-8"?><datastore><totalrecord>40</totalrecord><recordset>'
           + "".join(f"<record><![CDATA[{frag}]]></record>" for frag, *_ in recs)
           + "</recordset></datastore>")
    url = f"{SITE}{NEXTGROUP}&startrecord=16&endrecord=30&perpage=15"
    result = parse_list(xml, url)
    assert result.style == "hanweb_proxy"
    assert result.entries == [ListEntry(SITE + h, t, date.fromisoformat(d)) for _, h, t, d in recs]
    assert result.total_records == 40
    assert result.next_urls == [] and result.notes == []


# --- query-string tables ----------------------------------------------------------------------

def query_rows(ids: range) -> list[tuple[str, str, str]]:
    return [(f"show.php?catid=41&id={i}", f"关于市民来信第{i}号的答复", f"2026-05-{30 - i:02d}") for i in ids]


def query_page(rows: list[tuple[str, str, str]], pager: str) -> str:
    trs = "".join(f'<tr><td><a href="{h}">{t}</a></td><td>{d}</td></tr>' for h, t, d in rows)
    return page(f'<table class="list">{trs}</table><div class="pages">{pager}</div>', title="咨询投诉")


PAGER_3 = ('共3页 <a href="list.php?catid=41&page=1">1</a> <a href="list.php?catid=41&page=2">2</a> '
           '<a href="list.php?catid=41&page=3">3</a> <a href="list.php?catid=41&page=2">下页</a> '
           '<a href="list.php?catid=41&page=3">尾页</a>')


def test_query_first_page_lists_every_page() -> None:
    url = f"{SITE}/hdjl/list.php?catid=41&page=1"
    rows = query_rows(range(1, 11))
    result = parse_list(query_page(rows, PAGER_3), url)
    assert result.style == "query"
    assert result.total_pages == 3
    assert result.next_urls == [f"{SITE}/hdjl/list.php?catid=41&page=2", f"{SITE}/hdjl/list.php?catid=41&page=3"]
    assert result.entries == expect(url, rows)


def test_query_later_page_adds_nothing_when_total_known() -> None:
    result = parse_list(query_page(query_rows(range(11, 21)), PAGER_3), f"{SITE}/hdjl/list.php?catid=41&page=2")
    assert result.next_urls == [] and len(result.entries) == 10


def test_query_without_total_follows_visible_pages() -> None:
    pager = ('<a href="list.php?catid=41&pageNo=1">1</a> <a href="list.php?catid=41&pageNo=2">2</a> '
             '<a href="list.php?catid=41&pageNo=3">3</a> <a href="list.php?catid=41&pageNo=3">下一页</a>')
    url = f"{SITE}/hdjl/list.php?catid=41&pageNo=2"
    result = parse_list(query_page(query_rows(range(1, 6)), pager), url)
    assert result.next_urls == [f"{SITE}/hdjl/list.php?catid=41&pageNo=3"]


def test_query_other_category_links_are_not_pages() -> None:
    pager = '<a href="list.php?catid=42&page=2">2</a> <a href="show.php?catid=41&page=2">下一页</a>'
    result = parse_list(query_page(query_rows(range(1, 4)), pager), f"{SITE}/hdjl/list.php?catid=41&page=1")
    assert result.style != "query"


# --- 下一页 links ------------------------------------------------------------------------------

def nextlink_page(n: int, pager: str) -> tuple[str, list[tuple[str, str, str]]]:
    items = [(f"content_{123 + i}.html", f"《临江市物业管理办法》政策解读（{i + 1}）", f"2026-10-{20 - i:02d}")
             for i in range(n)]
    dds = "".join(f'<dd><a href="{h}">{t}</a><em>[{d}]</em></dd>' for h, t, d in items)
    return page(f'<div class="news-list"><dl>{dds}</dl></div><div class="pagebar">{pager}</div>',
                title="政策解读", side="heading"), items


def test_nextlink_follows_the_next_page() -> None:
    url = f"{SITE}/zcjd/index.html"
    text, items = nextlink_page(8, '<a href="index.html">首页</a> <span>上一页</span> '
                                   '<a href="list_2.html">下一页</a> <a href="list_5.html">尾页</a> 共5页')
    result = parse_list(text, url)
    assert result.style == "nextlink"
    assert result.next_urls == [f"{SITE}/zcjd/list_2.html"]
    assert result.total_pages == 5
    assert result.entries == expect(url, items)


def test_nextlink_last_page_stops() -> None:
    url = f"{SITE}/zcjd/list_5.html"
    text, items = nextlink_page(2, '<a href="index.html">首页</a> <a href="list_4.html">上一页</a> '
                                   '<a href="javascript:void(0)">下一页</a>')
    result = parse_list(text, url)
    assert result.next_urls == []
    assert result.entries == expect(url, items)
    assert result.notes == []


def test_nextlink_javascript_only_is_reported() -> None:
    text, _ = nextlink_page(3, '<a href="javascript:goPage(2)">下一页</a>')
    result = parse_list(text, f"{SITE}/zcjd/index.html")
    assert result.next_urls == []
    assert any("JavaScript" in n for n in result.notes)


# --- generic lists ----------------------------------------------------------------------------

def test_plain_list_without_pagination() -> None:
    url = f"{SITE}/zfxxgk/jgzn/ldxx/index.html"
    items = [("./202601/t20260105_11.html", "局长 张某某", "2026-01-05"),
             ("./202601/t20260105_12.html", "副局长 李某某", "2026-01-05")]
    lis = "".join(f'<li><span class="date">{d}</span><a href="{h}">{t}</a></li>' for h, t, d in items)
    result = parse_list(page(f'<div class="list"><ul>{lis}</ul></div>', title="领导信息"), url)
    assert result.style == "generic"
    assert result.entries == expect(url, items)
    assert result.next_urls == []


def test_table_list_takes_the_publication_date_column() -> None:
    url = f"{SITE}/zfxxgk/zcwj/index.html"
    head = "<tr><th>序号</th><th>标题</th><th>文号</th><th>成文日期</th><th>发布日期</th></tr>"
    rows = "".join(
        f'<tr><td>{i}</td><td><a href="./2026{i:02d}/t2026{i:02d}10_{i}.html" title="关于加强建筑市场管理的通知{i}">'
        f'关于加强建筑市场管理的通知{i}</a></td><td>临住建发〔2026〕{i}号</td>'
        f'<td>2026年{i}月3日</td><td>2026-{i:02d}-10</td></tr>' for i in range(1, 6))
    result = parse_list(page(f'<table class="xxgk-list">{head}{rows}</table>', title="部门文件"), url)
    assert [e.date for e in result.entries] == [date(2026, i, 10) for i in range(1, 6)]
    assert [e.title for e in result.entries] == [f"关于加强建筑市场管理的通知{i}" for i in range(1, 6)]


def test_rows_wrapped_whole_in_the_link() -> None:
    url = f"{SITE}/xwzx/tpxw/index.html"
    rows = "".join(f'<li><a href="./2026{m:02d}/t2026{m:02d}01_{m}.html"><span class="t">工程进展第{m}期</span>'
                   f'<span class="d">2026-{m:02d}-01</span></a></li>' for m in range(1, 5))
    result = parse_list(page(f'<ul class="news">{rows}</ul>'), url)
    assert [(e.title, e.date) for e in result.entries] == [(f"工程进展第{m}期", date(2026, m, 1)) for m in range(1, 5)]


def test_dt_dd_rows_and_bare_link_runs() -> None:
    url = f"{SITE}/a/index.html"
    dls = "".join(f'<dl><dt><a href="d{i}.html">定义列表条目{i}</a></dt><dd>2026-03-0{i}</dd></dl>' for i in range(1, 4))
    result = parse_list(page(f'<div class="lists">{dls}</div>'), url)
    assert [(e.url, e.date) for e in result.entries] == [(f"{SITE}/a/d{i}.html", date(2026, 3, i)) for i in range(1, 4)]
    flat = "".join(f'<a href="f{i}.html">平铺链接条目{i}</a> [2026-04-0{i}]<br/>' for i in range(1, 5))
    result = parse_list(page(f'<div class="con">{flat}</div>'), url)
    assert [(e.url, e.date) for e in result.entries] == [(f"{SITE}/a/f{i}.html", date(2026, 4, i)) for i in range(1, 5)]


def test_month_day_dates_take_the_year_from_the_url_only() -> None:
    url = f"{SITE}/b/index.html"
    rows = ('<li><a href="./202610/t20261012_1.html">有年份的网址条目</a><span>10-12</span></li>'
            '<li><a href="./content_2.html">没有年份的网址条目</a><span>10-11</span></li>')
    result = parse_list(page(f'<ul class="list">{rows}</ul>'), url)
    assert [(e.title, e.date) for e in result.entries] == [
        ("有年份的网址条目", date(2026, 10, 12)), ("没有年份的网址条目", None)]


def test_undated_rows_in_the_dated_block_are_kept() -> None:
    url = f"{SITE}/c/index.html"
    rows = ('<li><a href="a.html">第一条有日期的条目</a><span>2026-01-02</span></li>'
            '<li><a href="b.html">第二条没有日期的条目</a><span></span></li>'
            '<li><a href="c.html">第三条有日期的条目</a><span>2026-01-01</span></li>')
    result = parse_list(page(f'<ul class="list">{rows}</ul>'), url)
    assert [e.date for e in result.entries] == [date(2026, 1, 2), None, date(2026, 1, 1)]


def test_hostile_title_is_read_as_literal_text() -> None:
    hostile = '<script>alert("x")</script>关于" onmouseover="alert(1)的通报'
    row = (f'<li><a href="./202610/t20261012_1.html" title="{html.escape(hostile)}">{html.escape(hostile)}</a>'
           '<span>2026-10-12</span></li>')
    result = parse_list(page(f'<ul class="list-ul">{row}</ul>'), f"{SITE}/d/index.html")
    assert [e.title for e in result.entries] == [hostile]


def test_base_href_is_honoured() -> None:
    head = f'<base href="{SITE}/other/dir/">'
    result = parse_list(page(trs_list(trs_items(2)), head=head), f"{SITE}/d/index.html")
    assert all(e.url.startswith(f"{SITE}/other/dir/2026") for e in result.entries)


# --- empty and JavaScript-only lists ----------------------------------------------------------

def test_empty_column_does_not_borrow_the_sidebar() -> None:
    for side in ("class", "aside", "heading"):
        result = parse_list(page('<div class="list"><p class="empty">暂无信息</p></div>', side=side,
                                 title="项目实施"), f"{SITE}/xmss/list.php?catid=50")
        assert result.entries == [], side
        assert any("暂无信息" in n for n in result.notes)


def test_script_filled_list_is_reported() -> None:
    main = '<div class="list"><ul id="list"></ul></div>'
    scripts = """<script>$.ajax({url: "/api/column/list", data: {channel: 12}, success: function(d){
    $('#list').html(render(d));}});</script>"""
    result = parse_list(page(main, scripts=scripts), f"{SITE}/e/index.html")
    assert result.entries == []
    assert any("JavaScript" in n and "/api/column/list" in n for n in result.notes)


def test_announced_total_larger_than_visible_rows_is_reported() -> None:
    items = trs_items(10)
    main = trs_list(items) + '<div class="page">共 57 条记录</div>'
    result = parse_list(page(main), f"{SITE}/f/index.html")
    assert len(result.entries) == 10
    assert result.total_records == 57
    assert any("10 of 57 records visible without JavaScript" in n for n in result.notes)


def test_announced_total_met_by_pages_is_not_reported() -> None:
    main = trs_list(trs_items(10)) + '<script>var recordCount = 25; createPageHTML(3, 0, "index", "html");</script>'
    result = parse_list(page(main), f"{SITE}/f/index.html")
    assert result.total_records == 25 and len(result.next_urls) == 2
    assert not any("visible without JavaScript" in n for n in result.notes)


def test_no_list_at_all() -> None:
    result = parse_list(page("<p>本栏目介绍文字。</p>"), f"{SITE}/g/index.html")
    assert result.entries == [] and result.notes


# --- selector overrides -----------------------------------------------------------------------

def custom_page() -> str:
    rows = "".join(f'<div class="x-row"><span class="x-t"><a href="/doc/{i}.html">自定义条目{i}</a></span>'
                   f'<i class="x-d">发布于 2026/0{i}/0{i}</i><b>2025-01-01</b></div>' for i in range(1, 4))
    return page(f'<div class="x-box">{rows}</div><a class="x-more" href="/doc/list_2.html">更 多</a>')


@pytest.mark.parametrize("selectors", [
    {"list_entry": "div.x-row", "list_title": "span.x-t a", "list_date": "i.x-d", "next_page": "a.x-more"},
    {"list_entry": "//div[@class='x-row']", "list_title": ".//span[@class='x-t']/a", "list_date": "./i/text()",
     "next_page": "//a[@class='x-more']/@href"},
])
def test_selectors_override(selectors: dict[str, str]) -> None:
    result = parse_list(custom_page(), f"{SITE}/doc/index.html", selectors=selectors)
    assert [(e.url, e.title, e.date) for e in result.entries] == [
        (f"{SITE}/doc/{i}.html", f"自定义条目{i}", date(2026, i, i)) for i in range(1, 4)]
    assert result.next_urls == [f"{SITE}/doc/list_2.html"]


def test_bad_selector_is_noted_and_ignored() -> None:
    items = trs_items(3)
    url = f"{SITE}/h/index.html"
    result = parse_list(page(trs_list(items)), url, selectors={"list_entry": "div[[["})
    assert result.entries == expect(url, items)
    assert any("list_entry" in n for n in result.notes)


def test_selectors_apply_to_hanweb_records() -> None:
    text, recs = hanweb_page(5, 5)
    result = parse_list(text, f"{SITE}/col/col1201/index.html", selectors={"list_entry": "li", "list_date": "span"})
    assert [e.url for e in result.entries] == [SITE + h for _, h, _, _ in recs]


def test_result_types() -> None:
    result = parse_list(page(trs_list(trs_items(1))), f"{SITE}/i/index.html")
    assert isinstance(result, ListPage) and isinstance(result.entries[0], ListEntry)


def test_badge_links_and_owner_words_in_titles() -> None:
    url = f"{SITE}/j/index.html"
    rows = "".join(f'<li><a href="./2026/t2026010{i}_{i}.html">关于主办单位变更的公告{i}</a> '
                   f'<a href="./jd{i}.html">[解读]</a> <a href="./tj{i}.html">[图解]</a>'
                   f'<span>2026-01-0{i}</span></li>' for i in range(1, 5))
    result = parse_list(page(f'<ul class="list">{rows}</ul>'), url)
    assert [(e.title, e.date) for e in result.entries] == [
        (f"关于主办单位变更的公告{i}", date(2026, 1, i)) for i in range(1, 5)]


def test_unmarked_footer_with_update_date_is_not_a_list() -> None:
    footer = ('<div class="fbox"><p><a href="/about.html">关于我们</a> | <a href="/map.html">网站地图</a> '
              '网站更新：2026-11-20</p><p>版权所有 © 2026 临江市住房和城乡建设局</p></div>')
    result = parse_list(page('<div class="intro">本栏目暂未发布文件。</div>' + footer, side=""),
                        f"{SITE}/k/index.html")
    assert result.entries == []


def _box(cls: str, heading: str) -> str:
    items = "".join(f'<li><a href="/art/2026/11/{d}/art_9_{d}.html">其他栏目文章{d}</a><span>2026-11-{d:02d}</span></li>'
                    for d in range(10, 18))
    return f'<div class="{cls}"><div class="b-tit">{heading}</div><ul>{items}</ul></div>'


def _small_main() -> str:
    rows = "".join(f'<li><a href="/art/2026/3/{d}/art_5_{d}.html">本栏目文件{d}</a><span>2026-03-{d:02d}</span></li>'
                   for d in range(1, 4))
    return f'<ul>{rows}</ul>'


def test_side_box_told_by_its_heading_alone() -> None:
    text = page(_small_main(), side="").replace('<div class="footer">', _box("r-box", "相关文章") + '<div class="footer">')
    result = parse_list(text, f"{SITE}/col/col5/index.html")
    assert [e.title for e in result.entries] == [f"本栏目文件{d}" for d in range(1, 4)]


def test_side_box_told_by_its_class_alone() -> None:
    text = page(_small_main(), side="", title="本栏目").replace(
        '<div class="footer">', _box("sidebar", "工作动态") + '<div class="footer">')
    result = parse_list(text, f"{SITE}/col/col5/index.html")
    assert [e.title for e in result.entries] == [f"本栏目文件{d}" for d in range(1, 4)]
