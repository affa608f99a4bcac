"""Reading a returned monthly form (月度填报表) into its cells, or refusing the file with a reason.

Stage: 实施. Input: one file from inputs/monthly/YYYY-MM/. Values (and the values Excel last computed for
formula cells) are read with python-calamine; formula text from the entry sheet's XML, so both are kept.
Output: `FormReturn` — the form's metadata (template version, period, district, unit), who saved it, and
every entry row with the raw content and position of each value cell, formulas told apart from their cached
values — or `FileRefused`, naming the file and saying what is wrong (not a form, .xls/.csv, corrupt,
password-protected, too large).
"""
from __future__ import annotations

import hashlib
import html
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from lxml import etree
from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from python_calamine import CalamineError, CalamineWorkbook

from pipeline.forms.layout import (
    FIRST_ROW,
    KEY_COL,
    META_SHEET,
    NAME_COL,
    SHEET,
    VALUE_FIELDS,
    column_letter,
    column_of,
    meta_values,
)
from pipeline.zipguard import read_part

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
FORMULA_TAG = re.compile(rb"<([A-Za-z_][\w.-]*:)?f[\s/>]")  # <f>, <f t="shared" .../>, <x:f>
ERROR_CELL = re.compile(rb'<([A-Za-z_][\w.-]*:)?c\s[^>]*?\bt="e"')  # <c r="G5" t="e"><v>#N/A</v></c>
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PROPERTIES_LIMIT = 1 << 20  # bytes: a workbook's document properties are a few hundred


class FileRefused(ValueError):
    """A file that is not a readable entry form; the message names the file and the reason."""

    def __init__(self, path: Path, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"{path.name}：{reason}")


class Cell(NamedTuple):
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
    properties: dict[str, str] = field(default_factory=dict)  # the workbook's own custom properties (district …)


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
    try:
        return _read(path, data)
    except FileRefused:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, CalamineError, etree.XMLSyntaxError) as exc:
        raise FileRefused(path, f"文件已损坏，无法打开（{type(exc).__name__}）；请重新保存后报送") from exc


def _read(path: Path, data: bytes) -> FormReturn:
    """Values (cached values for formula cells) with python-calamine, formula text from the entry sheet's XML."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    if SHEET not in book.sheet_names or META_SHEET not in book.sheet_names:
        raise FileRefused(path, f"不是本系统下发的填报表（缺少“{SHEET}”或“{META_SHEET}”工作表）")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        markup = sheet_markup(archive, SHEET)
        names = archive.namelist()
        core = read_part(archive, "docProps/core.xml", PROPERTIES_LIMIT).decode("utf-8") \
            if "docProps/core.xml" in names else ""
        custom = read_part(archive, "docProps/custom.xml", PROPERTIES_LIMIT) if "docProps/custom.xml" in names \
            else b""
    meta = meta_values(book.get_sheet_by_name(META_SHEET).to_python())
    who = re.search(r"<cp:lastModifiedBy>(.*?)</cp:lastModifiedBy>", core) or re.search(
        r"<dc:creator>(.*?)</dc:creator>", core)
    return FormReturn(path, hashlib.sha256(data).hexdigest(), meta["template_version"], meta["period"],
                      meta["district_code"], meta["lead_unit"], html.unescape(who.group(1)) if who else "",
                      _rows(book.get_sheet_by_name(SHEET), markup), _custom_properties(custom))


def _custom_properties(xml: bytes) -> dict[str, str]:
    """The workbook's custom properties (the form writer sets district_code and lead_unit as the _meta sheet does;
    editing the hidden sheet leaves them as they were), as name → text; {} when there are none or they cannot be
    read. `unit` is the lead unit, named as FormReturn names it."""
    if not xml:
        return {}
    try:
        root = _parse(xml)
    except etree.XMLSyntaxError:
        return {}
    found = {p.get("name"): "".join(p.itertext()).strip() for p in root if p.get("name")}
    return {("unit" if k == "lead_unit" else k): v for k, v in found.items()}


def _rows(sheet, markup: Markup) -> list[FormRow]:
    """The entry rows below the header (pipeline/forms/layout.py): key from the hidden column, each value cell
    with its formula, if any; an error value (#N/A) is kept as the cell's content, so validation rejects it
    instead of losing it."""
    formulas, errors = markup
    columns = [(field_name, column_of(field_name), column_letter(column_of(field_name))) for field_name in VALUE_FIELDS]
    pad = [""] * (max(KEY_COL, NAME_COL, *(col for _, col, _ in columns)) + 1)
    rows = []
    for r, values in enumerate(sheet.to_python(skip_empty_area=False), start=1):  # from A1, empty area kept
        if r <= FIRST_ROW:  # r counts from 1: the title, note and header rows
            continue
        cell = values + pad  # calamine gives "" for an empty cell (and for an error value)
        if cell[KEY_COL] == "" and cell[NAME_COL] == "" and all(
                cell[col] == "" and (r, col + 1) not in formulas and (r, col + 1) not in errors
                for _, col, _ in columns):
            continue
        row = FormRow(r, str(cell[KEY_COL]).strip(), str(cell[NAME_COL]))
        row.cells = {field_name: Cell(f"{letter}{r}", errors.get((r, col + 1)) if cell[col] == "" else cell[col],
                                      formulas.get((r, col + 1), "")) for field_name, col, letter in columns}
        rows.append(row)
    return rows


class Markup(NamedTuple):
    """What calamine's values leave out of a worksheet, by 1-based (row, column): each formula as Excel shows
    it ("=..."), and each error value (#N/A, #DIV/0!), which calamine gives as an empty cell."""

    formulas: dict[tuple[int, int], str]
    errors: dict[tuple[int, int], str]


def sheet_markup(archive: zipfile.ZipFile, sheet: str) -> Markup:
    """The formulas and error values of one worksheet; a shared formula is translated to each cell it
    covers, as Excel and openpyxl do."""
    if not any(_may_hold_markup(archive.read(name)) for name in archive.namelist()
               if name.startswith("xl/worksheets/") and name.endswith(".xml")):
        return Markup({}, {})  # most forms: no need to find which part holds the sheet
    xml = archive.read(_sheet_part(archive, sheet))
    end = _cells_end(xml)
    found = list(FORMULA_TAG.finditer(xml, 0, end)) + (
        list(ERROR_CELL.finditer(xml, 0, end)) if xml.find(b't="e"', 0, end) >= 0 else [])
    if not found:
        return Markup({}, {})
    parsed, ns = _cells_of(xml, found), {"m": MAIN_NS}
    masters: dict[str, tuple[str, str]] = {}
    cells: list[tuple[str, str, str]] = []
    for f in parsed.xpath("//m:c/m:f", namespaces=ns):
        address, shared = _address(f.getparent()), f.get("si") if f.get("t") == "shared" else None
        if shared is not None and f.text:
            masters[shared] = (address, f.text)
        cells.append((address, f.text or "", shared))
    formulas = {}
    for address, text, shared in cells:
        if not text and shared in masters:
            origin, master = masters[shared]
            text = Translator(f"={master}", origin=origin).translate_formula(address)[1:]
        if text:
            formulas[_position(address)] = f"={text}"
    errors = {_position(_address(c)): c.findtext("m:v", "#N/A", ns) for c in parsed.xpath('//m:c[@t="e"]',
                                                                                         namespaces=ns)}
    return Markup(formulas, errors)


def _address(cell) -> str:
    """A cell's address ('G5'); a cell without one cannot be placed, so the file is refused as damaged."""
    address = cell.get("r")
    if not address:
        raise ValueError("单元格缺少地址（r）")
    return address


def _position(address: str) -> tuple[int, int]:
    column, row = coordinate_from_string(address)
    return row, column_index_from_string(column)


def _may_hold_markup(xml: bytes) -> bool:
    """Whether a worksheet's cells hold a formula or an error value: plain byte searches over the cell data
    first (most forms hold neither; the data validations after it hold <formula1>), the exact patterns only
    when they hit."""
    end = _cells_end(xml)
    return ((xml.find(b"<f", 0, end) >= 0 or xml.find(b":f", 0, end) >= 0)
            and FORMULA_TAG.search(xml, 0, end) is not None) or (
        xml.find(b't="e"', 0, end) >= 0 and ERROR_CELL.search(xml, 0, end) is not None)


def _cells_end(xml: bytes) -> int:
    """Where a worksheet's cells end (what follows, such as data validations, holds no cell)."""
    end = xml.find(b"sheetData>", xml.find(b"sheetData") + 1)  # the closing tag, with a prefix or without
    return end if end > 0 else len(xml)


def _cells_of(xml: bytes, found: list[re.Match]):
    """The cells around the matches, parsed on their own (a sheet is mostly plain values, and parsing all of
    it costs more than the rest of reading the form); the whole sheet when a cell cannot be cut out."""
    fragments = []
    for match in found:
        prefix = match.group(1) or b""
        start = xml.rfind(b"<" + prefix + b"c ", 0, match.start() + len(prefix) + 3)  # the match's own cell
        end = xml.find(b"</" + prefix + b"c>", match.end())
        if start < 0 or end < 0:
            return _parse(xml)
        fragments.append(xml[start:end + len(prefix) + 4])
    prefix = found[0].group(1)
    declare = b"xmlns" + (b":" + prefix[:-1] if prefix else b"")
    cells = b"".join(dict.fromkeys(fragments))
    try:
        return _parse(b'<cells %s="%s">%s</cells>' % (declare, MAIN_NS.encode(), cells))
    except etree.XMLSyntaxError:
        return _parse(xml)


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str:
    """The zip member holding the worksheet called `sheet` (workbook.xml names it, its rels file places it)."""
    book = _parse(archive.read("xl/workbook.xml"))
    rid = next((s.get(f"{{{REL_NS}}}id") for s in book.iter(f"{{{MAIN_NS}}}sheet") if s.get("name") == sheet), None)
    rels = _parse(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels if r.get("Id") == rid), None)
    if target is None:
        raise KeyError(f"worksheet {sheet} has no part")  # a damaged file: read_return says so
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")


def _parse(xml: bytes):
    """Parse a part of a returned file without expanding entities or fetching anything (it is untrusted)."""
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
