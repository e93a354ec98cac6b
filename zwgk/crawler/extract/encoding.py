"""Response bytes → text, the way Scrapy does it, plus the faults of Chinese government servers.

Why: many older sites serve GBK while declaring gb2312 (decode as GB18030, a superset), some send
no charset at all, and some declare one encoding while sending another. Decoding must never raise:
a crawler meets truncated bodies, NUL bytes and garbage.
"""
from __future__ import annotations

from w3lib.encoding import html_to_unicode

_UTF8_NAMES = {"utf-8", "utf8", "utf_8"}
# A declared non-UTF-8 page whose bytes are valid UTF-8 with at least this many non-ASCII bytes is
# UTF-8 (random GBK text of that length is practically never valid UTF-8).
_MIN_HIGH_BYTES_FOR_UTF8_OVERRIDE = 32
# A page decoded as UTF-8 with more replacement characters than this share is tried as GB18030.
_MAX_BAD_UTF8_SHARE = 0.01
_MIN_BAD_UTF8_CHARS = 4


def _level1(lead: int, trail: int) -> str:
    try:
        return bytes((lead, trail)).decode("gb2312")
    except UnicodeDecodeError:
        return ""


# GB2312 level-1 characters (the 3,755 common ones): what real Chinese text is made of.
_COMMON_HANZI = frozenset(_level1(lead, trail) for lead in range(0xB0, 0xD8)
                          for trail in range(0xA1, 0xFF)) - {""}
_MIN_COMMON_HANZI_FOR_UTF8 = 4


def _common_hanzi(text: str) -> int:
    return sum(1 for ch in text if ch in _COMMON_HANZI)


def _high_bytes(body: bytes) -> int:
    return len(body) - len(body.translate(None, bytes(range(0x80, 0x100))))


def _mostly_utf8(body: bytes) -> bool:
    """True when `body` is UTF-8 up to a few broken bytes (a truncated tail, one bad character)."""
    try:
        body.decode("utf-8")
        return True
    except UnicodeDecodeError as err:
        if err.start >= len(body) - 3:  # cut in the middle of the last character
            return True
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    return bad < _MIN_BAD_UTF8_CHARS or bad <= _MAX_BAD_UTF8_SHARE * len(text)


def _sniff(body: bytes) -> str | None:
    """Encoding of a page that declares none: UTF-8 when it fits, else GB18030 (Chinese sites)."""
    if _mostly_utf8(body):
        return "utf-8"
    try:
        body.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        return None


def _content_type(declared: str | None) -> str | None:
    if not declared or not declared.strip():
        return None
    declared = declared.strip()
    if "/" in declared or "=" in declared:
        return declared  # a whole Content-Type header
    return f"text/html; charset={declared}"


def decode_html(body: bytes, declared_encoding: str | None = None) -> str:
    """Decode an HTTP body to text; never raises.

    `declared_encoding` is the HTTP charset ("gb2312") or the whole Content-Type header. Order as in
    Scrapy (w3lib.html_to_unicode): BOM, declared charset, `<meta charset>`, sniffing, UTF-8.
    gb2312/gbk map to GB18030. Invalid bytes become U+FFFD; NUL characters are dropped.
    """
    if not body:
        return ""
    if isinstance(body, str):  # tolerate callers passing text already
        return body.replace("\x00", "")
    try:
        encoding, text = html_to_unicode(
            _content_type(declared_encoding), bytes(body), default_encoding="utf-8", auto_detect_fun=_sniff
        )
    except Exception:  # defensive: an exotic codec lookup must not stop a crawl
        encoding, text = "utf-8", bytes(body).decode("utf-8", "replace")
    enc = encoding.lower().replace("-", "_")
    if enc.replace("_", "-") not in _UTF8_NAMES and enc not in _UTF8_NAMES:
        # Declared GBK/latin-1 but really UTF-8: the bytes prove it.
        if _high_bytes(body) >= _MIN_HIGH_BYTES_FOR_UTF8_OVERRIDE:
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                pass
    elif not _mostly_utf8(body):
        # Declared (or defaulted to) UTF-8 but the bytes are not: GBK servers with a wrong header.
        # GB18030 with replacement wins when it reads more of the page: a GBK page cut mid-
        # character or carrying a run of junk bytes is still GBK.
        # Unless the UTF-8 reading already holds common Chinese characters: GBK text almost
        # never forms valid UTF-8 sequences of them, so this is UTF-8 with junk bytes.
        gbk = body.decode("gb18030", "replace")
        if (_common_hanzi(text) < _MIN_COMMON_HANZI_FOR_UTF8
                and gbk.count("\ufffd") < text.count("\ufffd")):
            text = gbk
    return text.replace("\x00", "")
