"""The evaluation workbook beside each report: the indicator table, the data gaps and the sources.

Stage: render (评估). Input: the report context (version 1.2) — the same figures the report shows.
Output: <base>.xlsx with sheets 主要指标评估 (表1), 其他量化目标 (附录三, by chapter, when the plan has any),
数据缺口, 说明, in the house style (styles.py).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.numbers import number_text
from pipeline.render.audit import write_audit_sheet
from pipeline.render.cells import merge_text, write_number, write_text
from pipeline.render.figures import figure_text, write_figure
from pipeline.render.sheet_layout import (
    Column,
    freeze_and_filter,
    info_line,
    setup_page,
    write_header,
    write_title_block,
)
from pipeline.render.styles import StyleSheet, new_workbook
from pipeline.render.table_rows import of_district
from pipeline.render.text_fit import fit_row
from pipeline.schema import column_notes

HEADER_ROW = 2
INDICATOR_COLUMNS = (Column("序号", 6), Column("指标", 30), Column("单位", 9), Column("属性", 8), Column("基期值", 10),
                     Column("目标值", 14), Column("实际值", 10), Column("预期值", 10), Column("完成进度", 10),
                     Column("进度比R", 9), Column("状态", 8), Column("牵头单位", 12), Column("实际值来源", 30),
                     Column("计算方法", 40))
GAP_COLUMNS = (Column("序号", 6), Column("指标", 40), Column("原因", 60))


def target_figure(indicator: dict) -> tuple[Any, str, str]:
    """目标值 as (value, printed text, unit), as the report shows it: the plan's target, or after an approved
    change the target in force beside the plan's ('43（调整为45）', the value 45, the one judged against).

    >>> target_figure({"target": 43.0, "target_text": "43", "adjusted_target": 45.0, "unit": "亿斤"})
    (45.0, '43（调整为45）', '亿斤')
    >>> target_figure({"target": 18.0, "target_text": "18 以上", "adjusted_target": None, "unit": "%"})
    (18.0, '18 以上', '%')
    """
    printed, adjusted = indicator["target_text"] or "", indicator.get("adjusted_target")
    if adjusted is None:
        return indicator["target"], printed, indicator["unit"]
    return adjusted, f"{printed or '—'}（调整为{number_text(adjusted)}）", indicator["unit"]


def render_evaluation_workbook(path: Path, context: dict, styles: StyleSheet,
                               adjustments: pd.DataFrame | None = None) -> Path:
    """Write the evaluation workbook of one report context (with the 调整记录 sheet when the plan's
    adjustments are given); return its path."""
    wb, fmts = new_workbook(path, styles)
    title = f"{context['district']['name']}{context['year']}年规划{context['kind_name']}" + (
        "（含样例数据 SAMPLE）" if context["sample"] else "")
    info = info_line(styles.office.of(context["district"]["name"]), "见各指标", context["generated_at"])
    # 主要指标评估 (表1) and 其他量化目标 (附录三, a merged chapter cell over its rows)
    _indicator_sheet(wb, fmts, styles, "主要指标评估", f"{title}·主要指标", info, INDICATOR_COLUMNS,
                     [("", context["indicators"])])
    if context.get("annex"):
        _indicator_sheet(wb, fmts, styles, "其他量化目标", f"{title}·其他量化目标（按章节）", info,
                         (Column("章节", 16), *INDICATOR_COLUMNS),
                         [(g["chapter"], g["items"]) for g in context["annex"]])
    # 数据缺口: every 无数据 item and why, so the office knows what to collect
    ws = wb.add_worksheet("数据缺口")
    write_title_block(ws, fmts, f"{title}·数据缺口", info, len(GAP_COLUMNS) - 1)
    write_header(ws, fmts, HEADER_ROW, GAP_COLUMNS)
    row = HEADER_ROW
    for number, gap in enumerate(context["gaps"], start=1):
        row = HEADER_ROW + number
        ws.write_number(row, 0, number, fmts.count)
        write_text(ws, row, 1, gap["name"], fmts.body_wrap)
        write_text(ws, row, 2, gap["reason"], fmts.body_wrap)
    freeze_and_filter(ws, HEADER_ROW, row, len(GAP_COLUMNS) - 1)
    setup_page(ws, styles, HEADER_ROW)
    # 说明: the plan, the counts, and where the figures come from
    ws = wb.add_worksheet("说明")
    write_title_block(ws, fmts, f"{title}·说明", info, 1)
    lines = [("规划", context["plan"]["title"]), ("规划期", f"{context['plan']['period_start']}—"
                                                           f"{context['plan']['period_end']}年"),
             ("评估年度", str(context["year"])), ("时间进度 τ", f"{context['tau']:.2f}"),
             *[(status, str(count)) for status, count in context["summary"]["counts"].items()],
             ("方法", "见 README.md“评估: evaluation”与 templates/README.md：P、τ、R 的计算，状态区间见 "
                    "inputs/config/status.yaml"),
             ("数据", "实际值取自月度填报数据库（优先）和文件中的报告；缺失即为“无数据”，不作推断"),
             *[(f"“{label}”列", note) for label, note in sorted(
                 column_notes("evaluations"), key=lambda n: [c.header for c in INDICATOR_COLUMNS].index(n[0]))],
             *_left_out_lines(context.get("left_out") or [])]
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 90)
    for offset, (label, value) in enumerate(lines):
        write_text(ws, HEADER_ROW + offset, 0, label, fmts.header)
        write_text(ws, HEADER_ROW + offset, 1, value, fmts.body_wrap)
    setup_page(ws, styles, HEADER_ROW - 1)
    if adjustments is not None:
        write_audit_sheet(wb, fmts, styles, f"{title}·调整记录", info,
                          of_district(adjustments, context["district"]["code"]))
    wb.close()
    return path


def _indicator_sheet(wb, fmts, styles: StyleSheet, name: str, title: str, info: str, columns: tuple[Column, ...],
                     groups: list[tuple[str, list[dict]]]) -> None:
    """One row per indicator, figures as numbers, the method in words; with a 章节 column first, each group's
    title merged over its rows (numbered on through the sheet)."""
    ws = wb.add_worksheet(name)
    last, shift = len(columns) - 1, len(columns) - len(INDICATOR_COLUMNS)
    write_title_block(ws, fmts, title, info, last)
    write_header(ws, fmts, HEADER_ROW, columns)
    row = number = HEADER_ROW
    for chapter, items in groups:
        first = row + 1
        for ind in items:
            row, number = row + 1, number + 1
            _indicator_row(ws, fmts, row, columns, number - HEADER_ROW, ind)
        if shift and items:
            merge_text(ws, (first, 0), (row, 0), chapter, fmts.category)
    freeze_and_filter(ws, HEADER_ROW, row, last)
    setup_page(ws, styles, HEADER_ROW)


def _indicator_row(ws, fmts, row: int, columns: tuple[Column, ...], number: int, ind: dict) -> None:
    """The cells of one evaluated indicator: INDICATOR_COLUMNS, after the extra first columns of `columns`."""
    shift = len(columns) - len(INDICATOR_COLUMNS)
    ws.write_number(row, shift, number, fmts.count)
    for col, text in ((1, ind["name"]), (2, ind["unit"]), (3, ind["attribute"]), (10, ind["status"]),
                      (11, ind["lead_unit"]), (12, ind["actual_source"] or "无数据"), (13, ind["method"])):
        write_text(ws, row, shift + col, text, fmts.body_wrap if col in (1, 12, 13) else fmts.body_center)
    for col, value in ((4, ind["baseline"]), (6, ind["actual"]), (7, ind["expected"]), (9, ind["ratio"])):
        if value is None:
            write_text(ws, row, shift + col, "—" if col != 6 else "无数据", fmts.body_center)
        else:
            write_number(ws, row, shift + col, value, fmts.number(value))
    target = target_figure(ind)
    write_figure(ws, row, shift + 5, target, fmts, fmts.body_wrap)
    if ind["progress"] is None:
        write_text(ws, row, shift + 8, "—", fmts.body_center)
    else:
        write_number(ws, row, shift + 8, ind["progress"], fmts.fraction)
    fit_row(ws, fmts, row, columns, {shift + 1: ind["name"], shift + 5: figure_text(target),
                                     shift + 12: ind["actual_source"], shift + 13: ind["method"]})


def _left_out_lines(left_out: list[dict]) -> list[tuple[str, str]]:
    """The 说明 line on the targets left out of the evaluation because the plan does not name what they measure
    (the report says the same), with each one's words and line in the plan."""
    if not left_out:
        return []
    quotes = "；".join(f"“{x['quote']}”" + (f"（原文第{x['line']}行）" if x.get("line") else "")
                      + (f"：{x['reason']}" if x.get("reason") else "") for x in left_out)
    return [("未纳入评估", f"{len(left_out)}项目标在规划原文中未写明所指指标，无法确定所指，未列入本表：{quotes}")]
