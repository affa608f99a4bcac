"""Checking a returned form cell by cell, with a reason a clerk can act on.

Stage: 实施. Input: a `FormReturn`, the items the unit answers for (indicators and projects with their
annual targets) and the accepted history. Output: the accepted observations and the rejected cells (file,
sheet, cell, what was typed, why, which rule), ready for the store. Nothing is dropped: a cell is either
accepted or rejected.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.forms.layout import CLEAR_WORD, KEY_COL, SHEET, adds_up, column_letter, header_of
from pipeline.monitor.collect import FormReturn, FormRow
from pipeline.monitor.status import RATE_UNITS
from pipeline.periods import month, of_month
from pipeline.schema import columns
from pipeline.settings import load_section, require_positive
from pipeline.units import Units

_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
PERCENT_UNITS = ("%", "‰")  # a '12.5%' typed in these rows is the number 12.5
POINT_UNITS = ("%", "个百分点")  # a figure Excel may hold as a hundredth when typed with a percent format
CARRIED, CLEARED = "（沿用）", "（已清除）"  # how `sources` marks a value kept from an earlier return, or cleared
COLUMN_OF = {"month": "value", "to_date": "cumulative_to_date", "progress": "progress", "attainment": "attainment",
             "issues": "issues", "remark": "remark"}  # a form's value cell → the observation's column


@dataclass(frozen=True)
class ValidationRules:
    """Thresholds from inputs/config/status.yaml (validation), their one source."""

    scale_factor: float
    scale_tolerance: float
    implausible_ratio: float
    jump_warning: float
    max_file_mb: float
    project_total_ratio: float
    month_vs_total_tolerance: float

    def __post_init__(self) -> None:
        require_positive(self)

    @classmethod
    def load(cls, path: Path | str) -> ValidationRules:
        return load_section(cls, path, "validation")


def parse_number(raw: object, unit: str) -> tuple[float | None, str]:
    """A typed value as a number, or the reason it is not one ('' when empty or fine).

    >>> parse_number("12.5%", "%"), parse_number(" 8 ", "亿元"), parse_number(None, "亿元")
    ((12.5, ''), (8.0, ''), (None, ''))
    >>> parse_number("约12.5", "亿元")[1]
    '“约12.5”不是数字，请填写数值（单位：亿元）'
    >>> parse_number("12.5%", "亿元")[1]
    '“12.5%”带有百分号，但本行单位是亿元，请按单位填写数值'
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, ""
    if isinstance(raw, bool):
        return None, f"“{raw}”不是数字，请填写数值（单位：{unit or '见单位列'}）"
    if isinstance(raw, int | float):
        return (None, "不是有效数字") if math.isnan(raw) or math.isinf(raw) else (float(raw), "")
    text = str(raw).strip().replace(",", "").replace("，", "")
    if text.endswith(("%", "％")) and _NUMBER.match(text[:-1].strip()):
        if unit in PERCENT_UNITS:
            return float(text[:-1]), ""
        return None, f"“{raw}”带有百分号，但本行单位是{unit or '非百分比'}，请按单位填写数值"
    if _NUMBER.match(text):
        return float(text), ""
    return None, f"“{raw}”不是数字，请填写数值（单位：{unit or '见单位列'}）"


def whole_number_problem(raw: object, value: float, unit: str) -> str:
    """Why a number is refused in a row counted in whole numbers ('' when it is whole).

    >>> whole_number_problem(2.5, 2.5, "个"), whole_number_problem("3", 3.0, "个")
    ('“2.5”不是整数，本行按“个”计数，请填写整数（单位：个）', '')
    """
    if float(value).is_integer():
        return ""
    return f"“{raw}”不是整数，本行按“{unit}”计数，请填写整数（单位：{unit}）"


def validate_return(ret: FormReturn, items: pd.DataFrame, history: pd.DataFrame, rules: ValidationRules,
                    received_at: str, last_year: pd.DataFrame | None = None, *,
                    units: Units, in_force: Mapping[str, Mapping] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Accepted observations and rejected cells of one return (see module docstring).

    `items`: item_id, item_type, name, unit, annual_target, target_text (and total_investment of projects) of the
    unit's rows.
    `units`: which units count whole things (units.yaml), decided as the blank form decided it.
    `history`: accepted item_id, period, value, cumulative_to_date of earlier months.
    `last_year`: accepted item_id, cumulative_to_date of the same month a year before; a change of more than
    the jump threshold is accepted with a warning in the observation's `reason` (提示), not rejected.
    `in_force`: the values of this month already in force, by item (an earlier return of the month). The cell is
    the unit of update: a cell left empty keeps its earlier value (the observation carries it, `sources` says from
    where), a cell holding the clear word (清除) clears it, a row left empty changes nothing, and a rejected cell
    leaves the earlier value in force (its reason says so).
    """
    accepted: list[dict] = []
    rejected: list[dict] = []
    in_force = in_force or {}
    base = {"district_code": ret.district_code, "period": ret.period, "source_file": ret.path.name,
            "received_at": received_at}

    def reject(cell: str, item_id: str, item: str, raw: object, reason: str, rule: str) -> None:
        kept = "；此前报送的数值继续有效" if item_id in in_force else ""
        rejected.append({**base, "unit": ret.unit, "sheet": SHEET, "cell": cell, "item_id": item_id, "item": item,
                         "raw_value": "" if raw is None else str(raw),
                         "reason": (f"{cell}：{reason}" if cell else reason) + kept,
                         "rule": rule})

    known = {item.item_id: item for item in items.itertuples(index=False)}
    names = {_printed(item.name): item.name for item in known.values()}
    last_month = _latest(history)
    month_before = _latest(of_month(history, month(ret.period) - 1)) if ret.period and not history.empty else {}
    last_value = _latest(history, "value")
    same_month_last_year = _latest(last_year)
    seen: set[str] = set()
    for row in ret.rows:
        key_cell = f"{column_letter(KEY_COL)}{row.row}"  # the hidden key column: a row added or repeated
        if row.key not in known:
            reject(key_cell, row.key, row.name, row.key,
                   f"第 {row.row} 行“{row.name}”不在本单位的填报清单中（编号“{row.key}”），请勿增加或修改行，"
                   "请使用下发的填报表", "unknown_row")
            continue
        if row.key in seen:
            reject(key_cell, row.key, row.name, row.key,
                   f"第 {row.row} 行与上文重复（同一编号出现两次），请删去重复行", "duplicate_row")
            continue
        seen.add(row.key)
        item = known[row.key]
        renamed = _printed(row.name) != _printed(item.name)
        if renamed and _printed(row.name) in names:  # another row's name over this key: rows moved or sorted
            reject(key_cell, row.key, row.name, row.key,
                   f"第 {row.row} 行的隐藏编号属于“{item.name}”，但本行名称是“{names[_printed(row.name)]}”：行被移动"
                   "或排序，本行未采用；请使用下发的填报表，不要剪切、排序或改写名称", "key_name_mismatch")
            continue
        earlier = in_force.get(row.key)
        if earlier is not None and is_blank(row):
            continue  # nothing sent for this item: its earlier values stay in force
        whole = units.is_whole_number(item.unit, item.name, None if pd.isna(item.annual_target)
                                      else float(item.annual_target))
        history_of = (last_month.get(row.key), last_value.get(row.key))
        observation = _check_row(row, row.key, (item, whole), history_of, rules, reject, earlier, ret.path.name)
        if observation is not None:
            warnings = [_jump_warning(observation["cumulative_to_date"], same_month_last_year.get(row.key), rules),
                        _month_warning(observation, month_before.get(row.key), item, rules),
                        f"提示：本行名称“{row.name}”与清单名称“{item.name}”不同（名称已更正？），按编号采用"
                        if renamed else ""]
            observation["reason"] = "；".join(w for w in warnings if w)
            accepted.append({**base, **observation, "item_type": item.item_type, "item_id": row.key,
                             "sheet": SHEET, "submitted_by": ret.submitted_by or ret.unit})
    for item_id in sorted(set(known) - seen):
        reject("", item_id, known[item_id].name, "",
               f"缺少“{known[item_id].name}”一行（编号 {item_id}），请勿删除行，补填后重新报送", "deleted_row")
    return (pd.DataFrame(accepted, columns=columns("observations", supplied=True)),
            pd.DataFrame(rejected, columns=columns("rejections", supplied=True)))


def is_blank(row: FormRow) -> bool:
    """Whether a row carries nothing: every value cell empty, no formula."""
    return all(not cell.formula and (cell.raw is None or (isinstance(cell.raw, str) and not cell.raw.strip()))
               for cell in row.cells.values())


def _printed(name: object) -> str:
    """A name as compared with the form's: spaces and line breaks aside."""
    return re.sub(r"\s+", "", str(name))


def _latest(observations: pd.DataFrame | None, column: str = "cumulative_to_date") -> dict[str, float]:
    """Each item's latest non-empty `column` (by period), looked up once per return."""
    if observations is None or observations.empty or column not in observations:
        return {}
    known = observations[observations[column].notna()]
    if "period" in known:
        known = known.sort_values("period", kind="stable")
    return known.groupby("item_id", sort=False)[column].last().to_dict()


def _check_row(row: FormRow, item_id: str, counted: tuple[Any, bool], history_of: tuple, rules: ValidationRules,
               reject, earlier: Mapping | None = None, file: str = "") -> dict | None:
    """The values of one row in force after it (its own, and an earlier return's for the cells it leaves empty),
    or None when it gives nothing that can be taken. The cell is the unit: a rejected cell takes nothing of its
    own, and the row's other cells are still taken. `counted` is the row of `items` (a named tuple) and whether it
    takes whole numbers only; `history_of` the item's latest accepted cumulative and 本月 before this month;
    `earlier` the item's observation in force this month, if any (clearing a required figure is allowed only
    then)."""
    item, whole = counted
    numbers: dict[str, float] = {}
    cleared: set[str] = set()
    refused: set[str] = set()
    for field_name in ("month", "to_date"):
        cell = row.cells[field_name]
        raw = cell.raw
        if isinstance(raw, str) and raw.strip() == CLEAR_WORD:
            cleared.add(field_name)
            continue
        value, problem, rule = _number(cell, item, whole)
        if problem:
            reject(cell.address, item_id, row.name, cell.formula if rule == "formula_without_value" else raw,
                   problem, rule)
            refused.add(field_name)
        elif value is not None:
            numbers[field_name] = value
    refused |= _implausible(row, item_id, item, numbers, history_of, rules, reject)
    numbers = {f: v for f, v in numbers.items() if f not in refused}
    texts = {f: _text(row.cells[f].raw) for f in ("progress", "attainment", "issues", "remark")}
    cleared |= {f for f, v in texts.items() if v == CLEAR_WORD}
    texts = {f: ("" if f in cleared else v) for f, v in texts.items()}
    text_target = pd.isna(item.annual_target)
    kept = _carried(earlier, cleared)
    cleared_now = bool(earlier is not None and cleared)  # an explicit act on an earlier value
    if "to_date" not in numbers and not (text_target and texts["attainment"]) and "to_date" not in refused \
            and not cleared_now and kept.get("cumulative_to_date") is None \
            and not (text_target and kept.get("attainment")):
        required = "attainment" if text_target else "to_date"
        what, cell = header_of(required), row.cells[required]
        reject(cell.address, item_id, row.name, cell.raw, f"“{what}”未填写，请填写后重新报送", "required_empty")
    given = {COLUMN_OF[f]: v for f, v in numbers.items()} | {COLUMN_OF[f]: v for f, v in texts.items() if v}
    if not given and not cleared_now:
        return None
    cells = {COLUMN_OF[f]: row.cells[f].address for f in COLUMN_OF}
    return _in_force(given, cells, kept, earlier, cleared, file)


def _number(cell, item, whole: bool) -> tuple[float | None, str, str]:
    """(the figure of a cell, why it is refused, the rule): a formula without a computed value, not a number, a
    fraction in a row counted in whole numbers."""
    if cell.formula and cell.raw is None:
        return None, f"填写的是公式“{cell.formula}”且没有计算结果，请直接填写数值", "formula_without_value"
    value, problem = parse_number(cell.raw, item.unit)
    if problem:
        return None, problem, "not_a_number"
    problem = whole_number_problem(cell.raw, value, item.unit) if whole and value is not None else ""
    return (None, problem, "not_whole_number") if problem else (value, "", "")


def _carried(earlier: Mapping | None, cleared: set[str]) -> dict:
    """The earlier values of the month that a return leaves in force: every non-empty one it does not clear."""
    if earlier is None:
        return {}
    out = {}
    for field_name, column in COLUMN_OF.items():
        value = earlier.get(column)
        if field_name not in cleared and value is not None and value == value and value != "":
            out[column] = value
    return out


def _in_force(given: dict, cells: dict, kept: dict, earlier: Mapping | None, cleared: set[str], file: str) -> dict:
    """The observation in force after a row: its own values (`given`, in `cells` of `file`) over the earlier ones
    it keeps, and where each came from (`sources`); the row's file and cell are where its cumulative came from."""
    values = {column: None if column in ("value", "cumulative_to_date") else "" for column in COLUMN_OF.values()}
    origins = parse_sources(earlier.get("sources", "")) if earlier is not None else {}
    sources = {}
    for field_name, column in COLUMN_OF.items():
        label = header_of(field_name)
        if column in given:
            values[column], sources[label] = given[column], f"{file}!{cells[column]}"
        elif column in kept:
            fallback = f"{earlier['source_file']}!{earlier['cell']}" if column == "cumulative_to_date" \
                else earlier["source_file"]
            origin = origins.get(label, fallback).removesuffix(CARRIED)
            values[column], sources[label] = kept[column], origin + CARRIED
        elif field_name in cleared:
            sources[label] = f"{file}!{cells.get(column, '')}{CLEARED}"
    where_file, cell = file, cells["cumulative_to_date"]
    if "cumulative_to_date" in kept and "cumulative_to_date" not in given:
        where_file, cell = earlier["source_file"], earlier["cell"]  # where the kept cumulative came from
    return {**values, "source_file": where_file, "cell": cell,
            "sources": "；".join(f"{k}={v}" for k, v in sources.items())}


def parse_sources(text: object) -> dict[str, str]:
    """An observation's `sources` ('本月完成值={file}!F7；年初至今累计=a.xlsx!G7（沿用）') as label → origin.

    >>> parse_sources("本月完成值=b.xlsx!F7；年初至今累计=a.xlsx!G7（沿用）")
    {'本月完成值': 'b.xlsx!F7', '年初至今累计': 'a.xlsx!G7（沿用）'}
    >>> parse_sources("本月完成值=统计局；更正.xlsx!F7；年初至今累计=a.xlsx!G7（沿用）")["本月完成值"]
    '统计局；更正.xlsx!F7'
    """
    if not isinstance(text, str) or not text:
        return {}
    labels = "|".join(re.escape(header_of(field)) for field in COLUMN_OF)
    # a file's name may hold '；' itself: a part begins only where a column's label does
    return dict(part.split("=", 1) for part in re.split(f"；(?=(?:{labels})=)", text) if "=" in part)


def _implausible(row: FormRow, item_id: str, item, numbers: dict, last: tuple, rules: ValidationRules,
                 reject) -> set[str]:
    """The figures of a row (month, to_date) that fail the plausibility rules (DHIS2's min–max and validation
    rules are the model), each rejected with its cell: the order of magnitude of 累计 and 本月 against history or
    target, a percent typed as a hundredth, a total above 20 × the target or a project's amount above its 计划总投资,
    a running total that falls, a month above its running total (both cells: either may be the wrong one)."""
    last_total, last_value = last
    to_date, in_month = numbers.get("to_date"), numbers.get("month")
    text_target = pd.isna(item.annual_target)
    total = adds_up(getattr(item, "measure_type", None))  # a level or a rate may fall, a running total may not
    refused: set[str] = set()

    def refuse(field_name: str, value: float, reason: str, rule: str) -> None:
        reject(row.cells[field_name].address, item_id, row.name, value, reason, rule)
        refused.add(field_name)

    reference = last_total if last_total else (None if text_target else float(item.annual_target))
    if to_date is not None and reference and to_date > 0 and reference > 0:
        ratio = to_date / reference
        if _scaled(ratio, rules):
            refuse("to_date", to_date, _scale_message(to_date, item.unit, rules.scale_factor), "unit_scale")
        elif item.unit in POINT_UNITS and abs(math.log10(ratio) + 2) <= rules.scale_tolerance:  # 12.5% is 0.125
            refuse("to_date", to_date,
                   f"“{to_date:g}”约为以往数值或目标的百分之一，可能以百分比格式输入了 {to_date * 100:g}%"
                   f"（Excel 存为 {to_date:g}）；本行单位为{item.unit}，请直接填写数值 {to_date * 100:g}",
                   "percent_scale")
        elif not text_target and to_date > rules.implausible_ratio * float(item.annual_target):
            refuse("to_date", to_date, f"“{to_date:g}”超过年度目标（{item.target_text}）的 "
                                       f"{rules.implausible_ratio:g} 倍，明显不合理，请核对", "implausible")
    month_reference = last_value or (float(item.annual_target) / 12 if total and not text_target else None)
    if in_month is not None and month_reference and in_month > 0 and month_reference > 0 \
            and _scaled(in_month / month_reference, rules):
        refuse("month", in_month, _scale_message(in_month, item.unit, rules.scale_factor), "unit_scale")
    planned = getattr(item, "total_investment", None)
    if item.item_type == "project" and planned and planned == planned and planned > 0:
        for field_name, value in (("to_date", to_date), ("month", in_month)):
            if field_name not in refused and value is not None and value > rules.project_total_ratio * planned:
                refuse(field_name, value, f"{header_of(field_name)}“{value:g}”亿元超过计划总投资（{planned:g} 亿元）的 "
                       f"{rules.project_total_ratio:g} 倍，明显不合理，请核对（是否按万元填写了亿元栏）",
                       "over_total_investment")
    if "to_date" not in refused and to_date is not None and last_total is not None and to_date < last_total \
            and item.unit not in RATE_UNITS and total:
        refuse("to_date", to_date,
               f"{header_of('to_date')}“{to_date:g}”小于上月累计“{last_total:g}”，累计数不应减少，请核对",
               "cumulative_fell")
    if not refused and total and item.unit not in RATE_UNITS and in_month is not None and to_date is not None \
            and 0 <= to_date < in_month:
        for field_name, value in (("month", in_month), ("to_date", to_date)):
            refuse(field_name, value, f"{header_of('month')}“{in_month:g}”大于{header_of('to_date')}“{to_date:g}”，"
                   "本月数不应超过年初至今累计，请核对两栏", "month_above_total")
    return refused


def _scaled(ratio: float, rules: ValidationRules) -> bool:
    """Whether a figure is about `scale_factor` times what it is compared with (万 typed where 亿 is asked)."""
    return abs(math.log10(ratio) - math.log10(rules.scale_factor)) <= rules.scale_tolerance


def _scale_message(value: float, unit: str, factor: float = 1e4) -> str:
    """What a figure about 10⁴ times too large most likely is, in the row's own unit.

    >>> _scale_message(52000, "亿元").split("，")[1]
    '可能按万元填写了亿元栏（单位：亿元）'
    >>> _scale_message(31000, "万人").split("，")[1]
    '可能按人填写了万人栏（单位：万人）'
    >>> _scale_message(9e5, "个").split("，")[1]
    '数量级可能有误（单位：个）'
    """
    said = f"“{value:g}”约为以往数值或目标的 {factor:g} 倍，"
    if unit.startswith("亿") and len(unit) > 1:
        return f"{said}可能按万{unit[1:]}填写了{unit}栏（单位：{unit}），请核对单位后重新填写"
    if unit.startswith("万") and len(unit) > 1:
        return f"{said}可能按{unit[1:]}填写了{unit}栏（单位：{unit}），请核对单位后重新填写"
    return f"{said}数量级可能有误（单位：{unit or '见单位列'}），请核对后重新填写"


def _month_warning(observation: dict, before: float | None, item, rules: ValidationRules) -> str:
    """'提示：…' when a running total's rise since last month differs from the month's figure, else ''."""
    in_month, to_date = observation.get("value"), observation.get("cumulative_to_date")
    if before is None or in_month is None or to_date is None or not adds_up(getattr(item, "measure_type", None)) \
            or item.unit in RATE_UNITS:
        return ""
    rise = to_date - before
    if abs(rise - in_month) <= rules.month_vs_total_tolerance * max(abs(rise), abs(in_month), 1e-9):
        return ""
    return (f"提示：{header_of('to_date')}较上月增加 {rise:g}，与{header_of('month')} {in_month:g} 不一致，请核实")


def _jump_warning(value: float | None, before: float | None, rules: ValidationRules) -> str:
    """'提示：…' when the value moved more than the threshold against `before` (the same month last year),
    else ''.

    >>> rules = ValidationRules(scale_factor=1e4, scale_tolerance=0.5, implausible_ratio=20, jump_warning=0.5,
    ...                         max_file_mb=20, project_total_ratio=1.5, month_vs_total_tolerance=0.05)
    >>> _jump_warning(16.0, 10.0, rules), _jump_warning(12.0, 10.0, rules)
    ('提示：比上年同期（10）变化 +60%，超过 ±50%，请核实', '')
    """
    if value is None or before is None or before == 0:
        return ""
    change = value / before - 1
    if abs(change) <= rules.jump_warning:
        return ""
    return f"提示：比上年同期（{before:g}）变化 {change:+.0%}，超过 ±{rules.jump_warning:.0%}，请核实"


def _text(raw: object) -> str:
    return "" if raw is None else str(raw).strip()
