"""The console over HTTP: a real ``zwgk serve`` (uvicorn) on loopback, the demo site crawled into
its store, real worker processes running spot-checks (tests/console_env.py).

Security first: who may see and do what (401 / login redirect / 403), CSRF on every form, the
login rate limit, secrets stored hashed, the CSP; and the egress rule — every way of pointing a
spot-check at a host that is not a configured site is refused with 400 before any request, which
a canary server proves by counting what reaches it.
"""
from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console_env import AS_OF, HOSTILE_TITLE, PASSWORDS  # the `console` fixture: conftest.py
from zwgk.console.egress import allowed_origins, refusal

PG_COLUMN = "zdbs/pg/index.html"  # the demo's 季度更新 column that skipped 2026-Q2


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


# --- who may do what ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/checks", "/sites/demo", "/users", "/checks/1"])
def test_pages_without_login_go_to_the_login_form(console, path):
    with console.client() as c:
        r = c.get(path)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("method,path", [("GET", "/api/sites"), ("GET", "/api/checks/1"),
                                         ("POST", "/api/checks"), ("GET", "/api/checks")])
def test_api_without_token_is_401(console, method, path):
    with console.client() as c:
        r = c.request(method, path, json={"site": "demo", "item": "5.1"})
        bad = c.request(method, path, headers={"Authorization": "Bearer zwgk_not-a-token"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert bad.status_code == 401
    assert console.canary.count() == 0


def test_viewer_reads_but_may_not_check(console):
    with console.client("vera") as c:
        assert c.get("/api/sites").status_code == 200
        r = c.post("/api/checks", json={"site": "demo", "item": "5.1"})
    assert r.status_code == 403 and "vera" in r.json()["error"]
    with console.login("vera") as browser:
        page = browser.get("/checks")
        assert page.status_code == 200 and 'id="start-url"' not in page.text
        r = browser.post("/checks", data={"csrf": _csrf(page.text), "site": "demo",
                                          "url": console.demo_url + PG_COLUMN,
                                          "deadline": "季度更新"})
        assert r.status_code == 403
        assert browser.get("/users").status_code == 403  # admins only


def test_forms_without_csrf_are_403(console):
    with console.login("carl") as browser:
        page = browser.get("/checks")
        assert page.status_code == 200
        for data in ({}, {"csrf": "forged"}):
            r = browser.post("/checks", data={**data, "site": "demo", "item": "5.1"})
            assert r.status_code == 403, r.text
            assert browser.post("/logout", data=data).status_code == 403
        # The API with a session cookie (not a token) needs the CSRF header too.
        assert browser.post("/api/checks", json={"site": "demo", "item": "5.1"}).status_code == 403
        assert browser.get("/").status_code == 200  # still logged in: nothing happened
    with console.client() as c:  # login form: double-submit cookie
        r = c.post("/login", data={"name": "carl", "password": PASSWORDS["carl"], "csrf": "x"})
        assert r.status_code == 403 and "zwgk_session" not in r.headers.get("set-cookie", "")
    with console.client("ada") as c:
        assert all(ch["requested_by"] != "carl" for ch in c.get("/api/checks").json()["checks"])


def test_session_cookie_flags_and_logout(console):
    with console.client() as c:
        page = c.get("/login")
        r = c.post("/login", data={"name": "vera", "password": PASSWORDS["vera"],
                                   "csrf": _csrf(page.text), "next": "//evil.example/"})
        assert r.status_code == 303 and r.headers["location"] == "/"  # no open redirect
        cookie = [v for k, v in r.headers.multi_items() if k == "set-cookie"
                  and v.startswith("zwgk_session=")][0]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        home = c.get("/")
        assert home.status_code == 200
        c.post("/logout", data={"csrf": _csrf(home.text)})
        assert c.get("/").status_code == 303


def test_login_attempts_are_rate_limited(console):
    with console.client() as c:
        for _ in range(5):
            page = c.get("/login")
            r = c.post("/login", data={"name": "cleo", "password": "wrong", "csrf": _csrf(page.text)})
            assert r.status_code == 401
        page = c.get("/login")
        r = c.post("/login", data={"name": "cleo", "password": PASSWORDS["cleo"],
                                   "csrf": _csrf(page.text)})
    assert r.status_code == 429 and "zwgk_session" not in r.headers.get("set-cookie", "")


def test_secrets_are_stored_hashed(console):
    raw = console.db.read_bytes() + b"".join(
        p.read_bytes() for p in console.db.parent.glob(console.db.name + "-wal"))
    for name, token in console.tokens.items():
        assert token.encode() not in raw
        assert PASSWORDS[name].encode() not in raw
    conn = sqlite3.connect(console.db)
    hashes = [r[0] for r in conn.execute("SELECT password_hash FROM console_users")]
    conn.close()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)


def test_every_page_carries_the_csp(console):
    with console.login("ada") as browser:
        for path in ("/", "/sites/demo", "/checks", "/users", "/sites/demo/items/5.1", "/nope"):
            r = browser.get(path)
            csp = r.headers["content-security-policy"]
            assert "script-src 'self'" in csp and "default-src 'none'" in csp, path
            assert "'unsafe-inline'" not in csp
            assert r.headers["x-content-type-options"] == "nosniff"
        night = re.search(r'href="(/sites/demo/nights/\d+)"', browser.get("/sites/demo").text).group(1)
        report = browser.get(night)
    assert report.status_code == 200 and "临江市住房和城乡建设局" in report.text
    assert "script-src 'sha256-" in report.headers["content-security-policy"]
    assert "script-src 'sha256-" in report.text  # the report's own meta CSP, served as is


# --- reading --------------------------------------------------------------------------------

def test_api_sites_is_the_overview(console):
    with console.client("vera") as c:
        sites = {s["slug"]: s for s in c.get("/api/sites").json()["sites"]}
    assert set(sites) == {"demo", "trap"}
    demo = sites["demo"]
    assert demo["latest"]["as_of"] == AS_OF and demo["verdict"] == "fail"
    assert demo["latest"]["items_failed"] > 0 and demo["worst_unit"]["unit"]
    assert len(demo["veto"]["checks"]) == 3 and demo["trend"][-1]["as_of"] == AS_OF
    assert sites["trap"]["latest"] is None  # configured, never run


def test_item_page_shows_findings_across_nights(console):
    with console.login("vera") as browser:
        page = browser.get("/sites/demo/items/5.1")
    assert page.status_code == 200
    assert "首次发现" in page.text and AS_OF in page.text and "未整改" in page.text
    assert 'href="http://127.0.0.1' in page.text  # evidence and articles link to the site


# --- spot-checks and the egress rule -----------------------------------------------------------

def test_api_check_of_a_column_url(console):
    console.wait_idle()
    before = console.canary.count()
    with console.client("carl") as c:
        r = c.post("/api/checks", json={"site": "demo", "url": console.demo_url + PG_COLUMN,
                                        "deadline": "季度更新"})
        assert r.status_code == 202, r.text
        check_id = r.json()["id"]
        assert c.get(f"/api/checks/{check_id}").json()["status"] in ("queued", "running", "done")
    body = console.wait(check_id)
    assert body["status"] == "done", body
    assert body["requested_by"] == "carl" and body["via"] == "api"
    assert body["result_status"] == "fail" and body["articles"] == 12 and body["pages"] >= 1
    assert any("2026年第二季度" in f["message"] for f in body["findings"])
    assert body["newest_articles"][0]["publish_date"] >= body["newest_articles"][-1]["publish_date"]
    assert console.canary.count() == before


def test_one_check_per_site_and_a_global_limit(console):
    console.wait_idle()
    with console.client("carl") as c:
        first = c.post("/api/checks", json={"site": "trap", "item": "2"})  # 4 s slow column
        assert first.status_code == 202, first.text
        same_site = c.post("/api/checks", json={"site": "trap", "item": "1"})
        other_site = c.post("/api/checks", json={"site": "demo", "item": "5.1"})  # limit is 1
    assert same_site.status_code == 409 and "already" in same_site.json()["error"]
    assert other_site.status_code == 429
    assert console.wait(first.json()["id"])["status"] == "done"


SSRF_CASES = [
    ("another loopback port", "{canary}list/index.html"),
    ("private address", "http://10.11.12.13/list/index.html"),
    ("link-local metadata", "http://169.254.169.254/latest/meta-data/"),
    ("file scheme", "file:///etc/passwd"),
    ("ftp scheme", "ftp://127.0.0.1/"),
    ("user info", "{trap}@127.0.0.1:{canary_port}/x"),
    ("backslash", "http://127.0.0.1:{canary_port}\\@127.0.0.1:{trap_port}/x"),
    ("redirect off site", "{trap}redirect/index.html"),
    ("another configured site's host", "{demo}zdbs/pg/index.html"),  # checked as site "trap"
]


@pytest.mark.parametrize("label,template", SSRF_CASES, ids=[c[0] for c in SSRF_CASES])
def test_spot_check_never_reaches_a_foreign_host(console, label, template):
    url = template.format(canary=console.canary.base, trap=console.trap.base.rstrip("/"),
                          canary_port=console.canary.port, trap_port=console.trap.port,
                          demo=console.demo_url)
    before = console.canary.count()
    with console.client("carl") as c:
        r = c.post("/api/checks", json={"site": "trap", "url": url, "deadline": "季度更新"})
        checks = c.get("/api/checks").json()["checks"]
    assert r.status_code == 400, (label, r.text)
    assert "refused" in r.json()["error"]
    assert console.canary.count() == before
    assert not [ch for ch in checks if (ch["site"], ch["url"]) == ("trap", url)]  # none queued


def test_item_whose_column_redirects_off_site_is_refused(console):
    before = console.canary.count()
    with console.client("carl") as c:
        r = c.post("/api/checks", json={"site": "trap", "item": "3"})
    assert r.status_code == 400 and "redirects to" in r.json()["error"]
    assert console.canary.count() == before


def test_crawl_drops_links_and_redirects_off_site(console):
    """A configured column listing an article on a foreign host, and one whose article redirects
    there: the check runs, reads the site, and the canary still sees nothing."""
    console.wait_idle()
    before = console.canary.count()
    hits = len(console.trap.hits)
    with console.client("carl") as c:
        r = c.post("/api/checks", json={"site": "trap", "url": console.trap.base + "inner/index.html",
                                        "deadline": "季度更新"})
    assert r.status_code == 202, r.text  # a redirect within the site is fine
    body = console.wait(r.json()["id"])
    assert body["status"] == "done", body
    assert console.canary.count() == before
    assert "/art/3.html" in console.trap.hits[hits:]  # the on-site hop was fetched
    assert {a["title"] for a in body["newest_articles"]} >= {HOSTILE_TITLE}
    # The article that redirects off site is not called broken ("无法连接"): the reason is given.
    off = [f for f in body["findings"] if "/art/3.html" in f["message"]]
    assert off and all("本网站以外" in f["message"] and "无法连接" not in f["message"] for f in off)
    with console.login("vera") as browser:
        page = browser.get(f"/checks/{body['id']}")
    assert "&lt;script&gt;window.__pwned=2&lt;/script&gt;" in page.text
    assert "<script>window.__pwned" not in page.text and "<img src=x" not in page.text


def test_bad_requests_are_400_with_a_reason(console):
    with console.client("carl") as c:
        cases = [({"site": "nope", "item": "1"}, "unknown site"),
                 ({"site": "demo"}, "either"),
                 ({"site": "demo", "item": "5.1", "url": console.demo_url}, "either"),
                 ({"site": "demo", "item": "99.9"}, "no item"),
                 ({"site": "demo", "url": console.demo_url + PG_COLUMN}, "公开时限"),
                 ({"site": "demo", "item": "5.1", "as_of": "yesterday"}, "as_of")]
        for data, needle in cases:
            r = c.post("/api/checks", json=data)
            assert r.status_code == 400 and needle in r.json()["error"], (data, r.text)
        assert c.post("/api/checks", content=b"[1]",
                      headers={"content-type": "application/json"}).status_code == 400


# --- the egress rule itself ------------------------------------------------------------------

class _Site:
    def __init__(self, base_url: str, hosts: tuple[str, ...] = ()) -> None:
        self.base_url, self.hosts = base_url, hosts


def test_egress_rule_ports_and_site_hosts():
    origins = allowed_origins([_Site("http://gov.example.cn/", ("www.gov.example.cn",
                                                                 "files.example.cn:8443")),
                               _Site("http://127.0.0.1:8911/")])
    allowed = ["http://gov.example.cn/a", "https://gov.example.cn/a", "http://GOV.example.cn./a",
               "https://www.gov.example.cn/x", "https://files.example.cn:8443/f",
               "http://127.0.0.1:8911/col/"]
    refused = ["http://gov.example.cn:8080/", "http://127.0.0.1:8912/", "http://127.0.0.1/",
               "http://localhost:8911/", "http://127.1:8911/", "http://evil.gov.example.cn/",
               "https://files.example.cn/f", "javascript:alert(1)", "http://gov.example.cn /a",
               "//gov.example.cn/a", "http://[::1]:8911/"]
    assert [u for u in allowed if refusal(u, origins)] == []
    assert [u for u in refused if refusal(u, origins) is None] == []


@settings(max_examples=200, deadline=None)
@given(host=st.from_regex(r"[a-z0-9]{1,12}(\.[a-z0-9]{1,8}){0,3}", fullmatch=True),
       port=st.integers(min_value=1, max_value=65535),
       scheme=st.sampled_from(["http", "https", "ftp", "gopher", "file"]))
def test_egress_rule_refuses_every_other_host(host, port, scheme):
    origins = allowed_origins([_Site("http://gov.example.cn/")])
    url = f"{scheme}://{host}:{port}/x"
    allowed = refusal(url, origins) is None
    # http and https of one host are one origin on their default ports; http on 443 is not it
    assert allowed == (scheme in ("http", "https") and host == "gov.example.cn"
                       and port == {"http": 80, "https": 443}[scheme])


# --- zwgk serve / zwgk user: bad input stops before serving ------------------------------------

def test_serve_and_user_refuse_bad_input_with_exit_2(tmp_path, capsys):
    from zwgk.cli import main

    empty = tmp_path / "empty"
    empty.mkdir()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.yaml").write_text("site: {name: 站, base_url: 'http://127.0.0.1:1/'}\nitems: [1]\n",
                                encoding="utf-8")
    db = str(tmp_path / "s.sqlite")
    cases = [(["serve", "--db", db], "either --sites"),
             (["serve", "--db", db, "--sites", str(tmp_path / "nope")], "not a folder"),
             (["serve", "--db", db, "--sites", str(empty)], "no *.yaml"),
             (["serve", "--db", db, "--sites", str(bad)], str(bad / "x.yaml")),
             (["serve", "--db", db, "--config", "mapping/columns.yaml", "--as-of", "soon"], "--as-of"),
             (["user", "token", "nobody", "--db", db], "no active user"),
             (["user", "role", "nobody", "admin", "--db", db], "no user")]
    for argv, needle in cases:
        assert main(argv) == 2, argv
        assert needle in capsys.readouterr().err, argv


def test_users_added_before_the_first_night_leave_a_usable_store(tmp_path, monkeypatch, capsys):
    """The console's tables never come first in a new file: the store would refuse it."""
    import io

    from zwgk.cli import main
    from zwgk.crawler.store import Store

    db = tmp_path / "new.sqlite"
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    assert main(["user", "add", "ann", "--role", "admin", "--password-stdin", "--db", str(db)]) == 0
    Store(db).close()  # raises StoreError if the file is not a zwgk store
    assert main(["user", "list", "--db", str(db)]) == 0
    assert "ann\tadmin\tactive" in capsys.readouterr().out
