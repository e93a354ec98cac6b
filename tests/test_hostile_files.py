"""Issue 17 items 4 and 14: crafted catalogs and configs. Resource bombs are refused (exit 2)
before they expand; what `catalog import` writes, `validate` can read."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import run_zwgk
from zwgk.audit.catalog import ConfigError, load_config
from zwgk.catalog_import import (MAX_XLSX_UNCOMPRESSED, CatalogImportError, import_catalog,
                                       to_yaml)
from zwgk.audit.workdays import WorkCalendarError, load_arrangements
from zwgk.audit.yamlbound import MAX_EXPANDED_NODES, expanded_size

HEADER = ["序号", "事项类别", "事项名称", "公开时限", "责任单位"]


def _book(path: Path, merge: str | None = None, far_cell: str | None = None) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([1, "政策文件", "部门文件", "20个工作日内发布", "办公室"])
    sheet.append([None, None, "规范性文件", None, None])
    if far_cell:
        sheet[far_cell] = "x"
    if merge:
        # Written as XML text: openpyxl itself would materialise the range while saving.
        book.save(path)
        with zipfile.ZipFile(path) as src:
            parts = {i.filename: src.read(i) for i in src.infolist()}
        sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
        sheet_xml = sheet_xml.replace("</sheetData>", f'</sheetData><mergeCells count="1">'
                                      f'<mergeCell ref="{merge}"/></mergeCells>')
        parts["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for name, data in parts.items():
                dst.writestr(name, data)
        return path
    book.save(path)
    return path


def test_a_whole_sheet_merge_is_refused_before_it_expands(tmp_path):
    path = _book(tmp_path / "merge.xlsx", merge="A3:XFD1048576")
    assert path.stat().st_size < 10_000
    with pytest.raises(CatalogImportError, match="merged range A3:XFD1048576"):
        import_catalog(path)
    proc = run_zwgk("catalog", "import", str(path), timeout=60)
    assert proc.returncode == 2 and "merged" in proc.stderr and "Traceback" not in proc.stderr


def test_a_small_merge_still_reads(tmp_path):
    table = import_catalog(_book(tmp_path / "ok.xlsx", merge="B2:B3"))
    assert [(r.id, r.category) for r in table.rows] == [("1.1", "政策文件"), ("1.2", "政策文件")]


def test_a_cell_far_away_is_refused_not_iterated(tmp_path):
    with pytest.raises(CatalogImportError, match="cells, limit"):
        import_catalog(_book(tmp_path / "far.xlsx", far_cell="XFD1048576"))


def test_a_zip_bomb_is_refused_by_its_unzipped_size(tmp_path):
    good = _book(tmp_path / "good.xlsx")
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        with dst.open("xl/media/padding.bin", "w") as fh:  # 70 MB of zeros, ~70 KB zipped
            chunk = b"\0" * (1 << 20)
            for _ in range(MAX_XLSX_UNCOMPRESSED // len(chunk) + 6):
                fh.write(chunk)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(CatalogImportError, match="zip bomb"):
        import_catalog(path)


BOMB = """site: {name: x, base_url: "http://127.0.0.1:9/"}
items:
  - id: "1.1"
    name: 部门文件
    deadline: 20个工作日内发布
    columns: [{name: a, url: list.html}]
    docno_exempt: &a1 ["临住建发〔2026〕1号", "临住建发〔2026〕1号", "临住建发〔2026〕1号", "临住建发〔2026〕1号"]
""" + "".join(f"  - {{id: \"{k}.1\", name: x, deadline: 季度更新, columns: [{{name: a, url: l{k}.html}}], "
               f"docno_exempt: &a{k} [{', '.join([f'*a{k - 1}'] * 8)}]}}\n" for k in range(2, 10))


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    assert len(BOMB) < 2000
    with pytest.raises(ConfigError, match="alias bomb"):
        load_config(path)
    proc = run_zwgk("validate", str(path), timeout=60)
    assert proc.returncode == 2 and "alias" in proc.stderr
    cal = tmp_path / "cal.yaml"
    cal.write_text("years:\n  2027:\n    holidays: &h [" + ", ".join(["2027-01-01"] * 10) + "]\n"
                   + "".join(f"    x{k}: &h{k} [{', '.join(['*h' if k == 0 else f'*h{k - 1}'] * 10)}]\n"
                             for k in range(7)), encoding="utf-8")
    with pytest.raises(WorkCalendarError, match="alias bomb"):
        load_arrangements(cal)


def test_modest_aliases_still_load(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("""site: {name: 测试局, base_url: "http://127.0.0.1:9/"}
items:
  - {id: "1.1", name: a, deadline: 季度更新, units: &u [办公室], columns: [{name: a, url: a.html}]}
  - {id: "1.2", name: b, deadline: 季度更新, units: *u, columns: [{name: b, url: b.html}]}
""", encoding="utf-8")
    assert list(load_config(path).item("1.2").units) == ["办公室"]
    node = yaml.compose("a: &x [1, 2]\nb: [*x, *x]\nc: &r [*x]\n")
    # root + (a, [1, 2]) + (b, [x, x]) + (c, [x]), each x = a list of two
    assert expanded_size(node) == 1 + (1 + 3) + (1 + 1 + 2 * 3) + (1 + 1 + 3)
    recursive = yaml.compose("&r [1, *r]")
    assert expanded_size(recursive) < MAX_EXPANDED_NODES


@pytest.mark.parametrize("bad", ["\x7f", "\x85", "\x9b", "\x1b[31m", "\ufffe", "\x00"])
def test_import_never_writes_yaml_that_validate_rejects(tmp_path, bad):
    text = "\t".join(HEADER) + "\n" + "\t".join(
        ["1", f"政策{bad}文件", f"部门{bad}文件", f"20个工作日内发布{bad}", f"办公室{bad}、法规科"]) + "\n"
    src = tmp_path / "t.txt"
    src.write_text(text, encoding="utf-8")
    out = to_yaml(import_catalog(src), "t.txt")
    data = yaml.safe_load(io.StringIO(out))
    item = data["items"][0]
    assert (item["category"], item["name"], item["deadline"], item["units"]) == (
        "政策文件", "部门文件", "20个工作日内发布", ["办公室", "法规科"])
    filled = out.replace('"待填写：单位名称"', '"x"').replace(
        '"待填写：网站首页地址"', '"http://127.0.0.1:9/"').replace('"待填写"', '"list.html"')
    path = tmp_path / "columns.yaml"
    path.write_text(filled, encoding="utf-8")
    assert load_config(path).item("1.1").name == "部门文件"


# --- item 13: 文号 series with a typo'd serial ---------------------------------------------------

def test_a_typod_serial_is_a_jump_and_the_gap_stays_readable():
    from datetime import date

    from zwgk.audit.model import Article
    from zwgk.audit.rules.docseries import doc_series
    from test_rules_judgement import ctx, item

    from dataclasses import replace

    it = replace(item("2.1"), doc_series=("临住建发",))
    numbers = [n for n in range(1, 41) if n not in (7, 8, 9, 20)] + [999999]
    arts = [Article(url=f"http://127.0.0.1:9/d/{n}.html", item_id="2.1", column_url="http://127.0.0.1:9/d/",
                    title=f"文件{n}", publish_date=date(2026, 5, 1), doc_number=f"临住建发〔2026〕{n}号")
            for n in numbers]
    found = {f.rule: f for f in doc_series(it, arts, [], ctx())}
    gap, jump = found["docno_gap"], found["docno_jump"]
    assert gap.details["missing_ranges"] == [[7, 9], [20, 20]] and gap.details["missing_count"] == 4
    assert gap.details["missing"] == [7, 8, 9, 20] and gap.details["highest"] == 40
    assert "疑似缺号4个：7–9、20号" in gap.message
    assert jump.severity == "warn" and jump.details["numbers"] == [999999] and jump.details["below"] == 40
    assert jump.evidence == ("http://127.0.0.1:9/d/999999.html",)
    import json

    assert len(json.dumps([f.to_json() for f in found.values()], ensure_ascii=False)) < 5000


def test_a_huge_gap_is_ranges_with_a_count_not_a_million_numbers():
    from zwgk.audit.docnumbers import analyse_doc_numbers

    # Two documents far apart but both "regular" (no jump: the lower one is not tiny), exempt holes.
    pairs = [("临住建发〔2026〕200000号", "u1"), ("临住建发〔2026〕1999999号", "u2")]
    analysis = analyse_doc_numbers(pairs, ["临住建发"], ["临住建发〔2026〕500000号"])
    (gap,) = analysis.gaps
    assert gap.ranges == ((200001, 499999), (500001, 1999998)) and gap.count == 1799997
    assert not analysis.jumps


def test_a_seven_digit_serial_is_read_whole():
    from zwgk.crawler.extract.docnumber import DOCNO_RE, in_title

    assert in_title("关于某事的通知（临住建发〔2026〕1234567号）") == "临住建发〔2026〕1234567号"
    assert DOCNO_RE.search("临住建发〔2026〕1234567号").group(0) == "临住建发〔2026〕1234567号"
    assert DOCNO_RE.search("临住建发〔2026〕12345678901号") is None  # past 9 digits: not a serial


def test_docno_exempt_ranges_are_bounded(tmp_path):
    from zwgk.audit.catalog import parse_config

    data = {"site": {"name": "x", "base_url": "http://127.0.0.1:9/"},
            "items": [{"id": "2.1", "name": "部门文件", "columns": ["a.html"], "deadline": "实时更新",
                       "docno_exempt": {f"临住建发〔{2000 + y}〕": [f"{k * 1000 + 1}-{k * 1000 + 1000}"
                                                               for k in range(30)] for y in range(2)}}]}
    with pytest.raises(ConfigError, match="exempt serials"):
        parse_config(data)


def test_the_report_strip_draws_a_jump_apart_not_a_million_missing_cells():
    from zwgk.report.charts import doc_strips

    pairs = [(f"临住建发〔2026〕{n}号", f"u{n}") for n in (1, 2, 3, 5, 999999)]
    (strip,) = doc_strips(pairs, ["临住建发"]).strips
    assert [(c.number, c.state) for c in strip.cells] == [
        (1, "present"), (2, "present"), (3, "present"), (4, "missing"), (5, "present"),
        (999999, "jump")]
    assert strip.highest == 5 and strip.counts["jump"] == 1 and not strip.truncated
