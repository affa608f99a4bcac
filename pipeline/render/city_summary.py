"""The city summary: every catalogue indicator any district has a target for, one column group per district, and
the city's total where the indicator adds up.

Stage: render. Inputs: the documents and indicators tables of all districts, the indicator catalogue
(inputs/config/indicators.csv: key, name, unit, aggregation, numerator, denominator …), the units file
(inputs/config/units.yaml: conversion factors) and the house style (its doc_types section names the plans).
Output: one workbook with the sheet 指标汇总 (standard name, unit, number of districts with a target, and per
district the target as printed, its value in the row's unit and its year). Each district's header names the
plans its figures come from (十四五规划纲要, 2023年度计划 …). A value in another unit is converted with the
units file's factor, or else shown with its own unit; either way a note under the table says so. The last column
rolls the districts' targets up as the catalogue says (DHIS2's aggregation types): amounts and additive stocks are
summed in the row's unit; a rate or share only from the sums of its numerator and denominator, where every district
with a target gives both; anything else (growth rates, per-head figures) is never summed and says so.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd
import xlsxwriter

from pipeline.numbers import as_number, as_text, number_text
from pipeline.render.cells import merge_text, write_number, write_text
from pipeline.render.plan_context import five_year_name, source_label
from pipeline.render.sheet_layout import (
    Column,
    chinese_date,
    freeze_and_filter,
    info_line,
    setup_page,
    write_empty_note,
    write_title_block,
)
from pipeline.render.styles import DocTypeName, Formats, StyleSheet, new_workbook
from pipeline.render.table_rows import item_number
from pipeline.render.text_fit import fit_row, lines_needed
from pipeline.tables import published, records
from pipeline.units import Units

TOP_HEADER_ROW, HEADER_ROW = 2, 3  # district names and their plans over the column groups, then the sub-headers
LEAD_COLUMNS = (Column("序号", 6), Column("指标", 28), Column("单位", 9), Column("有目标的区数", 9))
DISTRICT_COLUMNS = (Column("目标（原文）", 16), Column("目标值", 10), Column("目标年", 8))
TOTAL_COLUMN = Column("全市合计", 14)
NOT_SUMMED = "不加总"
TABLE_NOTE = ("注：各区目标取自表头所列的规划文件。“目标值”按本行单位列示：原文单位不同的，按标准换算系数折算"
              "（换算依据逐项注明）；无法换算的，按原单位列示。原文见“目标（原文）”列，逐项说明如下。")


@dataclass(frozen=True)
class Shown:
    """A district's target as the comparison shows it: `number` in the row's unit, or `text` (the value with its
    own unit) when it cannot be converted; `note` says which ('' when shown as printed)."""

    number: float | None
    text: str = ""
    note: str = ""


def render_city_summary(path: Path | str, documents: pd.DataFrame, indicators: pd.DataFrame,
                        catalogue: pd.DataFrame, units: Units, styles: StyleSheet, generated_at: datetime) -> Path:
    """Write the city summary workbook to `path` and return it."""
    path = Path(path)
    districts = district_list(documents)
    docs = named_documents(documents, styles.doc_types)
    rows = summary_rows(published(indicators), catalogue, units, [code for code, _ in districts], docs)
    plans = district_plans(rows, [code for code, _ in districts], docs)
    wb, fmts = new_workbook(path, styles)
    _write_summary_sheet(wb, fmts, styles, (districts, docs, plans), rows,
                         (summary_title(plans), chinese_date(generated_at)))
    wb.close()
    return path


def district_list(documents: pd.DataFrame) -> list[tuple[str, str]]:
    """(code, name) of every district with a document, by division code."""
    pairs = {as_text(d["district_code"]): as_text(d["district"]) for d in records(documents)}
    return sorted(pairs.items())


def summary_rows(indicators: pd.DataFrame, catalogue: pd.DataFrame, units: Units, codes: list[str],
                 docs: Mapping[str, Mapping[str, Any]]) -> list[dict]:
    """One row per catalogue key any district has a target for, in catalogue order.

    Each row holds the catalogue's name and unit and, per district, its targets (the one to show first) and
    how the first one is shown in the row's unit.
    """
    targets = [r for r in records(indicators) if as_text(r.get("canonical"))]
    rows = []
    for entry in records(catalogue):
        key, unit = as_text(entry["key"]), as_text(entry["unit"])
        found = {code: _ranked([t for t in targets if as_text(t.get("canonical")) == key
                                and as_text(t.get("district_code")) == code], docs, unit, key, units)
                 for code in codes}
        if any(found.values()):
            shown = {code: shown_value(ts[0], unit, key, units) if ts else Shown(None) for code, ts in found.items()}
            rows.append({"key": key, "name": as_text(entry["name"]), "unit": unit, "targets": found,
                         "shown": shown, "entry": entry})
    by_key = {row["key"]: row for row in rows}
    for row in rows:
        row["total"] = rolled_up(row, by_key, codes)
    return rows


def rolled_up(row: Mapping[str, Any], by_key: Mapping[str, Mapping[str, Any]], codes: list[str]) -> Shown:
    """The city's figure for one row: the sum of the districts' targets in the row's unit (aggregation sum), the
    ratio of the summed numerator and denominator (ratio), or no figure and why (none, or what is missing).

    >>> shown = {"a": Shown(2.0), "b": Shown(None, "2倍", "x"), "c": Shown(None)}
    >>> row = {"entry": {"aggregation": "sum"}, "shown": shown}
    >>> rolled_up(row, {}, ["a", "b", "c"])
    Shown(number=2.0, text='', note='1 个区的目标之和；1 个区的目标无法换算为本行单位，未计入')
    >>> rolled_up({"entry": {"aggregation": "none"}, "shown": {}}, {}, []).text
    '不加总'
    """
    entry, shown = row["entry"], row["shown"]
    aggregation = as_text(entry.get("aggregation"))
    if aggregation == "sum":
        numbers = [shown[c].number for c in codes if shown[c].number is not None]
        unconverted = sum(1 for c in codes if shown[c].text)
        if not numbers:
            return Shown(None, NOT_SUMMED, "各区目标均无法换算为本行单位，不加总")
        note = f"{len(numbers)} 个区的目标之和" + (f"；{unconverted} 个区的目标无法换算为本行单位，未计入"
                                                 if unconverted else "")
        return Shown(display_round(sum(numbers)), "", note)
    if aggregation == "ratio":
        return _ratio(row, by_key, codes)
    return Shown(None, NOT_SUMMED, "增速、比率、人均等指标不能把各区数值相加，分区列示")


def _ratio(row: Mapping[str, Any], by_key: Mapping[str, Mapping[str, Any]], codes: list[str]) -> Shown:
    """A rate's city figure from the sums of its numerator and denominator over the districts with a target, when
    each of them gives both in the rows' units; else no figure, saying what is missing."""
    entry = row["entry"]
    parts = [by_key.get(as_text(entry.get(side))) for side in ("numerator", "denominator")]
    factor = as_number(entry.get("ratio_factor")) or 1.0
    with_target = [c for c in codes if row["shown"][c].number is not None]
    if not with_target or any(p is None for p in parts) or any(
            p["shown"][c].number is None for p in parts for c in with_target):
        return Shown(None, NOT_SUMMED,
                     "比率类指标只能由分子、分母分别加总后计算；各区目标未同时给出分子、分母，分区列示")
    numerator, denominator = (sum(p["shown"][c].number for c in with_target) for p in parts)
    if not denominator:
        return Shown(None, NOT_SUMMED, "分母之和为零，无法计算")
    return Shown(display_round(numerator / denominator * factor), "",
                 f"由 {len(with_target)} 个区的“{parts[0]['name']}”之和除以“{parts[1]['name']}”之和计算")


def shown_value(target: Mapping[str, Any], row_unit: str, key: str, units: Units) -> Shown:
    """A target's value in the row's unit: as printed, converted with the units file's factor, or else as text
    in its own unit with a note (a value never stands under a unit it is not in).

    >>> from pipeline.units import Conversion
    >>> units = Units((Conversion("万公顷", 15, "万亩", "1 公顷 = 15 亩，故 1 万公顷 = 15 万亩"),))
    >>> shown_value({"target_value": "50", "unit": "万亩"}, "万公顷", "arable_land", units).number
    3.33
    >>> shown_value({"target_value": 2.0, "unit": "倍"}, "亿元", "gdp", units)
    Shown(number=None, text='2倍', note='原文单位为“倍”，与本行单位“亿元”不同，无法换算，按原单位列示')
    >>> shown_value({"target_value": 6.0, "unit": "%"}, "%", "gdp_growth", units), shown_value({}, "%", "x", units)
    (Shown(number=6.0, text='', note=''), Shown(number=None, text='', note=''))
    """
    value, unit = as_number(target.get("target_value")), as_text(target.get("unit"))
    if value is None or unit == row_unit:
        return Shown(value)
    if not unit:
        return Shown(None, number_text(value), f"原文未注明单位（本行单位为“{row_unit}”），按原文列示")
    factor = units.factor(unit, row_unit, key)
    if factor is None:
        return Shown(None, f"{number_text(value)}{unit}",
                     f"原文单位为“{unit}”，与本行单位“{row_unit}”不同，无法换算，按原单位列示")
    converted = display_round(value * factor.factor)
    return Shown(converted, "", f"原文 {number_text(value)}{unit}，折算为 {number_text(converted)}{row_unit}"
                                f"（{factor.sources}）")


def display_round(value: float) -> float:
    """A converted value rounded for display: two decimals, or three significant digits below 1.

    >>> display_round(50 / 15), display_round(8000 / 10000), display_round(2.5 / 10000), display_round(79.0)
    (3.33, 0.8, 0.00025, 79.0)
    """
    if value == 0 or abs(value) >= 1:
        return round(value, 2)
    return float(f"{value:.3g}")


def named_documents(documents: pd.DataFrame, doc_types: Mapping[str, DocTypeName]) -> Mapping[str, dict]:
    """The documents by doc_id, each with its short name (`short_name`, for 来源 comments) and its plan's name
    without the district (`plan_name`, for headers and the title: '十四五规划纲要', '2023年度计划'), after the
    names of `doc_types` (templates/workbook_style.yaml)."""
    return MappingProxyType({as_text(d["doc_id"]): {**d, "short_name": source_label(d, doc_types),
                                                    "plan_name": source_label({**d, "district": ""}, doc_types)}
                             for d in records(documents)})


def district_plans(rows: list[dict], codes: list[str],
                   docs: Mapping[str, Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Per district, the documents its shown figures come from, the first of each plan name (by period, latest
    first)."""
    plans: dict[str, list[Mapping[str, Any]]] = {}
    for code in codes:
        shown = {as_text(r["targets"][code][0].get("doc_id")) for r in rows if r["targets"][code]}
        ordered = sorted((docs[d] for d in shown if d in docs),
                         key=lambda d: (-(as_number(d.get("period_start")) or 0), as_text(d.get("doc_id"))))
        plans[code] = _first_of_each_plan(ordered)
    return plans


def summary_title(plans: Mapping[str, list[Mapping[str, Any]]]) -> str:
    """The title naming the plans the figures come from; '各区“十四五”规划主要指标汇总表' when all come from one
    five-year plan.

    >>> fyp = {"doc_type": "five_year_plan", "period_start": "2021", "plan_name": "十四五规划纲要"}
    >>> summary_title({"230113": [fyp], "230104": [fyp]})
    '各区“十四五”规划主要指标汇总表'
    >>> annual = {"doc_type": "annual_plan", "period_start": "2023", "plan_name": "2023年度计划"}
    >>> summary_title({"230102": [annual], "230113": [fyp], "230110": []})
    '各区规划主要指标汇总表（2023年度计划、十四五规划纲要）'
    """
    docs = _first_of_each_plan(d for code_plans in plans.values() for d in code_plans)
    start = as_text(docs[0].get("period_start")) if docs else ""
    if len(docs) == 1 and as_text(docs[0].get("doc_type")) == "five_year_plan" and start.isdecimal():
        return f"各区“{five_year_name(int(start))}”规划主要指标汇总表"
    labels = [d["plan_name"] for d in docs]
    return f"各区规划主要指标汇总表（{'、'.join(labels)}）" if labels else "各区规划主要指标汇总表"


def _first_of_each_plan(docs: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The first document of each plan name, in the given order."""
    first: dict[str, Mapping[str, Any]] = {}
    for doc in docs:
        first.setdefault(doc["plan_name"], doc)
    return list(first.values())


def has_target(targets: list[dict]) -> bool:
    """Whether a district states a target for the key: a value or printed text, not an empty table cell."""
    return any(as_number(t.get("target_value")) is not None or as_text(t.get("target_text")) for t in targets)


def _ranked(targets: list[dict], docs: Mapping[str, Mapping[str, Any]], unit: str, key: str,
            units: Units) -> list[dict]:
    """A district's targets for one key, the one to show first: a value in the row's unit or one convertible
    to it before a value in another unit, then table before prose, the five-year plan before annual
    documents, the latest target year, the earliest line."""
    def rank(t: Mapping[str, Any]) -> tuple:
        doc_type = as_text(docs.get(as_text(t.get("doc_id")), {}).get("doc_type"))
        year = as_number(t.get("target_year")) or 0.0
        foreign = bool(shown_value(t, unit, key, units).text)
        return (foreign, as_text(t.get("source")) != "table", doc_type != "five_year_plan", -year,
                item_number(t.get("line")))
    return sorted(targets, key=rank)


def _write_summary_sheet(wb: xlsxwriter.Workbook, fmts: Formats, styles: StyleSheet,
                         sources: tuple[list[tuple[str, str]], Mapping[str, Mapping[str, Any]],
                                        Mapping[str, list[Mapping[str, Any]]]],
                         rows: list[dict], names: tuple[str, str]) -> None:
    """指标汇总: two header rows (district names and plans merged over their columns), one row per indicator,
    then the notes on converted values and values in another unit."""
    (districts, docs, plans), (title, date) = sources, names
    columns = LEAD_COLUMNS + DISTRICT_COLUMNS * len(districts) + (TOTAL_COLUMN,)
    last_col = len(columns) - 1
    ws = wb.add_worksheet("指标汇总")
    # Title and 填报单位 line
    write_title_block(ws, fmts, title, info_line(styles.office.city, "见各指标", date), last_col)
    # Two header rows: lead columns merged down, each district with its plans merged across
    _write_headers(ws, fmts, [(district, [d["plan_name"] for d in plans[code]]) for code, district in districts])
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
    # Notes under the table: every value converted or shown in its own unit
    notes = unit_notes(rows, districts)
    if notes:
        width = [Column("", sum(c.width for c in columns))]
        for text in (TABLE_NOTE, *notes):
            row += 1
            merge_text(ws, (row, 0), (row, last_col), text, fmts.note)
            fit_row(ws, fmts, row, width, {0: text})


def unit_notes(rows: list[dict], districts: list[tuple[str, str]]) -> list[str]:
    """'1. 道外区“耕地保有量”：原文 50万亩，折算为 …' for every shown value that is not in its row's unit as printed."""
    notes = [f"{district}“{item['name']}”：{item['shown'][code].note}"
             for item in rows for code, district in districts if item["shown"][code].note]
    return [f"{number}. {note}" for number, note in enumerate(notes, start=1)]


def _write_headers(ws: Any, fmts: Formats, districts: list[tuple[str, list[str]]]) -> None:
    """The lead headers over both header rows; each district's name and plans over its three sub-columns."""
    group_width = sum(c.width for c in DISTRICT_COLUMNS)
    labels = [f"{district}\n（{'、'.join(plans)}）" if plans else district for district, plans in districts]
    lines = max((lines_needed(label, group_width) for label in labels), default=1)
    ws.set_row(TOP_HEADER_ROW, max(22, 16 * lines + 6))
    ws.set_row(HEADER_ROW, 30)
    for col, column in enumerate(LEAD_COLUMNS):
        ws.set_column(col, col, column.width)
        merge_text(ws, (TOP_HEADER_ROW, col), (HEADER_ROW, col), column.header, fmts.header)
    for index, label in enumerate(labels):
        first = len(LEAD_COLUMNS) + index * len(DISTRICT_COLUMNS)
        merge_text(ws, (TOP_HEADER_ROW, first), (TOP_HEADER_ROW, first + len(DISTRICT_COLUMNS) - 1), label,
                   fmts.header)
        for offset, column in enumerate(DISTRICT_COLUMNS):
            ws.set_column(first + offset, first + offset, column.width)
            write_text(ws, HEADER_ROW, first + offset, column.header, fmts.header)
    total = len(LEAD_COLUMNS) + len(labels) * len(DISTRICT_COLUMNS)
    ws.set_column(total, total, TOTAL_COLUMN.width)
    merge_text(ws, (TOP_HEADER_ROW, total), (HEADER_ROW, total), TOTAL_COLUMN.header, fmts.header)


def _write_summary_row(ws: Any, fmts: Formats, row: int, number: int, item: Mapping[str, Any],
                       where: tuple[list[str], Mapping[str, Mapping[str, Any]]]) -> None:
    """One indicator: its standard name and unit, how many districts have a target, each district's target."""
    codes, docs = where
    ws.write_number(row, 0, number, fmts.count)
    write_text(ws, row, 1, item["name"], fmts.body_wrap)
    write_text(ws, row, 2, item["unit"], fmts.body_center)
    ws.write_number(row, 3, sum(1 for code in codes if has_target(item["targets"][code])), fmts.count)
    texts = {1: item["name"], 2: item["unit"]}
    for index, code in enumerate(codes):
        col = len(LEAD_COLUMNS) + index * len(DISTRICT_COLUMNS)
        _write_district_cells(ws, fmts, row, col, (item["targets"][code], item["shown"][code]), docs)
        texts[col] = item["targets"][code][0].get("target_text") if item["targets"][code] else ""
        texts[col + 1] = item["shown"][code].text
    total, col = item["total"], len(LEAD_COLUMNS) + len(codes) * len(DISTRICT_COLUMNS)
    if total.number is None:
        write_text(ws, row, col, total.text, fmts.body_center)
    else:
        write_number(ws, row, col, total.number, fmts.number(total.number))
    if total.note:
        ws.write_comment(row, col, total.note, {"x_scale": 2, "y_scale": 1.5})
    fit_row(ws, fmts, row, LEAD_COLUMNS + DISTRICT_COLUMNS * len(codes) + (TOTAL_COLUMN,), texts)


def _write_district_cells(ws: Any, fmts: Formats, row: int, col: int, figure: tuple[list[dict], Shown],
                          docs: Mapping[str, Mapping[str, Any]]) -> None:
    """A district's target as printed, its value in the row's unit (or in its own unit as text) and year; where
    the target comes from and the others for the same key in a comment, the unit note in another."""
    targets, value = figure
    first = targets[0] if targets else {}
    write_text(ws, row, col, first.get("target_text"), fmts.body_wrap)
    if value.text:
        write_text(ws, row, col + 1, value.text, fmts.body_wrap)
    else:
        write_number(ws, row, col + 1, value.number, fmts.number(value.number) if value.number is not None
                     else fmts.body)
    write_number(ws, row, col + 2, as_number(first.get("target_year")), fmts.year)
    if targets:
        ws.write_comment(row, col, _sources_note(targets, docs), {"x_scale": 2, "y_scale": 1.5})
    if value.note:
        ws.write_comment(row, col + 1, value.note, {"x_scale": 2, "y_scale": 1.5})


def _sources_note(targets: list[dict], docs: Mapping[str, Mapping[str, Any]]) -> str:
    """Where the shown target comes from, and the other targets the district's documents give for it."""
    def where(t: Mapping[str, Any]) -> str:
        doc = docs.get(as_text(t.get("doc_id")))
        label = doc["short_name"] if doc else as_text(t.get("doc_id"))
        return f"{label} 第{as_text(t.get('line'))}行"

    lines = [f"来源：{where(targets[0])}"]
    lines += [f"另有：{as_text(t.get('target_text'))}（{where(t)}）" for t in targets[1:]]
    return "\n".join(lines)
