"""The 规划任务分解 workbook of one district: indicators, projects, tasks, gaps and sources.

Stage: render (编制). Inputs: the documents, indicators, projects, tasks, responsibilities and findings
tables (DataFrames, as read from outputs/tables/, numbers as float, NaN or text) and the house style.
Output: `<code>_<district>_规划任务分解.xlsx` with the sheets 主要指标, 重点项目, 重点任务 (here), 缺口与疑点 and
说明 (plan_findings.py), and 调整记录 once the plan has been adjusted (audit.py).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from itertools import groupby
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from pipeline.numbers import as_number, as_text
from pipeline.render.audit import write_audit_sheet
from pipeline.render.cells import merge_text, write_number, write_text
from pipeline.render.figures import figure_text, write_figure
from pipeline.render.plan_context import (
    PlanContext,
    build_context,
    change_note,
    indicator_name,
    listed,
    target_figure,
    task_text,
)
from pipeline.render.plan_findings import (
    finding_rows,
    nameless_rows,
    pending_rows,
    write_about_sheet,
    write_findings_sheet,
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
from pipeline.render.styles import Formats, StyleSheet, new_workbook
from pipeline.render.table_rows import item_number, of_district
from pipeline.render.text_fit import fit_row, write_long_text
from pipeline.tables import ITEM_TABLES, goes_out, names_indicator, records

PROSE_CATEGORY = "文中目标"
LOOSE_PROJECTS = "文中项目"
INDICATOR_COLUMNS = (Column("类别", 10), Column("序号", 6), Column("指标", 30), Column("单位", 9),
                     Column("基期年", 7), Column("基期值", 10), Column("目标年", 7), Column("目标值", 14),
                     Column("年均增长(%)", 10), Column("属性", 8), Column("牵头单位", 16), Column("配合单位", 22),
                     Column("来源", 30))
PROJECT_COLUMNS = (Column("序号", 6), Column("项目名称", 34), Column("建设单位", 20), Column("建设地点", 14),
                   Column("计划总投资(亿元)", 12), Column("建设内容及规模", 44), Column("牵头单位", 16),
                   Column("配合单位", 22), Column("来源", 30))
TASK_COLUMNS = (Column("序号", 6), Column("任务", 70), Column("牵头单位", 16), Column("配合单位", 22),
                Column("完成时限", 10), Column("区域", 14), Column("来源", 30))
INVESTMENT_COL = 4


# ---------------------------------------------------------------- workbook

def render_plan_workbook(out_dir: Path | str, district_code: Any, district: str, documents: pd.DataFrame,
                         indicators: pd.DataFrame, projects: pd.DataFrame, tasks: pd.DataFrame,
                         responsibilities: pd.DataFrame, findings: pd.DataFrame, styles: StyleSheet,
                         generated_at: datetime, adjustments: pd.DataFrame | None = None) -> Path:
    """Write `<out_dir>/<code>_<district>_规划任务分解.xlsx` for one district and return its path; with
    `adjustments` (调整) it carries the 调整记录 audit sheet."""
    code = as_text(district_code)
    frames = {"documents": documents, "indicators": indicators, "projects": projects, "tasks": tasks,
              "responsibilities": responsibilities, "findings": findings}
    return write_plan_workbook(out_dir, code, district, {name: records(of_district(frame, code))
                                                         for name, frame in frames.items()},
                               styles, generated_at, None if adjustments is None else of_district(adjustments, code))


def write_plan_workbook(out_dir: Path | str, code: str, district: str, tables: Mapping[str, list[dict]],
                        styles: StyleSheet, generated_at: datetime, adjustments: pd.DataFrame | None) -> Path:
    """`render_plan_workbook` from one district's rows of each table (see `rows_by_district`)."""
    path = Path(out_dir) / f"{code}_{district}_规划任务分解.xlsx"
    ctx = build_context(district, styles.office.of(district), styles.doc_types, tables["documents"],
                        tables["responsibilities"], generated_at, adjustments)
    out = {name: [r for r in tables[name] if goes_out(r.get("review"))] for name in ("indicators", "projects", "tasks")}
    named = [r for r in out["indicators"] if names_indicator(r.get("name"), r.get("name_issue"))]
    nameless = [r for r in tables["indicators"] if not names_indicator(r.get("name"), r.get("name_issue"))
                and r.get("review") != "removed"]
    pending = {item_type: [r for r in tables[table] if r.get("review") == "pending"
                           and (item_type != "indicator" or names_indicator(r.get("name"), r.get("name_issue")))]
               for item_type, table in ITEM_TABLES.items()}
    items = {"indicator": named, "project": out["projects"], "task": out["tasks"]}
    wb, fmts = new_workbook(path, styles)
    _write_indicator_sheet(wb, fmts, styles, ctx, items["indicator"])
    _write_project_sheet(wb, fmts, styles, ctx, items["project"])
    _write_task_sheet(wb, fmts, styles, ctx, items["task"])
    write_findings_sheet(wb, fmts, styles, ctx,
                         finding_rows(ctx, tables["findings"], items) + nameless_rows(ctx, nameless)
                         + pending_rows(ctx, pending))
    write_about_sheet(wb, fmts, styles, ctx, tables["documents"], generated_at)
    if adjustments is not None:
        write_audit_sheet(wb, fmts, styles, f"{district}规划调整记录",
                          info_line(styles.office.of(district), "—", chinese_date(generated_at)), adjustments)
    wb.close()
    return path


# ---------------------------------------------------------------- 主要指标

def indicator_blocks(rows: list[dict], ctx: PlanContext) -> list[tuple[str, list[dict]]]:
    """Table indicators by category in item order, then the prose targets under 文中目标."""
    table = sorted((r for r in rows if as_text(r.get("source")) == "table"),
                   key=lambda r: (ctx.doc_rank(r["doc_id"]), item_number(r.get("item_no")), item_number(r.get("line"))))
    prose = sorted((r for r in rows if as_text(r.get("source")) != "table"),
                   key=lambda r: (ctx.doc_rank(r["doc_id"]), item_number(r.get("line"))))
    blocks = [(category, list(group)) for category, group in
              groupby(table, key=lambda r: as_text(r.get("category")) or "其他")]
    return blocks + ([(PROSE_CATEGORY, prose)] if prose else [])


def _write_indicator_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet, ctx: PlanContext,
                           indicators: list[dict]) -> None:
    """主要指标: laid out like the plan's own 主要指标表, with units and sources."""
    last_col = len(INDICATOR_COLUMNS) - 1
    # Title, 填报单位 line and header
    ws = start_sheet(wb, fmts, "主要指标", f"{ctx.district}“{ctx.plan_name}”规划主要指标分解表",
                     info_line(ctx.office, "见各指标", ctx.date), INDICATOR_COLUMNS)
    # Body: one block per category, the category cell merged over its rows
    row = HEADER_ROW + 1
    for category, block in indicator_blocks(indicators, ctx):
        for offset, item in enumerate(block):
            number = offset + 1 if category == PROSE_CATEGORY else as_text(item.get("item_no"))
            _write_indicator_row(ws, fmts, ctx, row + offset, number, item)
        merge_text(ws, (row, 0), (row + len(block) - 1, 0), category, fmts.category)
        row += len(block)
    if row == HEADER_ROW + 1:
        row = write_empty_note(ws, fmts, row, last_col, "暂无指标（见“缺口与疑点”）") + 1
    # Frozen header, filter and A4 landscape print setup
    finish_sheet(ws, styles, row - 1, last_col)


def _write_indicator_row(ws: Any, fmts: Formats, ctx: PlanContext, row: int, number: Any,
                         item: Mapping[str, Any]) -> None:
    """One indicator: 序号 … 来源 (the 类别 cell is written by the caller)."""
    unit, name = as_text(item.get("unit")), indicator_name(item)
    lead, co_units = ctx.units("indicator", item.get("indicator_id"))
    source = ctx.source(item.get("doc_id"), item.get("line"))
    write_text(ws, row, 1, number, fmts.body_center)
    write_text(ws, row, 2, name, fmts.body_wrap)
    write_text(ws, row, 3, unit, fmts.body_center)
    # the figures as numbers printed as the plan prints them ('18以上', '[150]', '43（调整为45）')
    baseline = (item.get("baseline_value"), item.get("baseline_text"), unit)
    change = ctx.changes.get(as_text(item.get("indicator_id")))
    target = target_figure(item, change)
    growth = (item.get("growth_value"), item.get("growth_text"), "%")  # 年均增长, in per cent
    write_number(ws, row, 4, as_number(item.get("baseline_year")), fmts.year)
    write_figure(ws, row, 5, baseline, fmts, fmts.body_wrap)
    write_number(ws, row, 6, as_number(item.get("target_year")), fmts.year)
    write_figure(ws, row, 7, target, fmts, fmts.body_wrap)
    if change:
        ws.write_comment(row, 7, change_note(change), {"x_scale": 2})
    write_figure(ws, row, 8, growth, fmts, fmts.body_wrap)
    write_text(ws, row, 9, item.get("attribute"), fmts.body_center)
    write_text(ws, row, 10, lead, fmts.body_wrap)
    write_text(ws, row, 11, co_units, fmts.body_wrap)
    write_text(ws, row, 12, source, fmts.body_wrap)
    fit_row(ws, fmts, row, INDICATOR_COLUMNS, {2: name, 3: unit, 5: figure_text(baseline), 7: figure_text(target),
                                               8: figure_text(growth), 10: lead, 11: co_units, 12: source})


# ---------------------------------------------------------------- 重点项目

def column_label(column_no: Any, column_title: Any) -> str:
    """The group row of a 专栏: '专栏-3 现代产业新体系重点项目储备库'; projects outside boxes: 文中项目.

    >>> column_label(3.0, "现代产业新体系重点项目储备库"), column_label("", ""), column_label("6", "专栏-6 基地")
    ('专栏-3 现代产业新体系重点项目储备库', '文中项目', '专栏-6 基地')
    """
    number, title = as_text(column_no), as_text(column_title)
    if not number and not title:
        return LOOSE_PROJECTS
    if title.startswith("专栏") or not number:
        return title
    prefix = number if number.startswith("专栏") else f"专栏-{number}"
    return f"{prefix} {title}".strip()


def project_groups(rows: list[dict], ctx: PlanContext) -> list[tuple[str, list[dict]]]:
    """Projects grouped by 专栏 in document order, items in order; 文中项目 last."""

    def box(r: Mapping[str, Any]) -> tuple:
        loose = column_label(r.get("column_no"), r.get("column_title")) == LOOSE_PROJECTS
        return (loose, ctx.doc_rank(r["doc_id"]), item_number(r.get("column_no")), as_text(r.get("column_title")))

    keyed = sorted((((box(r), item_number(r.get("item_no")), item_number(r.get("line"))), r) for r in rows),
                   key=lambda pair: pair[0])
    groups = ([r for _, r in group] for _, group in groupby(keyed, key=lambda pair: pair[0][0]))
    return [(column_label(group[0].get("column_no"), group[0].get("column_title")), group) for group in groups]


def _write_project_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet, ctx: PlanContext,
                         projects: list[dict]) -> None:
    """重点项目: a merged row per 专栏, its projects, an investment subtotal; a grand total at the end."""
    last_col = len(PROJECT_COLUMNS) - 1
    # Title, 填报单位 line and header
    ws = start_sheet(wb, fmts, "重点项目", f"{ctx.district}“{ctx.plan_name}”规划重点项目分解表",
                     info_line(ctx.office, "亿元（计划总投资）", ctx.date), PROJECT_COLUMNS)
    # Body: group row, items, subtotal per 专栏
    row, subtotals = HEADER_ROW + 1, []
    for label, group in project_groups(projects, ctx):
        merge_text(ws, (row, 0), (row, last_col), label, fmts.group)
        for offset, item in enumerate(group, start=1):
            _write_project_row(ws, fmts, ctx, row + offset, item)
        row += len(group) + 1
        subtotal = _write_subtotal(ws, fmts, row, (row - len(group), row - 1), group)
        subtotals += [(row, subtotal)] if subtotal is not None else []
        row += 1
    # Grand total over the subtotals, or a note when there is nothing to list
    if row > HEADER_ROW + 1:
        _write_total(ws, fmts, row, subtotals)
    else:
        write_empty_note(ws, fmts, row, last_col, "暂无重点项目")
    finish_sheet(ws, styles, row, last_col)


def _write_project_row(ws: Any, fmts: Formats, ctx: PlanContext, row: int, item: Mapping[str, Any]) -> None:
    """One project: 序号 … 来源."""
    lead, co_units = ctx.units("project", item.get("project_id"))
    source, location = ctx.source(item.get("doc_id"), item.get("line")), listed(item.get("location"))
    investment = as_number(item.get("investment_yi"))
    write_text(ws, row, 0, item.get("item_no"), fmts.body_center)
    write_text(ws, row, 1, item.get("name"), fmts.body_wrap)
    write_text(ws, row, 2, item.get("owner"), fmts.body_wrap)
    write_text(ws, row, 3, location, fmts.body_wrap)
    write_figure(ws, row, INVESTMENT_COL, (investment, item.get("investment_text"), "亿元"), fmts, fmts.body_wrap,
                 fmts.investment)  # '约20亿元': the number, and the printed text in a comment
    scale = write_long_text(ws, fmts, row, 5, item.get("scale_text"), fmts.body_wrap, PROJECT_COLUMNS[5].width)
    write_text(ws, row, 6, lead, fmts.body_wrap)
    write_text(ws, row, 7, co_units, fmts.body_wrap)
    write_text(ws, row, 8, source, fmts.body_wrap)
    fit_row(ws, fmts, row, PROJECT_COLUMNS, {1: item.get("name"), 2: item.get("owner"), 3: location,
                                             4: "" if investment is not None else item.get("investment_text"),
                                             5: scale, 6: lead, 7: co_units, 8: source})


def _write_subtotal(ws: Any, fmts: Formats, row: int, rows: tuple[int, int], group: list[dict]) -> float | None:
    """小计 row: a SUM over the group's investment cells (our own formula), or '—' when none is a number.

    Returns the subtotal's value, None when there is none.
    """
    figures = [v for v in (as_number(r.get("investment_yi")) for r in group) if v is not None]
    merge_text(ws, (row, 0), (row, INVESTMENT_COL - 1), "小计", fmts.subtotal)
    _blank_after_investment(ws, fmts, row)
    if not figures:
        write_text(ws, row, INVESTMENT_COL, "—", fmts.subtotal)
        return None
    first, last = (xl_rowcol_to_cell(r, INVESTMENT_COL) for r in rows)
    ws.write_formula(row, INVESTMENT_COL, f"=SUM({first}:{last})", fmts.subtotal_investment, sum(figures))
    return sum(figures)


def _write_total(ws: Any, fmts: Formats, row: int, subtotals: list[tuple[int, float]]) -> None:
    """合计 row: the sum of the subtotal cells ('—' when no 专栏 states an investment)."""
    merge_text(ws, (row, 0), (row, INVESTMENT_COL - 1), "合计", fmts.subtotal)
    _blank_after_investment(ws, fmts, row)
    if not subtotals:
        write_text(ws, row, INVESTMENT_COL, "—", fmts.subtotal)
        return
    cells = ",".join(xl_rowcol_to_cell(r, INVESTMENT_COL) for r, _ in subtotals)
    ws.write_formula(row, INVESTMENT_COL, f"=SUM({cells})", fmts.subtotal_investment, sum(v for _, v in subtotals))


def _blank_after_investment(ws: Any, fmts: Formats, row: int) -> None:
    """Shade the cells right of the investment in a 小计 or 合计 row."""
    for col in range(INVESTMENT_COL + 1, len(PROJECT_COLUMNS)):
        ws.write_blank(row, col, None, fmts.subtotal)


# ---------------------------------------------------------------- 重点任务

def _write_task_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet, ctx: PlanContext,
                      tasks: list[dict]) -> None:
    """重点任务: one row per task with its units, deadline, area and source."""
    last_col = len(TASK_COLUMNS) - 1
    # Title, 填报单位 line and header
    ws = start_sheet(wb, fmts, "重点任务", f"{ctx.district}“{ctx.plan_name}”规划重点任务分解表",
                     info_line(ctx.office, "—", ctx.date), TASK_COLUMNS)
    # Body in document order
    rows = sorted(tasks, key=lambda r: (ctx.doc_rank(r["doc_id"]), item_number(r.get("line"))))
    row = HEADER_ROW + 1
    for number, task in enumerate(rows, start=1):
        _write_task_row(ws, fmts, ctx, row, number, task)
        row += 1
    if not rows:
        row = write_empty_note(ws, fmts, row, last_col, "暂无重点任务") + 1
    finish_sheet(ws, styles, row - 1, last_col)


def _write_task_row(ws: Any, fmts: Formats, ctx: PlanContext, row: int, number: int,
                    task: Mapping[str, Any]) -> None:
    """One task: 序号 … 来源."""
    lead, co_units = ctx.units("task", task.get("task_id"))
    area = listed((ctx.duty("task", task.get("task_id")) or {}).get("area"))
    source, text, year = ctx.source(task.get("doc_id"), task.get("line")), task_text(task), as_text(task.get("year"))
    ws.write_number(row, 0, number, fmts.count)
    shown = write_long_text(ws, fmts, row, 1, text, fmts.body_wrap, TASK_COLUMNS[1].width)
    write_text(ws, row, 2, lead, fmts.body_wrap)
    write_text(ws, row, 3, co_units, fmts.body_wrap)
    write_text(ws, row, 4, f"{year}年" if year else "", fmts.body_center)
    write_text(ws, row, 5, area, fmts.body_wrap)
    write_text(ws, row, 6, source, fmts.body_wrap)
    fit_row(ws, fmts, row, TASK_COLUMNS, {1: shown, 2: lead, 3: co_units, 5: area, 6: source})
