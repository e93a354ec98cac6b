"""Pages that are not the site's content: WAF JavaScript challenges and links we never follow.

Why: many government sites sit behind an anti-bot WAF (瑞数/RiverSecurity and the like). Its first
answer is 412, 403 or 202 with a page that is only scripts — a cookie-setting challenge a browser
solves and a crawler cannot. Read as a list page it looks empty; reported as an empty column it
would accuse the 责任单位 of a defect the site does not have. So such a page is recognised and the
column reported unreachable for this reason, with what would get past it.
"""
from __future__ import annotations

import re

# Markers of a JS challenge: 瑞数's `$_ts` bootstrap, its `<script r="m">` tags, and the cookie
# challenges of common WAFs.
_CHALLENGE_MARKER_RE = re.compile(
    rb"\$_ts\s*=|<script[^>]*\sr=[\"']m[\"']|__jsl_clearance|acw_sc__v2|_waf_bd8ce2ce37|"
    rb"challenge-platform|cf_chl_", re.I)
_SCRIPT_RE = re.compile(rb"<script\b", re.I)
_NON_TEXT_RE = re.compile(rb"<(script|style|noscript)\b.*?</\1\s*>", re.I | re.S)
_TAG_RE = re.compile(rb"<[^>]*>|&[#\w]+;")
_SPACE_RE = re.compile(rb"\s+")
# Statuses WAFs answer a challenge with.
_CHALLENGE_STATUSES = frozenset({202, 403, 412, 503})
# A page with less visible text than this (bytes of UTF-8/GBK, ~ 30 Chinese characters) and at
# least one script is a script-only page.
_MAX_VISIBLE_BYTES = 90
# A challenge page is small; a real page that happens to mention `$_ts` is not.
_MAX_CHALLENGE_BYTES = 256 * 1024

# Links of a page that lead to no web page of the site: never requested, counted in the notes.
# `javascript:void(0)` / `javascript:;` buttons (打印, 关闭) are UI, not links, and are not counted.
_UNSAFE_HREF_RE = re.compile(
    r"""\bhref\s*=\s*["']?\s*(?:(?:file|data|vbscript)\s*:|javascript\s*:\s*(?!void\b|;|["'>\s]|$))""",
    re.I)


def visible_bytes(body: bytes) -> int:
    """Bytes of visible text (markup, scripts and whitespace removed)."""
    text = _TAG_RE.sub(b" ", _NON_TEXT_RE.sub(b" ", body))
    return len(_SPACE_RE.sub(b"", text))


def is_challenge(status: int, body: bytes) -> bool:
    """True for a WAF JavaScript challenge page: scripts, little visible text, and either a
    known challenge marker or a challenge status (412/403/202/503)."""
    if not body or len(body) > _MAX_CHALLENGE_BYTES or not _SCRIPT_RE.search(body):
        return False
    if visible_bytes(body) >= _MAX_VISIBLE_BYTES:
        return False
    return status in _CHALLENGE_STATUSES or bool(_CHALLENGE_MARKER_RE.search(body))


def skipped_links(html: str) -> int:
    """How many links of a page use a scheme we never fetch (file:, data:, javascript: code)."""
    return len(_UNSAFE_HREF_RE.findall(html))


__all__ = ["is_challenge", "skipped_links", "visible_bytes"]
