# ruff: noqa: E501
# (the CSV rows below keep real names and method texts whole, so they stay long)
"""The 月度监测 workbooks, reopened with openpyxl (and unzipped for the sparklines): what an official would see.

Names, ids, units and lead units are those of 双城区 in outputs/tables/indicators.csv, projects.csv and
responsibilities.csv of `make plan`; the monthly figures are invented, as in the sample returns. One 道里区 row in
each district-level table proves that a district workbook shows only its own district.
"""
from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from pipeline.render.city_monitor import render_city_monitor
from pipeline.render.monitor_workbook import count_line, render_monitor_workbook
from pipeline.render.styles import StyleSheet
from pipeline.statuses import Statuses
from tests.render import GENERATED_AT, HOSTILE_NAME, ROOT, formula_cells, styles

# openpyxl does not read sparklines (it warns and drops them); the sparkline test reads the sheet XML instead
pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension is not supported:UserWarning")

SHEETS = ["指标监测", "重点项目台账", "预警清单", "退回清单", "报送情况"]
CITY_SHEETS = ["各区汇总", "预警汇总"]
HEADER_ROWS = {"指标监测": 3, "重点项目台账": 3, "预警清单": 3, "退回清单": 3, "报送情况": 4}
FROZEN = {"指标监测": "C4", "重点项目台账": "C4", "预警清单": "A4", "退回清单": "A4", "报送情况": "A5"}
TITLES = {"指标监测": "双城区2025年6月主要指标监测表", "重点项目台账": "双城区2025年6月重点项目推进台账",
          "预警清单": "双城区2025年6月预警清单", "退回清单": "双城区2025年6月填报退回清单",
          "报送情况": "双城区2025年6月报送情况"}
SAMPLE = "（样例数据 SAMPLE）"

STATUS = """\
district_code,item_type,item_id,name,unit,lead_unit,attribute,annual_target,target_text,month_value,cumulative_to_date,expected_share,completion,delta,status,method,source_file,cell
230113,indicator,ind-43aef461ba,粮食综合生产能力,亿斤,农业农村局,约束性,43,43,2.15,19.35,0.5,0.45,-0.05,正常,序时进度 6/12=50.0%；完成 45.0%；Δ −5.0 个百分点；来源 230113_农业农村局_SAMPLE.xlsx!F7,230113_农业农村局_SAMPLE.xlsx,F7
230113,indicator,ind-5403ce5fc8,城镇新增就业人数,万人,人社局,约束性,0.8,0.8,0.03,0.2,0.5,0.25,-0.25,预警,序时进度 6/12=50.0%；完成 25.0%；Δ −25.0 个百分点；来源 230113_人社局_SAMPLE.xlsx!F5,230113_人社局_SAMPLE.xlsx,F5
230113,indicator,ind-755d732c4c,国家高新技术企业户数,户,科技局,预期性,30,30 左右,1,5,0.5,0.1666667,-0.3333333,滞后,序时进度 6/12=50.0%；完成 16.7%；Δ −33.3 个百分点；来源 230113_科技局_SAMPLE.xlsx!F5,230113_科技局_SAMPLE.xlsx,F5
230113,indicator,ind-8baad05ac6,耕地保有量,万公顷,自然资源分局,约束性,23.3,23.3,0,23.3,0.5,1.0,0.5,已完成,完成 100.0%，已达年度目标；来源 230113_自然资源分局_SAMPLE.xlsx!F5,230113_自然资源分局_SAMPLE.xlsx,F5
230113,indicator,ind-085b8869f0,单位 GDP 能源消耗降低,%,发改局,约束性,,完成市下达 指标,,,0.5,,,人工研判,目标非数值（完成市下达 指标），采用单位自评：已达标；来源 230113_发改局_SAMPLE.xlsx!I5,230113_发改局_SAMPLE.xlsx,I5
230113,indicator,ind-76c8d49c2b,森林覆盖率,%,自然资源分局,约束性,3,3,,,0.5,,,无数据,本月报送中该指标为空；序时进度 6/12=50.0%,230113_自然资源分局_SAMPLE.xlsx,F6
230113,project,prj-39a299ac90,飞鹤（哈尔滨）乳品有限公司乳制品智能产业园建设项目,亿元,农业农村局,,4,4,0.2,0.6,0.5,0.15,-0.35,滞后,序时进度 6/12=50.0%；完成 15.0%；Δ −35.0 个百分点；来源 230113_农业农村局_SAMPLE.xlsx!F9,230113_农业农村局_SAMPLE.xlsx,F9
230102,indicator,ind-67f90b53dd,地区生产总值,%,发改局,,6,6%左右,0.4,2.3,0.5,0.3833333,-0.1166667,预警,序时进度 6/12=50.0%；完成 38.3%；Δ −11.7 个百分点；来源 230102_发改局_SAMPLE.xlsx!F5,230102_发改局_SAMPLE.xlsx,F5
"""

HISTORY = """\
item_id,period,cumulative_to_date
ind-43aef461ba,2024-12,41.0
ind-43aef461ba,2025-01,2.9
ind-43aef461ba,2025-02,5.8
ind-43aef461ba,2025-03,8.9
ind-43aef461ba,2025-04,12.0
ind-43aef461ba,2025-05,17.2
ind-43aef461ba,2025-06,19.35
ind-5403ce5fc8,2025-01,0.02
ind-5403ce5fc8,2025-02,0.05
ind-5403ce5fc8,2025-03,0.09
ind-5403ce5fc8,2025-04,0.12
ind-5403ce5fc8,2025-05,0.17
ind-5403ce5fc8,2025-06,0.2
ind-755d732c4c,2025-01,0
ind-755d732c4c,2025-02,1
ind-755d732c4c,2025-04,3
ind-755d732c4c,2025-05,4
ind-755d732c4c,2025-06,5
ind-8baad05ac6,2025-06,23.3
"""

PROJECTS = f"""\
project_id,name,column_title,investment_yi,year_plan,year_done,total_done,progress,issues,lead_unit
prj-39a299ac90,飞鹤（哈尔滨）乳品有限公司乳制品智能产业园建设项目,现代产业新体系重点项目储备库,20,4,0.6,6.5,在建,受冬季施工期影响，主体工程进度滞后,农业农村局
prj-120ee668a2,雨润集团哈尔滨肉制品研发生产及生猪养殖项目,现代产业新体系重点项目储备库,30,5,2.4,11.2,在建,,农业农村局
prj-1ab08fdbc6,哈尔滨市畅韵电子商务有限公司韵达黑龙江快递电商物流基地项目,现代产业新体系重点项目储备库,10,,0.8,3.1,前期工作,用地手续办理中,商务局
prj-69dfdc6a0e,哈尔滨瑞风新能源有限公司哈尔滨新天哈电双城 100MW 风电平价上网项目,现代产业新体系重点项目储备库,8.3,3,1.6,1.6,在建,,工信局
prj-hostile,{HOSTILE_NAME},现代产业新体系重点项目储备库,,,,,未开工,-待定,发改局
"""

REJECTIONS = """\
source_file,sheet,cell,unit,item,raw_value,reason
230113_农业农村局_SAMPLE.xlsx,月度填报,F7,农业农村局,玉米种植面积,约12.5,F7：“约12.5”不是数字，请填写数值（单位：万亩）
230113_农业农村局_SAMPLE.xlsx,月度填报,G8,农业农村局,新增生态高标准农田,=SUM(F1:F5),G8：“=SUM(F1:F5)”是公式，请填写数值（单位：万亩）
"""

TIMELINESS = """\
district_code,unit,state,received_at,source_file
230113,农业农村局,已报,2025-07-03T09:15:42,230113_农业农村局_SAMPLE.xlsx
230113,人社局,已报,2025-07-04T16:02:10,230113_人社局_SAMPLE.xlsx
230113,科技局,已报,2025-07-05T10:30:00,230113_科技局_SAMPLE.xlsx
230113,自然资源分局,已报,2025-07-05T11:45:00,230113_自然资源分局_SAMPLE.xlsx
230113,发改局,已报,2025-07-02T08:50:00,230113_发改局_SAMPLE.xlsx
230113,统计局,逾期未报,,
230113,商务局,未报,,
230102,发改局,逾期未报,,
"""

DISTRICTS = """\
district_code,district
230102,道里区
230113,双城区
"""

NUMERIC = ("annual_target", "month_value", "cumulative_to_date", "expected_share", "completion", "delta",
           "investment_yi", "year_plan", "year_done", "total_done")


def _frame(text: str) -> pd.DataFrame:
    """A table as the monitoring stage hands it over: numbers as float or NaN, text '' when empty."""
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    numeric = {c: pd.to_numeric(frame[c].replace("", None), errors="coerce").astype(float)
               for c in NUMERIC if c in frame.columns}
    return frame.assign(**numeric)


def _render(path, sample=False, **overrides):
    frames = {"status": _frame(STATUS), "history": _frame(HISTORY), "projects": _frame(PROJECTS),
              "rejections": _frame(REJECTIONS), "timeliness": _frame(TIMELINESS), **overrides}
    return render_monitor_workbook(path, "230113", "双城区", "2025-06", styles=styles(),
                                   generated_at=GENERATED_AT, sample=sample, **frames)


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    return _render(tmp_path_factory.mktemp("monitor") / "230113_双城区_2025-06_月度监测.xlsx")


@pytest.fixture(scope="module")
def book(path):
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    empty = _frame(REJECTIONS).iloc[0:0]
    return openpyxl.load_workbook(_render(tmp_path_factory.mktemp("sample") / "sample.xlsx", sample=True,
                                          rejections=empty))


@pytest.fixture(scope="module")
def city_path(tmp_path_factory):
    return render_city_monitor(tmp_path_factory.mktemp("city") / "哈尔滨市_2025-06_月度监测汇总.xlsx", "2025-06",
                               _frame(STATUS), _frame(TIMELINESS), _frame(DISTRICTS), styles(), GENERATED_AT,
                               sample=True)


@pytest.fixture(scope="module")
def city_book(city_path):
    return openpyxl.load_workbook(city_path)


def _rows(ws, first: int, cols: str) -> list[list]:
    """The values of columns `cols` ('BL') from row `first` down to the last row."""
    return [[ws[f"{c}{r}"].value for c in cols] for r in range(first, ws.max_row + 1)]


def _rules(ws, col: str) -> list:
    """The conditional-format rules whose range lies in column `col`."""
    return [rule for cf in ws.conditional_formatting for rule in cf.rules
            if all(re.fullmatch(rf"{col}\d+(:{col}\d+)?", str(r)) for r in cf.sqref.ranges)]


def _sheet_xml(path, number: int) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"xl/worksheets/sheet{number}.xml").decode("utf-8")


# ---------------------------------------------------------------- every sheet

def test_sheet_names_and_order(book, city_book):
    assert book.sheetnames == [*SHEETS, "_趋势"]  # the sparklines' monthly values, on a hidden sheet
    assert [book[name].sheet_state for name in book.sheetnames] == ["visible"] * len(SHEETS) + ["hidden"]
    assert city_book.sheetnames == CITY_SHEETS


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_sheet_has_title_info_line_frozen_header_filter_and_print_setup(book, sheet):
    ws, header = book[sheet], HEADER_ROWS[sheet]
    assert ws["A1"].value == TITLES[sheet]
    assert ws["A1"].font.name == "黑体" and ws["A1"].font.b
    assert ws["A2"].value.startswith("填报单位：双城区发展和改革局") and "日期：2026年1月1日" in ws["A2"].value
    assert ws["A2"].font.name == "仿宋"
    assert ws[f"A{header}"].value == "序号" and ws[f"A{header}"].font.name == "宋体" and ws[f"A{header}"].font.b
    assert ws.freeze_panes == FROZEN[sheet]
    assert ws.auto_filter.ref.startswith(f"A{header}:")
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == f"$1:${header}"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text


def test_titles_and_file_title_say_sample_only_for_sample_data(book, sample_book, city_book):
    assert all(SAMPLE not in book[s]["A1"].value for s in SHEETS)
    assert book.properties.title == "双城区2025年6月规划实施月度监测"
    for sheet in SHEETS:
        assert sample_book[sheet]["A1"].value == TITLES[sheet] + SAMPLE
    assert sample_book.properties.title == "双城区2025年6月规划实施月度监测" + SAMPLE
    assert [city_book[s]["A1"].value for s in CITY_SHEETS] == [
        "各区2025年6月规划实施月度监测汇总表" + SAMPLE, "各区2025年6月预警汇总表" + SAMPLE]
    assert city_book.properties.title == "各区2025年6月规划实施月度监测汇总" + SAMPLE


def test_fixed_creation_date(book):
    assert book.properties.created.year == 2026 and book.properties.created.month == 1


def test_no_formula_in_a_district_workbook(book):
    for sheet in SHEETS:
        assert formula_cells(book[sheet]) == [], sheet


# ---------------------------------------------------------------- 指标监测

def test_indicator_sheet_lists_only_the_districts_indicators(book):
    ws = book["指标监测"]
    assert [c.value for c in ws[3]][:13] == ["序号", "指标", "单位", "牵头单位", "属性", "年度目标", "本月完成",
                                             "年初至今累计", "序时进度", "完成进度", "差距(百分点)", "状态", "趋势"]
    assert _rows(ws, 4, "BDL") == [
        ["粮食综合生产能力", "农业农村局", "正常"], ["城镇新增就业人数", "人社局", "预警"],
        ["国家高新技术企业户数", "科技局", "滞后"], ["耕地保有量", "自然资源分局", "已完成"],
        ["单位 GDP 能源消耗降低", "发改局", "人工研判"], ["森林覆盖率", "自然资源分局", "无数据"]]
    assert ws.auto_filter.ref == "A3:M9"


def test_fractions_are_percent_and_delta_is_points(book):
    ws = book["指标监测"]
    assert (ws["I4"].value, ws["J4"].value, ws["K4"].value) == (0.5, 0.45, -5.0)
    for row in range(4, 10):
        assert ws[f"I{row}"].number_format == "0.0%" and ws[f"J{row}"].number_format == "0.0%"
        assert ws[f"K{row}"].number_format == "0.0"
    assert ws["K6"].value == pytest.approx(-33.33333)
    assert ws["J9"].value is None and ws["J9"].number_format == "0.0%"  # 无数据: blank, still formatted


def test_targets_are_numbers_with_printed_text_kept(book):
    ws = book["指标监测"]
    assert ws["F4"].value == 43 and ws["G4"].value == 2.15 and ws["H4"].value == 19.35
    assert ws["F6"].value == 30 and ws["F6"].number_format == '#,##0"左右"'  # prints '30左右', as planned
    assert ws["F4"].number_format == "#,##0"
    assert ws["F8"].value == "完成市下达 指标" and ws["F8"].data_type == "s"


def test_status_column_has_conditional_colours(book):
    rules = _rules(book["指标监测"], "L")
    by_value = {rule.formula[0]: rule for rule in rules}
    assert {rule.type for rule in rules} == {"cellIs"} and {rule.operator for rule in rules} == {"equal"}
    statuses = Statuses.load(ROOT / "templates" / "workbook_style.yaml")  # the colours are the file's, not pinned
    toned = [word for word in statuses.computed if statuses.tone(word)]
    assert set(by_value) == {f'"{word}"' for word in toned} and {"滞后", "预警", "正常"} <= set(toned)
    fills = {value: rule.dxf.fill.bgColor.rgb[-6:].upper() for value, rule in by_value.items()}
    assert fills == {f'"{word}"': statuses.tone(word).fill.lstrip("#").upper()[-6:] for word in toned}
    assert len({fills['"滞后"'], fills['"预警"'], fills['"正常"']}) == 3  # red, amber and green apart
    ranges = {str(cf.sqref) for cf in book["指标监测"].conditional_formatting}
    assert ranges == {"L4:L9"}


def test_every_status_cell_carries_its_method(book):
    ws = book["指标监测"]
    methods = [r["method"] for r in _frame(STATUS).to_dict("records")
               if r["district_code"] == "230113" and r["item_type"] == "indicator"]
    assert [ws[f"L{row}"].comment.text for row in range(4, 10)] == methods
    assert ws["L4"].comment.text == "序时进度 6/12=50.0%；完成 45.0%；Δ −5.0 个百分点；来源 230113_农业农村局_SAMPLE.xlsx!F7"


def test_trend_sparklines_over_a_hidden_sheet_of_monthly_values(path, book):
    data = book["_趋势"]  # not on the printed sheet: LibreOffice prints numbers of hidden columns as ###
    assert book["指标监测"].max_column == 13
    assert [data.cell(3, col).value for col in range(2, 8)] == [f"2025-{m:02d}" for m in range(1, 7)]
    assert data["A4"].value == "粮食综合生产能力" and data["A6"].value == "国家高新技术企业户数"
    assert [data.cell(4, col).value for col in range(2, 8)] == [2.9, 5.8, 8.9, 12.0, 17.2, 19.35]
    assert [data.cell(6, col).value for col in range(2, 8)] == [0, 1, None, 3, 4, 5]  # March not returned
    xml = _sheet_xml(path, 1)
    assert "x14:sparklineGroup" in xml
    sparklines = re.findall(r"<x14:sparkline><xm:f>(.*?)</xm:f><xm:sqref>(.*?)</xm:sqref>", xml)
    assert sorted(sparklines) == [("_趋势!B4:G4", "M4"), ("_趋势!B5:G5", "M5"), ("_趋势!B6:G6", "M6"),
                          ("_趋势!B7:G7", "M7")]  # no history, no sparkline (rows 8, 9)


# ---------------------------------------------------------------- 重点项目台账

def test_project_ledger(book):
    ws = book["重点项目台账"]
    assert [c.value for c in ws[3]] == ["序号", "项目名称", "所属专栏", "计划总投资(亿元)", "本年计划", "本年完成",
                                        "累计完成", "形象进度", "存在问题", "牵头单位"]
    assert _rows(ws, 4, "DEFGH")[0] == [20, 4, 0.6, 6.5, "在建"]
    for row in range(4, 9):
        assert all(ws[f"{c}{row}"].number_format == "#,##0.00" for c in "DEFG")
    assert ws["E6"].value is None  # 本年计划 not given
    assert ws["A1"].value == "双城区2025年6月重点项目推进台账" and "单位：亿元" in ws["A2"].value


def test_a_name_that_looks_like_a_formula_stays_text(book):
    ws = book["重点项目台账"]
    assert ws["B8"].value == HOSTILE_NAME and ws["B8"].data_type == "s"
    assert ws["I8"].value == "-待定" and ws["I8"].data_type == "s"


# ---------------------------------------------------------------- 预警清单

def test_alert_list_has_every_late_or_warned_item_worst_first(book):
    ws = book["预警清单"]
    assert [c.value for c in ws[3]] == ["序号", "类型", "名称", "牵头单位", "状态", "完成进度", "序时进度",
                                        "差距(百分点)", "计算方法"]
    assert _rows(ws, 4, "BCDE") == [
        ["指标", "国家高新技术企业户数", "科技局", "滞后"],
        ["项目", "飞鹤（哈尔滨）乳品有限公司乳制品智能产业园建设项目", "农业农村局", "滞后"],
        ["指标", "城镇新增就业人数", "人社局", "预警"]]
    assert ws["F5"].value == 0.15 and ws["F5"].number_format == "0.0%" and ws["G5"].number_format == "0.0%"
    assert ws["H5"].value == -35.0 and ws["H5"].number_format == "0.0"
    assert ws["I5"].value.startswith("序时进度 6/12=50.0%；完成 15.0%") and ws["E5"].comment.text == ws["I5"].value
    assert {str(cf.sqref) for cf in ws.conditional_formatting} == {"E4:E6"}


# ---------------------------------------------------------------- 退回清单

def test_rejection_list_equals_the_rejected_cells(book):
    ws = book["退回清单"]
    assert [c.value for c in ws[3]] == ["序号", "报送单位", "文件", "工作表", "单元格", "项目/指标", "填报内容",
                                        "退回原因"]
    expected = [[r["unit"], r["source_file"], r["sheet"], r["cell"], r["item"], r["raw_value"], r["reason"]]
                for r in _frame(REJECTIONS).to_dict("records")]
    assert _rows(ws, 4, "BCDEFGH") == expected
    assert [(ws[f"E{r}"].value, ws[f"H{r}"].value) for r in (4, 5)] == [
        ("F7", "F7：“约12.5”不是数字，请填写数值（单位：万亩）"), ("G8", "G8：“=SUM(F1:F5)”是公式，请填写数值（单位：万亩）")]
    assert ws["G5"].value == "=SUM(F1:F5)" and ws["G5"].data_type == "s"


def test_no_rejections_says_so(sample_book):
    ws = sample_book["退回清单"]
    assert ws["A4"].value == "本月无退回" and ws.max_row == 4


# ---------------------------------------------------------------- 报送情况

def test_timeliness_count_line_and_units(book):
    ws = book["报送情况"]
    assert ws["A3"].value == "应报 7 个单位，已报 5 个，逾期未报 1 个，未报 1 个"
    assert [c.value for c in ws[4]] == ["序号", "报送单位", "报送状态", "报送时间", "文件"]
    assert _rows(ws, 5, "BCD")[0] == ["农业农村局", "已报", "2025-07-03 09:15"]
    assert _rows(ws, 10, "BCDE") == [["统计局", "逾期未报", None, None], ["商务局", "未报", None, None]]
    assert {rule.formula[0] for rule in _rules(ws, "C")} == {'"已报"', '"逾期未报"', '"未报"'}


def test_count_line_of_no_units():
    assert count_line(pd.DataFrame(columns=["state"])) == "应报 0 个单位，已报 0 个，逾期未报 0 个，未报 0 个"


# ---------------------------------------------------------------- city summary

def test_city_summary_counts_per_district(city_book):
    ws = city_book["各区汇总"]
    assert ws["C3"].value == "指标状态（个）" and ws["J3"].value == "报送情况（个）"
    assert [c.value for c in ws[4]][2:] == ["已完成", "超前", "正常", "预警", "滞后", "无数据", "人工研判", "应报",
                                            "已报", "逾期未报", "未报"]
    assert _rows(ws, 5, "BCDEFGHIJKLM")[:2] == [["道里区", 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0],
                                                ["双城区", 1, 0, 1, 1, 1, 1, 1, 7, 5, 1, 1]]
    assert ws["A7"].value == "合计" and ws["F7"].value == "=SUM(F5:F6)"
    assert ws.freeze_panes == "C5" and ws.auto_filter.ref == "A4:M6" and ws.print_title_rows == "$1:$4"
    assert {str(cf.sqref) for cf in ws.conditional_formatting} == {"F5:F6", "G5:G6", "L5:L6"}


def test_city_alert_list_names_district_and_unit(city_book):
    ws = city_book["预警汇总"]
    assert [c.value for c in ws[3]][:6] == ["序号", "区", "类型", "名称", "牵头单位", "状态"]
    assert _rows(ws, 4, "BDEF") == [["道里区", "地区生产总值", "发改局", "预警"],
                                    ["双城区", "国家高新技术企业户数", "科技局", "滞后"],
                                    ["双城区", "飞鹤（哈尔滨）乳品有限公司乳制品智能产业园建设项目", "农业农村局", "滞后"],
                                    ["双城区", "城镇新增就业人数", "人社局", "预警"]]
    assert ws["G4"].number_format == "0.0%" and ws["I4"].value == pytest.approx(-11.66667)
    assert ws.page_setup.paperSize == 9 and ws.print_title_rows == "$1:$3" and ws.freeze_panes == "A4"


# ---------------------------------------------------------------- style and arguments

@pytest.mark.parametrize("line", ["滞后: {tone: red", "逾期未报: red"])
def test_a_tone_the_style_sheet_does_not_declare_fails_loudly(tmp_path, line):
    text = (ROOT / "templates" / "workbook_style.yaml").read_text(encoding="utf-8")
    assert line in text
    (tmp_path / "style.yaml").write_text(text.replace(line, line.replace("red", "purple")), encoding="utf-8")
    with pytest.raises(ValueError, match="purple"):
        StyleSheet.load(tmp_path / "style.yaml")


def test_bad_period_is_refused(tmp_path):
    with pytest.raises(ValueError, match="YYYY-MM"):
        render_monitor_workbook(tmp_path / "x.xlsx", "230113", "双城区", "2025-6", _frame(STATUS), _frame(HISTORY),
                                _frame(PROJECTS), _frame(REJECTIONS), _frame(TIMELINESS), styles(), GENERATED_AT)
