"""The bureau's list of serious wording errors (``site.audit.wordlist``): wrong term → right term.

Why a file and not a built-in list: what is wrong depends on the bureau and the date (an agency
renamed in an institutional reform, a 领导 who left office); the bureau maintains it. Format, one
pair per line (examples/wordlist.txt):

    # comment
    国土资源局 → 自然资源和规划局
    住房和城乡建设厅	住房和城乡建设局        (a tab works as well as → or =>)
    城乡规划局 → 自然资源和规划局 | 原城乡规划局    (after |: phrases where the wrong term is
                                                    right, e.g. quoted history; never flagged)
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_SPLIT_RE = re.compile(r"\s*(?:→|=>|->|\t)\s*")
MAX_TERMS = 5000
CONTEXT_CHARS = 20


class WordlistError(ValueError):
    """A line of the word list that cannot be read (names the file and line)."""


@dataclass(frozen=True)
class Term:
    wrong: str
    right: str
    allowed: tuple[str, ...] = ()  # longer phrases containing ``wrong`` that are correct


def parse_wordlist(text: str, source: str = "<wordlist>") -> tuple[Term, ...]:
    terms: list[Term] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        parts = _SPLIT_RE.split(line, maxsplit=1)
        if len(parts) != 2 or not parts[0]:
            raise WordlistError(f"{source}, line {number}: expected 'wrong term → right term', "
                                f"got {raw[:80]!r}")
        right, _, allowed = parts[1].partition("|")
        wrong = parts[0].strip()
        if len(wrong) < 2:
            raise WordlistError(f"{source}, line {number}: a wrong term needs at least 2 "
                                f"characters (one would match everywhere)")
        terms.append(Term(wrong, right.strip(),
                          tuple(a.strip() for a in allowed.split("|") if a.strip())))
        if len(terms) > MAX_TERMS:
            raise WordlistError(f"{source}: more than {MAX_TERMS} terms")
    return tuple(terms)


def find_terms(text: str, terms: tuple[Term, ...]) -> list[tuple[Term, str]]:
    """Each term found in ``text`` once, with the context of its first occurrence that is not
    inside one of its allowed phrases."""
    out: list[tuple[Term, str]] = []
    for term in terms:
        start = text.find(term.wrong)
        while start >= 0:
            if not any(_inside(text, start, term.wrong, phrase) for phrase in term.allowed):
                lo, hi = max(0, start - CONTEXT_CHARS), start + len(term.wrong) + CONTEXT_CHARS
                out.append((term, text[lo:hi].replace("\n", " ")))
                break
            start = text.find(term.wrong, start + 1)
    return out


def _inside(text: str, start: int, wrong: str, phrase: str) -> bool:
    offset = phrase.find(wrong)
    if offset < 0:
        return False
    begin = start - offset
    return begin >= 0 and text.startswith(phrase, begin)


__all__ = ["Term", "parse_wordlist", "find_terms", "WordlistError"]
