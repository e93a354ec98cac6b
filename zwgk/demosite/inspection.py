"""检查指标自查 cases seeded in the demo site (issue 15), each beside its opposite.

A case is a fragment appended to one article's body (``ArticleSpec.inspection``); its expected
findings are declared next to it, so the page and the truth cannot drift. Every number is
synthetic: built from a fictional birth date and serial with a valid check digit (GB 11643) or
Luhn digit — a test greps every output for these full numbers (``FULL_NUMBERS``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stdnum import luhn
from stdnum.cn import ric


def _id(body17: str) -> str:
    """Append the GB 11643 check digit to a 17-digit body (stdnum ignores the last character)."""
    return body17 + ric.calc_check_digit(body17 + "0")


def _luhn(body: str) -> str:
    return body + luhn.calc_check_digit(body)


ID_FULL = _id("33010619850312123")          # a fictional resident, born 1985-03-12
ID_FULL_2 = _id("33010619900101456")
ID_WRONG_CHECK = ID_FULL[:-1] + ("0" if ID_FULL[-1] != "0" else "1")
CARD_FULL = _luhn("622202000012345678")
ORDER_NUMBER = _luhn("202611050000123456")  # Luhn-valid by chance, but an 订单号
MOBILES = ("13800000001", "13900000002", "15800000003", "18600000004")
OFFICE_MOBILE = "13700000005"
FULL_NUMBERS = (ID_FULL, ID_FULL_2, CARD_FULL) + MOBILES
SITE_DOMAIN = "zjj.linjiang.example"       # <meta name="SiteDomain"> of every page
HIDDEN_HREF = "http://casino-bet.example.com/"
VISIBLE_HREF = "http://www.mohurd.example.org/"
DEAD_LINK = "/zfxxgk/fj/2025-0413-fj1.pdf"  # a body link to an attachment that is gone (404)
LIVE_LINK = "/zfxxgk/index.html"
WRONG_TERM, RIGHT_TERM = "临江市国土资源局", "临江市自然资源和规划局"


def _masked(number: str, head: int, tail: int) -> str:
    return number[:head] + "*" * (len(number) - head - tail) + number[-tail:]


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    cells = lambda tag, row: "".join(f"<{tag}>{c}</{tag}>" for c in row)  # noqa: E731
    return ('<table border="1" class="gs-table"><tr>' + cells("th", header) + "</tr>"
            + "".join(f"<tr>{cells('td', r)}</tr>" for r in rows) + "</table>")


@dataclass(frozen=True)
class Case:
    html: str
    findings: tuple[dict[str, Any], ...] = field(default_factory=tuple)  # rule + details subset


CASES: dict[str, Case] = {
    # DEFECT privacy_leak: a 公示 table with full ID numbers.
    "id_leak": Case(
        "<p>配租对象名单如下：</p>" + _table(("序号", "姓名", "身份证号码", "配租房源"), [
            ("1", "王某某", ID_FULL, "安居苑3幢"), ("2", "陈某某", ID_FULL_2, "安居苑5幢")]),
        ({"rule": "privacy_leak", "details": {"kind": "id_number", "count": 2,
                                              "in_attachment": False}},)),
    # Its opposite: masked IDs and one with a wrong check digit — no finding.
    "id_masked": Case(
        "<p>审核通过对象名单如下：</p>" + _table(("序号", "姓名", "身份证号码"), [
            ("1", "王某某", _masked(ID_FULL, 6, 4)), ("2", "陈某某", _masked(ID_FULL_2, 6, 4)),
            ("3", "刘某某", ID_WRONG_CHECK)])),
    # DEFECT privacy_leak: a bank card number next to 账号.
    "bank_card": Case(
        f"<p>补贴资金已发放至申请人张某某（开户银行：临江农商银行，账号：{CARD_FULL}）。</p>",
        ({"rule": "privacy_leak", "details": {"kind": "bank_card", "count": 1,
                                              "in_attachment": False}},)),
    # Its opposite: a Luhn-valid 订单号 is no bank card.
    "order_number": Case(f"<p>本批补贴的资金拨付订单号：{ORDER_NUMBER}。</p>"),
    # DEFECT privacy_leak (warn: whose numbers they are is for a person to tell): a roster of mobiles.
    "mobile_roster": Case(
        "<p>配租对象联系方式：</p>" + _table(("序号", "姓名", "联系电话"), [
            (str(i), f"居民{i}", m) for i, m in enumerate(MOBILES, 1)]),
        ({"rule": "privacy_leak", "details": {"kind": "mobile_roster", "count": 4,
                                              "in_attachment": False}},)),
    # Its opposite: one office contact with a landline and a mobile.
    "office_contact": Case(
        f"<p>联系人：李某 联系电话：0571-87654321 手机：{OFFICE_MOBILE}</p>"),
    # DEFECT hidden_link: an invisible link to a gambling site (挂马).
    "hidden_link": Case(
        f'<div style="position:absolute;left:-9999px;top:-9999px"><a href="{HIDDEN_HREF}">'
        "彩票投注</a></div>",
        ({"rule": "hidden_link", "details": {"href": HIDDEN_HREF, "how": "off-screen"}},)),
    # Its opposite: a visible off-site link.
    "visible_link": Case(f'<p>相关链接：<a href="{VISIBLE_HREF}">住房和城乡建设部</a></p>'),
    # DEFECT broken_link (found_on): a body link to a removed attachment.
    "dead_body_link": Case(
        f'<p>附件：<a href="{DEAD_LINK}">资金分配明细表.pdf</a></p>',
        ({"rule": "broken_link", "details": {"url": DEAD_LINK, "status": 404}},)),
    # Its opposite: a same-site body link that works.
    "live_body_link": Case(f'<p>更多信息见<a href="{LIVE_LINK}">政府信息公开</a>。</p>'),
    # DEFECT wording_error: an agency name outdated since the institutional reform.
    "wording": Case(
        f"<p>本项工作由{WRONG_TERM}会同市住建局共同组织实施。</p>",
        ({"rule": "wording_error", "details": {"term": WRONG_TERM, "suggestion": RIGHT_TERM}},)),
    # Its opposite: the old name in an allowed phrase (history), per the word list.
    "wording_allowed": Case(f"<p>该地块原由原{WRONG_TERM}于2018年出让。</p>"),
}


def fragment(case: str | None) -> str:
    return CASES[case].html if case else ""


__all__ = ["CASES", "fragment", "FULL_NUMBERS", "ID_FULL", "CARD_FULL", "MOBILES",
           "HIDDEN_HREF", "WRONG_TERM", "RIGHT_TERM"]


# --- ground truth ------------------------------------------------------------------------------

def _article_tags_missing(style: str, page: str | None) -> tuple[str, ...]:
    """The 《网页设计规范》 article tags a demo article page lacks, by how render.article_page
    writes them: TRS and Hanweb templates carry ArticleTitle/PubDate/ContentSource (PubDate
    empty, "null" or absent on three date variants); the query and 下一页 templates none."""
    from zwgk.demosite.data import HANWEB, PAGE_META_EMPTY, PAGE_META_NULL, PAGE_URL_ONLY, TRS

    if style not in (TRS, HANWEB):
        return ("ArticleTitle", "ContentSource", "PubDate")
    return ("PubDate",) if page in (PAGE_URL_ONLY, PAGE_META_NULL, PAGE_META_EMPTY) else ()


def expected_inspection(model: Any = None) -> list[dict[str, Any]]:
    """Every 检查指标自查 finding the demo must show: {"item_id", "rule", "details"} (a subset of
    the findings.json details; article URLs as site paths). meta_tags_missing lists the tags and
    how many pages of the column lack each."""
    from zwgk.demosite.model import site_model

    model = model or site_model()
    out: list[dict[str, Any]] = []
    for column in model.columns:
        item = column.spec.item_id
        if item is None or column.spec.status != 200:
            continue
        missing: dict[str, int] = {}
        for a in column.live:
            if a.spec.inspection:
                for f in CASES[a.spec.inspection].findings:
                    where = "found_on" if f["rule"] == "broken_link" else "url"
                    out.append({"item_id": item, "rule": f["rule"],
                                "details": {where: a.path, **f["details"]}})
            for tag in _article_tags_missing(column.style, a.spec.page):
                missing[tag] = missing.get(tag, 0) + 1
        if missing:
            out.append({"item_id": item, "rule": "meta_tags_missing",
                        "details": {"column_url": column.path, "missing": missing}})
    return out
