"""What kind of file an attachment is: its URL, then the server's Content-Disposition and
Content-Type (a download endpoint shows no extension; a server may name the file only there)."""
from __future__ import annotations

import re
from email.message import Message
from urllib.parse import unquote

from zwgk.grammar.attachment_urls import EXTENSIONS, attachment_extension, is_attachment_url

# A government attachment is rarely above a few MB; a 20 MB file is not read (the cap is a
# download limit: Scrapy cancels the transfer, nothing larger is held in memory).
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
READABLE = frozenset({"pdf", "docx", "xlsx"})
# Present, but no well-kept reader: recorded, not read.
UNREAD = frozenset({"doc", "wps", "ofd", "xls", "et", "zip", "rar", "7z", "ppt", "pptx"})
_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/ofd": "ofd",
    "application/vnd.ms-works": "wps",
    "application/zip": "zip",
}
_EXT_RE = re.compile(r"\.([A-Za-z0-9]{1,5})\s*$")


def _disposition_name(value: str) -> str | None:
    message = Message()
    message["Content-Disposition"] = value
    name = message.get_filename()  # RFC 2231 filename*= decoded
    if name:
        return name
    m = re.search(r"filename\s*=\s*\"?([^\";]+)", value, re.I)
    return unquote(m.group(1)) if m else None


def file_kind(url: str, content_type: str | None = None,
              content_disposition: str | None = None) -> str | None:
    """pdf, docx, xlsx, doc, … ; "" for a file of unknown kind; None for a web page."""
    if content_disposition:
        name = _disposition_name(content_disposition) or ""
        m = _EXT_RE.search(name)
        if m and m.group(1).lower() in EXTENSIONS:
            return m.group(1).lower()
        if "attachment" in content_disposition.lower():
            guessed = _CONTENT_TYPES.get((content_type or "").split(";")[0].strip().lower())
            return guessed or attachment_extension(url) or ""
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype in _CONTENT_TYPES:
        return _CONTENT_TYPES[ctype]
    ext = attachment_extension(url)
    if ext is not None and ctype.startswith("text/html"):
        return None  # a "download" endpoint that answers a page (an error page, a login)
    return ext


__all__ = ["ATTACHMENT_MAX_BYTES", "READABLE", "UNREAD", "file_kind", "is_attachment_url"]
