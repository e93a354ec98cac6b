"""Attachments (issue 11 item 4): recognised by extension, download endpoints and headers;
fetched size-capped under the site's rules; PDF/DOCX/XLSX read; the 文号 and 成文日期 printed
only in the file fill what the page lacks; a working attachment is content; a dead one is a
broken link; a 20 MB one is capped, not broken.

The PDF is printed by the system Chromium from HTML (a real PDF with a CJK text layer), the DOCX
written by python-docx, the XLSX by openpyxl: real files, read by the real readers.
"""
from __future__ import annotations

import io
import json
from collections import Counter
import sqlite3
import subprocess
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import run_zwgk
from zwgk.crawler.attachments import file_kind, is_attachment_url, read_attachment
from zwgk.crawler.attachments.fields import document_fields

DOC_TEXT = ["临住建发〔2026〕{n}号", "关于做好住房保障工作的通知",
            "各区住房城乡建设局：为做好住房保障工作，现将有关事项通知如下。一、提高认识。二、加强管理。",
            "临江市住房和城乡建设局", "2026年{m}月{d}日"]


def _lines(n: int, m: int, d: int) -> list[str]:
    return [line.format(n=n, m=m, d=d) for line in DOC_TEXT]


def make_pdf(tmp: Path, lines: list[str]) -> bytes:
    html = tmp / "doc.html"
    html.write_text("<meta charset='utf-8'>" + "".join(f"<p>{x}</p>" for x in lines), encoding="utf-8")
    out = tmp / "doc.pdf"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", f"--print-to-pdf={out}", html.as_uri()],
                   capture_output=True, timeout=120, check=False)
    return out.read_bytes()


def make_docx(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


PAGE = ('<html><head><meta charset="utf-8"><title>{t}</title></head><body><h1>{t}</h1>'
        '<p>发布日期：2026-10-{d:02d}</p><div class="content">{body}</div></body></html>')
LIST = ('<html><head><meta charset="utf-8"><title>文件</title></head><body><div class="list"><ul>'
        '{rows}</ul></div></body></html>')


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("attach")
    pdf = make_pdf(tmp, _lines(7, 4, 8))
    files = {
        "/module/download/downfile.jsp": (make_docx(_lines(5, 3, 2)), "application/octet-stream",
                                          'attachment; filename="notice.docx"'),
        "/files/notice.pdf": (pdf, "application/pdf", None),
        "/files/huge.pdf": (b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024), "application/pdf", None),
    }
    articles = {
        1: ("关于印发住房保障工作要点的通知", '<p>附件：<a href="/module/download/downfile.jsp?classid=0&amp;'
                            'filename=abc123.docx">关于做好住房保障工作的通知</a></p>'),
        2: ("关于做好住房保障工作的通知", '<p>附件：<a href="/files/notice.pdf">通知全文</a></p>'),
        3: ("关于公布住房保障对象名单的公告", '<p>附件：<a href="/files/huge.pdf">通知全文</a></p>'),
        4: ("关于调整住房保障标准的通知", '<p>附件：<a href="/files/missing.pdf">通知全文</a></p>'),
        5: ("关于做好住房保障工作的通知（转发）", '<p>附件：<a href="/files/notice.pdf">通知全文</a></p>'),
    }
    hits: Counter[str] = Counter()

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def send(self, status: int, body: bytes, ctype: str, disposition: str | None = None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            if disposition:
                self.send_header("Content-Disposition", disposition)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                pass  # the size cap hung up on us

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?")[0]
            hits[path] += 1
            if path == "/robots.txt":
                return self.send(200, b"User-agent: *\n", "text/plain")
            if path == "/docs/index.html":
                rows = "".join(f'<li><a href="/docs/a{i}.html">{t}</a><span>2026-10-{i:02d}</span></li>'
                               for i, (t, _) in articles.items())
                return self.send(200, LIST.format(rows=rows).encode(), "text/html; charset=utf-8")
            if path.startswith("/docs/a"):
                i = int(path[len("/docs/a"):].split(".")[0])
                title, body = articles[i]
                return self.send(200, PAGE.format(t=title, d=i, body=body).encode(),
                                 "text/html; charset=utf-8")
            if path in files:
                body, ctype, disposition = files[path]
                return self.send(200, body, ctype, disposition)
            return self.send(404, b"not found", "text/plain")

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    cfg = tmp / "a.yaml"
    cfg.write_text("\n".join([
        "site:", "  name: 附件测试站", f'  base_url: "{base}"', "  download_delay: 0",
        "  retries: 0", "items:", '  - id: "1"', "    name: 部门文件", "    deadline: 根据实际更新",
        "    method: 全文发布", "    columns: [{name: 文件, url: docs/index.html}]", ""]),
        encoding="utf-8")
    try:
        proc = run_zwgk("run", "--config", str(cfg), "--db", str(tmp / "a.sqlite"),
                        "--out", str(tmp / "out"), "--as-of", "2026-11-20")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert "Traceback" not in proc.stderr, proc.stderr
    doc = json.loads((tmp / "out" / "findings.json").read_text(encoding="utf-8"))
    with sqlite3.connect(tmp / "a.sqlite") as conn:
        conn.row_factory = sqlite3.Row
        arts = {r["url"].rsplit("/", 1)[1]: dict(r) for r in conn.execute("SELECT * FROM articles")}
        atts = {r["url"].split("/")[-1].split("?")[0]: dict(r)
                for r in conn.execute("SELECT * FROM attachments")}
    return {"item": doc["items"][0], "articles": arts, "attachments": atts, "hits": hits}


def test_downfile_docx_read_and_fills_the_page(run):
    a = run["articles"]["a1.html"]
    assert a["doc_number"] == "临住建发〔2026〕5号"
    assert (a["written_date"], a["written_source"]) == ("2026-03-02", "attachment")
    att = run["attachments"]["downfile.jsp"]
    assert (att["kind"], att["status"]) == ("docx", "read")
    assert "住房保障" in att["text"]


def test_pdf_read_and_fills_the_page(run):
    for name in ("a2.html", "a5.html"):  # two articles, one attachment: read once
        a = run["articles"][name]
        assert a["doc_number"] == "临住建发〔2026〕7号"
        assert (a["written_date"], a["written_source"]) == ("2026-04-08", "attachment")
    assert run["attachments"]["notice.pdf"]["status"] == "read"
    assert run["hits"]["/files/notice.pdf"] == 1


def test_twenty_megabytes_capped_not_broken(run):
    att = run["attachments"]["huge.pdf"]
    assert att["status"] == "too_large" and att["text"] == ""
    assert run["articles"]["a3.html"]["http_status"] == 200
    broken = [f["details"]["url"] for f in run["item"]["findings"] if f["rule"] == "broken_link"]
    assert not any(u.endswith("huge.pdf") for u in broken)


def test_dead_attachment_is_a_broken_link_and_working_ones_are_content(run):
    findings = run["item"]["findings"]
    broken = [f["details"]["url"] for f in findings if f["rule"] == "broken_link"]
    assert [u.rsplit("/", 1)[1] for u in broken] == ["missing.pdf"]
    missing = {f["details"]["url"].rsplit("/", 1)[1] for f in findings
               if f["rule"] == "content_missing"}
    assert missing == {"a4.html"}  # a1-a3 carry a working attachment


# --- the pieces -------------------------------------------------------------------------------

@pytest.mark.parametrize("url, attachment", [
    ("http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=abc.pdf", True),
    ("http://x.gov.cn/download.jsp?id=77", True),
    ("http://x.gov.cn/attach/getfile?fileName=%E9%80%9A%E7%9F%A5.docx", True),
    ("http://x.gov.cn/art/2026/5/1/art_1_2.html", False),
    ("http://x.gov.cn/search?name=report.html", False),
    ("http://x.gov.cn/files/a.OFD", True),
])
def test_attachment_urls(url, attachment):
    assert is_attachment_url(url) is attachment


def test_kinds_from_headers():
    assert file_kind("http://x/getfile?id=1", "application/octet-stream",
                     "attachment; filename*=UTF-8''%E9%80%9A%E7%9F%A5.xlsx") == "xlsx"
    assert file_kind("http://x/download.jsp?id=1", "application/pdf") == "pdf"
    assert file_kind("http://x/download.jsp?id=1", "text/html; charset=utf-8") is None
    assert file_kind("http://x/a.wps") == "wps"


def test_readers_and_fields():
    xlsx = read_attachment(make_xlsx([["文号", "临住建发〔2026〕9号"], ["成文日期", "2026-05-06"]]), "xlsx")
    assert xlsx.status == "read" and "临住建发〔2026〕9号" in xlsx.text
    fields = document_fields(read_attachment(make_docx(_lines(3, 1, 9)), "docx").text, "",
                             date(2026, 11, 20))
    assert (fields.doc_number, fields.written_date) == ("临住建发〔2026〕3号", date(2026, 1, 9))
    assert read_attachment(b"\x00garbage", "docx").status.startswith("error")
    assert read_attachment(b"whatever", "doc").status == "unread"
