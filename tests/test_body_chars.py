"""content_missing reads only the start of a long body when it already proves the body long
enough (issue 16); the decision and any count it reports must equal the full count's."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk.audit.model import Article
from zwgk.audit.rules.documents import _body_chars, prefix_budget

# Pieces that stress the proof: full-width forms NFKC shrinks or widens, combining marks, spaces,
# Hangul jamo and Indic vowel signs that compose, footer lines, and the title itself (removed wherever it appears, even across a line's end).
PIECES = ["正文内容", "（一）", "ＡＢＣ", "㈠", "…", "e\u0301", "\u0301", " ", "\u3000", "\t",
          "\n", "版权所有 网站标识码", "关于印发办法的通知", "关于印发", "办法的通知", "x", "①", "ﬁ",
          "\u1100", "\u1161", "\u11a8", "\u0b47", "\u0b3e", "\u0323", "\u0302", "Å"]


# Mostly blank bodies (a few pieces between long blank lines): the first lines hold about as
# many characters as needed, no more — where a wrong margin would show.
SPREAD = st.tuples(st.lists(st.sampled_from(PIECES), max_size=40),
                   st.sampled_from(["\n" + " " * 60 + "\n", " " * 60])).map(lambda t: t[1].join(t[0]))


@settings(max_examples=600, deadline=None)
@given(body=st.one_of(st.lists(st.sampled_from(PIECES), max_size=400).map("".join), SPREAD),
       title=st.sampled_from(["", "关于印发办法的通知", "ＡＢＣ", "正文", "x"]),
       enough=st.integers(min_value=0, max_value=60))
def test_prefix_shortcut_agrees_with_the_full_count(body, title, enough):
    article = Article(url="http://h/a.html", item_id="1", column_url="", title=title,
                      body_text=body)
    full = _body_chars(article)
    quick = _body_chars(article, enough=enough)
    assert (quick >= enough) == (full >= enough)
    if full < enough:
        assert quick == full


@pytest.mark.parametrize("sep", ["\n", "", " "])
def test_a_long_body_is_judged_from_its_start(sep):
    body = sep.join(["正文内容，第%d段。" % i for i in range(2000)])
    article = Article(url="http://h/a.html", item_id="1", column_url="", title="t", body_text=body)
    assert _body_chars(article, enough=20) < _body_chars(article)  # counted a prefix only
    assert _body_chars(article, enough=20) >= 20


def test_a_title_cut_by_the_prefix_end_is_not_counted_twice():
    """The prefix ends inside a repeat of the title: those characters are not body text."""
    title = "关于印发办法的通知"
    for enough in range(15, 30):
        budget = prefix_budget(enough, len(title))  # where _body_chars looks for its cut
        for n in range(enough - 6, enough + 2):
            text = "正" * n
            # The cut falls right before 办: the prefix ends with 关于印发, a part of the title.
            body = " " * (budget - n - 4) + text + title + " " * 300
            article = Article(url="http://h/a.html", item_id="1", column_url="", title=title,
                              body_text=body)
            full = _body_chars(article)
            assert full == n
            quick = _body_chars(article, enough=enough)
            assert (quick >= enough) == (full >= enough), (n, enough)
