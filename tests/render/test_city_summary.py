"""The city summary, reopened with openpyxl."""
from __future__ import annotations

import openpyxl
import pytest

from pipeline.render.city_summary import render_city_summary
from pipeline.units import Units
from tests.conftest import CONFIG
from tests.render import GENERATED_AT, catalogue, documents, formula_cells, indicators, styles


def units() -> Units:
    return Units.load(CONFIG / "units.yaml")


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    out = tmp_path_factory.mktemp("city") / "全市_规划指标汇总.xlsx"
    return render_city_summary(out, documents(), indicators(), catalogue(), units(), styles(), GENERATED_AT)


@pytest.fixture(scope="module")
def ws(path):
    return openpyxl.load_workbook(path)["指标汇总"]


def _rows(ws) -> dict[str, list]:
    return {ws.cell(r, 2).value: [c.value for c in ws[r]] for r in range(5, ws.max_row + 1)}


def test_title_info_line_and_fonts(ws):
    assert ws["A1"].value == "各区规划主要指标汇总表（2023年度计划、十四五规划纲要）" and ws["A1"].font.name == "黑体"
    assert ws["A2"].value.startswith("填报单位：") and "日期：2026年1月1日" in ws["A2"].value
    assert ws["A5"].font.name == "宋体"


def test_two_header_rows_with_districts_merged_over_their_columns(ws):
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:K1", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:G3", "H3:J3", "K3:K4"} <= merged
    assert ws["K3"].value == "全市合计"
    # by division code, each with the plan its figures come from
    assert (ws["E3"].value, ws["H3"].value) == ("道里区\n（2023年度计划）", "双城区\n（十四五规划纲要）")
    assert [ws.cell(4, c).value for c in range(5, 11)] == ["目标（原文）", "目标值", "目标年"] * 2


def test_one_row_per_catalogue_key_in_catalogue_order(ws):
    names = list(_rows(ws))
    assert names == ["地区生产总值增长率", "一般公共预算收入", "规模以上工业增加值增长率", "工业增加值占GDP比重",
                     "城镇居民人均可支配收入增长率", "农村居民人均可支配收入增长率", "城镇新增就业人数",
                     "国家高新技术企业户数"]


def test_targets_per_district_and_count(ws):
    rows = _rows(ws)
    gdp = rows["地区生产总值增长率"]
    assert gdp[2:] == ["%", 2, "6%左右", 6, 2023, "5 以上", 5, 2025, "不加总"]  # 双城区: its table row; never summed
    assert rows["一般公共预算收入"][3:] == [1, "23.9亿元", 23.9, 2023, None, None, None, 23.9]  # the one district's
    assert rows["农村居民人均可支配收入增长率"][3] == 0  # an empty table cell is not a target


def test_numbers_formats_and_comments(ws):
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 2).value == "地区生产总值增长率")
    assert ws.cell(row, 9).number_format == "#,##0" and ws.cell(row, 10).number_format == "0"
    assert ws.cell(row, 6).value == 6 and ws.cell(row, 6).data_type == "n"
    note = ws.cell(row, 8).comment.text
    assert note.startswith("来源：双城区十四五规划纲要 第344行")
    assert "另有：5%以上（双城区十四五规划纲要 第305行）" in note


def test_frozen_filter_print(ws):
    assert ws.freeze_panes == "C5"
    assert ws.auto_filter.ref == "A4:K12"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$4" and "&P" in ws.oddFooter.center.text
    assert not formula_cells(ws)


def test_same_inputs_same_bytes(tmp_path, path):
    again = render_city_summary(tmp_path / "again.xlsx", documents(as_read=True), indicators(as_read=True),
                                catalogue(), units(), styles(), GENERATED_AT)
    assert again.read_bytes() == path.read_bytes()


# ---------------------------------------------------------------- the seeds: four districts, four kinds of plan

@pytest.fixture(scope="module")
def city(seeds, tmp_path_factory):
    out = tmp_path_factory.mktemp("city") / "哈尔滨市_各区规划主要指标对比.xlsx"
    book = openpyxl.load_workbook(render_city_summary(out, seeds.documents, seeds.indicators, catalogue(), units(),
                                                      styles(), GENERATED_AT))
    return book["指标汇总"]


def _district_cells(ws, district: str, indicator: str):
    """The (目标（原文）, 目标值) cells of one district in one indicator's row."""
    col = next(c for c in range(5, ws.max_column + 1, 3) if str(ws.cell(3, c).value).startswith(district))
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 2).value == indicator)
    return ws.cell(row, col), ws.cell(row, col + 1)


def _notes(ws) -> list[str]:
    """The note lines under the table (body rows hold their 序号 as a number in column A)."""
    return [ws.cell(r, 1).value for r in range(5, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, str)]


def test_headers_name_the_plan_each_districts_figures_come_from(city):
    headers = [city.cell(3, c).value for c in range(5, city.max_column, 3)]  # the last column: 全市合计
    assert headers == ["道里区\n（2023年度计划）", "道外区\n（十四五规划纲要）",
                       "平房区\n（2020年政府工作报告、十三五规划回顾）", "双城区\n（十四五规划纲要）"]
    assert "十三五" in city["A1"].value and "十四五" in city["A1"].value and "2023年度计划" in city["A1"].value
    assert city.row_dimensions[3].height >= 38  # room for the name and its plans


def test_one_five_year_plan_for_all_keeps_its_name_in_the_title(seeds, tmp_path):
    fyp = seeds.documents[seeds.documents.doc_type == "five_year_plan"]
    out = render_city_summary(tmp_path / "十四五.xlsx", fyp, seeds.indicators[seeds.indicators.doc_id.isin(fyp.doc_id)],
                              catalogue(), units(), styles(), GENERATED_AT)
    assert openpyxl.load_workbook(out)["指标汇总"]["A1"].value == "各区“十四五”规划主要指标汇总表"


def test_a_value_in_mu_under_a_hectare_row_is_converted_with_the_factor_and_noted(city):
    row_unit = city.cell(next(r for r in range(5, city.max_row + 1) if city.cell(r, 2).value == "耕地保有量"), 3).value
    printed, value = _district_cells(city, "道外区", "耕地保有量")
    assert row_unit == "万公顷" and printed.value == "50万亩"  # the printed text is kept as printed
    assert value.data_type == "n" and value.value == pytest.approx(50 / 15, abs=0.005)  # 1 万公顷 = 15 万亩
    assert "原文 50万亩" in value.comment.text and "1 万公顷 = 15 万亩" in value.comment.text
    assert any(n.endswith(value.comment.text) and "道外区“耕地保有量”" in n for n in _notes(city))


def test_a_value_whose_unit_cannot_be_converted_keeps_its_own_unit_and_a_note(city):
    printed, value = _district_cells(city, "平房区", "地区生产总值")  # 十三五: GDP 比2010年翻一番
    assert printed.value == "翻一番" and (value.value, value.data_type) == ("2倍", "s")
    assert "“倍”" in value.comment.text and "“亿元”" in value.comment.text and "无法换算" in value.comment.text
    assert any("平房区“地区生产总值”" in n and "无法换算" in n for n in _notes(city))


def test_no_number_stands_under_a_unit_it_is_not_in(seeds, city):
    """Every 目标值 number is the target in the row's unit or a converted one with its note; a figure in 个百分点
    (物流总费用占GDP比重下降1个百分点) is no longer taken for 地区生产总值."""
    units_of = dict(zip(seeds.indicators.indicator_id, seeds.indicators.unit, strict=True))
    assert "ind-89cac23f59" in units_of and units_of["ind-89cac23f59"] == "个百分点"
    for row in range(5, city.max_row + 1):
        if city.cell(row, 3).value == "亿元":
            texts = [city.cell(row, c).value for c in range(5, city.max_column + 1)]
            assert not any("百分点" in str(t) for t in texts if t), city.cell(row, 2).value
        for col in range(6, city.max_column + 1, 3):
            cell = city.cell(row, col)
            if cell.value is not None and (cell.data_type != "n" or cell.comment):
                assert "原文" in cell.comment.text, cell.coordinate


def test_the_city_total_sums_what_adds_up_and_never_a_rate(city):
    """全市合计 follows the catalogue: amounts summed in the row's unit (converted first), rates, shares and growth
    rates never summed (only a ratio of summed numerator and denominator could stand there)."""
    aggregation = dict(zip(catalogue().name, catalogue().aggregation, strict=True))
    total_col, summed = city.max_column, 0
    for row in range(5, city.max_row + 1):
        name, total = city.cell(row, 2).value, city.cell(row, total_col)
        if name not in aggregation:
            continue  # the notes under the table
        values = [city.cell(row, c).value for c in range(6, total_col, 3)]
        numbers = [v for v in values if isinstance(v, (int, float))]
        if aggregation[name] == "sum" and numbers:
            assert total.value == pytest.approx(sum(numbers), abs=0.01) and "之和" in total.comment.text, name
            summed += 1
        elif aggregation[name] == "none":
            assert total.value == "不加总" and "分区列示" in total.comment.text, name
        elif aggregation[name] == "sum":  # no district's target in the row's unit (平房区's 翻一番)
            assert total.value == "不加总" and "无法换算" in total.comment.text, name
        if city.cell(row, 3).value == "%" and aggregation[name] != "ratio":
            assert total.value == "不加总", name
    assert summed >= 3
