"""Issue 17 items 2 and 3: crawled text cannot become a formula in articles.csv, an escape
sequence in any text output, or a bidi spoof in report.html."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

from test_report import BASE, synthetic

from zwgk.audit.model import Article
from zwgk.report.html import write_report
from zwgk.report.textsafe import clean_text, csv_cell

FORMULAS = ['=HYPERLINK("http://127.0.0.1:9/x","点我")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
SPOOF = "关于发布附件的通知\u202eFDP.exe"
ANSI = "\x1b[31m红色\x1b[0m标题\x1b]0;owned\x07\x9b2J\x07\x08"


def _hostile_articles() -> list[Article]:
    titles = FORMULAS + [SPOOF, ANSI]
    return [Article(url=f"{BASE}col/1/h{k}.html", item_id="1.1", column_url=f"{BASE}col/1/index.html",
                    title=t, publish_date=date(2026, 10, 1), written_date=None,
                    doc_number=("=1+2" if k == 0 else "@A1" if k == 1 else None),
                    date_source="text", http_status=200) for k, t in enumerate(titles)]


def test_articles_csv_cells_are_never_formulas_and_carry_no_controls(tmp_path):
    doc, config, arts = synthetic()
    write_report(tmp_path, doc, config, arts + _hostile_articles(), [])
    text = (tmp_path / "articles.csv").read_text(encoding="utf-8")
    assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text and "\u202e" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    cells = [row[k] for row in rows for k in ("title", "doc_number") if row[k]]
    assert cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    titles = {row["title"] for row in rows}
    # Neutralised, not lost: the apostrophe prefix keeps the text readable.
    assert "'" + FORMULAS[0] in titles and "'-2+3+cmd|' /C calc'!A0" in titles
    assert "红色标题" in titles and "关于发布附件的通知FDP.exe" in titles
    # Ordinary titles are untouched.
    assert "关于一号文件的通知" in titles


def test_findings_json_and_report_html_strip_escapes_and_bidi(tmp_path):
    doc, config, arts = synthetic()
    doc["items"][0]["findings"][0]["message"] += ANSI + SPOOF
    write_report(tmp_path, doc, config, arts + _hostile_articles(), [])
    raw = (tmp_path / "findings.json").read_text(encoding="utf-8")
    assert "\\u001b" not in raw and "\u202e" not in raw and "\\u0007" not in raw
    assert "红色标题" in json.loads(raw)["items"][0]["findings"][0]["message"]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "\u202e" not in html and "\x1b" not in html and "\x9b" not in html
    assert "关于发布附件的通知FDP.exe" in html


def test_clean_text_keeps_clean_text_and_line_breaks():
    for text in ("常住建〔2020〕78号", "第一行\n第二行\t制表", "", "-"):
        assert clean_text(text) == text
    assert csv_cell(3) == 3 and csv_cell("2026-10-01") == "2026-10-01"
    assert clean_text("a\u2066b\u2069c\u200fd") == "abcd"



def test_workbook_extract_and_notification_text_carry_no_escapes(tmp_path):
    import subprocess
    import sys

    from openpyxl import load_workbook

    from conftest import ROOT
    from zwgk import nightly

    doc, config, arts = synthetic()
    write_report(tmp_path, doc, config, arts + _hostile_articles(), [])
    cells = [str(c.value) for ws in load_workbook(tmp_path / "report.xlsx") for row in ws.iter_rows()
             for c in row if c.value is not None]
    assert not any(ch in v for v in cells for ch in ("\x1b", "\x9b", "\u202e", "\x07"))
    assert "红色标题" in cells
    doc["site"]["name"] = ANSI + SPOOF
    text = nightly.summary_text(doc, code=1)
    assert "\x1b" not in text and "\u202e" not in text and "红色标题" in text
    page = tmp_path / "a.html"
    page.write_text(f"<html><head><title>{ANSI}{SPOOF}</title></head><body><h1>{ANSI}{SPOOF}</h1>"
                    f"<p>发布日期：2026-10-01</p><p>{'正文。' * 40}</p></body></html>", encoding="utf-8")
    import os

    out = subprocess.run([sys.executable, "-m", "zwgk.cli", "extract", str(page), "--as-of", "2026-11-20"],
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                         timeout=120).stdout
    assert "\x1b" not in out and "\u202e" not in out and "\x9b" not in out


def test_the_log_file_carries_no_escapes(tmp_path):
    import logging

    from zwgk import nightly

    handler = nightly.setup_log(tmp_path / "z.log")
    try:
        nightly.log.warning("cannot read %s", "http://127.0.0.1:9/" + ANSI + SPOOF)
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    text = (tmp_path / "z.log").read_text(encoding="utf-8")
    assert "红色标题" in text and "\x1b" not in text and "\u202e" not in text
