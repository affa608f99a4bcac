"""Checking a returned form cell by cell, with a reason a clerk can act on.

Stage: 实施. Input: a `FormReturn`, the items the unit answers for (indicators and projects with their
annual targets) and the accepted history. Output: the accepted observations and the rejected cells (file,
sheet, cell, what was typed, why, which rule), ready for the store. Nothing is dropped: a cell is either
accepted or rejected.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.forms.layout import KEY_COL, SHEET, adds_up, column_letter, header_of
from pipeline.monitor.collect import FormReturn, FormRow
from pipeline.monitor.status import RATE_UNITS
from pipeline.schema import columns
from pipeline.settings import load_section
from pipeline.units import Units

_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
PERCENT_UNITS = ("%", "‰")  # a '12.5%' typed in these rows is the number 12.5


@dataclass(frozen=True)
class ValidationRules:
    """Thresholds from inputs/config/status.yaml (validation), their one source."""

    scale_factor: float
    scale_tolerance: float
    implausible_ratio: float
    jump_warning: float
    max_file_mb: float

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
                    units: Units) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Accepted observations and rejected cells of one return (see module docstring).

    `items`: item_id, item_type, name, unit, annual_target, target_text of the unit's rows.
    `units`: which units count whole things (units.yaml), decided as the blank form decided it.
    `history`: accepted item_id, period, cumulative_to_date of earlier months.
    `last_year`: accepted item_id, cumulative_to_date of the same month a year before; a change of more than
    the jump threshold is accepted with a warning in the observation's `reason` (提示), not rejected.
    """
    accepted: list[dict] = []
    rejected: list[dict] = []
    base = {"district_code": ret.district_code, "period": ret.period, "source_file": ret.path.name,
            "received_at": received_at}

    def reject(cell: str, item_id: str, item: str, raw: object, reason: str, rule: str) -> None:
        rejected.append({**base, "unit": ret.unit, "sheet": SHEET, "cell": cell, "item_id": item_id, "item": item,
                         "raw_value": "" if raw is None else str(raw),
                         "reason": f"{cell}：{reason}" if cell else reason,
                         "rule": rule})

    known = {item.item_id: item for item in items.itertuples(index=False)}
    last_month = _latest(history)
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
        whole = units.is_whole_number(item.unit, item.name, None if pd.isna(item.annual_target)
                                      else float(item.annual_target))
        observation = _check_row(row, row.key, (item, whole), last_month.get(row.key), rules, reject)
        if observation is not None:
            observation["reason"] = _jump_warning(observation["cumulative_to_date"],
                                                  same_month_last_year.get(row.key), rules)
            accepted.append({**base, **observation, "item_type": item.item_type, "item_id": row.key,
                             "sheet": SHEET, "submitted_by": ret.submitted_by or ret.unit})
    for item_id in sorted(set(known) - seen):
        reject("", item_id, known[item_id].name, "",
               f"缺少“{known[item_id].name}”一行（编号 {item_id}），请勿删除行，补填后重新报送", "deleted_row")
    return (pd.DataFrame(accepted, columns=columns("observations", supplied=True)),
            pd.DataFrame(rejected, columns=columns("rejections", supplied=True)))


def _latest(observations: pd.DataFrame | None) -> dict[str, float]:
    """Each item's latest non-empty cumulative_to_date (by period), looked up once per return."""
    if observations is None or observations.empty:
        return {}
    known = observations[observations.cumulative_to_date.notna()]
    if "period" in known:
        known = known.sort_values("period", kind="stable")
    return known.groupby("item_id", sort=False).cumulative_to_date.last().to_dict()


def _check_row(row: FormRow, item_id: str, counted: tuple[Any, bool], last: float | None, rules: ValidationRules,
               reject) -> dict | None:
    """The accepted values of one row, or None when its required figure is rejected; `counted` is the row of
    `items` (a named tuple) and whether it takes whole numbers only; `last` is the item's latest accepted
    cumulative before this month."""
    item, whole = counted
    numbers: dict[str, float | None] = {}
    ok = True
    for field_name in ("month", "to_date"):
        cell = row.cells[field_name]
        raw = cell.raw
        if cell.formula and raw is None:
            reject(cell.address, item_id, row.name, cell.formula,
                   f"填写的是公式“{cell.formula}”且没有计算结果，请直接填写数值", "formula_without_value")
            ok = False
            continue
        value, problem = parse_number(raw, item.unit)
        if problem:
            reject(cell.address, item_id, row.name, raw, problem, "not_a_number")
            ok = False
            continue
        problem = whole_number_problem(raw, value, item.unit) if whole and value is not None else ""
        if problem:
            reject(cell.address, item_id, row.name, raw, problem, "not_whole_number")
            ok = False
            continue
        numbers[field_name] = value
    if not ok:
        return None
    to_date = numbers.get("to_date")
    text_target = pd.isna(item.annual_target)
    attainment = _text(row.cells["attainment"].raw)
    if to_date is None and not (text_target and attainment):
        required = "attainment" if text_target else "to_date"
        what, cell = header_of(required), row.cells[required]
        reject(cell.address, item_id, row.name, cell.raw, f"“{what}”未填写，请填写后重新报送", "required_empty")
        return None
    address = row.cells["to_date"].address
    reference = last if last else (None if text_target else float(item.annual_target))
    if to_date is not None and reference and to_date > 0 and reference > 0:
        ratio = to_date / reference
        if abs(math.log10(ratio) - math.log10(rules.scale_factor)) <= rules.scale_tolerance:
            reject(address, item_id, row.name, to_date,
                   f"“{to_date:g}”约为以往数值或目标的 {rules.scale_factor:g} 倍，可能按万元填写了亿元栏"
                   f"（单位：{item.unit}），请核对单位后重新填写", "unit_scale")
            return None
        if item.unit == "%" and abs(math.log10(ratio) + 2) <= rules.scale_tolerance:  # Excel: 12.5% is 0.125
            reject(address, item_id, row.name, to_date,
                   f"“{to_date:g}”约为以往数值或目标的百分之一，可能以百分比格式输入了 {to_date * 100:g}%"
                   f"（Excel 存为 {to_date:g}）；本行单位为{item.unit}，请直接填写数值 {to_date * 100:g}",
                   "percent_scale")
            return None
        if not text_target and to_date > rules.implausible_ratio * float(item.annual_target):
            reject(address, item_id, row.name, to_date,
                   f"“{to_date:g}”超过年度目标（{item.target_text}）的 {rules.implausible_ratio:g} 倍，"
                   "明显不合理，请核对", "implausible")
            return None
    total = adds_up(getattr(item, "measure_type", None))  # a level or a rate may fall, a running total may not
    if to_date is not None and last is not None and to_date < last and item.unit not in RATE_UNITS and total:
        reject(address, item_id, row.name, to_date,
               f"{header_of('to_date')}“{to_date:g}”小于上月累计“{last:g}”，累计数不应减少，请核对", "cumulative_fell")
        return None
    return {"value": numbers.get("month"), "cumulative_to_date": to_date, "cell": address,
            "progress": _text(row.cells["progress"].raw), "attainment": attainment,
            "issues": _text(row.cells["issues"].raw), "remark": _text(row.cells["remark"].raw)}


def _jump_warning(value: float | None, before: float | None, rules: ValidationRules) -> str:
    """'提示：…' when the value moved more than the threshold against `before` (the same month last year),
    else ''.

    >>> rules = ValidationRules(scale_factor=1e4, scale_tolerance=0.5, implausible_ratio=20, jump_warning=0.5,
    ...                         max_file_mb=20)
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
