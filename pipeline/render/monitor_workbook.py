"""The 月度监测 workbook of one district.

Stage: render (实施). Inputs: the month's status table (one row per indicator or project: annual target, values,
序时进度, completion, Δ, status and the method that computed it), the year's cumulative history, the project
ledger, the rejected cells, the timeliness of every unit's return (DataFrames; numbers as float, NaN or numeric
text) and the house style (templates/workbook_style.yaml: the status words and their tones, the `monitor` section).
Output: `render_monitor_workbook` writes the sheets 指标监测, 重点项目台账, 预警清单, 退回清单, 报送情况 of one
district (the city's summary is city_monitor.py; what both share, monitor_sheets.py). With `sample=True` every
title and the file's title property say （样例数据 SAMPLE）, because the figures come from generated sample returns.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_range, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from pipeline.numbers import as_number, as_text
from pipeline.periods import check_month
from pipeline.render.cells import merge_text, write_number, write_text
from pipeline.render.figures import figure_text, write_figure
from pipeline.render.monitor_sheets import (
    Heading,
    MonitorFormats,
    add_tone_rules,
    alert_rows,
    indicators_of,
    open_monitor_workbook,
    points,
    report_counts,
    write_alert_sheet,
    write_status,
)
from pipeline.render.sheet_layout import (
    HEADER_ROW,
    Column,
    chinese_date,
    finish_sheet,
    info_line,
    start_sheet,
    write_empty_note,
)
from pipeline.render.styles import Formats, StyleSheet
from pipeline.render.table_rows import of_district
from pipeline.render.text_fit import fit_row
from pipeline.tables import records

COUNT_ROW, TIMELINESS_HEADER_ROW = 2, 3  # 报送情况: the count line sits between the 填报单位 line and the header
TREND_ROW_HEIGHT = 22  # points: room for a sparkline

INDICATOR_COLUMNS = (Column("序号", 6), Column("指标", 28), Column("单位", 9), Column("牵头单位", 14),
                     Column("属性", 8), Column("年度目标", 14), Column("本月完成", 10), Column("年初至今累计", 13),
                     Column("序时进度", 9), Column("完成进度", 9), Column("差距(百分点)", 13), Column("状态", 8),
                     Column("趋势", 14))
TARGET_COL, MONTH_COL, TO_DATE_COL = 5, 6, 7
EXPECTED_COL, COMPLETION_COL, DELTA_COL, STATUS_COL, TREND_COL = 8, 9, 10, 11, 12
# The monthly values the sparklines draw live on a hidden sheet, each indicator on its row of 指标监测 (LibreOffice
# prints the numbers of hidden columns as '###' at the table's edge, so they are kept off the printed sheet)
TREND_SHEET = "_趋势"
PROJECT_COLUMNS = (Column("序号", 6), Column("项目名称", 34), Column("所属专栏", 22), Column("计划总投资(亿元)", 11),
                   Column("本年计划", 10), Column("本年完成", 10), Column("累计完成", 10), Column("形象进度", 12),
                   Column("存在问题", 30), Column("牵头单位", 14))
MONEY_COLS = (3, 4, 5, 6)
REJECTION_COLUMNS = (Column("序号", 6), Column("报送单位", 14), Column("文件", 30), Column("工作表", 10),
                     Column("单元格", 8), Column("项目/指标", 28), Column("填报内容", 16), Column("退回原因", 50))
TIMELINESS_COLUMNS = (Column("序号", 6), Column("报送单位", 20), Column("报送状态", 10), Column("报送时间", 18),
                      Column("文件", 40))


# ---------------------------------------------------------------- plain values

def period_months(period: str) -> list[str]:
    """The months of the year up to and including `period` (the points of a trend).

    >>> period_months("2025-03")
    ['2025-01', '2025-02', '2025-03']
    """
    year, month = check_month(period).split("-")
    return [f"{year}-{m:02d}" for m in range(1, int(month) + 1)]


def count_line(timeliness: pd.DataFrame) -> str:
    """The count line of 报送情况.

    >>> count_line(pd.DataFrame({"state": ["已报", "逾期未报", "已报", "未报"]}))
    '应报 4 个单位，已报 2 个，逾期未报 1 个，未报 1 个'
    """
    counts = report_counts(timeliness)
    return (f"应报 {counts['应报']} 个单位，已报 {counts['已报']} 个，逾期未报 {counts['逾期未报']} 个，"
            f"未报 {counts['未报']} 个")


def trend_values(history: pd.DataFrame, months: Sequence[str]) -> dict[str, list[float | None]]:
    """item_id → the cumulative value of each month (None where there is none); the last row of a month wins."""
    found: dict[str, dict[str, float | None]] = {}
    for r in records(history):
        period = as_text(r.get("period"))
        if period in months:
            found.setdefault(as_text(r.get("item_id")), {})[period] = as_number(r.get("cumulative_to_date"))
    return {item: [by_month.get(m) for m in months] for item, by_month in found.items()}


def display_time(value: Any) -> str:
    """An ISO time as a clerk reads it; anything else as given.

    >>> display_time("2025-07-03T09:15:42"), display_time(""), display_time("7月3日")
    ('2025-07-03 09:15', '', '7月3日')
    """
    text = as_text(value)
    try:
        return datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M") if text else ""
    except ValueError:
        return text


def monitor_file_name(district_code: Any, district: str, period: str) -> str:
    """The file name of a district's monitoring workbook.

    >>> monitor_file_name(230113.0, "双城区", "2025-06")
    '230113_双城区_2025-06_月度监测.xlsx'
    """
    return f"{as_text(district_code)}_{district}_{check_month(period)}_月度监测.xlsx"


# ---------------------------------------------------------------- workbook

def render_monitor_workbook(path: Path | str, district_code: Any, district: str, period: str,
                            status: pd.DataFrame, history: pd.DataFrame, projects: pd.DataFrame,
                            rejections: pd.DataFrame, timeliness: pd.DataFrame, styles: StyleSheet,
                            generated_at: datetime, sample: bool = False) -> Path:
    """Write the 月度监测 workbook of one district to `path` and return it.

    `status` and `timeliness` may hold other districts (rows are picked by `district_code`); `history`,
    `projects` and `rejections` are the district's own.
    """
    path, code = Path(path), as_text(district_code)
    heading = Heading(styles.office.of(district), district, check_month(period), chinese_date(generated_at), sample)
    wb, fmts, mfmts = open_monitor_workbook(path, styles, heading.title("规划实施月度监测"))
    own_status = of_district(status, code)
    trends = _write_indicator_sheet(wb, (fmts, mfmts), styles, heading, indicators_of(own_status), history)
    _write_project_sheet(wb, fmts, styles, heading, projects)
    write_alert_sheet(wb, (fmts, mfmts), styles, heading,
                      [("", r) for r in alert_rows(own_status, styles.statuses.alerts)])
    _write_rejection_sheet(wb, fmts, styles, heading, rejections)
    _write_timeliness_sheet(wb, (fmts, mfmts), styles, heading, of_district(timeliness, code))
    _write_trend_sheet(wb, fmts, period_months(heading.period), trends)
    wb.close()
    return path


def _write_value(ws: Worksheet, fmts: Formats, row: int, col: int, value: Any) -> None:
    """A reported figure with as many decimals as it has; blank when there is none."""
    number = as_number(value)
    write_number(ws, row, col, number, fmts.body if number is None else fmts.number(number))


# ---------------------------------------------------------------- 指标监测

def _write_indicator_sheet(wb: xlsxwriter.Workbook, formats: tuple[Formats, MonitorFormats], styles: StyleSheet,
                           heading: Heading, indicators: pd.DataFrame,
                           history: pd.DataFrame) -> list[tuple[int, str, Sequence[float | None]]]:
    """指标监测: each indicator against its 序时进度, the status coloured, the method in a comment, a trend line.

    Returns the trends drawn: (row, name, monthly values) for `_write_trend_sheet`."""
    fmts, mfmts = formats
    last_col = len(INDICATOR_COLUMNS) - 1
    months = period_months(heading.period)
    # Title, 填报单位 line and header
    ws = start_sheet(wb, fmts, "指标监测", heading.title("主要指标监测表"),
                     info_line(heading.reporter, "见各指标", heading.date), INDICATOR_COLUMNS)
    # Body: one row per indicator, in the given order; a sparkline where there is a history
    trends = trend_values(history, months)
    row, sparklines, drawn = HEADER_ROW + 1, [], []
    for number, item in enumerate(records(indicators), start=1):
        _write_indicator_row(ws, fmts, mfmts, row, number, item)
        ws.write_blank(row, TREND_COL, None, fmts.body)
        values = trends.get(as_text(item.get("item_id")), [])
        if any(value is not None for value in values):
            drawn.append((row, as_text(item.get("name")), values))
            sparklines.append((xl_rowcol_to_cell(row, TREND_COL),
                               f"{TREND_SHEET}!{xl_range(row, 1, row, len(months))}"))
        row += 1
    if row == HEADER_ROW + 1:
        row = write_empty_note(ws, fmts, row, last_col, "本月暂无指标监测数据") + 1
    _add_sparklines(ws, mfmts, sparklines)
    # Conditional formats: the status coloured red, amber, green or grey
    add_tone_rules(ws, mfmts, (HEADER_ROW + 1, row - 1), STATUS_COL, mfmts.statuses.tone_names())
    # Frozen header and names, filter, A4 landscape print setup
    finish_sheet(ws, styles, row - 1, last_col, freeze_col=2)
    return drawn


def _write_trend_sheet(wb: xlsxwriter.Workbook, fmts: Formats, months: Sequence[str],
                       trends: list[tuple[int, str, Sequence[float | None]]]) -> None:
    """_趋势 (hidden): the monthly cumulative values the sparklines of 指标监测 draw, each indicator on the row
    it has there, headed by its month."""
    ws = wb.add_worksheet(TREND_SHEET)
    ws.hide()
    ws.set_column(0, 0, INDICATOR_COLUMNS[1].width)
    write_text(ws, HEADER_ROW, 0, "指标", fmts.header)
    for offset, month in enumerate(months, start=1):
        write_text(ws, HEADER_ROW, offset, month, fmts.header)
    for row, name, values in trends:
        write_text(ws, row, 0, name, fmts.body)
        for offset, value in enumerate(values, start=1):
            if value is not None:
                ws.write_number(row, offset, value, fmts.number(value))


def _write_indicator_row(ws: Worksheet, fmts: Formats, mfmts: MonitorFormats, row: int, number: int,
                         item: Mapping[str, Any]) -> None:
    """One indicator: 序号 … 状态 (the trend is written by the caller)."""
    unit = as_text(item.get("unit"))
    ws.write_number(row, 0, number, fmts.count)
    write_text(ws, row, 1, item.get("name"), fmts.body_wrap)
    write_text(ws, row, 2, unit, fmts.body_center)
    write_text(ws, row, 3, item.get("lead_unit"), fmts.body_wrap)
    write_text(ws, row, 4, item.get("attribute"), fmts.body_center)
    target = (item.get("annual_target"), item.get("target_text"), unit)  # printed as planned: '30左右'
    write_figure(ws, row, TARGET_COL, target, fmts, fmts.body_wrap)
    _write_value(ws, fmts, row, MONTH_COL, item.get("month_value"))
    _write_value(ws, fmts, row, TO_DATE_COL, item.get("cumulative_to_date"))
    write_number(ws, row, EXPECTED_COL, as_number(item.get("expected_share")), fmts.fraction)
    write_number(ws, row, COMPLETION_COL, as_number(item.get("completion")), fmts.fraction)
    write_number(ws, row, DELTA_COL, points(item.get("delta")), mfmts.points)
    write_status(ws, fmts, row, STATUS_COL, item)
    fit_row(ws, fmts, row, INDICATOR_COLUMNS, {1: item.get("name"), 2: unit, 3: item.get("lead_unit"),
                                               TARGET_COL: figure_text(target)}, min_height=TREND_ROW_HEIGHT)


def _add_sparklines(ws: Worksheet, mfmts: MonitorFormats, sparklines: list[tuple[str, str]]) -> None:
    """One sparkline group for the sheet: a line per (cell, range of monthly values), each on its own scale
    (one group, because xlsxwriter builds its style table again for every group added)."""
    if not sparklines:
        return
    cells, ranges = (list(column) for column in zip(*sparklines, strict=True))
    code = ws.add_sparkline(0, TREND_COL, {
        "location": cells, "range": ranges, "type": "line", "markers": True, "show_hidden": True,
        "empty_cells": "gaps", "series_color": mfmts.style.sparkline, "markers_color": mfmts.style.sparkline})
    if code:
        raise ValueError(f"工作表“{ws.name}”无法添加趋势线（代码 {code}）")


# ---------------------------------------------------------------- 重点项目台账

def _write_project_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet, heading: Heading,
                         projects: pd.DataFrame) -> None:
    """重点项目台账: each project's investment this year and to date, its progress and problems."""
    last_col = len(PROJECT_COLUMNS) - 1
    # Title, 填报单位 line and header
    ws = start_sheet(wb, fmts, "重点项目台账", heading.title("重点项目推进台账"),
                     info_line(heading.reporter, "亿元", heading.date), PROJECT_COLUMNS)
    # Body
    row = HEADER_ROW + 1
    for number, item in enumerate(records(projects), start=1):
        ws.write_number(row, 0, number, fmts.count)
        write_text(ws, row, 1, item.get("name"), fmts.body_wrap)
        write_text(ws, row, 2, item.get("column_title"), fmts.body_wrap)
        for col, key in zip(MONEY_COLS, ("investment_yi", "year_plan", "year_done", "total_done"), strict=True):
            write_number(ws, row, col, as_number(item.get(key)), fmts.investment)
        write_text(ws, row, 7, item.get("progress"), fmts.body_center)
        write_text(ws, row, 8, item.get("issues"), fmts.body_wrap)
        write_text(ws, row, 9, item.get("lead_unit"), fmts.body_wrap)
        fit_row(ws, fmts, row, PROJECT_COLUMNS, {1: item.get("name"), 2: item.get("column_title"),
                                                 7: item.get("progress"), 8: item.get("issues"),
                                                 9: item.get("lead_unit")})
        row += 1
    if row == HEADER_ROW + 1:
        row = write_empty_note(ws, fmts, row, last_col, "本月暂无重点项目") + 1
    # Frozen header, filter and print setup
    finish_sheet(ws, styles, row - 1, last_col, freeze_col=2)


# ---------------------------------------------------------------- 退回清单

def _write_rejection_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet, heading: Heading,
                           rejections: pd.DataFrame) -> None:
    """退回清单: every refused cell with where it is and why, so the unit can correct it and send again."""
    last_col = len(REJECTION_COLUMNS) - 1
    # Title, 填报单位 line and header
    ws = start_sheet(wb, fmts, "退回清单", heading.title("填报退回清单"),
                     info_line(heading.reporter, "—", heading.date), REJECTION_COLUMNS)
    # Body: what was written, always as text (it may look like a formula or a number with words)
    row = HEADER_ROW + 1
    keys = ("unit", "source_file", "sheet", "cell", "item", "raw_value", "reason")
    for number, item in enumerate(records(rejections), start=1):
        ws.write_number(row, 0, number, fmts.count)
        for col, key in enumerate(keys, start=1):
            write_text(ws, row, col, item.get(key), fmts.body_center if key in ("sheet", "cell") else fmts.body_wrap)
        fit_row(ws, fmts, row, REJECTION_COLUMNS, {col: item.get(key) for col, key in enumerate(keys, start=1)})
        row += 1
    if row == HEADER_ROW + 1:
        row = write_empty_note(ws, fmts, row, last_col, "本月无退回") + 1
    # Frozen header, filter and print setup
    finish_sheet(ws, styles, row - 1, last_col)


# ---------------------------------------------------------------- 报送情况

def _write_timeliness_sheet(wb: xlsxwriter.Workbook, formats: tuple[Formats, MonitorFormats], styles: StyleSheet,
                            heading: Heading, timeliness: pd.DataFrame) -> None:
    """报送情况: the count line, then each unit's state, time and file."""
    fmts, mfmts = formats
    last_col = len(TIMELINESS_COLUMNS) - 1
    # Title, 填报单位 line, count line and header
    ws = start_sheet(wb, fmts, "报送情况", heading.title("报送情况"), info_line(heading.reporter, "个", heading.date),
                     TIMELINESS_COLUMNS, TIMELINESS_HEADER_ROW)
    ws.set_row(COUNT_ROW, 20)
    merge_text(ws, (COUNT_ROW, 0), (COUNT_ROW, last_col), count_line(timeliness), fmts.subtitle)
    # Body
    row = TIMELINESS_HEADER_ROW + 1
    for number, item in enumerate(records(timeliness), start=1):
        ws.write_number(row, 0, number, fmts.count)
        write_text(ws, row, 1, item.get("unit"), fmts.body_wrap)
        write_text(ws, row, 2, item.get("state"), fmts.body_center)
        write_text(ws, row, 3, display_time(item.get("received_at")), fmts.body_center)
        write_text(ws, row, 4, item.get("source_file"), fmts.body_wrap)
        fit_row(ws, fmts, row, TIMELINESS_COLUMNS, {1: item.get("unit"), 4: item.get("source_file")})
        row += 1
    if row == TIMELINESS_HEADER_ROW + 1:
        row = write_empty_note(ws, fmts, row, last_col, "本月无应报单位") + 1
    # Conditional formats on the state, frozen header, filter and print setup
    add_tone_rules(ws, mfmts, (TIMELINESS_HEADER_ROW + 1, row - 1), 2, mfmts.style.report_tones)
    finish_sheet(ws, styles, row - 1, last_col, TIMELINESS_HEADER_ROW)
