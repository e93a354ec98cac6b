"""Issue 10: the 公开时限 grammar, item kinds, and config errors that point at the bad key.

Table-driven: every form of docs/rules.md "The 公开时限 grammar" with the phrases real catalogs
use, then mutations (reworded deadlines, renamed categories) that must not change the rules.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk.audit.catalog import (STALE_DAYS_DEFAULT, ConfigError, Rules, infer_kind, load_config,
                                parse_config, read_deadline)
from zwgk.audit.catalog.summary import config_summary

REPO = Path(__file__).resolve().parents[1]
S = STALE_DAYS_DEFAULT


@pytest.mark.parametrize("text, expected", [
    # periods, with and without a deadline after the period
    ("年度更新", Rules(period="year")),
    ("每年更新", Rules(period="year")),
    ("每年1月31日前", Rules(period="year", period_grace_days=31)),
    ("每年3月31日前发布", Rules(period="year", period_grace_days=90)),
    ("每年3月底前", Rules(period="year", period_grace_days=90)),
    ("次年1月31日前", Rules(period="year", period_grace_days=31)),
    ("每年一季度", Rules(period="year")),            # once a year, not every quarter
    ("半年更新", Rules(period="halfyear")),
    ("每半年更新", Rules(period="halfyear")),
    ("季度更新", Rules(period="quarter")),
    ("每季度", Rules(period="quarter")),
    ("每季度结束后15日内", Rules(period="quarter", period_grace_days=15)),
    ("月度更新", Rules(period="month")),
    ("每月", Rules(period="month")),
    ("每月次月10日前公开", Rules(period="month", period_grace_days=10)),
    ("每月10日前", Rules(period="month", period_grace_days=10)),
    # lags: working or calendar days, from the event the text names
    ("20个工作日内发布", Rules(publish_lag_workdays=20)),
    ("形成或变更之日起20个工作日内", Rules(publish_lag_workdays=20, lag_from="形成")),
    ("信息变更后十五个工作日内公开", Rules(publish_lag_workdays=15, lag_from="变更")),
    ("成文后10日内", Rules(publish_lag_days=10, lag_from="成文")),
    ("7天内公开", Rules(publish_lag_days=7)),
    ("一周内", Rules(publish_lag_days=7)),
    ("收到之日起15个工作日内", Rules(publish_lag_workdays=15, lag_from="收到")),
    ("会后3个工作日内", Rules(meeting_late_workdays=3)),
    ("20个工作日发布", Rules(publish_lag_workdays=20)),     # 工作日 needs no 内
    ("会议结束后3个工作日内公开", Rules(meeting_late_workdays=3)),
    ("会议召开后3日内更新", Rules(meeting_late_days=3)),
    ("政策文件公开后的3个工作日之内更新。", Rules(interpretation_late_workdays=3)),
    ("文件印发之日起五个工作日内", Rules(interpretation_late_workdays=5)),
    # continuous, change-driven, presence
    ("实时更新", Rules(stale_days=S)),
    ("随时更新", Rules(stale_days=S)),
    ("及时发布", Rules(stale_days=S)),
    ("动态更新", Rules(stale_days=S)),
    ("根据变动及时更新", Rules()),
    ("根据实际更新", Rules()),
    ("如有变化，及时调整", Rules()),
    ("长期公开", Rules()),
    ("常年公开", Rules()),
    ("适时公开", Rules()),
    # combinations joined by ，；并
    ("20个工作日内公开，实时更新", Rules(publish_lag_workdays=20, stale_days=S)),
    ("20个工作日内公开；实时更新", Rules(publish_lag_workdays=20, stale_days=S)),
    ("每季度更新并实时更新", Rules(period="quarter", stale_days=S)),
])
def test_every_grammar_form(text, expected):
    reading = read_deadline(text)
    assert reading.unparsed == ()
    assert reading.rules == expected


@pytest.mark.parametrize("text, unread", [
    ("看情况吧", ("看情况吧",)),
    ("12月31日前公开", ("12月31日前公开",)),  # a day of a month is no lag
    ("定期更新", ("定期更新",)),              # a period without its length
    ("每周更新", ("每周更新",)),              # no weekly period: state it with rules:
    ("20个工作日内公开，视领导意见", ("视领导意见",)),
])
def test_unread_text_is_named_not_refused(text, unread):
    assert read_deadline(text).unparsed == unread


@pytest.mark.parametrize("seed, reworded", [
    ("20个工作日内发布", "形成或变更之日起20个工作日内"),
    ("实时更新", "随时更新"),
    ("季度更新", "每季度更新"),
    ("年度更新", "按年度公开"),
    ("月度更新", "每月更新"),
    ("根据变动及时更新", "如有变化，及时调整"),
    ("会议召开后3日内更新", "会议结束后3日内公开"),
])
def test_reworded_deadlines_keep_their_checks(seed, reworded):
    """A mutation: another catalog's wording of the same duty sets the same check."""
    a, b = read_deadline(seed).rules, read_deadline(reworded).rules
    assert replace(a, lag_from="") == replace(b, lag_from="")


# --- kinds -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, category, content, kind", [
    ("政务公开组织管理", "政务公开组织管理", "信息公开指南、信息公开年度报告、政务公开培训", "annual_report"),
    ("政府信息公开年报", "信息公开专栏", "", "annual_report"),
    ("信息公开工作", "其他", "政府信息公开工作年度报告、公开指南", "annual_report"),
    ("政府信息公开工作年度报告", "公开工作", "", "annual_report"),
    ("政策解读", "政策解读", "", "interpretation"),
    ("文件解读", "解读回应", "", "interpretation"),
    ("规范性文件", "政策文件", "", "normative"),
    ("行政规范性文件", "法规文件", "", "normative"),
    ("局务会议", "会议信息", "", "meeting"),
    ("人事任免", "人事信息", "", "personnel"),
    ("本级发文", "文件发布", "", "policy"),
    ("执法事后公开 执法结果 统计年报", "行政执法信息", "", "other"),
    ("预决算信息", "财政信息", "", "other"),
])
def test_kind_by_what_the_item_is(name, category, content, kind):
    assert infer_kind(name, category, content) == kind


SITE = 'site:\n  name: 测试局\n  base_url: "http://127.0.0.1:8000/"\n'


def _load(tmp_path: Path, items: str, site: str = SITE) -> object:
    path = tmp_path / "columns.yaml"
    path.write_text(site + "items:\n" + items, encoding="utf-8")
    return load_config(path)


def test_explicit_kind_overrides_inference(tmp_path):
    body = ('  - id: "9.9"\n    name: 工作报告\n    category: 其他\n    deadline: 长期公开\n'
            '    kind: annual_report\n    columns: ["a.html"]\n')
    item = _load(tmp_path, body).item("9.9")
    assert item.kind == "annual_report" and item.rules.annual_report


def test_renamed_categories_keep_the_duties():
    """The seed catalog and the second catalog (other names, other wording) derive the same
    checks for every item: the rules follow what an item is, not what one catalog calls it."""
    seed = load_config(REPO / "mapping" / "columns.yaml")
    second = load_config(REPO / "mapping" / "second_catalog.yaml")
    assert len(second.items) >= 12
    assert {it.category for it in second.items}.isdisjoint({it.category for it in seed.items})
    # 7.4's column is unreachable on the demo: it carries a combination of two forms there.
    combined = {"7.4": Rules(publish_lag_workdays=20, stale_days=S)}
    for a, b in zip(seed.items, second.items):
        assert a.id == b.id
        want = combined.get(a.id, replace(a.rules, lag_from=""))
        assert replace(b.rules, lag_from="") == want, a.id
        assert not b.deadline_unparsed, b.id


def test_unparsed_deadline_is_a_warning_not_an_error(tmp_path):
    from zwgk.audit.engine import run_audit
    from zwgk.audit.model import ColumnFetch

    body = '  - id: "1.4"\n    name: x\n    deadline: 看情况吧\n    columns: ["b.html"]\n'
    config = _load(tmp_path, body)
    assert config.item("1.4").deadline_unparsed == "看情况吧"
    url = config.item("1.4").columns[0].url
    (result,) = run_audit(config, [], [ColumnFetch("1.4", url, 200, entries=0)],
                          __import__("datetime").date(2026, 11, 20))
    rules = sorted(f.rule for f in result.findings)
    assert rules == ["deadline_unparsed", "empty_column"]
    warn = next(f for f in result.findings if f.rule == "deadline_unparsed")
    assert warn.severity == "warn" and "看情况吧" in warn.message and "rules:" in warn.message


def test_validate_summary_is_chinese_and_names_each_item(tmp_path):
    body = ('  - id: "2.1"\n    name: 本级发文\n    deadline: 形成或变更之日起20个工作日内\n'
            '    columns: ["a.html"]\n    doc_series: [临交发]\n')
    lines = config_summary(_load(tmp_path, body))
    assert "形成后20个工作日内发布" in lines[1] and "临交发" in lines[1]


# --- config errors: the bad key's own line, and a suggestion ---------------------------------

def test_unknown_key_points_at_its_line_and_suggests(tmp_path):
    body = ('  - id: "1.1"\n'            # line 5
            '    name: 机构\n'             # 6
            '    deadline: 实时更新\n'     # 7
            '    columns: ["a.html"]\n'   # 8
            '    doc_serie: [临交发]\n')   # 9
    with pytest.raises(ConfigError) as err:
        _load(tmp_path, body)
    assert err.value.line == 9 and err.value.key == "doc_serie"
    assert "doc_series" in str(err.value) and ":9:" in str(err.value)


def test_unknown_site_key_suggests(tmp_path):
    site = SITE + "  agency_levle: government\n"
    with pytest.raises(ConfigError) as err:
        _load(tmp_path, '  - id: "1"\n    name: x\n    columns: ["a.html"]\n', site=site)
    assert err.value.line == 4 and "agency_level" in str(err.value)


@pytest.mark.parametrize("site_extra, needle", [
    ("  agency_level: province\n", "site.agency_level"),
    ("  audit: {since: yesterday}\n", "site.audit.since"),
])
def test_new_site_keys_are_validated(tmp_path, site_extra, needle):
    with pytest.raises(ConfigError, match=needle):
        _load(tmp_path, '  - id: "1"\n    name: x\n    columns: ["a.html"]\n', site=SITE + site_extra)


def test_kind_must_be_known():
    data = {"site": {"name": "x", "base_url": "http://127.0.0.1:8000/"},
            "items": [{"id": "1", "name": "x", "columns": ["a.html"], "kind": "report"}]}
    with pytest.raises(ConfigError, match="kind"):
        parse_config(data)


@pytest.mark.parametrize("extra, line, key, needle", [
    ("    rules:\n      stale: {max_age_day: 3}\n", 10, "rules.stale.max_age_day", "max_age_days"),
    ("    columns_: []\n", 9, "columns_", "columns"),
])
def test_nested_and_item_typos_suggest_the_key(tmp_path, extra, line, key, needle):
    body = ('  - id: "1.1"\n    name: 机构\n    deadline: 实时更新\n    columns: ["a.html"]\n' + extra)
    with pytest.raises(ConfigError) as err:
        _load(tmp_path, body)
    assert (err.value.line, err.value.key) == (line, key)
    assert f"'{needle}'" in str(err.value)


def test_out_of_range_names_the_bound(tmp_path):
    with pytest.raises(ConfigError) as err:
        _load(tmp_path, '  - id: "1"\n    name: x\n    columns: ["a.html"]\n',
              site=SITE + "  download_delay: 99\n")
    assert err.value.line == 4 and "60" in str(err.value) and "99" in str(err.value)


# --- combinations and hostile text ------------------------------------------------------------

# One phrase per independent form, with the Rules fields it alone sets.
_FORMS = [
    ("20个工作日内发布", {"publish_lag_workdays": 20}),
    ("实时更新", {"stale_days": S}),
    ("每季度结束后15日内", {"period": "quarter", "period_grace_days": 15}),
    ("会议召开后3日内更新", {"meeting_late_days": 3}),
    ("政策文件公开后的3个工作日之内更新", {"interpretation_late_workdays": 3}),
    ("长期公开", {}),
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(range(len(_FORMS))), min_size=1, max_size=4, unique=True),
       st.lists(st.sampled_from(["，", "；", "并", ",", ";"]), min_size=3, max_size=3))
def test_combinations_merge_their_forms(indexes, joints):
    text = _FORMS[indexes[0]][0]
    expected: dict = dict(_FORMS[indexes[0]][1])
    for joint, index in zip(joints, indexes[1:]):
        text += joint + _FORMS[index][0]
        expected.update(_FORMS[index][1])
    reading = read_deadline(text)
    assert reading.unparsed == (), text
    assert reading.rules == Rules(**expected), text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_reads_or_is_named_unread(text):
    reading = read_deadline(text)  # never raises
    assert all(part for part in reading.unparsed)


def test_a_bad_value_points_at_its_own_line(tmp_path):
    body = ('  - id: "1.1"\n'                  # line 5
            '    name: 机构\n'                   # 6
            '    columns:\n'                     # 7
            '      - name: 机构\n'               # 8
            '        url: a.html\n'              # 9
            '        class: newsroom\n')         # 10
    with pytest.raises(ConfigError) as err:
        _load(tmp_path, body)
    assert (err.value.line, err.value.key) == (10, "columns[0].class")
    with pytest.raises(ConfigError) as err:
        _load(tmp_path, '  - id: "1"\n    name: x\n    columns: ["a.html"]\n',
              site=SITE + "  concurrency: many\n")
    assert (err.value.line, err.value.key) == (4, "site.concurrency") and "整数" in str(err.value)


@pytest.mark.parametrize("rules_yaml, expected", [
    ("{publish_lag: {days: 10}}", Rules(publish_lag_days=10)),
    ("{meeting_late: {workdays: 3}}", Rules(meeting_late_workdays=3)),
    ("{period_missed: {period: halfyear, grace_days: 15}}",
     Rules(period="halfyear", period_grace_days=15)),
])
def test_explicit_rules_state_every_form_the_grammar_reads(tmp_path, rules_yaml, expected):
    """What deadline_unparsed advises: any form the grammar derives can be written by hand."""
    body = ('  - id: "1"\n    name: x\n    deadline: 看情况吧\n    columns: ["a.html"]\n'
            f'    rules: {rules_yaml}\n')
    assert _load(tmp_path, body).item("1").rules == expected


def test_a_lag_needs_exactly_one_unit(tmp_path):
    body = ('  - id: "1"\n    name: x\n    columns: ["a.html"]\n'
            '    rules: {publish_lag: {workdays: 3, days: 5}}\n')
    with pytest.raises(ConfigError, match="rules.publish_lag"):
        _load(tmp_path, body)
