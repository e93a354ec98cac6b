"""Crawled text made safe for every output zwgk writes: one place, one set of rules.

Why: titles, 文号 and messages come from hostile pages. Written raw they can
- colour or rewrite an operator's terminal (ANSI escape sequences, C0/C1 control bytes),
- reorder what a reader sees ("…\u202eFDP.exe" displays as "…exe.PDF": bidi controls),
- run as a formula when articles.csv is opened in a spreadsheet (``=HYPERLINK(…)``,
  ``+cmd|' /C calc'!A0``, ``@SUM(…)``, ``-2+3+cmd``).

``clean_text`` removes the first two everywhere (report.html, findings.json, articles.csv, the
terminal, the notification text); ``csv_cell`` neutralises the third the way OWASP recommends
(https://owasp.org/www-community/attacks/CSV_Injection): a cell starting with ``= + - @``, TAB or
CR gets a leading apostrophe, so spreadsheet programs show it as text. Clean text passes through
unchanged, so a clean run's outputs do not change.
"""
from __future__ import annotations

import re
from typing import Any

# ESC-introduced sequences: CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), and two-byte
# escapes; then any C1 CSI byte (0x9b) sequence.
_ANSI_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]"
                      r"|\x9b[0-?]*[ -/]*[@-~]")
# Control bytes (C0 except TAB/LF/CR, DEL, C1) and the Unicode bidirectional controls.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI_RE = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Every character any of the three patterns above starts with (ESC and 0x9b are control bytes):
# text without one passes through unchanged, after one search instead of three substitutions.
_ANY_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                     r"\u2066-\u2069]")


def clean_text(text: str) -> str:
    """``text`` without terminal escape sequences, control bytes or bidi controls."""
    if not text or _ANY_RE.search(text) is None:
        return text
    text = _ANSI_RE.sub("", text)
    text = _CONTROL_RE.sub("", text)
    return _BIDI_RE.sub("", text)


def clean_tree(value: Any) -> Any:
    """Every string in a JSON-like tree (dicts, lists) through ``clean_text``; keys included."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_tree(k): clean_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_tree(v) for v in value]
    return value


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: cleaned text that no spreadsheet reads as a formula."""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


__all__ = ["clean_text", "clean_tree", "csv_cell"]
