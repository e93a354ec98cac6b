"""Named variants of the demo site: the same bureau on a later night, for history tests and demos.

Why named: two successive audits must show new, persisting and resolved findings. The variant
``fixed`` is the declared site after the bureau repaired one defect and made a new one — both by
publishing articles, numbered after every declared article (``model.build_model``), so every
existing URL, and with it every other finding's history key, stays as it was:

- repaired: 10.1 脱贫攻坚 publishes a new article, so its ``stale`` finding is resolved;
- new: 6.1 办理结果 lists a new reply whose page answers 404, a new ``broken_link``.

``demosite.truth.expected_findings(named_model("fixed"))`` gives the variant's ground truth.
"""
from __future__ import annotations

from functools import lru_cache

from zwgk.demosite.data import COLUMNS, ArticleSpec
from zwgk.demosite.model import SiteModel, build_model, site_model

FIXED = "fixed"
VARIANTS: dict[str, tuple[tuple[str, ArticleSpec], ...]] = {
    FIXED: (
        ("10.1", ArticleSpec("2026-11-18", "2026年农村低收入群体住房安全动态监测情况")),
        ("6.1", ArticleSpec("2026-11-17", "关于市十七届人大五次会议第188号建议的答复",
                            written="2026-11-10", broken=True)),
    ),
}


def _column_index(item_id: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.item_id == item_id)


@lru_cache(maxsize=4)
def named_model(name: str | None) -> SiteModel:
    """The site as declared (None) or as the named variant."""
    if name is None:
        return site_model()
    if name not in VARIANTS:
        raise ValueError(f"unknown demo variant {name!r} (known: {', '.join(VARIANTS)})")
    return build_model(COLUMNS, [(_column_index(item), spec) for item, spec in VARIANTS[name]])


@lru_cache(maxsize=4)
def named_site(name: str | None):  # -> demosite.site.DemoSite
    from zwgk.demosite.site import DemoSite, demo_site

    return demo_site() if name is None else DemoSite(named_model(name))


__all__ = ["FIXED", "VARIANTS", "named_model", "named_site"]
