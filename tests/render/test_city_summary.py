"""The city summary, reopened with openpyxl."""
from __future__ import annotations

import openpyxl
import pytest

from pipeline.render.city_summary import render_city_summary
from tests.render import GENERATED_AT, catalogue, documents, formula_cells, indicators, styles


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    out = tmp_path_factory.mktemp("city") / "全市_规划指标汇总.xlsx"
    return render_city_summary(out, documents(), indicators(), catalogue(), styles(), GENERATED_AT)


@pytest.fixture(scope="module")
def ws(path):
    return openpyxl.load_workbook(path)["指标汇总"]


def _rows(ws) -> dict[str, list]:
    return {ws.cell(r, 2).value: [c.value for c in ws[r]] for r in range(5, ws.max_row + 1)}


def test_title_info_line_and_fonts(ws):
    assert ws["A1"].value == "各区“十四五”规划主要指标汇总表" and ws["A1"].font.name == "黑体"
    assert ws["A2"].value.startswith("填报单位：") and "日期：2026年1月1日" in ws["A2"].value
    assert ws["A5"].font.name == "宋体"


def test_two_header_rows_with_districts_merged_over_their_columns(ws):
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:J1", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:G3", "H3:J3"} <= merged
    assert (ws["E3"].value, ws["H3"].value) == ("道里区", "双城区")  # by division code
    assert [ws.cell(4, c).value for c in range(5, 11)] == ["目标（原文）", "目标值", "目标年"] * 2


def test_one_row_per_catalogue_key_in_catalogue_order(ws):
    names = list(_rows(ws))
    assert names == ["地区生产总值增长率", "一般公共预算收入", "规模以上工业增加值增长率", "工业增加值占GDP比重",
                     "城镇居民人均可支配收入增长率", "农村居民人均可支配收入增长率", "城镇新增就业人数",
                     "国家高新技术企业户数"]


def test_targets_per_district_and_count(ws):
    rows = _rows(ws)
    gdp = rows["地区生产总值增长率"]
    assert gdp[2:] == ["%", 2, "6%左右", 6, 2023, "5 以上", 5, 2025]  # 双城区: the table row before the prose one
    assert rows["一般公共预算收入"][3:] == [1, "23.9亿元", 23.9, 2023, None, None, None]
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
    assert ws.auto_filter.ref == "A4:J12"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$4" and "&P" in ws.oddFooter.center.text
    assert not formula_cells(ws)


def test_same_inputs_same_bytes(tmp_path, path):
    again = render_city_summary(tmp_path / "again.xlsx", documents(as_read=True), indicators(as_read=True),
                                catalogue(), styles(), GENERATED_AT)
    assert again.read_bytes() == path.read_bytes()
