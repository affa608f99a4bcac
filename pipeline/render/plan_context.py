"""What every sheet of a district's 规划任务分解 workbook needs: names, sources, responsibilities, target changes.

Stage: render (编制). Input: one district's rows of the documents, responsibilities and adjustments tables.
Output: a `PlanContext` (each document's short name for 来源 cells, each item's 牵头/配合单位, the latest
approved target change of each indicator) and the names items are shown by (indicator with its sub-item, task).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

import pandas as pd

from pipeline.numbers import as_number, as_text, number_text
from pipeline.render.sheet_layout import chinese_date
from pipeline.render.styles import DocTypeName
from pipeline.tables import records

UNASSIGNED = "未分配"
UNASSIGNED_RULES = frozenset({"", "unassigned"})
BARE = re.compile(r"[\s,，.。:：;；、!！?？()（）]")


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


def source_label(doc: Mapping[str, Any], doc_types: Mapping[str, DocTypeName]) -> str:
    """A document's short name for 来源 cells ('双城区十四五规划纲要'), after the pattern of its type in `doc_types`
    (templates/workbook_style.yaml); the title when the type has none or the period no first year.

    >>> from pathlib import Path
    >>> from pipeline.render.styles import StyleSheet
    >>> names = StyleSheet.load(Path(__file__).parents[2] / "templates" / "workbook_style.yaml").doc_types
    >>> source_label({"district": "双城区", "doc_type": "five_year_plan", "period_start": 2021.0, "title": "x"}, names)
    '双城区十四五规划纲要'
    >>> source_label({"district": "道里区", "doc_type": "annual_plan", "period_start": "2023", "title": "x"}, names)
    '道里区2023年度计划'
    >>> source_label({"district": "道里区", "doc_type": "", "period_start": "2023", "title": "x"}, names)
    'x'
    """
    district, name = as_text(doc.get("district")), doc_types.get(as_text(doc.get("doc_type")))
    start = as_text(doc.get("period_start"))
    if not start.isdecimal() or name is None:
        return as_text(doc.get("title"))
    return name.source.format(district=district, year=start, plan=five_year_name(int(start)))


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


def indicator_name(row: Mapping[str, Any]) -> str:
    """The name as printed, with its sub-item: '人均可支配收入增长率（城镇）'."""
    name, sub_item = as_text(row.get("name")), as_text(row.get("sub_item"))
    return f"{name}（{sub_item}）" if sub_item else name


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


# ---------------------------------------------------------------- context

def build_context(district: str, office: str, doc_types: Mapping[str, DocTypeName], documents: list[dict],
                  responsibilities: list[dict], generated_at: datetime,
                  adjustments: pd.DataFrame | None = None) -> PlanContext:
    """Index one district's documents (named after `doc_types`), responsibilities (table rows) and target changes
    for the sheet writers."""
    labels = {as_text(d["doc_id"]): source_label(d, doc_types) for d in documents}
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
