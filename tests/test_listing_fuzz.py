"""parse_list never raises, whatever text a server sends."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwgk.crawler.listing import ListPage, parse_list

_FRAGMENTS = st.sampled_from([
    "<a href='", "'>", "</a>", "<li>", "</li>", "<ul class='list'>", "</ul>", "<tr><td>", "</td></tr>",
    "2026-10-12", "[10-12]", "2026年10月12日", "下一页", "共3页", "<script>", "</script>",
    "createPageHTML(3, 0, 'index', 'html');", "createPageHTML('page_div', 9, 1, 'x', 'shtml', 5)",
    "<datastore>", "</datastore>", "<record><![CDATA[", "]]></record>", "<nextgroup><![CDATA[",
    "]]></nextgroup>", "<totalrecord>99</totalrecord>", "$('#1').jpage({totalRecord:99,perPage:0});",
    "?page=2", "javascript:", "http://[::1", "<base href='", "暂无信息", "recordCount:'9'",
    "<?xml version='1.0' encoding='gbk'?>", "\x00", "\ud800", "&#0;", "&amp;", "<", ">", "\"",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400), st.text(max_size=60))
def test_arbitrary_text_never_raises(text: str, url: str) -> None:
    assert isinstance(parse_list(text, url), ListPage)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_FRAGMENTS, st.text(max_size=12)), max_size=60),
       st.sampled_from(["http://127.0.0.1/a/index.html", "http://127.0.0.1/l.php?page=1", "", "::",
                        "http://127.0.0.1/module/web/jpage/dataproxy.jsp?startrecord=1"]),
       st.one_of(st.none(), st.sampled_from([{"list_entry": "li"}, {"list_entry": "//li", "list_date": "[["},
                                              {"next_page": "a", "list_title": "./@title"}])))
def test_markup_soup_never_raises(parts: list[str], url: str, selectors: dict[str, str] | None) -> None:
    page = parse_list("".join(parts), url, selectors=selectors)
    assert isinstance(page, ListPage)
    assert all(isinstance(e.url, str) and e.title for e in page.entries)
