"""content_missing reads only the first lines of a long body when they already prove it is long
enough (issue 16); the decision and any count it reports must equal the full count's."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk.audit.model import Article
from zwgk.audit.rules.documents import _body_chars

# Pieces that stress the proof: full-width forms NFKC shrinks or widens, combining marks, spaces,
# footer lines, and the title itself (removed wherever it appears, even across a line's end).
PIECES = ["正文内容", "（一）", "ＡＢＣ", "㈠", "…", "e\u0301", "\u0301", " ", "\u3000", "\t",
          "\n", "版权所有 网站标识码", "关于印发办法的通知", "关于印发", "办法的通知", "x", "①", "ﬁ"]


# Mostly blank bodies (a few pieces between long blank lines): the first lines hold about as
# many characters as needed, no more — where a wrong margin would show.
SPREAD = st.lists(st.sampled_from(PIECES), max_size=40).map(("\n" + " " * 60 + "\n").join)


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


def test_a_long_body_is_judged_from_its_first_lines():
    body = "\n".join(["正文内容，第%d段。" % i for i in range(2000)])
    article = Article(url="http://h/a.html", item_id="1", column_url="", title="t", body_text=body)
    assert _body_chars(article, enough=20) < _body_chars(article)  # counted a prefix only
    assert _body_chars(article, enough=20) >= 20


def test_a_title_cut_by_the_first_lines_end_is_not_counted_twice():
    """The prefix ends inside a repeat of the title: those characters are not body text."""
    title = "关于印发办法的通知"
    blank = " " * 200
    for text in ("正" * 20, "正" * 21, "正" * 25):  # around enough = 20 + the cut title's 4
        body = "\n".join([blank, text + "关于印发", "办法的通知", blank, blank])
        article = Article(url="http://h/a.html", item_id="1", column_url="", title=title,
                          body_text=body)
        full = _body_chars(article)
        assert full == len(text)
        for enough in range(15, 30):
            quick = _body_chars(article, enough=enough)
            assert (quick >= enough) == (full >= enough), (text, enough)
