"""Which links are files (attachments) rather than pages: the one grammar, used by the audit
(content_missing, date rules) and by the crawler (which attachments to fetch and read).

Why more than the path's extension: CMS download endpoints hide the file behind a script —
Hanweb's ``/module/download/downfile.jsp?classid=0&filename=x.pdf``, ``download.jsp?fileName=…``,
``/attach/download?id=…`` — and an attachment-only article linked that way looked like a page
without content (content_missing). The server's ``Content-Disposition`` / ``Content-Type`` say
the rest when the crawler fetches it (crawler/attachments).
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit

# File extensions of attachments, lower case. Readable ones are read by crawler/attachments.
EXTENSIONS = frozenset("pdf doc docx xls xlsx wps et ofd zip rar 7z txt csv ppt pptx jpg jpeg png "
                       "gif".split())
_EXT_RE = re.compile(r"\.([A-Za-z0-9]{1,5})$")
# Script endpoints that hand out files whatever their query says.
_ENDPOINT_RE = re.compile(r"(?:^|/)(?:down(?:load)?file|download|downloadfile|filedown|getfile|"
                          r"attachment|attach_download|fujian)(?:\.(?:jsp|do|action|aspx?|php))?$",
                          re.IGNORECASE)
# Query parameters naming the file.
_NAME_PARAMS = frozenset({"filename", "file_name", "name", "file", "fname", "attachname",
                          "realname", "filepath", "path"})


def _extension(name: str) -> str | None:
    m = _EXT_RE.search(unquote(name).strip())
    ext = m.group(1).lower() if m else None
    return ext if ext in EXTENSIONS else None


def attachment_extension(url: str) -> str | None:
    """The file extension an attachment URL shows (path, or a filename= query value); "" for a
    download endpoint that does not show one; None for a page."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    ext = _extension(parts.path)
    if ext:
        return ext
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in _NAME_PARAMS:
            ext = _extension(value)
            if ext:
                return ext
    return "" if _ENDPOINT_RE.search(parts.path.rstrip("/")) else None


@lru_cache(maxsize=1 << 18)  # the audit asks for the same articles' URLs in every rule
def is_attachment_url(url: str) -> bool:
    """A file (PDF, Word, Excel, archive, image) rather than a page."""
    return attachment_extension(url) is not None


__all__ = ["EXTENSIONS", "attachment_extension", "is_attachment_url"]
