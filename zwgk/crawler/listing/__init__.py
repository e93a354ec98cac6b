"""List-page reading: entries and further pages of a column, for any CMS (see docs/listing.md)."""
from .parse import parse_list
from .types import ListEntry, ListPage

__all__ = ["ListEntry", "ListPage", "parse_list"]
