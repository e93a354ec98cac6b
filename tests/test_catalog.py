"""audit/catalog.py: 公开时限 text -> rules, loading mapping/columns.yaml, config errors."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from zwgk.audit.catalog import (STALE_DAYS_DEFAULT, ConfigError, Rules, load_config,
                           rules_from_deadline)

REPO = Path(__file__).resolve().parents[1]
MAPPING = REPO / "mapping" / "columns.yaml"


def shared_dir() -> Path:
    path = Path(os.environ.get("ZWGK_SHARED") or Path(__file__).resolve().parents[2] / "shared")
    if not (path / "seed" / "catalog.txt").is_file():
        pytest.fail(f"shared folder with seed/catalog.txt not found at {path}; "
                    "set ZWGK_SHARED to the folder holding seed/ and realpages/")
    return path


def catalog_rows() -> list[list[str]]:
    """Data rows of the catalog table (tab-separated, header repeated per page)."""
    text = (shared_dir() / "seed" / "catalog.txt").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines()]
    return [r for r in rows if len(r) >= 5 and r[0] != "序号"]


# Written from the catalog's wording, not from the code: what each 公开时限 must mean.
EXPECTED = {
    "根据变动及时更新": Rules(),
    "根据实际更新": Rules(),
    "20个工作日内发布": Rules(publish_lag_workdays=20),
    "实时更新": Rules(stale_days=STALE_DAYS_DEFAULT),
    "政策文件公开后的3个工作日之内更新。": Rules(interpretation_late_workdays=3),
    "会议召开后3日内更新": Rules(meeting_late_days=3),
    "年度更新": Rules(period="year"),
    "季度更新": Rules(period="quarter"),
    "月度更新": Rules(period="month"),
}


def test_catalog_has_26_items():
    assert len(catalog_rows()) == 26


def test_every_catalog_deadline_derives_a_rule():
    texts = {r[4].strip() for r in catalog_rows() if r[4].strip()}
    assert texts == set(EXPECTED)  # a new wording in the catalog must be added here on purpose
    for text in texts:
        assert rules_from_deadline(text) == EXPECTED[text], text


def test_stale_default_is_six_months():
    assert 180 <= STALE_DAYS_DEFAULT <= 184


@pytest.mark.parametrize("text, expected", [
    ("二十个工作日内发布", Rules(publish_lag_workdays=20)),
    ("十五个工作日内", Rules(publish_lag_workdays=15)),
    ("信息形成后 7 个工作日内公开", Rules(publish_lag_workdays=7, lag_from="形成")),
    ("政策文件公开后五个工作日内", Rules(interpretation_late_workdays=5)),
    ("会议结束后2日内", Rules(meeting_late_days=2)),
    ("每季度更新", Rules(period="quarter")),
    ("按月更新", Rules(period="month")),
    ("每年更新", Rules(period="year")),
    ("及时发布", Rules(stale_days=STALE_DAYS_DEFAULT)),
    ("随时", Rules(stale_days=STALE_DAYS_DEFAULT)),  # continuous (issue 10)
    ("", Rules()),                                   # no text: presence only
    ("看情况吧", None),                              # unread: deadline_unparsed, not an error
])
def test_other_deadline_wordings(text, expected):
    assert rules_from_deadline(text) == expected


# --- mapping/columns.yaml ----------------------------------------------------------------------

def test_mapping_loads_all_items():
    config = load_config(MAPPING)
    assert len(config.items) == 26
    ids = [it.id for it in config.items]
    assert len(set(ids)) == 26
    for it in config.items:
        assert it.columns and it.units
        for column in it.columns:
            assert column.url.startswith(config.site.base_url)


def test_mapping_follows_the_catalog():
    """Same order and the same 公开时限 as the catalog (a blank cell repeats the one above)."""
    config = load_config(MAPPING)
    deadlines, previous = [], ""
    for row in catalog_rows():
        previous = row[4].strip() or previous
        deadlines.append(previous)
    assert [it.deadline for it in config.items] == deadlines


def test_mapping_specifics():
    config = load_config(MAPPING)
    assert config.item("2.1").doc_series == ("临住建发", "临住建办发")
    assert config.item("2.1").rules == Rules(publish_lag_workdays=20)
    assert config.item("3.1").rules == Rules(interpretation_late_workdays=3)
    assert config.item("16.1").rules.annual_report  # category 政务公开组织管理
    assert not any(it.rules.annual_report for it in config.items if it.id != "16.1")
    moved = config.with_base_url("http://127.0.0.1:54321/")
    assert moved.item("2.1").columns[0].url == "http://127.0.0.1:54321/col/col1201/index.html"


# --- config errors ---------------------------------------------------------------------------

SITE = 'site:\n  name: 测试局\n  base_url: "http://127.0.0.1:8000/"\n'
ITEM_A = ('  - id: "1.1"\n    name: 机构概况\n    deadline: 实时更新\n    units: [办公室]\n'
          '    columns: [{name: 机构, url: "a/index.html"}]\n')


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "columns.yaml"
    path.write_text(SITE + "items:\n" + body, encoding="utf-8")
    return path


def error_of(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as err:
        load_config(path)
    return err.value


def test_minimal_config_loads(tmp_path):
    config = load_config(write(tmp_path, ITEM_A))
    assert config.item("1.1").rules == Rules(stale_days=STALE_DAYS_DEFAULT)
    assert config.item("1.1").columns[0].url == "http://127.0.0.1:8000/a/index.html"


@pytest.mark.parametrize("body, item, key", [
    (ITEM_A + '  - id: "1.2"\n    name: x\n    colour: red\n    deadline: 实时更新\n'
              '    columns: ["b.html"]\n', "1.2", "colour"),
    (ITEM_A + '  - name: 无编号\n    deadline: 实时更新\n    columns: ["b.html"]\n', "#2", "id"),
    (ITEM_A + ITEM_A, "1.1", "id"),
    ('  - id: "1.3"\n    name: x\n    deadline: 实时更新\n    columns: [{url: "ftp://h/x"}]\n',
     "1.3", "columns[0].url"),
    ('  - id: "1.3"\n    name: x\n    deadline: 实时更新\n    columns: [{url: "a b.html"}]\n',
     "1.3", "columns[0].url"),
    ('  - id: "1.3"\n    name: x\n    deadline: 实时更新\n    columns: [{url: "mailto:a@b"}]\n',
     "1.3", "columns[0].url"),
    ('  - id: "1.5"\n    name: x\n    deadline: 实时更新\n    columns: ["b.html"]\n'
     '    rules: {freshness: {days: 3}}\n', "1.5", "rules.freshness"),
    ('  - id: "1.5"\n    name: x\n    deadline: 实时更新\n    columns: ["b.html"]\n'
     '    rules: {stale: {max_age_days: many}}\n', "1.5", "rules.stale.max_age_days"),
    ('  - id: "1.5"\n    name: x\n    deadline: 实时更新\n    columns: ["b.html"]\n'
     '    rules: {period_missed: {period: week}}\n', "1.5", "rules.period_missed.period"),
    ('  - id: "1.6"\n    deadline: 实时更新\n    columns: ["b.html"]\n', "1.6", "name"),
    ('  - id: "1.7"\n    name: x\n    deadline: 实时更新\n    columns: []\n', "1.7", "columns"),
])
def test_config_errors_name_file_item_and_key(tmp_path, body, item, key):
    path = write(tmp_path, body)
    err = error_of(path)
    assert (err.item, err.key) == (item, key)
    text = str(err)
    assert str(path) in text and f"item {item}" in text and f"'{key}'" in text


def test_unparseable_deadline_is_fine_with_explicit_rules(tmp_path):
    body = ('  - id: "1.4"\n    name: x\n    deadline: 看情况吧\n    columns: ["b.html"]\n'
            '    rules: {stale: {max_age_days: 30}}\n')
    assert load_config(write(tmp_path, body)).item("1.4").rules == Rules(stale_days=30)


@pytest.mark.parametrize("rules_yaml, expected", [
    ("{stale: {max_age_days: 14}}", Rules(stale_days=14)),        # replaces publish_lag 20
    ("{}", Rules()),
    ("{publish_lag: {workdays: 10}, annual_report_late: true}",
     Rules(publish_lag_workdays=10, annual_report=True)),
    ("{period_missed: {period: quarter}, meeting_late: {days: 1}}",
     Rules(period="quarter", meeting_late_days=1)),
    ("{interpretation_late: {workdays: 5}, publish_lag: false}", Rules(interpretation_late_workdays=5)),
])
def test_rules_override_replaces_derived_rules(tmp_path, rules_yaml, expected):
    body = ('  - id: "2.1"\n    name: 部门文件\n    deadline: 20个工作日内发布\n    columns: ["b.html"]\n'
            f'    rules: {rules_yaml}\n')
    assert load_config(write(tmp_path, body)).item("2.1").rules == expected


def test_site_and_file_level_errors(tmp_path):
    path = tmp_path / "columns.yaml"
    path.write_text('site:\n  name: x\n  base_url: "not a url"\nitems:\n' + ITEM_A, encoding="utf-8")
    err = error_of(path)
    assert err.key == "site.base_url" and str(path) in str(err)
    path.write_text(SITE + "items:\n  - id: [unclosed\n", encoding="utf-8")
    err = error_of(path)
    assert err.line is not None and str(path) in str(err)
    path.write_bytes((SITE + "items:\n" + ITEM_A).encode("gbk"))
    assert "UTF-8" in str(error_of(path))
    err = error_of(tmp_path / "missing.yaml")
    assert "missing.yaml" in str(err)
