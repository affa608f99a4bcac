"""The review workbook (审核表) of one district: every item the machine proposes, least certain first, for the office
to confirm (采用), remove (剔除) or correct (名称, 单位, 牵头单位, 配合单位) before anything goes out.

Stage: render (编制). Input: the review rows of pipeline.plan.review.item_rows (with the decisions in force) and the
district's units (departments.csv). Output: outputs/review/<code>_<district>_审核表.xlsx in the house style: title,
填报单位 line, a note, frozen header, A4 landscape with page numbers; every cell locked but the six editable columns;
dropdowns for 采用 and the units; a hidden 编号 and 校验 per row; hidden sheets _原值 (the row as written, to find a
changed proposal or key) and _单位 (the dropdown's list); a 说明 sheet on how to fill it in. Renderers never parse:
the reader of the returned workbook is pipeline.plan.review.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
import yaml

from pipeline.forms.review_layout import (
    ABOUT_SHEET,
    ADOPT,
    COLUMNS,
    FIRST_ROW,
    HEADER_ROW,
    HIDDEN,
    REMOVE,
    SHEET,
    WRITTEN_FIELDS,
    WRITTEN_SHEET,
    check_code,
    column_of,
)
from pipeline.render.cells import merge_text, write_text
from pipeline.render.sheet_layout import (
    Column,
    freeze_and_filter,
    info_line,
    setup_page,
    write_header,
    write_title_block,
)
from pipeline.render.styles import Formats, StyleSheet, new_workbook
from pipeline.render.text_fit import fit_row
from pipeline.tables import ITEM_WORDS

UNITS_SHEET = "_单位"
QUOTE_SHOWN = 300  # characters of a long quote shown in the sheet (the whole stays in the tables)
_FOLDED = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")


def load_words(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """(the note above the header, the 说明 sheet's lines) from templates/review_workbook.yaml."""
    words = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    fill = {"adopt": ADOPT, "remove": REMOVE}

    def joined(text: str) -> str:  # YAML folds a line break into a space, which Chinese has none of
        return _FOLDED.sub("", text.format(**fill))

    return joined(words["note"]), [(a["label"], joined(a["text"])) for a in words["about"]]


def render_review_workbook(path: Path, code: str, district: str, rows: pd.DataFrame, units: list[str],
                           styles: StyleSheet, date: str, words: tuple[str, list[tuple[str, str]]]) -> Path:
    """Write the review workbook of one district to `path` and return it (`words`: see `load_words`)."""
    note, about = words
    wb, fmts = new_workbook(path, styles)
    wb.set_properties({"title": f"{district}规划条目审核表", "author": styles.office.of(district)})
    _write_units_sheet(wb, units)
    _write_review_sheet(wb, fmts, styles, district, rows, len(units), date, note)
    _write_about_sheet(wb, fmts, styles, district, date, about)
    _write_written_sheet(wb, code, rows)
    wb.worksheets_objs.insert(0, wb.worksheets_objs.pop(1))  # the review sheet first, the lists after it
    wb.get_worksheet_by_name(SHEET).activate()
    wb.close()
    return path


def _write_review_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet, district: str,
                        rows: pd.DataFrame, unit_count: int, date: str, note: str) -> None:
    layout = [Column(c.header, c.width) for c in COLUMNS]
    last_col = len(COLUMNS) - 1
    ws = wb.add_worksheet(SHEET)
    write_title_block(ws, fmts, f"{district}规划条目审核表（指标、项目、任务及牵头单位）",
                      info_line(styles.office.of(district), "见各行", date), last_col)
    merge_text(ws, (HEADER_ROW - 1, 0), (HEADER_ROW - 1, last_col), note, fmts.note)
    fit_row(ws, fmts, HEADER_ROW - 1, [Column("", sum(c.width for c in COLUMNS if c.field not in HIDDEN))],
            {0: note})
    write_header(ws, fmts, HEADER_ROW, layout)
    for field in HIDDEN:
        col = column_of(field)
        ws.set_column(col, col, COLUMNS[col].width, None, {"hidden": True})
    for offset, row in enumerate(rows.to_dict("records")):
        _write_row(ws, fmts, FIRST_ROW + offset, offset + 1, row, layout)
    last = FIRST_ROW + max(len(rows), 1) - 1
    _validations(ws, unit_count, last)
    ws.protect(styles.entry_form.password, {"autofilter": True, "format_columns": True})
    freeze_and_filter(ws, HEADER_ROW, last, last_col)
    setup_page(ws, styles, HEADER_ROW)


def _write_row(ws: Any, fmts: Formats, row: int, number: int, r: dict, layout: list[Column]) -> None:
    """One item: the proposal and the source locked, the six editable cells open (prefilled with what is in force)."""
    doubt = "；".join(x for x in (r["item_reason"], f"牵头单位：{r['lead_reason']}" if r["lead_reason"] else "") if x)
    status = {"pending": "待确认", "removed": "已剔除", "confirmed": "已审核"}.get(r["review"], "")
    locked = {"number": number, "kind": ITEM_WORDS[r["item_type"]], "confidence": f"{r['confidence']:.0%}",
              "doubt": f"{status}：{doubt}" if status else doubt, "proposed_name": r["printed_name"] or r["name"],
              "proposed_unit": r["unit_proposed"], "category": r["category"], "measure": r["measure"],
              "target": r["target"], "proposed_lead": r["proposed_lead"], "proposed_co": r["co_proposed"],
              "area": r["area"].replace("|", "、"), "source": r["source"],
              "quote": r["quote"] if len(r["quote"]) <= QUOTE_SHOWN else f"{r['quote'][:QUOTE_SHOWN]}…（全文见出处）",
              "key": r["key"], "check": check_code(r["key"])}
    for field, value in locked.items():
        col = column_of(field)
        if field == "number":
            ws.write_number(row, col, value, fmts.count)
        else:
            write_text(ws, row, col, value, fmts.body_wrap if COLUMNS[col].width >= 12 else fmts.body_center)
    for field, value in _editable(r).items():  # a project or task has no unit: its 单位 cell stays shut
        shut = field == "unit" and r["item_type"] != "indicator"
        write_text(ws, row, column_of(field), value, fmts.not_applicable if shut else fmts.input_text)
    fit_row(ws, fmts, row, layout, {column_of(f): str(locked[f]) for f in ("doubt", "proposed_name", "quote", "source",
                                                                          "category", "target")})


def _editable(r: dict) -> dict[str, str]:
    """The editable cells as written: the decision in force, else the machine's proposal (a lead unit below the
    threshold is offered, so that 采用 confirms it)."""
    return {"adopt": {"confirmed": r["adopt_in_force"], "removed": REMOVE}.get(r["review"], ""),
            "name": r["name"], "unit": r["unit"], "lead": r["lead"] or r["proposed_lead"],
            "co": r["co"].replace("|", "、"), "remark": r["remark_in_force"]}


def _validations(ws: Any, unit_count: int, last: int) -> None:
    """采用: 采用 or 剔除; 牵头单位: one unit of the list; 配合单位: units of the list (several allowed: a warning)."""
    units = f"={UNITS_SHEET}!$A$1:$A${max(unit_count, 1)}"
    col = column_of("adopt")
    ws.data_validation(FIRST_ROW, col, last, col, {
        "validate": "list", "source": [ADOPT, REMOVE], "input_title": "采用或剔除",
        "input_message": f"{ADOPT}：按本行采用；{REMOVE}：不列入任何输出", "error_title": "只能选择采用或剔除",
        "error_message": f"请从下拉列表中选择：{ADOPT}、{REMOVE}", "error_type": "stop"})
    col = column_of("lead")
    ws.data_validation(FIRST_ROW, col, last, col, {
        "validate": "list", "source": units, "input_title": "牵头单位", "input_message": "从下拉列表选择一个本区单位",
        "error_title": "不在本区单位名单中", "error_message": "请从下拉列表中选择本区单位（departments.csv）",
        "error_type": "stop"})
    col = column_of("co")
    ws.data_validation(FIRST_ROW, col, last, col, {
        "validate": "list", "source": units, "input_title": "配合单位",
        "input_message": "从下拉列表选择；多个单位用“、”分隔", "error_title": "请核对配合单位",
        "error_message": "多个单位请用“、”分隔，每个都须在本区单位名单中", "error_type": "information"})


def _write_units_sheet(wb: xlsxwriter.Workbook, units: list[str]) -> None:
    ws = wb.add_worksheet(UNITS_SHEET)
    for row, unit in enumerate(units):
        ws.write_string(row, 0, unit)
    ws.hide()


def _write_written_sheet(wb: xlsxwriter.Workbook, code: str, rows: pd.DataFrame) -> None:
    """_原值: the district, then per row the key, the proposal and the editable cells as written."""
    ws = wb.add_worksheet(WRITTEN_SHEET)
    ws.write_string(0, 0, "district_code")
    ws.write_string(0, 1, code)
    fields = WRITTEN_FIELDS
    for col, field in enumerate(fields):
        ws.write_string(1, col, field)
    for offset, r in enumerate(rows.to_dict("records")):
        values = {"key": r["key"], "proposed_name": r["printed_name"] or r["name"], "proposed_unit": r["unit_proposed"],
                  "proposed_lead": r["proposed_lead"], "proposed_co": r["co_proposed"], **_editable(r)}
        for col, field in enumerate(fields):
            ws.write_string(2 + offset, col, str(values.get(field, "")))
    ws.protect()
    ws.hide()


def _write_about_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet, district: str, date: str,
                       about: list[tuple[str, str]]) -> None:
    ws = wb.add_worksheet(ABOUT_SHEET)
    write_title_block(ws, fmts, f"{district}规划条目审核表·填写说明", info_line(styles.office.of(district), "—", date),
                      1)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 90)
    for offset, (label, text) in enumerate(about):
        write_text(ws, HEADER_ROW + offset, 0, label, fmts.header)
        write_text(ws, HEADER_ROW + offset, 1, text, fmts.body_wrap)
        fit_row(ws, fmts, HEADER_ROW + offset, [Column("", 16), Column("", 90)], {1: text})
    setup_page(ws, styles, HEADER_ROW - 1)
