"""The style sheet, the workbook factory and the text writer, checked in the files they produce."""
from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest

from pipeline.render.cells import write_text
from pipeline.render.sheet_layout import setup_page
from pipeline.render.styles import StyleSheet, new_workbook
from tests.render import ROOT, styles

LOOKS_LIKE_FORMULA = ["=SUM(A1)", "+86 451 5311 0000", "-新建风力发电机组", "@承旭街道", "=HYPERLINK(\"http://x\")",
                      "http://www.harbin.gov.cn", "2025", "1e5"]


def test_style_sheet_reads_the_house_style():
    sheet = styles()
    assert sheet.fonts.title.name == "黑体" and sheet.fonts.title.bold
    assert (sheet.fonts.header.name, sheet.fonts.body.name, sheet.fonts.note.name) == ("宋体", "宋体", "仿宋")
    assert sheet.created == datetime(2026, 1, 1)
    assert sheet.page.paper == 9 and sheet.page.landscape
    assert sheet.number_formats.year == "0"
    assert sheet.entry_form.progress == ("未开工", "前期工作", "在建", "主体完工", "竣工投产")
    assert sheet.entry_form.attainment == ("已达标", "未达标", "不适用")


def test_style_sheet_is_frozen():
    with pytest.raises(AttributeError):
        styles().style_version = "x"


def test_missing_key_fails_loudly(tmp_path):
    broken = tmp_path / "style.yaml"
    broken.write_text((ROOT / "templates" / "workbook_style.yaml").read_text(encoding="utf-8")
                      .replace("style_version:", "renamed_version:"), encoding="utf-8")
    with pytest.raises(KeyError):
        StyleSheet.load(broken)


@pytest.fixture(scope="module")
def text_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("styles") / "text.xlsx"
    wb, fmts = new_workbook(path, styles())
    ws = wb.add_worksheet("文本")
    for row, value in enumerate(LOOKS_LIKE_FORMULA):
        write_text(ws, row, 0, value, fmts.body)
    write_text(ws, len(LOOKS_LIKE_FORMULA), 0, float("nan"), fmts.body)
    setup_page(ws, styles(), 0)
    wb.close()
    return openpyxl.load_workbook(path)


def test_text_that_looks_like_a_formula_number_or_url_stays_text(text_book):
    ws = text_book["文本"]
    for row, value in enumerate(LOOKS_LIKE_FORMULA, start=1):
        cell = ws.cell(row, 1)
        assert cell.value == value and cell.data_type == "s", cell.coordinate
    assert ws._hyperlinks == []


def test_missing_value_gives_an_empty_cell(text_book):
    assert text_book["文本"].cell(len(LOOKS_LIKE_FORMULA) + 1, 1).value is None


def test_fixed_creation_date_and_body_font(text_book):
    assert text_book.properties.created == datetime(2026, 1, 1)
    assert text_book["文本"]["A1"].font.name == "宋体"


def test_page_setup(text_book):
    ws = text_book["文本"]
    assert ws.page_setup.paperSize == 9
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert ws.print_title_rows == "$1:$1"
    assert (ws.page_margins.left, ws.page_margins.top) == (0.5, 0.7)


def test_display_width_counts_as_unicode_east_asian_width_says_on_seed_text(seeds):
    import unicodedata

    from pipeline.render.text_fit import WIDE_RUNS, display_width

    wide = [chr(c) for c in range(0x110000) if WIDE_RUNS.fullmatch(chr(c))]
    assert len(wide) > 20000 and all(unicodedata.east_asian_width(ch) in "WF" for ch in wide)
    texts = list(seeds.tasks.text) + list(seeds.projects.name) + list(seeds.projects.scale_text)
    assert len(texts) > 300
    for text in texts + ["GDP增长5%（预期性）", "Ⅱ类水体比例·×°"]:
        assert display_width(text) == sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_long_text_is_written_whole_or_cut_with_its_full_text_in_a_comment(tmp_path, seeds, caplog):
    from pipeline.render.sheet_layout import Column
    from pipeline.render.text_fit import fit_row, write_long_text

    # seed 002 第一，聚焦工业兴区…: 1,229 characters; whole in a wide column, too tall for any row in a narrow one
    text = seeds.tasks.set_index("section_id").loc["230108-wr-2020:s2.o1", "text"]
    path = tmp_path / "long.xlsx"
    wb, fmts = new_workbook(path, styles())
    ws = wb.add_worksheet("文本")
    columns = [Column("窄", 30), Column("宽", 200)]
    for col, column in enumerate(columns):
        ws.set_column(col, col, column.width)
        shown = write_long_text(ws, fmts, col, col, text, fmts.body_wrap, column.width)
        fit_row(ws, fmts, col, columns, {col: shown})
    fit_row(ws, fmts, 2, columns, {0: text})  # written without the helper: the row stops at the limit, and says so
    wb.close()
    ws = openpyxl.load_workbook(path)["文本"]
    narrow, wide = ws["A1"], ws["B2"]
    assert narrow.value.endswith("…") and text.startswith(narrow.value[:-1]) and narrow.comment.text == f"全文：{text}"
    assert wide.value == text and wide.comment is None
    assert max(ws.row_dimensions[r].height for r in (1, 2, 3)) <= 409
    assert "最大行高" in caplog.text
