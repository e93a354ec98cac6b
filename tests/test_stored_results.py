"""`zwgk report` renders the run's saved audit results instead of auditing again (issue 16), and
audits again when they are stale (another catalog, as-of or calendar) or when asked to."""
from __future__ import annotations

import json
import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import run_zwgk
from zwgk.demosite.site import DEMO_AS_OF

pytestmark = pytest.mark.e2e
AS_OF = DEMO_AS_OF.isoformat()


@pytest.fixture(scope="module")
def audited(demo_server, tmp_path_factory) -> Path:
    """A crawled and audited store of the demo site."""
    db = tmp_path_factory.mktemp("stored") / "zwgk.sqlite"
    proc = run_zwgk("crawl", "--base-url", demo_server.base_url, "--download-delay", "0",
                    "--as-of", AS_OF, "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    proc = run_zwgk("audit", "--db", str(db))
    assert proc.returncode == 1, proc.stderr  # the demo's seeded defects
    return db


def test_a_second_audit_of_the_night_reuses_every_item(audited, tmp_path):
    """Nothing changed since the fixture's audit: every item's saved result is taken, and the
    findings equal those of a report that audits everything again."""
    proc = run_zwgk("audit", "--db", str(audited), "--out", str(tmp_path / "again"))
    assert proc.returncode == 1, proc.stderr
    reused = re.search(r"audit: (\d+) of (\d+) items unchanged", proc.stderr)
    assert reused and reused.group(1) == reused.group(2), proc.stderr
    again = json.loads((tmp_path / "again" / "findings.json").read_text(encoding="utf-8"))
    fresh, _ = _report(audited, tmp_path / "fresh", "--reaudit")
    assert again["items"] == fresh["items"]


def _report(db: Path, out: Path, *extra: str) -> tuple[dict, str]:
    proc = run_zwgk("report", "--db", str(db), "--out", str(out), *extra)
    assert proc.returncode == 1, proc.stderr
    return json.loads((out / "findings.json").read_text(encoding="utf-8")), proc.stderr


def _first_fail_message(doc: dict) -> tuple[str, int, str]:
    for i, item in enumerate(doc["items"]):
        for j, f in enumerate(item["findings"]):
            if f["severity"] == "fail":
                return item["id"], j, f["message"]
    raise AssertionError("the demo has fail findings")


def test_report_renders_saved_results_equal_to_a_new_audit(audited, tmp_path):
    stored, stderr = _report(audited, tmp_path / "stored")
    assert "again" not in stderr
    fresh, stderr = _report(audited, tmp_path / "fresh", "--reaudit")
    assert stored == fresh
    # Rendered from saved results and articles read without their text: the same pages.
    for name in ("report.html", "articles.csv"):
        assert (tmp_path / "stored" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()
    html = (tmp_path / "stored" / "report.html").read_text(encoding="utf-8")
    _, _, message = _first_fail_message(stored)
    assert message.split("。")[0][:20] in html.replace("&#34;", '"').replace("&#39;", "'")


def test_report_reads_the_store_not_a_new_audit(audited, tmp_path):
    """Change the saved result in the store: the report shows the change (it rendered what was
    saved); --reaudit computes the result again and saves it back."""
    conn = sqlite3.connect(audited)
    payload = json.loads(conn.execute("SELECT payload_json FROM audit_payloads").fetchone()[0])
    item_id, j, original = _first_fail_message({"items": payload})
    item = next(i for i in payload if i["id"] == item_id)
    item["findings"][j]["message"] = "SAVED-MESSAGE-MARKER"
    with conn:
        conn.execute("UPDATE audit_payloads SET payload_json=?",
                     (json.dumps(payload, ensure_ascii=False),))
    conn.close()
    doc, _ = _report(audited, tmp_path / "saved")
    assert "SAVED-MESSAGE-MARKER" in json.dumps(doc, ensure_ascii=False)
    assert "SAVED-MESSAGE-MARKER" in (tmp_path / "saved" / "report.html").read_text(encoding="utf-8")
    doc, stderr = _report(audited, tmp_path / "again", "--reaudit")
    assert "SAVED-MESSAGE-MARKER" not in json.dumps(doc, ensure_ascii=False)
    assert original in json.dumps(doc, ensure_ascii=False)
    doc, _ = _report(audited, tmp_path / "after")  # the new audit replaced the saved results
    assert "SAVED-MESSAGE-MARKER" not in json.dumps(doc, ensure_ascii=False)


def test_stale_saved_results_are_audited_again(audited, tmp_path):
    later = DEMO_AS_OF.replace(day=DEMO_AS_OF.day + 5).isoformat()
    doc, stderr = _report(audited, tmp_path / "later", "--as-of", later)
    assert "auditing run" in stderr and "another catalog, as-of date" in stderr
    assert doc["as_of"] == AS_OF  # the run's date; the audit used the later one
    calendar = tmp_path / "calendar.yaml"
    calendar.write_text("years: {}\n", encoding="utf-8")
    _, stderr = _report(audited, tmp_path / "calendar", "--calendar", str(calendar))
    assert "auditing run" in stderr


# --- reuse of unchanged items' results ------------------------------------------------------------

@pytest.fixture(scope="module")
def crawled(audited, demo_server):
    """(config, articles, column fetches, link statuses) of the crawled demo site."""
    from zwgk.audit.catalog import load_config
    from zwgk.audit.model import articles_from_rows, columns_from_rows
    from zwgk.crawler.store import Store

    store = Store(audited)
    run_id = store.run()["id"]
    config = load_config(Path(__file__).resolve().parents[1] / "mapping" / "columns.yaml",
                         base_url=demo_server.base_url)
    articles = articles_from_rows(store.listed_articles(run_id))
    columns = columns_from_rows(store.column_fetches(run_id))
    links = {e["url"]: int(e["status"] or 0) for e in store.fetch_errors(run_id)}
    store.close()
    return config, articles, columns, links


def _full(config, articles, columns, links, as_of=DEMO_AS_OF):
    from zwgk.audit.engine import run_audit

    return [r.to_json() for r in run_audit(config, articles, columns, as_of, link_status=links)]


def _reusing(config, articles, columns, links, known=None, as_of=DEMO_AS_OF):
    from zwgk.audit.reuse import run_audit_reusing

    return run_audit_reusing(config, articles, columns, as_of, link_status=links, known=known)


def test_reuse_without_known_results_computes_everything(crawled):
    config, articles, columns, links = crawled
    first = _reusing(*crawled)
    assert first.results == _full(*crawled)
    assert first.computed == {it.id for it in config.items}
    again = _reusing(*crawled, known=first.saved())
    assert again.computed == frozenset() and again.results == first.results


def _mutations(articles):
    """One change per kind of field a rule reads, each on another article (seeded choice)."""
    import random
    from dataclasses import replace
    from datetime import timedelta

    rng = random.Random(16)
    fetched = [i for i, a in enumerate(articles) if a.fetched and a.publish_date]
    picks = rng.sample(fetched, 6)
    changes = [
        lambda a: replace(a, title=a.title + "（修订）"),
        lambda a: replace(a, publish_date=a.publish_date - timedelta(days=40)),
        lambda a: replace(a, doc_number="临住建发〔2026〕999号"),
        lambda a: replace(a, body_text=""),
        lambda a: replace(a, http_status=404),
        lambda a: replace(a, links=(*a.links, (a.url.rsplit("/", 1)[0] + "/附件.pdf", "附件"))),
    ]
    return [(i, change) for i, change in zip(picks, changes)]


@pytest.mark.parametrize("which", range(6))
def test_changing_one_article_recomputes_its_item_and_equals_a_full_audit(crawled, which):
    config, articles, columns, links = crawled
    first = _reusing(*crawled)
    known = first.saved()
    index, change = _mutations(articles)[which]
    changed = list(articles)
    changed[index] = change(articles[index])
    assert changed[index] != articles[index]
    item_id = articles[index].item_id
    after = _reusing(config, changed, columns, links, known=known)
    assert after.results == _full(config, changed, columns, links)
    assert item_id in after.computed
    # Only the item itself, or items linked to it as policy and 解读, are computed again.
    assert len(after.computed) <= 3, sorted(after.computed)


def test_changing_a_policy_title_reaches_the_item_of_its_interpretation(crawled):
    """A 解读 finds its policy by title across items: the key carries that lookup."""
    from dataclasses import replace

    from zwgk.audit.rules.lag import find_policy
    from zwgk.audit.engine import build_context

    config, articles, columns, links = crawled
    ctx, _, _ = build_context(config, articles, columns, DEMO_AS_OF, link_status=links)
    pairs = [(a, p) for a in articles if a.item_id in ctx.interpretation_items
             and (p := find_policy(a, ctx)) is not None and p.item_id != a.item_id]
    assert pairs, "the demo site has 解读 pages of policies in other items"
    explainer, policy = pairs[0]
    first = _reusing(*crawled)
    known = first.saved()
    changed = [replace(a, publish_date=a.publish_date.replace(year=a.publish_date.year - 1))
               if a.url == policy.url else a for a in articles]
    after = _reusing(config, changed, columns, links, known=known)
    assert {explainer.item_id, policy.item_id} <= after.computed
    assert after.results == _full(config, changed, columns, links)


# --- reuse across nights: the as-of window of each result ----------------------------------------

def _nights(first, config):
    """As-of dates that matter: the day after tonight, and the first day outside each item's
    window (the next deadline one of its documents crosses), up to two years ahead."""
    after = {w[1] + timedelta(days=1) for w in first.windows.values()
             if DEMO_AS_OF < w[1] < DEMO_AS_OF + timedelta(days=730)}
    return sorted({DEMO_AS_OF + timedelta(days=1), DEMO_AS_OF + timedelta(days=365), *after})


def test_reuse_on_later_nights_equals_a_full_audit(crawled):
    """Tonight's results given to the audit of a later night: every item reused or computed
    again gives exactly the result of a full audit of that night."""
    config, articles, columns, links = crawled
    first = _reusing(*crawled)
    assert all(lo <= DEMO_AS_OF <= hi for lo, hi in first.windows.values())
    nights = _nights(first, config)
    assert len(nights) >= 4, nights
    reused_somewhere = 0
    for night in nights:
        later = _reusing(*crawled, known=first.saved(), as_of=night)
        assert later.results == _full(*crawled, as_of=night), night
        for item in config.items:
            lo, hi = first.windows[item.id]
            assert (item.id in later.computed) == (not lo <= night <= hi), (night, item.id)
        reused_somewhere += len(config.items) - len(later.computed)
    assert reused_somewhere > 0


def test_the_next_night_reuses_items_whose_deadlines_did_not_move(crawled):
    config, articles, columns, links = crawled
    first = _reusing(*crawled)
    tomorrow = _reusing(*crawled, known=first.saved(), as_of=DEMO_AS_OF + timedelta(days=1))
    assert tomorrow.results == _full(*crawled, as_of=DEMO_AS_OF + timedelta(days=1))
    # Most of the demo's items hold tomorrow; those whose findings count days to the as-of
    # date (stale, 至检查日已N个工作日) are computed again.
    assert len(tomorrow.computed) < len(config.items) / 2, sorted(tomorrow.computed)
    for item_id in tomorrow.computed:
        assert first.windows[item_id][1] == DEMO_AS_OF


def test_crossing_an_items_deadline_recomputes_it(crawled):
    """An item whose window ends before the year is out (a period, a 解读 or staleness deadline
    ahead of it): the day after, it is computed again, and the result differs where the
    deadline made a finding appear."""
    config, articles, columns, links = crawled
    first = _reusing(*crawled)
    ahead = {i: hi for i, (lo, hi) in first.windows.items()
             if DEMO_AS_OF < hi < DEMO_AS_OF + timedelta(days=365)}
    assert ahead, "the demo has items with a deadline ahead"
    item_id, hi = min(ahead.items(), key=lambda pair: pair[1])
    on, after = (_reusing(*crawled, known=first.saved(), as_of=hi + timedelta(days=d))
                 for d in (0, 1))
    assert item_id not in on.computed and item_id in after.computed
    index = [it.id for it in config.items].index(item_id)
    assert after.results[index] == _full(*crawled, as_of=hi + timedelta(days=1))[index]


def test_saved_windows_reach_the_next_night_through_the_store(audited, tmp_path):
    """`zwgk audit` on the next night: the store's saved windows make it reuse items."""
    import shutil

    db = tmp_path / "copy.sqlite"
    shutil.copyfile(audited, db)
    night = (DEMO_AS_OF + timedelta(days=1)).isoformat()
    proc = run_zwgk("audit", "--db", str(db), "--as-of", night, "--out", str(tmp_path / "n"))
    assert proc.returncode == 1, proc.stderr
    reused = re.search(r"audit: (\d+) of (\d+) items unchanged", proc.stderr)
    assert reused and 0 < int(reused.group(1)) < int(reused.group(2)), proc.stderr
    again = json.loads((tmp_path / "n" / "findings.json").read_text(encoding="utf-8"))
    proc = run_zwgk("report", "--db", str(db), "--as-of", night, "--reaudit",
                    "--out", str(tmp_path / "fresh"))
    fresh = json.loads((tmp_path / "fresh" / "findings.json").read_text(encoding="utf-8"))
    assert again["items"] == fresh["items"]


# --- the store's saved results, on SQLite and PostgreSQL -----------------------------------------

@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "saved.sqlite")
    return request.getfixturevalue("postgres").database("saved_results")


def test_saved_results_round_trip_on_both_backends(backend):
    from zwgk.store import Store

    store = Store(backend)
    runs = []
    for night in range(3):
        run_id, _ = store.open_run(as_of=f"2026-11-2{night}", site="s", base_url="http://s/",
                                   config_path="s.yaml")
        store.finish_run(run_id, "finished", {})
        runs.append(run_id)
        store.save_item_audits(run_id, [
            ("1.1", f"key-{night}-a", {"id": "1.1", "n": night}, date(2026, 11, 1),
             date(2026, 12, 31)),
            ("2.1", "key-same", {"id": "2.1", "n": night}, date(2026, 11, 20 + night),
             date(2026, 11, 20 + night))])
        store.save_payload(run_id, f"inputs-{night}", [{"id": "1.1", "findings": ["中文"]}])
        store.save_payload(run_id, f"inputs-{night}", [{"id": "1.1", "findings": ["中文", night]}])
    assert store.stored_payload(runs[2]) == ("inputs-2", [{"id": "1.1", "findings": ["中文", 2]}])
    assert store.stored_payload(9999) is None
    # Only the newest two runs' item results are kept; a key finds its item's result.
    assert store.item_audits(["key-0-a"]) == {}
    window = (date(2026, 11, 1), date(2026, 12, 31))
    assert store.item_audits(["key-1-a"]) == {"1.1": ("key-1-a", {"id": "1.1", "n": 1}, *window)}
    assert store.item_audits(["key-2-a", "nothing"]) == {
        "1.1": ("key-2-a", {"id": "1.1", "n": 2}, *window)}
    # Of equal keys, the newest run's result and window.
    assert store.item_audits(["key-same"])["2.1"] == (
        "key-same", {"id": "2.1", "n": 2}, date(2026, 11, 22), date(2026, 11, 22))
    store.close()
