"""What the district and the city 月度监测 workbooks share: the warning colours, the title of every sheet, the
status cells and tone rules, the counts, and the alert list (预警清单, 预警汇总).

Stage: render (实施). Input: the month's status and timeliness tables (DataFrames) and the house style
(templates/workbook_style.yaml: the status words and their tones, and the `monitor` section). Output: nothing by itself;
monitor_workbook.py (one district) and city_monitor.py (the city) write their sheets with these.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from pipeline.numbers import as_number, as_text
from pipeline.periods import check_month
from pipeline.render.cells import TRUNCATED, write_number, write_text
from pipeline.render.sheet_layout import HEADER_ROW, Column, finish_sheet, info_line, start_sheet, write_empty_note
from pipeline.render.styles import Formats, MonitorStyle, StyleSheet, new_workbook
from pipeline.render.text_fit import fit_row
from pipeline.statuses import Statuses
from pipeline.tables import records

log = logging.getLogger(__name__)

SAMPLE_MARK = "（样例数据 SAMPLE）"
REPORT_STATES = ("已报", "逾期未报", "未报")
ITEM_LABELS = MappingProxyType({"indicator": "指标", "project": "项目"})
COMMENT_OPTIONS = MappingProxyType({"x_scale": 3.0, "y_scale": 1.4})
ALERT_COLUMNS = (Column("序号", 6), Column("类型", 6), Column("名称", 30), Column("牵头单位", 14), Column("状态", 8),
                 Column("完成进度", 9), Column("序时进度", 9), Column("差距(百分点)", 13), Column("计算方法", 60))
CITY_ALERT_COLUMNS = (ALERT_COLUMNS[0], Column("区", 10), *ALERT_COLUMNS[1:])


# ---------------------------------------------------------------- the warning colours

@dataclass(frozen=True)
class MonitorFormats:
    """The formats the monitoring sheets add to the house registry, built once per workbook."""

    points: Format
    tones: Mapping[str, Format]  # conditional formats by tone name
    style: MonitorStyle
    statuses: Statuses


def build_monitor_formats(wb: xlsxwriter.Workbook, styles: StyleSheet) -> MonitorFormats:
    """Percentage-point cells in the house body style, and one conditional format per tone."""
    body, monitor = styles.fonts.body, styles.monitor
    cell = {"font_name": body.name, "font_size": body.size, "border": 1, "border_color": styles.colors.border,
            "valign": "vcenter"}
    return MonitorFormats(
        points=wb.add_format({**cell, "shrink": True, "num_format": monitor.points}),
        tones=MappingProxyType({name: wb.add_format({"bg_color": tone.fill, "font_color": tone.font})
                                for name, tone in styles.statuses.tones.items()}),
        style=monitor,
        statuses=styles.statuses,
    )


# ---------------------------------------------------------------- headings and counts

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
    year, month = check_month(period).split("-")
    return f"{year}年{int(month)}月"


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


def report_counts(timeliness: pd.DataFrame) -> dict[str, int]:
    """应报 (every unit listed), 已报, 逾期未报 and 未报 of a timeliness table."""
    states = [as_text(s) for s in timeliness.get("state", pd.Series(dtype=str))]
    return {"应报": len(states), **{state: states.count(state) for state in REPORT_STATES}}


def status_counts(status: pd.DataFrame, words: Sequence[str]) -> dict[str, int]:
    """How many indicators have each status of `words` (projects are not counted).

    >>> status_counts(pd.DataFrame({"item_type": ["indicator", "indicator", "project"],
    ...                             "status": ["滞后", "正常", "滞后"]}), ["正常", "滞后"])
    {'正常': 1, '滞后': 1}
    """
    found = [as_text(r.get("status")) for r in records(indicators_of(status))]
    return {name: found.count(name) for name in words}


def indicators_of(status: pd.DataFrame) -> pd.DataFrame:
    """The indicator rows of a status table."""
    if status.empty or "item_type" not in status.columns:
        return status.iloc[0:0]
    return status[status["item_type"].map(as_text) == "indicator"]


def alert_rows(status: pd.DataFrame, alerts: Sequence[str]) -> list[dict]:
    """Every indicator or project whose status is an alert (滞后, 预警), in the order of `alerts` (the most
    serious first), otherwise in the given order."""
    rows = [r for r in records(status) if as_text(r.get("status")) in alerts]
    return sorted(rows, key=lambda r: alerts.index(as_text(r.get("status"))))


# ---------------------------------------------------------------- workbook, status cells and tone rules

def open_monitor_workbook(path: Path, styles: StyleSheet,
                          title: str) -> tuple[xlsxwriter.Workbook, Formats, MonitorFormats]:
    """The house workbook with the file's title property and the monitoring formats."""
    wb, fmts = new_workbook(path, styles)
    # set_properties replaces the whole set, so the factory's properties are given again
    wb.set_properties({"created": styles.created, "author": "", "comments": styles.style_version, "title": title})
    return wb, fmts, build_monitor_formats(wb, styles)


def add_tone_rules(ws: Worksheet, mfmts: MonitorFormats, rows: tuple[int, int], col: int,
                   tones: Mapping[str, str]) -> None:
    """One conditional format per coloured value of a text column: cell == '滞后' → red, and so on."""
    first, last = rows
    if last < first:
        return
    for value, tone in tones.items():
        ws.conditional_format(first, col, last, col, {"type": "cell", "criteria": "==", "value": f'"{value}"',
                                                      "format": mfmts.tones[tone]})


def write_status(ws: Worksheet, fmts: Formats, row: int, col: int, item: Mapping[str, Any]) -> None:
    """The status as text, with the method that computed it in the cell's comment."""
    write_text(ws, row, col, item.get("status"), fmts.body_center)
    method = as_text(item.get("method"))
    if not method:
        return
    code = ws.write_comment(row, col, method, dict(COMMENT_OPTIONS))
    if code == TRUNCATED:
        log.warning("工作表“%s”第 %d 行的计算方法超过 32767 个字符，批注已截断", ws.name, row + 1)


# ---------------------------------------------------------------- 预警清单 / 预警汇总

def write_alert_sheet(wb: xlsxwriter.Workbook, formats: tuple[Formats, MonitorFormats], styles: StyleSheet,
                      heading: Heading, alerts: Iterable[tuple[str, Mapping[str, Any]]], city: bool = False) -> None:
    """预警清单 (one district) or 预警汇总 (the city, with a 区 column): every item in 滞后 or 预警."""
    fmts, mfmts = formats
    columns = CITY_ALERT_COLUMNS if city else ALERT_COLUMNS
    last_col, shift = len(columns) - 1, 1 if city else 0
    # Title, 填报单位 line and header
    ws = start_sheet(wb, fmts, "预警汇总" if city else "预警清单", heading.title("预警汇总表" if city else "预警清单"),
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
        write_status(ws, fmts, row, 4 + shift, item)
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
    add_tone_rules(ws, mfmts, (HEADER_ROW + 1, row - 1), 4 + shift, mfmts.statuses.tone_names())
    finish_sheet(ws, styles, row - 1, last_col)
