"""Blank monthly entry forms (月度填报表), one per lead unit of a district.

Stage: render (实施). Inputs: the indicators, projects and responsibilities tables (DataFrames), the period
(YYYY-MM), the district, the house style, the form template version and the units file (which units count
whole things). Output: `<out_dir>/<period>/<code>_<unit>.xlsx`: one protected sheet 月度填报 where only the
value cells can be edited (whole numbers in count rows such as 个/户, decimals elsewhere, dropdowns), a
hidden key column (indicator_id or project_id) and a hidden sheet _meta with the template version, period
and district (also in the workbook's custom properties). Where each of these sits is pipeline/forms/layout.py,
which the reader of the returned forms (pipeline/monitor/collect.py) uses too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_range, xl_rowcol_to_cell

from pipeline.forms.layout import (
    ATTAINMENT_COL,
    CATEGORY_COL,
    CLEAR_WORD,
    COLUMNS,
    FIRST_ROW,
    HEADER_ROW,
    ISSUES_COL,
    KEY_COL,
    LEVEL_ASKED,
    META_FIELDS,
    META_LABEL_COL,
    META_SHEET,
    META_VALUE_COL,
    MONTH_COL,
    NAME_COL,
    NOTE_ROW,
    NUMBER_COL,
    PROGRESS_COL,
    REMARK_COL,
    SHEET,
    TARGET_COL,
    TO_DATE_COL,
    UNIT_COL,
    adds_up,
    header_of,
    meta_lines,
)
from pipeline.numbers import as_number, as_text
from pipeline.periods import check_month
from pipeline.render.cells import merge_text, write_text
from pipeline.render.figures import figure_text, write_figure
from pipeline.render.plan_context import indicator_name, is_unassigned
from pipeline.render.sheet_layout import Column, freeze_and_filter, setup_page, write_header, write_title_block
from pipeline.render.styles import Formats, StyleSheet, new_workbook
from pipeline.render.table_rows import item_number, of_district
from pipeline.render.text_fit import fit_row
from pipeline.tables import named_indicators, published
from pipeline.units import Units

FORM_COLUMNS = tuple(Column(column.header, column.width) for column in COLUMNS)  # pipeline/forms/layout.py
ENTRY_ROW_HEIGHT = 24  # points: room to write by hand on a printed form
DECIMAL_LIMIT = 1e15  # any real figure fits; the bounds only make Excel check "is a number"
FORM_NOTE = (f"说明：请只在黄色单元格中填写。“{header_of('month')}”“{header_of('to_date')}”只填数字、不带单位："
             f"指标按“{header_of('unit')}”列填写，项目填写完成投资（亿元）；存量、比率和增速指标只填"
             f"“{header_of('to_date')}”一栏：存量填期末值，比率填当前值，增速填年初至今累计增速。"
             f"“{header_of('progress')}”（项目）和“{header_of('attainment')}”（指标）请从下拉列表中选择；"
             f"“{header_of('issues')}”“{header_of('remark')}”可填文字。请勿增删行列或改动其他单元格。"
             f"本月再次报送（更正）时，留空的格沿用此前报送的值；要清除此前报送的某个值，在该格填写“{CLEAR_WORD}”。")
CLEAR_NOTE = f"更正时要清除此前报送的值，请填写“{CLEAR_WORD}”。"

UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class FormRow:
    """One line of a form: an indicator or a project a unit leads."""

    item_type: str  # indicator | project
    key: str
    name: str
    unit: str
    target: str  # as printed, with the year it is for
    whole: bool = False  # a count (个, 户 …): the figure cells take whole numbers only
    target_value: float | None = None  # the number in the target, kept numeric in its cell
    measure: str = "flow"  # a flow adds up month by month; a stock, rate or growth rate is asked as one figure

    @property
    def adds_up(self) -> bool:
        """Whether the row asks for this month's figure and the running total (else only the level to date)."""
        return adds_up(self.measure)


@dataclass(frozen=True)
class FormHeading:
    """What identifies one form: district, unit, period and template version."""

    district_code: str
    district: str
    unit: str
    period: str
    template_version: str

    def meta(self) -> dict[str, str]:
        """The value of each field of the form's _meta sheet (pipeline/forms/layout.py, META_FIELDS)."""
        return {"template_version": self.template_version, "period": self.period,
                "district_code": self.district_code, "lead_unit": self.unit}


def build_entry_forms(out_dir: Path | str, period: str, district_code: Any, district: str,
                      indicators: pd.DataFrame, projects: pd.DataFrame, responsibilities: pd.DataFrame,
                      styles: StyleSheet, template_version: str, units: Units) -> list[Path]:
    """Write one blank form per lead unit of the district to `<out_dir>/<period>/`; return their paths."""
    check_month(period)
    code = as_text(district_code)
    rows_by_unit = form_rows(of_district(indicators, code), of_district(projects, code),
                             of_district(responsibilities, code), units)
    paths = []
    for unit, rows in rows_by_unit.items():
        heading = FormHeading(code, district, unit, period, template_version)
        paths.append(_write_form(Path(out_dir) / period / form_file_name(code, unit), heading, rows, styles))
    return paths


def form_file_name(district_code: str, unit: str) -> str:
    """'<code>_<unit>.xlsx', with characters a file name cannot hold replaced by '_'.

    >>> form_file_name("230113", "区发展和改革局"), form_file_name("230113", "区住建局/城管局")
    ('230113_区发展和改革局.xlsx', '230113_区住建局_城管局.xlsx')
    """
    return f"{district_code}_{UNSAFE_IN_FILE_NAME.sub('_', unit)}.xlsx"


def unit_full_name(district: str, unit: str) -> str:
    """The unit's name with its district: '<district><unit>', without saying 区 twice.

    >>> unit_full_name("双城区", "区工业和信息化局"), unit_full_name("双城区", "双城区教育局")
    ('双城区工业和信息化局', '双城区教育局')
    >>> unit_full_name("双城区", "承旭街道办事处")
    '双城区承旭街道办事处'
    """
    if unit.startswith(district):
        return unit
    if unit.startswith("区") and district.endswith("区"):
        return district + unit[1:]
    return district + unit


def form_rows(indicators: pd.DataFrame, projects: pd.DataFrame, responsibilities: pd.DataFrame,
              units: Units) -> dict[str, list[FormRow]]:
    """The rows of every lead unit's form, units in name order: its indicators, then its projects."""
    leads = {(as_text(r["item_type"]), as_text(r["item_id"])): as_text(r.get("lead_unit"))
             for r in responsibilities.to_dict("records") if not is_unassigned(r) and as_text(r.get("lead_unit"))}
    rows = [r for r in _indicator_rows(indicators, units) + _project_rows(published(projects))
            if (r.item_type, r.key) in leads]
    units = sorted({leads[(r.item_type, r.key)] for r in rows})
    return {unit: [r for r in rows if leads[(r.item_type, r.key)] == unit] for unit in units}


def _indicator_rows(indicators: pd.DataFrame, units: Units) -> list[FormRow]:
    """Indicators in plan order (table rows by item, then prose targets by line); a count unit asks for whole
    numbers (units.yaml decides, with the indicator's name and target)."""
    records = sorted(named_indicators(indicators)[0].to_dict("records"),
                     key=lambda r: (as_text(r.get("source")) != "table", as_text(r.get("doc_id")),
                                    item_number(r.get("item_no")), item_number(r.get("line"))))
    return [FormRow("indicator", as_text(r["indicator_id"]), indicator_name(r), as_text(r.get("unit")),
                    _target(r.get("target_text"), r.get("target_year")),
                    units.is_whole_number(as_text(r.get("unit")), indicator_name(r), as_number(r.get("target_value"))),
                    as_number(r.get("target_value")), as_text(r.get("measure_type")) or "flow")
            for r in records]


def _project_rows(projects: pd.DataFrame) -> list[FormRow]:
    """Projects in plan order (专栏, item, line); their figures are investments in 亿元."""
    records = sorted(projects.to_dict("records"),
                     key=lambda r: (as_text(r.get("doc_id")), item_number(r.get("column_no")),
                                    item_number(r.get("item_no")), item_number(r.get("line"))))
    return [FormRow("project", as_text(r["project_id"]), as_text(r.get("name")), "亿元",
                    as_text(r.get("investment_text")), False) for r in records]


def _target(printed: Any, year: Any) -> str:
    """The target as printed, with the year it is for.

    >>> _target("5 以上", 2025.0), _target("6%左右", ""), _target("", "2025")
    ('5 以上（2025年）', '6%左右', '')
    """
    text, year_text = as_text(printed), as_text(year)
    return f"{text}（{year_text}年）" if text and year_text else text


# ---------------------------------------------------------------- one form

def _write_form(path: Path, heading: FormHeading, rows: list[FormRow], styles: StyleSheet) -> Path:
    """Write one unit's form and return its path."""
    wb, fmts = new_workbook(path, styles)
    meta = heading.meta()
    for field in META_FIELDS:
        wb.set_custom_property(field.name, meta[field.name])
    _write_entry_sheet(wb, fmts, styles, heading, rows)
    _write_meta_sheet(wb, fmts, heading, styles.entry_form.password)
    wb.close()
    return path


def _write_entry_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet, heading: FormHeading,
                       rows: list[FormRow]) -> None:
    """月度填报: title, 填报单位 line, note, header, one row per item; protected but for the value cells."""
    last_col = len(FORM_COLUMNS) - 1
    ws = wb.add_worksheet(SHEET)
    # Title, 填报单位 line and the note on how to fill in the form
    unit = unit_full_name(heading.district, heading.unit)
    write_title_block(ws, fmts, f"{unit} {heading.period} 规划实施情况月度填报表",
                      f"填报单位：{unit}    单位：见各行    填报日期：________", last_col)
    fit_row(ws, fmts, NOTE_ROW, [Column("", sum(c.width for c in FORM_COLUMNS[:-1]))], {0: FORM_NOTE})
    merge_text(ws, (NOTE_ROW, 0), (NOTE_ROW, last_col - 1), FORM_NOTE, fmts.note)
    # Header; the key column is hidden
    write_header(ws, fmts, HEADER_ROW, FORM_COLUMNS)
    ws.set_column(KEY_COL, KEY_COL, FORM_COLUMNS[KEY_COL].width, None, {"hidden": True})
    # Body: fixed cells locked, value cells unlocked with the input fill
    first = FIRST_ROW
    for offset, item in enumerate(rows):
        _write_form_row(ws, fmts, first + offset, offset + 1, item)
    last = first + len(rows) - 1
    # Validation: whole numbers or decimals (by unit) in the two figure columns, dropdowns for 形象进度 and 达标情况
    _add_validations(ws, styles, rows, first)
    # Protection, frozen header, filter and A4 landscape print setup
    ws.protect(styles.entry_form.password, {"autofilter": True})
    freeze_and_filter(ws, HEADER_ROW, last, last_col)
    setup_page(ws, styles, HEADER_ROW)


def _write_form_row(ws: Any, fmts: Formats, row: int, number: int, item: FormRow) -> None:
    """One item: fixed description, input cells, the hidden key."""
    is_project = item.item_type == "project"
    ws.write_number(row, NUMBER_COL, number, fmts.count)
    write_text(ws, row, CATEGORY_COL, "项目" if is_project else "指标", fmts.body_center)
    write_text(ws, row, NAME_COL, item.name, fmts.body_wrap)
    write_text(ws, row, UNIT_COL, item.unit, fmts.body_center)
    target = (item.target_value, item.target, item.unit)  # a number printed as planned: '5以上（2025年）'
    write_figure(ws, row, TARGET_COL, target, fmts, fmts.body_wrap)
    ws.write_blank(row, MONTH_COL, None, fmts.input_number if item.adds_up else fmts.not_applicable)
    ws.write_blank(row, TO_DATE_COL, None, fmts.input_number)
    ws.write_blank(row, PROGRESS_COL, None, fmts.input_choice if is_project else fmts.not_applicable)
    ws.write_blank(row, ATTAINMENT_COL, None, fmts.not_applicable if is_project else fmts.input_choice)
    ws.write_blank(row, ISSUES_COL, None, fmts.input_text)
    ws.write_blank(row, REMARK_COL, None, fmts.input_text)
    write_text(ws, row, KEY_COL, item.key, fmts.body)
    fit_row(ws, fmts, row, FORM_COLUMNS, {NAME_COL: item.name, UNIT_COL: item.unit, TARGET_COL: figure_text(target)},
            min_height=ENTRY_ROW_HEIGHT)


def _add_validations(ws: Any, styles: StyleSheet, rows: list[FormRow], first: int) -> None:
    """Figure cells: whole numbers in count rows, decimals elsewhere, each saying its unit; 形象进度 choices on
    project rows, 达标情况 choices on indicator rows."""
    if not rows:
        return
    for start, end in _spans(rows, first, lambda item: (item.whole, item.unit, item.measure)):
        item = rows[start - first]
        asked = "" if item.adds_up else LEVEL_ASKED[item.measure]
        left = MONTH_COL if item.adds_up else TO_DATE_COL
        corner = xl_rowcol_to_cell(start, left)
        rule = _whole_rule(item.unit, asked, corner) if item.whole else _decimal_rule(item.unit, asked, corner)
        ws.data_validation(xl_range(start, left, end, TO_DATE_COL), rule)
    choice = styles.entry_form
    for item_type, col, title, options in (("project", PROGRESS_COL, header_of("progress"), choice.progress),
                                           ("indicator", ATTAINMENT_COL, header_of("attainment"), choice.attainment)):
        for start, end in _row_spans(rows, item_type, first):
            ws.data_validation(xl_range(start, col, end, col), _list_rule(title, (*options, CLEAR_WORD)))


def _row_spans(rows: list[FormRow], item_type: str, first: int) -> list[tuple[int, int]]:
    """The contiguous sheet-row spans holding items of one type.

    >>> rows = [FormRow(t, "", "", "", "") for t in ("indicator", "indicator", "project", "indicator")]
    >>> _row_spans(rows, "indicator", 4), _row_spans(rows, "project", 4)
    ([(4, 5), (7, 7)], [(6, 6)])
    """
    spans = _spans(rows, first, lambda item: item.item_type)
    return [(start, end) for start, end in spans if rows[start - first].item_type == item_type]


def _spans(rows: list[FormRow], first: int, same: Any) -> list[tuple[int, int]]:
    """The contiguous sheet-row spans of rows for which `same(row)` gives the same value.

    >>> rows = [FormRow("indicator", "", "", u, "", u == "个") for u in ("个", "个", "亿元", "%", "%")]
    >>> _spans(rows, 4, lambda r: (r.whole, r.unit))
    [(4, 5), (6, 6), (7, 8)]
    """
    spans: list[tuple[int, int]] = []
    for offset, item in enumerate(rows):
        row = first + offset
        if spans and same(rows[spans[-1][0] - first]) == same(item):
            spans[-1] = (spans[-1][0], row)
        else:
            spans.append((row, row))
    return spans


def _unit_words(unit: str) -> str:
    return f"单位：{unit}" if unit else "单位：见“单位”列"


def _decimal_rule(unit: str, asked: str, corner: str) -> dict[str, Any]:
    """Any number, decimals allowed, or the clear word, with a Chinese prompt naming the row's unit (and, for a
    level, what figure is asked) and an error message; `corner` is the range's top-left cell, which the formula
    names as Excel moves it over the range."""
    return {"validate": "custom",
            "value": f'=OR(AND(ISNUMBER({corner}),ABS({corner})<={DECIMAL_LIMIT:.0f}),{corner}="{CLEAR_WORD}")',
            "input_title": "请填写数值",
            "input_message": (f"本行填写{asked}。" if asked else "")
            + f"请填写数值，可含小数（{_unit_words(unit)}）。只填数字，不带单位或文字。{CLEAR_NOTE}",
            "error_title": "不是数字",
            "error_message": f"此处只能填写数字（可带小数点和负号），请删去单位、文字和空格后重新填写。{CLEAR_NOTE}",
            "error_type": "stop"}


def _whole_rule(unit: str, asked: str, corner: str) -> dict[str, Any]:
    """Whole numbers only (a count such as 个 or 户), or the clear word, with a Chinese prompt naming the unit
    (and, for a level, what figure is asked) and an error message; `corner` as in `_decimal_rule`."""
    return {"validate": "custom",
            "value": f'=OR(AND(ISNUMBER({corner}),{corner}=INT({corner}),ABS({corner})<={DECIMAL_LIMIT:.0f}),'
                     f'{corner}="{CLEAR_WORD}")',
            "input_title": "请填写整数",
            "input_message": (f"本行填写{asked}。" if asked else "")
            + f"请填写整数（{_unit_words(unit)}）。只填数字，不带小数、单位或文字。{CLEAR_NOTE}",
            "error_title": "不是整数",
            "error_message": f"本行按“{unit}”计数，只能填写整数（不带小数点、单位、文字和空格），请重新填写。"
                             + CLEAR_NOTE,
            "error_type": "stop"}


def _list_rule(title: str, options: tuple[str, ...]) -> dict[str, Any]:
    """A dropdown of `options` with a Chinese prompt and error message."""
    return {"validate": "list", "source": list(options), "input_title": f"请选择{title}",
            "input_message": f"请从下拉列表中选择：{'、'.join(options)}",
            "error_title": f"{title}不在列表中", "error_message": f"请从下拉列表中选择：{'、'.join(options)}",
            "error_type": "stop"}


def _write_meta_sheet(wb: xlsxwriter.Workbook, fmts: Formats, heading: FormHeading, password: str) -> None:
    """_meta (hidden): template version, period and district, read back when the form returns."""
    ws = wb.add_worksheet(META_SHEET)
    for row, (label, value) in enumerate(meta_lines(heading.meta())):
        write_text(ws, row, META_LABEL_COL, label)
        write_text(ws, row, META_VALUE_COL, value)
    ws.set_column(META_LABEL_COL, META_VALUE_COL, 18)
    ws.protect(password)
    ws.hide()

