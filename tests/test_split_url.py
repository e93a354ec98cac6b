"""split_url (one regex for everyday http(s) URLs, urlsplit for the rest) reads every URL as
urllib.parse.urlsplit does: normalize_url and the attachment test keep their answers (issue 16)."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk.audit.rules import _INDEX_PAGE_RE as INDEX_PAGE_RE
from zwgk.audit.rules import normalize_url, split_url

SCHEMES = ["http", "https", "HTTP", "Https", "ftp", "", "javascript"]
HOSTS = ["127.0.0.1", "WWW.Example.gov.cn", "www.x.cn", "a-b.c", "h.", "[::1]", "user@host", "hö.cn", "",
         "host%20", "x_y"]
PORTS = ["", ":80", ":443", ":8080", ":0", ":65535", ":65536", ":99999", ":", ":08", ":٣"]
PATHS = ["", "/", "/a/b.html", "/col/index.html", "/Default.ASPX", "/附件.PDF", "//double", "/a b", "/a\tb", "/p;x", "/%E4%B8%AD",
         "/a\n", "/x.docx"]
QUERIES = ["", "?", "?a=1", "?b=2&a=1", "?a=1?b=2", "?a&b=", "?x=%20", "?q=中文", "?x#", "? y"]
FRAGMENTS = ["", "#", "#top", "#a?b", "#a b"]


def reference(url: str) -> tuple[str, int | None, str, str]:
    parts = urlsplit(url)
    return (parts.hostname or "").lower(), parts.port, parts.path, parts.query


def reference_normalize(url: str) -> str:
    """normalize_url as it was written before issue 16, on urlsplit/urlunsplit alone."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if parts.port and parts.port not in (80, 443):
        host += f":{parts.port}"
    path = INDEX_PAGE_RE.sub("/", parts.path or "/")
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit(("", host, path, query, ""))


def check(url: str) -> None:
    try:
        expected = reference(url)
    except ValueError:  # an out-of-range port: split_url must refuse it the same way
        with pytest.raises(ValueError):
            split_url(url)
        return
    assert split_url(url) == expected
    try:
        normalized = reference_normalize(url)
    except ValueError:
        return
    assert normalize_url(url) == normalized


@settings(max_examples=1500, deadline=None)
@given(scheme=st.sampled_from(SCHEMES), host=st.sampled_from(HOSTS), port=st.sampled_from(PORTS),
       path=st.sampled_from(PATHS), query=st.sampled_from(QUERIES),
       fragment=st.sampled_from(FRAGMENTS), pad=st.sampled_from(["", " ", "\x01", "\u3000"]))
def test_split_url_reads_urls_as_urlsplit_does(scheme, host, port, path, query, fragment, pad):
    check(f"{pad}{scheme}{'://' if scheme else ''}{host}{port}{path}{query}{fragment}")


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_split_url_on_any_text(text):
    check(text)
