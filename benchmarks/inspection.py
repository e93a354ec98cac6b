"""Cost of the 检查指标自查 scans per page: pages per second with and without them.

    python benchmarks/inspection.py [--rounds 3]

"Without" is what the spider already does to an article page (decode + extract_article);
"with" adds what issue 15 adds to every page: crawler.pagefacts.page_facts (meta tags, hidden
links, the privacy scan of the whole page text) and privacy.redact of the stored title and body.
Runs on every HTML page of the bundled demo site and on shared/realpages/pages (ZWGK_SHARED or
../shared). Prints numbers only; the README quotes them.
"""
from __future__ import annotations

import argparse
import os
import time
from datetime import date
from pathlib import Path

from zwgk.grammar.privacy import redact
from zwgk.crawler.extract import decode_html, extract_article
from zwgk.crawler.pagefacts import page_facts

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 11, 20)


def demo_pages() -> list[tuple[str, bytes, str | None]]:
    from zwgk.demosite.site import build_site

    return [("http://127.0.0.1/" + path.lstrip("/"), page.body, page.content_type)
            for path, page in build_site().items()
            if page.content_type.startswith("text/html") and page.status == 200]


def real_pages() -> list[tuple[str, bytes, str | None]]:
    shared = Path(os.environ.get("ZWGK_SHARED") or ROOT.parent / "shared")
    folder = shared / "realpages" / "pages"
    return [(f"http://example.gov.cn/{p.name}", p.read_bytes(), None)
            for p in sorted(folder.glob("*.htm*"))]


def rate(pages, with_scans: bool, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for url, body, ctype in pages:
            html = decode_html(body, ctype)
            fields = extract_article(html, url, as_of=AS_OF)
            if with_scans:
                page_facts(html, url)
                redact(fields.title)
                redact(fields.body_text)
        best = min(best, time.perf_counter() - start)
    return len(pages) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print("set        pages  without/s  with/s  cost per page")
    for name, pages in (("demo", demo_pages()), ("realpages", real_pages())):
        if not pages:
            print(f"{name:9}  (no pages found)")
            continue
        without = rate(pages, False, args.rounds)
        with_ = rate(pages, True, args.rounds)
        cost_ms = (1 / with_ - 1 / without) * 1000
        print(f"{name:9}  {len(pages):5}  {without:9.1f}  {with_:6.1f}  {cost_ms:+.2f} ms "
              f"({(without / with_ - 1) * 100:+.0f} %)")


if __name__ == "__main__":
    main()
