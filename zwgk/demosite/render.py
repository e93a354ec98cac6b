"""HTML of the demo site: the common frame, the four list styles, article pages and bodies.

Why hand-written strings rather than a template engine: the markup is the test fixture. Each
style copies the shape of real CMS output (see ``shared/realpages``) closely enough that a
crawler which reads the demo also reads the real thing, including the traps: sidebars full of
newer dated links, bodies quoting other dates, a page-regeneration time in the metadata.
"""
from __future__ import annotations

import html
import re
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from typing import Iterator

from zwgk.demosite.data import (DEMO_AS_OF, HANWEB, PAGE_DIV_TABLE, PAGE_DL_TABLE, PAGE_ENGLISH_DATE,
                           PAGE_META_12H, PAGE_META_EMPTY, PAGE_META_NULL, PAGE_SIZE, PAGE_TIME_LABEL,
                           PAGE_UNDATED, PAGE_URL_ONLY, QUERY, SITE_NAME, TRS, PAGE_NO_DATE,
                           PAGE_FRAME)
from zwgk.demosite.inspection import SITE_DOMAIN, fragment as inspection_fragment
from zwgk.demosite.model import Article, Column, SiteModel

# The bureau whose pages are being rendered (DemoSite sets it from SiteModel.name while it
# renders): the housing bureau by default, another bureau for a demo of another domain.
_SITE_NAME: ContextVar[str] = ContextVar("demosite_name", default=SITE_NAME)


def site_name() -> str:
    return _SITE_NAME.get()


@contextmanager
def rendering(name: str) -> Iterator[None]:
    """Render pages as the bureau ``name``."""
    token = _SITE_NAME.set(name)
    try:
        yield
    finally:
        _SITE_NAME.reset(token)

_BOOK_RE = re.compile(r"《([^《》]+)》")
_REPLY_RE = re.compile(r"关于(.+会议)第(\d+)号(建议|提案)的答复")
_MONTH_RE = re.compile(r"(\d{4})年(\d{1,2})月")
_REPORT_RE = re.compile(r"(\d{4})年政府信息公开工作年度报告")

SITE_ID_CODE = "3310000021"
DATAPROXY_PATH = "/module/web/jpage/dataproxy.jsp"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def cn(d: date) -> str:
    """2026年11月3日: the spelling of running text."""
    return f"{d.year}年{d.month}月{d.day}日"


def cn0(d: date) -> str:
    """2026年11月03日: the spelling of info tables."""
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def _book(title: str) -> str:
    m = _BOOK_RE.search(title)
    return m.group(1) if m else title


def _org(a: Article) -> str:
    return site_name() + "办公室" if a.spec.doc_number and "办发" in a.spec.doc_number else site_name()


_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def _list_date(a: Article) -> str:
    """The date printed next to an entry on lists and sidebars ("" for an undated article)."""
    if a.spec.page == PAGE_UNDATED:
        return ""
    return a.spec.list_date or a.published.isoformat()


def _meta_pubdate(a: Article) -> str:
    if a.spec.meta_pubdate:
        return a.spec.meta_pubdate
    if a.spec.page == PAGE_META_12H:  # ASP.NET-style metadata: M/D/YYYY and a 12-hour clock
        return f"{a.published.month}/{a.published.day}/{a.published.year} 3:15:00 PM"
    if a.spec.page == PAGE_META_NULL:
        return "null"
    if a.spec.page == PAGE_META_EMPTY:
        return ""
    return f"{a.published.isoformat()} {8 + a.id % 9:02d}:{a.id * 7 % 60:02d}"


# --- frame -----------------------------------------------------------------------------------

_NAV = (("/index.html", "首页"), ("/zfxxgk/index.html", "政府信息公开"),
        ("/xwzx/gzdt/index.html", "新闻中心"), ("/col/col1201/index.html", "政策文件"),
        ("/zcjd/index.html", "政策解读"), ("/hdjl/list.php?catid=41&page=1", "互动交流"),
        ("/ztzl/xczx/index.html", "专题专栏"))


def frame(*, title: str, charset: str, main: str, sidebar: str, column: Column | None = None,
          metas: str = "") -> str:
    """The page every URL shares: header nav, breadcrumb, main + right sidebar, dated footer."""
    column_metas = ""
    crumbs = '<a href="/index.html">首页</a>'
    if column is not None:
        name = esc(column.spec.name)
        column_metas = (f'<meta name="ColumnName" content="{name}">\n'
                        f'<meta name="ColumnDescription" content="{name}">\n'
                        f'<meta name="ColumnKeywords" content="{name}">\n'
                        f'<meta name="ColumnType" content="{name}">\n')
        crumbs += (' &gt; <a href="/zfxxgk/index.html">政府信息公开</a>'
                   f' &gt; <a href="{esc(column.path)}">{name}</a>')
    nav = "\n".join(f'<li><a href="{esc(href)}">{text}</a></li>' for href, text in _NAV)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="SiteName" content="{site_name()}">
<meta name="SiteDomain" content="{SITE_DOMAIN}">
<meta name="SiteIDCode" content="{SITE_ID_CODE}">
{column_metas}{metas}<title>{title}</title>
<link rel="stylesheet" type="text/css" href="/images/style.css">
<script type="text/javascript" src="/script/common.js"></script>
</head>
<body>
<div class="top-bar"><div class="w1200"><span>欢迎访问{site_name()}网站</span><span class="top-links"><a href="/index.html">网站首页</a> | <a href="/zfxxgk/index.html">信息公开目录</a></span></div></div>
<div class="header"><div class="w1200"><a class="logo" href="/index.html">{site_name()}</a></div></div>
<div class="nav"><ul class="w1200">
{nav}
</ul></div>
<div class="position w1200">当前位置：{crumbs}</div>
<div class="main w1200">
<div class="main-left">
{main}
</div>
<div class="main-right">
{sidebar}
</div>
</div>
<div class="footer"><div class="w1200">
<p>主办单位：{site_name()}　地址：临江市滨江大道188号　邮编：318000</p>
<p>版权所有 &copy; 2026 {site_name()}　网站标识码：{SITE_ID_CODE}</p>
<p>网站更新：{DEMO_AS_OF.isoformat()}</p>
</div></div>
</body>
</html>
"""


def _dated_li(a: Article) -> str:
    t = esc(a.title)
    shown = _list_date(a)
    return (f'<li><a href="{esc(a.path)}" target="_blank" title="{t}">{t}</a>'
            + (f'<span class="date">{shown}</span>' if shown else "") + "</li>")


def sidebar(model: SiteModel, article: Article | None = None) -> str:
    """相关文章 (newer articles of the same column) and 最新动态 (the site's newest news)."""
    blocks = []
    if article is not None:
        column = model.columns[article.column_index]
        newer = [b for b in column.live if b.published > article.published][:5]
        if newer:
            blocks.append('<div class="side-box"><div class="side-title">相关文章</div><ul>'
                          + "".join(_dated_li(b) for b in newer) + "</ul></div>")
    news = [b for b in model.news.live if b is not article][:5]
    blocks.append('<div class="side-box"><div class="side-title">最新动态</div><ul>'
                  + "".join(_dated_li(b) for b in news) + "</ul></div>")
    blocks.append('<div class="side-box"><div class="side-title">专题专栏</div><ul>'
                  '<li><a href="/ztzl/xczx/index.html">乡村振兴</a></li>'
                  '<li><a href="/ztzl/tpgj/index.html">脱贫攻坚</a></li></ul></div>')
    return "\n".join(blocks)


# --- list pages ------------------------------------------------------------------------------

def _relative_href(column: Column, a: Article) -> str:
    """TRS and nextlink lists link relative to the column folder, as their CMSs do."""
    return "./" + a.path[len(column.directory):] if column.style == TRS else a.path[len(column.directory):]


def hanweb_record(a: Article) -> str:
    t = esc(a.title)
    return (f'<li><a href="{esc(a.path)}" title="{t}" target="_blank">{t}</a>'
            f'<span class="bt-data-time">{_list_date(a)}</span></li>')


def hanweb_records_xml(records: list[Article]) -> str:
    return "".join(f"<record><![CDATA[\n{hanweb_record(a)}\n]]></record>\n" for a in records)


def dataproxy_xml(total: int, records: list[Article]) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<datastore>\n'
            f"<totalrecord>{total}</totalrecord>\n<recordset>\n"
            + hanweb_records_xml(records) + "</recordset>\n</datastore>\n")


def list_main(column: Column, page: int) -> str:
    name = esc(column.spec.name)
    size = PAGE_SIZE[column.style]
    count = len(column.list_pages)
    if column.style == HANWEB:
        total = len(column.articles)
        unit, colno = column.unitid, column.colno
        nextgroup = (f"{DATAPROXY_PATH}?page=1&webid=1&path=/&columnid={colno}&unitid={unit}"
                     f"&webname={site_name()}&permissiontype=0")
        return f"""<div class="bt-list-box"><div class="bt-list-title"><span>{name}</span></div>
<div id="{unit}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="{nextgroup}"></a>]]></nextgroup>
<totalrecord>{total}</totalrecord>
<recordset>
{hanweb_records_xml(column.articles[:size])}</recordset>
</datastore></script></div>
<script type="text/javascript" src="/module/web/jpage/jpage.js"></script>
<script type="text/javascript">
$(document).ready(function(){{$('#{unit}').jpage({{dataStore:'#{unit}',dataBefore:'<ul class="bt-list">',dataAfter:'</ul>',perPage:{size},totalRecord:{total},proxyUrl:'{DATAPROXY_PATH}',groupSize:3,barPosition:'bottom',showMode:'full',ajaxParam:{{columnid:{colno},unitid:{unit},webid:1}}}});}});
</script>
</div>"""
    entries = column.articles[page * size:(page + 1) * size]
    if column.style == TRS:
        lis = "\n".join(
            f'<li><a href="{esc(_relative_href(column, a))}" target="_blank" title="{esc(a.title)}">'
            f'{esc(a.title)}</a><span>{_list_date(a)}</span></li>' for a in entries)
        return (f'<div class="list-box"><div class="list-title"><span>{name}</span></div>\n'
                f'<ul class="list-ul">\n{lis}\n</ul>\n'
                f'<div class="page-box"><script type="text/javascript">'
                f'createPageHTML({count}, {page}, "index", "html");</script></div>\n</div>')
    if column.style == QUERY:
        # Hrefs keep a raw "&", as PHP list templates print them (parsers accept both).
        def link(p: int, text: str) -> str:
            return f'<a href="list.php?catid={column.catid}&page={p}">{text}</a>'
        if entries:
            rows = "\n".join(
                f'<tr><td class="title"><a href="{a.path.rsplit("/", 1)[1]}" target="_blank">'
                f'{esc(a.title)}</a></td><td class="date">{_list_date(a)}</td></tr>'
                for a in entries)
            nav = [f"共{count}页"]
            if page > 0:
                nav += [link(1, "首页"), link(page, "上页")]
            nav += [link(p, str(p)) if p != page + 1 else f"<strong>{p}</strong>"
                    for p in range(1, count + 1)]
            if page + 1 < count:
                nav += [link(page + 2, "下页"), link(count, "尾页")]
            pages = " ".join(nav)
        else:
            rows = '<tr><td colspan="2" class="nodata">暂无信息</td></tr>'
            pages = "共0条记录"
        return (f'<div class="list-box"><div class="list-title"><span>{name}</span></div>\n'
                f'<table class="list" width="100%">\n<tr><th>标题</th><th width="120">发布日期</th></tr>\n'
                f'{rows}\n</table>\n<div class="pages">{pages}</div>\n</div>')
    # NEXTLINK
    dds = "\n".join(
        f'<dd><a href="{esc(_relative_href(column, a))}" target="_blank" title="{esc(a.title)}">'
        f'{esc(a.title)}</a><em>[{_list_date(a)}]</em></dd>' for a in entries)

    def page_file(p: int) -> str:  # 0-based page -> file name in the column folder
        return "index.html" if p == 0 else f"list_{p + 1}.html"
    nav = []
    nav.append(f'<a href="{page_file(0)}">首页</a>' if page > 0 else "<span>首页</span>")
    nav.append(f'<a href="{page_file(page - 1)}">上一页</a>' if page > 0 else "<span>上一页</span>")
    nav.append(f'<span class="cur">第{page + 1}/{count}页</span>')
    if page + 1 < count:
        nav.append(f'<a href="{page_file(page + 1)}">下一页</a>')
        nav.append(f'<a href="{page_file(count - 1)}">尾页</a>')
    else:
        nav += ["<span>下一页</span>", "<span>尾页</span>"]
    return (f'<div class="news-list"><div class="news-title"><span>{name}</span></div>\n'
            f'<dl>\n{dds}\n</dl>\n<div class="page-nav">{" ".join(nav)}</div>\n</div>')


def list_page(model: SiteModel, column: Column, page: int) -> str:
    charset = "gb2312" if column.spec.gbk else "utf-8"
    title = f"{esc(column.spec.name)}_{site_name()}"
    return frame(title=title, charset=charset, main=list_main(column, page),
                 sidebar=sidebar(model), column=column)


# --- article bodies --------------------------------------------------------------------------

def _p(text: str) -> str:
    return f'<p style="text-indent:2em;">{text}</p>'


def _signature(org: str, d: date) -> str:
    return (f'<p style="text-align:right;">{org}</p>'
            f'<p style="text-align:right;">{cn(d)}</p>')


_MEETING_TOPICS = ("城镇老旧小区改造、保障性住房建设", "建筑施工安全生产、城镇燃气安全",
                   "物业服务质量提升、住房公积金管理", "城市更新项目推进、农村危房改造")
_DOC_FIELDS = ("质", "城", "房", "市")


def attachment_path(a: Article) -> str:
    """Where an article's attachment is served (``ArticleSpec.attachment``)."""
    return f"/uploads/{a.published:%Y%m}/P{a.id}.pdf"


def frame_path(a: Article) -> str:
    """The page a PAGE_FRAME article shows in its <iframe>."""
    return f"/uploads/{a.published:%Y%m}/W{a.id}.html"


def frame_target(model: SiteModel, column: Column, a: Article) -> str:
    """The framed page: the body alone, as a word processor's HTML export."""
    return ('<html><head><meta charset="utf-8"><title></title></head><body>\n'
            + _body(model, column, a) + "\n</body></html>")


def attachment_pdf(a: Article) -> bytes:
    """A small, valid one-page PDF (ASCII text: an attachment whose link works)."""
    text = f"Attachment {a.id} of {a.published.isoformat()}"
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _roster(a: Article) -> str:
    """A 公示 whose body is a table of names and amounts, with one short line of text."""
    schools = ("县第一中学", "县实验小学", "城关中学", "县职业中专")
    names = ("王*明", "李*华", "张*", "陈*芳", "刘*强", "赵*")
    rows = "".join(f"<tr><td>{i + 1}</td><td>{names[(a.id + i) % 6]}</td>"
                   f"<td>{schools[(a.id + i) % 4]}</td><td>{(1000 + 250 * ((a.id + i) % 5))}</td></tr>"
                   for i in range(6))
    return ('<table border="1" cellspacing="0" cellpadding="4"><tr><td>序号</td><td>姓名</td>'
            f"<td>学校</td><td>资助金额（元）</td></tr>{rows}</table>\n<p>公示期5个工作日。</p>")


def _body(model: SiteModel, column: Column, a: Article) -> str:
    if not a.spec.body:
        return ""  # a title-only page
    kind = column.spec.kind
    t = esc(a.title)
    if kind == "roster":
        return _roster(a)
    if kind == "doc":
        written = a.written or a.published
        ref = written - timedelta(days=20 + a.id % 30)
        due = written + timedelta(days=45 + a.id % 20)
        quoted = f"建办{_DOC_FIELDS[a.id % 4]}〔{ref.year}〕{10 + a.id % 60}号"
        office = "办公室" in a.title[:20]
        return "\n".join([
            "<p>各区县住房和城乡建设局，局机关各科室、各直属单位：</p>",
            _p(f"为贯彻落实《住房和城乡建设部办公厅关于进一步做好住房和城乡建设领域重点工作的通知》"
               f"（{quoted}）和{cn(ref)}全省住房城乡建设工作电视电话会议精神，结合我市实际，"
               f"现将有关事项通知如下。"),
            _p("一、提高思想认识。各单位要充分认识做好此项工作的重要意义，切实加强组织领导，"
               "明确责任分工，确保各项任务落到实处。"),
            _p(f"二、抓好工作落实。各单位应于{cn(due)}前将工作落实情况书面报送市住建局，"
               f"市住建局将适时组织督导检查。"),
            _p("三、本文件自印发之日起施行。"),
            _signature(site_name() + ("办公室" if office else ""), written),
            "<p>（此件公开发布）</p>",
        ])
    if kind == "meeting":
        held = a.meeting or a.published
        name = a.title.split("召开", 1)[1] if "召开" in a.title else a.title
        ref = held - timedelta(days=3 + a.id % 3)
        year_end = date(held.year, 12, 31)
        return "\n".join([
            _p(f"{cn(held)}，市住建局召开{esc(name)}。局党组书记、局长王建华主持会议并讲话。"),
            _p(f"会议传达学习了{cn(ref)}全市安全生产工作电视电话会议精神，听取了各科室近期重点工作"
               f"进展情况汇报，研究了{_MEETING_TOPICS[a.id % 4]}等事项。"),
            _p(f"会议要求，各科室、各直属单位要对照年度目标任务，倒排工期、挂图作战，确保在"
               f"{cn(year_end)}前完成各项目标任务。"),
            _p("局领导班子成员，各科室、各直属单位主要负责人参加会议。"),
        ])
    if kind == "interpretation":
        policy = a.policy
        assert policy is not None
        effective = policy.published + timedelta(days=30)
        return "\n".join([
            _p(f"{cn(policy.published)}，{site_name()}公开发布了《{esc(_book(a.title))}》。"
               f"为便于社会公众准确理解文件内容，现就有关情况解读如下。"),
            _p("一、制定背景。为贯彻落实国家和省有关决策部署，进一步规范相关工作，"
               "市住建局在深入调研、广泛征求意见的基础上起草了本文件。"),
            _p("二、主要内容。文件共分总则、职责分工、管理要求、监督检查、附则等部分，"
               "明确了适用范围、办理流程和各方责任。"),
            _p(f"三、施行时间。本文件自{cn(effective)}起施行。"),
            f'<p class="xgwj">相关文件：<a href="{esc(policy.path)}" target="_blank">'
            f"《{esc(policy.title)}》</a></p>",
        ])
    if kind == "consultation":
        end = a.published + timedelta(days=30)
        return "\n".join([
            _p(f"为提高决策的科学性和透明度，我局起草了《{esc(_book(a.title))}》，现向社会公开征求意见。"
               f"征求意见时间为{cn(a.published)}至{cn(end)}。"),
            _p("公众可通过信函方式提出意见建议：来信请寄临江市滨江大道188号临江市住房和城乡建设局"
               "法规科，邮政编码318000，并在信封上注明“征求意见”字样。"),
            _signature(site_name(), a.published),
        ])
    if kind == "feedback":
        start = a.published - timedelta(days=40 + a.id % 10)
        received = 8 + a.id % 20
        return "\n".join([
            _p(f"{cn(start)}至{cn(start + timedelta(days=30))}，我局就《{esc(_book(a.title))}》"
               f"公开征求社会意见，共收到意见建议{received}条。"),
            _p(f"经认真研究，采纳{received // 2}条，部分采纳{received // 4}条；未予采纳的意见主要涉及"
               f"上位法已有明确规定或不属于本文件调整范围的事项，已逐条说明理由。"),
            _p("感谢社会各界对住房和城乡建设工作的关心和支持。"),
        ])
    if kind == "reply":
        m = _REPLY_RE.search(a.title)
        who = "代表" if m and m.group(3) == "建议" else "委员"
        session = m.group(1) if m else ""
        return "\n".join([
            f"<p>尊敬的{who}：</p>",
            _p(f"您在{esc(session)}上提出的关于加强住宅小区物业管理的{m.group(3) if m else '建议'}收悉。"
               f"经认真研究，现答复如下。"),
            _p(f"一、工作开展情况。{cn(a.published.replace(month=1, day=1))}以来，我局会同各区县"
               f"持续推进物业服务质量提升行动，已完成住宅小区星级评定。"),
            _p("二、下一步打算。我局将进一步完善物业服务监管机制，推动物业服务提质增效。"),
            _p("感谢您对住房和城乡建设工作的关心和支持。"),
            _signature(site_name(), a.written or a.published),
        ])
    if kind == "enforcement":
        m = _MONTH_RE.search(a.title)
        year, month = (int(m.group(1)), int(m.group(2))) if m else (a.published.year, a.published.month)
        first = date(year, month, 1)
        last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))
        return "\n".join([
            _p(f"根据行政执法公示制度有关规定，现将{year}年{month}月行政执法结果公开如下。"),
            _p(f"{cn(first)}至{cn(last)}，我局共办结行政处罚案件{3 + a.id % 9}件，"
               f"实施行政检查{20 + a.id % 30}次，均已依法送达当事人。"),
            _p("具体案件信息见附件。如对行政执法结果有异议，可依法申请行政复议或提起行政诉讼。"),
        ])
    # generic
    ev = a.published - timedelta(days=2 + a.id % 6)
    cut = date(a.published.year, a.published.month, 1) - timedelta(days=1)
    fut = a.published + timedelta(days=30 + a.id % 40)
    paras = [
        _p(f"为做好{esc(column.spec.name)}相关工作，按照上级部门部署要求，{site_name()}结合工作实际"
           f"认真组织实施，现将“{t}”有关情况公开如下。"),
        _p(f"{cn(ev)}，局相关科室会同各区县住房和城乡建设部门开展实地调研和督导检查，逐项梳理"
           f"任务清单和责任分工。截至{cn(cut)}，各项工作均按计划有序推进。"),
        _p(f"下一步，我局将持续跟踪工作进展，于{cn(fut)}前完成阶段性总结评估，"
           f"相关情况将及时向社会公开。"),
    ]
    report = _REPORT_RE.search(a.title)
    if report:
        year = int(report.group(1))
        paras = [_p(f"本报告根据《中华人民共和国政府信息公开条例》第五十条要求编制，所列数据的"
                    f"统计期限自{year}年1月1日起至{year}年12月31日止。")]
        for number, (section, text) in enumerate(
                (s for s in REPORT_SECTIONS if s[0] not in a.spec.omitted_sections)):
            paras.append(f"<p><strong>{_CN_NUMBERS[number]}、{section}</strong></p>")
            paras.append(_p(text.format(year=year, org=site_name())))
    return "\n".join(paras)


# 年度报告: the six parts of the uniform format (国办公开办函〔2021〕30号), with filler text.
REPORT_SECTIONS = (
    ("总体情况", "{year}年，{org}认真贯彻落实《中华人民共和国政府信息公开条例》，持续深化政务公开工作。"),
    ("主动公开政府信息情况", "全年主动公开政府信息共计若干条，其中规范性文件、部门文件均按时公开。"),
    ("收到和处理政府信息公开申请情况", "全年共收到政府信息公开申请若干件，均已按期答复。"),
    ("政府信息公开行政复议、行政诉讼情况", "全年未发生因政府信息公开引起的行政复议、行政诉讼。"),
    ("存在的主要问题及改进情况", "政策解读形式还不够丰富，下一步将加强图解、视频等解读方式。"),
    ("其他需要报告的事项", "本年度未收取信息处理费。"),
)
_CN_NUMBERS = "一二三四五六"


# --- article pages ---------------------------------------------------------------------------

def _query_info(a: Article) -> str:
    """The lines under a query-style title: a 发布日期 span, or one of the page variants."""
    iso, page = a.published.isoformat(), a.spec.page
    views = f"<span>浏览次数：{100 + a.id % 400}</span>"
    if page == PAGE_DL_TABLE:
        return (f'<dl class="xxgk-info"><dt>索引号：</dt><dd>11331000002987654X/{a.published.year}-'
                f"{a.id - 4000:05d}</dd><dt>发布机构：</dt><dd>{site_name()}</dd>"
                f"<dt>成文日期：</dt><dd>{cn0(a.written or a.published)}</dd>"
                f"<dt>发布日期：</dt><dd>{cn0(a.published)}</dd></dl>\n"
                f'<div class="detail-info"><span>来源：{site_name()}</span>{views}</div>')
    if page == PAGE_DIV_TABLE:
        rows = (("索 引 号", f"11331000002987654X/{a.published.year}-{a.id - 4000:05d}"),
                ("发 布 机 构", site_name()), ("成 文 日 期", cn0(a.written or a.published)),
                ("发 布 日 期", cn0(a.published)), ("文　　号", esc(a.spec.doc_number or "")))
        return ('<div class="xxgk-box">\n' + "\n".join(
            f'<div class="xxgk-row"><div class="xxgk-label">{label}：</div>'
            f'<div class="xxgk-value">{value}</div></div>' for label, value in rows) + "\n</div>")
    if page == PAGE_ENGLISH_DATE:
        d = a.published
        return (f'<div class="detail-info"><span>来源：{site_name()}</span>{views}</div>\n'
                f'<p class="date-en">{d.day} {_EN_MONTHS[d.month - 1]} {d.year}</p>')
    if page in (PAGE_UNDATED, PAGE_NO_DATE):
        return f'<div class="detail-info"><span>来源：{site_name()}</span>{views}</div>'
    return (f'<div class="detail-info"><span>发布日期：{iso}</span><span>来源：{site_name()}</span>'
            f"{views}</div>")


def _nextlink_time(a: Article) -> str:
    if a.spec.page == PAGE_NO_DATE:
        return f'<p class="time">发布者：{site_name()}</p>'
    if a.spec.page == PAGE_TIME_LABEL:
        return f'<p class="time">时间：{a.published.isoformat()} 发布者：{site_name()}</p>'
    return f'<p class="time">日期：{cn(a.published)} 发布者：{site_name()}</p>'


def article_page(model: SiteModel, column: Column, a: Article) -> str:
    charset = "gb2312" if column.spec.gbk else "utf-8"
    t = esc(a.title)
    body = _body(model, column, a) + inspection_fragment(a.spec.inspection)
    if a.spec.attachment:
        body += (f'\n<p class="fj">附件：<a href="{esc(attachment_path(a))}" target="_blank">'
                 f"{esc(a.spec.attachment)}</a></p>")
    if a.spec.page == PAGE_FRAME:  # the text is another page's, shown in a frame
        body = (f'<iframe src="{esc(frame_path(a))}" width="100%" height="900" frameborder="0" '
                f'scrolling="auto"></iframe>')
    iso = a.published.isoformat()
    metas = ""
    page = a.spec.page
    if column.style in (TRS, HANWEB):
        metas = f'<meta name="ArticleTitle" content="{t}">\n'
        if page != PAGE_URL_ONLY:
            metas += f'<meta name="PubDate" content="{_meta_pubdate(a)}">\n'
        metas += f'<meta name="ContentSource" content="{_org(a)}">\n'
        if column.style == HANWEB:
            metas += '<meta name="Maketime" content="2026-11-20 03:15:42">\n'
    if column.style == TRS:
        main = f"""<div class="article">
<h1 class="article-title">{t}</h1>
<div class="info">{"" if page in (PAGE_META_12H, PAGE_META_NULL) else f"发布时间：{iso}　"}来源：{_org(a)}　<span class="font-size">【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</span></div>
<div class="TRS_Editor" id="zoom">
{body}
</div>
<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>"""
    elif column.style == HANWEB and page == PAGE_URL_ONLY:  # the date is only in the URL
        main = f"""<div class="con">
<p class="con-title">{t}</p>
<div class="small-title"><span>信息来源：{_org(a)}</span><span>浏览次数：<script type="text/javascript">document.write("")</script></span></div>
<div class="main-txt" id="zoom">
{body}
</div>
</div>"""
    elif column.style == HANWEB:
        docno = a.spec.doc_number or ""
        docno_label = "文　　号：" if a.id % 2 == 0 else "发文字号："
        written_label = "成 文 日 期：" if a.id % 3 == 0 else "成文日期："
        written = cn0(a.written) if a.written else ""
        subtitle = f'<p class="con-wh">{esc(docno)}</p>\n' if docno else ""
        main = f"""<div class="con">
<table class="xxgk_table" width="100%" cellspacing="0" cellpadding="0">
<tr><td class="t">索 引 号：</td><td>11331000002987654X/{a.published.year}-{a.id - 4000:05d}</td><td class="t">发布机构：</td><td>{_org(a)}</td></tr>
<tr><td class="t">{written_label}</td><td>{written}</td><td class="t">发布日期：</td><td>{cn0(a.published)}</td></tr>
<tr><td class="t">{docno_label}</td><td>{esc(docno)}</td><td class="t">有 效 性：</td><td>{esc(a.spec.validity)}</td></tr>
<tr><td class="t">名　　称：</td><td colspan="3">{t}</td></tr>
</table>
<p class="con-title">{t}</p>
{subtitle}<div class="small-title"><span>发布日期：{iso}</span><span>浏览次数：<script type="text/javascript">document.write("")</script></span><span>信息来源：{_org(a)}</span></div>
<div class="main-txt" id="zoom">
{body}
</div>
</div>"""
    elif column.style == QUERY:
        main = f"""<div class="show">
<h2 class="show-title">{t}</h2>
{_query_info(a)}
<div class="show-content">
{body}
</div>
</div>"""
    else:  # NEXTLINK
        info = ""
        if a.written:
            info = (f'<dl class="doc-info"><dt>成文日期</dt><dd>{cn0(a.written)}</dd>'
                    f"<dt>发布机构</dt><dd>{site_name()}</dd></dl>\n")
        main = f"""<div class="detail">
<h1>{t}</h1>
{_nextlink_time(a)}
{info}<div class="detail-content">
{body}
</div>
</div>"""
    title = f"{t}_{esc(column.spec.name)}_{site_name()}"
    return frame(title=title, charset=charset, main=main, sidebar=sidebar(model, a),
                 column=column, metas=metas)


# --- a list filled by JavaScript ---------------------------------------------------------------

# A second, newer-style list of 1.2 领导信息: the page shows only the first entries; the rest come
# from a JSON API that only a browser calls. The page announces the total in a script variable, so
# a crawler can (and must) say that the list it read is incomplete.
JS_LIST_ITEM = "1.2"
JS_LIST_PATH = "/zfxxgk/jgzn/ldxx/list.html"
JS_LIST_API = "/api/ldxx/articles"
JS_LIST_VISIBLE = 3


def js_list_page(model: SiteModel) -> str:
    column = model.column(JS_LIST_ITEM)
    entries = column.live[:JS_LIST_VISIBLE]
    lis = "\n".join(
        f'<li><a href="{esc(_relative_href(column, a))}" target="_blank" title="{esc(a.title)}">'
        f"{esc(a.title)}</a><span>{_list_date(a)}</span></li>" for a in entries)
    main = f"""<div class="list-box"><div class="list-title"><span>{esc(column.spec.name)}</span></div>
<ul class="list-ul" id="listBox">
{lis}
</ul>
<div class="page-box" id="pageBox"></div>
<script type="text/javascript">
var pageSize = {JS_LIST_VISIBLE}, totalCount = {len(column.live)};
$.ajax({{url: "{JS_LIST_API}", type: "GET", data: {{pageNo: 2, pageSize: pageSize}}, dataType: "json",
  success: function (res) {{ $.each(res.data, function (i, d) {{
    $("#listBox").append($("<li>").append($("<a>").attr("href", d.url).text(d.title), $("<span>").text(d.date))); }}); }}}});
</script>
</div>"""
    return frame(title=f"{esc(column.spec.name)}_{site_name()}", charset="utf-8", main=main,
                 sidebar=sidebar(model), column=column)


# --- site pages ------------------------------------------------------------------------------

def home_page(model: SiteModel, directory: bool) -> str:
    """The portal (/index.html) and the 信息公开目录 (/zfxxgk/index.html)."""
    rows = []
    for c in model.columns:
        if c.spec.item_id is None:
            continue
        newest = c.live[0].published.isoformat() if c.live else ""
        rows.append(f'<tr><td>{esc(c.spec.item_id)}</td><td><a href="{esc(c.path)}">'
                    f"{esc(c.spec.name)}</a></td><td>{newest}</td></tr>")
    table = ('<table class="catalog" width="100%"><tr><th>序号</th><th>栏目</th><th>最近更新</th></tr>\n'
             + "\n".join(rows) + "\n</table>")
    if directory:
        main = f'<div class="list-box"><div class="list-title"><span>政府信息公开目录</span></div>\n{table}\n</div>'
        return frame(title=f"政府信息公开_{site_name()}", charset="utf-8", main=main,
                     sidebar=sidebar(model))
    news = "\n".join(_dated_li(a) for a in model.news.live[:8])
    main = (f'<div class="home-news"><div class="list-title"><span>工作动态</span>'
            f'<a class="more" href="/xwzx/gzdt/index.html">更多</a></div>\n<ul class="list-ul">\n{news}\n</ul></div>\n'
            f'<div class="home-catalog"><div class="list-title"><span>信息公开</span></div>\n{table}\n</div>')
    return frame(title=site_name(), charset="utf-8", main=main, sidebar=sidebar(model))


def not_found_page() -> str:
    return frame(title=f"页面不存在_{site_name()}", charset="utf-8",
                 main='<div class="error"><h2>404</h2><p>对不起，您访问的页面不存在或已被删除。</p>'
                      '<p><a href="/index.html">返回首页</a></p></div>', sidebar="")


def server_error_page() -> str:
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>500 Internal Server Error"
            "</title></head><body><h1>500 Internal Server Error</h1>"
            "<p>数据库连接失败，请稍后再试。</p></body></html>\n")


STYLE_CSS = """body{margin:0;font:14px/1.8 "Microsoft YaHei",SimSun,sans-serif;color:#333}
.w1200{width:1200px;margin:0 auto}.nav ul{list-style:none;background:#1a5aa6}.nav li{display:inline-block}
.nav a{color:#fff;padding:0 20px}.main-left{float:left;width:860px}.main-right{float:right;width:300px}
.footer{clear:both;background:#f2f2f2;text-align:center;padding:20px 0}
"""

COMMON_JS = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  function url(i){ return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; }
  document.write("<a href=\\"" + url(0) + "\\">首页</a> ");
  if(nCurrIndex > 0){ document.write("<a href=\\"" + url(nCurrIndex - 1) + "\\">上一页</a> "); }
  if(nCurrIndex + 1 < _nPageCount){ document.write("<a href=\\"" + url(nCurrIndex + 1) + "\\">下一页</a> "); }
  document.write("<a href=\\"" + url(_nPageCount - 1) + "\\">尾页</a>");
}
function doZoom(size){ document.getElementById("zoom").style.fontSize = size + "px"; }
"""

JPAGE_JS = """/* jpage: loads Hanweb list records from dataproxy.jsp (stub of the vendor script) */
(function($){ $.fn.jpage = function(options){ return this; }; })(window.jQuery || {fn:{}});
"""

ROBOTS_TXT = "User-agent: *\nDisallow:\n"
