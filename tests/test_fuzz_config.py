"""columns.yaml fuzzing (issue 7): whatever an operator's editor or a copy-paste does to the file —
keys deleted, wrong types, bad or non-http URLs, huge values, another encoding — loading it either
works or raises ConfigError naming the file (and the key that is wrong); never another exception.

In-process through audit.catalog (fast); a few real CLI runs check exit 2 and no traceback.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwgk.audit.catalog import ConfigError, load_config, parse_config
from conftest import run_zwgk

PATH = "fuzz/columns.yaml"
BASE: dict[str, Any] = {
    "site": {"name": "测试局", "base_url": "http://127.0.0.1:8000/", "download_delay": 0.5,
             "concurrency": 2, "user_agent": "zwgk-test", "obey_robots": True, "timeout": 10,
             "retries": 2, "max_pages_per_column": 20, "revalidate_days": 30,
             "retry_backoff": 1.0,
             "audit": {"date_conflict_days": 3, "content_min_chars": 50,
                       "stale_windows": {"notice": 180}, "veto": {"empty_columns": 5}}},
    "items": [
        {"id": "2.1", "category": "政策文件", "name": "部门文件", "deadline": "20个工作日内发布",
         "units": ["办公室"], "method": "全文发布", "doc_series": ["临住建发"],
         "docno_exempt": {"临住建发〔2024〕": [7, "12-14"]},
         "columns": [{"name": "部门文件", "url": "col/col1201/index.html", "class": "policy",
                      "selectors": {"list_entry": "ul.list li"}}]},
        {"id": "9.1", "name": "乡村振兴", "deadline": "实时更新", "units": ["村镇科"],
         "rules": {"stale": {"max_age_days": 90}},
         "columns": [{"name": "乡村振兴", "url": "ztzl/xczx/index.html"}]},
    ],
}

BAD_URLS = ["ftp://127.0.0.1/x", "file:///etc/passwd", "javascript:alert(1)", "data:text/html,x",
            "mailto:a@b", "http://", "http:///x", "http://exa mple/x", "http://[::1/x",
            "http://127.0.0.1:99999/", "//", "\x00", "http://127.0.0.1/\n/x", "a" * 5000,
            "http://" + "a" * 300 + ".cn/"]
WEIRD_VALUES = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(10 ** 40), max_value=10 ** 40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.sampled_from(BAD_URLS + ["x" * 200_000, "0", "-1", "1e400"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path of the config (mapping keys and list indexes)."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append(prefix + (k,))
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append(prefix + (i,))
            out += _paths(v, prefix + (i,))
    return out


PATHS = _paths(BASE)


def _apply(path: tuple, value: Any, delete: bool) -> dict:
    data = copy.deepcopy(BASE)
    node = data
    for k in path[:-1]:
        node = node[k]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


def _named_keys(path: tuple) -> set[str]:
    """Names an error about this path may use: the string keys on it, and the item's id."""
    return {str(k) for k in path if isinstance(k, str)}


def _check(error: ConfigError, path: tuple) -> None:
    text = str(error)
    assert text.startswith(PATH), text
    if path[:1] == ("items",) or path[:1] == ("site",):
        # The error names where: a key (site.x, columns[0].url …) or the item it is in.
        assert error.key or error.item, text


def test_the_base_config_is_valid():
    config = parse_config(copy.deepcopy(BASE), PATH)
    assert [it.id for it in config.items] == ["2.1", "9.1"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), WEIRD_VALUES, st.booleans())
def test_mutated_config_loads_or_names_file_and_key(path, value, delete):
    data = _apply(path, value, delete)
    try:
        parse_config(data, PATH)
    except ConfigError as exc:
        _check(exc, path)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([p for p in PATHS if p[-1] in ("url", "base_url")]), st.sampled_from(BAD_URLS))
def test_bad_urls_are_config_errors_naming_the_key(path, url):
    data = _apply(path, url, delete=False)
    try:
        parse_config(data, PATH)
    except ConfigError as exc:
        _check(exc, path)
        assert path[-1] in str(exc), str(exc)
        return
    raise AssertionError(f"{url!r} at {path} was accepted")


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([p for p in PATHS if p[0] == "site" and len(p) == 2
                        and p[1] in ("download_delay", "concurrency", "timeout", "retries",
                                     "max_pages_per_column", "revalidate_days", "retry_backoff")]),
       st.one_of(st.integers(min_value=10 ** 7, max_value=10 ** 40), st.integers(max_value=-1),
                 st.sampled_from([float("inf"), float("nan"), "many", [1], {"a": 1}])))
def test_huge_negative_or_mistyped_numbers_name_the_key(path, value):
    data = _apply(path, value, delete=False)
    try:
        config = parse_config(data, PATH)
    except ConfigError as exc:
        _check(exc, path)
        assert path[-1] in str(exc), str(exc)
        return
    # Accepted only if it is a sane number (a huge page cap or delay must not be accepted).
    raise AssertionError(f"site.{path[-1]} = {value!r} accepted: {config.site}")


ENCODINGS = ["gbk", "utf-16", "utf-32", "big5", "latin-1"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(ENCODINGS), st.binary(max_size=40), st.integers(min_value=0, max_value=400))
def test_wrong_encodings_and_garbage_bytes(tmp_path_factory, encoding, garbage, at):
    text = yaml.safe_dump(BASE, allow_unicode=True)
    raw = text.encode(encoding, errors="replace")
    raw = raw[:at] + garbage + raw[at:]
    path = tmp_path_factory.mktemp("enc") / "columns.yaml"
    path.write_bytes(raw)
    try:
        load_config(path)
    except ConfigError as exc:
        assert str(exc).startswith(str(path)), str(exc)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_arbitrary_yaml_text(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("txt") / "columns.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_config(path)
    except ConfigError as exc:
        assert str(exc).startswith(str(path)), str(exc)


def _write(tmp_path: Path, data: dict | bytes) -> Path:
    path = tmp_path / "columns.yaml"
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_cli_exit_2_and_no_traceback(tmp_path):
    cases = [
        (_apply(("site", "base_url"), "file:///etc/passwd", False), ["site.base_url"]),
        (_apply(("items", 0, "columns", 0, "url"), "javascript:alert(1)", False),
         ["item 2.1", "url"]),
        (yaml.safe_dump(BASE, allow_unicode=True).encode("gbk"), ["UTF-8"]),
    ]
    for n, (data, needles) in enumerate(cases):
        folder = tmp_path / str(n)
        folder.mkdir()
        path = _write(folder, data)
        for args in (["validate", str(path)],
                     ["run", "--config", str(path), "--db", str(folder / "s.sqlite"),
                      "--out", str(folder / "out")]):
            proc = run_zwgk(*args)
            assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
            assert "Traceback" not in proc.stderr, proc.stderr
            assert str(path) in proc.stderr, proc.stderr
            for needle in needles:
                assert needle in proc.stderr, (needle, proc.stderr)
        assert not (folder / "s.sqlite").exists() and not (folder / "out").exists()
