"""The audit's results kept per run, so ``zwgk report`` renders them instead of auditing again.

An audit is a pure function of (catalog, crawled run, as-of date, calendar, zwgk's own code). The
crawled run is fixed once the run is finished; the rest is summed up in one key. Results saved
under the same key are the results a new audit would compute, so a report reads them; any other
key (the catalog was edited, another --as-of or --calendar, other audit code) means the
stored results are stale, and the report audits again (and says why on stderr).
"""
from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any


def inputs_key(config: Any, as_of: date, calendar_file: str | None) -> str:
    """SHA-256 over everything an audit of a stored run reads besides the run itself: the
    parsed catalog (its repr: every item, rule and setting), the as-of date, the calendar file's
    bytes and the audit's code (zwgk.audit.reuse.code_fingerprint)."""
    from zwgk.audit.reuse import code_fingerprint

    digest = hashlib.sha256()
    digest.update(f"zwgk {code_fingerprint()}\nas_of {as_of.isoformat()}\n".encode())
    digest.update(repr(config).encode("utf-8"))
    if calendar_file:
        digest.update(b"\ncalendar\n")
        digest.update(Path(calendar_file).read_bytes())
    return digest.hexdigest()


def stored_results(store: Any, run_id: int, key: str) -> tuple[list[dict[str, Any]] | None, str]:
    """(the run's saved item results, "") when they were computed from ``key``; else (None, why
    they cannot be used)."""
    saved = store.stored_payload(run_id)
    if saved is None:
        return None, "this run has no saved audit results"
    if saved[0] != key:
        return None, ("the saved audit results were computed from another catalog, as-of date, "
                      "calendar or audit code")
    return saved[1], ""


__all__ = ["inputs_key", "stored_results"]
