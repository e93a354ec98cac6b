"""Unattended operation of ``zwgk run`` (cron, systemd): the log file, the index page over the
dated report folders, pruning old folders, the notification hook and the summary it receives.

Why here and not in cli.py: these are the parts an operator configures and an auditor never sees;
cli.py only calls them. Nothing here crawls or judges: it reads findings.json files already
written, and writes files under the reports folder.
"""
from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from zwgk.report.textsafe import clean_text

DATED_DIR_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Files a report folder holds; pruning removes these and nothing else.
REPORT_FILES = ("report.html", "findings.json", "articles.csv", "report.xlsx")
NOTIFY_TIMEOUT = 120  # seconds: a hung mail command must not hold the nightly lock forever
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

log = logging.getLogger("zwgk.nightly")
# Our own lines go to the --log file only: the console already gets the CLI's one error line
# (without this, Python's last-resort handler or Scrapy's console handler printed it twice).
log.propagate = False
log.addHandler(logging.NullHandler())


class _CleanFormatter(logging.Formatter):
    """Log lines quote crawled URLs and titles: no terminal escapes or bidi controls in the file
    an operator will `tail`."""

    def format(self, record: logging.LogRecord) -> str:
        return clean_text(super().format(record))


def setup_log(path: str | Path) -> logging.Handler:
    """Append this run's log to ``path``: our messages and the crawler's warnings (Scrapy logs to
    the root logger; its level is set in the crawl settings)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(_CleanFormatter(LOG_FORMAT))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    log.addHandler(handler)  # log does not propagate to the root logger
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    log.setLevel(logging.INFO)
    return handler


def close_log(handler: logging.Handler) -> None:
    """Undo setup_log (tests and the demo run several jobs in one process)."""
    logging.getLogger().removeHandler(handler)
    log.removeHandler(handler)
    handler.close()


# --- summary -----------------------------------------------------------------------------------

_STATUS = {"fail": "不合格", "warn": "提醒", "unknown": "无法判断", "pass": "合格"}


def summary_text(doc: dict[str, Any] | None, *, code: int, report: Path | None = None,
                 error: str = "") -> str:
    """What the notification command reads on stdin: plain Chinese text, one fact a line."""
    lines = []
    if doc is None:
        lines.append(f"zwgk 政务公开检查未完成（退出码 {code}）")
        if error:
            lines.append(f"原因：{error}")
        return clean_text("\n".join(lines) + "\n")
    items = doc.get("items") or []
    site = (doc.get("site") or {}).get("name", "")
    lines.append(f"zwgk 政务公开检查 {doc.get('as_of', '')} {site}")
    counts = {s: sum(1 for r in items if r["status"] == s) for s in _STATUS}
    fails = sum(1 for r in items for f in r["findings"] if f["severity"] == "fail")
    warns = sum(1 for r in items for f in r["findings"] if f["severity"] == "warn")
    lines.append(f"事项 {len(items)} 个：" + "，".join(f"{_STATUS[s]} {n}" for s, n in counts.items())
                 + f"；严重问题 {fails} 项，提醒 {warns} 项")
    veto = doc.get("veto")
    if isinstance(veto, dict):
        would = veto.get("would_fail", veto.get("fails"))
        lines.append("单项否决：" + ("已触及" if would else
                                   "无法判断（有栏目未能读取）" if veto.get("undetermined") else "未触及")
                     + ("（" + "；".join(f"{c.get('label')} {c.get('count')}/{c.get('threshold')}"
                                       for c in veto.get("checks") or [] if isinstance(c, dict)) + "）"
                        if veto.get("checks") else ""))
    history = doc.get("history")
    if isinstance(history, dict) and history.get("previous_run"):
        lines.append(f"与上次（{history.get('previous_as_of', '')}）相比：新增 {history.get('new', 0)} 项，"
                     f"持续 {history.get('persisting', 0)} 项，已整改 {history.get('resolved', 0)} 项")
    run = doc.get("run") or {}
    lines.append(f"抓取：请求 {run.get('requests') or 0} 次，文章 {run.get('articles') or 0} 篇，"
                 f"错误 {run.get('errors') or 0} 个，无法访问栏目 {run.get('columns_unreachable') or 0} 个")
    if report is not None:
        lines.append(f"报告：{report}")
    lines.append(f"退出码：{code}")
    return clean_text("\n".join(lines) + "\n")  # names and errors may carry crawled text


def sites_summary_text(doc: dict[str, Any] | None, *, code: int, report: Path | None = None,
                       error: str = "") -> str:
    """The same for ``zwgk run --sites``: the batch in one line, then one line a site, worst
    first (a site that failed to run, then vetoed, then by severe findings)."""
    if doc is None:
        return summary_text(None, code=code, error=error)
    sites = [s for s in doc.get("sites") or [] if isinstance(s, dict)]

    def worst(s: dict[str, Any]) -> tuple:
        return (s.get("status") == "done", not s.get("veto"), -int(s.get("fails") or 0))
    failed = sum(1 for s in sites if s.get("status") != "done")
    vetoed = sum(1 for s in sites if s.get("veto"))
    lines = [f"zwgk 政务公开检查 {doc.get('as_of', '')}：{len(sites)} 个网站",
             f"未能完成 {failed} 个，触及单项否决 {vetoed} 个"]
    for s in sorted(sites, key=worst):
        state = "完成" if s.get("status") == "done" else f"未完成（{s.get('error') or s.get('status')}）"
        lines.append(f"- {s.get('name') or s.get('slug')}：{state}，严重问题 {s.get('fails') or 0} 项，"
                     f"提醒 {s.get('warns') or 0} 项，{'触及单项否决' if s.get('veto') else '未触及单项否决'}"
                     f"（退出码 {s.get('exit_code')}）")
    if report is not None:
        lines.append(f"总览：{report}")
    lines.append(f"退出码：{code}")
    return clean_text("\n".join(lines) + "\n")


def notify(command: str, summary: str, *, code: int, report: Path | None = None) -> int:
    """Run the operator's ``--notify`` command (through the shell, as cron would) with the summary
    on stdin and ZWGK_EXIT_CODE / ZWGK_REPORT in the environment. Its failure is logged, never
    raised: the audit's exit code must stay the audit's."""
    env = {**os.environ, "ZWGK_EXIT_CODE": str(code), "ZWGK_REPORT": str(report or "")}
    try:
        proc = subprocess.run(command, shell=True, input=summary, text=True, env=env,  # noqa: S602
                              capture_output=True, timeout=NOTIFY_TIMEOUT)
    except subprocess.TimeoutExpired:
        log.error("notify command timed out after %d s: %s", NOTIFY_TIMEOUT, command)
        return -1
    except OSError as exc:
        log.error("notify command could not start: %s", exc)
        return -1
    if proc.returncode != 0:
        log.error("notify command exited %d: %s", proc.returncode, proc.stderr.strip()[-500:])
    else:
        log.info("notify command done")
    return proc.returncode


# --- before and around the run -------------------------------------------------------------------

def preflight(out_dir: Path, db_path: str | Path) -> None:
    """Raise OSError (naming the option) when tonight's outputs or the store could not be
    written: found before a crawl of hours, not after it."""
    from zwgk.report.outputs import check_writable

    out_dir = Path(out_dir)
    check_writable(out_dir.parent, "--out folder")
    if out_dir.exists():
        check_writable(out_dir, "--out folder")
        for name in REPORT_FILES:
            target = out_dir / name
            if target.is_symlink() or (target.exists() and not target.is_file()):
                raise OSError(21, f"--out {target} is not a file zwgk wrote; not replacing it")
    db = Path(db_path).resolve()
    check_writable(db.parent, "--db folder")
    if db.exists() and not os.access(db, os.R_OK | os.W_OK):
        raise OSError(13, f"--db {db} is not writable")


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (systemd stop, TimeoutStartSec) raises KeyboardInterrupt like Ctrl-C, so the run
    ends through the same path: a final log line and the notification. (While Scrapy crawls, its
    own handler stops the crawl gracefully and the runner raises KeyboardInterrupt after it.)"""
    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# --- the reports folder ---------------------------------------------------------------------------

def dated_dirs(root: Path) -> list[Path]:
    """Report folders named YYYY-MM-DD directly under ``root``, newest first (a symlink to a
    folder is listed too: the index shows it; pruning never follows it)."""
    if not root.is_dir():
        return []
    return sorted((p for p in root.iterdir() if p.is_dir() and DATED_DIR_RE.match(p.name)),
                  key=lambda p: p.name, reverse=True)


def prune(root: Path, keep: int, protect: Path | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` dated folders (never ``protect``, tonight's). Only a
    folder zwgk wrote is removed: a real folder (not a symlink) carrying zwgk's marker and holding
    exactly the regular files the marker names. Anything else is left in place and logged."""
    from zwgk.report.outputs import MARKER, foreign_entries, remove_ours

    removed = []
    if keep <= 0:
        return removed
    protected = protect.resolve() if protect else None
    for folder in dated_dirs(root)[keep:]:
        if protected is not None and folder.resolve() == protected:
            continue
        others = foreign_entries(folder)
        if others is None:
            log.warning("not pruning %s: not a report folder zwgk wrote (%s)", folder,
                        "a symbolic link" if folder.is_symlink() else f"no {MARKER}")
            continue
        if others:
            log.warning("not pruning %s: it holds files zwgk did not write (%s)", folder,
                        ", ".join(others[:5]))
            continue
        try:
            remove_ours(folder)
        except OSError as exc:  # a file appeared meanwhile, or no permission: keep going
            log.warning("could not prune %s: %s", folder, exc)
            continue
        log.info("pruned old report folder %s", folder)
        removed.append(folder)
    return removed


@dataclass(frozen=True)
class IndexRow:
    name: str
    as_of: str
    site: str
    items: int
    counts: dict[str, int]
    fails: int
    warns: int
    veto: bool | None
    new: int | None
    resolved: int | None
    files: tuple[str, ...]
    readable: bool
    undetermined: bool = False  # no veto count reached, but some columns could not be read


def _row(folder: Path) -> IndexRow:
    files = tuple(f for f in REPORT_FILES if (folder / f).exists())
    try:
        doc = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
        items = doc["items"]
        counts = {s: sum(1 for r in items if r["status"] == s) for s in _STATUS}
        veto = doc.get("veto")
        history = doc.get("history") if isinstance(doc.get("history"), dict) else {}
        return IndexRow(
            name=folder.name, as_of=str(doc.get("as_of") or folder.name),
            site=str((doc.get("site") or {}).get("name", "")), items=len(items), counts=counts,
            fails=sum(1 for r in items for f in r["findings"] if f["severity"] == "fail"),
            warns=sum(1 for r in items for f in r["findings"] if f["severity"] == "warn"),
            veto=bool(veto.get("would_fail", veto.get("fails"))) if isinstance(veto, dict) else None,
            new=history.get("new") if history.get("previous_run") else None,
            resolved=history.get("resolved") if history.get("previous_run") else None,
            files=files, readable=True,
            undetermined=bool(isinstance(veto, dict) and veto.get("undetermined")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return IndexRow(folder.name, folder.name, "", 0, {s: 0 for s in _STATUS}, 0, 0, None, None,
                        None, files, False)


# How an index.html zwgk wrote shows itself (the generator meta; older versions: the title).
_OUR_INDEX_MARKS = ('<meta name="generator" content="zwgk">', "<title>政务公开检查报告索引")


def is_our_index(path: Path) -> bool:
    """Whether ``path`` is absent or an index page zwgk wrote (so it may be replaced)."""
    try:
        head = path.read_bytes()[:4096].decode("utf-8", "replace")
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return any(mark in head for mark in _OUR_INDEX_MARKS)


def write_index(root: Path, limit: int = 366) -> Path | None:
    """``root/index.html``: the newest ``limit`` dated report folders with their headline numbers
    and a trend line of severe findings. Self-contained, no script, same CSP discipline. An
    index.html zwgk did not write (``--out X/DATE`` into someone's folder) is left alone: None."""
    from zwgk.report.html import _asset, _sha256
    from zwgk.report.charts import trend_chart

    if not is_our_index(root / "index.html"):
        log.warning("not writing %s: a file of that name exists and zwgk did not write it",
                    root / "index.html")
        return None

    rows = [_row(p) for p in dated_dirs(root)[:limit]]
    trend = trend_chart([(r.as_of, r.fails) for r in reversed(rows) if r.readable])
    style = _asset("index.css")
    csp = (f"default-src 'none'; style-src {_sha256(style)}; img-src data:; base-uri 'none'; "
           "form-action 'none'")
    env = Environment(loader=PackageLoader("zwgk.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    html = env.get_template("index.html.j2").render(
        rows=rows, trend=trend, style=style, csp=csp, status_labels=_STATUS,
        site=next((r.site for r in rows if r.site), ""))
    tmp = root / ".index.html.tmp"
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(root / "index.html")
    return root / "index.html"


__all__ = ["preflight", "terminate_as_interrupt", "setup_log", "summary_text", "notify",
           "dated_dirs", "prune", "write_index", "is_our_index", "DATED_DIR_RE", "REPORT_FILES"]
