"""The generic list reader on list markup of CMS families beyond TRS and Hanweb (issue 11 item
5), inside the usual page furniture (header navigation, a dated sidebar, a dated footer):
开普云 (ucap) lists, newer 大汉 templates, 南威 tables, 中国政府网-style ``zhengce`` lists, and a Vue
front-end rendered by its browser (cards with the date in a badge). Every entry, its date, and
nothing from the sidebar."""
from __future__ import annotations

from datetime import date

import pytest

from test_listing_styles import SIDEBAR_ITEMS, SITE, page
from zwgk.crawler.listing import parse_list

ITEMS = [(f"/xxgk/tzgg/2026{m:02d}/t2026{m:02d}{d:02d}_{100 + i}.html",
          f"关于{t}的通知", date(2026, m, d))
         for i, (t, m, d) in enumerate([("开展住房保障核查", 11, 12), ("做好冬季施工安全", 11, 3),
                                        ("公布物业服务收费标准", 10, 28), ("征集城市更新项目", 10, 9),
                                        ("调整公积金贷款额度", 9, 30), ("印发工作要点", 9, 2)])]


def _kaipu() -> str:  # 开普云 ucap: ul.news_list, title attr, date in a trailing span
    rows = "".join(f'<li><i class="dot"></i><a href="{h}" target="_blank" title="{t}">{t}</a>'
                   f'<span class="time">{d:%Y-%m-%d}</span></li>' for h, t, d in ITEMS)
    return f'<div class="ucap-list"><ul class="news_list">{rows}</ul></div><div class="page">共1页</div>'


def _dahan_new() -> str:  # newer 大汉: div rows with title div and date div, 年月日 dates
    rows = "".join(f'<div class="list-item"><div class="item-title"><a href="{h}">{t}</a></div>'
                   f'<div class="item-date">{d.year}年{d.month:02d}月{d.day:02d}日</div></div>'
                   for h, t, d in ITEMS)
    return f'<div class="default_pgContainer"><div class="list-body">{rows}</div></div>'


def _nanwei() -> str:  # 南威: a table with 序号 / 标题 / 发布日期 headers
    rows = "".join(f'<tr><td>{i + 1}</td><td class="title"><a href="{h}">{t}</a></td>'
                   f'<td>{d:%Y-%m-%d}</td></tr>' for i, (h, t, d) in enumerate(ITEMS))
    return ('<table class="table-list"><thead><tr><th>序号</th><th>标题</th><th>发布日期</th></tr>'
            f'</thead><tbody>{rows}</tbody></table>')


def _zhengce() -> str:  # 中国政府网 zhengce: h4 > a + span.date, dates with dots
    rows = "".join(f'<li><h4><a href="{h}" target="_blank">{t}</a><span class="date">'
                   f'{d:%Y.%m.%d}</span></h4></li>' for h, t, d in ITEMS)
    return f'<div class="list list_1 list_2"><ul>{rows}</ul></div>'


def _vue_cards() -> str:  # a Vue front-end after rendering: cards, date in a badge before the title
    rows = "".join(f'<div data-v-5f2a class="card"><div data-v-5f2a class="badge">{d:%Y-%m-%d}</div>'
                   f'<a data-v-5f2a href="{h}" class="card-title"><p data-v-5f2a>{t}</p></a></div>'
                   for h, t, d in ITEMS)
    return f'<div id="app"><div data-v-5f2a class="card-list">{rows}</div></div>'


@pytest.mark.parametrize("family", [_kaipu, _dahan_new, _nanwei, _zhengce, _vue_cards],
                         ids=lambda f: f.__name__.strip("_"))
def test_family_list_read_whole(family):
    result = parse_list(page(family()), SITE + "/xxgk/tzgg/index.html")
    got = [(e.url, e.title, e.date) for e in result.entries]
    assert got == [(SITE + h, t, d) for h, t, d in ITEMS], result.notes
    sidebar = {SITE + h for h, _, _ in SIDEBAR_ITEMS}
    assert not sidebar & {e.url for e in result.entries}
