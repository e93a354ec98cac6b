"""`zwgk report` renders the run's saved audit results instead of auditing again (issue 16), and
audits again when they are stale (another catalog, as-of or calendar) or when asked to."""
from __future__ import annotations

import json
import sqlite3
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
