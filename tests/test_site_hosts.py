"""The site's hosts (issue 11 item 1, issue 17 item 1): a column that moved keeps its articles,
and no redirect makes zwgk request another host or port and publish what it answered.

Three loopback servers: the site (``A``, configured as ``localhost``), the place a column moved
to (``B``, ``127.0.0.1`` on another port: the first list page 301s there) and an "internal"
service (``C``) that articles and later list pages redirect to — it must never be asked.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import run_zwgk
from zwgk.crawler.sitehosts import SiteHosts, host_key, origin_of, registrable_domain

pytestmark = pytest.mark.e2e

LIST = ('<html><head><meta charset="utf-8"><title>{t}</title></head><body><div class="list"><ul>'
        '{rows}</ul></div>{extra}</body></html>')
ROW = '<li><a href="{href}">{title}</a><span>2026-10-{d:02d}</span></li>'
ARTICLE = ('<html><head><meta charset="utf-8"><title>{t}</title></head><body><h1>{t}</h1>'
           '<p>发布日期：2026-10-{d:02d}</p><div class="content"><p>{body}</p></div></body></html>')


class Server:
    """A loopback server answering from a routing function; counts every path requested."""

    def __init__(self, route) -> None:
        self.hits: Counter[str] = Counter()
        outer = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                outer.hits[self.path] += 1
                status, headers, body = route(self.path)
                self.send_response(status)
                for k, v in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _articles(prefix: str, n: int) -> str:
    return "".join(ROW.format(href=f"/{prefix}/a{i}.html", title=f"{prefix}通知{i}", d=i)
                   for i in range(1, n + 1))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hosts")
    internal = Server(lambda path: (200, {}, ARTICLE.format(t="INTERNAL SECRET PAGE", d=1,
                                                          body="secret " * 30).encode()))
    c_url = f"http://127.0.0.1:{internal.port}"

    def route_b(path: str):
        if path == "/moved/index.html":
            return 200, {}, LIST.format(t="moved", rows=_articles("moved", 3), extra="").encode()
        if path.startswith("/moved/a"):
            i = int(path.split("/a")[1].split(".")[0])
            return 200, {}, ARTICLE.format(t=f"moved通知{i}", d=i, body="正文内容。" * 30).encode()
        return 404, {}, b"no"

    moved = Server(route_b)

    def route_a(path: str):
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\n"
        if path == "/moved/index.html":  # the column moved: another host form and port
            return 301, {"Location": f"http://127.0.0.1:{moved.port}/moved/index.html"}, b""
        if path == "/leak/index.html":
            return 200, {}, LIST.format(t="leak", rows=_articles("leak", 2), extra="").encode()
        if path == "/leak/a2.html":  # an article answering 301 to an internal port
            return 301, {"Location": f"{c_url}/secret.html"}, b""
        if path == "/away/index.html":  # a column redirected to a truly foreign host
            return 302, {"Location": f"http://internal.example.test:{internal.port}/x"}, b""
        if path == "/pager/index.html":
            return 200, {}, LIST.format(t="pager", rows=_articles("pager", 2),
                                        extra='<a href="/pager/index_1.html">下一页</a>').encode()
        if path == "/pager/index_1.html":  # a later list page answering 302 to another port
            return 302, {"Location": f"{c_url}/list.html"}, b""
        if "/a" in path and path.endswith(".html"):
            i = int(path.rsplit("/a", 1)[1].split(".")[0])
            return 200, {}, ARTICLE.format(t=f"通知{i}", d=i, body="正文内容。" * 30).encode()
        return 404, {}, b"no"

    main = Server(route_a)
    base = f"http://localhost:{main.port}/"
    cfg = tmp / "hosts.yaml"
    items = [("1", "moved"), ("2", "leak"), ("3", "away"), ("4", "pager")]
    lines = ["site:", "  name: 迁移测试站", f'  base_url: "{base}"', "  download_delay: 0",
             "  retries: 0", "items:"]
    for item_id, name in items:
        lines += [f'  - id: "{item_id}"', f"    name: {name}", "    deadline: 根据实际更新",
                  f"    columns: [{{name: {name}, url: {name}/index.html}}]"]
    cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        proc = run_zwgk("run", "--config", str(cfg), "--db", str(tmp / "h.sqlite"),
                        "--out", str(tmp / "out"), "--as-of", "2026-11-20")
        extract = run_zwgk("extract", "--json", f"{base}leak/a2.html", f"{base}leak/a1.html")
        check = run_zwgk("check", "--url", f"{base}leak/index.html", "--as-of", "2026-11-20",
                         "--download-delay", "0")
        internal_hits = dict(internal.hits)
    finally:
        for server in (main, moved, internal):
            server.close()
    assert "Traceback" not in proc.stderr, proc.stderr
    doc = json.loads((tmp / "out" / "findings.json").read_text(encoding="utf-8"))
    return {"items": {i["name"]: i for i in doc["items"]}, "db": tmp / "h.sqlite",
            "internal_hits": internal_hits, "extract": extract, "check": check,
            "csv": (tmp / "out" / "articles.csv").read_text(encoding="utf-8")}


def _rules(item: dict) -> dict[str, dict]:
    return {f["rule"]: f for f in item["findings"]}


def test_internal_service_never_asked(site):
    assert site["internal_hits"] == {}, site["internal_hits"]
    assert "INTERNAL SECRET" not in site["csv"]
    assert "INTERNAL SECRET" not in site["extract"].stdout + site["check"].stdout


def test_moved_column_keeps_all_its_articles(site):
    item = site["items"]["moved"]
    assert item["article_count"] == 3, item
    assert not {"column_unreachable", "empty_column", "broken_link"} & set(_rules(item))
    with sqlite3.connect(site["db"]) as conn:
        titles = sorted(r[0] for r in conn.execute(
            "SELECT title FROM articles WHERE url LIKE '%/moved/a%'"))
    assert titles == ["moved通知1", "moved通知2", "moved通知3"]


def test_article_redirect_offsite_is_reported_not_followed(site):
    rules = _rules(site["items"]["leak"])
    assert rules["broken_link"]["details"]["url"].endswith("/leak/a2.html")
    assert "本网站以外" in rules["broken_link"]["message"]
    with sqlite3.connect(site["db"]) as conn:
        row = conn.execute("SELECT title, error FROM articles WHERE url LIKE '%/leak/a2.html'").fetchone()
    assert row[1] == "offsite_redirect" and "SECRET" not in (row[0] or "")


def test_column_redirected_to_foreign_host(site):
    rules = _rules(site["items"]["away"])
    found = rules["column_unreachable"]
    assert found["details"]["reason"] == "offsite_redirect"
    assert found["severity"] == "warn"  # the column may have moved: not an accusation
    assert "site.hosts" in found["message"]
    assert "empty_column" not in rules


def test_later_list_page_redirect_not_followed(site):
    item = site["items"]["pager"]
    assert item["article_count"] == 2
    assert "empty_column" not in _rules(item)


def test_extract_refuses_offsite_redirect(site):
    proc = site["extract"]
    assert proc.returncode != 0
    assert "offsite_redirect" in proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["title"] for r in records] == ["通知1"]  # the other URL still works


# --- the pieces -------------------------------------------------------------------------------

def test_origin_and_domain_rules():
    assert origin_of("http://x.gov.cn/a") == origin_of("https://X.gov.cn:443/b") == ("x.gov.cn", None)
    assert origin_of("http://x.gov.cn:8080/") == ("x.gov.cn", 8080)
    assert origin_of("file:///etc/passwd") is None and origin_of("http://[::1/") is None
    assert host_key("127.0.0.2") == host_key("LOCALHOST.") == host_key("::1")
    assert registrable_domain("www.wuxi.gov.cn") == registrable_domain("xxgk.wuxi.gov.cn")
    assert registrable_domain("wuxi.gov.cn") != registrable_domain("suzhou.gov.cn")


@pytest.mark.parametrize("source, target, admitted", [
    ("http://www.x.gov.cn/col/", "https://x.gov.cn/col/", True),         # www -> bare, https
    ("http://www.x.gov.cn/col/", "http://x.gov.cn:8443/col/", True),     # moved port, same domain
    ("http://www.x.gov.cn/col/", "http://xxgk.x.gov.cn/col/", True),     # a sibling host
    ("http://www.x.gov.cn/col/", "http://www.y.gov.cn/col/", False),     # another bureau
    ("http://www.x.gov.cn/col/", "http://10.0.0.5/admin", False),        # an intranet address
    ("http://www.x.gov.cn/col/", "http://localhost:6379/", False),
    ("http://evil.com/", "http://www.x.gov.cn/col/", True),              # already the site's
    ("http://evil.com/", "http://evil.com:81/", False),                  # source not the site's
])
def test_first_page_redirect_admission(source, target, admitted):
    site = SiteHosts.of(["http://www.x.gov.cn/"])
    assert site.admit_redirect(source, target) is admitted
    assert site.allows(target) is admitted


def test_site_hosts_entries():
    site = SiteHosts.of(["http://www.x.gov.cn/"], ["xxgk.x.gov.cn", "data.x.gov.cn:8080"])
    assert site.allows("https://xxgk.x.gov.cn/a") and site.allows("http://data.x.gov.cn:8080/b")
    assert not site.allows("http://data.x.gov.cn/b") and not site.allows("http://www.x.gov.cn:81/")


def test_extract_deadline_against_a_slow_body(tmp_path):
    """A server that trickles its body (slowloris) cannot hold `extract`; no partial page used."""
    done = threading.Event()

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            page = ARTICLE.format(t="慢速页面", d=3, body="x").encode()
            for byte in page:
                if done.is_set():
                    return
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.5)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        proc = run_zwgk("extract", "--json", "--timeout", "3",
                        f"http://127.0.0.1:{httpd.server_address[1]}/a.html", timeout=60)
        elapsed = time.monotonic() - started
    finally:
        done.set()
        httpd.shutdown()
        httpd.server_close()
    assert proc.returncode != 0 and "timeout" in proc.stderr, proc.stderr
    assert proc.stdout.strip() == ""
    assert elapsed < 20


# --- columns.yaml: site.hosts and site.render -------------------------------------------------

def _config(site_extra: dict):
    from zwgk.audit.catalog import parse_config

    data = {"site": {"name": "x", "base_url": "http://www.x.gov.cn/", **site_extra},
            "items": [{"id": "1", "name": "文件", "deadline": "实时更新", "columns": ["a.html"]}]}
    return parse_config(data, "columns.yaml")


def test_site_hosts_and_render_in_config():
    site = _config({"hosts": ["XXGK.x.gov.cn", "data.x.gov.cn:8080", "https://old.x.gov.cn/"],
                    "render": "never"}).site
    assert site.hosts == ("xxgk.x.gov.cn", "data.x.gov.cn:8080", "old.x.gov.cn")
    assert site.render == "never"
    assert _config({}).site.render == "auto" and _config({}).site.hosts == ()


@pytest.mark.parametrize("extra, key", [
    ({"hosts": "x.gov.cn"}, "site.hosts"),
    ({"hosts": ["x.gov.cn/path"]}, "site.hosts[0]"),
    ({"hosts": ["ok.gov.cn", "bad host"]}, "site.hosts[1]"),
    ({"hosts": ["x.gov.cn:99999"]}, "site.hosts[0]"),
    ({"render": "sometimes"}, "site.render"),
])
def test_bad_hosts_or_render_name_the_key(extra, key):
    from zwgk.audit.catalog import ConfigError

    with pytest.raises(ConfigError) as err:
        _config(extra)
    assert key in str(err.value)
