"""`zwgk catalog import`: the seed's 责任分工 table (text) and the same table as an .xlsx with
merged cells both give the 26 items of mapping/columns.yaml."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from zwgk.audit.catalog import ConfigError, load_config
from zwgk.catalog_import import (CatalogImportError, import_catalog, read_table, split_units,
                                  text_rows, to_yaml)
from conftest import ROOT, run_zwgk, shared_dir

COLUMNS_YAML = ROOT / "mapping" / "columns.yaml"
FIELDS = ("id", "category", "name", "deadline", "units")


def seed() -> Path:
    path = shared_dir() / "seed" / "catalog.txt"
    if not path.exists():
        pytest.fail(f"seed catalog missing at {path}", pytrace=False)
    return path


def mapping_items() -> list[dict]:
    data = yaml.safe_load(COLUMNS_YAML.read_text(encoding="utf-8"))
    return [{k: (list(it.get(k) or []) if k == "units" else str(it.get(k, ""))) for k in FIELDS}
            for it in data["items"]]


def imported(table) -> list[dict]:
    return [{"id": r.id, "category": r.category, "name": r.name, "deadline": r.deadline,
             "units": list(r.units)} for r in table.rows]


def test_seed_round_trip_equals_the_shipped_mapping():
    table = import_catalog(seed())
    assert len(table.rows) == 26
    assert imported(table) == mapping_items()
    assert table.title == "政府网站市住建局信息主动公开责任分工"
    rows = {r.id: r for r in table.rows}
    # merged cells resolved within the 序号 group: 1.2 and 7.2 inherit deadline and units
    assert (rows["1.2"].deadline, rows["1.2"].units) == ("根据变动及时更新", ("人事科",))
    assert (rows["7.2"].deadline, rows["7.2"].method, rows["7.2"].units) == ("季度更新", "全文发布",
                                                                            ("物业科",))
    assert rows["12.2"].units == rows["14.2"].units == ("相关职能科室",)
    # ... and the category continues across groups (9, 15); a blank name is the category
    assert rows["9.1"].category == "管理和服务公开" and rows["15.1"].category == "行政执法信息"
    assert rows["3.1"].name == "政策解读" and rows["16.1"].name == "政务公开组织管理"


def test_skeleton_is_valid_yaml_that_validate_flags_until_filled(tmp_path):
    text = to_yaml(import_catalog(seed()), "catalog.txt")
    data = yaml.safe_load(text)
    assert [{k: (list(it[k]) if k == "units" else it[k]) for k in FIELDS}
            for it in data["items"]] == mapping_items()
    path = tmp_path / "columns.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"29 value\(s\) still '待填写'") as err:
        load_config(path)
    assert "item 16.1 columns[0].url" in str(err.value) and "site.base_url" in str(err.value)
    # 2.1 demands 连号更新: its 文号 series is asked for, not silently left out (issue 12).
    assert "item 2.1 doc_series[0]" in str(err.value)
    assert [it["id"] for it in data["items"] if "doc_series" in it] == ["2.1"]
    filled = text.replace('"待填写：单位名称"', '"临江市住建局"').replace(
        '"待填写：网站首页地址"', '"http://127.0.0.1:8000/"').replace('"待填写"', '"list.html"').replace(
        '"待填写：文号前缀"', '"临住建发"')
    path.write_text(filled, encoding="utf-8")
    config = load_config(path)
    assert [it.id for it in config.items] == [it["id"] for it in mapping_items()]
    assert config.item("2.1").rules.publish_lag_workdays == 20
    assert config.item("2.1").doc_series == ("临住建发",)


@pytest.mark.parametrize("where", ["content", "deadline", "name"])
def test_any_duty_demanding_consecutive_numbers_asks_for_its_series(where):
    """Not keyed to the seed's item 2.1 or its wording: any row saying 连号 / 连续编号."""
    texts = {"content": "各类通知", "deadline": "10个工作日内", "name": "通知公告"}
    texts[where] += "，编号连续" if where != "name" else "（连号）"
    table = read_table([["序号", "事项类别", "事项名称", "公开内容", "公开时限", "公开方式", "责任单位"],
                        ["7", "其他", texts["name"], texts["content"], texts["deadline"],
                         "全文发布", "财务科"],
                        ["8", "其他", "统计数据", "月报", "月度更新", "全文发布", "统计科"]])
    data = yaml.safe_load(to_yaml(table))
    series = {it["id"]: it.get("doc_series") for it in data["items"]}
    assert series == {"7.1": ["待填写：文号前缀"], "8.1": None}


@pytest.mark.parametrize("text, units", [
    ("办公室、发文科 室", ("办公室", "发文科室")),
    ("办公室 发文科 室 法规科", ("办公室", "发文科室", "法规科")),
    ("办公室\n新闻中心", ("办公室", "新闻中心")),
    ("财审科，办公室；财审科", ("财审科", "办公室")),
    ("", ()),
])
def test_split_units(text, units):
    assert split_units(text) == units


def test_text_table_shapes():
    rows = text_rows("\ufeff某局责任分工\n\n序号\t事项名称\t公开时限\t责任单位\n1\t甲\t实时更新\t办公室\n"
                     "\t乙\t\t\n序号\t事项名称\t公开时限\t责任单位\n2\t丙\t年度更新\t人事 科\n")
    table = read_table(rows)
    assert table.title == "某局责任分工"
    assert [(r.id, r.name, r.deadline, r.units) for r in table.rows] == [
        ("1.1", "甲", "实时更新", ("办公室",)), ("1.2", "乙", "实时更新", ("办公室",)),
        ("2.1", "丙", "年度更新", ("人事科",))]


def test_gbk_text_file(tmp_path):
    path = tmp_path / "catalog.txt"
    path.write_bytes(seed().read_text(encoding="utf-8").encode("gb18030"))
    assert imported(import_catalog(path)) == mapping_items()


@pytest.mark.parametrize("text, needle", [
    ("只是一段文字\n没有表格\n", "no header row"),
    ("序号\t事项名称\t责任单位\n", "no rows"),
])
def test_not_a_catalog(tmp_path, text, needle):
    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogImportError, match=needle):
        import_catalog(path)


# --- .xlsx with merged cells -------------------------------------------------------------------

def _write_xlsx(path: Path, rows: list[list[str]]) -> None:
    """The seed as a bureau's spreadsheet: a title merged across the sheet, one header row, and
    every blank that continues the value above written once and merged down (序号 and the other
    cells over their group; 事项类别 across groups too), with some cells wrapped over two lines."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "责任分工"
    header = next(r for r in rows if r and r[0] == "序号")
    width = len(header)
    body = [r + [""] * (width - len(r)) for r in rows
            if any(c.strip() for c in r) and r[0] != "序号" and len([c for c in r if c.strip()]) > 1]
    sheet.cell(1, 1, "政府网站市住建局信息主动公开责任分工")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    for c, label in enumerate(header, 1):
        sheet.cell(2, c, label)
    first = 3
    for r, row in enumerate(body):
        for c, value in enumerate(row, 1):
            if value:
                if c == 1:
                    sheet.cell(first + r, c, int(value))  # 序号 as a number cell
                else:
                    sheet.cell(first + r, c, value.replace(" ", "\n", 1) if c == width else value)
    # merge each blank run into the cell above it: 序号 and the group's cells within the group,
    # 事项类别 (column 2) across groups; 事项名称 (column 3) is never merged.
    group_of = []
    group = 0
    for row in body:
        group += bool(row[0])
        group_of.append(group)
    for c in range(1, width + 1):
        if c == 3:
            continue
        r = 0
        while r < len(body):
            end = r
            while (end + 1 < len(body) and not body[end + 1][c - 1]
                   and (c == 2 or group_of[end + 1] == group_of[r])):
                end += 1
            if end > r and body[r][c - 1]:
                sheet.merge_cells(start_row=first + r, start_column=c, end_row=first + end,
                                  end_column=c)
            r = end + 1
    book.save(path)


def test_xlsx_with_merged_cells_gives_the_same_items(tmp_path):
    rows = text_rows(seed().read_text(encoding="utf-8"))
    path = tmp_path / "责任分工.xlsx"
    _write_xlsx(path, rows)
    import openpyxl

    merged = openpyxl.load_workbook(path).active.merged_cells.ranges
    assert len(merged) > 10  # the fixture really has merged cells
    table = import_catalog(path)
    assert table.title == "政府网站市住建局信息主动公开责任分工"
    assert imported(table) == mapping_items()


def test_xlsx_hand_made_merges(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某局信息公开责任分工", None, None, None, None])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "事项类别", "事项名称", "公开时限及备注", "责任单位"])
    sheet.append([1, "政策文件", "部门文件", "20个工作日内发布", "办公室、发文科\n室"])
    sheet.append([None, None, "规范性文件", None, None])
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:B4")
    sheet.merge_cells("D3:D4")
    sheet.merge_cells("E3:E4")
    sheet.append([2, "政策解读", None, "政策文件公开后的3个工作日之内更新。", "办公室"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    table = import_catalog(path)
    assert [(r.id, r.category, r.name, r.deadline, r.units) for r in table.rows] == [
        ("1.1", "政策文件", "部门文件", "20个工作日内发布", ("办公室", "发文科室")),
        ("1.2", "政策文件", "规范性文件", "20个工作日内发布", ("办公室", "发文科室")),
        ("2.1", "政策解读", "政策解读", "政策文件公开后的3个工作日之内更新。", ("办公室",))]


def test_a_damaged_xlsx_is_refused(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(CatalogImportError, match="not a readable .xlsx"):
        import_catalog(path)


# --- the command ---------------------------------------------------------------------------------

def test_cli_writes_the_skeleton_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "columns.yaml"
    proc = run_zwgk("catalog", "import", str(seed()), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "26 items" in proc.stderr and "待填写" in proc.stderr
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["items"][0]["id"] == "1.1"
    again = run_zwgk("catalog", "import", str(seed()), "-o", str(out))
    assert again.returncode == 2 and "--force" in again.stderr
    proc = run_zwgk("validate", str(out))
    assert proc.returncode == 2 and "待填写" in proc.stderr
    stdout = run_zwgk("catalog", "import", str(seed()))
    assert stdout.returncode == 0 and stdout.stdout == out.read_text(encoding="utf-8")
    missing = run_zwgk("catalog", "import", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
