"""The demo site resolved: every declared article given its id, URL, list page and derived dates.

Why a separate step: the renderer and the ground truth must agree on URLs and dates to the byte,
so both read this one resolved model instead of re-deriving anything from ``data``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Collection, Sequence

from zwgk.demosite.data import (COLUMNS, HANWEB, NEXTLINK, PAGE_SIZE, QUERY, SITE_NAME, TRS, ArticleSpec,
                                ColumnSpec)

_COLNO_RE = re.compile(r"col/col(\d+)/")
_CATID_RE = re.compile(r"catid=(\d+)")
_FIRST_ID = 4701  # TRS-style document ids are large running numbers


@dataclass(eq=False)
class Article:
    spec: ArticleSpec
    item_id: str | None
    column_index: int
    id: int
    path: str                  # request path, leading "/" (query string included for query style)
    published: date
    written: date | None       # 成文日期 as shown on the page (None: the page shows none)
    meeting: date | None
    list_page: str = ""        # the list page path the entry appears on
    policy: "Article | None" = None  # 3.1: the interpreted policy

    @property
    def title(self) -> str:
        return self.spec.title


@dataclass(eq=False)
class Column:
    spec: ColumnSpec
    index: int
    articles: list[Article] = field(default_factory=list)  # list order: newest first
    list_pages: list[str] = field(default_factory=list)    # request paths, page order

    @property
    def style(self) -> str:
        return self.spec.style

    @property
    def path(self) -> str:
        return "/" + self.spec.url

    @property
    def directory(self) -> str:
        """The column folder, leading and trailing "/" (TRS, nextlink, Hanweb)."""
        return "/" + self.spec.url.rsplit("/", 1)[0] + "/"

    @property
    def colno(self) -> int:
        m = _COLNO_RE.search(self.spec.url)
        return int(m.group(1)) if m else 0

    @property
    def unitid(self) -> int:
        return self.colno + 3366 if self.colno else 0

    @property
    def catid(self) -> int:
        m = _CATID_RE.search(self.spec.url)
        return int(m.group(1)) if m else 0

    @property
    def live(self) -> list[Article]:
        return [a for a in self.articles if not a.spec.broken]


@dataclass(eq=False)
class SiteModel:
    columns: list[Column]
    name: str = SITE_NAME  # the bureau (another one for a demo of another domain)

    @property
    def articles(self) -> list[Article]:
        return [a for c in self.columns for a in c.articles]

    def column(self, item_id: str) -> Column:
        for c in self.columns:
            if c.spec.item_id == item_id:
                return c
        raise KeyError(item_id)

    @property
    def news(self) -> Column:
        return next(c for c in self.columns if c.spec.item_id is None)

    def by_colno(self, colno: int) -> Column | None:
        return next((c for c in self.columns if c.style == HANWEB and c.colno == colno), None)


def _article_path(column: Column, published: date, art_id: int) -> str:
    if column.style == TRS:
        return f"{column.directory}{published:%Y%m}/t{published:%Y%m%d}_{art_id}.html"
    if column.style == HANWEB:
        return (f"/art/{published.year}/{published.month}/{published.day}/"
                f"art_{column.colno}_{art_id}.html")
    if column.style == QUERY:
        return f"/hdjl/show.php?catid={column.catid}&id={art_id}"
    if column.style == NEXTLINK:
        return f"{column.directory}content_{art_id}.html"
    raise ValueError(column.style)


def list_page_path(column: Column, page: int) -> str:
    """Path of list page ``page`` (0-based) in the column's own pagination scheme."""
    if column.style == TRS:
        return column.path if page == 0 else f"{column.directory}index_{page}.html"
    if column.style == NEXTLINK:
        return column.path if page == 0 else f"{column.directory}list_{page + 1}.html"
    if column.style == QUERY:
        return f"/hdjl/list.php?catid={column.catid}&page={page + 1}"
    return column.path  # Hanweb: one page, the rest through dataproxy.jsp


def _written(spec: ArticleSpec, column: ColumnSpec, published: date, art_id: int) -> date | None:
    """Hanweb info tables always show a 成文日期; elsewhere only declared ones are shown."""
    if spec.written:
        return date.fromisoformat(spec.written)
    if column.style == HANWEB and spec.page is None:  # a page variant shows no info table
        return published - timedelta(days=1 + art_id % 3)
    return None


@lru_cache(maxsize=1)
def site_model() -> SiteModel:
    """The demo site exactly as ``data`` declares it (the one the ground truth describes)."""
    return build_model(COLUMNS)


def build_model(specs: Sequence[ColumnSpec], added: Sequence[tuple[int, ArticleSpec]] = (),
                removed: Collection[str] = (), name: str = SITE_NAME) -> SiteModel:
    """Resolve column declarations into a site.

    ``added``: (column index, article) pairs numbered after every declared article, so adding
    them leaves every existing URL as it was (a site that published new documents overnight).
    ``removed``: article paths withdrawn — gone from their list and answering 404."""
    columns = [Column(spec, i) for i, spec in enumerate(specs)]
    order = sorted(((date.fromisoformat(a.published), c.index, j)
                    for c in columns for j, a in enumerate(c.spec.articles)))
    ids = {(ci, j): _FIRST_ID + rank for rank, (_, ci, j) in enumerate(order)}
    later = sorted(((date.fromisoformat(a.published), ci, k) for k, (ci, a) in enumerate(added)))
    added_ids = {k: _FIRST_ID + len(order) + rank for rank, (_, _, k) in enumerate(later)}
    declared = [[(ids[(c.index, j)], spec) for j, spec in enumerate(c.spec.articles)]
                for c in columns]
    for k, (ci, spec) in enumerate(added):
        declared[ci].append((added_ids[k], spec))
    for c in columns:
        made = []
        for art_id, spec in declared[c.index]:
            published = date.fromisoformat(spec.published)
            made.append(Article(
                spec=spec, item_id=c.spec.item_id, column_index=c.index, id=art_id,
                path=_article_path(c, published, art_id), published=published,
                written=_written(spec, c.spec, published, art_id),
                meeting=date.fromisoformat(spec.meeting) if spec.meeting else None))
        c.articles = sorted(made, key=lambda a: (a.published, a.id), reverse=True)
    by_docno = {a.spec.doc_number: a for c in columns for a in c.articles
                if a.spec.doc_number and c.spec.kind == "doc"}
    for a in (a for c in columns for a in c.articles):
        if a.spec.policy:
            a.policy = by_docno[a.spec.policy]
    gone = set(removed)
    for c in columns:
        if gone:
            c.articles = [a for a in c.articles if a.path not in gone]
        size = PAGE_SIZE[c.style]
        pages = 1 if c.style == HANWEB else max(1, -(-len(c.articles) // size))
        c.list_pages = [list_page_path(c, p) for p in range(pages)]
        for k, a in enumerate(c.articles):
            a.list_page = c.list_pages[0 if c.style == HANWEB else k // size]
    return SiteModel(columns, name)


__all__ = ["Article", "Column", "SiteModel", "site_model", "build_model", "list_page_path"]
