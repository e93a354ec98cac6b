"""Issue 12: what a newcomer and an attacker ran into — a site that could not be read must not
read as passing, one set of run statistics, exit codes as documented, `report` under the run
lock, the demo's own folder, --help that states the real defaults, errors printed once, unit
tasks without config advice, screenshots past Chromium's limit, a trend chart with axes, and
only the dependencies the code uses (the spot-check importing only what it needs).

Crawls run in a subprocess (Twisted's reactor cannot restart); paths that stop before any crawl
run in-process.
"""
from __future__ import annotations

import fcntl
import json
import re
import socket
import textwrap
from pathlib import Path

import pytest

from conftest import run_zwgk
from zwgk.cli import build_parser, main
from zwgk.crawler.store import Store
from zwgk.demosite.site import DEMO_AS_OF

AS_OF = DEMO_AS_OF.isoformat()


def _dead_url() -> str:
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/"


def _config(tmp_path: Path, base: str = "http://127.0.0.1:8000/") -> Path:
    path = tmp_path / "columns.yaml"
    path.write_text(textwrap.dedent(f"""\
        site: {{name: 测试局, base_url: "{base}", download_delay: 0, retries: 0, timeout: 2}}
        items:
          - {{id: "1.2", name: 领导成员及分工, deadline: 根据变动及时更新, units: [人事科],
             columns: [{{url: zfxxgk/jgzn/ldxx/index.html}}]}}
          - {{id: "2.1", name: 部门文件, category: 政策文件, deadline: 20个工作日内发布, units: [办公室],
             columns: [{{url: col/col1201/index.html}}]}}
        """), encoding="utf-8")
    return path


# --- item 1: a site that could not be read does not read as passing --------------------------

def test_unreadable_site_is_undetermined_not_passing(tmp_path):
    out = tmp_path / "out"
    proc = run_zwgk("run", "--config", str(_config(tmp_path)), "--base-url", _dead_url(),
                    "--db", str(tmp_path / "z.sqlite"), "--as-of", AS_OF, "--out", str(out),
                    cwd=tmp_path)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert {i["status"] for i in doc["items"]} == {"unknown"}
    assert doc["units"] and not [u for u in doc["units"] if u["status"] == "pass"]
    assert {u["status"] for u in doc["units"]} == {"unknown"}
    assert doc["veto"]["would_fail"] is False and doc["veto"]["undetermined"] is True
    assert doc["veto"]["unreadable"]["items"] == ["1.2", "2.1"]
    assert len(doc["veto"]["unreadable"]["columns"]) == 2
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "未触及全国政府网站检查单项否决指标" not in html
    assert "无法判断是否触及全国政府网站检查单项否决指标" in html
    banner = html.index('id="unread"')
    assert banner < html.index('id="summary"')  # the report opens with it
    assert "本次有 2 个栏目未能读取，2 个事项无法判断" in html
    assert '<span class="badge b-pass">' not in html


# --- item 2: `zwgk report` writes into the store: it takes the run lock -----------------------

def test_report_refuses_to_write_while_a_run_holds_the_lock(tmp_path, capsys):
    db = tmp_path / "z.sqlite"
    store = Store(db)
    run_id, _ = store.open_run(as_of=AS_OF, site="测试局", base_url="http://127.0.0.1:8000/",
                               config_path="x", kind="crawl")
    store.finish_run(run_id, "finished", {"columns": 2, "columns_unreachable": 0})
    store.close()
    out = tmp_path / "out"
    argv = ["report", "--config", str(_config(tmp_path)), "--db", str(db), "--out", str(out)]
    with open(tmp_path / "z.sqlite.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert main(argv) == 4
    assert "another zwgk run is using" in capsys.readouterr().err
    assert not out.exists()
    assert not Store(db).has_results(run_id)  # nothing written into the store either
    assert main(argv) in (0, 1)  # lock free: it writes
    assert (out / "report.html").exists()


# --- item 4: exit codes of check and extract --------------------------------------------------

def test_check_of_an_unreachable_column_exits_3(tmp_path):
    proc = run_zwgk("check", "--url", _dead_url() + "col/index.html", "--deadline", "季度更新",
                    "--as-of", AS_OF, "--download-delay", "0", cwd=tmp_path)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "无法判断" in proc.stdout


def test_extract_of_a_missing_file_is_bad_input(tmp_path, capsys):
    missing = tmp_path / "nope.html"
    assert main(["extract", str(missing), "--json"]) == 2
    assert f"{missing}: cannot read" in capsys.readouterr().err


# --- items 3 and 10: one set of run statistics; the demo keeps its own folder and index ----------

FINAL_LINE_RE = re.compile(r"zwgk crawl finished: columns (\d+)/(\d+) · list pages (\d+) · "
                           r"articles (\d+) \(fetched \d+, skipped \d+ known\) · errors (\d+) · "
                           r"(\d+) requests")


def test_demo_progress_agrees_with_the_report_and_keeps_its_own_folder(tmp_path):
    proc = run_zwgk("demo", "--db", str(tmp_path / "demo.sqlite"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    reports = tmp_path / "reports"
    assert sorted(p.name for p in reports.iterdir()) == ["demo"]  # never reports/AS_OF
    assert (reports / "demo" / AS_OF / "report.html").exists()
    index = (reports / "demo" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{AS_OF}/report.html">{AS_OF}</a>' in index
    # The console's last crawl line and the report count the same things the same way.
    finals = FINAL_LINE_RE.findall(proc.stderr)
    assert len(finals) == 1, proc.stderr
    read, columns, pages, articles, errors, requests = map(int, finals[0])
    run = json.loads((reports / "demo" / AS_OF / "findings.json").read_text(encoding="utf-8"))["run"]
    assert (columns - read, columns, pages, articles, errors, requests) == (
        run["columns_unreachable"], run["columns"], run["pages"], run["articles"], run["errors"],
        run["requests"])
    assert run["columns_unreachable"] >= 1 and run["errors"] >= 1  # the demo's seeded faults
    html = (reports / "demo" / AS_OF / "report.html").read_text(encoding="utf-8")
    assert (f"请求 {requests} 次，列表页 {pages} 个，文章 {articles} 篇，栏目 {columns} 个"
            f"（无法访问 {columns - read} 个），抓取错误 {errors} 个") in html


# --- item 11: --help states the real defaults; errors print once -------------------------------

def _help(command: str) -> str:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return " ".join(sub.choices[command].format_help().split())


@pytest.mark.parametrize("command, default", [
    ("run", "data/zwgk.sqlite"), ("crawl", "data/zwgk.sqlite"),
    ("demo", "data/demo.sqlite"), ("check", "a throw-away SQLite file"),
])
def test_help_states_the_default_store_used(command, default):
    text = _help(command)
    assert f"postgresql://user@host/db URL (default: {default}" in text
    if command != "run":
        assert "data/zwgk.sqlite" not in text or command == "crawl"


def test_help_default_store_is_the_parsed_default():
    parser = build_parser()
    assert parser.parse_args(["demo"]).db == "data/demo.sqlite"
    assert parser.parse_args(["check", "2.1"]).db is None


def test_run_error_is_printed_once(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("site: [\n", encoding="utf-8")
    proc = run_zwgk("run", "--config", str(bad), "--db", str(tmp_path / "z.sqlite"),
                    "--as-of", AS_OF, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count(str(bad)) == 1, proc.stderr
    assert proc.stderr.startswith("zwgk: config error")


# --- item 7: unit-facing text says what the unit does; config advice goes to the administrator --

def test_docno_gap_task_speaks_to_the_unit_and_config_advice_to_the_administrator():
    from datetime import date

    from zwgk.audit.catalog import parse_config
    from zwgk.audit.engine import run_audit
    from zwgk.audit.model import Article
    from zwgk.report.html import render_html

    base = "http://127.0.0.1:9/"
    config = parse_config({"site": {"name": "测试局", "base_url": base}, "items": [
        {"id": "4.2", "name": "规范性文件", "deadline": "根据实际更新", "units": ["法规科"],
         "doc_series": ["测规发"], "columns": [{"url": "a/index.html"}]}]})
    articles = [Article(url=f"{base}a/{n}.html", item_id="4.2", column_url=f"{base}a/index.html",
                        title=f"文件{n}", publish_date=date(2026, n, 2), doc_number=f"测规发〔2026〕{n}号",
                        date_source="text", http_status=200) for n in (1, 2, 5)]
    results = [r.to_json() for r in run_audit(config, articles, [], date(2026, 11, 20))]
    gap = next(f for f in results[0]["findings"] if f["rule"] == "docno_gap")
    assert "docno_exempt" not in gap["message"] and "配置" not in gap["message"]
    assert "登记不予公开的文号" in gap["message"]
    doc = {"as_of": "2026-11-20", "site": {"name": "测试局", "base_url": base}, "items": results}
    html = render_html(doc, config, articles, [])
    units = html[html.index('id="units"'):html.index('id="admin"')]
    assert "docno_exempt" not in units
    admin = html[html.index('id="admin"'):html.index('id="items"')]
    assert "docno_exempt" in admin and 'href="#item-4.2"' in admin


# --- item 12: a full screenshot of a long report goes to its end ---------------------------------

def test_full_screenshot_of_a_long_report_is_not_cut_at_chromiums_limit(tmp_path):
    import subprocess
    import sys

    from PIL import Image

    from conftest import ROOT
    from test_report import big_report
    from zwgk.report.html import render_html
    from zwgk.report.screenshot import PART_HEIGHT

    doc, config, arts = big_report(n_articles=1300, items=26)  # 26 items, each paged: ~30,000 px
    page = tmp_path / "report.html"
    page.write_text(render_html(doc, config, arts, []), encoding="utf-8")
    out = tmp_path / "all.png"
    proc = subprocess.run([sys.executable, "-m", "zwgk.report.screenshot", str(page), str(out),
                           "--full", "--expand", "--width", "1000"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    written = [Path(line) for line in proc.stdout.split()]
    assert written[0] == out
    heights = []
    for path in written:
        with Image.open(path) as picture:
            assert picture.width == 1000
            heights.append(picture.height)
            assert picture.height <= PART_HEIGHT
            bottom = picture.crop((0, picture.height - 1500, 1000, picture.height)).convert("L")
    assert sum(heights) > 17000, heights  # past the old 16,000 px cut
    # The bottom of the last picture still holds the report (the last item's table), not blank.
    assert bottom.getextrema()[0] < 128, heights


# --- items 14 and 15: every declared dependency is used; a spot-check imports only what it needs --

# Distribution name (pyproject) -> how the code uses it: the module it imports, or (a driver
# SQLAlchemy loads by URL) the pattern that names it.
IMPORT_NAMES = {"scrapy": "scrapy", "lxml": "lxml", "dateparser": "dateparser", "jinja2": "jinja2",
                "pyyaml": "yaml", "holidays": "holidays", "openpyxl": "openpyxl", "pillow": "PIL",
                "pandas": "pandas", "pydantic": "pydantic", "sqlalchemy": "sqlalchemy",
                "alembic": "alembic", "celery": "celery", "redis": "redis",
                "python-stdnum": "stdnum", "xlsxwriter": "xlsxwriter", "tldextract": "tldextract",
                "scrapy-playwright": "scrapy_playwright", "pypdf": "pypdf", "python-docx": "docx",
                "starlette": "starlette", "uvicorn": "uvicorn",
                "argon2-cffi": "argon2", "httpx": "httpx",
                "pytest-xdist": "xdist"}  # test extra: tests/conftest.py's scheduler
USED_BY_NAME = {"psycopg": r"postgresql\+psycopg",
                "python-multipart": r"await request\.form\(\)"}  # Starlette parses forms with it


def test_every_declared_dependency_is_imported_by_the_code():
    import tomllib

    from conftest import ROOT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [re.split(r"[<>=!~\[ ;]", d, maxsplit=1)[0].lower() for d in project["dependencies"]]
    unknown = [d for d in declared if d not in IMPORT_NAMES and d not in USED_BY_NAME]
    assert not unknown, f"add the import name of {unknown} to IMPORT_NAMES"
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "zwgk").rglob("*.py"))
    patterns = {d: rf"^\s*(?:from|import)\s+{IMPORT_NAMES[d]}\b" if d in IMPORT_NAMES
                else USED_BY_NAME[d] for d in declared}
    unused = [d for d in declared if not re.search(patterns[d], code, re.M)]
    assert unused == [], f"declared but never imported: {unused}"


SPOT_CHECK_PROBE = """
import sys
from zwgk.cli import main
code = main(["check", "--url", sys.argv[1], "--deadline", "季度更新", "--download-delay", "0",
             "--as-of", "2026-11-20"])
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"pandas", "numpy", "bs4", "jinja2",
                                                          "openpyxl", "PIL"})
print("CODE", code, "HEAVY", ",".join(heavy))
"""


def test_a_spot_check_without_html_imports_no_report_machinery(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    proc = subprocess.run([sys.executable, "-c", SPOT_CHECK_PROBE, _dead_url() + "col/index.html"],
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=300)
    assert "CODE 3 HEAVY \n" in proc.stdout, proc.stdout + proc.stderr


# --- item 13: the index's trend chart has axes and values; sortable headers keep their arrow ------

def test_index_trend_chart_has_axes_dates_and_values(tmp_path):
    from test_report import _report_folder
    from zwgk import nightly

    fails = {"2026-11-16": 7, "2026-11-17": 3, "2026-11-18": 0, "2026-11-19": 4}
    for name, n in fails.items():
        _report_folder(tmp_path, name, fails=n)
    html = nightly.write_index(tmp_path).read_text(encoding="utf-8")
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert svg.count('class="axis"') == 2
    ylabels = re.findall(r'<text class="ylab"[^>]*>(\d+)</text>', svg)
    assert ylabels[0] == "0" and int(ylabels[-1]) >= 7  # from zero to at least the peak
    xlabels = re.findall(r'<text class="xlab"[^>]*>([\d-]+)</text>', svg)
    assert xlabels[0] == "2026-11-16" and xlabels[-1] == "2026-11-19"  # oldest left
    values = re.findall(r'<text class="val"[^>]*>(\d+)</text>', svg)
    assert values == ["7", "3", "0", "4"]
    # Heights follow the values: the peak is highest (smallest y), zero sits on the x axis.
    ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]
    axis_y = float(re.search(r'class="axis" x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)" y2="\1"', svg)[1])
    assert ys[0] == min(ys) and ys[2] == axis_y


def test_many_nights_label_only_the_extremes():
    from zwgk.report.charts import TREND_VALUE_LABELS, trend_chart

    series = [(f"n{i}", (i * 7) % 11) for i in range(TREND_VALUE_LABELS + 20)]
    chart = trend_chart(series)
    shown = [p.value for p in chart.points if p.show_value]
    assert 2 <= len(shown) <= 4 and max(v for _, v in series) in shown and 0 in shown
    assert len(chart.x_labels) == 6 and chart.x_labels[0][1] == "n0"


def test_sortable_headers_keep_their_arrow_on_one_line(tmp_path):
    import os

    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from test_report import synthetic
    from zwgk.report.html import write_report

    doc, config, arts = synthetic()
    page = write_report(tmp_path / "r", doc, config, arts, []) / "report.html"
    options = webdriver.ChromeOptions()
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--window-size=1366,900"):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(page.as_uri())
        found = driver.execute_script("""
          return Array.from(document.querySelectorAll('th button.sort')).map(function (b) {
            var line = parseFloat(getComputedStyle(b).lineHeight);
            return [b.textContent, b.getBoundingClientRect().height / line,
                    getComputedStyle(b, '::after').content];
          });""")
    finally:
        driver.quit()
    assert len(found) > 10
    wrapped = [(text, round(lines, 1)) for text, lines, _ in found if lines > 1.5]
    assert wrapped == []
    assert all(after.startswith('"\u00a0') for _, _, after in found)  # glued to the label


def test_index_says_cannot_tell_for_a_night_with_unread_columns(tmp_path):
    from test_report import _report_folder
    from zwgk import nightly

    folder = _report_folder(tmp_path, "2026-11-20")
    doc = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    doc["veto"] = {"would_fail": False, "undetermined": True, "checks": []}
    (folder / "findings.json").write_text(json.dumps(doc), encoding="utf-8")
    html = nightly.write_index(tmp_path).read_text(encoding="utf-8")
    row = html[html.index("<tbody>"):]
    assert "无法判断" in row and "未触及" not in row
