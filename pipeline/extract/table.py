"""Indicator tables (主要指标表) → indicator rows; announced tables that are missing → findings.

Stage: 编制 (extract). Input: a normalised document, its sections and its documents row. Output:
indicator rows (source 'table'), one per indicator and sub-item, every cell as printed, and findings:
table notes ('注：带[ ]为累计数据…'), empty cells, category counts that do not add up, and tables that
a heading announces but the document does not hold (the table was an image).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.extract.quantity import parse_quantity
from pipeline.extract.rows import achievement_row, classify_kind, finding, indicator_row
from pipeline.extract.rules import ExtractRules
from pipeline.text.normalise import NormalisedDocument
from pipeline.text.patterns import marker

_YEAR = re.compile(r"((?:19|20)\d{2})年?")
_ITEM = re.compile(r"^\s*(\d{1,3})\s*[.、．]\s*(.*)$")
_UNIT = re.compile(r"^(.*?)\s*[(（]([^()（）]*)[)）]\s*$")
_COUNT = re.compile(r"^(.*?)\s*[(（]\s*(\d+)\s*个?\s*[)）]\s*$")


@dataclass(frozen=True)
class Columns:
    """Which column of a table holds what (None when the table has no such column)."""

    category: int | None
    item: int | None
    name: int
    sub_item: int | None
    unit: int | None
    baseline: int | None
    target: int | None
    growth: int | None
    attribute: int | None
    baseline_year: int | None
    target_year: int | None
    reported: bool = False  # the later year's column reports results ('2020年 完成'): a review table


def read_header(cells: list[str]) -> Columns | None:
    """Column roles from a header row ('类别 指标 _ 2020年 2025年 年均增长 属性'); None if not an indicator table.

    >>> read_header(["类别", "指标", "", "2020年", "2025年", "年均增长", "属性"]).target
    4
    """
    role: dict[str, int] = {}
    years: list[tuple[int, int]] = []
    done: set[int] = set()
    for i, cell in enumerate(cells):
        text = cell.replace(" ", "")
        year = _YEAR.search(text)
        if "类别" in text or text == "领域":
            role.setdefault("category", i)
        elif text in ("序号", "编号"):
            role.setdefault("item", i)
        elif "指标" in text and "属性" not in text:
            role.setdefault("name", i)
        elif text == "" and "name" in role and i == role["name"] + 1:
            role["sub_item"] = i
        elif "单位" in text:
            role.setdefault("unit", i)
        elif "年均" in text or "增速" in text:
            role.setdefault("growth", i)
        elif "属性" in text:
            role.setdefault("attribute", i)
        elif year:
            years.append((i, int(year.group(1))))
            if re.search(r"完成|实际|实现", text):
                done.add(i)
        elif "基期" in text or "现状" in text:
            role.setdefault("baseline", i)
        elif "目标" in text or "规划" in text:
            role.setdefault("target", i)
    if years:
        role.setdefault("baseline", years[0][0])
        role.setdefault("target", years[-1][0] if len(years) > 1 else None)
    if "name" not in role or ("target" not in role and "growth" not in role):
        return None
    year_of = dict(years)
    return Columns(role.get("category"), role.get("item"), role["name"], role.get("sub_item"), role.get("unit"),
                   role.get("baseline"), role.get("target"), role.get("growth"), role.get("attribute"),
                   year_of.get(role.get("baseline")), year_of.get(role.get("target")), role.get("target") in done)


def _cells(doc: NormalisedDocument, index: int) -> list[str]:
    """The raw text of each tab-separated cell of paragraph `index`, exactly as printed."""
    text = doc.paragraphs[index].text
    cells, start = [], 0
    for end in [m.start() for m in re.finditer("\t", text)] + [len(text)]:
        cells.append(doc.quote(index, start, end).strip() if end > start else "")
        start = end + 1
    return cells


def _normalised_cells(doc: NormalisedDocument, index: int) -> list[str]:
    """The normalised text of each cell of paragraph `index` (full-width digits and signs made ASCII), for
    reading numbers, units and headers; `_cells` keeps what is printed."""
    return [cell.strip() for cell in doc.paragraphs[index].text.split("\t")]


def _table_runs(doc: NormalisedDocument) -> list[tuple[int, int]]:
    """(first, last+1) paragraph indexes of each run of tab-separated rows."""
    runs, start = [], None
    for i, para in enumerate(doc.paragraphs):
        if "\t" in para.text and start is None:
            start = i
        elif "\t" not in para.text and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(doc.paragraphs)))
    return runs


def extract_table_indicators(doc: NormalisedDocument, document: dict, section_at: Callable[[int], str],
                             rules: ExtractRules) -> tuple[list[dict], list[dict], list[dict]]:
    """Indicator rows, reported figures and findings from every indicator table of a document (see module
    docstring). A table whose later year's column reports results ('2020年 完成', or a year before the
    document's first planned year: a five-year plan's review of the last one) gives actuals of that year and
    baselines of the earlier one, not targets."""
    rows: list[dict] = []
    reported: list[dict] = []
    findings: list[dict] = []
    start = int(document["period_start"]) if str(document.get("period_start", "")).isdecimal() else None
    for first, last in _table_runs(doc):
        headers = ((i, read_header(_normalised_cells(doc, i))) for i in range(first, min(last, first + 3)))
        header_at, columns = next(((i, columns) for i, columns in headers if columns), (None, None))
        if header_at is None:
            continue
        if columns.reported or (start and columns.target_year and columns.target_year < start):
            reported += _reported_rows(doc, range(header_at + 1, last), columns, document, section_at)
            findings += _notes_after(doc, last, document, section_at, rules)
            continue
        table_rows, table_findings = _read_rows(doc, range(header_at + 1, last), columns, document, section_at)
        rows += table_rows
        findings += table_findings
        findings += _notes_after(doc, last, document, section_at, rules)
    findings += _missing_tables(doc, document, section_at, rules)
    return rows, reported, findings


def _cell(cells: list[str], column: int | None) -> str:
    return cells[column] if column is not None and column < len(cells) else ""


def _row_name(cells: list[str], numbers: list[str], cols: Columns, above: tuple[str, str, str]) -> tuple[str, str, str]:
    """(item number, name as printed, unit) of a data row ('1.地区生产总值（亿元）'); a merged (empty) name cell
    carries the row above's, a unit column overrides the unit in the name."""
    item_no, name, unit = above
    name_cell = _cell(cells, cols.name)
    if name_cell:
        m = _ITEM.match(name_cell)
        item_no, name_cell = (m.group(1), m.group(2)) if m else (_cell(cells, cols.item), name_cell)
        m = _UNIT.match(name_cell)
        name = m.group(1) if m else name_cell
        m = _UNIT.match(_cell(numbers, cols.name))  # '地区生产总值（亿元）': the unit, normalised
        unit = m.group(2) if m else ""
    if cols.unit is not None and _cell(numbers, cols.unit):
        unit = _cell(numbers, cols.unit)
    return item_no, name, unit


def _reported_rows(doc: NormalisedDocument, indexes: range, cols: Columns, document: dict,
                   section_at: Callable[[int], str]) -> list[dict]:
    """Achievement rows of a review table: the later year's value (actual), the earlier year's (baseline) and the
    average growth over the period (actual, kind growth, in the unit its header gives)."""
    out = []
    named = ("", "", "")
    for index in indexes:
        numbers = _normalised_cells(doc, index)
        named = _row_name(_cells(doc, index), numbers, cols, named)
        _, name, unit = named
        para = doc.paragraphs[index]
        line, quote = para.first_line, doc.quote(index, 0, len(para.text))
        for column, role, year, value_unit in ((cols.baseline, "baseline", cols.baseline_year, unit),
                                                (cols.target, "actual", cols.target_year, unit),
                                                (cols.growth, "actual", cols.target_year, "%")):
            if column is None or column >= len(numbers):
                continue
            quantity = parse_quantity(numbers[column])
            if quantity.value is None:
                continue
            kind = "growth" if column == cols.growth else classify_kind(name, value_unit, quantity.value, False)
            out.append(achievement_row(document, section_at(line), line, quote, name=name, value=quantity.value,
                                       unit=quantity.unit or value_unit, qualifier=quantity.qualifier,
                                       year=year or "", kind=kind, role=role))
    return out


def _read_rows(doc: NormalisedDocument, indexes: range, cols: Columns, document: dict,
               section_at: Callable[[int], str]) -> tuple[list[dict], list[dict]]:
    """One indicator row per data row; merged category and name cells carry down from the row above."""
    rows, findings = [], []
    category, declared, item_no, name, unit = "", {}, "", "", ""
    for index in indexes:
        cells, numbers = _cells(doc, index), _normalised_cells(doc, index)
        para = doc.paragraphs[index]
        line, quote = para.first_line, doc.quote(index, 0, len(para.text))
        if _cell(cells, cols.category):
            m = _COUNT.match(_cell(cells, cols.category))
            category = m.group(1) if m else _cell(cells, cols.category)
            if m:
                declared[category] = (int(m.group(2)), line)
        item_no, name, unit = _row_name(cells, numbers, cols, (item_no, name, unit))
        baseline_text, target_text = _cell(cells, cols.baseline), _cell(cells, cols.target)
        growth_text = _cell(cells, cols.growth)
        target = parse_quantity(_cell(numbers, cols.target))
        growth = parse_quantity(_cell(numbers, cols.growth))
        if not target_text and growth_text:  # a growth-rate indicator: its target is the 年均增长 cell
            target_text, target = growth_text, growth
        attribute = _cell(cells, cols.attribute)
        kind = classify_kind(name, unit, target.value, target.cumulative)
        rows.append(indicator_row(
            document, section_at(line), line, quote, source="table", category=category, item_no=item_no,
            name=name, unit=unit, sub_item=_cell(cells, cols.sub_item),
            baseline_year=cols.baseline_year if baseline_text else None,
            baseline_value=parse_quantity(_cell(numbers, cols.baseline)).value, baseline_text=baseline_text,
            target_year=cols.target_year or document.get("period_end"), target_value=target.value,
            target_text=target_text, growth_text=growth_text, growth_value=growth.value,
            qualifier=target.qualifier, kind=kind, attribute=attribute, cumulative=int(target.cumulative)))
        sub_item = _cell(cells, cols.sub_item)
        label = f"指标 {item_no}“{name}”" + (f"（{sub_item}）" if sub_item else "")
        for what, value in (("目标值", target_text), ("基期值", baseline_text), ("属性", attribute)):
            if not value and not (what == "基期值" and kind == "text"):
                findings.append(finding(document, section_at(line), line, quote, "empty_cell",
                                        f"{label}的{what}为空（原表未填或为合并单元格），未作推断"))
    for category, (count, line) in declared.items():
        found = len({(r["item_no"]) for r in rows if r["category"] == category})
        if found != count:
            findings.append(finding(document, section_at(line), line, category, "category_count_mismatch",
                                    f"类别“{category}”标明 {count} 个指标，表中为 {found} 个"))
    return rows, findings


def _notes_after(doc: NormalisedDocument, index: int, document: dict, section_at: Callable[[int], str],
                 rules: ExtractRules) -> list[dict]:
    """The notes printed under a table ('注：带[ ]为累计数据…'), kept word for word."""
    notes = []
    for i in range(index, min(index + 3, len(doc.paragraphs))):
        para = doc.paragraphs[i]
        if not para.text.startswith(rules.table_note_start):
            break
        notes.append(finding(document, section_at(para.first_line), para.first_line,
                             doc.quote(i, 0, len(para.text)), "table_note", "表注"))
    return notes


def _missing_tables(doc: NormalisedDocument, document: dict, section_at: Callable[[int], str],
                    rules: ExtractRules) -> list[dict]:
    """Headings that announce an indicator table with no table rows before the next heading."""
    found = []
    paras = doc.paragraphs
    for i, para in enumerate(paras):
        m = marker(para.text)
        title = m.rest if m else para.text
        if len(para.text) > 40 or re.search(r"[。；，]", title) or not rules.indicator_table_titles.search(title):
            continue
        following, table_follows = [], False
        for j in range(i + 1, len(paras)):
            if "\t" in paras[j].text:
                table_follows = True
                break
            if marker(paras[j].text) is not None:
                break
            following.append(j)
        if table_follows:
            continue
        if following and paras[following[-1]].text.startswith(rules.table_note_start) or not following:
            found.append(finding(document, section_at(para.first_line), para.first_line,
                                 doc.quote(i, 0, len(para.text)), "missing_table",
                                 "文中标明有指标表，但文档中没有表格内容（原表可能是图片），指标未录入，需人工补录"))
            found += _notes_after(doc, i + 1, document, section_at, rules)
    return found
