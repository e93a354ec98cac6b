"""extract_article against what a person reads on real government pages (shared/realpages).

Every article page of manifest.tsv must give its publish_date, written_date and doc_number
(empty = None), and the accuracy per field must not fall below tests/gold/floors.json.
"""
from __future__ import annotations

import csv
import json
import os
from datetime import date
from pathlib import Path

import pytest

from zwgk.crawler.extract import ArticleFields, decode_html, extract_article
from zwgk.crawler.extract.evaluate import FIELDS, GOLD_AS_OF as AS_OF, as_text as _as_text
FLOORS_FILE = Path(__file__).resolve().parent / "gold" / "floors.json"


def _shared() -> Path:
    env = os.environ.get("ZWGK_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


REALPAGES = _shared() / "realpages"
_MISSING = {"file": "<missing>"}


def _article_rows() -> list[dict[str, str]]:
    manifest = REALPAGES / "manifest.tsv"
    if not manifest.is_file():
        return [_MISSING]  # the tests below fail with a clear message (never skip)
    with manifest.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["page_kind"] == "article"]


ROWS = _article_rows()


def _require(row: dict[str, str]) -> None:
    if row is _MISSING:
        pytest.fail(f"real pages not found at {REALPAGES}: set ZWGK_SHARED to the folder holding realpages/")


def _extract(row: dict[str, str]) -> ArticleFields:
    html = decode_html((REALPAGES / "pages" / row["file"]).read_bytes())
    return extract_article(html, row.get("source_url") or "", as_of=AS_OF)


def test_gold_set_is_there() -> None:
    _require(ROWS[0])
    assert len(ROWS) >= 20, "the manifest lost article rows"


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_article_fields_match_manifest(row: dict[str, str]) -> None:
    _require(row)
    fields = _extract(row)
    expected = {name: (row[name] or "").strip() for name in FIELDS}
    assert _as_text(fields) == expected, fields.notes
    # evidence is always recorded for a found date
    if fields.publish_date is not None:
        assert fields.date_source in {"selector", "meta", "infotable", "text", "update", "url",
                                     "dateparser"}
    if fields.doc_number is not None:
        assert fields.doc_number_source


def test_accuracy_floors() -> None:
    """trafilatura-style gate: accuracy per field on the whole set must stay at or above the floor."""
    _require(ROWS[0])
    floors = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
    assert set(FIELDS) <= set(floors), f"floors.json must pin {FIELDS}"
    right = dict.fromkeys(FIELDS, 0)
    for row in ROWS:
        got = _as_text(_extract(row))
        for name in FIELDS:
            right[name] += got[name] == (row[name] or "").strip()
    accuracy = {name: right[name] / len(ROWS) for name in FIELDS}
    below = {name: (accuracy[name], floors[name]) for name in FIELDS if accuracy[name] < floors[name]}
    assert not below, f"accuracy below floor (got, floor): {below}"


def test_visible_date_beats_regeneration_meta() -> None:
    """Pages whose Maketime / 页面生成时间 meta differs must still give the visible 发布日期."""
    _require(ROWS[0])
    trapped = [row for row in ROWS if "Maketime" in row["notes"] or "页面生成时间" in row["notes"]]
    assert trapped, "the gold set lost its regeneration-time traps"
    for row in trapped:
        assert _extract(row).publish_date == date.fromisoformat(row["publish_date"]), row["file"]


def test_list_pages_do_not_break_extraction() -> None:
    """List pages are not articles, but extraction must still return (their dates are list dates)."""
    manifest = REALPAGES / "manifest.tsv"
    if not manifest.is_file():
        pytest.fail(f"real pages not found at {REALPAGES}")
    with manifest.open(encoding="utf-8", newline="") as handle:
        lists = [row for row in csv.DictReader(handle, delimiter="\t") if row["page_kind"] == "list"]
    assert lists
    for row in lists:
        fields = _extract(row)
        assert not any(note.startswith("extraction failed") for note in fields.notes), fields.notes


# Issue 11: a site that labels its date 更新时间 / 更新日期 / 信息时间 instead of 发布日期. Every page's
# publish date must survive the renaming (without URLs, so the label alone carries it), read
# as an update date; 成文日期 and 文号 must not move.
_RENAMES = [("更新日期", "更新时间"), ("信息日期", "信息时间"), ("信息时间", "更新日期")]


@pytest.mark.parametrize("day_label, time_label", _RENAMES)
def test_renamed_date_labels_keep_publish_dates(day_label: str, time_label: str) -> None:
    _require(ROWS[0])
    right, renamed = 0, 0
    for row in ROWS:
        html = decode_html((REALPAGES / "pages" / row["file"]).read_bytes())
        if "发布日期" not in html and "发布时间" not in html:
            continue
        renamed += 1
        html = html.replace("发布日期", day_label).replace("发布时间", time_label)
        fields = extract_article(html, "", as_of=AS_OF)
        got = _as_text(fields)
        expected = {name: (row[name] or "").strip() for name in FIELDS}
        right += got["publish_date"] == expected["publish_date"]
        assert got["written_date"] == expected["written_date"], (row["file"], fields.notes)
    assert renamed >= 5, "the mutation must touch several pages"
    assert right == renamed, f"{right}/{renamed} publish dates survive the renaming"
