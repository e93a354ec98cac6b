"""``columns.yaml``: loading, validation and the derivation of rules from 公开时限 text.

This is the only module that knows the shape of the config file. Every error names the file, the
item and the key, because the person fixing it is a bureau clerk editing YAML by hand.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml

from zwgk.audit.yamlbound import BoundedAliases


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


# --- rules -----------------------------------------------------------------------------------

PERIODS = ("year", "quarter", "month")
STALE_DAYS_DEFAULT = 180  # 检查指标: 通知公告/政策文件类 not updated in 6 months

# 检查指标 column classes and their "not updated" windows in days, as monitoring vendors encode
# the indicator's 2 weeks / 6 months / 12 months. A column selects one with ``class:``; a site may
# change the days (``site.audit.stale_windows``).
COLUMN_CLASSES: dict[str, int] = {"dynamic": 14, "notice": 180, "policy": 180, "personnel": 365,
                                  "plan": 365}
COLUMN_CLASS_NAMES: dict[str, str] = {"dynamic": "动态/要闻类", "notice": "通知公告类",
                                      "policy": "政策文件类", "personnel": "人事类",
                                      "plan": "规划计划类"}
# Placeholder that `zwgk catalog import` writes where only the user knows the value.
PLACEHOLDER = "待填写"


@dataclass(frozen=True)
class AuditSettings:
    """Site-wide thresholds (``site.audit``). Defaults follow the national 检查指标; local rules
    are often stricter, so every number can be changed in columns.yaml."""

    stale_windows: tuple[tuple[str, int], ...] = tuple(COLUMN_CLASSES.items())
    veto_empty_columns: int = 5         # 空白栏目 ≥ 5
    veto_stale_columns: int = 10        # 应更新而未更新的栏目 ≥ 10
    veto_dynamic_policy_stale: int = 5  # 动态/要闻 + 通知公告/政策文件 not updated ≥ 5
    date_conflict_days: int = 1         # |visible − PubDate meta| above this is a conflict
    content_min_chars: int = 20         # a body shorter than this counts as no body text
    interpretation_workdays: int | None = None  # None: the window of the catalog's 解读 item

    def window(self, klass: str) -> int:
        return dict(self.stale_windows)[klass]


@dataclass(frozen=True)
class Rules:
    """Which deadline checks apply to an item, with their thresholds. ``None`` = not checked."""

    publish_lag_workdays: int | None = None
    stale_days: int | None = None
    period: str | None = None  # one of PERIODS
    meeting_late_days: int | None = None
    interpretation_late_workdays: int | None = None
    annual_report: bool = False
    # A 规范性文件 / major policy needs a 解读 within this many working days of its publication.
    interpretation_missing_workdays: int | None = None
    # A 规范性文件 must show its 有效性 (有效/失效/废止).
    validity_required: bool = False

    def describe(self) -> list[str]:
        """Human (Chinese) description of each active rule, for the report."""
        out = []
        if self.publish_lag_workdays is not None:
            out.append(f"成文后{self.publish_lag_workdays}个工作日内发布")
        if self.stale_days is not None:
            out.append(f"最新信息不得早于{self.stale_days}天前")
        if self.period:
            out.append({"year": "每个自然年度", "quarter": "每个季度", "month": "每个月"}[self.period]
                       + "至少发布一条")
        if self.meeting_late_days is not None:
            out.append(f"会议召开后{self.meeting_late_days}日内发布")
        if self.interpretation_late_workdays is not None:
            out.append(f"政策文件公开后{self.interpretation_late_workdays}个工作日内发布解读")
        if self.annual_report:
            out.append("上一年度政府信息公开工作年度报告须于1月31日前发布（条例第四十九条），"
                       "并包含统一格式的六部分内容（国办公开办函〔2021〕30号）")
        if self.interpretation_missing_workdays is not None:
            out.append(f"文件公开后{self.interpretation_missing_workdays}个工作日内须有解读")
        if self.validity_required:
            out.append("须标注有效性（有效、失效、废止）")
        return out


_NUM = r"(\d+|[一二两三四五六七八九十]+)"
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

# Each pattern maps a 公开时限 phrase to a partial Rules; the first match wins, order matters
# (政策文件公开后…工作日 must be tried before the generic …工作日内发布).
_DEADLINE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(政策|文件).{0,8}公开后.{0,4}?" + _NUM + r"个?工作日"), "interpretation"),
    (re.compile(r"会议.{0,6}后.{0,2}?" + _NUM + r"个?(?:自然)?日"), "meeting"),
    (re.compile(_NUM + r"个?工作日"), "publish_lag"),
    (re.compile(r"实时更新|及时发布|常态化"), "stale"),
    (re.compile(r"年度更新|每年更新|按年更新"), "year"),
    (re.compile(r"季度更新|每季度更新|按季度?更新"), "quarter"),
    (re.compile(r"月度更新|每月更新|按月更新"), "month"),
    (re.compile(r"根据(?:变动|实际|需要|工作)|及时更新|动态更新"), "none"),
]


def _to_int(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1]]
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def rules_from_deadline(deadline: str) -> Rules | None:
    """Derive the default rules from the catalog's 公开时限 text; None when not understood."""
    text = re.sub(r"\s+", "", deadline or "")
    for pattern, kind in _DEADLINE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        if kind == "interpretation":
            return Rules(interpretation_late_workdays=_to_int(m.group(2)))
        if kind == "meeting":
            return Rules(meeting_late_days=_to_int(m.group(1)))
        if kind == "publish_lag":
            return Rules(publish_lag_workdays=_to_int(m.group(1)))
        if kind == "stale":
            return Rules(stale_days=STALE_DAYS_DEFAULT)
        if kind in PERIODS:
            return Rules(period=kind)
        return Rules()
    return None


# --- config records --------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    name: str
    url: str  # absolute, resolved against site.base_url
    # Optional CSS/XPath overrides for list pages and articles (see docs/config.md).
    selectors: dict[str, str] = field(default_factory=dict)
    # 检查指标 column class (COLUMN_CLASSES): selects the column's stale window.
    klass: str | None = None


@dataclass(frozen=True)
class Item:
    id: str
    category: str
    name: str
    content: str
    deadline: str
    units: tuple[str, ...]
    columns: tuple[Column, ...]
    rules: Rules
    doc_series: tuple[str, ...] = ()
    method: str = ""  # 公开方式
    # Known never-published 文号 ("X住建发〔2024〕7号") that must not be reported as gaps.
    docno_exempt: tuple[str, ...] = ()


@dataclass(frozen=True)
class Site:
    name: str
    base_url: str
    download_delay: float = 1.0
    concurrency: int = 2
    user_agent: str = "zwgk/0.1 (+https://github.com/zwgk/zwgk; disclosure audit)"
    obey_robots: bool = True
    timeout: float = 15.0  # 检查指标: a request failing at 15 s counts as unreachable
    retries: int = 2
    max_pages_per_column: int = 50
    audit: AuditSettings = field(default_factory=AuditSettings)
    # Nightly crawls skip known articles; each is re-checked (conditional GET) and each column's
    # list re-read to its end about once per this many days (0 = every run).
    revalidate_days: int = 30
    retry_backoff: float = 1.0  # seconds before the first retry on 429/5xx, doubled each time


@dataclass(frozen=True)
class Config:
    path: str
    site: Site
    items: tuple[Item, ...]

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def with_base_url(self, base_url: str) -> "Config":
        """The same catalog pointed at another host (the demo on a free port, a staging copy)."""
        old = self.site.base_url
        items = tuple(
            replace(it, columns=tuple(replace(c, url=_rebase(c.url, old, base_url)) for c in it.columns))
            for it in self.items
        )
        return replace(self, site=replace(self.site, base_url=base_url), items=items)


def _rebase(url: str, old_base: str, new_base: str) -> str:
    if url.startswith(old_base):
        return new_base + url[len(old_base):]
    return url


# --- loading ---------------------------------------------------------------------------------

_SITE_KEYS = {"name", "base_url", "download_delay", "concurrency", "user_agent", "obey_robots",
              "timeout", "retries", "max_pages_per_column", "audit", "revalidate_days",
              "retry_backoff"}
_ITEM_KEYS = {"id", "category", "name", "content", "deadline", "units", "columns", "doc_series",
              "rules", "method", "docno_exempt"}
_COLUMN_KEYS = {"name", "url", "selectors", "class"}
_RULE_KEYS = {"publish_lag": "workdays", "stale": "max_age_days", "period_missed": "period",
              "meeting_late": "days", "interpretation_late": "workdays", "annual_report_late": None,
              "interpretation_missing": "workdays", "validity_missing": None}
_FLAG_RULES = {"annual_report_late": "annual_report", "validity_missing": "validity_required"}
_AUDIT_KEYS = {"stale_windows", "veto", "date_conflict_days", "content_min_chars",
               "interpretation_workdays"}
_VETO_KEYS = {"empty_columns": "veto_empty_columns", "stale_columns": "veto_stale_columns",
              "dynamic_policy_stale": "veto_dynamic_policy_stale"}
_NORMATIVE_RE = re.compile(r"规范性文件")


class _LineLoader(BoundedAliases, yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping so errors can point at it."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


class _LineDict(dict):
    line: int | None = None


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
    unknown = set(data) - {"site", "items"}
    if unknown:
        raise ConfigError(path, f"unknown top-level key(s): {', '.join(sorted(map(str, unknown)))}",
                          key=str(sorted(map(str, unknown))[0]))
    _check_placeholders(data, path)
    site = _parse_site(data.get("site"), path)
    if base_url:
        site = replace(site, base_url=_check_base_url(base_url, path, "--base-url"))
    items_raw = data.get("items")
    if not isinstance(items_raw, list) or not items_raw:
        raise ConfigError(path, "'items' must be a non-empty list", key="items")
    items: list[Item] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(items_raw):
        item = _parse_item(raw, index, site, path)
        if item.id in seen:
            raise ConfigError(path, f"duplicate id (also item #{seen[item.id] + 1})", item=item.id,
                              key="id", line=getattr(raw, "line", None))
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
    if todo:
        raise ConfigError(path, f"{len(todo)} value(s) still '{PLACEHOLDER}' (left by `zwgk catalog "
                          f"import` for you to fill in): {', '.join(todo)}")


def _derive_policy_duties(items: list[Item], explicit: set[str],
                          settings: AuditSettings) -> list[Item]:
    """A 规范性文件 item (by name or category) must show validity and have its documents
    explained: the 解读 window is the site's setting, else the catalog's own 解读 item
    ("政策文件公开后的3个工作日之内"); without either, interpretation_missing is not checked.
    Items with explicit ``rules:`` are left as written."""
    window = settings.interpretation_workdays
    if window is None:
        window = next((it.rules.interpretation_late_workdays for it in items
                       if it.rules.interpretation_late_workdays is not None), None)
    out = []
    for it in items:
        if it.id not in explicit and (_NORMATIVE_RE.search(it.name)
                                      or _NORMATIVE_RE.search(it.category)):
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


def _number(value: Any, path: str | Path, key: str, lo: float, hi: float, integer: bool = False,
            item: str | None = None) -> Any:
    ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
    if isinstance(value, bool) or not ok_type or not (lo <= value <= hi):
        kind = "a whole number" if integer else "a number"
        raise ConfigError(path, f"must be {kind} from {lo:g} to {hi:g}, got {value!r}", item=item,
                          key=key)
    return value


def _parse_site(raw: Any, path: str | Path) -> Site:
    if not isinstance(raw, dict):
        raise ConfigError(path, "'site' must be a mapping with name and base_url", key="site")
    unknown = set(raw) - _SITE_KEYS
    if unknown:
        raise ConfigError(path, "unknown key in site", key=f"site.{sorted(map(str, unknown))[0]}",
                          line=getattr(raw, "line", None))
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(path, "must be a non-empty string", key="site.name")
    kwargs: dict[str, Any] = {"name": name.strip(),
                              "base_url": _check_base_url(raw.get("base_url"), path, "site.base_url")}
    if "download_delay" in raw:
        kwargs["download_delay"] = float(_number(raw["download_delay"], path, "site.download_delay", 0, 60))
    if "concurrency" in raw:
        kwargs["concurrency"] = _number(raw["concurrency"], path, "site.concurrency", 1, 32, True)
    if "timeout" in raw:
        kwargs["timeout"] = float(_number(raw["timeout"], path, "site.timeout", 1, 300))
    if "retries" in raw:
        kwargs["retries"] = _number(raw["retries"], path, "site.retries", 0, 10, True)
    if "max_pages_per_column" in raw:
        kwargs["max_pages_per_column"] = _number(raw["max_pages_per_column"], path,
                                                 "site.max_pages_per_column", 1, 10000, True)
    if "obey_robots" in raw:
        if not isinstance(raw["obey_robots"], bool):
            raise ConfigError(path, "must be true or false", key="site.obey_robots")
        kwargs["obey_robots"] = raw["obey_robots"]
    if "user_agent" in raw:
        ua = raw["user_agent"]
        if not isinstance(ua, str) or not ua.strip() or len(ua) > 500 or not ua.isascii():
            # HTTP headers are ASCII; Scrapy would encode others in the page's charset.
            raise ConfigError(path, "must be a non-empty ASCII string (at most 500 characters)",
                              key="site.user_agent")
        kwargs["user_agent"] = ua.strip()
    if "audit" in raw:
        kwargs["audit"] = _parse_audit(raw["audit"], path)
    if "revalidate_days" in raw:
        kwargs["revalidate_days"] = _number(raw["revalidate_days"], path, "site.revalidate_days",
                                            0, 3650, True)
    if "retry_backoff" in raw:
        kwargs["retry_backoff"] = float(_number(raw["retry_backoff"], path, "site.retry_backoff",
                                                0, 600))
    return Site(**kwargs)


def _parse_audit(raw: Any, path: str | Path) -> AuditSettings:
    """``site.audit``: the site-wide thresholds (检查指标 defaults, see AuditSettings)."""
    if raw is None:
        return AuditSettings()
    if not isinstance(raw, dict):
        raise ConfigError(path, "must be a mapping of thresholds", key="site.audit")
    unknown = set(raw) - _AUDIT_KEYS
    if unknown:
        raise ConfigError(path, f"unknown key (known: {', '.join(sorted(_AUDIT_KEYS))})",
                          key=f"site.audit.{sorted(map(str, unknown))[0]}")
    kwargs: dict[str, Any] = {}
    windows = dict(COLUMN_CLASSES)
    given = raw.get("stale_windows") or {}
    if not isinstance(given, dict):
        raise ConfigError(path, "must be a mapping {class: days}", key="site.audit.stale_windows")
    for klass, days in given.items():
        if klass not in COLUMN_CLASSES:
            raise ConfigError(path, f"unknown column class (known: {', '.join(COLUMN_CLASSES)})",
                              key=f"site.audit.stale_windows.{klass}")
        windows[klass] = _number(days, path, f"site.audit.stale_windows.{klass}", 1, 3660, True)
    kwargs["stale_windows"] = tuple(windows.items())
    veto = raw.get("veto") or {}
    if not isinstance(veto, dict) or set(veto) - set(_VETO_KEYS):
        raise ConfigError(path, f"must be a mapping with keys {', '.join(_VETO_KEYS)}",
                          key="site.audit.veto")
    for key, field_name in _VETO_KEYS.items():
        if key in veto:
            kwargs[field_name] = _number(veto[key], path, f"site.audit.veto.{key}", 1, 1000, True)
    for key, lo, hi in (("date_conflict_days", 0, 366), ("content_min_chars", 0, 10000)):
        if key in raw:
            kwargs[key] = _number(raw[key], path, f"site.audit.{key}", lo, hi, True)
    if raw.get("interpretation_workdays") is not None:
        kwargs["interpretation_workdays"] = _number(raw["interpretation_workdays"], path,
                                                    "site.audit.interpretation_workdays", 0, 3660,
                                                    True)
    return AuditSettings(**kwargs)


def _str_list(value: Any, path: str | Path, item: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(path, "must be a list of non-empty strings", item=item, key=key)
    return tuple(v.strip() for v in value)


def _parse_item(raw: Any, index: int, site: Site, path: str | Path) -> Item:
    label = f"#{index + 1}"
    if not isinstance(raw, dict):
        raise ConfigError(path, "each item must be a mapping", item=label)
    line = getattr(raw, "line", None)
    raw_id = raw.get("id")
    if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
        raise ConfigError(path, "missing id", item=label, key="id", line=line)
    if not isinstance(raw_id, (str, int, float)) or isinstance(raw_id, bool):
        raise ConfigError(path, "id must be a string such as \"2.1\"", item=label, key="id", line=line)
    item_id = str(raw_id).strip()
    unknown = set(raw) - _ITEM_KEYS
    if unknown:
        raise ConfigError(path, "unknown key", item=item_id, key=str(sorted(map(str, unknown))[0]),
                          line=line)
    texts: dict[str, str] = {}
    for key in ("category", "name", "content", "deadline", "method"):
        value = raw.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ConfigError(path, "must be a string", item=item_id, key=key, line=line)
        texts[key] = value.strip()
    if not texts["name"]:
        raise ConfigError(path, "missing name", item=item_id, key="name", line=line)
    units = _str_list(raw.get("units", []), path, item_id, "units")
    columns_raw = raw.get("columns")
    if not isinstance(columns_raw, list) or not columns_raw:
        raise ConfigError(path, "must be a non-empty list of {name, url}", item=item_id, key="columns",
                          line=line)
    columns = tuple(_parse_column(c, i, site, path, item_id) for i, c in enumerate(columns_raw))
    doc_series = _str_list(raw.get("doc_series", []), path, item_id, "doc_series")
    exempt = _parse_exempt(raw.get("docno_exempt", []), path, item_id)
    if "rules" in raw:
        rules = _parse_rules(raw["rules"], path, item_id)
    else:
        derived = rules_from_deadline(texts["deadline"])
        if derived is None:
            raise ConfigError(path, f"cannot derive rules from deadline {texts['deadline']!r}; "
                              "add an explicit 'rules:' mapping (see docs/config.md)",
                              item=item_id, key="deadline", line=line)
        rules = derived
        if texts["category"] == "政务公开组织管理":
            rules = replace(rules, annual_report=True)
    return Item(id=item_id, category=texts["category"], name=texts["name"], content=texts["content"],
                deadline=texts["deadline"], units=units, columns=columns, rules=rules,
                doc_series=doc_series, method=texts["method"], docno_exempt=exempt)


_EXEMPT_RANGE_RE = re.compile(r"^(\d+)\s*[-–~至]\s*(\d+)$")
# Exempt serials of one item, ranges expanded: a real register holds dozens; a few KB of ranges
# (or aliases) must not expand into millions of strings (issue 17).
MAX_EXEMPT_NUMBERS = 20_000


def _parse_exempt(raw: Any, path: str | Path, item_id: str) -> tuple[str, ...]:
    """Known 不予公开 文号: a list of numbers as printed, or per series
    ``{"临住建发〔2024〕": [7, "12-14"]}`` (serials and ranges of one series and year)."""
    if not isinstance(raw, dict):
        return _str_list(raw, path, item_id, "docno_exempt")
    out: list[str] = []
    for series, numbers in raw.items():
        key = f"docno_exempt.{series}"
        if not isinstance(series, str) or not re.search(r"[〔\[（(【]\d{4}[〕\]）)】]$", series.strip()):
            raise ConfigError(path, "a series is 机关代字〔year〕, e.g. 临住建发〔2024〕", item=item_id,
                              key=key)
        if not isinstance(numbers, list):
            numbers = [numbers]
        for n in numbers:
            m = _EXEMPT_RANGE_RE.match(str(n).strip())
            if isinstance(n, int) and not isinstance(n, bool) and n > 0:
                lo = hi = n
            elif m and 0 < int(m.group(1)) <= int(m.group(2)) <= int(m.group(1)) + 1000:
                lo, hi = int(m.group(1)), int(m.group(2))
            else:
                raise ConfigError(path, f"expected serial numbers or ranges like 12-14, got {n!r}",
                                  item=item_id, key=key)
            if len(out) + hi - lo + 1 > MAX_EXEMPT_NUMBERS:
                raise ConfigError(path, f"more than {MAX_EXEMPT_NUMBERS:,} exempt serials in one "
                                  "item", item=item_id, key=key)
            out.extend(f"{series.strip()}{k}号" for k in range(lo, hi + 1))
    return tuple(out)


def _parse_column(raw: Any, index: int, site: Site, path: str | Path, item_id: str) -> Column:
    key = f"columns[{index}]"
    if isinstance(raw, str):
        raw = {"name": "", "url": raw}
    if not isinstance(raw, dict):
        raise ConfigError(path, "must be a mapping {name, url}", item=item_id, key=key)
    unknown = set(raw) - _COLUMN_KEYS
    if unknown:
        raise ConfigError(path, "unknown key", item=item_id,
                          key=f"{key}.{sorted(map(str, unknown))[0]}")
    url = raw.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(path, "missing url", item=item_id, key=f"{key}.url")
    problem = _url_problem(url.strip(), relative_ok=True)
    absolute = urljoin(site.base_url, url.strip()) if problem is None else ""
    parts = urlsplit(absolute)
    if problem is None and (parts.scheme not in ("http", "https") or not parts.hostname
                            or any(c.isspace() for c in absolute)):
        problem = "not an http(s) URL"
    if problem is not None:
        raise ConfigError(path, f"bad URL {url[:200]!r}: {problem}", item=item_id, key=f"{key}.url")
    name = raw.get("name") or ""
    if not isinstance(name, str):
        raise ConfigError(path, "must be a string", item=item_id, key=f"{key}.name")
    selectors = raw.get("selectors") or {}
    if not isinstance(selectors, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in selectors.items()):
        raise ConfigError(path, "must be a mapping of selector name to CSS/XPath string",
                          item=item_id, key=f"{key}.selectors")
    allowed = {"list_entry", "list_title", "list_date", "next_page", "title", "publish_date",
               "written_date", "doc_number"}
    bad = set(selectors) - allowed
    if bad:
        raise ConfigError(path, f"unknown selector (allowed: {', '.join(sorted(allowed))})",
                          item=item_id, key=f"{key}.selectors.{sorted(bad)[0]}")
    klass = raw.get("class")
    if klass is not None and (not isinstance(klass, str) or klass not in COLUMN_CLASSES):
        raise ConfigError(path, f"unknown column class {klass!r} (known: "
                          f"{', '.join(f'{k} = {v}' for k, v in COLUMN_CLASS_NAMES.items())})",
                          item=item_id, key=f"{key}.class")
    return Column(name=name.strip(), url=absolute, selectors=dict(selectors), klass=klass)


def _parse_rules(raw: Any, path: str | Path, item_id: str) -> Rules:
    """``rules:`` replaces the derived rules entirely: ``{stale: {max_age_days: 14}}`` etc.
    An empty mapping means: universal checks only."""
    if raw is None:
        return Rules()
    if not isinstance(raw, dict):
        raise ConfigError(path, "must be a mapping of rule name to parameters", item=item_id,
                          key="rules")
    kwargs: dict[str, Any] = {}
    for name, params in raw.items():
        key = f"rules.{name}"
        if name not in _RULE_KEYS:
            raise ConfigError(path, f"unknown rule (known: {', '.join(_RULE_KEYS)})", item=item_id,
                              key=key)
        if params is False:
            continue
        param = _RULE_KEYS[name]
        if param is None:
            kwargs[_FLAG_RULES[name]] = True
            continue
        if not isinstance(params, dict) or param not in params or set(params) - {param}:
            raise ConfigError(path, f"must be a mapping {{{param}: ...}}", item=item_id, key=key)
        value = params[param]
        if name == "period_missed":
            if value not in PERIODS:
                raise ConfigError(path, f"must be one of {', '.join(PERIODS)}", item=item_id,
                                  key=f"{key}.{param}")
            kwargs["period"] = value
        else:
            value = _number(value, path, f"{key}.{param}", 0, 3660, True, item=item_id)
            field_name = {"publish_lag": "publish_lag_workdays", "stale": "stale_days",
                          "meeting_late": "meeting_late_days",
                          "interpretation_late": "interpretation_late_workdays",
                          "interpretation_missing": "interpretation_missing_workdays"}[name]
            kwargs[field_name] = value
    return Rules(**kwargs)
