"""The privacy grammar (zwgk.grammar.privacy): ID numbers, bank cards, mobile rosters, masking.

Numbers are synthetic: built here with valid check digits for fictional people."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from stdnum import luhn
from stdnum.cn import ric

from zwgk.grammar import privacy
from zwgk.grammar.privacy import BANK_CARD, ID_NUMBER, MOBILE_ROSTER


def make_id(region: str = "330106", birth: str = "19850312", seq: str = "123") -> str:
    body = region + birth + seq
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character


def make_card(prefix: str = "622202000012345678") -> str:
    return prefix + luhn.calc_check_digit(prefix)


def wrong_check(number: str) -> str:
    last = number[-1]
    return number[:-1] + ("0" if last != "0" else "1")


ID = make_id()
CARD = make_card()
MOBILES = ["13800000001", "13900000002", "15800000003", "18600000004"]


def kinds(text: str) -> dict[str, privacy.Leak]:
    return {leak.kind: leak for leak in privacy.scan(text)}


def test_valid_id_found_and_masked() -> None:
    leak = kinds(f"申请人：王某某，身份证号：{ID}，住址：某某小区。")[ID_NUMBER]
    assert leak.count == 1
    assert leak.samples == (ID[:6] + "********" + ID[-4:],)


def test_id_x_check_digit_and_15_digit_form() -> None:
    for seq in range(100, 200):
        x_id = make_id(seq=str(seq))
        if x_id.endswith("X"):
            break
    assert x_id.endswith("X")
    assert kinds(f"公民身份号码 {x_id.lower()}")[ID_NUMBER].count == 1
    old = "110105" + "700203" + "123"  # 15-digit form: 1970-02-03, a county of 1970
    assert kinds(f"身份证 {old}")[ID_NUMBER].count == 1
    assert ID_NUMBER not in kinds("身份证 110105701302123")  # month 13: no birth date


@pytest.mark.parametrize("text", [
    f"身份证号：{ID[:6]}********{ID[-4:]}",        # masked: not a leak
    f"身份证号：{ID[:6]}********{ID[-4:-1]}X",
    f"身份证号：{wrong_check(ID)}",                  # wrong check digit
    f"身份证号：{make_id(birth='19850231')}",         # 31 February
    f"身份证号：{make_id(region='000000')}",          # no such region
    f"编号 A{ID}",                                  # part of a longer code
    f"统一社会信用代码 91330106{ID[:10]}",
])
def test_not_an_id(text: str) -> None:
    assert ID_NUMBER not in kinds(text)


def test_bank_card_needs_luhn_and_a_label() -> None:
    assert kinds(f"开户银行：某某银行 账号：{CARD}")[BANK_CARD].samples == (CARD[:4] + "*" * 11 + CARD[-4:],)
    spaced = " ".join(CARD[i:i + 4] for i in range(0, len(CARD), 4))
    assert kinds(f"卡号 {spaced}")[BANK_CARD].count == 1
    assert BANK_CARD not in kinds(f"订单号：{CARD}")                # no label: an order number
    assert BANK_CARD not in kinds(f"账号：{wrong_check(CARD)}")     # not Luhn-valid
    assert BANK_CARD not in kinds(f"账号：{CARD[:6]}*********{CARD[-4:]}")


def test_mobile_roster_needs_three_lines() -> None:
    roster = "\n".join(f"{i}\t居民{i}\t{m}" for i, m in enumerate(MOBILES[:3], 1))
    leak = kinds("序号\t姓名\t电话\n" + roster)[MOBILE_ROSTER]
    assert leak.count == 3 and all("****" in s for s in leak.samples)
    # one office contact, a landline, and two mobiles: no roster
    assert MOBILE_ROSTER not in kinds(f"联系人：李某 电话：0571-87654321 手机：{MOBILES[0]}")
    assert MOBILE_ROSTER not in kinds(f"{MOBILES[0]}\n{MOBILES[1]}")
    assert MOBILE_ROSTER not in kinds(f"{MOBILES[0]}\n{MOBILES[0]}\n{MOBILES[0]}")  # one number
    assert MOBILE_ROSTER not in kinds(" ".join(MOBILES))                             # one line


def test_redact_leaves_no_full_number() -> None:
    roster = "\n".join(MOBILES)
    text = f"身份证：{ID}\n账号：{CARD}\n{roster}\n办公电话：0571-87654321\n订单号：{CARD}"
    out = privacy.redact(text)
    assert ID not in out and f"账号：{CARD}" not in out
    assert not any(m in out for m in MOBILES)
    assert "0571-87654321" in out and f"订单号：{CARD}" in out  # not personal data: kept
    assert privacy.scan(out) == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 Xx*-\n账号身份证卡", max_size=80))
def test_redacted_text_scans_clean(text: str) -> None:
    """Whatever redact returns holds nothing scan would report (masking is a fixpoint)."""
    assert privacy.scan(privacy.redact(text)) == []


def test_rows_text_table_roster() -> None:
    rows = [["序号", "姓名", "联系电话"]] + [[i, f"居民{i}", m] for i, m in enumerate(MOBILES, 1)]
    assert kinds(privacy.rows_text(rows))[MOBILE_ROSTER].count == 4


# --- attachments: the scanner over text read from real files ---------------------------------

LEAKY = f"补贴发放名单\n姓名：张某 身份证号：{ID}\n开户银行：某某银行 账号：{CARD}"
CLEAN = f"联系人：李某 电话：0571-87654321\n身份证号：{ID[:6]}********{ID[-4:]}"


def _docx(path: Path, text: str, rows: list[list[str]]) -> None:
    import docx

    doc = docx.Document()
    for line in text.splitlines():
        doc.add_paragraph(line)
    table = doc.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = value
    doc.save(path)


def _read_docx(path: Path) -> str:
    import docx

    doc = docx.Document(path)
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.append(privacy.rows_text([c.text for c in row.cells] for row in table.rows))
    return "\n".join(parts)


def _pdf(tmp: Path, text: str) -> Path:
    html = tmp / "a.html"
    html.write_text("<meta charset='utf-8'>" + "".join(f"<p>{line}</p>" for line in text.splitlines()),
                    encoding="utf-8")
    out = tmp / "a.pdf"
    subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", f"--print-to-pdf={out}", html.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return out


def test_scanner_on_docx_xlsx_pdf(tmp_path: Path) -> None:
    import openpyxl
    import pypdf

    rows = [["姓名", "手机"]] + [[f"居民{i}", m] for i, m in enumerate(MOBILES)]
    _docx(tmp_path / "leak.docx", LEAKY, rows)
    found = kinds(_read_docx(tmp_path / "leak.docx"))
    assert set(found) == {ID_NUMBER, BANK_CARD, MOBILE_ROSTER}
    _docx(tmp_path / "clean.docx", CLEAN, [["姓名", "手机"], ["李某", MOBILES[0]]])
    assert kinds(_read_docx(tmp_path / "clean.docx")) == {}

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["姓名", "身份证号", "手机"]] + [[f"居民{i}", make_id(seq=f"{200 + i}"), m]
                                               for i, m in enumerate(MOBILES)]:
        sheet.append(row)
    book.save(tmp_path / "list.xlsx")
    cells = openpyxl.load_workbook(tmp_path / "list.xlsx", read_only=True).active.iter_rows(values_only=True)
    found = kinds(privacy.rows_text(cells))
    assert found[ID_NUMBER].count == 4 and found[MOBILE_ROSTER].count == 4

    # the crawler's hook for attachment readers: text + tables -> facts judged as in_attachment
    from zwgk.audit.rules.inspection import PageRecord, privacy_leak
    from zwgk.crawler.pagefacts import attachment_facts

    import docx as docx_lib

    doc = docx_lib.Document(tmp_path / "leak.docx")
    facts = attachment_facts("\n".join(p.text for p in doc.paragraphs),
                             [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables])
    found = privacy_leak([PageRecord("http://x/fj/leak.docx", "attachment", "13.1", facts=facts)])
    assert {f.details["kind"] for f in found} == {ID_NUMBER, BANK_CARD, MOBILE_ROSTER}
    assert all(f.details["in_attachment"] for f in found)
    assert ID not in str([f.to_json() for f in found])

    pdf = _pdf(tmp_path, LEAKY)
    text = "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(pdf).pages)
    found = kinds(text)
    assert found[ID_NUMBER].samples == (privacy.mask(ID),)
    assert BANK_CARD in found
