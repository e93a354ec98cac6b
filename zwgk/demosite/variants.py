"""Named variants of the demo site: the same bureau on a later night, for history tests and demos.

Why named: two successive audits must show new, persisting and resolved findings. The variant
``fixed`` is the declared site after the bureau repaired one defect and made a new one — both by
publishing articles, numbered after every declared article (``model.build_model``), so every
existing URL, and with it every other finding's history key, stays as it was:

- repaired: 10.1 脱贫攻坚 publishes a new article, so its ``stale`` finding is resolved;
- new: 6.1 办理结果 lists a new reply whose page answers 404, a new ``broken_link``.

``demosite.truth.expected_findings(named_model("fixed"))`` gives the variant's ground truth.

The variant ``realworld`` (issue 10) adds only ordinary documents the seed never showed, none a
defect, to 2.1 部门文件 — so its ground truth is the declared site's, and any extra finding is a
false accusation:

- a joint document numbered ``临住建发〔2026〕13号、临财发〔2026〕3号`` (13 is in the series: 14 that
  follows it is no gap after 13);
- a forwarded 国务院办公厅 document, ``国办发〔96〕25号``, written 1996 and republished this year (not
  2096, not the bureau's to renumber, no 7,000-working-day publish_lag);
- a 公告 numbered ``临江市住房和城乡建设局公告2026年第2号`` (its own numbering, not a 发文字号);
- 临住建发〔2026〕11号 posted a second time under another URL, same title: one document, no
  docno_duplicate.
"""
from __future__ import annotations

from functools import lru_cache

from zwgk.demosite.data import COLUMNS, ArticleSpec
from zwgk.demosite.model import SiteModel, build_model, site_model

FIXED = "fixed"
REALWORLD = "realworld"
EDUCATION = "education"  # not the housing bureau at all: demosite.education
VARIANTS: dict[str, tuple[tuple[str, ArticleSpec], ...]] = {
    FIXED: (
        ("10.1", ArticleSpec("2026-11-18", "2026年农村低收入群体住房安全动态监测情况")),
        ("6.1", ArticleSpec("2026-11-17", "关于市十七届人大五次会议第188号建议的答复",
                            written="2026-11-10", broken=True)),
    ),
    REALWORLD: (
        ("2.1", ArticleSpec("2026-11-13", "临江市住房和城乡建设局 临江市财政局关于做好2026年住房公积金"
                            "归集管理工作的通知", written="2026-11-09",
                            doc_number="临住建发〔2026〕13号、临财发〔2026〕3号")),
        ("2.1", ArticleSpec("2026-11-18", "临江市住房和城乡建设局关于开展2026年度城镇燃气安全"
                            "隐患排查整治的通知", written="2026-11-16",
                            doc_number="临住建发〔2026〕14号")),
        ("2.1", ArticleSpec("2026-10-27", "国务院办公厅关于加强城市规划建设管理工作的通知",
                            written="1996-05-14", doc_number="国办发〔96〕25号")),
        # The same document posted again under a second URL (one document, one identity).
        ("2.1", ArticleSpec("2026-09-18", "临江市住房和城乡建设局关于做好2026年中秋国庆期间建筑"
                            "施工安全工作的通知", written="2026-09-14",
                            doc_number="临住建发〔2026〕11号")),
        ("2.1", ArticleSpec("2026-11-06", "临江市住房和城乡建设局关于2026年度建筑业企业资质"
                            "动态核查结果的公告", written="2026-11-02",
                            doc_number="临江市住房和城乡建设局公告2026年第2号")),
    ),
}


def _column_index(item_id: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.item_id == item_id)


@lru_cache(maxsize=4)
def named_model(name: str | None) -> SiteModel:
    """The site as declared (None) or as the named variant."""
    if name is None:
        return site_model()
    if name == EDUCATION:  # another bureau, another domain (demosite.education)
        from zwgk.demosite.education import education_model

        return education_model()
    if name not in VARIANTS:
        raise ValueError(f"unknown demo variant {name!r} (known: {', '.join((*VARIANTS, EDUCATION))})")
    return build_model(COLUMNS, [(_column_index(item), spec) for item, spec in VARIANTS[name]])


@lru_cache(maxsize=4)
def named_site(name: str | None):  # -> demosite.site.DemoSite
    from zwgk.demosite.site import DemoSite, demo_site

    return demo_site() if name is None else DemoSite(named_model(name))


__all__ = ["FIXED", "REALWORLD", "VARIANTS", "named_model", "named_site"]
