"""检查指标自查: the national inspection's checks beyond the catalog (issue 15).

Pure functions from what the crawler and ``zwgk probe`` recorded (page facts, probe results,
articles) to findings, plus ``checks``: the veto items of the 检查指标 with tonight's verdict.
Site-wide findings (homepage_stale, site_unavailable) belong to no catalog item (item_id
"site"); page findings carry the item whose column listed the page, so the 责任单位 is known.

Where evidence is unclear the verdict is "unknown" with the reason, never a fail: too few
probes, a home page that could not be read, a hidden link to another government site.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from zwgk.audit.findings import _CHECK_INDEX, RULES, Finding
from zwgk.audit.model import Article
from zwgk.grammar.asof import site_today
from zwgk.grammar.privacy import KINDS, MOBILE_ROSTER, redact
from zwgk.audit.wordlist import Term, find_terms

SITE = "site"  # item_id of site-wide findings

# The 检查指标自查 rules (findings.json "inspection"), apart from the catalog rules of
# findings.RULES: the engine never produces them and the 责任单位 scores do not count them.
# Names and detail keys are a contract like findings.RULES (docs/rules.md).
INSPECTION_RULES: dict[str, str] = {
    "homepage_stale": "首页不更新",
    "site_unavailable": "站点无法访问",
    "privacy_leak": "泄露个人隐私",
    "meta_tags_missing": "网页元数据缺失",
    "hidden_link": "隐藏链接",
    "wording_error": "严重表述错误",
}
INSPECTION_SOURCES: dict[str, str] = {
    "homepage_stale": _CHECK_INDEX + "单项否决指标“首页不更新”（监测时间点前2周内无更新）",
    "site_unavailable": _CHECK_INDEX + "单项否决指标“站点无法访问”（监测1周，超过15秒打不开的次数累计≥5%）",
    "privacy_leak": ("《中华人民共和国个人信息保护法》第二十八条、第三十四条；《政府信息公开条例》第十五条；"
                     + _CHECK_INDEX + "单项否决指标“安全、泄密事故等严重问题”"),
    "meta_tags_missing": "《政府网站网页设计规范》（国办发〔2017〕47号附件）网页元数据",
    "hidden_link": _CHECK_INDEX + "单项否决指标“安全、泄密事故等严重问题”（网站被挂马、篡改）",
    "wording_error": _CHECK_INDEX + "单项否决指标“严重错误”（严重表述错误）；本单位维护的错误表述词表",
}
HOMEPAGE_DAYS = 14           # 检查指标: 首页 not updated for 2 weeks
UNAVAILABLE_SHARE = 0.05     # 检查指标: ≥ 5 % of requests fail (15 s)
PROBE_WINDOW_DAYS = 7
PROBES_PER_DAY_MIN = 20      # fewer a day: too few to judge a 5 % share
SITE_TAGS = ("SiteName", "SiteDomain", "SiteIDCode")
LIST_TAGS = SITE_TAGS + ("ColumnName", "ColumnType")
ARTICLE_TAGS = SITE_TAGS + ("ArticleTitle", "PubDate", "ContentSource")
_TAGS = {"home": SITE_TAGS, "list": LIST_TAGS, "article": ARTICLE_TAGS}
_EMPTY_META = frozenset(("", "null", "none", "undefined", "nil"))
# A hidden link to another government site is most often a hover menu (部委网站 dropdowns):
# reported as a warning for a person to look at, never as 挂马.
GOV_SUFFIXES = (".gov.cn", ".gov")
# Hiding that no menu or pop-up needs: the tricks of injected spam links (挂马).
STRONG_HIDING = frozenset(("off-screen", "zero size", "font-size:0", "marquee"))


@dataclass(frozen=True)
class PageRecord:
    """One page's facts as stored (crawler.pagefacts + the home page's dates)."""

    url: str
    kind: str                 # article | list | home | home_column
    item_id: str | None = None
    column_url: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Probe:
    url: str
    at: datetime
    ok: bool
    status: int | None = None


@dataclass(frozen=True)
class Inspection:
    findings: tuple[Finding, ...]
    checks: tuple[dict[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        return {"findings": [_finding_json(f) for f in self.findings],
                "checks": list(self.checks)}


def _finding_json(f: Finding) -> dict[str, Any]:
    out = f.to_json()
    return {**out, "source": f.source or INSPECTION_SOURCES.get(f.rule) or out["source"],
            "item_id": f.item_id, "rule_name": INSPECTION_RULES.get(f.rule) or RULES[f.rule]}


# --- home page -------------------------------------------------------------------------------

def _dates(facts: dict[str, Any], as_of: date) -> list[date]:
    out = []
    for text in facts.get("dates") or ():
        try:
            d = date.fromisoformat(str(text)[:10])
        except ValueError:
            continue
        if d <= as_of:  # a future date is no evidence of an update
            out.append(d)
    return out


def homepage_stale(pages: list[PageRecord], as_of: date) -> tuple[list[Finding], dict[str, Any]]:
    homes = [p for p in pages if p.kind == "home"]
    check = {"check": "首页不更新", "rule": "homepage_stale",
             "threshold": f"首页（导航页看二级栏目）{HOMEPAGE_DAYS}天内无更新"}
    if not homes:
        return [], {**check, "verdict": "unknown", "reason": "本次未读取首页"}
    home = homes[0]
    dates = _dates(home.facts, as_of)
    judged_by = "首页"
    if not dates:
        columns = [p for p in pages if p.kind == "home_column" and p.column_url == home.url]
        dates = [d for p in columns for d in _dates(p.facts, as_of)]
        judged_by = f"首页为导航页，按其{len(columns)}个二级栏目"
    if not dates:
        status = home.facts.get("status")
        if home.facts.get("error") or not status or status >= 400:
            why = f"首页无法读取（{home.facts.get('error') or 'HTTP ' + str(status)}）"
        else:
            why = "首页及其二级栏目均未显示可识别的日期"
        return [], {**check, "verdict": "unknown", "reason": why + "，不作判定"}
    latest = max(dates)
    days = (as_of - latest).days
    if days <= HOMEPAGE_DAYS:
        return [], {**check, "verdict": "pass",
                    "reason": f"{judged_by}，最新信息日期{latest.isoformat()}（{days}天前）"}
    finding = Finding(
        rule="homepage_stale", severity="fail", item_id=SITE, evidence=(home.url,),
        message=(f"首页（{home.url}）最新信息日期为{latest.isoformat()}，已{days}天未更新"
                 f"（{judged_by}判断；超过{HOMEPAGE_DAYS}天即单项否决）。请网站主管单位更新首页信息。"),
        details={"homepage_url": home.url, "latest_date": latest, "days": days})
    return [finding], {**check, "verdict": "fail", "reason": finding.message}


# --- availability ----------------------------------------------------------------------------

def _probe_day(probe: Probe) -> date:
    """The probe's day in Beijing, as as-of is (a naive time is taken as UTC, as stored): a
    probe at 17:00 UTC belongs to the next day's count, not to the machine's date."""
    at = probe.at if probe.at.tzinfo else probe.at.replace(tzinfo=timezone.utc)
    return site_today(at)


def site_unavailable(probes: list[Probe], as_of: date) -> tuple[list[Finding], dict[str, Any]]:
    """The week ending on ``as_of``: the share of failed probes, judged when every day of it
    had at least ``PROBES_PER_DAY_MIN`` probes (else too few to tell 5 %)."""
    start = as_of - timedelta(days=PROBE_WINDOW_DAYS - 1)
    week = [p for p in probes if start <= _probe_day(p) <= as_of]
    check = {"check": "站点无法访问", "rule": "site_unavailable",
             "threshold": f"近{PROBE_WINDOW_DAYS}天探测失败（15秒无响应或出错）≥{UNAVAILABLE_SHARE:.0%}"}
    failed = sum(1 for p in week if not p.ok)
    per_day: dict[date, int] = defaultdict(int)
    for p in week:
        per_day[_probe_day(p)] += 1
    days = len(per_day)
    share = failed / len(week) if week else 0.0
    summary = {"checks": len(week), "failed": failed, "share": round(share, 4), "days": days}
    thin = [d for d in (start + timedelta(days=i) for i in range(PROBE_WINDOW_DAYS))
            if per_day.get(d, 0) < PROBES_PER_DAY_MIN]
    if thin:
        return [], {**check, **summary, "verdict": "unknown",
                    "reason": (f"近{PROBE_WINDOW_DAYS}天有{len(thin)}天探测少于{PROBES_PER_DAY_MIN}次"
                               f"（共{len(week)}次，失败{failed}次），样本不足，不作判定；"
                               "请用 cron 每15分钟运行 zwgk probe")}
    if share < UNAVAILABLE_SHARE:
        return [], {**check, **summary, "verdict": "pass",
                    "reason": f"{len(week)}次探测失败{failed}次（{share:.1%}）"}
    finding = Finding(
        rule="site_unavailable", severity="fail", item_id=SITE,
        evidence=tuple(sorted({p.url for p in week if not p.ok}))[:10],
        message=(f"近{PROBE_WINDOW_DAYS}天{len(week)}次可用性探测中{failed}次失败（{share:.1%}，"
                 f"≥{UNAVAILABLE_SHARE:.0%}即单项否决）。请网站运维单位排查服务器与网络。"),
        details=summary)
    return [finding], {**check, **summary, "verdict": "fail", "reason": finding.message}


# --- privacy ---------------------------------------------------------------------------------

def privacy_leak(pages: list[PageRecord]) -> list[Finding]:
    out = []
    for page in pages:
        for leak in page.facts.get("leaks") or ():
            kind = str(leak.get("kind"))
            # Samples were masked by the crawler; masked again, in case a store was written by
            # anything else: a full number never reaches a report.
            samples = [redact(str(s)) for s in leak.get("samples") or ()][:3]
            in_attachment = page.kind == "attachment"
            where = f"{'附件' if in_attachment else '页面'}（{page.url}）"
            count = int(leak.get("count") or 0)
            if kind == MOBILE_ROSTER:
                # Mobiles alone do not show whose they are: a list of 联系人 of offices is
                # published on purpose, a roster of residents is a leak. Warn, say what to check.
                severity = "warn"
                message = (f"{where}列出了{count}个手机号码（如 {'、'.join(samples)}）。"
                           "仅凭号码无法判断是否为个人隐私：若是群众等个人的手机号码，请撤下或作隐藏"
                           "处理后重新发布；若是工作人员的工作联系电话，可不处理。")
            else:
                severity = "fail"
                message = (f"{where}公开了{count}个{KINDS.get(kind, kind)}（如 "
                           f"{'、'.join(samples)}）。请立即撤下或对个人信息作隐藏处理后重新发布。")
            out.append(Finding(
                rule="privacy_leak", severity=severity, item_id=page.item_id or SITE,
                evidence=(page.url,),
                message=message,
                details={"url": page.url, "kind": kind, "count": int(leak.get("count") or 0),
                         "samples": samples, "in_attachment": in_attachment}))
    return out


# --- page tags -------------------------------------------------------------------------------

def _missing(facts: dict[str, Any], tags: tuple[str, ...]) -> list[str]:
    meta = {str(k).lower(): str(v) for k, v in (facts.get("meta") or {}).items()}
    return [t for t in tags if meta.get(t.lower(), "").strip().lower() in _EMPTY_META]


def meta_tags_missing(pages: list[PageRecord]) -> list[Finding]:
    """One warning per column: how many of its pages lack each required tag."""
    by_column: dict[tuple[str, str], list[PageRecord]] = defaultdict(list)
    for p in pages:
        if p.facts.get("meta") is None:
            continue  # not read as a page (an error, a non-HTML answer)
        if p.kind in ("list", "article") and p.column_url:
            by_column[(p.item_id or SITE, p.column_url)].append(p)
        elif p.kind == "home":
            by_column[(SITE, p.url)].append(p)
    out = []
    for (item_id, column_url), group in sorted(by_column.items()):
        counts: dict[str, int] = defaultdict(int)
        examples: list[str] = []
        for p in group:
            missing = _missing(p.facts, _TAGS[p.kind])
            for tag in missing:
                counts[tag] += 1
            if missing and len(examples) < 3:
                examples.append(p.url)
        if not counts:
            continue
        text = "、".join(f"{t}（{n}页）" for t, n in sorted(counts.items()))
        out.append(Finding(
            rule="meta_tags_missing", severity="warn", item_id=item_id,
            evidence=tuple(examples),
            message=(f"栏目（{column_url}）读取的{len(group)}个页面中缺少或空置网页元数据：{text}。"
                     "请按《政府网站网页设计规范》补全页面标签。"),
            details={"column_url": column_url, "missing": dict(sorted(counts.items())),
                     "pages": len(group)}))
    return out


# --- hidden links ----------------------------------------------------------------------------

def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _same_site(host: str, site_host: str) -> bool:
    strip = lambda h: h[4:] if h.startswith("www.") else h  # noqa: E731
    return strip(host) == strip(site_host) or host.endswith("." + strip(site_host))


def hidden_link(pages: list[PageRecord], base_url: str) -> list[Finding]:
    """One finding per hidden off-site href (a template hides it on every page: counted, not
    repeated). Fail only for the hiding tricks of 挂马 (off-screen, zero size, font-size 0, a
    collapsed marquee); ``display:none`` / ``visibility:hidden`` also hide share pop-ups, 纠错
    widgets and CMS credits on real sites, so those are warnings for a person to confirm, as is
    any hidden link to a government host."""
    site_host = _host(base_url)
    first: dict[str, tuple[PageRecord, dict[str, Any]]] = {}
    pages_with: dict[str, int] = defaultdict(int)
    for page in pages:
        for link in page.facts.get("hidden_links") or ():
            href = str(link.get("href") or "")
            host = _host(href)
            if not host or _same_site(host, site_host):
                continue
            pages_with[href] += 1
            if href not in first or (str(link.get("how")) in STRONG_HIDING
                                     and str(first[href][1].get("how")) not in STRONG_HIDING):
                first[href] = (page, link)
    out = []
    for href, (page, link) in first.items():
        how = str(link.get("how") or "")
        gov = _host(href).endswith(GOV_SUFFIXES)
        severe = how in STRONG_HIDING and not gov
        n = pages_with[href]
        where = f"页面（{page.url}）" + (f"等{n}个页面" if n > 1 else "")
        out.append(Finding(
            rule="hidden_link", severity="fail" if severe else "warn",
            item_id=page.item_id or SITE, evidence=(page.url, href),
            message=(f"{where}含有不可见的站外链接 {href}（{how}）"
                     + ("，疑似被挂马或篡改。请立即核查页面源码并删除。" if severe else
                        "；这种隐藏方式也用于下拉菜单、分享弹窗等正常功能，请人工确认。")),
            details={"url": page.url, "href": href, "how": how,
                     "markup": str(link.get("markup") or "")[:300], "pages": n}))
    return out


# --- wording ---------------------------------------------------------------------------------

def wording_error(articles: list[Article], terms: tuple[Term, ...]) -> list[Finding]:
    out = []
    seen: set[tuple[str, str]] = set()
    for a in articles:
        if not a.fetched or a.http_status >= 400 or a.http_status == 0:
            continue
        for term, context in find_terms(f"{a.title}\n{a.body_text}", terms):
            if (a.url, term.wrong) in seen:
                continue
            seen.add((a.url, term.wrong))
            out.append(Finding(
                rule="wording_error", severity="fail", item_id=a.item_id, evidence=(a.url,),
                message=(f"《{a.title or a.url}》中出现“{term.wrong}”"
                         + (f"，应为“{term.right}”" if term.right else "")
                         + f"（上下文：…{context}…）。请核实后更正。"),
                details={"url": a.url, "term": term.wrong, "suggestion": term.right,
                         "context": context}))
    return out


# --- links inside articles ------------------------------------------------------------------

def body_broken_links(pages: list[PageRecord]) -> list[Finding]:
    """Links in article bodies (attachments among them) that answered ≥ 400 or not at all."""
    out = []
    for p in pages:
        if p.kind != "link":
            continue
        status = p.facts.get("status")
        found_on = str(p.facts.get("found_on") or "")
        what = f"HTTP {status}" if status else f"无法连接（{p.facts.get('error') or '无响应'}）"
        out.append(Finding(
            rule="broken_link", severity="warn", item_id=p.item_id or SITE,
            evidence=tuple(u for u in (p.url, found_on) if u),
            message=f"正文中的链接 {p.url} 打开失败：{what}（所在页面：{found_on}）。请修复或删除该链接。",
            details={"url": p.url, "status": status or 0, "found_on": found_on}))
    return out


# --- the whole inspection --------------------------------------------------------------------

def inspect(*, base_url: str, pages: list[PageRecord], probes: list[Probe],
            articles: list[Article], terms: tuple[Term, ...], as_of: date,
            wordlist_configured: bool) -> Inspection:
    findings: list[Finding] = []
    checks: list[dict[str, Any]] = []
    home_findings, home_check = homepage_stale(pages, as_of)
    probe_findings, probe_check = site_unavailable(probes, as_of)
    findings += home_findings + probe_findings
    checks += [home_check, probe_check]
    for label, rule, threshold, found in (
            ("安全：隐藏链接（挂马/篡改迹象）", "hidden_link", "任一不可见的站外链接",
             hidden_link(pages, base_url)),
            ("个人隐私泄露", "privacy_leak", "任一页面或附件公开完整身份证号、银行卡号或手机号码名单",
             privacy_leak(pages)),
            ("严重表述错误", "wording_error", "出现本单位词表中的错误表述",
             wording_error(articles, terms) if terms else [])):
        findings += found
        fails = [f for f in found if f.severity == "fail"]
        if rule == "wording_error" and not wordlist_configured:
            verdict, reason = "unknown", "未配置 site.audit.wordlist，未检查"
        elif fails:
            verdict, reason = "fail", f"{len(fails)}处"
        elif found:
            verdict, reason = "warn", f"{len(found)}处待人工确认"
        else:
            verdict, reason = "pass", f"检查了{len([p for p in pages if p.kind != 'home_column'])}个页面，未发现"
        checks.append({"check": label, "rule": rule, "threshold": threshold, "verdict": verdict,
                       "reason": reason})
    findings += meta_tags_missing(pages) + body_broken_links(pages)
    return Inspection(tuple(findings), tuple(checks))


__all__ = ["inspect", "Inspection", "PageRecord", "Probe", "homepage_stale", "site_unavailable",
           "privacy_leak", "meta_tags_missing", "hidden_link", "wording_error",
           "body_broken_links", "SITE"]
