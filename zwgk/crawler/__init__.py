"""Fetching and extraction: Scrapy spiders, list-page readers, article extractors, the store.

Knows pages, not rules: nothing here decides whether a date is late.
"""
