"""Where the system Chromium is: shared by the crawler (pages that need a browser) and the report
screenshots, so both find the same binary the same way. Never a browser download: the Debian
package ``chromium``, or the binary $ZWGK_CHROMIUM names."""
from __future__ import annotations

import os
import shutil

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class ChromiumNotFound(Exception):
    """No browser binary on this machine."""


def find_chromium(explicit: str | None = None) -> str:
    """The browser binary: ``explicit``, else $ZWGK_CHROMIUM, else the first one on PATH."""
    for candidate in (explicit, os.environ.get("ZWGK_CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate:
            found = shutil.which(candidate)
            if found:
                return found
    raise ChromiumNotFound("no Chromium found: install it (Debian: apt-get install chromium) or "
                           "pass --browser / set ZWGK_CHROMIUM")


__all__ = ["CHROMIUM_CANDIDATES", "ChromiumNotFound", "find_chromium"]
