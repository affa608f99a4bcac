"""The 规划任务分解 workbook, reopened with openpyxl: what an official would see on screen and on paper."""
from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

from pipeline.render.plan_workbook import render_plan_workbook
from tests.render import GENERATED_AT, HOSTILE_NAME, formula_cells, styles, tables

SHEETS = ["主要指标", "重点项目", "重点任务", "缺口与疑点", "说明"]
OWN_FORMULA = re.compile(r"=SUM\(E\d+(:E\d+|(,E\d+)*)\)")


def _render(out_dir, **overrides):
    frames = {**tables(), **overrides}
    return render_plan_workbook(out_dir, "230113", "双城区", styles=styles(), generated_at=GENERATED_AT, **frames)


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    return _render(tmp_path_factory.mktemp("plan"))


@pytest.fixture(scope="module")
def book(path):
    return openpyxl.load_workbook(path)


def _merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def _row(ws, row: int) -> list:
    return [c.value for c in ws[row]]


def test_file_name_and_sheets(path, book):
    assert path.name == "230113_双城区_规划任务分解.xlsx"
    assert book.sheetnames == SHEETS


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_sheet_has_title_info_line_frozen_header_and_print_setup(book, sheet):
    ws = book[sheet]
    assert ws["A1"].font.name == "黑体" and ws["A1"].font.b
    assert ws["A2"].value.startswith("填报单位：双城区发展和改革局") and "日期：2026年1月1日" in ws["A2"].value
    assert ws["A2"].font.name == "仿宋"
    assert ws["A3"].font.name == "宋体" and ws["A3"].font.b
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref.startswith("A3:")
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$3"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage


def test_indicator_sheet_layout(book):
    ws = book["主要指标"]
    assert ws["A1"].value == "双城区“十四五”规划主要指标分解表"
    assert "A1:M1" in _merged(ws)
    assert _row(ws, 3) == ["类别", "序号", "指标", "单位", "基期年", "基期值", "目标年", "目标值", "年均增长(%)",
                           "属性", "牵头单位", "配合单位", "来源"]
    assert ws.auto_filter.ref == "A3:M13"


def test_category_cells_merged_over_their_rows(book):
    ws = book["主要指标"]
    assert {"A4:A6", "A7:A8", "A9:A11", "A12:A13"} <= _merged(ws)
    assert [ws[c].value for c in ("A4", "A7", "A9", "A12")] == ["经济发展", "创新驱动", "民生福祉", "文中目标"]
    assert [ws.cell(r, 2).value for r in range(4, 14)] == ["1", "2", "3", "7", "8", "9", "9", "10", "1", "2"]


def test_numbers_are_numbers_printed_as_the_plan_prints_them(book):
    ws = book["主要指标"]
    assert ws["E4"].value == 2020 and ws["E4"].number_format == "0"
    assert ws["F4"].value == 0.2 and ws["F4"].number_format == "#,##0.0"
    assert ws["F11"].value == 0.27 and ws["F11"].number_format == "#,##0.00"
    # '5 以上', '30 左右', '[150]': the value stays a number, the format prints the qualifier and the mark
    assert ws["H4"].value == 5 and ws["H4"].number_format == '#,##0"以上"' and ws["H4"].data_type == "n"
    assert ws["H7"].value == 30 and ws["H7"].number_format == '#,##0"左右"'
    assert ws["H8"].value == 150 and ws["H8"].number_format == '"["#,##0"]"'
    assert all(ws[c].comment is None for c in ("H4", "H7", "H8"))  # nothing printed is left to a comment
    assert ws["H11"].value == 0.8 and ws["H11"].number_format == "#,##0.0"  # printed '0.8' says nothing more
    assert ws["I4"].value == 5 and ws["I4"].number_format == '#,##0"以上"'  # 年均增长 '5 以上'
    assert ws["H13"].value == 35 and ws["H13"].number_format == "#,##0"  # '35平方公里': the unit has its column


def test_text_targets_shown_as_printed(book):
    ws = book["主要指标"]
    assert ws["C9"].value == "人均可支配收入增长率（城镇）"
    assert ws["H9"].value == "与同期 GDP 增速 基本同步" and ws["H9"].data_type == "s"
    assert ws["H10"].value is None  # the empty cell of the source table stays empty


def test_units_and_sources(book):
    ws = book["主要指标"]
    assert ws["K4"].value == "区统计局" and ws["L4"].value == "区发展和改革局、区财政局"
    assert ws["M4"].value == "双城区十四五规划纲要 第344行"
    assert ws["K10"].value == "未分配"
    assert ws["C4"].font.name == "宋体"


def test_project_groups_subtotals_and_total(book):
    ws = book["重点项目"]
    assert ws["A1"].value == "双城区“十四五”规划重点项目分解表"
    assert {"A4:I4", "A9:D9", "A10:I10", "A13:D13", "A14:I14", "A16:D16", "A17:D17"} <= _merged(ws)
    assert ws["A4"].value == "专栏-3 现代产业新体系重点项目储备库"
    assert ws["A10"].value == "专栏-6 双城食用菌基地建设计划"
    assert ws["A14"].value == "文中项目"
    assert ws["B5"].value == "飞鹤（哈尔滨）乳品有限公司乳制品智能产业园建设项目"
    assert ws["B11"].value == "承旭街道汉阳食用菌加工基地"
    assert ws["E5"].value == 20 and ws["E5"].number_format == "#,##0.00"
    assert ws["A9"].value == "小计" and ws["E9"].value == "=SUM(E5:E8)"
    assert ws["E13"].value == "—"  # no investment stated in 专栏-6
    assert ws["A17"].value == "合计" and ws["E17"].value == "=SUM(E9)"
    assert ws["G12"].value == "未分配" and ws["G15"].value == "未分配"


def test_data_that_looks_like_a_formula_is_stored_as_text(book):
    ws = book["重点项目"]
    hostile = {c.coordinate: c for row in ws.iter_rows() for c in row if c.value == HOSTILE_NAME}
    assert list(hostile) == ["B8"] and hostile["B8"].data_type == "s"
    assert (ws["C8"].value, ws["D8"].value, ws["F8"].value) == ("+86 451 5311 0000", "@承旭街道", "-新建风力发电机组")
    assert ws["E8"].value == "约8.3亿元" and ws["E8"].data_type == "s"


def test_only_our_own_subtotal_formulas(book):
    for ws in book:
        for cell in formula_cells(ws):
            assert ws.title == "重点项目" and cell.column_letter == "E", cell.coordinate
            assert ws.cell(cell.row, 1).value in ("小计", "合计") and OWN_FORMULA.fullmatch(cell.value)


def test_tasks(book):
    ws = book["重点任务"]
    assert _row(ws, 3) == ["序号", "任务", "牵头单位", "配合单位", "完成时限", "区域", "来源"]
    assert ws["B4"].value.startswith("推进食品产业龙头企业转型升级：打造农业和农产品精深加工千亿级产业集群")
    assert (ws["C4"].value, ws["D4"].value, ws["E4"].value, ws["F4"].value) == (
        "区工业和信息化局", "区商务局", "2025年", "双城经济开发区")
    assert ws["C5"].value == "未分配"
    assert ws["G4"].value == "双城区十四五规划纲要 第382行"


def test_findings_and_unassigned_items(book):
    ws = book["缺口与疑点"]
    rows = [_row(ws, r)[1:] for r in range(4, ws.max_row + 1)]
    kinds = [r[0] for r in rows]
    assert kinds == ["空单元格", "空单元格", "表注", "数量不符", "新地名", "未分配", "未分配", "未分配", "未分配"]
    assert rows[1][1] == "双城区十四五规划纲要 第353行" and rows[1][2] == "农村 预期性"
    unassigned = {r[2] for r in rows if r[0] == "未分配"}
    # 翠韵 once: the finding already names it
    assert unassigned == {"永治街道翠韵合作社科技示范基地", "人均可支配收入增长率（农村）",
                          "雨润农副产品全球采购中心项目", "狠抓食品产业项目建设：-精心谋划、不断充实项目储备库"}
    assert "道里区" not in "".join(str(r) for r in rows)


def test_about_sheet(book):
    ws = book["说明"]
    assert _row(ws, 3) == ["序号", "文件标题", "类型", "源文件", "SHA-256", "发布日期", "规划期"]
    assert _row(ws, 4)[1:] == [
        "哈尔滨市双城区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", "五年规划纲要",
        "004_f77e359f427d9ef6.txt", "8a6b1021b0db508090325f14ee9def3bb224a2d8e65e416493a2d6e5ad31c6fb", "2021-06",
        "2021—2025"]
    texts = [ws.cell(r, 1).value for r in range(6, ws.max_row + 1)]
    assert "生成时间：2026-01-01 09:00" in texts and f"样式版本：{styles().style_version}" in texts
    assert "填报表模板版本：PCP-FORM-2026.1" in texts and "阅读说明：" in texts


def test_same_inputs_same_bytes(tmp_path, path):
    assert _render(tmp_path).read_bytes() == path.read_bytes()


def test_text_typed_frames_give_the_same_file(tmp_path, path):
    again = render_plan_workbook(tmp_path, 230113, "双城区", styles=styles(), generated_at=GENERATED_AT,
                                 **tables(as_read=True))
    assert again.read_bytes() == path.read_bytes()


def test_district_without_projects_or_tasks(tmp_path):
    frames = tables()
    empty = {name: frames[name].iloc[0:0] for name in ("projects", "tasks", "responsibilities", "findings")}
    book = openpyxl.load_workbook(_render(tmp_path, **empty))
    assert book["重点项目"]["A4"].value == "暂无重点项目"
    assert book["重点任务"]["A4"].value == "暂无重点任务"
    assert book["主要指标"]["K4"].value == "未分配"
    assert all(not formula_cells(ws) for ws in book)


def test_district_with_no_table_has_prose_targets_only(tmp_path):
    frames = tables()
    book = openpyxl.load_workbook(render_plan_workbook(
        tmp_path, "230102", "道里区", styles=styles(), generated_at=GENERATED_AT, **frames))
    ws = book["主要指标"]
    assert ws["A1"].value == "道里区“十四五”规划主要指标分解表"
    assert ws["A4"].value == "文中目标" and "A4:A6" in _merged(ws)
    assert ws["M4"].value == "道里区2023年度计划 第7行"
    assert book["重点项目"]["B5"].value == "昆仑路学校"


def test_no_responsibilities_yet_means_every_item_unassigned(tmp_path):
    bare = pd.DataFrame(columns=["item_type", "item_id", "district_code", "lead_unit", "co_units", "area", "rule_id"])
    book = openpyxl.load_workbook(_render(tmp_path, responsibilities=bare))
    assert book["主要指标"]["K4"].value == "未分配"


def test_an_investment_keeps_its_printed_text_beside_the_number(book):
    ws = book["重点项目"]
    cell = next(r[4] for r in ws.iter_rows() if r[1].value == "飞鹤（哈尔滨）乳品有限公司乳制品智能产业园建设项目")
    assert (cell.value, cell.number_format) == (20, "#,##0.00")
    assert cell.comment is not None and cell.comment.text == "原文：计划总投资 20 亿元"  # as 004 prints it


def test_a_task_too_long_for_a_row_is_cut_with_an_ellipsis_and_kept_whole_in_a_comment(tmp_path, seeds):
    # seed 004 六、应对人口问题，建设养老服务体系: seven paragraphs, more than the tallest row (409 points) holds
    long = seeds.tasks[seeds.tasks.section_id == "230113-fyp-2021:c8.s6"]
    ws = openpyxl.load_workbook(_render(tmp_path, tasks=pd.concat([tables()["tasks"], long])))["重点任务"]
    by_source = {ws.cell(r, 7).value: ws.cell(r, 2) for r in range(4, ws.max_row + 1)}
    cut = by_source[f"双城区十四五规划纲要 第{long.line.iloc[0]}行"]
    full = long.text.iloc[0]
    assert cut.value.endswith("…") and full.startswith(cut.value[:-1]) and len(cut.value) < len(full)
    assert cut.comment.text == f"全文：{full}"
    assert cut.alignment.wrap_text and ws.row_dimensions[cut.row].height <= 409
    whole = by_source["双城区十四五规划纲要 第382行"]
    assert whole.comment is None and not whole.value.endswith("…")


def test_a_target_without_a_name_is_a_gap_not_a_row(plan_outputs, tmp_path):
    """004 states '增加到110.9万千瓦' without naming what (line 520), and '集约高效利用7平方公里' names only verbs: no
    such row in 主要指标 or any form; 缺口与疑点 lists each with its quote, line and reason."""
    from pipeline.render.entry_forms import build_entry_forms
    from pipeline.tables import read_csv_text
    from pipeline.units import Units
    from tests.conftest import CONFIG

    real = {name: read_csv_text(plan_outputs / "tables" / f"{name}.csv") for name in
            ("documents", "indicators", "projects", "tasks", "responsibilities", "findings")}
    ind = real["indicators"]
    nameless = ind[(ind.district_code == "230113") & ((ind.name == "") | (ind.name_issue != ""))]
    assert {"增加到110.9万千瓦", "集约高效利用7平方公里"} <= set(nameless.quote)
    path = render_plan_workbook(tmp_path, "230113", "双城区", styles=styles(), generated_at=GENERATED_AT, **real)
    book = openpyxl.load_workbook(path)
    gaps = [[cell.value for cell in row] for row in book["缺口与疑点"].iter_rows()]
    listed = [row for row in gaps if "未写明指标名称" in row]
    assert len(listed) == len(nameless) and any("增加到110.9万千瓦" in str(row) and "第520行" in str(row)
                                                for row in listed)
    assert any("集约高效利用7平方公里" in str(row) and "名称只有动词、虚词、泛称或数字（“集约高效利用”）" in str(row)
               for row in listed)
    units = [row[3].value for row in book["主要指标"].iter_rows(min_row=5) if row[2].value in (None, "")]
    assert "万千瓦" not in units
    assert not {row[2].value for row in book["主要指标"].iter_rows(min_row=5)} & set(nameless.name)
    forms = build_entry_forms(tmp_path / "forms", "2025-06", "230113", "双城区", real["indicators"],
                              real["projects"], real["responsibilities"], styles(), "PCP-FORM-2026.1",
                              units=Units.load(CONFIG / "units.yaml"))
    rows = [row for form in forms for row in openpyxl.load_workbook(form).worksheets[0].iter_rows(min_row=5)
            if row[1].value == "指标"]
    assert len(rows) > 100 and all(row[2].value for row in rows)
    assert "万千瓦" not in {row[3].value for row in rows if "110.9" in str(row[4].value)}


def test_the_issuing_office_comes_from_the_style_file(tmp_path):
    """Every sheet's 填报单位 line names the office as templates/workbook_style.yaml (office) spells it."""
    import dataclasses

    from pipeline.render.styles import OfficeNames

    house = dataclasses.replace(styles(), office=OfficeNames("{district}发展改革和科技局", "各区发改科技局（汇总）"))
    path = render_plan_workbook(tmp_path, "230113", "双城区", styles=house, generated_at=GENERATED_AT, **tables())
    book = openpyxl.load_workbook(path)
    assert {ws["A2"].value.split("    ")[0] for ws in book.worksheets if ws.sheet_state == "visible"
            and ws["A2"].value and ws["A2"].value.startswith("填报单位")} == {"填报单位：双城区发展改革和科技局"}


def test_every_document_type_the_rules_can_give_is_named_in_the_style_file():
    """A type inputs/config/doc_types.yaml can give has its label and short name in templates/workbook_style.yaml."""
    from pipeline.plan.documents import DocTypeRules
    from tests.render import ROOT

    rules = DocTypeRules.load(ROOT / "inputs" / "config" / "doc_types.yaml")
    assert {doc_type for doc_type, _ in rules.types} - set(styles().doc_types) == set()


def test_document_type_names_come_from_the_style_file(tmp_path):
    """The 说明 sheet's 类型, the 来源 cells and the city comparison's headers name a document as a copy of
    templates/workbook_style.yaml (doc_types) says."""
    from pipeline.render.city_summary import render_city_summary
    from pipeline.render.styles import StyleSheet
    from pipeline.units import Units
    from tests.render import ROOT, catalogue, documents, indicators

    text = (ROOT / "templates" / "workbook_style.yaml").read_text(encoding="utf-8")
    line = re.search(r"^  five_year_plan: .*$", text, re.M).group()
    renamed = '  five_year_plan: {label: 纲要甲, source: "{district}《{plan}》纲要乙"}'
    (tmp_path / "style.yaml").write_text(text.replace(line, renamed), encoding="utf-8")
    house = StyleSheet.load(tmp_path / "style.yaml")
    book = openpyxl.load_workbook(render_plan_workbook(tmp_path, "230113", "双城区", styles=house,
                                                       generated_at=GENERATED_AT, **tables()))
    assert [row[2].value for row in book["说明"].iter_rows(min_row=4, max_row=4)] == ["纲要甲"]
    sources = {row[12].value for row in book["主要指标"].iter_rows(min_row=4) if row[12].value}
    assert sources and all(s.startswith("双城区《十四五》纲要乙 第") for s in sources)
    units = Units.load(ROOT / "inputs" / "config" / "units.yaml")
    city = openpyxl.load_workbook(render_city_summary(tmp_path / "city.xlsx", documents(), indicators(), catalogue(),
                                                      units, house, GENERATED_AT))["指标汇总"]
    assert any("《十四五》纲要乙" in str(cell.value) for cell in city[3])
