"""The sheets of a 规划任务分解 workbook that say what to check and where it came from: 缺口与疑点 and 说明.

Stage: render (编制). Input: the district's findings table rows, its items without an assigned lead unit or
without a name, its documents (a `PlanContext`) and the house style. Output: the two sheets, added to the
workbook `plan_workbook.write_plan_workbook` opens.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

import xlsxwriter

from pipeline.numbers import as_text
from pipeline.render.cells import merge_text, one_line, write_text
from pipeline.render.plan_context import UNASSIGNED, PlanContext, indicator_name, is_unassigned, task_text
from pipeline.render.sheet_layout import (
    HEADER_ROW,
    Column,
    finish_sheet,
    info_line,
    start_sheet,
    write_empty_note,
)
from pipeline.render.styles import DocTypeName, Formats, StyleSheet
from pipeline.render.table_rows import item_number
from pipeline.render.text_fit import fit_row, write_long_text
from pipeline.tables import ITEM_IDS, ITEM_WORDS, nameless_reason

NAMELESS = "未写明指标名称"
PENDING = "待确认"
FINDING_LABELS = MappingProxyType({
    "missing_table": "缺表", "table_note": "表注", "empty_cell": "空单元格",
    "category_count_mismatch": "类别数不符", "unassigned": "未分配", "count_mismatch": "数量不符",
    "new_place": "新地名",
})
FINDING_COLUMNS = (Column("序号", 6), Column("类型", 10), Column("位置", 30), Column("原文", 60), Column("说明", 50))
ABOUT_COLUMNS = (Column("序号", 6), Column("文件标题", 44), Column("类型", 12), Column("源文件", 24),
                 Column("SHA-256", 30), Column("发布日期", 11), Column("规划期", 11))
READING_NOTES = (
    "「主要指标」先列规划纲要指标表中的指标（类别合并），再列正文中提出的目标（类别为“文中目标”）。"
    "目标值为数字时按数值保存、按原文写法显示（如“5以上”“[150]”，单位见“单位”列）；非数字目标按原文显示。"
    "带 [ ] 的为累计数。经批准调整的目标显示为“原目标（调整为新目标）”，单元格数值为调整后的目标，批注注明版本和文号。",
    "「重点项目」按专栏分组，每组末行为计划总投资小计，表末为合计；不在专栏中的项目列在“文中项目”。",
    "「重点任务」列出各项任务及其牵头、配合单位和完成时限。",
    "「缺口与疑点」列出原文缺表、表注、空单元格、数量不符、未写明指标名称的目标以及尚未确定牵头单位的事项，请逐项核实后补正。",
    "“来源”列给出原文件和行号，可据此核对原文。本表由流水线根据原文自动生成，未经人工改动。",
)


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
    rows = []
    for item_type, rows_of_type in items.items():
        for item in rows_of_type:
            if not is_unassigned(ctx.duty(item_type, item.get(ITEM_IDS[item_type]))):
                continue
            name = _item_name(item_type, item)
            rows.append({"type": UNASSIGNED, "place": ctx.source(item.get("doc_id"), item.get("line")),
                         "quote": name, "detail": f"{ITEM_WORDS[item_type]}尚未确定牵头单位，请人工指定",
                         "key": (as_text(item.get("doc_id")), as_text(item.get("line")), name)})
    return rows


def nameless_rows(ctx: PlanContext, nameless: list[dict]) -> list[dict]:
    """One row per target the plan states without naming what it measures (left out of the sheets and forms)."""
    return [{"type": NAMELESS, "place": ctx.source(r.get("doc_id"), r.get("line")), "quote": one_line(r.get("quote")),
             "detail": _nameless_detail(r)} for r in nameless]


def _nameless_detail(row: Mapping[str, Any]) -> str:
    """'名称是地名或地段（“巨源镇”），未列入…': the reason, the name it is about, what was done and what to do."""
    name = as_text(row.get("name")).strip()
    return (f"{nameless_reason(row)}{f'（“{name}”）' if name else ''}，未列入主要指标和月度填报表；"
            "请核实所指指标后补正")


def pending_rows(ctx: PlanContext, pending: Mapping[str, list[dict]]) -> list[dict]:
    """One row per item (by item type) the machine is unsure of and the office has not confirmed (待确认): left out
    of the sheets and forms until it is confirmed in the review workbook."""
    return [{"type": PENDING, "place": ctx.source(r.get("doc_id"), r.get("line")), "quote": _item_name(item_type, r),
             "detail": f"{ITEM_WORDS[item_type]}待确认（{as_text(r.get('confidence_reason'))}），未列入本表和填报表；"
                       "请在审核表（outputs/review/）中采用或剔除"}
            for item_type, rows in pending.items() for r in rows]


def _item_name(item_type: str, item: Mapping[str, Any]) -> str:
    """An item's name as the sheets show it: an indicator with its sub-item, a task by its title and text."""
    if item_type == "indicator":
        return indicator_name(item)
    return as_text(item.get("name")) if item_type == "project" else task_text(item)


def _already_stated(row: Mapping[str, Any], stated: set[tuple[str, str, str]]) -> bool:
    """Whether an 未分配 finding on the same line already names the item."""
    doc_id, line, name = row["key"]
    return any(d == doc_id and ln == line and name in text for d, ln, text in stated)


def write_findings_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet, ctx: PlanContext,
                         rows: list[dict]) -> None:
    """缺口与疑点: what a person must check before the workbook is used."""
    last_col = len(FINDING_COLUMNS) - 1
    # Title, 填报单位 line and header
    ws = start_sheet(wb, fmts, "缺口与疑点", f"{ctx.district}规划任务分解缺口与疑点清单",
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
    finish_sheet(ws, styles, row - 1, last_col)


# ---------------------------------------------------------------- 说明

def write_about_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet, ctx: PlanContext,
                      documents: list[dict], generated_at: datetime) -> None:
    """说明: the source documents, when and with which style the workbook was made, how to read it."""
    last_col = len(ABOUT_COLUMNS) - 1
    # Title, 填报单位 line and header of the source list
    ws = start_sheet(wb, fmts, "说明", f"{ctx.district}规划任务分解表说明",
                     info_line(ctx.office, "—", ctx.date), ABOUT_COLUMNS)
    # One row per source document
    row = HEADER_ROW + 1
    for number, doc in enumerate(documents, start=1):
        _write_source_row(ws, fmts, row, number, doc, styles.doc_types)
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
    finish_sheet(ws, styles, last_source, last_col)


def _write_source_row(ws: Any, fmts: Formats, row: int, number: int, doc: Mapping[str, Any],
                      doc_types: Mapping[str, DocTypeName]) -> None:
    """One source document: title, type (its label in `doc_types`, else its code), file, sha256, published, period."""
    start, end = as_text(doc.get("period_start")), as_text(doc.get("period_end"))
    doc_type = as_text(doc.get("doc_type"))
    ws.write_number(row, 0, number, fmts.count)
    write_text(ws, row, 1, doc.get("title"), fmts.body_wrap)
    write_text(ws, row, 2, doc_types[doc_type].label if doc_type in doc_types else doc_type, fmts.body_center)
    write_text(ws, row, 3, doc.get("source_file"), fmts.body_wrap)
    write_text(ws, row, 4, doc.get("sha256"), fmts.body_wrap)
    write_text(ws, row, 5, doc.get("published"), fmts.body_center)
    write_text(ws, row, 6, start if start == end or not end else f"{start}—{end}", fmts.body_center)
    fit_row(ws, fmts, row, ABOUT_COLUMNS, {1: doc.get("title"), 3: doc.get("source_file"), 4: doc.get("sha256")})
