"""The blank monthly forms, reopened with openpyxl: only the value cells can be edited, and only as intended."""
from __future__ import annotations

import openpyxl
import pytest

from pipeline.render.entry_forms import build_entry_forms
from pipeline.units import Units
from tests.conftest import CONFIG
from tests.render import HOSTILE_NAME, formula_cells, indicators, projects, responsibilities, styles

VERSION = "PCP-FORM-2026.1"
VALUE_COLUMNS = "FGHIJK"
PROGRESS = '"未开工,前期工作,在建,主体完工,竣工投产,清除"'  # 清除: a correction clears an earlier value
ATTAINMENT = '"已达标,未达标,不适用,清除"'


def _build(out_dir, **kwargs):
    frames = {"indicators": indicators(), "projects": projects(), "responsibilities": responsibilities(), **kwargs}
    return build_entry_forms(out_dir, "2025-06", "230113", "双城区", styles=styles(), template_version=VERSION,
                             units=Units.load(CONFIG / "units.yaml"), **frames)


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("forms"))


@pytest.fixture(scope="module")
def industry(paths):
    """The form of the unit that leads both indicators and projects."""
    return openpyxl.load_workbook(next(p for p in paths if p.name == "230113_区工业和信息化局.xlsx"))


def test_one_form_per_lead_unit_of_the_district(paths):
    assert {p.parent.name for p in paths} == {"2025-06"}
    assert sorted(p.name for p in paths) == sorted(f"230113_{u}.xlsx" for u in (
        "区统计局", "区工业和信息化局", "区科学技术局", "区商务局", "区人力资源和社会保障局", "区自然资源局",
        "区发展和改革局", "区农业农村局"))  # no form for unassigned items, none for 道里区's 区教育局


def test_title_lines_and_header(industry):
    ws = industry["月度填报"]
    assert ws["A1"].value == "双城区工业和信息化局 2025-06 规划实施情况月度填报表"
    assert ws["A1"].font.name == "黑体" and ws["A1"].font.b
    assert ws["A2"].value == "填报单位：双城区工业和信息化局    单位：见各行    填报日期：________"
    assert ws["A3"].value.startswith("说明：") and ws["A3"].font.name == "仿宋"
    assert [c.value for c in ws[4]] == ["序号", "类别", "名称", "单位", "年度目标", "本月完成值", "年初至今累计",
                                        "形象进度", "达标情况", "存在问题", "备注", "编号"]


def test_rows_indicators_then_projects_with_hidden_keys(industry):
    ws = industry["月度填报"]
    rows = [[c.value for c in ws[r]] for r in range(5, ws.max_row + 1)]
    assert [(r[1], r[2], r[3], r[4], r[11]) for r in rows] == [
        ("指标", "工业增加值占 GDP 比重", "%", 18, "ind-c16ba2dbf2"),
        ("指标", "规模以上工业增加值增长率", "%", 5, "ind-3e1f09bfbf"),
        ("项目", "飞鹤（哈尔滨）乳品有限公司乳制品智能产业园建设项目", "亿元", "计划总投资 20 亿元", "prj-feihe"),
        ("项目", "雨润集团哈尔滨肉制品研发生产及生猪养殖项目", "亿元", "计划总投资 30 亿元", "prj-yurun")]
    # a target is a number printed as planned, with the year it is for: '18以上（2025年）'
    assert [ws[c].number_format for c in ("E5", "E6")] == ['#,##0"以上（2025年）"'] * 2
    assert ws.column_dimensions["L"].hidden
    assert not any(ws.column_dimensions[c].hidden for c in "ABCDEFGHIJK")
    assert ws["C5"].font.name == "宋体"


def test_sheet_protected_only_value_cells_unlocked(industry):
    ws = industry["月度填报"]
    assert ws.protection.sheet
    for row in range(1, ws.max_row + 1):
        for cell in ws[row]:
            editable = row >= 5 and cell.column_letter in VALUE_COLUMNS and not (
                (cell.column_letter == "H" and ws.cell(row, 2).value == "指标")
                or (cell.column_letter == "I" and ws.cell(row, 2).value == "项目"))
            assert cell.protection.locked is not editable, cell.coordinate
    assert ws["F5"].fill.fgColor.rgb == "FFFFF2CC"  # the input fill of the house style


def test_validations(industry):
    rules = {(dv.type, str(dv.sqref)): dv for dv in industry["月度填报"].data_validations.dataValidation}
    assert set(rules) == {("custom", "F5:G6"), ("custom", "F7:G8"), ("list", "H7:H8"), ("list", "I5:I6")}
    decimal = rules[("custom", "F7:G8")]  # the projects: investment in 亿元, a number or the clear word
    assert decimal.formula1 == 'OR(AND(ISNUMBER(F7),ABS(F7)<=1000000000000000),F7="清除")'
    assert decimal.showErrorMessage and decimal.errorTitle == "不是数字" and "只能填写数字" in decimal.error
    assert decimal.showInputMessage and decimal.promptTitle == "请填写数值"
    assert decimal.prompt.startswith("请填写数值，可含小数（单位：亿元）") and decimal.prompt.endswith("请填写“清除”。")
    assert rules[("custom", "F5:G6")].prompt.startswith("请填写数值，可含小数（单位：%）")
    assert max(len(dv.prompt) for dv in rules.values()) <= 255 and max(len(dv.error) for dv in rules.values()) <= 255
    assert rules[("list", "H7:H8")].formula1 == PROGRESS
    assert rules[("list", "I5:I6")].formula1 == ATTAINMENT
    assert "请从下拉列表中选择" in rules[("list", "I5:I6")].error


def test_hidden_meta_sheet_and_custom_properties(industry):
    meta = industry["_meta"]
    assert meta.sheet_state == "hidden"
    assert [[c.value for c in row] for row in meta["A1:B3"]] == [["模板版本", VERSION], ["期间", "2025-06"],
                                                                ["区", "230113"]]
    props = {p.name: p.value for p in industry.custom_doc_props.props}
    assert props == {"template_version": VERSION, "period": "2025-06", "district_code": "230113",
                     "lead_unit": "区工业和信息化局"}
    assert industry.sheetnames[0] == "月度填报"


def test_frozen_filter_print(industry):
    ws = industry["月度填报"]
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:L8"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$4"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text


def test_name_that_looks_like_a_formula_stays_text(paths):
    book = openpyxl.load_workbook(next(p for p in paths if p.name == "230113_区发展和改革局.xlsx"))
    ws = book["月度填报"]
    assert ws["C5"].value == HOSTILE_NAME and ws["C5"].data_type == "s"
    assert all(not formula_cells(sheet) for sheet in book)


def test_dropdowns_cover_every_row_of_their_kind(tmp_path):
    """One unit leading every assigned item: 9 indicators, then 5 projects (Cuiyun and 采购中心 unassigned)."""
    frames = responsibilities().assign(lead_unit=lambda f: f["lead_unit"].where(f["lead_unit"] == "", "区统计局"),
                                       rule_id=lambda f: f["rule_id"].where(f["rule_id"] != "unassigned", "r"))
    paths = _build(tmp_path, responsibilities=frames)
    ws = openpyxl.load_workbook(paths[0])["月度填报"]
    kinds = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert kinds[ATTAINMENT] == "I5:I13" and kinds[PROGRESS] == "H14:H18"


def test_same_inputs_same_bytes(tmp_path, paths):
    again = _build(tmp_path, indicators=indicators(as_read=True), projects=projects(as_read=True),
                   responsibilities=responsibilities(as_read=True))
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]


@pytest.mark.parametrize("period", ["2025-6", "2025/06", "2025-13", "六月"])
def test_bad_period_is_refused(tmp_path, period):
    with pytest.raises(ValueError, match="YYYY-MM"):
        build_entry_forms(tmp_path, period, "230113", "双城区", indicators(), projects(), responsibilities(), styles(),
                          VERSION, Units.load(CONFIG / "units.yaml"))


def _figure_rules(ws) -> dict[int, tuple[str, str, str]]:
    """Sheet row → (unit column, validation type, input message without what a level's row asks) of the figure
    cells: both cells of a running total (they must agree), the to-date cell alone of a level (its 本月 cell is
    locked and has no rule)."""
    rules = ws.data_validations.dataValidation
    out = {}
    for row in range(5, ws.max_row + 1):
        month, to_date = ([dv for dv in rules if f"{col}{row}" in dv.sqref] for col in "FG")
        assert len(to_date) == 1 and (not month or [(dv.type, dv.prompt) for dv in month] ==
                                      [(dv.type, dv.prompt) for dv in to_date])
        assert bool(month) is not ws.cell(row, 6).protection.locked
        prompt = to_date[0].prompt
        kind = "whole" if "INT(" in to_date[0].formula1 else "decimal"  # custom rules: a number, or the clear word
        prompt = prompt.removesuffix("更正时要清除此前报送的值，请填写“清除”。")
        out[row] = (ws.cell(row, 4).value, kind, prompt.split("。", 1)[1] if not month else prompt)
    return out


def test_a_level_is_asked_as_one_figure_and_a_running_total_as_two(seeds, tmp_path):
    """双城区's 十四五 plan in December (every indicator asked): 耕地保有量, a stock, asks its 期末值 in the to-date
    cell and locks 本月; 城镇新增就业人数, a flow, asks both."""
    paths = build_entry_forms(tmp_path, "2025-12", "230113", "双城区", seeds.indicators, seeds.projects,
                              seeds.responsibilities, styles(), VERSION, Units.load(CONFIG / "units.yaml"))
    rows = {}
    for path in paths:
        ws = openpyxl.load_workbook(path)["月度填报"]
        rules = ws.data_validations.dataValidation
        for row in range(5, ws.max_row + 1):
            rows[ws.cell(row, 3).value] = (ws.cell(row, 6).protection.locked,
                                           [dv.prompt for dv in rules if f"G{row}" in dv.sqref][0])
    assert rows["耕地保有量"][0] and rows["耕地保有量"][1].startswith("本行填写期末值")
    assert not rows["城镇新增就业人数"][0] and rows["城镇新增就业人数"][1].startswith("请填写数值")


def test_count_rows_take_whole_numbers_and_amounts_decimals_on_the_seed_plan(seeds, tmp_path):
    """双城区's 十四五 plan: every 个 row is validated as a whole number, every 亿元 and 万人 row as a decimal,
    and a ratio per head (每千人口…, 每万常住人口… 人) takes decimals though its unit is a count."""
    paths = build_entry_forms(tmp_path, "2025-06", "230113", "双城区", seeds.indicators, seeds.projects,
                              seeds.responsibilities, styles(), VERSION, Units.load(CONFIG / "units.yaml"))
    seen: dict[str, set] = {}
    for path in paths:
        ws = openpyxl.load_workbook(path)["月度填报"]
        for row, (unit, kind, prompt) in _figure_rules(ws).items():
            name = ws.cell(row, 3).value or ""  # some extracted rows have no name
            ratio = "每千" in name or "每万" in name
            seen.setdefault(unit if not ratio else "ratio", set()).add(kind)
            if unit == "个" and not ratio:
                assert (kind, prompt) == ("whole", "请填写整数（单位：个）。只填数字，不带小数、单位或文字。"), name
            if unit in ("亿元", "万人") or ratio:
                assert kind == "decimal" and prompt.startswith(f"请填写数值，可含小数（单位：{unit}）"), name
    assert seen["个"] == {"whole"} and seen["亿元"] == seen["万人"] == seen["ratio"] == {"decimal"}
