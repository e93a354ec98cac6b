"""The catalog (``columns.yaml``), split by what it holds:

- ``records``: the dataclasses (Site, Item, Column, Rules, AuditSettings, Config);
- ``deadlines``: the 公开时限 grammar (deadline text -> Rules);
- ``kinds``: what an item is (annual report, 规范性文件, 解读 …), inferred or stated;
- ``validation``: reading the YAML into records, errors naming file, item, key and line.

The names other modules import are re-exported here.
"""
from zwgk.audit.catalog.deadlines import Reading, read_deadline, rules_from_deadline
from zwgk.audit.catalog.kinds import infer_kind
from zwgk.audit.catalog.records import (AGENCY_LEVELS, COLUMN_CLASS_NAMES, COLUMN_CLASSES, KIND_NAMES,
                                        KINDS, PERIOD_NAMES, PERIODS, PLACEHOLDER,
                                        STALE_DAYS_DEFAULT, AuditSettings, Column, Config, Item,
                                        Rules, Site)
from zwgk.audit.catalog.validation import ConfigError, load_config, parse_config

__all__ = ["AGENCY_LEVELS", "COLUMN_CLASS_NAMES", "COLUMN_CLASSES", "KIND_NAMES", "KINDS",
           "PERIOD_NAMES", "PERIODS", "PLACEHOLDER", "STALE_DAYS_DEFAULT", "AuditSettings",
           "Column", "Config", "ConfigError", "Item", "Reading", "Rules", "Site", "infer_kind",
           "load_config", "parse_config", "read_deadline", "rules_from_deadline"]
