"""检查指标自查 rules (audit.rules.inspection) and the page facts the crawler collects for them."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest

from zwgk.audit.model import Article
from zwgk.audit.rules import inspection as ins
from zwgk.audit.rules.inspection import PageRecord, Probe
from zwgk.audit.wordlist import WordlistError, find_terms, parse_wordlist
from zwgk.grammar.asof import SITE_TZ
from zwgk.crawler.pagefacts import page_facts

AS_OF = date(2026, 11, 20)
BASE = "http://www.example.gov.cn/"


# --- home page -------------------------------------------------------------------------------

def _home(dates, **facts) -> PageRecord:
    return PageRecord(BASE, "home", facts={"status": 200, "dates": dates, **facts})


def test_homepage_fresh_and_stale() -> None:
    assert ins.homepage_stale([_home(["2026-11-10"])], AS_OF)[0] == []
    found, check = ins.homepage_stale([_home(["2026-10-01", "2026-09-01"])], AS_OF)
    assert check["verdict"] == "fail"
    assert found[0].details == {"homepage_url": BASE, "latest_date": date(2026, 10, 1), "days": 50}
    # a future date is no update
    assert ins.homepage_stale([_home(["2027-01-01", "2026-10-01"])], AS_OF)[1]["verdict"] == "fail"
    # exactly 14 days: still fresh
    assert ins.homepage_stale([_home([(AS_OF - timedelta(days=14)).isoformat()])], AS_OF)[0] == []


def test_navigation_home_judged_by_second_level_columns() -> None:
    pages = [_home([]), PageRecord(BASE + "a/", "home_column", column_url=BASE,
                                   facts={"dates": ["2026-05-01"]}),
             PageRecord(BASE + "b/", "home_column", column_url=BASE,
                        facts={"dates": ["2026-11-15"]})]
    found, check = ins.homepage_stale(pages, AS_OF)
    assert found == [] and check["verdict"] == "pass" and "二级栏目" in check["reason"]
    pages[2] = PageRecord(BASE + "b/", "home_column", column_url=BASE, facts={"dates": []})
    assert ins.homepage_stale(pages, AS_OF)[1]["verdict"] == "fail"


def test_unreadable_home_is_no_verdict() -> None:
    found, check = ins.homepage_stale([PageRecord(BASE, "home", facts={"status": None,
                                                                       "error": "timeout"})], AS_OF)
    assert found == [] and check["verdict"] == "unknown" and "timeout" in check["reason"]


# --- availability ----------------------------------------------------------------------------

def _week(per_day: int, fail_every: int | None) -> list[Probe]:
    out = []
    n = 0
    for day in range(7):
        start = datetime(2026, 11, 14, tzinfo=SITE_TZ) + timedelta(days=day)  # Beijing days
        for i in range(per_day):
            n += 1
            ok = not (fail_every and n % fail_every == 0)
            out.append(Probe(BASE, start + timedelta(minutes=1440 * i // per_day), ok,
                             200 if ok else None))
    return out


@pytest.mark.parametrize("per_day,fail_every,verdict", [
    (96, 10, "fail"),     # 10 % failed
    (100, 20, "fail"),    # exactly 5 %: the threshold itself fails
    (96, 25, "pass"),     # 4 %
    (96, None, "pass"),
    (19, 2, "unknown"),   # too few probes a day: no verdict, however many failed
])
def test_site_unavailable_share(per_day, fail_every, verdict) -> None:
    found, check = ins.site_unavailable(_week(per_day, fail_every), AS_OF)
    assert check["verdict"] == verdict
    assert check["checks"] == per_day * 7
    assert bool(found) == (verdict == "fail")
    if found:
        assert found[0].details["share"] >= 0.05 and found[0].details["days"] == 7


def test_probes_outside_the_week_do_not_count() -> None:
    old = [Probe(BASE, datetime(2026, 11, 1, tzinfo=timezone.utc), False)] * 500
    assert ins.site_unavailable(old + _week(96, None), AS_OF)[1]["verdict"] == "pass"


def test_probe_days_are_beijing_days() -> None:
    """A probe at 17:00 UTC on as-of is already the next day in Beijing (outside the week); one
    at 17:00 UTC the day before the week begins is its first day's. Counted by UTC dates, the
    week below would have a day with no probes and no verdict."""
    week = _week(96, None)
    late = Probe(BASE, datetime(2026, 11, 20, 17, tzinfo=timezone.utc), False)
    early = Probe(BASE, datetime(2026, 11, 13, 17, tzinfo=timezone.utc), True)
    found, check = ins.site_unavailable(week + [late] * 50 + [early], AS_OF)
    assert (check["verdict"], check["checks"], check["failed"]) == ("pass", 96 * 7 + 1, 0)


# --- page facts -> hidden links, tags, privacy -------------------------------------------------

HIDDEN = {
    "display:none": '<div style="display: none"><a href="http://spam.example.com/x">x</a></div>',
    "visibility:hidden": '<span style="visibility:hidden"><a href="http://spam.example.com/x">x</a></span>',
    "off-screen": '<div style="position:absolute; left:-3000px"><a href="http://spam.example.com/x">x</a></div>',
    "font-size:0": '<p style="font-size:0px;"><a href="http://spam.example.com/x">x</a></p>',
    "zero size": '<div style="height:0;overflow:hidden"><a href="http://spam.example.com/x">x</a></div>',
    "marquee": '<marquee height="1" width="1"><a href="http://spam.example.com/x">x</a></marquee>',
    "class": '<style>.k9 {display:none}</style><div class="k9"><a href="http://spam.example.com/x">x</a></div>',
}


def _page(body: str, url: str = BASE + "a/1.html") -> PageRecord:
    facts = page_facts(f"<html><head></head><body>{body}</body></html>", url).to_json()
    return PageRecord(url, "article", item_id="9.1", column_url=BASE + "a/", facts=facts)


@pytest.mark.parametrize("how", sorted(HIDDEN))
def test_hidden_offsite_link(how: str) -> None:
    """The tricks of 挂马 fail; display:none / visibility:hidden (menus, share pop-ups) warn."""
    found = ins.hidden_link([_page(HIDDEN[how])], BASE)
    assert len(found) == 1
    strong = how in ("off-screen", "font-size:0", "zero size", "marquee")
    assert found[0].severity == ("fail" if strong else "warn")
    assert found[0].details["href"] == "http://spam.example.com/x"
    assert "<" in found[0].details["markup"]


def test_hidden_link_in_a_template_is_one_finding() -> None:
    pages = [_page(HIDDEN["off-screen"], url=f"{BASE}a/{i}.html") for i in range(5)]
    found = ins.hidden_link(pages, BASE)
    assert len(found) == 1 and found[0].details["pages"] == 5


def test_realpages_raise_no_false_hidden_link_fail_and_mutations_do(shared) -> None:
    """Real government pages hide share pop-ups, 纠错 widgets and CMS credits with display:none:
    never a fail. The same pages with a spam link injected off-screen: a fail on each."""
    from zwgk.crawler.extract import decode_html

    spam = '<div style="position:absolute;left:-2000px"><a href="http://spam.example.com/x">x</a></div>'
    files = sorted((shared / "realpages" / "pages").glob("*.htm*"))
    assert files
    for path in files:
        html = decode_html(path.read_bytes(), None)
        url = "http://www.example.gov.cn/" + path.name
        page = PageRecord(url, "article", facts=page_facts(html, url).to_json())
        assert [f for f in ins.hidden_link([page], BASE) if f.severity == "fail"] == [], path.name
        assert ins.privacy_leak([page]) == [], path.name
        # right after <body> (some stored pages are cut off mid-tag at the end)
        mutated = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + spam, html, count=1,
                         flags=re.I) if re.search(r"<body", html, re.I) else spam + html
        page = PageRecord(url, "article", facts=page_facts(mutated, url).to_json())
        fails = [f for f in ins.hidden_link([page], BASE) if f.severity == "fail"]
        assert [f.details["href"] for f in fails] == ["http://spam.example.com/x"], path.name


@pytest.mark.parametrize("body", [
    '<a href="http://spam.example.com/x">visible</a>',                       # visible
    '<div style="display:none"><a href="/local/menu.html">menu</a></div>',   # on-site
    '<div style="display:none"><a href="http://sub.example.gov.cn/">sub</a></div>',  # subdomain
    '<div style="height:30px"><a href="http://spam.example.com/x">x</a></div>',
    '<div style="left:-5px"><a href="http://spam.example.com/x">x</a></div>',
])
def test_not_a_hidden_offsite_link(body: str) -> None:
    assert ins.hidden_link([_page(body)], BASE) == []


def test_hidden_link_to_government_site_is_a_warning() -> None:
    found = ins.hidden_link([_page('<ul style="display:none"><li><a href="http://www.gov.cn/">'
                                   '中国政府网</a></li></ul>')], BASE)
    assert [f.severity for f in found] == ["warn"]


def test_meta_tags_missing_one_per_column() -> None:
    full = ('<meta name="SiteName" content="x"><meta name="SiteDomain" content="x">'
            '<meta name="SiteIDCode" content="1"><meta name="ArticleTitle" content="t">'
            '<meta name="PubDate" content="2026-01-01 10:00"><meta name="ContentSource" content="s">')
    pages = []
    for i, head in enumerate([full, full.replace('content="2026-01-01 10:00"', 'content="null"'),
                              full.replace('<meta name="SiteIDCode" content="1">', "")]):
        facts = page_facts(f"<html><head>{head}</head><body>x</body></html>", f"{BASE}{i}").to_json()
        pages.append(PageRecord(f"{BASE}{i}", "article", "1.1", BASE + "c/", facts))
    found = ins.meta_tags_missing(pages)
    assert len(found) == 1 and found[0].severity == "warn"
    assert found[0].details == {"column_url": BASE + "c/", "missing": {"PubDate": 1, "SiteIDCode": 1},
                                "pages": 3}
    assert ins.meta_tags_missing(pages[:1]) == []
    home = PageRecord(BASE, "home", facts=page_facts('<html><head><meta name="SiteName" '
                                                     'content="x"></head></html>', BASE).to_json())
    found = ins.meta_tags_missing([home])
    assert found[0].details == {"column_url": BASE, "missing": {"SiteDomain": 1, "SiteIDCode": 1},
                                "pages": 1}
    # a page that could not be read (no meta record) is not judged
    assert ins.meta_tags_missing([PageRecord(BASE, "home", facts={"status": 500})]) == []


def test_privacy_leak_from_page_facts_is_masked() -> None:
    from stdnum.cn import ric

    body17 = "33010619850312123"
    number = body17 + ric.calc_check_digit(body17 + "0")
    found = ins.privacy_leak([_page(f"<p>身份证号：{number}</p>")])
    assert len(found) == 1 and found[0].details["kind"] == "id_number"
    assert number not in str(found[0].to_json())
    # a store written by something else with a full sample: masked again on the way out
    rec = PageRecord("u", "article", facts={"leaks": [{"kind": "id_number", "count": 1,
                                                       "samples": [number]}]})
    assert number not in str(ins.privacy_leak([rec])[0].to_json())


def test_hostile_page_facts_do_not_raise() -> None:
    for html in ("", "<<<>>>", "\x00" * 10, "<html><body>" + "<div>" * 5000 + "</body></html>"):
        page_facts(html, BASE)


# --- wording ---------------------------------------------------------------------------------

def test_wordlist_and_wording_error() -> None:
    terms = parse_wordlist("# c\n\n国土资源局 → 自然资源和规划局 | 原国土资源局\n城乡规划局\t自然资源局\n")
    assert [t.wrong for t in terms] == ["国土资源局", "城乡规划局"]
    assert find_terms("原国土资源局已撤销", terms) == []
    hits = find_terms("原国土资源局撤销后，国土资源局仍在办公", terms)
    assert len(hits) == 1 and "仍在办公" in hits[0][1]
    a = Article(url="u", item_id="16.1", column_url="c", title="通知", body_text="由国土资源局负责")
    found = ins.wording_error([a], terms)
    assert found[0].details == {"url": "u", "term": "国土资源局", "suggestion": "自然资源和规划局",
                                "context": "通知 由国土资源局负责"}


@pytest.mark.parametrize("text,line", [("ok → fine\nbroken line\n", 2), ("x → y\n", 1)])
def test_wordlist_errors_name_the_line(text: str, line: int) -> None:
    with pytest.raises(WordlistError, match=f"line {line}"):
        parse_wordlist(text, "w.txt")


def test_bad_wordlist_stops_validate_with_file_and_line(tmp_path) -> None:
    from conftest import ROOT, run_zwgk

    text = (ROOT / "mapping" / "columns.yaml").read_text(encoding="utf-8").replace(
        "  audit:\n", "  audit:\n    wordlist: wordlist.txt\n", 1)
    assert "    wordlist: wordlist.txt\n" in text
    (tmp_path / "columns.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "wordlist.txt").write_text("# ok\n旧名称 → 新名称\n没有箭头的一行\n", encoding="utf-8")
    proc = run_zwgk("validate", str(tmp_path / "columns.yaml"))
    assert proc.returncode == 2
    assert "wordlist.txt, line 3" in proc.stderr
    (tmp_path / "wordlist.txt").unlink()
    proc = run_zwgk("validate", str(tmp_path / "columns.yaml"))
    assert proc.returncode == 2 and "wordlist.txt" in proc.stderr


def test_docs_give_every_inspection_rule_its_source() -> None:
    import re as re_

    from conftest import ROOT

    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    headings = set(re_.findall(r"^#### (\w+) — ", text, re_.MULTILINE))
    assert headings == set(ins.INSPECTION_RULES)
    assert set(ins.INSPECTION_SOURCES) == set(ins.INSPECTION_RULES)


def test_a_mobile_roster_alone_is_a_warning_an_id_number_a_fail() -> None:
    """Mobiles alone do not say whose they are (offices' contacts are published on purpose): the
    roster is a warning to check, never the veto; an ID number on the same page still fails."""
    rows = "".join(f"<tr><td>{i}</td><td>居民{i}</td><td>1380000000{i}</td></tr>" for i in range(1, 5))
    roster = _page(f"<table><tr><th>序号</th><th>姓名</th><th>联系电话</th></tr>{rows}</table>")
    found = ins.privacy_leak([roster])
    assert [(f.severity, f.details["kind"], f.details["count"]) for f in found] == \
        [("warn", "mobile_roster", 4)]
    assert "无法判断" in found[0].message and "13800000001" not in found[0].message
