"""Attachments: which links are files, what kind, and their text (PDF, DOCX, XLSX).

Kept apart from the page extractors so that other readers (a privacy scan of attachment text)
can use ``read_attachment`` on bytes they hold, without a crawl. Recognition of attachment URLs
is the audit's grammar (zwgk/grammar/attachment_urls.py); the server's headers refine it here.
"""
from zwgk.crawler.attachments.kinds import (ATTACHMENT_MAX_BYTES, READABLE, UNREAD, file_kind,
                                            is_attachment_url)
from zwgk.crawler.attachments.read import AttachmentText, read_attachment

__all__ = ["ATTACHMENT_MAX_BYTES", "READABLE", "UNREAD", "file_kind", "is_attachment_url",
           "AttachmentText", "read_attachment"]
