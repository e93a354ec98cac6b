"""Read a 责任分工 table as bureaus keep it and write a ``columns.yaml`` skeleton.

Why a reader of its own: the catalog arrives as a spreadsheet (or text pasted out of one), shaped
for printing, not for machines. A table printed over several pages repeats its header row; a
title line sits above it; cells merged across the rows of one 序号 group come out blank on every
row but the first (an .xlsx keeps the merge, which we undo the same way); a blank 事项名称 means
the item is the category itself (政策解读, 政府会议); a wrapped cell leaves stray spaces
("发文科 室"). The rules below turn that back into one record per duty:

- the header row is found by its labels (序号, 事项名称 …), wherever it is; rows before it are
  the title; a repeated header row is skipped;
- a new 序号 starts a group; items are numbered ``group.n`` within it (``2.1``, ``2.2``);
- a blank 事项类别 continues the category above (it is merged across groups too);
- blank 内容, 公开时限, 公开方式, 公开形式 and 责任单位 continue the value above within the group;
- a blank 事项名称 is the category name;
- 责任单位 is split on 、，/ and spaces, and a one-character piece is glued back to the piece
  before it (no unit is one character long: "发文科 室" → 发文科室).

Column URLs are not in the table: the skeleton leaves ``待填写`` placeholders, which
``zwgk validate`` lists until the user fills them in.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from zwgk.audit.catalog import PLACEHOLDER, rules_from_deadline
from zwgk.report.textsafe import clean_text

# Header labels per field, tried exactly first, then as a part of the cell ("公开时限及备注").
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号"),
    "category": ("事项类别", "公开类别", "类别", "分类"),
    "name": ("事项名称", "公开事项", "信息名称", "名称"),
    "content": ("公开内容", "内容", "具体内容", "公开要求"),
    "deadline": ("公开时限", "时限", "更新频率", "更新时限"),
    "method": ("公开方式",),
    "form": ("公开形式", "公开渠道", "公开载体"),
    "units": ("责任单位", "责任科室", "责任部门", "责任处室", "责任人"),
}
_FIELDS = tuple(HEADER_ALIASES)
_INHERITED = ("content", "deadline", "method", "form", "units")

_SPACE_RE = re.compile(r"\s+")
_CJK_GAP_RE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")
_UNIT_SPLIT_RE = re.compile(r"[、，,；;／/\s]+")
_NUMBER_RE = re.compile(r"\d+")
# What YAML may not carry even quoted (PyYAML's printable set); control bytes go via clean_text.
_NOT_YAML_PRINTABLE_RE = re.compile("[\ud800-\udfff\ufffe\uffff]")

# Resource bounds (issue 17): a 责任分工 table is a few hundred rows; a 5 KB workbook with one merge
# A3:XFD1048576, or a 1.5 MB zip bomb, must be refused, not expanded into gigabytes.
MAX_TABLE_BYTES = 16 * 1024 * 1024          # a text table, or an .xlsx file, on disk
MAX_XLSX_UNCOMPRESSED = 64 * 1024 * 1024    # all parts of a workbook once unzipped
MAX_SHEET_CELLS = 1_000_000                 # rows × columns of a sheet's used range
MAX_MERGED_CELLS = 200_000                  # cells covered by all merged ranges together


class CatalogImportError(Exception):
    """The file is not a 责任分工 table this reader understands; the message says why."""


@dataclass(frozen=True)
class CatalogRow:
    """One duty of the catalog, merged cells resolved."""

    id: str
    category: str
    name: str
    content: str
    deadline: str
    method: str
    form: str
    units: tuple[str, ...]


@dataclass(frozen=True)
class CatalogTable:
    title: str
    rows: tuple[CatalogRow, ...]


# --- reading the two shapes ----------------------------------------------------------------------

def text_rows(text: str) -> list[list[str]]:
    """Tab-separated text (what copying a table out of Excel or Word gives)."""
    return [line.rstrip("\r").split("\t") for line in text.lstrip("\ufeff").split("\n")]


def read_text_file(path: Path) -> list[list[str]]:
    _check_file_size(path)
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # bureaus still save GBK text
        try:
            return text_rows(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise CatalogImportError(f"{path}: neither UTF-8 nor GBK text")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_file_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise CatalogImportError(f"{path}: {size:,} bytes; a 责任分工 table is far smaller "
                                 f"(limit {MAX_TABLE_BYTES:,} bytes)")


def check_xlsx_bounds(path: Path) -> None:
    """Refuse a workbook that would expand into gigabytes, before openpyxl reads it: the unzipped
    size (zipfile never inflates a part past the size it declares, so the declared sizes bound
    it) and the cells covered by merged ranges (openpyxl materialises every one)."""
    import zipfile

    from lxml import etree
    from openpyxl.utils.cell import range_boundaries

    _check_file_size(path)
    try:
        with zipfile.ZipFile(path) as book:
            parts = book.infolist()
            unzipped = sum(p.file_size for p in parts)
            if unzipped > MAX_XLSX_UNCOMPRESSED:
                raise CatalogImportError(
                    f"{path}: unzips to {unzipped:,} bytes (limit {MAX_XLSX_UNCOMPRESSED:,}): "
                    "not a 责任分工 table, or a zip bomb")
            merged = 0
            for part in parts:
                if not (part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")):
                    continue
                with book.open(part) as fh:
                    for _, elem in etree.iterparse(fh, tag="{*}mergeCell", resolve_entities=False,
                                                   no_network=True):
                        min_col, min_row, max_col, max_row = range_boundaries(elem.get("ref", ""))
                        merged += (max_col - min_col + 1) * (max_row - min_row + 1)
                        if merged > MAX_MERGED_CELLS:
                            raise CatalogImportError(
                                f"{path}: {part.filename}: merged range {elem.get('ref')} brings the "
                                f"merged cells past {MAX_MERGED_CELLS:,}; unmerge it or copy the "
                                "table into a text file")
                        elem.clear()
    except CatalogImportError:
        raise
    except (zipfile.BadZipFile, etree.XMLSyntaxError, ValueError, TypeError, OSError) as exc:
        raise CatalogImportError(f"{path}: not a readable .xlsx workbook ({exc})") from None


def xlsx_rows(path: Path) -> list[list[str]]:
    """The first sheet with a header row; every cell of a merged range gets the range's value
    (the merge said "this value holds for all these rows")."""
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise CatalogImportError("reading .xlsx needs openpyxl (pip install openpyxl)") from exc
    check_xlsx_bounds(path)
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise CatalogImportError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    sheets = []
    for sheet in book.worksheets:
        cells = sheet.max_row * sheet.max_column
        if cells > MAX_SHEET_CELLS:
            raise CatalogImportError(f"{path}: sheet {sheet.title!r} spans {sheet.dimensions} "
                                     f"({cells:,} cells, limit {MAX_SHEET_CELLS:,})")
        grid = [[_cell_text(c.value) for c in row] for row in sheet.iter_rows()]
        for rng in sheet.merged_cells.ranges:
            value = _cell_text(sheet.cell(rng.min_row, rng.min_col).value)
            for r in range(rng.min_row, min(rng.max_row, len(grid)) + 1):
                for c in range(rng.min_col, min(rng.max_col, len(grid[r - 1])) + 1):
                    grid[r - 1][c - 1] = value
        sheets.append(grid)
    for grid in sheets:
        if any(_header_map(row) for row in grid):
            return grid
    return sheets[0] if sheets else []


# --- the table -----------------------------------------------------------------------------------

def _norm(cell: str) -> str:
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", _clean(cell)))


def _header_map(row: list[str]) -> dict[str, int] | None:
    """Field -> column index when ``row`` is a header row (序号 and 事项名称 or 责任单位)."""
    cells = [_norm(c) for c in row]
    found: dict[str, int] = {}
    for exact in (True, False):
        for index, cell in enumerate(cells):
            if not cell or index in found.values():
                continue
            for field_name in _FIELDS:
                if field_name in found:
                    continue
                if any(cell == a if exact else a in cell for a in HEADER_ALIASES[field_name]):
                    found[field_name] = index
                    break
    if "number" in found and ("name" in found or "units" in found):
        return found
    return None


def _clean(text: str) -> str:
    """One line, single spaces (a wrapped cell's line breaks become spaces), and nothing YAML
    refuses (a DEL or C1 byte in a cell made `validate` reject the skeleton we wrote)."""
    text = _NOT_YAML_PRINTABLE_RE.sub("", clean_text(unicodedata.normalize("NFC", text or "")))
    return _SPACE_RE.sub(" ", text).strip()


def _category(text: str) -> str:
    """Category names are short phrases: a space inside one is a wrapped line."""
    return _CJK_GAP_RE.sub("", _clean(text))


def split_units(text: str) -> tuple[str, ...]:
    """"办公室 发文科 室 法规科" -> (办公室, 发文科室, 法规科)."""
    parts = [p for p in _UNIT_SPLIT_RE.split(_clean(text)) if p]
    out: list[str] = []
    for part in parts:
        if len(part) == 1 and out:
            out[-1] += part
        else:
            out.append(part)
    return tuple(dict.fromkeys(out))


def read_table(rows: list[list[str]]) -> CatalogTable:
    """Resolve a 责任分工 table (rows of cell texts) into one CatalogRow per duty."""
    header: dict[str, int] | None = None
    title = ""
    out: list[CatalogRow] = []
    category = ""
    group: str | None = None
    group_count = 0
    index = 0
    inherited: dict[str, str] = {}
    for row in rows:
        if not any(c.strip() for c in row):
            continue
        found = _header_map(row)
        if found is not None:
            header = header or found
            continue
        if header is None:
            if not title:
                title = _clean(next(c for c in row if c.strip()))
            continue

        def cell(field_name: str) -> str:
            col = header.get(field_name)
            return row[col] if col is not None and col < len(row) else ""

        number = _norm(cell("number"))
        m = _NUMBER_RE.search(number)
        number = m.group(0) if m else number
        if number and number != group or group is None:
            group_count += 1
            group = number or str(group_count)
            index = 0
            inherited = {}
        index += 1
        if _clean(cell("category")):
            category = _category(cell("category"))
        values = {}
        for field_name in _INHERITED:
            text = cell(field_name)
            if _clean(text):
                inherited[field_name] = text
            values[field_name] = inherited.get(field_name, "")
        name = _clean(cell("name")) or category
        if not name:
            raise CatalogImportError(f"row {row!r}: neither 事项名称 nor 事项类别")
        out.append(CatalogRow(
            id=f"{group}.{index}", category=category, name=name,
            content=_clean(values["content"]), deadline=_clean(values["deadline"]),
            method=_clean(values["method"]), form=_clean(values["form"]),
            units=split_units(values["units"])))
    if header is None:
        raise CatalogImportError("no header row (序号, 事项名称, 责任单位 …) found: is this a "
                                 "责任分工 table?")
    if not out:
        raise CatalogImportError("the table has a header but no rows")
    return CatalogTable(title=title, rows=tuple(out))


def import_catalog(path: str | Path) -> CatalogTable:
    """Read a 责任分工 table from tab-separated text or an .xlsx workbook."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise CatalogImportError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if path.suffix.lower() in (".xlsx", ".xlsm") or magic == b"PK\x03\x04":
        rows = xlsx_rows(path)
    elif path.suffix.lower() == ".xls":
        raise CatalogImportError(f"{path}: old .xls workbooks are not read; save it as .xlsx "
                                 "or copy the table into a text file")
    else:
        rows = read_text_file(path)
    return read_table(rows)


# --- the skeleton ------------------------------------------------------------------------------

# A duty that demands gap-free 文号 (连号更新, 连续编号): the skeleton asks for its series.
CONSECUTIVE_RE = re.compile(r"连号|连续编号|编号连续")
DOC_SERIES_PLACEHOLDER = PLACEHOLDER + "：文号前缀"


def demands_consecutive_numbers(row: CatalogRow) -> bool:
    return any(CONSECUTIVE_RE.search(text) for text in (row.name, row.content, row.deadline))


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def to_yaml(table: CatalogTable, source: str = "") -> str:
    """A columns.yaml skeleton: every duty with its deadline and units; column URLs and the
    site's address left as 待填写 for ``zwgk validate`` to point at."""
    lines = [
        f"# columns.yaml skeleton written by `zwgk catalog import {source}`.".rstrip(),
        f"# Table: {table.title or '（无标题）'}",
        f"# Fill in every {PLACEHOLDER}: the site's address and, per item, the list page of the",
        "# column that carries it (several columns are allowed). `zwgk validate` lists what is",
        "# missing. See docs/config.md for every key.",
        "site:",
        f"  name: {_q(PLACEHOLDER + '：单位名称')}",
        f"  base_url: {_q(PLACEHOLDER + '：网站首页地址')}",
        "items:",
    ]
    for row in table.rows:
        lines += [
            f"  - id: {_q(row.id)}",
            f"    category: {_q(row.category)}",
            f"    name: {_q(row.name)}",
            f"    content: {_q(row.content)}",
            f"    deadline: {_q(row.deadline)}",
            f"    method: {_q(row.method)}",
            f"    units: [{', '.join(_q(u) for u in row.units)}]",
        ]
        if row.form:
            lines.append(f"    # 公开形式：{row.form}")
        if rules_from_deadline(row.deadline) is None:
            lines.append("    # 公开时限未能识别为检查规则：请补充 rules:（见 docs/config.md）")
        if demands_consecutive_numbers(row):
            # The 文号 checks need the series' prefixes, which only the bureau knows (the table
            # says "局发", the documents say "临住建发"): left for validate to ask for.
            lines.append("    # 责任分工要求连号更新：填写发文字号的机关代字，如 [临住建发, 临住建办发]，"
                         "以检查缺号、重号")
            lines.append(f"    doc_series: [{_q(DOC_SERIES_PLACEHOLDER)}]")
        lines.append(f"    columns: [{{name: {_q(row.name)}, url: {_q(PLACEHOLDER)}}}]")
    return "\n".join(lines) + "\n"


__all__ = ["CatalogRow", "CatalogTable", "CatalogImportError", "import_catalog", "read_table",
           "text_rows", "xlsx_rows", "split_units", "to_yaml", "HEADER_ALIASES",
           "demands_consecutive_numbers", "DOC_SERIES_PLACEHOLDER"]
