"""column_unreadable (issue 11): a column zwgk could not read — a script-filled list it did not
render, a WAF challenge it did not pass — is a warning with its reason, never 空白栏目 and never
part of the 空白栏目 single veto; a list that says 暂无信息 is still empty."""
from __future__ import annotations

from datetime import date

import pytest

from zwgk.audit.catalog import AuditSettings, Column, Item, Rules
from zwgk.audit.engine import audit_item
from zwgk.audit.model import ColumnFetch
from zwgk.audit.rules import AuditContext
from zwgk.audit.rules.columns import column_unreachable, column_unreadable, empty_column
from zwgk.audit.scoring import veto_tally
from zwgk.audit.workdays import WorkCalendar

BASE = "http://www.x.gov.cn/"
JS_NOTE = ("js_required: no list entries in the static HTML; the list appears to be filled by "
           "JavaScript (endpoints: /api/list)")


def _item(i: int) -> Item:
    return Item(id=f"1.{i}", category="政策文件", name=f"栏目{i}", content="", deadline="",
                units=("办公室",), columns=(Column(name=f"栏目{i}", url=f"{BASE}c{i}/"),),
                rules=Rules())


def _fetch(i: int, status=200, error=None, entries=0, notes=()) -> ColumnFetch:
    return ColumnFetch(item_id=f"1.{i}", column_url=f"{BASE}c{i}/", status=status, error=error,
                       pages=1, entries=entries, notes=tuple(notes))


CTX = AuditContext(as_of=date(2026, 11, 20), calendar=WorkCalendar(), all_articles=())


@pytest.mark.parametrize("fetch, reason", [
    (_fetch(1, notes=[JS_NOTE]), "js_required"),
    (_fetch(1, status=412, error="challenge"), "challenge"),
    (_fetch(1, status=200, error="challenge"), "challenge"),
])
def test_unreadable_is_a_warning_with_reason(fetch, reason):
    item = _item(1)
    found = column_unreadable(item, [], [fetch], CTX)
    assert [(f.rule, f.severity, f.details["reason"]) for f in found] == [
        ("column_unreadable", "warn", reason)]
    assert "并非空白栏目" in found[0].message
    assert empty_column(item, [], [fetch], CTX) == []
    assert column_unreachable(item, [], [fetch], CTX) == []


@pytest.mark.parametrize("fetch", [
    _fetch(1, notes=["the page says the list is empty: 暂无信息"]),  # declared empty
    _fetch(1, notes=["no dated list found on the page"]),
])
def test_readable_empty_list_stays_empty(fetch):
    item = _item(1)
    assert column_unreadable(item, [], [fetch], CTX) == []
    assert [f.rule for f in empty_column(item, [], [fetch], CTX)] == ["empty_column"]


def test_js_list_with_entries_is_not_unreadable():
    assert column_unreadable(_item(1), [], [_fetch(1, entries=5, notes=[JS_NOTE])], CTX) == []


def test_five_unreadable_columns_never_veto():
    results = []
    for i in range(6):
        fetch = _fetch(i, notes=[JS_NOTE]) if i % 2 else _fetch(i, status=412, error="challenge")
        results.append(audit_item(_item(i), [], [fetch], CTX).to_json())
    tally = veto_tally(results, AuditSettings())
    assert not tally["would_fail"], tally
    assert all(f["rule"] == "column_unreadable" for r in results for f in r["findings"]
               if f["severity"] in ("fail", "warn")), results
