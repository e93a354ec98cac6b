"""History across nights: stable keys, new / persisting / resolved, and the store keeping them."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from zwgk.audit.history import annotate, finding_key, resolved, summary
from zwgk.crawler.store import SCHEMA_VERSION, Store


def f(rule: str, details: dict, evidence=(), message: str = "m", severity: str = "fail") -> dict:
    return {"rule": rule, "severity": severity, "message": message, "evidence": list(evidence),
            "details": details}


def item(item_id: str, *findings: dict, units=("办公室",)) -> dict:
    return {"id": item_id, "name": item_id, "units": list(units), "status": "fail",
            "latest_publish_date": None, "article_count": 1, "findings": list(findings)}


# --- keys ----------------------------------------------------------------------------------------

def test_key_ignores_host_message_and_changing_values():
    a = f("stale", {"column_url": "http://127.0.0.1:1111/col/index.html", "latest_publish_date":
                    "2025-12-15", "max_age_days": 180}, message="已340天未更新")
    b = f("stale", {"column_url": "https://127.0.0.1:2222/col/index.html", "latest_publish_date":
                    "2026-01-15", "max_age_days": 14}, message="已309天未更新")
    assert finding_key("10.1", a) == finding_key("10.1", b)
    assert finding_key("10.1", a) != finding_key("10.2", a)
    other_column = f("stale", {"column_url": "http://127.0.0.1:1111/other/index.html"})
    assert finding_key("10.1", a) != finding_key("10.1", other_column)


@pytest.mark.parametrize("same, different", [
    # the page is the identity of per-article rules, from details["url"] or the evidence
    (f("publish_lag", {"working_days": 31}, ["http://h:1/art/1.html"]),
     f("publish_lag", {"working_days": 31}, ["http://h:1/art/2.html"])),
    (f("date_missing", {"url": "http://h:1/show.php?id=1"}),
     f("date_missing", {"url": "http://h:1/show.php?id=2"})),
    # a series' gap keeps its key while the missing numbers change
    (f("docno_gap", {"series_prefix": "临住建发", "year": 2026, "missing": [5]}),
     f("docno_gap", {"series_prefix": "临住建发", "year": 2025, "missing": [5]})),
    (f("period_missed", {"period": "2026-Q2"}), f("period_missed", {"period": "2026-Q3"})),
])
def test_key_follows_the_identity_of_each_rule(same, different):
    changed = {**same, "message": "另一条说明", "details": {**same["details"], "missing": [5, 7]}
               if same["rule"] == "docno_gap" else same["details"]}
    assert finding_key("2.1", same) == finding_key("2.1", changed)
    assert finding_key("2.1", same) != finding_key("2.1", different)


def test_key_of_an_unknown_rule_uses_all_details():
    a, b = f("future_rule", {"x": 1}), f("future_rule", {"x": 2})
    assert finding_key("1.1", a) != finding_key("1.1", b)
    assert finding_key("1.1", a) == finding_key("1.1", {**a, "message": "changed"})


# --- comparison ----------------------------------------------------------------------------------

def _previous(items: list[dict], as_of: str) -> list[dict]:
    """What the store hands back for a run (findings with item_id, key, first_seen, as_of)."""
    return [{**g, "item_id": i["id"], "as_of": as_of} for i in items for g in i["findings"]]


def test_new_persisting_resolved_over_three_nights():
    stale = f("stale", {"column_url": "http://h/a/index.html"})
    gap = f("docno_gap", {"series_prefix": "临住建发", "year": 2026, "missing": [5]}, severity="warn")
    lag = f("publish_lag", {}, ["http://h/art/9.html"])
    night1 = annotate([item("10.1", stale), item("2.1", gap)], [], "2026-11-20")
    assert [g["state"] for i in night1 for g in i["findings"]] == ["new", "new"]
    assert summary(night1, []) == {"new": 2, "persisting": 0, "resolved": 0}

    night2 = annotate([item("10.1"), item("2.1", gap, lag)], _previous(night1, "2026-11-20"),
                      "2026-11-21")
    gap2, lag2 = night2[1]["findings"]
    assert (gap2["state"], gap2["first_seen"]) == ("persisting", "2026-11-20")
    assert (lag2["state"], lag2["first_seen"]) == ("new", "2026-11-21")
    gone = resolved(night2, _previous(night1, "2026-11-20"))
    assert [(g["item_id"], g["rule"], g["first_seen"], g["last_seen"]) for g in gone] == [
        ("10.1", "stale", "2026-11-20", "2026-11-20")]
    assert summary(night2, gone) == {"new": 1, "persisting": 1, "resolved": 1}

    night3 = annotate([item("10.1"), item("2.1", gap, lag)], _previous(night2, "2026-11-21"),
                      "2026-11-22")
    assert [g["first_seen"] for g in night3[1]["findings"]] == ["2026-11-20", "2026-11-21"]
    assert resolved(night3, _previous(night2, "2026-11-21")) == []


def test_stored_findings_without_keys_are_keyed_on_read():
    stale = f("stale", {"column_url": "http://h/a/index.html"})
    old = [{**stale, "item_id": "10.1", "as_of": "2026-11-19"}]  # a v2 store: no key, no first_seen
    (it,) = annotate([item("10.1", stale)], old, "2026-11-20")
    assert it["findings"][0]["state"] == "persisting"
    assert it["findings"][0]["first_seen"] == "2026-11-19"


def test_two_findings_with_one_identity_stay_apart():
    a = f("docno_format", {"doc_number": "临住建发[2026]8号"}, ["http://h/1.html"])
    night1 = annotate([item("2.1", a, a)], [], "2026-11-20")
    keys = [g["key"] for g in night1[0]["findings"]]
    assert len(set(keys)) == 2 and keys[1].endswith("#2")
    night2 = annotate([item("2.1", a)], _previous(night1, "2026-11-20"), "2026-11-21")
    assert night2[0]["findings"][0]["state"] == "persisting"
    assert len(resolved(night2, _previous(night1, "2026-11-20"))) == 1


def test_a_spot_check_resolves_nothing_outside_its_item():
    prev = _previous([item("10.1", f("stale", {"column_url": "http://h/a"})),
                      item("2.1", f("publish_lag", {}, ["http://h/x.html"]))], "2026-11-20")
    check = annotate([item("2.1")], prev, "2026-11-21")
    assert [g["item_id"] for g in resolved(check, prev)] == ["2.1"]


# --- the store ------------------------------------------------------------------------------------

def _run(store: Store, as_of: str, kind: str = "run") -> int:
    run_id = store.start_run(as_of=as_of, site="s", base_url="http://h/", config_path="c",
                             kind=kind)
    store.finish_run(run_id, "finished", {})
    return run_id


def test_store_keeps_findings_history_and_trends(tmp_path: Path):
    store = Store(tmp_path / "z.sqlite")
    stale = f("stale", {"column_url": "http://h/a/index.html"})
    r1 = _run(store, "2026-11-20")
    night1 = annotate([item("10.1", stale, units=("村镇科",))], [], "2026-11-20")
    store.save_results(r1, night1, [{"unit": "村镇科", "score": 95.0, "status": "pass",
                                     "veto": False, "fails": 1, "warns": 0}])
    check = _run(store, "2026-11-21", kind="check")
    store.save_results(check, [item("10.1")], [])
    r2 = _run(store, "2026-11-21")
    assert store.previous_run(r2)["id"] == r1  # the spot check is no baseline
    before = store.run_findings(r1)
    assert before[0]["key"] == night1[0]["findings"][0]["key"]
    assert (before[0]["first_seen"], before[0]["as_of"]) == ("2026-11-20", "2026-11-20")
    night2 = annotate([item("10.1", units=("村镇科",))], before, "2026-11-21")
    store.save_results(r2, night2, [{"unit": "村镇科", "score": 100.0, "status": "pass",
                                     "veto": False, "fails": 0, "warns": 0}])
    store.save_results(r2, night2, [{"unit": "村镇科", "score": 100.0, "status": "pass",
                                     "veto": False, "fails": 0, "warns": 0}])  # idempotent
    trend = store.unit_trends()
    assert list(trend["score"]) == [95.0, 100.0] and list(trend["as_of"]) == ["2026-11-20",
                                                                            "2026-11-21"]
    assert list(store.unit_trends(up_to_run=r1)["score"]) == [95.0]
    items = store.item_trends()
    assert list(items["fails"]) == [1, 0] and list(items["run_id"]) == [r1, r2]
    store.close()


def test_an_older_store_is_migrated_in_place(tmp_path: Path):
    """A v2 store (before history) opens, gains the columns, keeps its rows and counts."""
    path = tmp_path / "old.sqlite"
    store = Store(path)
    r1 = _run(store, "2026-11-20")
    store.save_results(r1, [item("10.1", f("stale", {"column_url": "http://h/a"}))])
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX findings_key")
    conn.execute("DROP INDEX runs_site")  # and what version 4 added
    for table, column in (("findings", "key"), ("findings", "first_seen"),
                          ("item_results", "fails"), ("item_results", "warns"),
                          ("runs", "site_key"), ("findings", "seq")):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.execute("DROP TABLE unit_results")
    conn.execute("DROP TABLE page_facts")  # and what version 5 added (issue 15)
    conn.execute("DROP TABLE probes")
    conn.execute("DROP TABLE attachments")  # and what version 6 added (issue 11)
    conn.execute("DROP TABLE audit_payloads")  # and the tables version 7 added (issue 16)
    conn.execute("DROP TABLE item_audits")
    for column in ("rejected_publish_date", "body_status"):  # and what version 8 added (issue 10)
        conn.execute(f"ALTER TABLE articles DROP COLUMN {column}")
    conn.execute("UPDATE meta SET value='2' WHERE key='schema_version'")
    conn.commit()
    conn.close()

    store = Store(path)
    version = store.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
    assert int(version) == SCHEMA_VERSION >= 3
    (row,) = store.run_findings(r1)
    assert row["rule"] == "stale" and row["key"] is None  # keyed on read (annotate)
    assert list(store.item_trends()["fails"]) == [1]     # counts filled in by the migration
    assert store.unit_trends().empty
    store.close()
