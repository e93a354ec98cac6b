"""文号 parsing (GB/T 9704-2012 §7.2.5) and series analysis."""
from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk.audit.docnumbers import analyse_doc_numbers, parse_doc_number
from zwgk.grammar.docnumber import full_year


@pytest.mark.parametrize("text, prefix, year, number", [
    ("临住建发〔2026〕5号", "临住建发", 2026, 5),
    ("临住建办发〔2026〕12号", "临住建办发", 2026, 12),
    ("国办发〔1996〕25号", "国办发", 1996, 25),
    ("金罚决字〔2024〕36号", "金罚决字", 2024, 36),
    ("  常住建〔2020〕78号 ", "常住建", 2020, 78),       # surrounding whitespace is not "stray"
    ("（常住建〔2020〕78号）", "常住建", 2020, 78),       # quoted after a title
])
def test_well_formed(text, prefix, year, number):
    doc = parse_doc_number(text)
    assert doc is not None
    assert (doc.prefix, doc.year, doc.number) == (prefix, year, number)
    assert doc.well_formed and doc.fault == ""
    assert doc.canonical == f"{prefix}〔{year}〕{number}号"


@pytest.mark.parametrize("text, number, needle", [
    ("临住建发[2026]8号", 8, "[]"),
    ("临住建发【2026】8号", 8, "【】"),
    ("临住建发(2026)8号", 8, "()"),
    ("临住建发（2026）8号", 8, "（）"),
    ("临住建发［2026］8号", 8, "［］"),
    ("临住建发﹝2026﹞8号", 8, "﹝﹞"),
    ("临住建发〔26〕8号", 8, "年份应写全"),
    ("临住建发〔2026〕第12号", 12, "第"),
    ("临住建发〔2026〕012号", 12, "虚位"),
    ("临住建发〔2026〕8", 8, "缺少“号”"),
    ("临住建发 〔2026〕 8 号", 8, "空格"),
    ("临住建发\u3000〔2026〕8号", 8, "空格"),
    ("临住建发〔２０２６〕８号", 8, "全角"),
])
def test_faults_still_parse(text, number, needle):
    doc = parse_doc_number(text)
    assert doc is not None, text
    assert (doc.prefix, doc.year, doc.number) == ("临住建发", 2026, number)
    assert not doc.well_formed
    assert needle in doc.fault
    assert doc.canonical == f"临住建发〔2026〕{number}号"


def test_several_faults_are_all_named():
    doc = parse_doc_number("临住建发[26]第05")
    assert doc is not None and (doc.year, doc.number) == (2026, 5)
    assert len(doc.faults) == 5  # brackets, short year, 第, 虚位, no 号


@pytest.mark.parametrize("text", [None, "", "无", "国令第707号", "临住建发2026年5号",
                                  "000014349/2017-00110"])
def test_not_a_doc_number(text):
    assert parse_doc_number(text) is None


# --- round trips -----------------------------------------------------------------------------

prefixes = st.text(alphabet="临江住建发办规函国政府字市县局委", min_size=1, max_size=8)
years = st.integers(min_value=2000, max_value=2099)
numbers = st.integers(min_value=1, max_value=99999)


@settings(max_examples=200, deadline=None)
@given(prefixes, years, numbers)
def test_canonical_round_trip(prefix, year, number):
    text = f"{prefix}〔{year}〕{number}号"
    doc = parse_doc_number(text)
    assert doc is not None
    assert (doc.prefix, doc.year, doc.number, doc.well_formed) == (prefix, year, number, True)
    assert doc.canonical == text
    again = parse_doc_number(doc.canonical)
    assert again == doc


BRACKETS = [("〔", "〕"), ("[", "]"), ("【", "】"), ("(", ")"), ("（", "）"), ("［", "］")]


@settings(max_examples=300, deadline=None)
@given(prefixes, years, numbers, st.sampled_from(BRACKETS), st.booleans(), st.booleans(),
       st.integers(min_value=0, max_value=2), st.booleans(), st.booleans())
def test_faulty_spellings_keep_their_place(prefix, year, number, brackets, short_year, di, zeros,
                                           no_hao, spaces):
    open_, close = brackets
    year_text = f"{year % 100:02d}" if short_year else str(year)
    sp = " " if spaces else ""
    text = (f"{prefix}{sp}{open_}{year_text}{close}{sp}{'第' if di else ''}"
            f"{'0' * zeros}{number}{sp}{'' if no_hao else '号'}")
    doc = parse_doc_number(text)
    assert doc is not None, text
    # A 2-digit year without a 成文日期 reads as the nearest such year not after this year.
    expected_year = full_year(year % 100) if short_year else year
    assert (doc.prefix, doc.year, doc.number) == (prefix, expected_year, number)
    assert doc.year_certain == (not short_year)
    expected_faults = sum([brackets != ("〔", "〕"), short_year, di, zeros > 0, no_hao, spaces])
    assert len(doc.faults) == expected_faults
    assert doc.well_formed == (expected_faults == 0)
    assert parse_doc_number(doc.canonical).well_formed


# --- series analysis -------------------------------------------------------------------------

def _entries(*numbers: str) -> list[tuple[str, str]]:
    return [(n, f"http://127.0.0.1/doc/{i}.html") for i, n in enumerate(numbers)]


def test_gap_between_lowest_and_highest():
    a = analyse_doc_numbers(_entries("临住建发〔2026〕1号", "临住建发〔2026〕2号",
                                     "临住建发〔2026〕6号", "临住建发〔2026〕4号"), ["临住建发"])
    assert [(g.prefix, g.year, g.missing) for g in a.gaps] == [("临住建发", 2026, (3, 5))]
    assert a.duplicates == () and a.format_faults == ()


def test_numbers_below_lowest_are_not_gaps():
    a = analyse_doc_numbers(_entries("临住建发〔2026〕3号", "临住建发〔2026〕4号"), ["临住建发"])
    assert a.gaps == ()


def test_malformed_counts_in_its_series_and_is_a_format_fault():
    a = analyse_doc_numbers(_entries("临住建发〔2026〕7号", "临住建发[2026]8号", "临住建发〔2026〕9号"),
                            ["临住建发"])
    assert a.gaps == ()
    assert [f.doc.raw for f in a.format_faults] == ["临住建发[2026]8号"]


def test_prefixes_match_exactly():
    a = analyse_doc_numbers(_entries("临住建发〔2026〕1号", "临住建办发〔2026〕2号",
                                     "临住建发〔2026〕3号", "临住建办发〔2026〕4号"),
                            ["临住建发", "临住建办发"])
    assert {(g.prefix, g.missing) for g in a.gaps} == {("临住建发", (2,)), ("临住建办发", (3,))}
    only = analyse_doc_numbers(_entries("临住建办发〔2026〕2号", "临住建办发〔2026〕4号"), ["临住建发"])
    assert only.gaps == () and only.series == {}


def test_each_year_is_its_own_series():
    a = analyse_doc_numbers(_entries("临住建发〔2025〕30号", "临住建发〔2026〕1号",
                                     "临住建发〔2026〕2号"), ["临住建发"])
    assert a.gaps == ()
    assert set(a.series) == {("临住建发", 2025), ("临住建发", 2026)}


def test_duplicates_need_two_urls():
    same_url = [("临住建办发〔2026〕3号", "http://127.0.0.1/a.html")] * 2
    assert analyse_doc_numbers(same_url, ["临住建办发"]).duplicates == ()
    two = [("临住建办发〔2026〕3号", "http://127.0.0.1/a.html"),
           ("临住建办发〔2026〕3号", "http://127.0.0.1/b.html")]
    dups = analyse_doc_numbers(two, ["临住建办发"]).duplicates
    assert [(d.prefix, d.year, d.number, d.urls) for d in dups] == [
        ("临住建办发", 2026, 3, ("http://127.0.0.1/a.html", "http://127.0.0.1/b.html"))]


def test_exempt_numbers_are_not_gaps():
    entries = _entries("临住建发〔2024〕6号", "临住建发〔2024〕9号")
    a = analyse_doc_numbers(entries, ["临住建发"], exempt=["临住建发〔2024〕7号"])
    assert [g.missing for g in a.gaps] == [(8,)]
    b = analyse_doc_numbers(entries, ["临住建发"], exempt=["临住建发〔2024〕7号", "临住建发[2024]8号"])
    assert b.gaps == ()


def test_format_faults_outside_series_are_reported_once_per_url():
    entries = [("临住建函(2026)3号", "http://127.0.0.1/x.html"),
               ("临住建函(2026)3号", "http://127.0.0.1/x.html"), (None, "http://127.0.0.1/y.html")]
    a = analyse_doc_numbers(entries, ["临住建发"])
    assert len(a.format_faults) == 1 and a.series == {}


@settings(max_examples=100, deadline=None)
@given(st.sets(st.integers(min_value=1, max_value=60), min_size=1, max_size=40))
def test_gaps_are_exactly_the_complement(seen):
    entries = [(f"临住建发〔2026〕{n}号", f"http://127.0.0.1/{n}.html") for n in sorted(seen)]
    a = analyse_doc_numbers(entries, ["临住建发"])
    expected = tuple(n for n in range(min(seen), max(seen) + 1) if n not in seen)
    assert (a.gaps[0].missing if a.gaps else ()) == expected


# --- real pages --------------------------------------------------------------------------------

def _realpages() -> Path:
    shared = Path(os.environ.get("ZWGK_SHARED") or Path(__file__).resolve().parents[2] / "shared")
    folder = shared / "realpages"
    if not (folder / "manifest.tsv").is_file():
        pytest.fail(f"real pages not found at {folder}; set ZWGK_SHARED to the folder holding "
                    "realpages/")
    return folder


def test_real_doc_numbers_parse_well_formed():
    """Every 文号 a person reads on the real pages is well formed; a 令号 is not a 发文字号."""
    with (_realpages() / "manifest.tsv").open(encoding="utf-8", newline="") as fh:
        numbers = [row["doc_number"] for row in csv.DictReader(fh, delimiter="\t")
                   if row["doc_number"]]
    assert len(numbers) >= 10
    for text in numbers:
        doc = parse_doc_number(text)
        if "令" in text and "〔" not in text:
            assert doc is None, text
        else:
            assert doc is not None and doc.well_formed, text
            assert doc.canonical == text
