"""The city summary: every catalogue indicator any district has a target for, one column group per district.

Stage: render. Inputs: the documents and indicators tables of all districts, the indicator catalogue
(inputs/config/indicators.csv: key, name, unit, direction, kind, synonyms) and the house style.
Output: one workbook with the sheet 指标汇总 (standard name, unit, number of districts with a target, and per
district the target as printed, its value and its year).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd
import xlsxwriter

from pipeline.render.plan_workbook import item_number, plan_name, source_label
from pipeline.render.styles import (
    Column,
    Formats,
    StyleSheet,
    as_number,
    as_text,
    chinese_date,
    fit_row,
    freeze_and_filter,
    info_line,
    merge_text,
    new_workbook,
    setup_page,
    write_empty_note,
    write_number,
    write_text,
    write_title_block,
)
from pipeline.tables import records

TOP_HEADER_ROW, HEADER_ROW = 2, 3  # district names over their column groups, then the sub-headers
LEAD_COLUMNS = (Column("序号", 6), Column("指标", 28), Column("单位", 9), Column("有目标的区数", 9))
DISTRICT_COLUMNS = (Column("目标（原文）", 16), Column("目标值", 10), Column("目标年", 8))


def render_city_summary(path: Path | str, documents: pd.DataFrame, indicators: pd.DataFrame,
                        catalogue: pd.DataFrame, styles: StyleSheet, generated_at: datetime) -> Path:
    """Write the city summary workbook to `path` and return it."""
    path = Path(path)
    districts = district_list(documents)
    docs = MappingProxyType({as_text(d["doc_id"]): d for d in records(documents)})
    rows = summary_rows(indicators, catalogue, [code for code, _ in districts], docs)
    wb, fmts = new_workbook(path, styles)
    _write_summary_sheet(wb, fmts, styles, (districts, docs), rows,
                         (plan_name(records(documents), generated_at.year), chinese_date(generated_at)))
    wb.close()
    return path


def district_list(documents: pd.DataFrame) -> list[tuple[str, str]]:
    """(code, name) of every district with a document, by division code."""
    pairs = {as_text(d["district_code"]): as_text(d["district"]) for d in records(documents)}
    return sorted(pairs.items())


def summary_rows(indicators: pd.DataFrame, catalogue: pd.DataFrame, codes: list[str],
                 docs: Mapping[str, Mapping[str, Any]]) -> list[dict]:
    """One row per catalogue key any district has a target for, in catalogue order.

    Each row holds the catalogue's name and unit and, per district, its targets (the one to show first).
    """
    targets = [r for r in records(indicators) if as_text(r.get("canonical"))]
    rows = []
    for entry in records(catalogue):
        key = as_text(entry["key"])
        found = {code: _ranked([t for t in targets if as_text(t.get("canonical")) == key
                                and as_text(t.get("district_code")) == code], docs) for code in codes}
        if any(found.values()):
            rows.append({"key": key, "name": as_text(entry["name"]), "unit": as_text(entry["unit"]),
                         "targets": found})
    return rows


def has_target(targets: list[dict]) -> bool:
    """Whether a district states a target for the key: a value or printed text, not an empty table cell."""
    return any(as_number(t.get("target_value")) is not None or as_text(t.get("target_text")) for t in targets)


def _ranked(targets: list[dict], docs: Mapping[str, Mapping[str, Any]]) -> list[dict]:
    """A district's targets for one key, the one to show first: table before prose, the five-year plan before
    annual documents, the latest target year, the earliest line."""
    def rank(t: Mapping[str, Any]) -> tuple:
        doc_type = as_text(docs.get(as_text(t.get("doc_id")), {}).get("doc_type"))
        year = as_number(t.get("target_year")) or 0.0
        return (as_text(t.get("source")) != "table", doc_type != "five_year_plan", -year, item_number(t.get("line")))
    return sorted(targets, key=rank)


def _write_summary_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet,
                         sources: tuple[list[tuple[str, str]], Mapping[str, Mapping[str, Any]]], rows: list[dict],
                         names: tuple[str, str]) -> None:
    """指标汇总: two header rows (district names merged over their columns), one row per indicator."""
    (districts, docs), (plan, date) = sources, names
    last_col = len(LEAD_COLUMNS) + len(DISTRICT_COLUMNS) * len(districts) - 1
    ws = wb.add_worksheet("指标汇总")
    # Title and 填报单位 line
    write_title_block(ws, fmts, f"各区“{plan}”规划主要指标汇总表",
                      info_line("各区发展和改革局（汇总）", "见各指标", date), last_col)
    # Two header rows: lead columns merged down, district names merged across
    _write_headers(ws, fmts, districts)
    # Body
    row = HEADER_ROW + 1
    for number, item in enumerate(rows, start=1):
        _write_summary_row(ws, fmts, row, number, item, ([code for code, _ in districts], docs))
        row += 1
    if not rows:
        row = write_empty_note(ws, fmts, row, last_col, "各区文档中暂无目录内指标") + 1
    # Frozen header and names, filter, A4 landscape print setup
    freeze_and_filter(ws, HEADER_ROW, row - 1, last_col, freeze_col=2)
    setup_page(ws, styles, HEADER_ROW)


def _write_headers(ws: Any, fmts: Formats, districts: list[tuple[str, str]]) -> None:
    """The lead headers over both header rows, each district's name over its three sub-columns."""
    ws.set_row(TOP_HEADER_ROW, 22)
    ws.set_row(HEADER_ROW, 30)
    for col, column in enumerate(LEAD_COLUMNS):
        ws.set_column(col, col, column.width)
        merge_text(ws, (TOP_HEADER_ROW, col), (HEADER_ROW, col), column.header, fmts.header)
    for index, (_, district) in enumerate(districts):
        first = len(LEAD_COLUMNS) + index * len(DISTRICT_COLUMNS)
        merge_text(ws, (TOP_HEADER_ROW, first), (TOP_HEADER_ROW, first + len(DISTRICT_COLUMNS) - 1), district,
                   fmts.header)
        for offset, column in enumerate(DISTRICT_COLUMNS):
            ws.set_column(first + offset, first + offset, column.width)
            write_text(ws, HEADER_ROW, first + offset, column.header, fmts.header)


def _write_summary_row(ws: Any, fmts: Formats, row: int, number: int, item: Mapping[str, Any],
                       where: tuple[list[str], Mapping[str, Mapping[str, Any]]]) -> None:
    """One indicator: its standard name and unit, how many districts have a target, each district's target."""
    codes, docs = where
    ws.write_number(row, 0, number, fmts.body_center)
    write_text(ws, row, 1, item["name"], fmts.body_wrap)
    write_text(ws, row, 2, item["unit"], fmts.body_center)
    ws.write_number(row, 3, sum(1 for code in codes if has_target(item["targets"][code])), fmts.body_center)
    texts = {1: item["name"], 2: item["unit"]}
    for index, code in enumerate(codes):
        col = len(LEAD_COLUMNS) + index * len(DISTRICT_COLUMNS)
        _write_district_cells(ws, fmts, row, col, item["targets"][code], docs)
        texts[col] = item["targets"][code][0].get("target_text") if item["targets"][code] else ""
    fit_row(ws, fmts, row, LEAD_COLUMNS + DISTRICT_COLUMNS * len(codes), texts)


def _write_district_cells(ws: Any, fmts: Formats, row: int, col: int, targets: list[dict],
                          docs: Mapping[str, Mapping[str, Any]]) -> None:
    """A district's target as printed, its value and year; other targets for the same key in a comment."""
    shown = targets[0] if targets else {}
    value = as_number(shown.get("target_value"))
    write_text(ws, row, col, shown.get("target_text"), fmts.body_wrap)
    write_number(ws, row, col + 1, value, fmts.number(value) if value is not None else fmts.body)
    write_number(ws, row, col + 2, as_number(shown.get("target_year")), fmts.year)
    if targets:
        ws.write_comment(row, col, _sources_note(targets, docs), {"x_scale": 2, "y_scale": 1.5})


def _sources_note(targets: list[dict], docs: Mapping[str, Mapping[str, Any]]) -> str:
    """Where the shown target comes from, and the other targets the district's documents give for it."""
    def where(t: Mapping[str, Any]) -> str:
        doc = docs.get(as_text(t.get("doc_id")))
        label = source_label(doc) if doc else as_text(t.get("doc_id"))
        return f"{label} 第{as_text(t.get('line'))}行"

    lines = [f"来源：{where(targets[0])}"]
    lines += [f"另有：{as_text(t.get('target_text'))}（{where(t)}）" for t in targets[1:]]
    return "\n".join(lines)
