"""A loopback site whose lists need a browser (issue 11): a list filled by a script from
``/api/list?page=N`` (3 pages, paged by a 下一页 button that only runs JavaScript), a 瑞数-style
cookie challenge (412 + a script that sets a cookie and reloads) in front of a column and its
articles, and a plain column. Counts every request."""
from __future__ import annotations

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PER_PAGE = 5
PAGES = 3
JS_LIST = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告</title></head><body>
<div class="nav"><a href="/">首页</a></div><h2>通知公告</h2>
<ul id="list" class="list"></ul><div class="pager" id="pager"></div>
<script>
var page = 1;
function show(p) {
  fetch('/api/list?page=' + p).then(function (r) { return r.json(); }).then(function (d) {
    var html = '';
    d.data.forEach(function (x) {
      html += '<li><a href="' + x.url + '">' + x.title + '</a><span>' + x.date + '</span></li>';
    });
    document.getElementById('list').innerHTML = html;
    page = p;
    document.getElementById('pager').innerHTML = p < d.pages
      ? '<a href="javascript:void(0)" onclick="show(' + (p + 1) + ')">下一页</a>' : '';
  });
}
show(1);
</script></body></html>"""
# A list whose first page is static HTML and whose 下一页 only runs a script (page numbers and
# "next" buttons of many 集约化 templates): pages 2.. come from /api/pager?page=N.
PAGER_LIST = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政策文件</title></head><body>
<h2>政策文件</h2><ul id="list" class="list">{rows}</ul>
<div class="pager" id="pager"><a href="javascript:void(0)" onclick="go(2)">下一页</a></div>
<script>
function go(p) {
  fetch('/api/pager?page=' + p).then(function (r) { return r.json(); }).then(function (d) {
    var html = '';
    d.rows.forEach(function (x) {
      html += '<li><a href="' + x.href + '">' + x.name + '</a><span>' + x.day + '</span></li>';
    });
    document.getElementById('list').innerHTML = html;
    document.getElementById('pager').innerHTML = p < d.pages
      ? '<a href="javascript:void(0)" onclick="go(' + (p + 1) + ')">下一页</a>' : '';
  });
}
</script></body></html>"""
CHALLENGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<script type="text/javascript" r="m">$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=1;
document.cookie = "wafpass=ok; path=/"; location.reload();</script></body></html>"""
LIST = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{t}</title></head><body>
<div class="list"><ul>{rows}</ul></div></body></html>"""
ARTICLE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{t}</title></head><body>
<h1>{t}</h1><p>发布日期：{d}</p><div class="content"><p>{body}</p></div></body></html>"""


def entry(prefix: str, i: int) -> dict[str, str]:
    return {"title": f"{prefix}通知第{i}号", "url": f"/{prefix}/art{i}.html",
            "date": f"2026-10-{i:02d}"}


class TextHandler(BaseHTTPRequestHandler):
    """A quiet HTTP/1.1 handler answering text bodies (also used by benchmarks/render.py)."""

    protocol_version = "HTTP/1.1"

    def send(self, status: int, body: str, ctype: str = "text/html; charset=utf-8") -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


class JsSite:
    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        outer = self

        class H(TextHandler):
            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                path = parts.path
                outer.hits[path] += 1
                passed = "wafpass=ok" in (self.headers.get("Cookie") or "")
                if path == "/robots.txt":
                    return self.send(200, "User-agent: *\n", "text/plain")
                if path == "/js/index.html":
                    return self.send(200, JS_LIST)
                if path == "/api/list":
                    page = int((parse_qs(parts.query).get("page") or ["1"])[0])
                    first = (page - 1) * PER_PAGE + 1
                    data = [entry("js", i) for i in range(first, first + PER_PAGE)]
                    return self.send(200, json.dumps({"pages": PAGES, "data": data}),
                                     "application/json")
                if path == "/pager/index.html":
                    rows = "".join(f'<li><a href="{e["url"]}">{e["title"]}</a><span>{e["date"]}'
                                   f'</span></li>' for e in (entry("pager", i)
                                                             for i in range(1, PER_PAGE + 1)))
                    return self.send(200, PAGER_LIST.replace("{rows}", rows))
                if path == "/api/pager":
                    page = int((parse_qs(parts.query).get("page") or ["1"])[0])
                    first = (page - 1) * PER_PAGE + 1
                    data = [{"name": e["title"], "href": e["url"], "day": e["date"]}
                            for e in (entry("pager", i) for i in range(first, first + PER_PAGE))]
                    return self.send(200, json.dumps({"pages": PAGES, "rows": data}),
                                     "application/json")
                if path.startswith("/waf/") and not passed:
                    return self.send(412, CHALLENGE)
                if path == "/waf/index.html":
                    rows = "".join(f'<li><a href="{e["url"]}">{e["title"]}</a><span>{e["date"]}'
                                   f'</span></li>' for e in (entry("waf", i) for i in (1, 2, 3)))
                    return self.send(200, LIST.format(t="公示公告", rows=rows))
                if path == "/plain/index.html":
                    rows = "".join(f'<li><a href="{e["url"]}">{e["title"]}</a><span>{e["date"]}'
                                   f'</span></li>' for e in (entry("plain", i) for i in (1, 2)))
                    return self.send(200, LIST.format(t="工作动态", rows=rows))
                if "/art" in path:
                    i = int(path.rsplit("art", 1)[1].split(".")[0])
                    prefix = path.strip("/").split("/")[0]
                    return self.send(200, ARTICLE.format(t=f"{prefix}通知第{i}号",
                                                         d=f"2026-10-{i:02d}", body="正文内容。" * 30))
                return self.send(404, "not found")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def config(self, render: str) -> str:
        lines = ["site:", "  name: 脚本列表测试站", f'  base_url: "{self.base_url}"',
                 "  download_delay: 0", "  retries: 0", f"  render: {render}", "items:"]
        for item_id, name, url in (("1", "js", "js/index.html"), ("2", "waf", "waf/index.html"),
                                   ("3", "plain", "plain/index.html"),
                                   ("4", "pager", "pager/index.html")):
            lines += [f'  - id: "{item_id}"', f"    name: {name}", "    deadline: 根据实际更新",
                      f"    columns: [{{name: {name}, url: {url}}}]"]
        return "\n".join(lines) + "\n"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
