"""Validation of a returned form's cells, one test per rule of pipeline/monitor/validate.py: a real return (the
SAMPLE return of December 2025 — the year-end form asks every indicator, whatever its frequency — of a unit whose
form holds every kind of row, filled in the blank form the writer wrote), one bad cell, the rule, the cell and the
reason a clerk reads, and every other row still taken.
Thresholds are read from inputs/config/status.yaml, never written here."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from pipeline.forms.layout import KEY_COL, MONTH_COL, NAME_COL, SHEET, TO_DATE_COL, adds_up, column_letter
from pipeline.monitor.collect import FormReturn, FormRow, read_return
from pipeline.monitor.items import unit_items
from pipeline.monitor.status import RATE_UNITS
from pipeline.monitor.validate import ValidationRules, validate_return
from pipeline.samples import generate_samples
from pipeline.units import Units
from tests.conftest import CONFIG
from tests.monitor.conftest import catalog_of, numbered_rows

RULES = ValidationRules.load(CONFIG / "status.yaml")
UNITS = Units.load(CONFIG / "units.yaml")
NO_HISTORY = pd.DataFrame(columns=["item_id", "period", "cumulative_to_date"])
DISTRICT, UNIT = "230113", "农业农村局"  # amounts, rates, counts, a target in words and projects on one form


class Sent(NamedTuple):
    """A unit's return as sent, read, and the items the unit answers for (rows of the month's status table)."""

    path: Path
    ret: FormReturn
    items: pd.DataFrame


def _status(cycle, period: str = "2025-05") -> pd.DataFrame:
    return pd.read_csv(cycle["outputs"] / "monitor" / f"{period}_SAMPLE" / "status.csv", dtype={"district_code": str})


@pytest.fixture(scope="module")
def year_end(plan_outputs, tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """December's SAMPLE returns (no planted errors) and the items they answer for."""
    returns = tmp_path_factory.mktemp("year_end")
    generate_samples(catalog_of(plan_outputs), 2025, [12], returns, plant=False)
    tables = {name: catalog_of(plan_outputs).load(name)
              for name in ("documents", "indicators", "projects", "responsibilities")}
    return returns / "2025-12", unit_items(tables, "2025-12")


@pytest.fixture
def sent(year_end) -> Sent:
    folder, status = year_end
    path = folder / f"{DISTRICT}_{UNIT}_SAMPLE.xlsx"
    items = status[(status.district_code == DISTRICT) & (status.lead_unit == UNIT)]
    ret = read_return(path, RULES.max_file_mb)
    _, rejected = _validate(path, items)
    assert rejected.empty  # as sent, the whole form is taken
    return Sent(path, ret, items)


def _row(sent: Sent, wanted: Callable[[Any], bool]) -> tuple[FormRow, Any]:
    """The first row of the return (and its item) for which `wanted(item)` holds."""
    items = sent.items.set_index("item_id", drop=False)
    return next((row, items.loc[row.key]) for row in sent.ret.rows if wanted(items.loc[row.key]))


def _typed(item) -> bool:
    """An item with a numeric annual target."""
    return item.item_type == "indicator" and item.annual_target > 0


def _amount(item) -> bool:
    """An amount with a numeric target, in decimals (亿斤, 万亩 …): not a rate, not a count."""
    return _typed(item) and item.unit not in RATE_UNITS and not UNITS.is_whole_number(item.unit, item.name,
                                                                                        item.annual_target)


def _changed(sent: Sent, tmp_path: Path, edit: Callable[[Any], None] | dict[str, object], name: str) -> Path:
    """The return with its entry sheet changed (cells set by address, or any edit) and saved, as a clerk would."""
    wb = load_workbook(sent.path)
    ws = wb[SHEET]
    if callable(edit):
        edit(ws)
    else:
        for address, value in edit.items():
            ws[address] = value
    path = tmp_path / name
    wb.save(path)
    return path


def _validate(path: Path, items: pd.DataFrame, history: pd.DataFrame = NO_HISTORY,
              last_year: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    return validate_return(read_return(path, RULES.max_file_mb), items, history, RULES, "2025-07-20T09:00:00",
                           last_year, units=UNITS)


def _only(sent: Sent, checked: tuple[pd.DataFrame, pd.DataFrame], rule: str, cell: str, reason: str,
          refused_item: str) -> None:
    """Exactly one rejection, as given; every other row of the form is taken, and of the refused row its other
    cells only (the cell is the unit: nothing of the refused cell is taken)."""
    accepted, rejected = checked
    assert rejected[["rule", "cell", "reason", "sheet"]].values.tolist() == [[rule, cell, reason, SHEET]]
    assert set(accepted.item_id) - {refused_item} == {r.key for r in sent.ret.rows if r.key != refused_item}
    assert not accepted.item_id.duplicated().any()  # each row taken once
    refused = accepted[accepted.item_id == refused_item]
    letters = re.match(r"[A-Z]*", cell).group()
    column = {MONTH_COL: "value", TO_DATE_COL: "cumulative_to_date"}.get(
        column_index_from_string(letters) - 1 if letters else None)
    if column and len(refused):
        assert refused[column].isna().all()


@pytest.mark.parametrize("field, typed, why", [
    ("to_date", "约12.5", "“约12.5”不是数字，请填写数值（单位：{unit}）"),
    ("month", "—", "“—”不是数字，请填写数值（单位：{unit}）"),
    ("to_date", "12.5%", "“12.5%”带有百分号，但本行单位是{unit}，请按单位填写数值"),
])
def test_text_or_a_percent_sign_in_a_figure_cell_is_not_a_number(sent, tmp_path, field, typed, why):
    row, item = _row(sent, _amount)
    cell = row.cells[field].address
    path = _changed(sent, tmp_path, {cell: typed}, "文字.xlsx")
    _only(sent, _validate(path, sent.items), "not_a_number", cell, f"{cell}：{why.format(unit=item.unit)}",
          item.item_id)


def test_a_fraction_in_a_count_row_is_rejected_naming_file_sheet_cell_and_unit(sent, tmp_path):
    row, item = _row(sent, lambda i: _typed(i) and i.unit == "个" and UNITS.is_whole_number(i.unit, i.name,
                                                                                              i.annual_target))
    cell = row.cells["to_date"]
    assert float(cell.raw).is_integer()  # the SAMPLE return counts in whole numbers, as the form asks
    path = _changed(sent, tmp_path, {cell.address: 2.5}, "2.5个.xlsx")
    checked = _validate(path, sent.items)
    _only(sent, checked, "not_whole_number", cell.address,
          f"{cell.address}：“2.5”不是整数，本行按“个”计数，请填写整数（单位：个）", item.item_id)
    assert checked[1].source_file.tolist() == ["2.5个.xlsx"]


def test_a_fraction_in_a_ten_thousand_people_row_is_an_amount_and_accepted(cycle):
    status = _status(cycle, "2025-06")
    jobs = status[(status.unit == "万人") & status.cumulative_to_date.notna()]
    assert len(jobs) and not all(float(v).is_integer() for v in jobs.cumulative_to_date)
    rejections = pd.read_csv(cycle["outputs"] / "monitor" / "2025-06_SAMPLE" / "rejections.csv", dtype=str)
    assert "not_whole_number" not in set(rejections.rule)  # the SAMPLE returns count in whole numbers


def test_a_formula_without_a_computed_value_is_rejected(sent, tmp_path):
    row, item = _row(sent, _amount)
    cell = row.cells["to_date"].address
    path = _changed(sent, tmp_path, {cell: "=A1+0"}, "公式.xlsx")  # openpyxl saves no cached value
    _only(sent, _validate(path, sent.items), "formula_without_value", cell,
          f"{cell}：填写的是公式“=A1+0”且没有计算结果，请直接填写数值", item.item_id)


def test_an_empty_cumulative_is_required(sent, tmp_path):
    row, item = _row(sent, _amount)
    cell = row.cells["to_date"].address
    path = _changed(sent, tmp_path, {cell: None}, "未填.xlsx")
    _only(sent, _validate(path, sent.items), "required_empty", cell, f"{cell}：“年初至今累计”未填写，请填写后重新报送",
          item.item_id)


def test_a_target_in_words_requires_the_units_own_assessment(sent, tmp_path):
    row, item = _row(sent, lambda i: i.item_type == "indicator" and pd.isna(i.annual_target))
    assert row.cells["to_date"].raw in (None, "") and row.cells["attainment"].raw  # 达标情况 instead of a figure
    cell = row.cells["attainment"].address
    path = _changed(sent, tmp_path, {cell: None}, "未评.xlsx")
    _only(sent, _validate(path, sent.items), "required_empty", cell, f"{cell}：“达标情况”未填写，请填写后重新报送",
          item.item_id)


def _scale_reason(cell: str, value: float, unit: str) -> str:
    """The message names the row's own unit: 按万斤填写了亿斤栏 on a 亿斤 row, 按万元填写了亿元栏 on a 亿元 row."""
    assert unit.startswith("亿")
    return (f"{cell}：“{value:g}”约为以往数值或目标的 {RULES.scale_factor:g} 倍，可能按万{unit[1:]}填写了{unit}栏"
            f"（单位：{unit}），请核对单位后重新填写")


def test_a_figure_typed_in_wan_yuan_against_the_target_is_rejected(sent, tmp_path):
    row, item = _row(sent, _amount)
    cell, value = row.cells["to_date"].address, float(item.annual_target) * RULES.scale_factor
    path = _changed(sent, tmp_path, {cell: value}, "万元.xlsx")
    _only(sent, _validate(path, sent.items), "unit_scale", cell, _scale_reason(cell, value, item.unit), item.item_id)


def test_a_figure_typed_in_wan_yuan_against_last_month_is_rejected(sent, tmp_path):
    """Last month's cumulative is the reference when there is one: here the value is that many times last
    month's, but not the target's."""
    row, item = _row(sent, _amount)
    target = float(item.annual_target)
    last = target / 10 ** (2 * RULES.scale_tolerance)  # April's cumulative, a share of the target
    value = last * RULES.scale_factor
    assert abs((value / target) / RULES.scale_factor - 1) > 0.5  # against the target alone: not this rule
    cell = row.cells["to_date"].address
    path = _changed(sent, tmp_path, {cell: value}, "万元.xlsx")
    history = pd.DataFrame({"item_id": [item.item_id], "period": ["2025-04"], "cumulative_to_date": [last]})
    _only(sent, _validate(path, sent.items, history), "unit_scale", cell, _scale_reason(cell, value, item.unit),
          item.item_id)


def test_a_percentage_typed_with_excels_percent_format_is_rejected_with_what_to_type(sent, tmp_path):
    row, item = _row(sent, lambda i: _typed(i) and i.unit == "%")
    cell, meant = row.cells["to_date"].address, row.cells["to_date"].raw
    path = _changed(sent, tmp_path, {cell: meant / 100}, "百分比.xlsx")  # "12.5%" typed in a plain cell: 0.125
    stored = meant / 100
    _only(sent, _validate(path, sent.items), "percent_scale", cell,
          f"{cell}：“{stored:g}”约为以往数值或目标的百分之一，可能以百分比格式输入了 {stored * 100:g}%"
          f"（Excel 存为 {stored:g}）；本行单位为%，请直接填写数值 {stored * 100:g}", item.item_id)


def test_a_figure_far_above_the_annual_target_is_implausible(sent, tmp_path):
    row, item = _row(sent, _amount)
    value = float(item.annual_target) * RULES.implausible_ratio * 1.5
    assert abs((value / float(item.annual_target)) / RULES.scale_factor - 1) > 0.5  # not a 万元 slip
    cell = row.cells["to_date"].address
    path = _changed(sent, tmp_path, {cell: value}, "过大.xlsx")
    _only(sent, _validate(path, sent.items), "implausible", cell,
          f"{cell}：“{value:g}”超过年度目标（{item.target_text}）的 {RULES.implausible_ratio:g} 倍，明显不合理，请核对",
          item.item_id)


def test_a_cumulative_below_last_months_is_rejected_but_not_a_rate_or_a_level(sent):
    row, item = _row(sent, lambda i: _amount(i) and adds_up(i.measure_type))  # a running total (a flow, a plan total)
    rate_row, rate = _row(sent, lambda i: _typed(i) and i.unit == "%")
    level_row, level = _row(sent, lambda i: _amount(i) and i.measure_type == "stock")  # a level may fall
    value, rate_value = row.cells["to_date"].raw, rate_row.cells["to_date"].raw
    history = pd.DataFrame({"item_id": [item.item_id, rate.item_id, level.item_id], "period": ["2025-04"] * 3,
                            "cumulative_to_date": [value + 1, rate_value + 1, level_row.cells["to_date"].raw + 1]})
    cell = row.cells["to_date"].address
    _only(sent, _validate(sent.path, sent.items, history), "cumulative_fell", cell,
          f"{cell}：年初至今累计“{value:g}”小于上月累计“{value + 1:g}”，累计数不应减少，请核对", item.item_id)


def _append(values: dict[int, object]) -> Callable[[Any], None]:
    """An edit adding a row below the last, with `values` by 0-based column."""
    def edit(ws) -> None:
        new = ws.max_row + 1
        for col, value in values.items():
            ws.cell(new, col + 1).value = value
    return edit


def test_a_row_added_to_the_form_is_rejected(sent, tmp_path):
    path = _changed(sent, tmp_path, _append({NAME_COL: "自行增加的指标", KEY_COL: "ind-0000000000", TO_DATE_COL: 5}),
                    "增行.xlsx")
    new = max(r.row for r in sent.ret.rows) + 1
    cell = f"{column_letter(KEY_COL)}{new}"
    _only(sent, _validate(path, sent.items), "unknown_row", cell,
          f"{cell}：第 {new} 行“自行增加的指标”不在本单位的填报清单中（编号“ind-0000000000”），请勿增加或修改行，"
          "请使用下发的填报表", "")


def test_a_row_repeated_on_the_form_is_rejected_and_the_first_is_taken(sent, tmp_path):
    row, item = _row(sent, _amount)
    path = _changed(sent, tmp_path, _append({NAME_COL: row.name, KEY_COL: row.key, TO_DATE_COL: 1.0}), "重复.xlsx")
    new = max(r.row for r in sent.ret.rows) + 1
    cell = f"{column_letter(KEY_COL)}{new}"
    checked = _validate(path, sent.items)
    _only(sent, checked, "duplicate_row", cell, f"{cell}：第 {new} 行与上文重复（同一编号出现两次），请删去重复行", "")
    taken = checked[0].set_index("item_id").loc[item.item_id]
    assert (taken.cell, taken.cumulative_to_date) == (row.cells["to_date"].address, row.cells["to_date"].raw)


def test_a_row_deleted_from_the_form_is_rejected(sent, tmp_path):
    row, item = _row(sent, _amount)
    path = _changed(sent, tmp_path, lambda ws: ws.delete_rows(row.row), "删行.xlsx")
    _only(sent, _validate(path, sent.items), "deleted_row", "",
          f"缺少“{item['name']}”一行（编号 {item.item_id}），请勿删除行，补填后重新报送", item.item_id)


def test_a_big_change_on_the_same_month_last_year_is_taken_with_a_warning(sent):
    row, item = _row(sent, _amount)
    value = row.cells["to_date"].raw
    for before, warned in ((value / (1 + 2 * RULES.jump_warning), True), (value / (1 + RULES.jump_warning / 2), False)):
        last_year = pd.DataFrame({"item_id": [item.item_id], "period": ["2024-05"], "cumulative_to_date": [before]})
        accepted, rejected = _validate(sent.path, sent.items, last_year=last_year)
        assert rejected.empty and sorted(accepted.item_id) == sorted(r.key for r in sent.ret.rows)
        reasons = accepted.set_index("item_id").reason
        change = value / before - 1
        assert reasons[item.item_id] == (f"提示：比上年同期（{before:g}）变化 {change:+.0%}，"
                                         f"超过 ±{RULES.jump_warning:.0%}，请核实" if warned else "")
        assert (reasons.drop(item.item_id) == "").all()


def _sent_with(year_end, wanted: Callable[[Any], bool]) -> tuple[Sent, FormRow, Any]:
    """The December return (as sent, taken whole) of the first unit of the district, by name, with a row for which
    `wanted(item)` holds; that row and its item."""
    folder, status = year_end
    ours = status[status.district_code == DISTRICT]
    for unit in sorted(set(ours.lead_unit[ours.apply(wanted, axis=1)])):
        path = folder / f"{DISTRICT}_{unit}_SAMPLE.xlsx"
        items = ours[ours.lead_unit == unit]
        assert _validate(path, items)[1].empty
        sent = Sent(path, read_return(path, RULES.max_file_mb), items)
        found = next(((row, sent.items.set_index("item_id", drop=False).loc[row.key]) for row in sent.ret.rows
                      if wanted(sent.items.set_index("item_id", drop=False).loc[row.key])), None)
        if found:
            return sent, *found
    raise AssertionError("no unit's form has such a row")


def _running(item) -> bool:
    """A figure that adds up month by month (本月 and a running total), not a rate."""
    return adds_up(item.measure_type) and item.unit not in RATE_UNITS


def test_a_month_above_its_running_total_is_rejected_in_both_cells(sent, tmp_path):
    row, item = _row(sent, lambda i: _running(i) and i.item_type == "indicator")
    total = row.cells["to_date"].raw
    month, cells = total + 1, (row.cells["month"].address, row.cells["to_date"].address)
    path = _changed(sent, tmp_path, {cells[0]: month}, "本月大于累计.xlsx")
    accepted, rejected = _validate(path, sent.items)
    assert rejected[["rule", "cell"]].values.tolist() == [["month_above_total", cells[0]],
                                                          ["month_above_total", cells[1]]]
    assert rejected.reason.iloc[0] == (f"{cells[0]}：本月完成值“{month:g}”大于年初至今累计“{total:g}”，"
                                       "本月数不应超过年初至今累计，请核对两栏")
    assert set(rejected.raw_value) == {f"{month:g}", f"{total:g}"}  # both figures kept
    assert item.item_id not in set(accepted.item_id)


def test_a_month_figure_typed_ten_thousand_times_too_large_is_rejected(sent, tmp_path):
    """The 本月 cell is checked against last month's 本月 (else a twelfth of the target), as 累计 is against
    last month's 累计; the message names the row's unit."""
    items = sent.items.set_index("item_id", drop=False)
    row = next(r for r in sent.ret.rows if items.loc[r.key, "unit"] == "亿元"
               and isinstance(r.cells["month"].raw, float) and r.cells["month"].raw > 0)  # a project's month
    item = items.loc[row.key]
    cell, meant = row.cells["month"].address, row.cells["month"].raw
    value = meant * RULES.scale_factor
    path = _changed(sent, tmp_path, {cell: value}, "本月万元.xlsx")
    history = pd.DataFrame({"item_id": [item.item_id], "period": ["2025-11"], "value": [meant],
                            "cumulative_to_date": [row.cells["to_date"].raw - meant]})
    _only(sent, _validate(path, sent.items, history), "unit_scale", cell, _scale_reason(cell, value, item.unit),
          item.item_id)


def test_a_percentage_point_typed_with_excels_percent_format_is_rejected(year_end, tmp_path):
    trade, row, item = _sent_with(year_end, lambda i: i.unit == "个百分点")
    meant = float(item.annual_target)
    cell = row.cells["to_date"].address
    path = _changed(trade, tmp_path, {cell: meant / 100}, "百分点.xlsx")
    _only(trade, _validate(path, trade.items), "percent_scale", cell,
          f"{cell}：“{meant / 100:g}”约为以往数值或目标的百分之一，可能以百分比格式输入了 {meant:g}%"
          f"（Excel 存为 {meant / 100:g}）；本行单位为个百分点，请直接填写数值 {meant:g}", item.item_id)


def test_a_projects_amount_far_above_its_planned_total_is_rejected(year_end, tmp_path):
    trade, row, item = _sent_with(year_end, lambda i: i.item_type == "project" and i.total_investment > 0)
    value = float(item.total_investment) * RULES.project_total_ratio * 2
    cell = row.cells["to_date"].address
    path = _changed(trade, tmp_path, {cell: value}, "超总投资.xlsx")
    _only(trade, _validate(path, trade.items), "over_total_investment", cell,
          f"{cell}：年初至今累计“{value:g}”亿元超过计划总投资（{float(item.total_investment):g} 亿元）的 "
          f"{RULES.project_total_ratio:g} 倍，明显不合理，请核对（是否按万元填写了亿元栏）", item.item_id)


def test_a_running_total_that_rose_by_other_than_the_month_is_taken_with_a_warning(sent):
    row, item = _row(sent, lambda i: _running(i) and i.item_type == "indicator")
    month, total = row.cells["month"].raw, row.cells["to_date"].raw
    november = total - 3 * month  # the total rose by three months' worth since November
    history = pd.DataFrame({"item_id": [item.item_id], "period": ["2025-11"], "value": [month],
                            "cumulative_to_date": [november]})
    accepted, rejected = _validate(sent.path, sent.items, history)
    assert rejected.empty
    reason = accepted.set_index("item_id").loc[item.item_id, "reason"]
    assert reason == f"提示：年初至今累计较上月增加 {total - november:g}，与本月完成值 {month:g} 不一致，请核实"


def test_a_row_whose_name_does_not_match_its_hidden_key_is_rejected(sent, tmp_path):
    first, second = [r for r in sent.ret.rows if r.key][:2]
    path = _changed(sent, tmp_path, {f"{column_letter(NAME_COL)}{first.row}": second.name,
                                     f"{column_letter(NAME_COL)}{second.row}": first.name}, "换行.xlsx")
    accepted, rejected = _validate(path, sent.items)
    keys = [f"{column_letter(KEY_COL)}{r.row}" for r in (first, second)]
    assert rejected[["rule", "cell"]].values.tolist() == [["key_name_mismatch", k] for k in keys]
    assert rejected.reason.iloc[0].startswith(f"{column_letter(KEY_COL)}{first.row}：第 {first.row} 行的隐藏编号属于")
    assert {first.key, second.key}.isdisjoint(accepted.item_id)


def test_a_row_whose_name_was_corrected_since_the_form_went_out_is_taken_with_a_note(sent, tmp_path):
    """The office corrected a name in its review after the form went out: the key decides, the difference is noted."""
    row = numbered_rows(sent.ret)[0]
    path = _changed(sent, tmp_path, {f"{column_letter(NAME_COL)}{row.row}": row.name + "（旧名）"}, "旧名.xlsx")
    accepted, rejected = _validate(path, sent.items)
    assert rejected.empty
    assert accepted.set_index("item_id").loc[row.key, "reason"] == \
        f"提示：本行名称“{row.name}（旧名）”与清单名称“{row.name}”不同（名称已更正？），按编号采用"
