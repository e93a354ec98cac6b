"""Evaluation of the extractors on the real-page gold set: accuracy per field, and speed.

    python -m zwgk.crawler.extract.evaluate            # accuracy, every miss, pages/second
    python benchmarks/extraction.py               # the same gold set, side by side with htmldate and GNE

Why in the repo (htmldate/trafilatura habit): a change to a rule must show its effect on the gold
set; tests/test_extract_realpages.py pins the floors (tests/gold/floors.json), this script shows
the details (which page, which field, what was found). The gold loading, scoring and timing here
are shared with the peer benchmark so both measure exactly the same thing.
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
from typing import Callable, Mapping, Sequence

from .core import extract_article
from .encoding import decode_html
from .types import ArticleFields

FIELDS = ("publish_date", "written_date", "doc_number")
GOLD_AS_OF = date(2026, 11, 25)  # the as-of date the gold set is judged at

# What an extractor returns for one page: field -> value as manifest text ("" = none). A field the
# extractor has no output for is simply absent (reported "n/a", never scored).
Output = Mapping[str, str]


@dataclass(frozen=True)
class GoldPage:
    """One article page of the gold set and what a person reads on it."""

    file: str
    url: str  # the page's address when the manifest knows it, else ""
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
        GoldPage(row["file"], (row.get("source_url") or "").strip(),
                 {f: (row.get(f) or "").strip() for f in FIELDS})
        for row in rows
        if row.get("page_kind") == "article"
    ]


def read_page(realpages: Path, page: GoldPage) -> str:
    """The page's text, decoded the way the crawler decodes a response without an HTTP charset."""
    return decode_html((realpages / "pages" / page.file).read_bytes())


def as_text(fields: ArticleFields) -> dict[str, str]:
    """The evaluated fields as manifest-style text."""
    return {
        "publish_date": fields.publish_date.isoformat() if fields.publish_date else "",
        "written_date": fields.written_date.isoformat() if fields.written_date else "",
        "doc_number": fields.doc_number or "",
    }


def score(pages: Sequence[GoldPage], outputs: Sequence[Output]) -> tuple[dict[str, float | None], list[tuple[str, str, str, str]]]:
    """Accuracy per field (None when the extractor has no output for the field) and the misses."""
    accuracy: dict[str, float | None] = {}
    misses: list[tuple[str, str, str, str]] = []
    for name in FIELDS:
        if not pages or any(name not in out for out in outputs):
            accuracy[name] = None
            continue
        right = 0
        for page, out in zip(pages, outputs):
            if out[name] == page.expected[name]:
                right += 1
            else:
                misses.append((page.file, name, out[name], page.expected[name]))
        accuracy[name] = right / len(pages)
    return accuracy, misses


def evaluate(realpages: Path, as_of: date = GOLD_AS_OF, use_url: bool = True) -> Evaluation:
    """zwgk's accuracy on the gold set (with the page URL when the manifest has it)."""
    pages = load_gold(realpages)
    outputs = [
        as_text(extract_article(read_page(realpages, p), p.url if use_url else "", as_of=as_of))
        for p in pages
    ]
    accuracy, misses = score(pages, outputs)
    return Evaluation({k: v or 0.0 for k, v in accuracy.items()}, len(pages), misses)


def interleaved_rates(
    runners: Mapping[str, Callable[[], object]], pages: int, rounds: int = 9
) -> dict[str, float]:
    """Median pages per second of each runner (one call = one pass over `pages` pages).

    Why interleaved, median and CPU time: on a shared machine the load changes from second to
    second; timing each extractor in turn within every round, rotating who goes first, exposes
    all of them to the same conditions, the median ignores a round that a neighbour disturbed,
    and the process's CPU time (not wall time) leaves out the moments another process held the
    core. Every extractor is single-threaded, so on an idle machine both are the same.
    One warm-up pass each first (imports, caches, lazy regex compilation).
    """
    names = list(runners)
    for name in names:
        runners[name]()
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for round_no in range(rounds):
        shift = round_no % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.process_time()
            runners[name]()
            seconds[name].append(time.process_time() - start)
    return {name: pages / statistics.median(values) for name, values in seconds.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("shared", nargs="?", type=Path, default=None, help="the shared folder (holds realpages/)")
    parser.add_argument("--no-url", action="store_true", help="extract from the HTML alone (no page URL)")
    parser.add_argument("--rounds", type=int, default=9, help="timing rounds (median is reported)")
    args = parser.parse_args(argv)
    realpages = (args.shared or shared_dir()) / "realpages"
    if not (realpages / "manifest.tsv").is_file():
        print(f"no gold set at {realpages} (set ZWGK_SHARED)", file=sys.stderr)
        return 2
    result = evaluate(realpages, use_url=not args.no_url)
    print(f"{result.pages} article pages, as of {GOLD_AS_OF}")
    for name, value in result.accuracy.items():
        print(f"  {name:13s} {value:.3f}")
    for file, name, got, want in result.mismatches:
        print(f"  MISS {file} {name}: got {got!r}, want {want!r}")
    gold = load_gold(realpages)
    inputs = [(read_page(realpages, p), "" if args.no_url else p.url) for p in gold]

    def run() -> None:
        for html, url in inputs:
            extract_article(html, url, as_of=GOLD_AS_OF)

    rate = interleaved_rates({"zwgk": run}, len(inputs), args.rounds)["zwgk"]
    print(f"extract_article: {rate:.0f} pages/s over {len(inputs)} pages (median of {args.rounds})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
