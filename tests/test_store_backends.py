"""One schema on SQLite and PostgreSQL (issue 13): the same store calls give the same answers on
both, many sites share one store without touching each other's runs, and the Alembic revisions
lead exactly to the schema a new store is created with."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from zwgk.store import Store, StoreError
from zwgk.store.schema import METADATA, SCHEMA_VERSION
from zwgk.store.store import engine_url


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "z.sqlite")
    postgres = request.getfixturevalue("postgres")
    return postgres.database(f"backends_{request.node.name.split('[')[0][-40:]}")


def _night(store: Store, site_key: str, as_of: str, fails: int) -> int:
    run_id, resumed = store.open_run(as_of=as_of, site=site_key, base_url=f"http://{site_key}/",
                                     config_path=f"{site_key}.yaml", site_key=site_key)
    assert not resumed
    url = f"http://{site_key}/a{as_of}.html"
    store.record_list_page(run_id, item_id="1.1", column_url=f"http://{site_key}/c/", first=True,
                           status=200, error=None, entries=1, notes=["n"])
    store.record_listing(run_id, item_id="1.1", column_url=f"http://{site_key}/c/", url=url,
                         title="标题", list_date=as_of, found_on=f"http://{site_key}/c/", position=1)
    store.record_article(run_id, {"url": url, "title": "标题", "publish_date": as_of,
                                  "http_status": 200, "links": ["http://x/"]})
    store.settle_listings(run_id)
    store.finish_run(run_id, "finished", {"requests": 2})
    findings = [{"rule": "stale", "severity": "fail", "message": f"m{i}", "evidence": {"i": i},
                 "details": {}, "key": f"k{i}"} for i in range(fails)]
    store.save_results(run_id, [{"id": "1.1", "status": "fail" if fails else "pass",
                                 "latest_publish_date": as_of, "article_count": 1,
                                 "findings": findings}],
                       [{"unit": "办公室", "score": 100.0 - fails, "status": "pass", "veto": False,
                         "fails": fails, "warns": 0}])
    return run_id


def test_sites_share_a_store_without_touching_each_other(db):
    store = Store(db)
    a1 = _night(store, "a", "2026-11-19", 2)
    b1 = _night(store, "b", "2026-11-19", 0)
    # Site a is mid-crawl when site b starts: b's start must not interrupt it.
    a_running, _ = store.open_run(as_of="2026-11-20", site="a", base_url="http://a/",
                                  config_path="a.yaml", site_key="a")
    b2 = _night(store, "b", "2026-11-20", 1)
    assert store.run(a_running)["status"] == "running"
    again, resumed = store.open_run(as_of="2026-11-20", site="a", base_url="http://a/",
                                    config_path="a.yaml", site_key="a")
    assert (again, resumed) == (a_running, True)
    assert store.previous_run(b2)["id"] == b1 and store.previous_run(b1) is None
    assert store.run(site_key="a")["id"] == a1 and store.run(site_key="b")["id"] == b2
    assert list(store.unit_trends(up_to_run=b2)["score"]) == [100.0, 99.0]
    assert list(store.unit_trends(site_key="a")["score"]) == [98.0]
    # The nightly report reads the same rows without pandas.
    for kwargs in ({"up_to_run": b2}, {"site_key": "a"}):
        assert store.unit_trend_rows(**kwargs) == store.unit_trends(**kwargs).to_dict("records")
    assert list(store.item_trends(site_key="b")["fails"]) == [0, 1]
    assert [f["message"] for f in store.run_findings(a1)] == ["m0", "m1"]  # audit order
    listed = store.listed_articles(b2)
    # Tonight's listing and, carried over (the walk was not complete), last night's.
    assert [r["url"] for r in listed] == ["http://b/a2026-11-20.html", "http://b/a2026-11-19.html"]
    assert {r["title"] for r in listed} == {"标题"}
    assert store.column_fetches(b2)[0]["notes"] == ["n"]
    assert store.counts(b2) == {"columns": 1, "listed": 2, "errors": 0}
    state = store.crawl_state(a_running, [("1.1", "http://a/c/")])
    assert state.listed[("1.1", "http://a/c/")] == {"http://a/a2026-11-19.html"}
    assert set(state.articles) == {"http://a/a2026-11-19.html"}  # not site b's
    store.close()
    Store(db).close()  # reopening an up-to-date store changes nothing


def _describe(conn) -> dict:
    found = inspect(conn)
    tables = [t for t in found.get_table_names() if t != "alembic_version"]
    return {t: ({c["name"]: (str(c["type"]), c["nullable"]) for c in found.get_columns(t)},
                sorted(i["name"] for i in found.get_indexes(t)),
                found.get_pk_constraint(t)["constrained_columns"]) for t in sorted(tables)}


def test_revisions_lead_to_the_schema_of_a_new_store(db):
    """Alembic from nothing to head builds what ``schema.py`` creates: they cannot drift."""
    from alembic import command
    from alembic.config import Config

    engine = create_engine(engine_url(db) if "://" in db else f"sqlite:///{db}")
    cfg = Config()
    cfg.set_main_option("script_location",
                        str(Path(__import__("zwgk.store").store.__file__).with_name("migrations")))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        migrated = _describe(conn)
        METADATA.drop_all(conn)
        METADATA.create_all(conn)
        created = _describe(conn)
    engine.dispose()
    assert len(created) == len(METADATA.tables) and migrated == created
    assert f"{SCHEMA_VERSION:04d}" == "0009"  # 0005: page_facts, probes (15); 0006: attachments (11); 0007: saved audit results (16); 0008: rejected_publish_date, body_status (10); 0009: the saved results' as-of windows (16)


def test_a_newer_store_is_refused(db):
    store = Store(db)
    with store.transaction() as c:
        c.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    store.close()
    with pytest.raises(StoreError, match="schema version 99"):
        Store(db)
