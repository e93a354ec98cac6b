"""Text of an attachment's bytes: PDF (pypdf), DOCX (python-docx), XLSX (openpyxl).

Pure functions of bytes: no network, no files. Every reader is bounded (pages, paragraphs,
cells, characters) and never raises: a broken or hostile file gives a status saying why.
"""
from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass

from zwgk.crawler.attachments.kinds import READABLE, UNREAD

MAX_CHARS = 50_000       # text kept per attachment
MAX_PDF_PAGES = 30       # 文号 and 成文日期 sit on the first and last pages
MAX_XLSX_CELLS = 50_000
# A DOCX/XLSX is a zip: refuse one whose members unpack beyond this (a zip bomb).
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class AttachmentText:
    kind: str
    status: str   # read | unread (a kind without a reader) | empty (no text layer) | error: …
    text: str = ""


# PDF text layers put spaces between CJK characters and digits ("常住建〔 2026 〕 7 号",
# "2026 年 4 月 8 日"): typesetting, not text. Removed so the 文号 and date grammars see the
# document as printed.
_PDF_SPACING_RE = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])[ \t]+(?=[0-9])|"
                             r"(?<=[0-9])[ \t]+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed PDFs warn a lot
    reader = PdfReader(io.BytesIO(data), strict=False)
    pages = list(reader.pages)
    if len(pages) > MAX_PDF_PAGES:  # the first pages and the last (signature, 成文日期)
        pages = pages[: MAX_PDF_PAGES - 2] + pages[-2:]
    parts: list[str] = []
    size = 0
    for page in pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size > MAX_CHARS:
            break
    return _PDF_SPACING_RE.sub("", "\n".join(parts))


def _check_zip(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
            raise ValueError("unpacks beyond the size limit (zip bomb?)")


def _docx(data: bytes) -> str:
    import docx

    _check_zip(data)
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables[:50]:
        for row in table.rows[:500]:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _xlsx(data: bytes) -> str:
    import openpyxl

    _check_zip(data)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts: list[str] = []
    cells = 0
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                values = [str(v) for v in row if v is not None]
                cells += len(row)
                if values:
                    parts.append("\t".join(values))
                if cells > MAX_XLSX_CELLS:
                    return "\n".join(parts)
    finally:
        book.close()
    return "\n".join(parts)


_READERS = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx}


def read_attachment(data: bytes, kind: str) -> AttachmentText:
    """The text of an attachment of ``kind`` (see kinds.file_kind)."""
    if kind not in READABLE:
        return AttachmentText(kind, "unread" if kind in UNREAD or not kind else "unread")
    try:
        text = _READERS[kind](data)
    except Exception as exc:  # noqa: BLE001 - any broken file: a status, never a crash
        return AttachmentText(kind, f"error: {type(exc).__name__}: {str(exc)[:200]}")
    text = "\n".join(line.strip() for line in text.splitlines() if line.strip())[:MAX_CHARS]
    return AttachmentText(kind, "read" if text else "empty", text)


__all__ = ["AttachmentText", "read_attachment", "MAX_CHARS"]
