"""Personal data in published text: 居民身份证号码, bank card numbers, rosters of mobile numbers.

The one grammar of these numbers, used twice: the crawler scans each page (and attachment) as it
reads it and stores only what ``scan`` returns — counts and *masked* samples — and ``redact``
masks the text it keeps, so no full number ever reaches the store, findings.json or the report.
The audit then judges the stored counts (``rules.inspection.privacy_leak``).

What counts (docs/rules.md, privacy_leak):
- an ID number: 18 characters with a valid GB 11643 check digit, birth date and region code
  (python-stdnum's ``cn.ric``), or the 15-digit first-generation form (its 18-digit upgrade must
  validate the same way). Masked forms (330106********1234) never match: they hold no 16 digits.
- a bank card: 16–19 digits (spaces between groups of four allowed), Luhn-valid, with 卡号, 账号,
  帐号, 银行 or 开户行 just before it — an order or file number of the same length is not one.
- a roster of mobiles: ≥ 3 distinct 11-digit mobile numbers on ≥ 3 different lines of one text
  (a table's rows or a list's items are lines). One or two contacts in a notice are not a
  roster; office landlines (0571-…) are no mobiles at all.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from stdnum import luhn
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

ID_NUMBER, BANK_CARD, MOBILE_ROSTER = "id_number", "bank_card", "mobile_roster"
KINDS = {ID_NUMBER: "居民身份证号码", BANK_CARD: "银行卡号", MOBILE_ROSTER: "手机号码名单"}
MAX_SAMPLES = 3
ROSTER_MIN = 3
_KEYWORD_WINDOW = 12  # characters before a card number that may hold its label

# No digit or letter on either side: a number inside a longer code is not an ID.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_CARD_RE = re.compile(r"(?<![0-9A-Za-z])(\d{4}(?: ?\d{4}){3}(?: ?\d{1,3})?)(?![0-9A-Za-z])")
_CARD_KEYWORD_RE = re.compile(r"卡号|账号|帐号|银行|开户行|银联")
_MOBILE_RE = re.compile(r"(?<![0-9])(1[3-9]\d{9})(?![0-9])")


@dataclass(frozen=True)
class Leak:
    """What a scan found of one kind: how many distinct numbers, and a few masked samples."""

    kind: str
    count: int
    samples: tuple[str, ...] = field(default_factory=tuple)


def mask(number: str) -> str:
    """Keep the first 6 and last 4 characters of an ID (region and a check), the first 4 and
    last 4 of a card, the first 3 and last 4 of a mobile; star the rest."""
    digits = number.replace(" ", "")
    head, tail = {11: (3, 4), 15: (6, 4), 18: (6, 4)}.get(len(digits), (4, 4))
    return digits[:head] + "*" * (len(digits) - head - tail) + digits[-tail:]


def is_id_number(number: str) -> bool:
    """GB 11643: check digit, birth date and region code; the 15-digit form via its upgrade."""
    if len(number) == 15:
        if not number.isdigit():
            return False
        body = number[:6] + "19" + number[6:]
        number = body + ric.calc_check_digit(body + "0")  # it ignores the last character
    try:
        ric.validate(number.upper())
    except ValidationError:
        return False
    return True


def is_bank_card(number: str) -> bool:
    digits = number.replace(" ", "")
    return 16 <= len(digits) <= 19 and luhn.is_valid(digits)


def _ids(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(1), m.end(1), m.group(1)) for m in _ID_RE.finditer(text)
            if is_id_number(m.group(1))]


def _cards(text: str, taken: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out = []
    for m in _CARD_RE.finditer(text):
        start, end = m.span(1)
        if any(s < end and start < e for s, e, _ in taken):
            continue  # an ID number is not also a card
        if not is_bank_card(m.group(1)):
            continue
        if _CARD_KEYWORD_RE.search(text[max(0, start - _KEYWORD_WINDOW):start]):
            out.append((start, end, m.group(1).replace(" ", "")))
    return out


def _roster(text: str) -> list[tuple[int, int, str]]:
    """Mobiles of ``text`` when they form a roster (≥ 3 distinct on ≥ 3 lines), else []."""
    found = [(m.start(1), m.end(1), m.group(1)) for m in _MOBILE_RE.finditer(text)]
    if len({n for _, _, n in found}) < ROSTER_MIN:
        return []
    lines = {text.count("\n", 0, s) for s, _, _ in found}
    return found if len(lines) >= ROSTER_MIN else []


def _spans(text: str) -> dict[str, list[tuple[int, int, str]]]:
    ids = _ids(text)
    return {ID_NUMBER: ids, BANK_CARD: _cards(text, ids), MOBILE_ROSTER: _roster(text)}


def scan(text: str) -> list[Leak]:
    """The leaks of one text (a page's visible text, an attachment's text), masked."""
    out = []
    for kind, spans in _spans(text or "").items():
        distinct = list(dict.fromkeys(n.upper() for _, _, n in spans))
        if distinct:
            out.append(Leak(kind, len(distinct), tuple(mask(n) for n in distinct[:MAX_SAMPLES])))
    return out


def rows_text(rows: Iterable[Sequence[object]]) -> str:
    """A table (spreadsheet rows, a DOCX table) as text: one line per row, cells tab-separated,
    so a roster in a table is a roster to ``scan``."""
    return "\n".join("\t".join("" if c is None else str(c) for c in row) for row in rows)


def redact(text: str) -> str:
    """``text`` with every number ``scan`` would report replaced by its masked form: what the
    crawler keeps of a page (body text, title) so the store never holds a full number."""
    if not text:
        return text
    spans = sorted({s for found in _spans(text).values() for s in found})
    if not spans:
        return text
    parts, last = [], 0
    for start, end, number in spans:
        if start < last:
            continue
        parts.append(text[last:start])
        parts.append(mask(number))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def merge(scans: Iterable[list[Leak]]) -> list[Leak]:
    """Several scans (a page's text and its tables, an attachment's pages) as one, per kind."""
    counts: dict[str, int] = {}
    samples: dict[str, list[str]] = {}
    for leak in (x for found in scans for x in found):
        counts[leak.kind] = counts.get(leak.kind, 0) + leak.count
        bucket = samples.setdefault(leak.kind, [])
        bucket.extend(s for s in leak.samples if s not in bucket)
    return [Leak(k, counts[k], tuple(samples[k][:MAX_SAMPLES])) for k in counts]


__all__ = ["Leak", "scan", "redact", "rows_text", "merge", "mask", "is_id_number", "is_bank_card",
           "KINDS", "ID_NUMBER", "BANK_CARD", "MOBILE_ROSTER"]
