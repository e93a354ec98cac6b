"""文号 and 成文日期 of a document read from an attachment's text.

Why: many bureaus publish a page that only links the signed PDF/DOCX; the 文号 and 成文日期 are
printed in the file. The page extractors read the text as they read a page (labelled 成文日期,
a 文号 line near the top); a GB/T 9704 document also carries its 成文日期 as the date line of
its 落款 (the signature block at the end), read here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import escape

from zwgk.crawler.extract import extract_article
from zwgk.crawler.extract.dates import in_range, leading_date
from zwgk.crawler.extract.settings import MIN_WRITTEN_DATE

SIGNATURE_LINES = 12  # the 落款 date sits within the last lines (before 抄送/印发 lines)
# A line that is a date and nothing more (optionally 印发/签发/制发).
_DATE_LINE_RE = re.compile(r"^[\s（(]*[0-9〇○零一二三四五六七八九十年月日\s]{6,20}(?:印发|签发|制发)?[）)]?\s*$")

_ISO_LINE_RE = re.compile(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*")


@dataclass(frozen=True)
class DocumentFields:
    doc_number: str | None
    written_date: date | None


def _signature_date(lines: list[str], as_of: date) -> date | None:
    for line in reversed(lines[-SIGNATURE_LINES:]):
        if (_DATE_LINE_RE.match(line) and "年" in line) or _ISO_LINE_RE.fullmatch(line):
            found = in_range(leading_date(line.strip("（()） ")), as_of, MIN_WRITTEN_DATE)
            if found is not None:
                return found
    return None


def document_fields(text: str, url: str, as_of: date) -> DocumentFields:
    """The 文号 and 成文日期 an attachment's text shows (None where it shows none)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return DocumentFields(None, None)
    html = "<html><body>" + "".join(f"<p>{escape(line)}</p>" for line in lines[:400]) + "</body></html>"
    fields = extract_article(html, url, as_of=as_of)
    written = fields.written_date or _signature_date(lines, as_of)
    return DocumentFields(fields.doc_number, written)


__all__ = ["DocumentFields", "document_fields"]
