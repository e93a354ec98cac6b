"""``columns.yaml``: loading and validation into the records of ``records``.

This is the only module that knows the shape of the config file. Every error names the file, the
item, the key and the key's own line (an unknown key with the known key it most resembles),
because the person fixing it is a bureau clerk editing YAML by hand. Rules come from the 公开时限
grammar (``deadlines``) and the item's kind (``kinds``) unless ``rules:`` states them.

The shape (keys, types, ranges, allowed values) is declared once, as pydantic v2 models in
``schema``; this module loads the YAML, turns the first pydantic error into a ConfigError (the
key path, its line, a Chinese message), and checks what needs more than the shape.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from pydantic import BaseModel, ValidationError

from zwgk.audit.catalog.deadlines import read_deadline
from zwgk.audit.catalog.kinds import infer_kind
from zwgk.audit.catalog.records import (COLUMN_CLASS_NAMES, COLUMN_CLASSES, PLACEHOLDER,
                                        AuditSettings, Column, Config, Item, Rules, Site)
from zwgk.audit.catalog.schema import ColumnModel, ItemModel, RulesModel, SiteModel


class ConfigError(Exception):
    """A config problem, with enough context to find it in the file."""

    def __init__(self, path: str | Path, message: str, item: str | None = None,
                 key: str | None = None, line: int | None = None) -> None:
        self.path = str(path)
        self.item = item
        self.key = key
        self.line = line
        where = self.path + (f":{line}" if line else "")
        if item is not None:
            where += f": item {item}"
        if key is not None:
            where += f": key '{key}'"
        super().__init__(f"{where}: {message}")


# --- loading ---------------------------------------------------------------------------------

class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping so errors can point at it."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, _value in node.value:
        try:
            key = loader.construct_object(key_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        except TypeError:  # an unhashable key: construct_mapping has refused it already
            continue
    return mapping


class _LineDict(dict):
    line: int | None = None
    key_lines: dict[Any, int] = {}


def _line(raw: Any, key: Any = None) -> int | None:
    """The line of ``key`` in the mapping ``raw`` as read from YAML, else the mapping's own."""
    lines = getattr(raw, "key_lines", None) or {}
    return lines.get(key, getattr(raw, "line", None))


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_config(path: str | Path, base_url: str | None = None) -> Config:
    """Read and validate ``columns.yaml``; raise ConfigError naming file, item and key."""
    path = Path(path)
    try:
        raw_bytes = path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, f"cannot read config: {exc.strerror or exc}") from None
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(path, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(path, f"invalid YAML: {getattr(exc, 'problem', exc)}",
                          line=mark.line + 1 if mark else None) from None
    return parse_config(data, path, base_url=base_url)


def parse_config(data: Any, path: str | Path = "<config>", base_url: str | None = None) -> Config:
    if not isinstance(data, dict):
        raise ConfigError(path, "the file must be a mapping with 'site' and 'items'")
    unknown = sorted(map(str, set(data) - {"site", "items"}))
    if unknown:
        original = next(k for k in data if str(k) == unknown[0])
        raise ConfigError(path, f"unknown top-level key(s): {', '.join(unknown)}"
                          + _suggestion(unknown[0], ("site", "items")), key=unknown[0],
                          line=_line(data, original))
    _check_placeholders(data, path)
    site = _parse_site(data.get("site"), path)
    if base_url:
        site = replace(site, base_url=_check_base_url(base_url, path, "--base-url"))
    items_raw = data.get("items")
    if not isinstance(items_raw, list) or not items_raw:
        raise ConfigError(path, "'items' must be a non-empty list（items 须为非空列表）", key="items",
                          line=_line(data, "items"))
    items: list[Item] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(items_raw):
        item = _parse_item(raw, index, site, path)
        if item.id in seen:
            raise ConfigError(path, f"duplicate id (also item #{seen[item.id] + 1})", item=item.id,
                              key="id", line=_line(raw, "id"))
        seen[item.id] = index
        items.append(item)
    explicit = {str(raw.get("id")).strip() for raw in items_raw
                if isinstance(raw, dict) and "rules" in raw}
    items = _derive_policy_duties(items, explicit, site.audit)
    return Config(path=str(path), site=site, items=tuple(items))


def _check_placeholders(data: dict[str, Any], path: str | Path) -> None:
    """`zwgk catalog import` leaves 待填写 where only the bureau knows the value (column URLs,
    the site's address): name every one at once, so the clerk sees the whole to-do list."""
    todo: list[str] = []
    site = data.get("site")
    if isinstance(site, dict):
        for key in ("name", "base_url"):
            if isinstance(site.get(key), str) and site[key].strip().startswith(PLACEHOLDER):
                todo.append(f"site.{key}")
    items = data.get("items")
    for raw in items if isinstance(items, list) else []:  # wrong types: reported by the parser
        if not isinstance(raw, dict) or not isinstance(raw.get("columns"), list):
            continue
        for index, column in enumerate(raw["columns"]):
            url = column.get("url") if isinstance(column, dict) else column
            if isinstance(url, str) and url.strip().startswith(PLACEHOLDER):
                todo.append(f"item {raw.get('id')} columns[{index}].url")
        series = raw.get("doc_series")
        for index, prefix in enumerate(series if isinstance(series, list) else []):
            if isinstance(prefix, str) and prefix.strip().startswith(PLACEHOLDER):
                todo.append(f"item {raw.get('id')} doc_series[{index}] (要求连号：文号前缀)")
    if todo:
        raise ConfigError(path, f"{len(todo)} value(s) still '{PLACEHOLDER}' (left by `zwgk catalog "
                          f"import` for you to fill in): {', '.join(todo)}")


def _derive_policy_duties(items: list[Item], explicit: set[str],
                          settings: AuditSettings) -> list[Item]:
    """A 规范性文件 item (its kind) must show validity and have its documents
    explained: the 解读 window is the site's setting, else the catalog's own 解读 item
    ("政策文件公开后的3个工作日之内"); without either, interpretation_missing is not checked.
    Items with explicit ``rules:`` are left as written."""
    window = settings.interpretation_workdays
    if window is None:
        window = next((it.rules.interpretation_late_workdays for it in items
                       if it.rules.interpretation_late_workdays is not None), None)
    out = []
    for it in items:
        if it.id not in explicit and it.kind == "normative":
            it = replace(it, rules=replace(it.rules, validity_required=True,
                                           interpretation_missing_workdays=window))
        out.append(it)
    return out


def _check_base_url(value: Any, path: str | Path, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(path, "must be an http(s) URL", key=key)
    problem = _url_problem(value.strip(), relative_ok=False)
    if problem is not None:
        raise ConfigError(path, f"must be an http(s) URL with a host, got {value[:200]!r}: "
                                f"{problem}", key=key)
    url = value.strip()
    return url if url.endswith("/") else url + "/"


# Scrapy drops longer URLs (URLLENGTH_LIMIT): a column there would silently never be read.
_MAX_URL_LENGTH = 2083
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def _url_problem(url: str, relative_ok: bool) -> str | None:
    """What is wrong with a configured URL (None: fine). Absolute URLs must be http(s) with a
    valid host and port; a relative one (a column under base_url) only when ``relative_ok``."""
    if len(url) > _MAX_URL_LENGTH:
        return f"longer than {_MAX_URL_LENGTH} characters"
    if _CONTROL_RE.search(url) or any(c.isspace() for c in url):
        return "contains spaces or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "bad host or port"
    if not parts.scheme and not url.startswith("//"):
        return None if relative_ok else "not an absolute http(s) URL"
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme + ':' if parts.scheme else '//'} is not http(s)"
    host = parts.hostname or ""
    if not host:
        return "no host"
    if len(host) > 253 or any(not 0 < len(label) <= 63 for label in host.rstrip(".").split(".")
                              if not host.startswith("[")):
        return "bad host name"
    if port == 0:
        return "bad port"
    return None


# --- shape: pydantic, errors translated for the clerk ------------------------------------------

_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "unknown key（未知的键）",
    "int_type": "须为整数",
    "float_type": "须为数字",
    "finite_number": "须为有限的数字",
    "bool_type": "须为 true 或 false",
    "string_type": "须为文本",
    "list_type": "须为列表",
    "dict_type": "须为映射（键: 值）",
    "model_type": "须为映射（键: 值）",
    "model_attributes_type": "须为映射（键: 值）",
    "too_short": "不能为空",
    "date_type": "须为日期 YYYY-MM-DD",
}


def _suggestion(bad: str, known: Any) -> str:
    guess = difflib.get_close_matches(bad, [str(k) for k in known], n=1, cutoff=0.6)
    return f"；您是否想写 '{guess[0]}'？" if guess else ""


def _key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _walk_line(raw: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the innermost key of ``loc`` that exists in the YAML, else its mapping's."""
    line = getattr(raw, "line", None)
    node = raw
    for part in loc:
        if isinstance(node, dict):
            original = next((k for k in node if str(k) == str(part)), None)
            if original is None:
                break
            line = _line(node, original) or line
            node = node[original]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            line = getattr(node, "line", None) or line
        else:
            break
    return line


def _known_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where ``loc`` points (for "did you mean")."""
    for part in loc[:-1]:
        if isinstance(part, int) or part == "[key]":
            continue
        field = model.model_fields.get(str(part)) or next(
            (f for f in model.model_fields.values() if f.alias == part), None)
        if field is None:
            return []
        inner = [a for a in _models_in(field.annotation)]
        if not inner:
            return []
        model = inner[0]
    return [f.alias or name for name, f in model.model_fields.items()]


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        out.extend(_models_in(arg))
    return out


def _validated(model: type[BaseModel], raw: Any, path: str | Path, prefix: str = "",
               item: str | None = None) -> Any:
    """``model`` validated from ``raw``; the first error as a ConfigError naming key and line."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # Of a union's alternatives, report the one that went deepest (the mapping form).
        # A mistyped key explains a missing one: report it first.
        err = max(errors, key=lambda e: (len([p for p in e["loc"] if not _is_tag(p)]),
                                         e["type"] == "extra_forbidden"))
        loc = tuple(p for p in err["loc"] if not _is_tag(p))
        kind = err["type"]
        ctx = err.get("ctx") or {}
        if kind == "greater_than_equal":
            message = f"须不小于{ctx.get('ge', 0):g}，实际为{_short(err['input'])}"
        elif kind == "less_than_equal":
            message = f"须不大于{ctx.get('le', 0):g}，实际为{_short(err['input'])}"
        elif kind == "literal_error" and loc and loc[-1] == "class":
            message = (f"unknown column class {_short(err['input'])}（未知的栏目类别；known: "
                       f"{', '.join(f'{k} = {v}' for k, v in COLUMN_CLASS_NAMES.items())}）")
        elif kind == "literal_error":
            message = f"须为以下之一：{ctx.get('expected', '')}，实际为{_short(err['input'])}"
        elif kind == "value_error":
            message = str(ctx.get("error", err["msg"]))
        elif kind == "extra_forbidden":
            message = _MESSAGES[kind] + _suggestion(str(loc[-1]), _known_keys(model, loc))
        else:
            message = _MESSAGES.get(kind, err["msg"])
            if kind not in ("missing", "extra_forbidden"):
                message += f"，实际为{_short(err.get('input'))}"
        raise ConfigError(path, message, item=item, key=prefix + _key_path(loc),
                          line=_walk_line(raw, loc)) from None


def _is_tag(part: Any) -> bool:
    """A union member's tag in a pydantic error location ('_MaxAge', 'literal[False]', 'str'),
    not a key of the file."""
    return isinstance(part, str) and (part[:1].isupper() or part.startswith(("_", "literal[",
                                                                             "function-"))
                                      or part in ("bool", "str", "int", "float", "list[str]",
                                                  "dict[str,any]", "date"))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# --- records from the validated shape ----------------------------------------------------------

def _parse_site(raw: Any, path: str | Path) -> Site:
    if not isinstance(raw, dict):
        raise ConfigError(path, "'site' must be a mapping with name and base_url（site 须为映射）",
                          key="site")
    model = _validated(SiteModel, raw, path, prefix="site.")
    kwargs: dict[str, Any] = {"name": model.name,
                              "base_url": _check_base_url(model.base_url, path, "site.base_url")}
    for key in ("download_delay", "timeout", "retry_backoff"):
        if getattr(model, key) is not None:
            kwargs[key] = float(getattr(model, key))
    for key in ("concurrency", "retries", "max_pages_per_column", "obey_robots", "user_agent",
                "revalidate_days", "agency_level"):
        if getattr(model, key) is not None:
            kwargs[key] = getattr(model, key)
    if model.audit is not None:
        kwargs["audit"] = _audit_settings(model)
        if model.audit.wordlist is not None:  # read relative to columns.yaml
            kwargs["audit"] = replace(kwargs["audit"], wordlist=str(
                Path(path).parent / model.audit.wordlist.strip()))
    if model.homepage is not None:  # absolute, or a path under base_url
        problem = _url_problem(model.homepage.strip(), relative_ok=True)
        if problem is not None:
            raise ConfigError(path, f"must be an http(s) URL or a path under base_url: {problem}",
                              key="site.homepage")
        kwargs["homepage"] = urljoin(kwargs["base_url"], model.homepage.strip())
    return Site(**kwargs)


def _audit_settings(model: SiteModel) -> AuditSettings:
    """``site.audit``: the site-wide thresholds (检查指标 defaults, see AuditSettings)."""
    audit = model.audit
    assert audit is not None
    windows = dict(COLUMN_CLASSES)
    windows.update(audit.stale_windows or {})
    kwargs: dict[str, Any] = {"stale_windows": tuple(windows.items())}
    if audit.veto is not None:
        for key in ("empty_columns", "stale_columns", "dynamic_policy_stale"):
            if getattr(audit.veto, key) is not None:
                kwargs[f"veto_{key}"] = getattr(audit.veto, key)
    for key in ("date_conflict_days", "content_min_chars", "interpretation_workdays", "since"):
        if getattr(audit, key) is not None:
            kwargs[key] = getattr(audit, key)
    return AuditSettings(**kwargs)


def _parse_item(raw: Any, index: int, site: Site, path: str | Path) -> Item:
    label = f"#{index + 1}"
    if not isinstance(raw, dict):
        raise ConfigError(path, "each item must be a mapping（每个事项须为映射）", item=label)
    raw_id = raw.get("id")
    if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
        raise ConfigError(path, "missing id（缺少编号）", item=label, key="id", line=_line(raw))
    if not isinstance(raw_id, (str, int, float)) or isinstance(raw_id, bool):
        raise ConfigError(path, "id must be a string such as \"2.1\"", item=label, key="id",
                          line=_line(raw, "id"))
    item_id = str(raw_id).strip()
    model = _validated(ItemModel, raw, path, item=item_id)
    texts = {key: (getattr(model, key) or "").strip()
             for key in ("category", "name", "content", "deadline", "method")}
    columns = tuple(_column(c, i, site, path, item_id, raw) for i, c in enumerate(model.columns))
    exempt = _parse_exempt(model.docno_exempt, path, item_id)
    kind = model.kind or infer_kind(texts["name"], texts["category"], texts["content"])
    unparsed = ""
    if "rules" in raw:
        rules = _rules(model.rules)
    else:
        # Text the grammar cannot read is no config error: the item is judged for presence and
        # the audit warns (deadline_unparsed) naming the text and how to state it with rules:.
        reading = read_deadline(texts["deadline"])
        rules, unparsed = reading.rules, "，".join(reading.unparsed)
        if kind == "annual_report":
            # The report's own rule (条例第四十九条 due date) judges its year; a "每年1月31日前"
            # period would judge the same duty twice.
            rules = replace(rules, annual_report=True, period=None, period_grace_days=0)
    return Item(id=item_id, category=texts["category"], name=texts["name"], content=texts["content"],
                deadline=texts["deadline"], units=tuple(u.strip() for u in model.units),
                columns=columns, rules=rules, doc_series=tuple(s.strip() for s in model.doc_series),
                method=texts["method"], docno_exempt=exempt, kind=kind, deadline_unparsed=unparsed)


_EXEMPT_RANGE_RE = re.compile(r"^(\d+)\s*[-–~至]\s*(\d+)$")
_EXEMPT_SERIES_RE = re.compile(r"[〔\[（(【]\d{4}[〕\]）)】]$")


def _parse_exempt(raw: Any, path: str | Path, item_id: str) -> tuple[str, ...]:
    """Known 不予公开 文号: a list of numbers as printed, or per series
    ``{"临住建发〔2024〕": [7, "12-14"]}`` (serials and ranges of one series and year)."""
    if not isinstance(raw, dict):
        return tuple(v.strip() for v in raw)
    out: list[str] = []
    for series, numbers in raw.items():
        key = f"docno_exempt.{series}"
        if not isinstance(series, str) or not _EXEMPT_SERIES_RE.search(series.strip()):
            raise ConfigError(path, "a series is 机关代字〔year〕, e.g. 临住建发〔2024〕", item=item_id,
                              key=key)
        for n in numbers if isinstance(numbers, list) else [numbers]:
            m = _EXEMPT_RANGE_RE.match(str(n).strip())
            if isinstance(n, int) and not isinstance(n, bool) and n > 0:
                lo = hi = n
            elif m and 0 < int(m.group(1)) <= int(m.group(2)) <= int(m.group(1)) + 1000:
                lo, hi = int(m.group(1)), int(m.group(2))
            else:
                raise ConfigError(path, f"expected serial numbers or ranges like 12-14, got {n!r}",
                                  item=item_id, key=key)
            out.extend(f"{series.strip()}{k}号" for k in range(lo, hi + 1))
    return tuple(out)


def _column(model: ColumnModel, index: int, site: Site, path: str | Path, item_id: str,
            raw_item: Any) -> Column:
    key = f"columns[{index}]"
    line = _walk_line(raw_item, ("columns", index, "url"))
    url = model.url.strip()
    if not url:
        raise ConfigError(path, "missing url（缺少栏目地址）", item=item_id, key=f"{key}.url", line=line)
    problem = _url_problem(url, relative_ok=True)
    absolute = urljoin(site.base_url, url) if problem is None else ""
    parts = urlsplit(absolute)
    if problem is None and (parts.scheme not in ("http", "https") or not parts.hostname
                            or any(c.isspace() for c in absolute)):
        problem = "not an http(s) URL"
    if problem is not None:
        raise ConfigError(path, f"bad URL {url[:200]!r}: {problem}", item=item_id, key=f"{key}.url",
                          line=line)
    return Column(name=(model.name or "").strip(), url=absolute, selectors=dict(model.selectors or {}),
                  klass=model.klass)


# rules: key, its parameter, the Rules field it sets (a parameter left unset sets nothing).
_RULE_FIELDS = (("publish_lag", "workdays", "publish_lag_workdays"),
                ("publish_lag", "days", "publish_lag_days"),
                ("stale", "max_age_days", "stale_days"),
                ("period_missed", "period", "period"),
                ("period_missed", "grace_days", "period_grace_days"),
                ("meeting_late", "days", "meeting_late_days"),
                ("meeting_late", "workdays", "meeting_late_workdays"),
                ("interpretation_late", "workdays", "interpretation_late_workdays"),
                ("interpretation_missing", "workdays", "interpretation_missing_workdays"))


def _rules(model: RulesModel | None) -> Rules:
    """``rules:`` replaces the derived rules entirely; an empty mapping means: universal checks
    only; ``false`` switches a rule off."""
    if model is None:
        return Rules()
    kwargs: dict[str, Any] = {}
    for rule, param, field_name in _RULE_FIELDS:
        given = getattr(model, rule)
        if given and getattr(given, param) is not None:
            kwargs[field_name] = getattr(given, param)
    if model.annual_report_late not in (None, False):
        kwargs["annual_report"] = True
    if model.validity_missing not in (None, False):
        kwargs["validity_required"] = True
    return Rules(**kwargs)
