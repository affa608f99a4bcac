"""The 月度监测 workbooks: one per district, and the city summary across districts.

Stage: render (实施). Inputs: the month's status table (one row per indicator or project: annual target, values,
序时进度, completion, Δ, status and the method that computed it), the year's cumulative history, the project
ledger, the rejected cells, the timeliness of every unit's return (DataFrames; numbers as float, NaN or numeric
text) and the house style (templates/workbook_style.yaml; its `monitor` section holds the warning colours).
Outputs: `render_monitor_workbook` writes the sheets 指标监测, 重点项目台账, 预警清单, 退回清单, 报送情况 of one
district; `render_city_monitor` writes 各区汇总 and 预警汇总. With `sample=True` every title and the file's
title property say （样例数据 SAMPLE）, because the figures come from generated sample returns.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd
import xlsxwriter
import yaml
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_range, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from pipeline.render.plan_workbook import of_district
from pipeline.render.styles import (
    TRUNCATED,
    Column,
    Formats,
    StyleSheet,
    as_number,
    as_text,
    check_period,
    chinese_date,
    figure_text,
    fit_row,
    freeze_and_filter,
    info_line,
    merge_text,
    new_workbook,
    setup_page,
    write_empty_note,
    write_figure,
    write_header,
    write_number,
    write_text,
    write_title_block,
)
from pipeline.tables import records

log = logging.getLogger(__name__)

SAMPLE_MARK = "（样例数据 SAMPLE）"
HEADER_ROW = 2  # row 1 title, row 2 填报单位 line, row 3 header (0-based 2)
COUNT_ROW, TIMELINESS_HEADER_ROW = 2, 3  # 报送情况: the count line sits between the 填报单位 line and the header
TOP_HEADER_ROW, SUMMARY_HEADER_ROW = 2, 3  # 各区汇总: group names over their columns, then the sub-headers
STATUSES = ("已完成", "超前", "正常", "预警", "滞后", "无数据", "人工研判")
ALERTS = ("滞后", "预警")  # most serious first
REPORT_STATES = ("已报", "逾期未报", "未报")
ITEM_LABELS = MappingProxyType({"indicator": "指标", "project": "项目"})
COMMENT_OPTIONS = MappingProxyType({"x_scale": 3.0, "y_scale": 1.4})
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
ALERT_COLUMNS = (Column("序号", 6), Column("类型", 6), Column("名称", 30), Column("牵头单位", 14), Column("状态", 8),
                 Column("完成进度", 9), Column("序时进度", 9), Column("差距(百分点)", 13), Column("计算方法", 60))
CITY_ALERT_COLUMNS = (ALERT_COLUMNS[0], Column("区", 10), *ALERT_COLUMNS[1:])
REJECTION_COLUMNS = (Column("序号", 6), Column("报送单位", 14), Column("文件", 30), Column("工作表", 10),
                     Column("单元格", 8), Column("项目/指标", 28), Column("填报内容", 16), Column("退回原因", 50))
TIMELINESS_COLUMNS = (Column("序号", 6), Column("报送单位", 20), Column("报送状态", 10), Column("报送时间", 18),
                      Column("文件", 40))
SUMMARY_LEAD = (Column("序号", 6), Column("区", 12))
SUMMARY_GROUPS = (("指标状态（个）", tuple(Column(s, 8) for s in STATUSES)),
                  ("报送情况（个）", (Column("应报", 7), Column("已报", 7), Column("逾期未报", 9), Column("未报", 7))))


# ---------------------------------------------------------------- the warning colours

@dataclass(frozen=True)
class Tone:
    """A warning colour: the fill and the font colour of a cell, '#RRGGBB'."""

    fill: str
    font: str


@dataclass(frozen=True)
class MonitorStyle:
    """The `monitor` section of templates/workbook_style.yaml; the defaults are that file's values.

    `status_tones` and `report_tones` map a status (滞后, 预警 …) or a report state (逾期未报 …) to a tone name.
    """

    points: str = "0.0"
    tones: Mapping[str, Tone] = field(default_factory=lambda: MappingProxyType({
        "red": Tone("#FFC7CE", "#9C0006"), "amber": Tone("#FFEB9C", "#9C5700"),
        "green": Tone("#C6EFCE", "#006100"), "grey": Tone("#D9D9D9", "#595959")}))
    status_tones: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({
        "滞后": "red", "预警": "amber", "正常": "green", "超前": "green", "已完成": "green", "无数据": "grey"}))
    report_tones: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({
        "逾期未报": "red", "未报": "amber", "已报": "green"}))
    sparkline: str = "#2F5597"

    def __post_init__(self) -> None:
        unknown = sorted({*self.status_tones.values(), *self.report_tones.values()} - set(self.tones))
        if unknown:
            raise ValueError(f"监测样式中的颜色“{'、'.join(unknown)}”未在 tones 中定义")

    @classmethod
    def load(cls, path: Path | str) -> MonitorStyle:
        """Read the `monitor` section of the style sheet; a missing key raises at once."""
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["monitor"]
        return cls(points=str(raw["points"]),
                   tones=MappingProxyType({name: Tone(**spec) for name, spec in raw["tones"].items()}),
                   status_tones=MappingProxyType(dict(raw["status_tones"])),
                   report_tones=MappingProxyType(dict(raw["report_tones"])), sparkline=str(raw["sparkline"]))


@dataclass(frozen=True)
class MonitorFormats:
    """The formats the monitoring sheets add to the house registry, built once per workbook."""

    points: Format
    tones: Mapping[str, Format]  # conditional formats by tone name
    style: MonitorStyle


def build_monitor_formats(wb: xlsxwriter.Workbook, styles: StyleSheet, monitor: MonitorStyle) -> MonitorFormats:
    """Percentage-point cells in the house body style, and one conditional format per tone."""
    body = styles.fonts.body
    cell = {"font_name": body.name, "font_size": body.size, "border": 1, "border_color": styles.colors.border,
            "valign": "vcenter"}
    return MonitorFormats(
        points=wb.add_format({**cell, "shrink": True, "num_format": monitor.points}),
        tones=MappingProxyType({name: wb.add_format({"bg_color": tone.fill, "font_color": tone.font})
                                for name, tone in monitor.tones.items()}),
        style=monitor,
    )


# ---------------------------------------------------------------- headings and plain values

@dataclass(frozen=True)
class Heading:
    """What every title and 填报单位 line of one workbook says: who, which month, when, sample or not."""

    reporter: str  # 填报单位
    place: str  # the district's name, or '各区'
    period: str
    date: str
    sample: bool

    def title(self, what: str) -> str:
        """'双城区2025年6月主要指标监测表', with （样例数据 SAMPLE） for sample data."""
        return sample_title(f"{self.place}{month_label(self.period)}{what}", self.sample)


def month_label(period: str) -> str:
    """'2025-06' as officials write it.

    >>> month_label("2025-06")
    '2025年6月'
    """
    year, month = check_period(period).split("-")
    return f"{year}年{int(month)}月"


def period_months(period: str) -> list[str]:
    """The months of the year up to and including `period` (the points of a trend).

    >>> period_months("2025-03")
    ['2025-01', '2025-02', '2025-03']
    """
    year, month = check_period(period).split("-")
    return [f"{year}-{m:02d}" for m in range(1, int(month) + 1)]


def sample_title(title: str, sample: bool) -> str:
    """A title, marked when the figures are generated sample data.

    >>> sample_title("双城区2025年6月主要指标监测表", True)
    '双城区2025年6月主要指标监测表（样例数据 SAMPLE）'
    """
    return f"{title}{SAMPLE_MARK}" if sample else title


def points(delta: Any) -> float | None:
    """A difference of fractions in percentage points (−0.05 → −5.0); None when there is none.

    >>> points(-0.05), points(0.125), points(float("nan"))
    (-5.0, 12.5, None)
    """
    value = as_number(delta)
    return None if value is None else round(value * 100, 6)


def count_line(timeliness: pd.DataFrame) -> str:
    """The count line of 报送情况.

    >>> count_line(pd.DataFrame({"state": ["已报", "逾期未报", "已报", "未报"]}))
    '应报 4 个单位，已报 2 个，逾期未报 1 个，未报 1 个'
    """
    counts = report_counts(timeliness)
    return (f"应报 {counts['应报']} 个单位，已报 {counts['已报']} 个，逾期未报 {counts['逾期未报']} 个，"
            f"未报 {counts['未报']} 个")


def report_counts(timeliness: pd.DataFrame) -> dict[str, int]:
    """应报 (every unit listed), 已报, 逾期未报 and 未报 of a timeliness table."""
    states = [as_text(s) for s in timeliness.get("state", pd.Series(dtype=str))]
    return {"应报": len(states), **{state: states.count(state) for state in REPORT_STATES}}


def status_counts(status: pd.DataFrame) -> dict[str, int]:
    """How many indicators have each status (projects are not counted).

    >>> status_counts(pd.DataFrame({"item_type": ["indicator", "indicator", "project"],
    ...                             "status": ["滞后", "正常", "滞后"]}))["滞后"]
    1
    """
    found = [as_text(r.get("status")) for r in records(indicators_of(status))]
    return {name: found.count(name) for name in STATUSES}


def indicators_of(status: pd.DataFrame) -> pd.DataFrame:
    """The indicator rows of a status table."""
    if status.empty or "item_type" not in status.columns:
        return status.iloc[0:0]
    return status[status["item_type"].map(as_text) == "indicator"]


def alert_rows(status: pd.DataFrame) -> list[dict]:
    """Every indicator or project whose status is 滞后 or 预警, 滞后 first, otherwise in the given order."""
    rows = [r for r in records(status) if as_text(r.get("status")) in ALERTS]
    return sorted(rows, key=lambda r: ALERTS.index(as_text(r.get("status"))))


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
    return f"{as_text(district_code)}_{district}_{check_period(period)}_月度监测.xlsx"


# ---------------------------------------------------------------- workbooks

def render_monitor_workbook(path: Path | str, district_code: Any, district: str, period: str,
                            status: pd.DataFrame, history: pd.DataFrame, projects: pd.DataFrame,
                            rejections: pd.DataFrame, timeliness: pd.DataFrame, styles: StyleSheet,
                            generated_at: datetime, sample: bool = False,
                            monitor_style: MonitorStyle | None = None) -> Path:
    """Write the 月度监测 workbook of one district to `path` and return it.

    `status` and `timeliness` may hold other districts (rows are picked by `district_code`); `history`,
    `projects` and `rejections` are the district's own. `monitor_style` defaults to the house colours
    (`MonitorStyle.load(templates/workbook_style.yaml)` gives the same).
    """
    path, code = Path(path), as_text(district_code)
    heading = Heading(styles.office.of(district), district, check_period(period), chinese_date(generated_at), sample)
    wb, fmts, mfmts = _open(path, styles, monitor_style, heading.title("规划实施月度监测"))
    own_status = of_district(status, code)
    trends = _write_indicator_sheet(wb, (fmts, mfmts), styles, heading, indicators_of(own_status), history)
    _write_project_sheet(wb, fmts, styles, heading, projects)
    _write_alert_sheet(wb, (fmts, mfmts), styles, heading, [("", r) for r in alert_rows(own_status)])
    _write_rejection_sheet(wb, fmts, styles, heading, rejections)
    _write_timeliness_sheet(wb, (fmts, mfmts), styles, heading, of_district(timeliness, code))
    _write_trend_sheet(wb, fmts, period_months(heading.period), trends)
    wb.close()
    return path


def render_city_monitor(path: Path | str, period: str, status: pd.DataFrame, timeliness: pd.DataFrame,
                        districts: pd.DataFrame, styles: StyleSheet, generated_at: datetime,
                        sample: bool = False, monitor_style: MonitorStyle | None = None) -> Path:
    """Write the city summary of the month (各区汇总, 预警汇总) to `path` and return it."""
    path = Path(path)
    heading = Heading(styles.office.city, "各区", check_period(period), chinese_date(generated_at), sample)
    places = [(as_text(d["district_code"]), as_text(d["district"])) for d in records(districts)]
    wb, fmts, mfmts = _open(path, styles, monitor_style, heading.title("规划实施月度监测汇总"))
    _write_summary_sheet(wb, (fmts, mfmts), styles, heading,
                         [(name, status_counts(of_district(status, code)), report_counts(of_district(timeliness, code)))
                          for code, name in places])
    alerts = [(name, r) for code, name in places for r in alert_rows(of_district(status, code))]
    _write_alert_sheet(wb, (fmts, mfmts), styles, heading, alerts, city=True)
    wb.close()
    return path


def _open(path: Path, styles: StyleSheet, monitor_style: MonitorStyle | None,
          title: str) -> tuple[xlsxwriter.Workbook, Formats, MonitorFormats]:
    """The house workbook with the file's title property and the monitoring formats."""
    wb, fmts = new_workbook(path, styles)
    # set_properties replaces the whole set, so the factory's properties are given again
    wb.set_properties({"created": styles.created, "author": "", "comments": styles.style_version, "title": title})
    return wb, fmts, build_monitor_formats(wb, styles, monitor_style or MonitorStyle())


def _start_sheet(wb: xlsxwriter.Workbook, fmts: Formats, name: str, title: str, info: str,
                 columns: Sequence[Column], header_row: int = HEADER_ROW) -> Worksheet:
    """Add a sheet with its title block and header row."""
    ws = wb.add_worksheet(name)
    write_title_block(ws, fmts, title, info, len(columns) - 1)
    write_header(ws, fmts, header_row, columns)
    return ws


def _finish_sheet(ws: Worksheet, styles: StyleSheet, last_row: int, last_col: int, header_row: int = HEADER_ROW,
                  freeze_col: int = 0) -> None:
    """Frozen header, autofilter and the house print setup (A4 landscape, header repeated, page numbers)."""
    freeze_and_filter(ws, header_row, last_row, last_col, freeze_col)
    setup_page(ws, styles, header_row)


def _add_tone_rules(ws: Worksheet, mfmts: MonitorFormats, rows: tuple[int, int], col: int,
                    tones: Mapping[str, str]) -> None:
    """One conditional format per coloured value of a text column: cell == '滞后' → red, and so on."""
    first, last = rows
    if last < first:
        return
    for value, tone in tones.items():
        ws.conditional_format(first, col, last, col, {"type": "cell", "criteria": "==", "value": f'"{value}"',
                                                      "format": mfmts.tones[tone]})


def _write_status(ws: Worksheet, fmts: Formats, row: int, col: int, item: Mapping[str, Any]) -> None:
    """The status as text, with the method that computed it in the cell's comment."""
    write_text(ws, row, col, item.get("status"), fmts.body_center)
    method = as_text(item.get("method"))
    if not method:
        return
    code = ws.write_comment(row, col, method, dict(COMMENT_OPTIONS))
    if code == TRUNCATED:
        log.warning("工作表“%s”第 %d 行的计算方法超过 32767 个字符，批注已截断", ws.name, row + 1)


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
    ws = _start_sheet(wb, fmts, "指标监测", heading.title("主要指标监测表"),
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
    _add_tone_rules(ws, mfmts, (HEADER_ROW + 1, row - 1), STATUS_COL, mfmts.style.status_tones)
    # Frozen header and names, filter, A4 landscape print setup
    _finish_sheet(ws, styles, row - 1, last_col, freeze_col=2)
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
    _write_status(ws, fmts, row, STATUS_COL, item)
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
    ws = _start_sheet(wb, fmts, "重点项目台账", heading.title("重点项目推进台账"),
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
    _finish_sheet(ws, styles, row - 1, last_col, freeze_col=2)


# ---------------------------------------------------------------- 预警清单 / 预警汇总

def _write_alert_sheet(wb: xlsxwriter.Workbook, formats: tuple[Formats, MonitorFormats], styles: StyleSheet,
                       heading: Heading, alerts: Iterable[tuple[str, Mapping[str, Any]]], city: bool = False) -> None:
    """预警清单 (one district) or 预警汇总 (the city, with a 区 column): every item in 滞后 or 预警."""
    fmts, mfmts = formats
    columns = CITY_ALERT_COLUMNS if city else ALERT_COLUMNS
    last_col, shift = len(columns) - 1, 1 if city else 0
    # Title, 填报单位 line and header
    ws = _start_sheet(wb, fmts, "预警汇总" if city else "预警清单", heading.title("预警汇总表" if city else "预警清单"),
                      info_line(heading.reporter, "见各指标", heading.date), columns)
    # Body: 滞后 first, then 预警
    row = HEADER_ROW + 1
    for number, (place, item) in enumerate(alerts, start=1):
        ws.write_number(row, 0, number, fmts.count)
        if city:
            write_text(ws, row, 1, place, fmts.body_center)
        item_type = as_text(item.get("item_type"))
        write_text(ws, row, 1 + shift, ITEM_LABELS.get(item_type, item_type), fmts.body_center)
        write_text(ws, row, 2 + shift, item.get("name"), fmts.body_wrap)
        write_text(ws, row, 3 + shift, item.get("lead_unit"), fmts.body_wrap)
        _write_status(ws, fmts, row, 4 + shift, item)
        write_number(ws, row, 5 + shift, as_number(item.get("completion")), fmts.fraction)
        write_number(ws, row, 6 + shift, as_number(item.get("expected_share")), fmts.fraction)
        write_number(ws, row, 7 + shift, points(item.get("delta")), mfmts.points)
        write_text(ws, row, 8 + shift, item.get("method"), fmts.body_wrap)
        fit_row(ws, fmts, row, columns, {2 + shift: item.get("name"), 3 + shift: item.get("lead_unit"),
                                         8 + shift: item.get("method")})
        row += 1
    if row == HEADER_ROW + 1:
        row = write_empty_note(ws, fmts, row, last_col, "本月无预警或滞后事项") + 1
    # Conditional formats on the status, frozen header, filter and print setup
    _add_tone_rules(ws, mfmts, (HEADER_ROW + 1, row - 1), 4 + shift, mfmts.style.status_tones)
    _finish_sheet(ws, styles, row - 1, last_col)


# ---------------------------------------------------------------- 退回清单

def _write_rejection_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet, heading: Heading,
                           rejections: pd.DataFrame) -> None:
    """退回清单: every refused cell with where it is and why, so the unit can correct it and send again."""
    last_col = len(REJECTION_COLUMNS) - 1
    # Title, 填报单位 line and header
    ws = _start_sheet(wb, fmts, "退回清单", heading.title("填报退回清单"),
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
    _finish_sheet(ws, styles, row - 1, last_col)


# ---------------------------------------------------------------- 报送情况

def _write_timeliness_sheet(wb: xlsxwriter.Workbook, formats: tuple[Formats, MonitorFormats], styles: StyleSheet,
                            heading: Heading, timeliness: pd.DataFrame) -> None:
    """报送情况: the count line, then each unit's state, time and file."""
    fmts, mfmts = formats
    last_col = len(TIMELINESS_COLUMNS) - 1
    # Title, 填报单位 line, count line and header
    ws = _start_sheet(wb, fmts, "报送情况", heading.title("报送情况"), info_line(heading.reporter, "个", heading.date),
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
    _add_tone_rules(ws, mfmts, (TIMELINESS_HEADER_ROW + 1, row - 1), 2, mfmts.style.report_tones)
    _finish_sheet(ws, styles, row - 1, last_col, TIMELINESS_HEADER_ROW)


# ---------------------------------------------------------------- 各区汇总

def _write_summary_sheet(wb: xlsxwriter.Workbook, formats: tuple[Formats, MonitorFormats], styles: StyleSheet,
                         heading: Heading, rows: list[tuple[str, dict[str, int], dict[str, int]]]) -> None:
    """各区汇总: per district the indicators by status and the returns by state; a 合计 row of our own SUMs."""
    fmts, mfmts = formats
    columns = SUMMARY_LEAD + tuple(c for _, group in SUMMARY_GROUPS for c in group)
    last_col = len(columns) - 1
    ws = wb.add_worksheet("各区汇总")
    # Title and 填报单位 line
    write_title_block(ws, fmts, heading.title("规划实施月度监测汇总表"),
                      info_line(heading.reporter, "个", heading.date), last_col)
    # Two header rows: lead columns merged down, group names merged across
    _write_summary_headers(ws, fmts, columns)
    # Body: one row per district
    row = SUMMARY_HEADER_ROW + 1
    for number, (district, by_status, by_state) in enumerate(rows, start=1):
        ws.write_number(row, 0, number, fmts.count)
        write_text(ws, row, 1, district, fmts.body_center)
        figures = [by_status[s] for s in STATUSES] + [by_state[s] for s in ("应报", *REPORT_STATES)]
        for col, figure in enumerate(figures, start=len(SUMMARY_LEAD)):
            ws.write_number(row, col, figure, fmts.count)
        row += 1
    if not rows:
        row = write_empty_note(ws, fmts, row, last_col, "未列出任何区") + 1
    last_district = row - 1
    # 合计: a SUM over each column (our own formula; the data never become formulas)
    if rows:
        _write_summary_total(ws, fmts, row, (SUMMARY_HEADER_ROW + 1, last_district), rows)
    # Conditional formats: districts with 滞后, 预警 or 逾期未报 items stand out
    style = mfmts.style
    for name, tone in (("滞后", style.status_tones.get("滞后")), ("预警", style.status_tones.get("预警")),
                       ("逾期未报", style.report_tones.get("逾期未报"))):
        col = next(i for i, c in enumerate(columns) if c.header == name)
        if rows and tone:
            ws.conditional_format(SUMMARY_HEADER_ROW + 1, col, last_district, col,
                                  {"type": "cell", "criteria": ">", "value": 0, "format": mfmts.tones[tone]})
    # Frozen header and names, filter over the districts, print setup
    _finish_sheet(ws, styles, last_district, last_col, SUMMARY_HEADER_ROW, freeze_col=2)


def _write_summary_headers(ws: Worksheet, fmts: Formats, columns: Sequence[Column]) -> None:
    """The lead headers over both rows, each group's name over its sub-columns."""
    ws.set_row(TOP_HEADER_ROW, 22)
    ws.set_row(SUMMARY_HEADER_ROW, 30)
    for col, column in enumerate(columns):
        ws.set_column(col, col, column.width)
    for col, column in enumerate(SUMMARY_LEAD):
        merge_text(ws, (TOP_HEADER_ROW, col), (SUMMARY_HEADER_ROW, col), column.header, fmts.header)
    col = len(SUMMARY_LEAD)
    for name, group in SUMMARY_GROUPS:
        merge_text(ws, (TOP_HEADER_ROW, col), (TOP_HEADER_ROW, col + len(group) - 1), name, fmts.header)
        for offset, column in enumerate(group):
            write_text(ws, SUMMARY_HEADER_ROW, col + offset, column.header, fmts.header)
        col += len(group)


def _write_summary_total(ws: Worksheet, fmts: Formats, row: int, rows: tuple[int, int],
                         data: list[tuple[str, dict[str, int], dict[str, int]]]) -> None:
    """合计 row: =SUM over the districts of each count column, with the computed value cached."""
    merge_text(ws, (row, 0), (row, len(SUMMARY_LEAD) - 1), "合计", fmts.subtotal)
    keys = [(1, s) for s in STATUSES] + [(2, s) for s in ("应报", *REPORT_STATES)]
    for col, (part, key) in enumerate(keys, start=len(SUMMARY_LEAD)):
        total = sum(entry[part][key] for entry in data)
        first, last = (xl_rowcol_to_cell(r, col) for r in rows)
        ws.write_formula(row, col, f"=SUM({first}:{last})", fmts.subtotal, total)
