"""parse_list on real column list pages: every entry a person sees (lists.tsv), nothing from
navigation or sidebars, and the JavaScript-only remainder reported when the page announces more
records than it shows (the announced count is read from the manifest's notes)."""
from __future__ import annotations

import csv
import os
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

import pytest

from zwgk.crawler.listing import parse_list


def _realpages() -> Path:
    shared = os.environ.get("ZWGK_SHARED")
    root = Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared"
    return root / "realpages"


REALPAGES = _realpages()
# Any loopback address deep enough for ../../ links; the pages' own host is never used.
BASE = "http://127.0.0.1:8000/site/zwgk/section/column/index.html"
_RECORD_COUNT_RE = re.compile(r"recordCount\W{0,4}(\d+)", re.I)
_SPACE_RE = re.compile(r"\s+")


def _list_pages() -> list[dict[str, str]]:
    manifest = REALPAGES / "manifest.tsv"
    if not manifest.is_file():
        return []
    with manifest.open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh, delimiter="\t") if row["page_kind"] == "list"]


def _gold() -> dict[str, list[tuple[str, str, date | None]]]:
    gold: dict[str, list[tuple[str, str, date | None]]] = defaultdict(list)
    path = REALPAGES / "lists.tsv"
    if not path.is_file():
        return gold
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            when = date.fromisoformat(row["entry_date"]) if row["entry_date"] else None
            gold[row["file"]].append((urljoin(BASE, row["entry_href"]),
                                      _SPACE_RE.sub(" ", row["entry_title"]).strip(), when))
    return gold


LIST_PAGES = _list_pages()
GOLD = _gold()
# Without the folder the page tests still run (and fail) instead of being skipped as empty.
PARAMS: list[dict[str, str] | None] = list(LIST_PAGES) or [None]


def _require(meta: dict[str, str] | None) -> dict[str, str]:
    if meta is None:
        pytest.fail(f"real pages not found at {REALPAGES} (set ZWGK_SHARED)", pytrace=False)
    return meta


def test_realpages_folder_is_present() -> None:
    if not (REALPAGES / "manifest.tsv").is_file() or not (REALPAGES / "lists.tsv").is_file():
        pytest.fail(f"real pages not found at {REALPAGES} (set ZWGK_SHARED to the folder holding "
                    "realpages/)", pytrace=False)
    assert LIST_PAGES, "manifest.tsv lists no page_kind=list pages"
    assert all(GOLD[p["file"]] for p in LIST_PAGES), "a list page has no entries in lists.tsv"


@pytest.mark.parametrize("meta", PARAMS, ids=lambda m: m["file"] if m else "missing")
def test_every_visible_entry_and_nothing_else(meta: dict[str, str] | None) -> None:
    meta = _require(meta)
    text = (REALPAGES / "pages" / meta["file"]).read_bytes().decode("utf-8")
    page = parse_list(text, BASE)
    got = [(e.url, e.title, e.date) for e in page.entries]
    expected = GOLD[meta["file"]]
    missing = [e for e in expected if e not in got]
    extra = [g for g in got if g not in expected]
    assert not missing and not extra, f"missing {missing[:3]} extra {extra[:3]}"
    assert got == expected  # same order as on the page


@pytest.mark.parametrize("meta", PARAMS, ids=lambda m: m["file"] if m else "missing")
def test_javascript_only_remainder_is_reported(meta: dict[str, str] | None) -> None:
    meta = _require(meta)
    text = (REALPAGES / "pages" / meta["file"]).read_bytes().decode("utf-8")
    page = parse_list(text, BASE)
    seen = len(GOLD[meta["file"]])
    m = _RECORD_COUNT_RE.search(meta["notes"])
    announced = int(m.group(1)) if m else None
    partial = [n for n in page.notes if "visible without JavaScript" in n]
    if announced is not None and announced > seen:
        assert page.total_records == announced
        assert any(f"{seen} of {announced}" in n for n in partial), page.notes
        assert page.next_urls == []  # nothing a crawler without JavaScript could fetch
    else:
        assert partial == [], page.notes
