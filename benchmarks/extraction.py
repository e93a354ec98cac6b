"""zwgk's article extraction side by side with htmldate and GNE on the real-page gold set.

    python benchmarks/extraction.py [SHARED_DIR] [--rounds N]

Prints one Markdown table (the README quotes it): publish-date accuracy, 成文日期 accuracy, 文号
accuracy and pages per second for

- zwgk           crawler.extract.extract_article (every field, body and links included);
- htmldate fast  htmldate.find_date(html, extensive_search=False, original_date=True);
- htmldate ext.  htmldate.find_date(html, extensive_search=True, original_date=True);
- GNE            gne.GeneralNewsExtractor().extract(html)["publish_time"] (title, author and
                 body are extracted too; it raises on pages where it finds no body: no date then).

Each tool is run twice over the article pages of shared/realpages/manifest.tsv: once on the HTML
alone, once with the page's URL as well where the manifest knows it (zwgk and htmldate read dates
in URLs; GNE takes no URL). Every tool gets the same decoded text (decoding is not timed). The
peers print no 成文日期 or 文号: "n/a". Their date strings ("2018年12月21日", "2019-07-10 10:43")
are normalised to ISO days outside the timed runs, generously (any date in the string).

Speed: same process, same pages, every tool timed once per round with the order rotating,
median over the rounds of the process's CPU time (crawler.extract.evaluate.interleaved_rates).
The machine is shared: compare the rows of one run, not numbers across runs.
"""
from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, installed or not

from zwgk.crawler.extract import extract_article  # noqa: E402
from zwgk.crawler.extract.dates import find_date  # noqa: E402
from zwgk.crawler.extract.evaluate import (  # noqa: E402
    GOLD_AS_OF, GoldPage, as_text, interleaved_rates, load_gold, read_page, score, shared_dir,
)

# One extractor: (html, url or "") -> {field: value as manifest text}; absent field = no output.
Extractor = Callable[[str, str], dict[str, str]]


@dataclass
class Row:
    name: str
    accuracy_html: dict[str, float | None]
    accuracy_url: dict[str, float | None]
    rate_html: float = 0.0
    rate_url: float = 0.0
    accuracy_renamed: dict[str, float | None] | None = None


def _iso(value: object) -> str:
    """A peer's date output as an ISO day ("" when none)."""
    if not value:
        return ""
    text = str(value)
    found = find_date(text)
    if found is None:
        import dateparser

        parsed = dateparser.parse(text, settings={"RETURN_AS_TIMEZONE_AWARE": False})
        found = parsed.date() if parsed else None
    return found.isoformat() if found else ""


def _zwgk(html: str, url: str) -> dict[str, str]:
    return as_text(extract_article(html, url, as_of=GOLD_AS_OF))


def _peers() -> dict[str, tuple[Callable[[str, str], object], Callable[[object], dict[str, str]]]]:
    """name -> (the timed call, the untimed conversion of its result)."""
    from gne import GeneralNewsExtractor
    from htmldate import find_date as htmldate_find_date

    gne = GeneralNewsExtractor()
    max_date = GOLD_AS_OF.isoformat()

    def htmldate(extensive: bool) -> Callable[[str, str], object]:
        def call(html: str, url: str) -> object:
            return htmldate_find_date(html, extensive_search=extensive, original_date=True,
                                      url=url or None, max_date=max_date)
        return call

    def gne_call(html: str, url: str) -> object:
        try:
            return gne.extract(html).get("publish_time")
        except Exception:  # NoContentException and parse errors: the page yields nothing
            return None

    def date_only(result: object) -> dict[str, str]:
        return {"publish_date": _iso(result)}

    return {
        "htmldate fast (`extensive_search=False`)": (htmldate(False), date_only),
        "htmldate extensive (`extensive_search=True`)": (htmldate(True), date_only),
        "GNE 0.4 (`publish_time`)": (lambda html, url: gne_call(html, ""), date_only),
    }


def rename_labels(html: str) -> str:
    """The mutation of issue 11: a site that labels its date 更新日期 / 更新时间 instead of
    发布日期 / 发布时间 (HTML only: the label alone must carry the date)."""
    return html.replace("发布日期", "更新日期").replace("发布时间", "更新时间")


def run(shared: Path, rounds: int) -> tuple[list[Row], int, list[str]]:
    realpages = shared / "realpages"
    gold: list[GoldPage] = load_gold(realpages)
    texts = [read_page(realpages, p) for p in gold]
    html_only = [(t, "") for t in texts]
    with_url = [(t, p.url) for t, p in zip(texts, gold)]
    renamed = [(rename_labels(t), "") for t in texts]
    calls: dict[str, Callable[[str, str], object]] = {"zwgk": lambda h, u: extract_article(h, u, as_of=GOLD_AS_OF)}
    convert: dict[str, Callable[[object], dict[str, str]]] = {"zwgk": lambda f: as_text(f)}  # type: ignore[arg-type]
    for name, (call, conv) in _peers().items():
        calls[name], convert[name] = call, conv
    rows: list[Row] = []
    misses: list[str] = []
    for name, call in calls.items():
        acc = {}
        for label, inputs in (("html", html_only), ("url", with_url)):
            outputs = [convert[name](call(h, u)) for h, u in inputs]
            acc[label], missed = score(gold, outputs)
            misses += [f"{name} [{label}] {f} {fld}: got {got!r}, want {want!r}"
                       for f, fld, got, want in missed if fld == "publish_date" or name == "zwgk"]
        outputs = [convert[name](call(h, u)) for h, u in renamed]
        renamed_acc, missed = score(gold, outputs)
        misses += [f"{name} [renamed] {f} {fld}: got {got!r}, want {want!r}"
                   for f, fld, got, want in missed if fld == "publish_date"]
        rows.append(Row(name, acc["html"], acc["url"], accuracy_renamed=renamed_acc))

    def runner(call: Callable[[str, str], object], inputs: list[tuple[str, str]]) -> Callable[[], None]:
        def go() -> None:
            for h, u in inputs:
                call(h, u)
        return go

    timed = {}
    for name, call in calls.items():
        timed[(name, "html")] = runner(call, html_only)
        timed[(name, "url")] = runner(call, with_url)
    rates = interleaved_rates(timed, len(gold), rounds)  # type: ignore[arg-type]
    for row in rows:
        row.rate_html, row.rate_url = rates[(row.name, "html")], rates[(row.name, "url")]
    return rows, len(gold), misses


def _cell(value: float | None, pages: int) -> str:
    if value is None:
        return "n/a"
    return f"{value:.2f} ({round(value * pages)}/{pages})"


def table(rows: list[Row], pages: int) -> str:
    head = ("| extractor | publish date, HTML only | publish date, HTML + URL | publish date, labels "
            "renamed 更新日期/更新时间 (HTML only) | 成文日期 | 文号 | pages/s, HTML only | pages/s, HTML + URL |")
    lines = [head, "|---|---|---|---|---|---|---:|---:|"]
    for r in rows:
        lines.append(
            f"| {r.name} | {_cell(r.accuracy_html['publish_date'], pages)} "
            f"| {_cell(r.accuracy_url['publish_date'], pages)} "
            f"| {_cell((r.accuracy_renamed or {}).get('publish_date'), pages)} "
            f"| {_cell(r.accuracy_url['written_date'], pages)} | {_cell(r.accuracy_url['doc_number'], pages)} "
            f"| {r.rate_html:.0f} | {r.rate_url:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("shared", nargs="?", type=Path, default=None, help="the shared folder (holds realpages/)")
    parser.add_argument("--rounds", type=int, default=15, help="timing rounds per tool and input (median)")
    parser.add_argument("--misses", action="store_true", help="also list every wrong answer")
    args = parser.parse_args(argv)
    shared = args.shared or shared_dir()
    if not (shared / "realpages" / "manifest.tsv").is_file():
        print(f"no gold set at {shared / 'realpages'} (set ZWGK_SHARED)", file=sys.stderr)
        return 2
    try:
        import gne  # noqa: F401
        import htmldate  # noqa: F401
    except ImportError as err:
        print(f"{err.name} is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    logging.disable(logging.WARNING)  # peers log parse warnings on odd markup
    rows, pages, misses = run(shared, args.rounds)
    print(f"{pages} article pages of shared/realpages (as of {GOLD_AS_OF}), {date.today()}; "
          f"accuracy = share of pages where the tool gives exactly the date/文号 a person reads "
          f"(none where the page shows none); 成文日期 and 文号 with the URL given")
    print()
    print(table(rows, pages))
    if args.misses:
        print()
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
