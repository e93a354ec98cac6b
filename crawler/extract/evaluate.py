"""Evaluation of the extractors on the real-page gold set: accuracy per field, and speed.

    python -m crawler.extract.evaluate            # accuracy + pages/second
    python -m crawler.extract.evaluate --htmldate # also time htmldate (extensive_search=False)

Why in the repo (htmldate/trafilatura habit): a change to a rule must show its effect on the gold
set; tests/test_extract_realpages.py pins the floors (tests/gold/floors.json), this script shows
the details (which page, which field, what was found).
"""
from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from .core import extract_article
from .encoding import decode_html
from .types import ArticleFields

FIELDS = ("publish_date", "written_date", "doc_number")
GOLD_AS_OF = date(2026, 11, 25)  # the as-of date the gold set is judged at


@dataclass(frozen=True)
class GoldPage:
    """One article page of the gold set and what a person reads on it."""

    file: str
    url: str
    expected: dict[str, str]  # field -> value as text ("" = none)


@dataclass
class Evaluation:
    accuracy: dict[str, float]
    pages: int
    mismatches: list[tuple[str, str, str, str]] = field(default_factory=list)  # file, field, got, want


def shared_dir() -> Path:
    """The shared folder: $ZWGK_SHARED, else the repository's parent / shared."""
    env = os.environ.get("ZWGK_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared"


def load_gold(realpages: Path) -> list[GoldPage]:
    """Article rows of realpages/manifest.tsv (list pages carry no article fields)."""
    with (realpages / "manifest.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        GoldPage(row["file"], row.get("source_url", "") or "", {f: (row.get(f) or "").strip() for f in FIELDS})
        for row in rows
        if row.get("page_kind") == "article"
    ]


def as_text(fields: ArticleFields) -> dict[str, str]:
    """The evaluated fields as manifest-style text."""
    return {
        "publish_date": fields.publish_date.isoformat() if fields.publish_date else "",
        "written_date": fields.written_date.isoformat() if fields.written_date else "",
        "doc_number": fields.doc_number or "",
    }


def evaluate(realpages: Path, as_of: date = GOLD_AS_OF) -> Evaluation:
    pages = load_gold(realpages)
    right = dict.fromkeys(FIELDS, 0)
    result = Evaluation(accuracy={}, pages=len(pages))
    for page in pages:
        html = decode_html((realpages / "pages" / page.file).read_bytes())
        got = as_text(extract_article(html, page.url, as_of=as_of))
        for name in FIELDS:
            if got[name] == page.expected[name]:
                right[name] += 1
            else:
                result.mismatches.append((page.file, name, got[name], page.expected[name]))
    result.accuracy = {name: (right[name] / len(pages) if pages else 0.0) for name in FIELDS}
    return result


def pages_per_second(htmls: list[str], run: Callable[[str], object], rounds: int = 15) -> float:
    """Best-of-`rounds` throughput over all pages (one warm-up round first)."""
    for html in htmls:
        run(html)
    best = min(_timed(htmls, run) for _ in range(rounds))
    return len(htmls) / best if best > 0 else float("inf")


def _timed(htmls: list[str], run: Callable[[str], object]) -> float:
    start = time.perf_counter()
    for html in htmls:
        run(html)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", nargs="?", type=Path, default=None, help="the shared folder (holds realpages/)")
    parser.add_argument("--htmldate", action="store_true", help="also time htmldate with extensive_search=False")
    args = parser.parse_args(argv)
    realpages = (args.shared or shared_dir()) / "realpages"
    if not (realpages / "manifest.tsv").is_file():
        print(f"no gold set at {realpages} (set ZWGK_SHARED)", file=sys.stderr)
        return 2
    result = evaluate(realpages)
    print(f"{result.pages} article pages, as of {GOLD_AS_OF}")
    for name, value in result.accuracy.items():
        print(f"  {name:13s} {value:.3f}")
    for file, name, got, want in result.mismatches:
        print(f"  MISS {file} {name}: got {got!r}, want {want!r}")
    htmls = [decode_html(p.read_bytes()) for p in sorted((realpages / "pages").glob("*.html"))]
    ours = pages_per_second(htmls, lambda h: extract_article(h, as_of=GOLD_AS_OF))
    print(f"extract_article: {ours:.0f} pages/s over {len(htmls)} pages")
    if args.htmldate:
        try:
            from htmldate import find_date
        except ImportError:
            print("htmldate not installed", file=sys.stderr)
            return 0
        ratios = []
        for _ in range(5):
            theirs = pages_per_second(htmls, lambda h: find_date(h, extensive_search=False), rounds=3)
            mine = pages_per_second(htmls, lambda h: extract_article(h, as_of=GOLD_AS_OF), rounds=3)
            ratios.append(mine / theirs)
        print(f"htmldate (extensive_search=False): ours/htmldate speed ratio {statistics.median(ratios):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
