"""The 规划任务分解 workbook of one district: indicators, projects, tasks, gaps and sources.

Stage: render (编制). Inputs: the documents, indicators, projects, tasks, responsibilities and findings
tables (DataFrames, as read from outputs/tables/, numbers as float, NaN or text) and the house style.
Output: `<code>_<district>_规划任务分解.xlsx` with the sheets 主要指标, 重点项目, 重点任务, 缺口与疑点, 说明.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from pipeline.render.audit import write_audit_sheet
from pipeline.render.styles import (
    Column,
    Formats,
    StyleSheet,
    as_number,
    as_text,
    chinese_date,
    figure_text,
    fit_row,
    freeze_and_filter,
    info_line,
    merge_text,
    new_workbook,
    number_text,
    one_line,
    setup_page,
    write_empty_note,
    write_figure,
    write_header,
    write_long_text,
    write_number,
    write_text,
    write_title_block,
)
from pipeline.tables import records

HEADER_ROW = 2  # row 1 title, row 2 填报单位 line, row 3 header (0-based 2)
UNASSIGNED = "未分配"
NAMELESS = "未写明指标名称"
PROSE_CATEGORY = "文中目标"
LOOSE_PROJECTS = "文中项目"
UNASSIGNED_RULES = frozenset({"", "unassigned"})
FINDING_LABELS = MappingProxyType({
    "missing_table": "缺表", "table_note": "表注", "empty_cell": "空单元格",
    "category_count_mismatch": "类别数不符", "unassigned": "未分配", "count_mismatch": "数量不符",
    "new_place": "新地名",
})
ITEM_LABELS = MappingProxyType({"indicator": "指标", "project": "项目", "task": "任务"})
DOC_TYPE_LABELS = MappingProxyType({
    "five_year_plan": "五年规划纲要", "annual_plan": "年度计划", "work_report": "政府工作报告", "review": "规划回顾",
})
INDICATOR_COLUMNS = (Column("类别", 10), Column("序号", 6), Column("指标", 30), Column("单位", 9),
                     Column("基期年", 7), Column("基期值", 10), Column("目标年", 7), Column("目标值", 14),
                     Column("年均增长(%)", 10), Column("属性", 8), Column("牵头单位", 16), Column("配合单位", 22),
                     Column("来源", 30))
PROJECT_COLUMNS = (Column("序号", 6), Column("项目名称", 34), Column("建设单位", 20), Column("建设地点", 14),
                   Column("计划总投资(亿元)", 12), Column("建设内容及规模", 44), Column("牵头单位", 16),
                   Column("配合单位", 22), Column("来源", 30))
TASK_COLUMNS = (Column("序号", 6), Column("任务", 70), Column("牵头单位", 16), Column("配合单位", 22),
                Column("完成时限", 10), Column("区域", 14), Column("来源", 30))
FINDING_COLUMNS = (Column("序号", 6), Column("类型", 10), Column("位置", 30), Column("原文", 60), Column("说明", 50))
ABOUT_COLUMNS = (Column("序号", 6), Column("文件标题", 44), Column("类型", 12), Column("源文件", 24),
                 Column("SHA-256", 30), Column("发布日期", 11), Column("规划期", 11))
INVESTMENT_COL = 4
BARE = re.compile(r"[\s,，.。:：;；、!！?？()（）]")
READING_NOTES = (
    "「主要指标」先列规划纲要指标表中的指标（类别合并），再列正文中提出的目标（类别为“文中目标”）。"
    "目标值为数字时按数值保存、按原文写法显示（如“5以上”“[150]”，单位见“单位”列）；非数字目标按原文显示。"
    "带 [ ] 的为累计数。经批准调整的目标显示为“原目标（调整为新目标）”，单元格数值为调整后的目标，批注注明版本和文号。",
    "「重点项目」按专栏分组，每组末行为计划总投资小计，表末为合计；不在专栏中的项目列在“文中项目”。",
    "「重点任务」列出各项任务及其牵头、配合单位和完成时限。",
    "「缺口与疑点」列出原文缺表、表注、空单元格、数量不符、未写明指标名称的目标以及尚未确定牵头单位的事项，请逐项核实后补正。",
    "“来源”列给出原文件和行号，可据此核对原文。本表由流水线根据原文自动生成，未经人工改动。",
)


@dataclass(frozen=True)
class PlanContext:
    """What every sheet of one district's workbook needs: names, date, sources and responsibilities."""

    district: str
    office: str  # who issues the workbook, on every 填报单位 line (templates/workbook_style.yaml, office)
    date: str
    plan_name: str
    labels: Mapping[str, str]  # doc_id → short name (source_label), in the documents table's order
    duties: Mapping[tuple[str, str], Mapping[str, Any]]
    changes: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))  # by indicator_id

    def source(self, doc_id: Any, line: Any) -> str:
        """'双城区十四五规划纲要 第344行': the document's short name and the raw line."""
        doc = as_text(doc_id)
        label = self.labels.get(doc, doc)
        line_text = as_text(line)
        return f"{label} 第{line_text}行" if line_text else label

    def doc_rank(self, doc_id: Any) -> int:
        """The position of a document in the documents table (unknown documents last)."""
        doc = as_text(doc_id)
        return next((rank for rank, key in enumerate(self.labels) if key == doc), len(self.labels))

    def duty(self, item_type: str, item_id: Any) -> Mapping[str, Any] | None:
        """The responsibility row of an item, if there is one."""
        return self.duties.get((item_type, as_text(item_id)))

    def units(self, item_type: str, item_id: Any) -> tuple[str, str]:
        """(牵头单位, 配合单位) of an item; 未分配 when no rule assigned it."""
        duty = self.duty(item_type, item_id)
        co_units = listed(duty.get("co_units")) if duty else ""
        return (UNASSIGNED if is_unassigned(duty) else as_text(duty.get("lead_unit"))), co_units


# ---------------------------------------------------------------- labels

def five_year_name(year: int) -> str:
    """The five-year plan a year falls in, as officials name it ('十四五' for 2021–2025).

    >>> five_year_name(2021), five_year_name(2023), five_year_name(2016), five_year_name(2026)
    ('十四五', '十四五', '十三五', '十五五')
    """
    ordinal = (year - 1981) // 5 + 6  # the 6th plan ran 1981–1985
    digits = "零一二三四五六七八九"
    tens, ones = divmod(ordinal, 10)
    head = ("" if tens == 1 else digits[tens]) + "十" if tens else ""
    return f"{head}{digits[ones] if ones else ''}五"


def source_label(doc: Mapping[str, Any]) -> str:
    """A document's short name for 来源 cells ('双城区十四五规划纲要'); the title when the type is unknown.

    >>> source_label({"district": "双城区", "doc_type": "five_year_plan", "period_start": 2021.0, "title": "x"})
    '双城区十四五规划纲要'
    >>> source_label({"district": "道里区", "doc_type": "annual_plan", "period_start": "2023", "title": "x"})
    '道里区2023年度计划'
    """
    district, doc_type = as_text(doc.get("district")), as_text(doc.get("doc_type"))
    start = as_text(doc.get("period_start"))
    if not start.isdigit():
        return as_text(doc.get("title"))
    patterns = {"five_year_plan": f"{district}{five_year_name(int(start))}规划纲要",
                "annual_plan": f"{district}{start}年度计划",
                "work_report": f"{district}{start}年政府工作报告",
                "review": f"{district}{five_year_name(int(start))}规划回顾"}
    return patterns.get(doc_type, as_text(doc.get("title")))


def plan_name(docs: list[Mapping[str, Any]], fallback_year: int) -> str:
    """'十四五': the five-year plan of the plan documents (rows of the documents table), or of the year."""
    plans = [d for d in docs if as_text(d.get("doc_type")) == "five_year_plan"] or docs
    years = [int(y) for y in (as_number(d.get("period_start")) for d in plans) if y is not None]
    return five_year_name(max(years) if years else fallback_year)


def listed(value: Any) -> str:
    """A '|'-joined list of the tables as officials write it.

    >>> listed("民主镇|团结镇"), listed(""), listed(float("nan"))
    ('民主镇、团结镇', '', '')
    """
    return "、".join(part for part in as_text(value).split("|") if part)


def is_unassigned(duty: Mapping[str, Any] | None) -> bool:
    """An item is 未分配 when it has no responsibility row or its rule_id is '' or 'unassigned'."""
    return duty is None or as_text(duty.get("rule_id")) in UNASSIGNED_RULES


def of_district(frame: pd.DataFrame, district_code: str) -> pd.DataFrame:
    """The rows of one district (codes compared as text, so 230113 and 230113.0 match)."""
    if frame.empty or "district_code" not in frame.columns:
        return frame.iloc[0:0]
    codes = frame["district_code"]
    return frame[(codes.str.strip() if pd.api.types.is_string_dtype(codes) else codes.map(as_text)) == district_code]


def item_number(value: Any) -> float:
    """A sort key for 序号 as printed ('3', 3.0); unnumbered items sort last."""
    number = as_number(value)
    return float("inf") if number is None else number


def build_context(district: str, office: str, documents: list[dict], responsibilities: list[dict],
                  generated_at: datetime, adjustments: pd.DataFrame | None = None) -> PlanContext:
    """Index one district's documents, responsibilities (table rows) and target changes for the sheet writers."""
    labels = {as_text(d["doc_id"]): source_label(d) for d in documents}
    duties = {(as_text(r["item_type"]), as_text(r["item_id"])): r for r in responsibilities}
    return PlanContext(district, office, chinese_date(generated_at), plan_name(documents, generated_at.year),
                       MappingProxyType(labels), MappingProxyType(duties),
                       MappingProxyType(latest_target_changes(adjustments)))


def latest_target_changes(adjustments: pd.DataFrame | None) -> dict[str, Mapping[str, Any]]:
    """The latest approved target change of each adjusted indicator (by effective month, then version)."""
    if adjustments is None or adjustments.empty:
        return {}
    changes = sorted((r for r in records(adjustments) if as_text(r.get("field")) == "target_value"),
                     key=lambda r: (as_text(r.get("effective_from")), as_number(r.get("version")) or 0.0))
    return {as_text(r.get("indicator_id")): r for r in changes}


def target_figure(item: Mapping[str, Any], change: Mapping[str, Any] | None) -> tuple[Any, str, str]:
    """目标值 as (value, printed text, unit): the plan's, or after an approved change the target in force beside
    the plan's, as the reports print it.

    >>> target_figure({"target_value": "43.0", "target_text": "43", "unit": "亿斤"}, {"new_value": "45.0"})
    (45.0, '43（调整为45）', '亿斤')
    """
    unit, printed = as_text(item.get("unit")), as_text(item.get("target_text"))
    new = as_number(change.get("new_value")) if change else None
    if new is None:
        return item.get("target_value"), printed, unit
    return new, f"{printed or '—'}（调整为{number_text(new)}）", unit


def change_note(change: Mapping[str, Any]) -> str:
    """The comment on an adjusted target: which version, which document, from when.

    >>> change_note({"version": "2", "approved_by": "双政发〔2024〕1号", "effective_from": "2024-01"})
    '目标为第 2 版（双政发〔2024〕1号，2024-01 起）'
    """
    return (f"目标为第 {as_text(change.get('version'))} 版（{as_text(change.get('approved_by'))}，"
            f"{as_text(change.get('effective_from'))} 起）")


def rows_by_district(frame: pd.DataFrame) -> dict[str, list[dict]]:
    """A table's rows (`records`) grouped by district code (as text), in table order; one pass for all."""
    grouped: dict[str, list[dict]] = {}
    for row in records(frame):
        grouped.setdefault(as_text(row.get("district_code")), []).append(row)
    return grouped


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
    ctx = build_context(district, styles.office.of(district), tables["documents"], tables["responsibilities"],
                        generated_at, adjustments)
    named = [r for r in tables["indicators"] if as_text(r.get("name")).strip()]
    nameless = [r for r in tables["indicators"] if not as_text(r.get("name")).strip()]
    items = {"indicator": named, "project": tables["projects"], "task": tables["tasks"]}
    wb, fmts = new_workbook(path, styles)
    _write_indicator_sheet(wb, fmts, styles, ctx, items["indicator"])
    _write_project_sheet(wb, fmts, styles, ctx, items["project"])
    _write_task_sheet(wb, fmts, styles, ctx, items["task"])
    _write_findings_sheet(wb, fmts, styles, ctx,
                          finding_rows(ctx, tables["findings"], items) + nameless_rows(ctx, nameless))
    _write_about_sheet(wb, fmts, styles, ctx, tables["documents"], generated_at)
    if adjustments is not None:
        write_audit_sheet(wb, fmts, styles, f"{district}规划调整记录",
                          info_line(styles.office.of(district), "—", chinese_date(generated_at)), adjustments)
    wb.close()
    return path


def _start_sheet(wb: xlsxwriter.Workbook, fmts: Formats, name: str, title: str, info: str,
                 columns: Sequence[Column]) -> Any:
    """Add a sheet with its title block and header row."""
    ws = wb.add_worksheet(name)
    write_title_block(ws, fmts, title, info, len(columns) - 1)
    write_header(ws, fmts, HEADER_ROW, columns)
    return ws


def _finish_sheet(ws: Any, styles: StyleSheet, last_row: int, last_col: int) -> None:
    """Frozen header, autofilter and the house print setup."""
    freeze_and_filter(ws, HEADER_ROW, last_row, last_col)
    setup_page(ws, styles, HEADER_ROW)


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


def indicator_name(row: Mapping[str, Any]) -> str:
    """The name as printed, with its sub-item: '人均可支配收入增长率（城镇）'."""
    name, sub_item = as_text(row.get("name")), as_text(row.get("sub_item"))
    return f"{name}（{sub_item}）" if sub_item else name


def _write_indicator_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet, ctx: PlanContext,
                           indicators: list[dict]) -> None:
    """主要指标: laid out like the plan's own 主要指标表, with units and sources."""
    last_col = len(INDICATOR_COLUMNS) - 1
    # Title, 填报单位 line and header
    ws = _start_sheet(wb, fmts, "主要指标", f"{ctx.district}“{ctx.plan_name}”规划主要指标分解表",
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
    _finish_sheet(ws, styles, row - 1, last_col)


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
    ws = _start_sheet(wb, fmts, "重点项目", f"{ctx.district}“{ctx.plan_name}”规划重点项目分解表",
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
    _finish_sheet(ws, styles, row, last_col)


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

def task_text(task: Mapping[str, Any]) -> str:
    """A task as one cell: its title, then its text when the text says more.

    >>> task_text({"title": "持续推进重点项目建设", "text": "深入开展活动"})
    '持续推进重点项目建设：深入开展活动'
    >>> task_text({"title": "", "text": "办好优质均衡教育"})
    '办好优质均衡教育'
    >>> task_text({"title": "坚持项目拉动,在壮大经济实力上开新局", "text": "(一)坚持项目拉动，在壮大经济实力上开新局"})
    '(一)坚持项目拉动，在壮大经济实力上开新局'
    """
    title, text = as_text(task.get("title")), as_text(task.get("text"))
    if not title or _bare(title) in _bare(text):  # the title as printed ('拉动,在') is in the text ('拉动，在')
        return text or title
    return f"{title}：{text}" if text else title


def _bare(text: str) -> str:
    """A text without spaces and punctuation, to tell whether one contains another whatever their widths."""
    return BARE.sub("", text)


def _write_task_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet, ctx: PlanContext,
                      tasks: list[dict]) -> None:
    """重点任务: one row per task with its units, deadline, area and source."""
    last_col = len(TASK_COLUMNS) - 1
    # Title, 填报单位 line and header
    ws = _start_sheet(wb, fmts, "重点任务", f"{ctx.district}“{ctx.plan_name}”规划重点任务分解表",
                      info_line(ctx.office, "—", ctx.date), TASK_COLUMNS)
    # Body in document order
    rows = sorted(tasks, key=lambda r: (ctx.doc_rank(r["doc_id"]), item_number(r.get("line"))))
    row = HEADER_ROW + 1
    for number, task in enumerate(rows, start=1):
        _write_task_row(ws, fmts, ctx, row, number, task)
        row += 1
    if not rows:
        row = write_empty_note(ws, fmts, row, last_col, "暂无重点任务") + 1
    _finish_sheet(ws, styles, row - 1, last_col)


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


# ---------------------------------------------------------------- 缺口与疑点

def finding_rows(ctx: PlanContext, findings: list[dict], items: Mapping[str, list[dict]]) -> list[dict]:
    """Every finding of the district, then every item no rule assigned (类型, 位置, 原文, 说明)."""
    ordered = sorted(findings,
                     key=lambda r: (ctx.doc_rank(r.get("doc_id")), item_number(r.get("line"))))
    rows = [{"type": FINDING_LABELS.get(as_text(f.get("kind")), as_text(f.get("kind"))),
             "place": ctx.source(f.get("doc_id"), f.get("line")),
             "quote": one_line(f.get("quote")), "detail": as_text(f.get("detail"))}
            for f in ordered]
    stated = {(as_text(f.get("doc_id")), as_text(f.get("line")), as_text(f.get("quote")) + as_text(f.get("detail")))
              for f in ordered if as_text(f.get("kind")) == "unassigned"}
    return rows + [row for row in unassigned_rows(ctx, items) if not _already_stated(row, stated)]


def unassigned_rows(ctx: PlanContext, items: Mapping[str, list[dict]]) -> list[dict]:
    """One 未分配 row per indicator, project or task without an assigned lead unit."""
    keys = {"indicator": "indicator_id", "project": "project_id", "task": "task_id"}
    rows = []
    for item_type, rows_of_type in items.items():
        for item in rows_of_type:
            if not is_unassigned(ctx.duty(item_type, item.get(keys[item_type]))):
                continue
            name = indicator_name(item) if item_type == "indicator" else (
                as_text(item.get("name")) if item_type == "project" else task_text(item))
            rows.append({"type": UNASSIGNED, "place": ctx.source(item.get("doc_id"), item.get("line")),
                         "quote": name, "detail": f"{ITEM_LABELS[item_type]}尚未确定牵头单位，请人工指定",
                         "key": (as_text(item.get("doc_id")), as_text(item.get("line")), name)})
    return rows


def nameless_rows(ctx: PlanContext, nameless: list[dict]) -> list[dict]:
    """One row per target the plan states without naming what it measures (left out of the sheets and forms)."""
    return [{"type": NAMELESS, "place": ctx.source(r.get("doc_id"), r.get("line")), "quote": one_line(r.get("quote")),
             "detail": "原文未写明指标名称，未列入主要指标和月度填报表；请核实所指指标后补正"} for r in nameless]


def _already_stated(row: Mapping[str, Any], stated: set[tuple[str, str, str]]) -> bool:
    """Whether an 未分配 finding on the same line already names the item."""
    doc_id, line, name = row["key"]
    return any(d == doc_id and ln == line and name in text for d, ln, text in stated)


def _write_findings_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet, ctx: PlanContext,
                          rows: list[dict]) -> None:
    """缺口与疑点: what a person must check before the workbook is used."""
    last_col = len(FINDING_COLUMNS) - 1
    # Title, 填报单位 line and header
    ws = _start_sheet(wb, fmts, "缺口与疑点", f"{ctx.district}规划任务分解缺口与疑点清单",
                      info_line(ctx.office, "—", ctx.date), FINDING_COLUMNS)
    # Body
    row = HEADER_ROW + 1
    for number, finding in enumerate(rows, start=1):
        ws.write_number(row, 0, number, fmts.count)
        write_text(ws, row, 1, finding["type"], fmts.body_center)
        write_text(ws, row, 2, finding["place"], fmts.body_wrap)
        quote = write_long_text(ws, fmts, row, 3, finding["quote"], fmts.body_wrap, FINDING_COLUMNS[3].width)
        detail = write_long_text(ws, fmts, row, 4, finding["detail"], fmts.body_wrap, FINDING_COLUMNS[4].width)
        fit_row(ws, fmts, row, FINDING_COLUMNS, {2: finding["place"], 3: quote, 4: detail})
        row += 1
    if not rows:
        row = write_empty_note(ws, fmts, row, last_col, "未发现缺口或疑点") + 1
    _finish_sheet(ws, styles, row - 1, last_col)


# ---------------------------------------------------------------- 说明

def _write_about_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet, ctx: PlanContext,
                       documents: list[dict], generated_at: datetime) -> None:
    """说明: the source documents, when and with which style the workbook was made, how to read it."""
    last_col = len(ABOUT_COLUMNS) - 1
    # Title, 填报单位 line and header of the source list
    ws = _start_sheet(wb, fmts, "说明", f"{ctx.district}规划任务分解表说明",
                      info_line(ctx.office, "—", ctx.date), ABOUT_COLUMNS)
    # One row per source document
    row = HEADER_ROW + 1
    for number, doc in enumerate(documents, start=1):
        _write_source_row(ws, fmts, row, number, doc)
        row += 1
    last_source = row - 1 if row > HEADER_ROW + 1 else write_empty_note(ws, fmts, row, last_col, "暂无来源文件")
    # Generation facts and reading notes below the list, each line merged across the sheet
    lines = [f"生成时间：{generated_at.strftime('%Y-%m-%d %H:%M')}", f"样式版本：{styles.style_version}",
             f"填报表模板版本：{styles.form_template_version}", "阅读说明："]
    lines += [f"{i}. {note}" for i, note in enumerate(READING_NOTES, start=1)]
    full_width = [Column("", sum(c.width for c in ABOUT_COLUMNS))]
    for row, text in enumerate(lines, start=last_source + 2):
        merge_text(ws, (row, 0), (row, last_col), text, fmts.note)
        fit_row(ws, fmts, row, full_width, {0: text})
    _finish_sheet(ws, styles, last_source, last_col)


def _write_source_row(ws: Any, fmts: Formats, row: int, number: int, doc: Mapping[str, Any]) -> None:
    """One source document: title, type, file, sha256, published, period."""
    start, end = as_text(doc.get("period_start")), as_text(doc.get("period_end"))
    ws.write_number(row, 0, number, fmts.count)
    write_text(ws, row, 1, doc.get("title"), fmts.body_wrap)
    write_text(ws, row, 2, DOC_TYPE_LABELS.get(as_text(doc.get("doc_type")), as_text(doc.get("doc_type"))),
               fmts.body_center)
    write_text(ws, row, 3, doc.get("source_file"), fmts.body_wrap)
    write_text(ws, row, 4, doc.get("sha256"), fmts.body_wrap)
    write_text(ws, row, 5, doc.get("published"), fmts.body_center)
    write_text(ws, row, 6, start if start == end or not end else f"{start}—{end}", fmts.body_center)
    fit_row(ws, fmts, row, ABOUT_COLUMNS, {1: doc.get("title"), 3: doc.get("source_file"), 4: doc.get("sha256")})
