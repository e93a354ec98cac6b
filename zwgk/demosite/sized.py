"""The demo site at any size, and the same site after a night of changes (benchmarks, crawl tests).

Why a variant and not a second site: a crawl benchmark must read the same markup as the audited
demo, only more of it. ``variant_model(articles=20000)`` keeps every declared article (and so every
seeded defect) and pads the catalog columns with older filler articles; ``new=K`` then publishes K
more articles on top of the lists (numbered after every existing one, so no existing URL moves) and
``removed`` withdraws articles (gone from the list, their page answers 404).

The declared site (``variant_model()`` with no arguments) is exactly ``model.site_model()``.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache

from zwgk.demosite.data import COLUMNS, DEMO_AS_OF, ArticleSpec, ColumnSpec
from zwgk.demosite.model import SiteModel, build_model, site_model

# Filler is spread over the catalog columns that list articles; 政策解读 is left alone (each of
# its articles must interpret a real policy), as are the empty and the failing column.
_FILLER_PER_DAY = 3


def _fillable(specs: tuple[ColumnSpec, ...]) -> list[int]:
    return [i for i, c in enumerate(specs)
            if c.item_id is not None and c.status == 200 and c.articles and c.kind != "interpretation"]


def declared_count() -> int:
    """How many article pages the declared site has (the smallest size)."""
    return sum(len(c.articles) for c in COLUMNS)


def _filler(column: ColumnSpec, k: int, oldest: date) -> ArticleSpec:
    published = oldest - timedelta(days=1 + k // _FILLER_PER_DAY)
    return ArticleSpec(published.isoformat(),
                       f"临江市住房和城乡建设局{column.name}信息（{published.year}年第{k + 1}期）")


def _padded(articles: int) -> tuple[ColumnSpec, ...]:
    base = declared_count()
    if articles < base:
        raise ValueError(f"the demo site has at least {base} articles (asked for {articles})")
    targets = _fillable(COLUMNS)
    extra = [0] * len(COLUMNS)
    for n in range(articles - base):
        extra[targets[n % len(targets)]] += 1
    out = []
    for i, spec in enumerate(COLUMNS):
        if not extra[i]:
            out.append(spec)
            continue
        oldest = min(date.fromisoformat(a.published) for a in spec.articles)
        filler = tuple(_filler(spec, k, oldest) for k in range(extra[i]))
        out.append(replace(spec, articles=spec.articles + filler))
    return tuple(out)


def _new_articles(specs: tuple[ColumnSpec, ...], count: int) -> list[tuple[int, ArticleSpec]]:
    targets = _fillable(specs)
    out = []
    for n in range(count):
        ci = targets[n % len(targets)]
        out.append((ci, ArticleSpec(DEMO_AS_OF.isoformat(),
                                    f"临江市住房和城乡建设局{specs[ci].name}最新信息（第{n + 1}条）")))
    return out


@lru_cache(maxsize=4)
def variant_model(articles: int | None = None, new: int = 0,
                  removed: tuple[str, ...] = ()) -> SiteModel:
    """The site with ``articles`` article pages in all (None: as declared), ``new`` articles
    published on top of the lists on DEMO_AS_OF, and the ``removed`` paths withdrawn."""
    if articles is None and not new and not removed:
        return site_model()
    if new < 0:
        raise ValueError("new must be >= 0")
    specs = _padded(articles) if articles is not None else COLUMNS
    return build_model(specs, _new_articles(specs, new), frozenset(removed))


__all__ = ["variant_model", "declared_count"]
