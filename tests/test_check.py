"""``zwgk check`` for a column outside the config, and ``zwgk run`` as cron runs it (log file,
lock, --keep, index page, --notify), against the demo site on loopback.

Crawls run in a subprocess (Twisted's reactor cannot restart); the error paths that stop before
any crawl run in-process.
"""
from __future__ import annotations

import fcntl
import json
import textwrap
from pathlib import Path

import pytest

from zwgk.cli import main
from conftest import run_zwgk
from zwgk.demosite.site import DEMO_AS_OF

AS_OF = DEMO_AS_OF.isoformat()


def test_check_url_with_a_deadline_not_in_the_config(demo_server, tmp_path):
    """The supervisor's example: a 季度更新 column given by URL. The demo's 棚改 column skipped
    2026-Q2; the throw-away store leaves no nightly store behind."""
    html = tmp_path / "check.html"
    proc = run_zwgk("check", "--url", demo_server.base_url + "zdbs/pg/index.html",
                    "--deadline", "季度更新", "--name", "棚改（抽查）", "--unit", "住房保障科",
                    "--download-delay", "0", "--as-of", AS_OF, "--html", str(html), cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert "抽查 棚改（抽查）  [不合格]  公开时限：季度更新" in out
    assert "检查规则：每个季度至少发布一条" in out and "责任单位：住房保障科" in out
    assert "[严重] 周期内未更新：2026年第二季度" in out
    assert "文章数：12" in out
    page = html.read_text(encoding="utf-8")
    assert 'id="item-抽查"' in page and "棚改（抽查）" in page and "script-src 'sha256-" in page
    # One column is not a site: no site-level veto box, no host posing as the site's name, no
    # made-up item id, no unit score (issue 12).
    assert "单项否决指标</div>" not in page and 'class="verdict' not in page
    assert "站点：" not in page and "<strong>127.0.0.1</strong>" not in page
    assert ">check<" not in page and "item-check" not in page and "得分" not in page
    assert "政务公开抽查报告" in page and "zdbs/pg/index.html" in page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["check.html"]  # no data/, no reports/


def test_check_url_reads_doc_series_and_pages(demo_server, tmp_path):
    proc = run_zwgk("check", "--url", demo_server.base_url + "col/col1201/index.html",
                    "--deadline", "20个工作日内发布", "--series", "临住建发", "--series", "临住建办发",
                    "--limit", "40", "--download-delay", "0", "--as-of", AS_OF, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    for text in ("文号重复", "文号疑似缺号", "文号格式不规范", "发布超时", "临住建发[2026]8号"):
        assert text in proc.stdout, text
    rows = [ln for ln in proc.stdout.splitlines() if ln[:4].isdigit() and ln[4] == "-"]
    assert len(rows) == 30  # every document of the column, newest first
    assert rows == sorted(rows, reverse=True)


@pytest.mark.parametrize("argv, message", [
    (["check"], "give an ITEM_ID of the config, or --url"),
    (["check", "2.1", "--url", "http://127.0.0.1:9/x.html"], "either ITEM_ID or --url"),
    (["check", "--url", "http://127.0.0.1:9/x.html", "--deadline", "看心情更新"],
     "cannot derive rules from deadline"),
    (["check", "--url", "ftp://127.0.0.1/x"], "expected the http(s) URL of a column's list page"),
    (["check", "99.9"], "no item with id '99.9'"),
    # No 公开时限 given: nothing is assumed silently (it used to become 根据实际更新).
    (["check", "--url", "http://127.0.0.1:9/x.html"], "give the column's 公开时限 with --deadline"),
    # Only the format the help states.
    (["check", "--url", "http://127.0.0.1:9/x.html", "--deadline", "季度更新", "--as-of", "20261120"],
     "expected a date as YYYY-MM-DD"),
    (["run", "--as-of", "2026-W47"], "expected a date as YYYY-MM-DD"),
])
def test_check_usage_errors_exit_2_before_crawling(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


# --- nightly ---------------------------------------------------------------------------------------

def _tiny_config(tmp_path: Path) -> Path:
    """Two demo columns: one clean, one empty (a fail, so the run exits 1)."""
    path = tmp_path / "columns.yaml"
    path.write_text(textwrap.dedent("""\
        site: {name: 临江市住建局（测试）, base_url: "http://127.0.0.1:8000/", download_delay: 0}
        items:
          - {id: "1.2", name: 领导成员及分工, deadline: 根据变动及时更新, units: [人事科],
             columns: [{url: zfxxgk/jgzn/ldxx/index.html}]}
          - {id: "12.2", name: 空白栏目, deadline: 实时更新, units: [办公室],
             columns: [{url: "hdjl/list.php?catid=122&page=1"}]}
        """), encoding="utf-8")
    return path


def _old_report(root: Path, name: str) -> Path:
    from zwgk.report.outputs import publish  # as zwgk writes a night's folder (with its marker)

    return publish(root / name, {"findings.json": json.dumps({"as_of": name, "site": {"name": "旧"},
                                                              "items": []}),
                                 "report.html": "<html></html>"})


def test_nightly_run_logs_keeps_indexes_and_notifies(demo_server, tmp_path):
    reports = tmp_path / "reports"
    for name in ("2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"):
        _old_report(reports, name)
    (reports / "2026-11-16" / "keep-me.txt").write_text("not ours", encoding="utf-8")
    log, notified = tmp_path / "logs" / "zwgk.log", tmp_path / "notified.txt"
    proc = run_zwgk("run", "--config", str(_tiny_config(tmp_path)), "--base-url", demo_server.base_url,
                    "--as-of", AS_OF, "--db", str(tmp_path / "z.sqlite"),
                    "--out", str(reports / AS_OF), "--keep", "2", "--log", str(log),
                    "--notify", f'cat > "{notified}"; echo "exit=$ZWGK_EXIT_CODE report=$ZWGK_REPORT" >> "{notified}"')
    assert proc.returncode == 1, proc.stdout + proc.stderr
    # --keep 2: tonight and 11-19 stay; 11-17/11-18 go; 11-16 holds a file zwgk did not write.
    assert sorted(p.name for p in reports.iterdir()) == ["2026-11-16", "2026-11-19", AS_OF, "index.html"]
    assert sorted(p.name for p in (reports / AS_OF).iterdir()) == [
        ".zwgk-report.json", "articles.csv", "findings.json", "report.html", "report.xlsx"]
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{AS_OF}/report.html">{AS_OF}</a>' in index and "2026-11-19" in index
    text = notified.read_text(encoding="utf-8")
    report = (reports / AS_OF / "report.html").resolve()
    assert "zwgk 政务公开检查 2026-11-20 临江市住建局（测试）" in text
    assert "事项 2 个" in text and "退出码：1" in text and f"报告：{report}" in text
    assert text.rstrip().endswith(f"exit=1 report={report}")
    logged = log.read_text(encoding="utf-8")
    assert "zwgk run started" in logged and "zwgk run finished (exit 1)" in logged
    assert "pruned old report folder" in logged and "not pruning" in logged


def test_nightly_run_locked_out_notifies_and_exits_4(tmp_path, capsys):
    db = tmp_path / "z.sqlite"
    lock = tmp_path / "z.sqlite.lock"
    notified, log = tmp_path / "n.txt", tmp_path / "run.log"
    with open(lock, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        code = main(["run", "--config", str(_tiny_config(tmp_path)), "--db", str(db),
                     "--as-of", AS_OF, "--out", str(tmp_path / "reports" / AS_OF),
                     "--log", str(log), "--notify", f'cat > "{notified}"'])
    assert code == 4
    assert "another zwgk run is using" in capsys.readouterr().err
    text = notified.read_text(encoding="utf-8")
    assert "未完成（退出码 4）" in text and "another zwgk run" in text
    assert "zwgk run failed (exit 4)" in log.read_text(encoding="utf-8")
    assert not (tmp_path / "reports").exists()
