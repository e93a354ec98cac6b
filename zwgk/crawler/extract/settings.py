"""Tunable constants of the article extractors, in one place so a change is visible in review.

Why here: the extractors are small pure functions; every threshold they share (date range, how
far from the title a date may sit, how many links make a sidebar) lives in this module so the
order and strictness of extraction can be read without digging through the code.
"""
from __future__ import annotations

from datetime import date

# --- validation ---------------------------------------------------------------------------------
# No government website published anything before 1990; an earlier "publish date" is a misread.
MIN_PUBLISH_DATE = date(1990, 1, 1)
# Documents republished online may be old (e.g. a 1981 State Council 通知): 成文日期 may be
# anything since the founding of the PRC.
MIN_WRITTEN_DATE = date(1949, 1, 1)

# --- output sizes ---------------------------------------------------------------------------------
MAX_BODY_CHARS = 20_000  # body_text is trimmed to this many characters
MAX_TITLE_CHARS = 300

# --- proximity ------------------------------------------------------------------------------------
# A bare "日期：" / "时间：" label is only trusted this close to the title (in text lines).
WEAK_LABEL_LINES_AFTER_TITLE = 12
WEAK_LABEL_LINES_BEFORE_TITLE = 3
# A strong label (发布时间/发布日期 …) close to the title beats one further away.
STRONG_LABEL_LINES_AFTER_TITLE = 40
STRONG_LABEL_LINES_BEFORE_TITLE = 8
# Labels of an info table sit in a cluster: this many lines around a hit are searched for other
# info-table labels, and INFOTABLE_MIN_KINDS distinct kinds make the cluster an info table.
INFOTABLE_WINDOW_LINES = 14
INFOTABLE_MIN_KINDS = 3
# 文号 printed under the heading: only the first lines of the body are searched.
DOCNO_BODY_LINES = 10
DOCNO_BODY_LONG_LINES = 2  # stop after this many paragraph-long lines (the running text began)
DOCNO_LINE_MAX_CHARS = 60
LONG_LINE_CHARS = 40
# Last resort: unlabeled dates in short lines of the title area.
FALLBACK_LINES_AFTER_TITLE = 8
FALLBACK_LINE_MAX_CHARS = 40

# --- boilerplate ------------------------------------------------------------------------------------
# A container with at least this many link items that each carry a date is a "dated link list"
# (相关文章 / 最新动态 / 热点信息): its dates belong to other articles.
DATED_LIST_MIN_ITEMS = 3
# An ambiguous block (class "right", "bottom", "related" …) is boilerplate when it is link-heavy.
LINK_HEAVY_MIN_LINKS = 3
LINK_HEAVY_MIN_RATIO = 0.3
# Content scoring: a line is worth (own chars + 3 x punctuation - 3 x link chars - this constant),
# so lines shorter than this many characters count against the run they sit in.
CONTENT_MIN_LINE_CHARS = 10
