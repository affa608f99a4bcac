"""The 调整记录 (audit) sheet: every approved change, old and new value, reason, 文号, version, dates.

Stage: render (调整). Input: the adjustments table (outputs/tables/adjustments.csv) of one district.
Output: one sheet added to a workbook (the plan workbook and the evaluation workbook both carry it).
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.render.cells import write_text
from pipeline.render.figures import write_figure
from pipeline.render.sheet_layout import Column, freeze_and_filter, setup_page, write_header, write_title_block
from pipeline.render.styles import Formats, StyleSheet
from pipeline.render.text_fit import fit_row

SHEET = "调整记录"
HEADER_ROW = 2
COLUMNS = (Column("版本", 6), Column("指标", 24), Column("调整字段", 10), Column("原值", 10), Column("新值", 10),
           Column("生效时间", 10), Column("调整理由", 36), Column("批准文号", 20), Column("记录人", 14),
           Column("记录时间", 18))


def write_audit_sheet(wb: Any, fmts: Formats, styles: StyleSheet, title: str, info: str,
                      adjustments: pd.DataFrame) -> None:
    """Add the 调整记录 sheet listing `adjustments` (an empty list says so)."""
    ws = wb.add_worksheet(SHEET)
    last = len(COLUMNS) - 1
    write_title_block(ws, fmts, title, info, last)
    write_header(ws, fmts, HEADER_ROW, COLUMNS)
    row = HEADER_ROW
    for row_offset, change in enumerate(adjustments.to_dict("records"), start=1):
        row = HEADER_ROW + row_offset
        texts = {0: change["version"], 1: change["name"],
                 2: "目标值" if change["field"] == "target_value" else change["field"],
                 5: change["effective_from"], 6: change["reason"], 7: change["approved_by"],
                 8: change["recorded_by"], 9: change["recorded_at"]}
        for col, value in texts.items():
            write_text(ws, row, col, str(value), fmts.body_wrap if col in (1, 6, 7) else fmts.body_center)
        # 原值 and 新值 as numbers ('43', not '43.0'), the new one as the line gave it ('45 亿斤' prints 45亿斤)
        write_figure(ws, row, 3, (change["old_value"], "", ""), fmts, fmts.body_center)
        write_figure(ws, row, 4, (change["new_value"], change["new_text"], ""), fmts, fmts.body_center)
        fit_row(ws, fmts, row, COLUMNS, {1: change["name"], 6: change["reason"], 7: change["approved_by"]})
    if adjustments.empty:
        row = HEADER_ROW + 1
        write_text(ws, row, 0, "本规划尚无经批准的调整（第 1 版）", fmts.note)
    freeze_and_filter(ws, HEADER_ROW, row, last)
    setup_page(ws, styles, HEADER_ROW)
