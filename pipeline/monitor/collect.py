"""Reading a returned monthly form (月度填报表) into its cells, or refusing the file with a reason.

Stage: 实施. Input: one file from inputs/monthly/YYYY-MM/. A form without formulas is read with
python-calamine (fast); one with formulas with openpyxl, twice, for each formula's text and cached value.
Output: `FormReturn` — the form's metadata (template version, period, district, unit), who saved it, and
every entry row with the raw content and position of each value cell, formulas told apart from their cached
values — or `FileRefused`, naming the file and saying what is wrong (not a form, .xls/.csv, corrupt,
password-protected, too large).
"""
from __future__ import annotations

import hashlib
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from pipeline.render.entry_forms import (
    ATTAINMENT_COL,
    HEADER_ROW,
    ISSUES_COL,
    KEY_COL,
    META_SHEET,
    MONTH_COL,
    PROGRESS_COL,
    REMARK_COL,
    SHEET,
    TO_DATE_COL,
)

VALUE_COLUMNS = {"month": MONTH_COL, "to_date": TO_DATE_COL, "progress": PROGRESS_COL,
                 "attainment": ATTAINMENT_COL, "issues": ISSUES_COL, "remark": REMARK_COL}


class FileRefused(ValueError):
    """A file that is not a readable entry form; the message names the file and the reason."""

    def __init__(self, path: Path, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"{path.name}：{reason}")


@dataclass(frozen=True)
class Cell:
    """One value cell as returned: its address, what was typed (or the formula), and the cached value."""

    address: str
    raw: object
    formula: str = ""


@dataclass
class FormRow:
    """One entry row: the hidden key, the printed name, and the value cells."""

    row: int
    key: str
    name: str
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass
class FormReturn:
    """A returned form: where it came from, what it says it is, and its rows."""

    path: Path
    sha256: str
    template_version: str
    period: str
    district_code: str
    unit: str
    submitted_by: str
    rows: list[FormRow]


def read_return(path: Path, max_mb: float) -> FormReturn:
    """Read one returned form; raise FileRefused with a reason a clerk can act on."""
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        raise FileRefused(path, f"文件过大（{size / 1024 / 1024:.0f} MB，上限 {max_mb:g} MB），未读取；"
                                "请只提交下发的填报表")
    data = path.read_bytes()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(path, "文件设有打开密码或为旧版 .xls 格式，无法读取；请取消密码并另存为 .xlsx 后重新报送")
    if not data.startswith(b"PK"):
        kind = {".csv": "CSV 文本", ".xls": "旧版 Excel"}.get(path.suffix.lower(), "非 Excel")
        raise FileRefused(path, f"不是填报表（{kind}文件）；请用下发的 .xlsx 填报表填写后报送")
    sha = hashlib.sha256(data).hexdigest()
    try:
        fast = _read_fast(path, data, sha)
        if fast is not None:
            return fast
        formulas = load_workbook(path, data_only=False)
        if SHEET not in formulas.sheetnames or META_SHEET not in formulas.sheetnames:
            raise FileRefused(path, f"不是本系统下发的填报表（缺少“{SHEET}”或“{META_SHEET}”工作表）")
        cached = _cached_values(data)
    except FileRefused:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, CalamineError) as exc:
        raise FileRefused(path, f"文件已损坏，无法打开（{type(exc).__name__}）；请重新保存后报送") from exc
    meta = {str(r[0]): str(r[1] if r[1] is not None else "") for r in formulas[META_SHEET].iter_rows(
        max_col=2, values_only=True) if r[0] is not None}
    props = formulas.properties
    return FormReturn(path, sha, meta.get("模板版本", ""), meta.get("期间", ""), meta.get("区", ""),
                      meta.get("填报单位", ""), props.lastModifiedBy or props.creator or "",
                      _rows(formulas[SHEET], cached))


def _read_fast(path: Path, data: bytes, sha: str) -> FormReturn | None:
    """Read a form without formulas with python-calamine (values only, many times faster than openpyxl);
    None when the file has formulas (their text and cached values need openpyxl) or is not a known form."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if holds_formulas(archive):
            return None
        core = archive.read("docProps/core.xml").decode("utf-8") if "docProps/core.xml" in archive.namelist() \
            else ""
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    if SHEET not in book.sheet_names or META_SHEET not in book.sheet_names:
        return None
    meta = {str(r[0]): str(r[1]) for r in book.get_sheet_by_name(META_SHEET).to_python() if len(r) > 1 and r[0]}
    sheet = book.get_sheet_by_name(SHEET)
    top = sheet.start[0] if sheet.start else 0
    who = re.search(r"<cp:lastModifiedBy>(.*?)</cp:lastModifiedBy>", core) or re.search(
        r"<dc:creator>(.*?)</dc:creator>", core)
    rows = []
    for offset, values in enumerate(sheet.to_python(skip_empty_area=False)):
        r = top + offset + 1
        if r < HEADER_ROW + 2:
            continue
        cell = [v if v != "" else None for v in values] + [None] * (KEY_COL + 1 - len(values))
        if cell[KEY_COL] is None and cell[2] is None and all(cell[c] is None for c in VALUE_COLUMNS.values()):
            continue
        row = FormRow(r, str(cell[KEY_COL] or "").strip(), str(cell[2] or ""))
        for field_name, col in VALUE_COLUMNS.items():
            row.cells[field_name] = Cell(f"{get_column_letter(col + 1)}{r}", cell[col])
        rows.append(row)
    return FormReturn(path, sha, meta.get("模板版本", ""), meta.get("期间", ""), meta.get("区", ""),
                      meta.get("填报单位", ""), html.unescape(who.group(1)) if who else "", rows)


def holds_formulas(archive: zipfile.ZipFile) -> bool:
    """Whether any worksheet of an .xlsx holds a formula cell (<f>), which only openpyxl reads as text."""
    for name in archive.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            xml = archive.read(name)
            if b"<f>" in xml or b"<f " in xml:
                return True
    return False


def _cached_values(data: bytes):
    """The values Excel last computed for the entry sheet's cells, as a lookup by 1-based (row, column);
    read with python-calamine so a form holding formulas is parsed by openpyxl only once."""
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(SHEET)
    top, left = sheet.start if sheet.start else (0, 0)
    grid = sheet.to_python(skip_empty_area=False)

    def value(row: int, column: int) -> object:
        r, c = row - 1 - top, column - 1 - left
        found = grid[r][c] if 0 <= r < len(grid) and 0 <= c < len(grid[r]) else None
        return None if found == "" else found
    return value


def _rows(ws_formulas, cached) -> list[FormRow]:
    """The entry rows below the header: key from the hidden column, value cells with cached values
    (`cached(row, column)`)."""
    rows = []
    first = HEADER_ROW + 2  # 1-based row after the header
    for r in range(first, ws_formulas.max_row + 1):
        key = ws_formulas.cell(r, KEY_COL + 1).value
        name = ws_formulas.cell(r, 3).value
        if key is None and name is None and all(
                ws_formulas.cell(r, c + 1).value is None for c in VALUE_COLUMNS.values()):
            continue
        row = FormRow(r, str(key or "").strip(), str(name or ""))
        for field_name, col in VALUE_COLUMNS.items():
            typed = ws_formulas.cell(r, col + 1).value
            address = f"{get_column_letter(col + 1)}{r}"
            if isinstance(typed, str) and typed.startswith("="):
                row.cells[field_name] = Cell(address, cached(r, col + 1), typed)
            else:
                row.cells[field_name] = Cell(address, typed)
        rows.append(row)
    return rows
