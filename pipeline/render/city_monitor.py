"""The city's 月度监测汇总 workbook: every district's indicators by status and returns by state, and every alert.

Stage: render (实施). Input: the month's status and timeliness tables of all districts, the districts listed
(code, name) and the house style. Output: `render_city_monitor` writes 各区汇总 and 预警汇总 (monitor_sheets.py).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from pipeline.numbers import as_text
from pipeline.periods import check_month
from pipeline.render.cells import merge_text, write_text
from pipeline.render.monitor_sheets import (
    REPORT_STATES,
    Heading,
    MonitorFormats,
    alert_rows,
    open_monitor_workbook,
    report_counts,
    status_counts,
    write_alert_sheet,
)
from pipeline.render.sheet_layout import (
    Column,
    chinese_date,
    finish_sheet,
    info_line,
    write_empty_note,
    write_title_block,
)
from pipeline.render.styles import Formats, StyleSheet
from pipeline.render.table_rows import of_district
from pipeline.tables import records

TOP_HEADER_ROW, SUMMARY_HEADER_ROW = 2, 3  # 各区汇总: group names over their columns, then the sub-headers
SUMMARY_LEAD = (Column("序号", 6), Column("区", 12))
REPORT_COLUMNS = (Column("应报", 7), Column("已报", 7), Column("逾期未报", 9), Column("未报", 7))


def render_city_monitor(path: Path | str, period: str, status: pd.DataFrame, timeliness: pd.DataFrame,
                        districts: pd.DataFrame, styles: StyleSheet, generated_at: datetime,
                        sample: bool = False) -> Path:
    """Write the city summary of the month (各区汇总, 预警汇总) to `path` and return it."""
    path = Path(path)
    heading = Heading(styles.office.city, "各区", check_month(period), chinese_date(generated_at), sample)
    places = [(as_text(d["district_code"]), as_text(d["district"])) for d in records(districts)]
    wb, fmts, mfmts = open_monitor_workbook(path, styles, heading.title("规划实施月度监测汇总"))
    words, alerts = styles.statuses.words, styles.statuses.alerts
    _write_summary_sheet(wb, (fmts, mfmts), styles, heading,
                         [(name, status_counts(of_district(status, code), words),
                           report_counts(of_district(timeliness, code))) for code, name in places])
    alerts = [(name, r) for code, name in places for r in alert_rows(of_district(status, code), alerts)]
    write_alert_sheet(wb, (fmts, mfmts), styles, heading, alerts, city=True)
    wb.close()
    return path


# ---------------------------------------------------------------- 各区汇总

def _write_summary_sheet(wb: xlsxwriter.Workbook, formats: tuple[Formats, MonitorFormats], styles: StyleSheet,
                         heading: Heading, rows: list[tuple[str, dict[str, int], dict[str, int]]]) -> None:
    """各区汇总: per district the indicators by status and the returns by state; a 合计 row of our own SUMs."""
    fmts, mfmts = formats
    words = mfmts.statuses.words
    groups = summary_groups(words)
    columns = SUMMARY_LEAD + tuple(c for _, group in groups for c in group)
    last_col = len(columns) - 1
    ws = wb.add_worksheet("各区汇总")
    # Title and 填报单位 line
    write_title_block(ws, fmts, heading.title("规划实施月度监测汇总表"),
                      info_line(heading.reporter, "个", heading.date), last_col)
    # Two header rows: lead columns merged down, group names merged across
    _write_summary_headers(ws, fmts, columns, groups)
    # Body: one row per district
    row = SUMMARY_HEADER_ROW + 1
    for number, (district, by_status, by_state) in enumerate(rows, start=1):
        ws.write_number(row, 0, number, fmts.count)
        write_text(ws, row, 1, district, fmts.body_center)
        figures = [by_status[s] for s in words] + [by_state[s] for s in ("应报", *REPORT_STATES)]
        for col, figure in enumerate(figures, start=len(SUMMARY_LEAD)):
            ws.write_number(row, col, figure, fmts.count)
        row += 1
    if not rows:
        row = write_empty_note(ws, fmts, row, last_col, "未列出任何区") + 1
    last_district = row - 1
    # 合计: a SUM over each column (our own formula; the data never become formulas)
    if rows:
        _write_summary_total(ws, fmts, row, (SUMMARY_HEADER_ROW + 1, last_district), rows, words)
    # Conditional formats: districts with 滞后, 预警 or 逾期未报 items stand out
    tones, report_tones = mfmts.statuses.tone_names(), mfmts.style.report_tones
    for name, tone in [(word, tones.get(word)) for word in mfmts.statuses.alerts] + [
            ("逾期未报", report_tones.get("逾期未报"))]:
        col = next(i for i, c in enumerate(columns) if c.header == name)
        if rows and tone:
            ws.conditional_format(SUMMARY_HEADER_ROW + 1, col, last_district, col,
                                  {"type": "cell", "criteria": ">", "value": 0, "format": mfmts.tones[tone]})
    # Frozen header and names, filter over the districts, print setup
    finish_sheet(ws, styles, last_district, last_col, SUMMARY_HEADER_ROW, freeze_col=2)


def summary_groups(words: Sequence[str]) -> tuple[tuple[str, tuple[Column, ...]], ...]:
    """The column groups of 各区汇总: one column per status word, then the report states."""
    return (("指标状态（个）", tuple(Column(s, 8) for s in words)), ("报送情况（个）", REPORT_COLUMNS))


def _write_summary_headers(ws: Worksheet, fmts: Formats, columns: Sequence[Column],
                           groups: Sequence[tuple[str, Sequence[Column]]]) -> None:
    """The lead headers over both rows, each group's name over its sub-columns."""
    ws.set_row(TOP_HEADER_ROW, 22)
    ws.set_row(SUMMARY_HEADER_ROW, 30)
    for col, column in enumerate(columns):
        ws.set_column(col, col, column.width)
    for col, column in enumerate(SUMMARY_LEAD):
        merge_text(ws, (TOP_HEADER_ROW, col), (SUMMARY_HEADER_ROW, col), column.header, fmts.header)
    col = len(SUMMARY_LEAD)
    for name, group in groups:
        merge_text(ws, (TOP_HEADER_ROW, col), (TOP_HEADER_ROW, col + len(group) - 1), name, fmts.header)
        for offset, column in enumerate(group):
            write_text(ws, SUMMARY_HEADER_ROW, col + offset, column.header, fmts.header)
        col += len(group)


def _write_summary_total(ws: Worksheet, fmts: Formats, row: int, rows: tuple[int, int],
                         data: list[tuple[str, dict[str, int], dict[str, int]]], words: Sequence[str]) -> None:
    """合计 row: =SUM over the districts of each count column, with the computed value cached."""
    merge_text(ws, (row, 0), (row, len(SUMMARY_LEAD) - 1), "合计", fmts.subtotal)
    keys = [(1, s) for s in words] + [(2, s) for s in ("应报", *REPORT_STATES)]
    for col, (part, key) in enumerate(keys, start=len(SUMMARY_LEAD)):
        total = sum(entry[part][key] for entry in data)
        first, last = (xl_rowcol_to_cell(r, col) for r in rows)
        ws.write_formula(row, col, f"=SUM({first}:{last})", fmts.subtotal, total)
