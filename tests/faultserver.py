"""A loopback web server that misbehaves the way real government servers do.

Each column under ``/<fault>/index.html`` shows one fault; articles under it are normal unless the
fault is about articles. A second server (``Offsite``) stands in for "another host or port" and
counts every request it gets, which must stay zero.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

LIST_TEMPLATE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><div class="nav"><a href="/">首页</a></div>
<div class="list"><ul>{rows}</ul></div>{extra}
<div class="footer">版权所有 © 2026 测试局</div></body></html>"""
ROW = '<li><a href="{href}" title="{title}">{title}</a><span>{date}</span></li>'
ARTICLE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta name="PubDate" content="{date} 09:00"></head><body><h1>{title}</h1>
<div class="info">发布时间：{date}</div><div class="content"><p>{body}</p></div></body></html>"""

CHALLENGE = (b'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; '
             b'charset=utf-8"><meta id="9DhefwqGPrzGxEp9hPaoag" content="XdRE0gKq7.."></head>'
             b'<body><script type="text/javascript" r="m">$_ts=window[\'$_ts\'];if(!$_ts)$_ts='
             b'{};$_ts.nsd=12345;$_ts.cd="qhrbrs";</script><script type="text/javascript" '
             b'charset="utf-8" src="/abc/def.js" r="m"></script></body></html>')


def rows(prefix: str, n: int, start: int = 1) -> str:
    return "".join(ROW.format(href=f"/{prefix}/a{i}.html", title=f"测试文章{i}",
                              date=f"2026-10-{i:02d}") for i in range(start, start + n))


class FaultState:
    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.offsite_url = ""

    def hit(self, path: str) -> int:
        with self.lock:
            self.hits[path] += 1
            return self.hits[path]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: FaultState

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _list(self, title: str, row_html: str, extra: str = "") -> None:
        self._send(200, LIST_TEMPLATE.format(title=title, rows=row_html, extra=extra).encode())

    def do_GET(self) -> None:  # noqa: N802, C901 - one branch per fault, on purpose
        path = urlsplit(self.path).path
        n = self.state.hit(path)
        fault = path.strip("/").split("/")[0]
        if len(self.headers.get("Cookie") or "") > 8192:  # as nginx/IIS do past their limit
            return self._send(431, b"Request Header Fields Too Large")
        if fault in HOSTILE_FAULTS:
            return self._hostile(fault, path)
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path.endswith(".html") and "/a" in path and fault not in ("big", "mojibake"):
            i = path.rsplit("/a", 1)[1].split(".")[0]
            day = int(i) if i.isdigit() and 1 <= int(i) <= 28 else 1
            return self._send(200, ARTICLE.format(title=f"测试文章{i}", date=f"2026-10-{day:02d}",
                                                  body="正文内容。" * 20).encode())
        if fault == "flaky" and path.endswith("index.html"):
            if n <= 2:
                return self._send(503, b"busy")
            return self._list("flaky", rows("flaky", 3))
        if fault == "ratelimit" and path.endswith("index.html"):
            if n == 1:
                return self._send(429, b"slow down", headers={"Retry-After": "1"})
            return self._list("ratelimit", rows("ratelimit", 3))
        if fault == "slow":
            time.sleep(8)
            return self._list("slow", rows("slow", 1))
        if fault == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return None
        if fault == "loop":
            target = "/loop/b.html" if path.endswith("index.html") else "/loop/index.html"
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if fault in ("waf412", "waf202", "waf403"):
            return self._send(int(fault[3:]), CHALLENGE)
        if fault == "endless":
            page = 0 if path.endswith("index.html") else int(path.rsplit("_", 1)[1].split(".")[0])
            script = f'<script>createPageHTML(100000, {page}, "index", "html");</script>'
            return self._list("endless", rows("endless", 2, start=(page % 14) * 2 + 1), script)
        if fault == "big":
            if path.endswith("index.html"):
                return self._list("big", ROW.format(href="/big/huge.html", title="巨大页面",
                                                    date="2026-10-02") + rows("big", 2, start=3))
            if path.endswith("huge.html"):
                return self._send(200, b"<html><body>" + b"<p>x</p>" * (20 * 1024 * 1024 // 8))
            i = path.rsplit("/a", 1)[1].split(".")[0]
            return self._send(200, ARTICLE.format(title=f"测试文章{i}", date=f"2026-10-0{i}",
                                                  body="正文").encode())
        if fault == "mojibake":
            if path.endswith("index.html"):
                return self._list("mojibake", "".join(
                    ROW.format(href=f"/mojibake/{k}.html", title=k, date="2026-10-05")
                    for k in ("gbk", "invalid", "nul", "cut")))
            name = path.rsplit("/", 1)[1].split(".")[0]
            page = ARTICLE.format(title="关于加强住房保障工作的通知", date="2026-10-05", body="正文")
            body = {
                "gbk": page.encode("gb18030"),
                "invalid": page.encode()[:200] + b"\xff\xfe\xfa" * 50 + page.encode()[200:],
                "nul": page.encode().replace(b"<h1>", b"\x00<h1>\x00"),
                "cut": page.encode()[: page.encode().index(b"</div>") + 3],
            }[name]
            return self._send(200, body)  # labelled UTF-8 whatever the bytes are
        if fault == "plain":  # nothing wrong: for tests about the machine, not the site
            return self._list("plain", rows("plain", 3))
        if fault == "emptybody":
            return self._send(200, b"")
        if fault == "private":
            return self._list("private", rows("private", 2))
        if fault == "offsite":
            off = self.state.offsite_url
            extra_rows = "".join(ROW.format(href=h, title=f"外链{k}", date="2026-10-03") for k, h in
                                 enumerate([off + "x.html", "file:///etc/passwd",
                                            "javascript:alert(1)", "data:text/html,<b>x</b>"]))
            return self._list("offsite", rows("offsite", 2) + extra_rows)
        return self._send(404, b"not found")


    def _hostile(self, fault: str, path: str) -> None:  # noqa: C901 - issue 17's faults
        """Faults of issue 17: resource bombs and tricks aimed at the auditing machine."""
        index = path.endswith("index.html")
        if fault == "flood" and index:  # 1,500 entries on one list page (all off-site: cheap)
            off = self.state.offsite_url
            return self._list("flood", "".join(ROW.format(href=f"{off}flood/x{k}.html", title=f"外链文章{k}",
                                                          date="2026-10-03") for k in range(1500)))
        if fault in ("gzlist", "gzart") and (index if fault == "gzlist" else path.endswith("bomb.html")):
            return self._send(200, GZIP_BOMB, headers={"Content-Encoding": "gzip"})
        if fault == "gzart" and index:
            return self._list("gzart", ROW.format(href="/gzart/bomb.html", title="压缩炸弹",
                                                  date="2026-10-02") + rows("gzart", 2, start=3))
        if fault == "endlesslist" and index:  # a body that never ends (no length, chunked)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65536 + b"</p>"
            try:
                for _ in range(400):  # 26 MB, past the 16 MB cap
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                pass
            return None
        if fault == "cookies" and index:  # one column floods the jar; its articles come after
            self.send_response(200)
            body = LIST_TEMPLATE.format(title="cookies", rows=rows("cookies", 3), extra="").encode()
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for k in range(300):
                self.send_header("Set-Cookie", f"junk{k}={'v' * 100}; Path=/")
            self.end_headers()
            self.wfile.write(body)
            return None
        if fault == "year9999" and not path.rsplit("/", 1)[1].startswith("a"):
            if index:
                return self._list("year9999", rows("year9999", 2) + ROW.format(
                    href="/year9999/t1.html", title="占位日期", date=""))
            return self._send(200, ARTICLE.format(title="占位日期的文章", date="9999-12-31",
                                                  body="正文内容。" * 20).encode())
        if fault == "userinfo" and index:  # entries carrying user:pass@ for this very host
            host = self.headers.get("Host", "127.0.0.1")
            return self._list("userinfo", rows("userinfo", 2) + "".join(
                ROW.format(href=f"http://admin:secret@{host}/userinfo/a{k}.html", title=f"带口令{k}",
                           date="2026-10-04") for k in (7, 8)))
        if fault in ("flood", "gzart", "cookies", "userinfo", "year9999") and "/a" in path:
            i = path.rsplit("/a", 1)[1].split(".")[0]
            return self._send(200, ARTICLE.format(title=f"测试文章{i}", date="2026-10-05",
                                                  body="正文内容。" * 20).encode())
        return self._send(404, b"not found")


def _gzip_bomb(size: int = 20 * 1024 * 1024) -> bytes:
    import gzip
    import io

    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as gz:
        block = b"\0" * (1 << 20)
        for _ in range(size // len(block)):
            gz.write(block)
    return buf.getvalue()


GZIP_BOMB = _gzip_bomb()  # ~20 KB on the wire, 20 MB inflated
HOSTILE_FAULTS = ("flood", "gzlist", "gzart", "endlesslist", "cookies", "userinfo", "year9999")


class _QuietServer(ThreadingHTTPServer):
    """The client hanging up on purpose (timeouts, the size cap) is expected, not an error."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class FaultServer:
    def __init__(self) -> None:
        self.state = FaultState()
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.offsite = _Offsite()
        self.state.offsite_url = self.offsite.base_url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.offsite.close()

    def __enter__(self) -> "FaultServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Offsite:
    """Another port on the same host: zwgk must never send it a request."""

    def __init__(self) -> None:
        self.hits = 0
        outer = self

        class H(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.hits += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = _QuietServer(("127.0.0.1", 0), H)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


FAULT_COLUMNS = ["flaky", "ratelimit", "slow", "drop", "loop", "waf412", "waf202", "waf403",
                 "endless", "big", "mojibake", "emptybody", "private", "offsite"]


def fault_config(base_url: str, timeout: float = 2, max_pages: int = 5,
                 columns: list[str] | tuple[str, ...] = tuple(FAULT_COLUMNS)) -> str:
    """A columns.yaml with one item per fault column."""
    lines = ["site:", "  name: 故障测试站", f'  base_url: "{base_url}"', "  download_delay: 0",
             f"  timeout: {timeout}", "  retries: 2", f"  max_pages_per_column: {max_pages}", "items:"]
    for i, name in enumerate(columns, 1):
        lines += [f'  - id: "{i}"', f"    name: {name}", "    deadline: 根据实际更新",
                  "    units: [办公室]", f"    columns: [{{name: {name}, url: {name}/index.html}}]"]
    return "\n".join(lines) + "\n"


def run_fault_site(tmp, columns: list[str] | tuple[str, ...] = tuple(FAULT_COLUMNS),
                   edit_config=None) -> dict:
    """Serve the fault site, run ``zwgk run`` on the given fault columns into ``tmp`` and return
    what the tests look at: findings by item name, the server's hits, the elapsed time.
    ``edit_config(text, base_url)`` may rewrite the generated columns.yaml first."""
    import json
    import time

    from conftest import run_zwgk

    with FaultServer() as server:
        cfg = tmp / "faults.yaml"
        text = fault_config(server.base_url, columns=columns)
        cfg.write_text(edit_config(text, server.base_url) if edit_config else text, encoding="utf-8")
        started = time.monotonic()
        proc = run_zwgk("run", "--config", str(cfg), "--db", str(tmp / "f.sqlite"),
                        "--out", str(tmp / "out"), "--as-of", "2026-11-20")
        elapsed = time.monotonic() - started
        hits, offsite_hits = dict(server.state.hits), server.offsite.hits
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    doc = json.loads((tmp / "out" / "findings.json").read_text(encoding="utf-8"))
    return {"items": {i["name"]: i for i in doc["items"]}, "hits": hits, "offsite_hits": offsite_hits,
            "elapsed": elapsed, "db": tmp / "f.sqlite", "stdout": proc.stdout,
            "html": (tmp / "out" / "report.html").read_text(encoding="utf-8")}
