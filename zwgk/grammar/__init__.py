"""Grammars shared by the crawler and the audit, so neither imports the other and no concept has
two copies that drift: the 文号 (docnumber), attachment URLs (attachment_urls), personal numbers
and their masking (privacy), and the site's "today" in Beijing time (asof)."""
