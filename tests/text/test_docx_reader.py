"""Tests of pipeline.text.docx_reader: paragraphs and tables of a .docx in document order."""
from __future__ import annotations

import pytest
from docx import Document

from pipeline.text.docx_reader import lines_from_docx
from pipeline.text.read import DocumentError, read_document
from tests.text.formats import reader_lines, seed_lines, write_docx

# Seed 004 lines 301-370: 四、发展目标 … 六、主要指标表 (the tab-separated table) … 注 … 第二章.
SEED = seed_lines("004_", 301, 370)
GDP_ROW = "经济发展 (6 个)\t1. 地区生产总值增长率 (%)\t\t0.2\t\t5 以上\t预期性"
HEADER_ROW = "类别\t指标\t\t2020 年\t2025 年\t年均增长\t属性"


@pytest.fixture()
def seed_docx(tmp_path):
    """The seed excerpt written as a .docx."""
    return write_docx(SEED, tmp_path / "双城区十四五规划.docx")


def test_round_trip_gives_paragraphs_and_table_rows_in_order(seed_docx):
    lines = lines_from_docx(seed_docx.read_bytes())
    assert lines == reader_lines(SEED)
    assert lines[0] == "四、发展目标"
    assert lines[1].startswith("“十四五”时期，全面融入新发展格局")
    table_start = lines.index(HEADER_ROW)
    assert lines[table_start - 2: table_start] == ["六、“十四五”时期经济社会发展主要指标表", ""]
    assert lines[table_start + 1] == GDP_ROW
    assert lines[table_start + 10] == "\t\t农村\t\t\t\t预期性"
    assert lines[table_start + 22: table_start + 25] == [
        "\t21. 亿元生产总值生产安全事故死亡率下降 (%)\t\t\t\t达到哈市 要求\t约束性",
        "",
        "注：带 [ ] 为累计数据。",
    ]
    assert lines[-1] == "第二章 构建以食品产业为核心的现代产业新体系"


def test_every_source_table_row_survives_with_empty_cells(seed_docx):
    rows = [line for line in SEED if "\t" in line]
    assert len(rows) == 23  # header row + 21 indicators (row 9 spans two lines: 城镇, 农村)
    lines = lines_from_docx(seed_docx.read_bytes())
    assert [line for line in lines if "\t" in line] == rows
    assert all(line.count("\t") == 6 for line in rows)


def test_headers_and_footers_are_not_body_text(seed_docx):
    text = "\n".join(lines_from_docx(seed_docx.read_bytes()))
    assert "页眉" not in text
    assert "— 1 —" not in text


def test_merged_cells_appear_once_and_vertical_continuations_are_empty(tmp_path):
    doc = Document()
    doc.add_paragraph("主要指标")
    table = doc.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "民生福祉 (6 个)"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "9. 人均可支配收入增长率 (%)"
    table.cell(0, 3).text = "预期性"
    for col, text in ((1, "城镇"), (2, "农村"), (3, "预期性")):
        table.cell(1, col).text = text
    for col, text in enumerate(("安全保障 (3 个)", "19. 耕地保有量 (万公顷)", "23.3", "约束性")):
        table.cell(2, col).text = text
    doc.add_paragraph("注：带 [ ] 为累计数据。")
    path = tmp_path / "merged.docx"
    doc.save(str(path))
    assert lines_from_docx(path.read_bytes()) == [
        "主要指标",
        "",
        "民生福祉 (6 个)\t9. 人均可支配收入增长率 (%)\t预期性",
        "\t城镇\t农村\t预期性",
        "安全保障 (3 个)\t19. 耕地保有量 (万公顷)\t23.3\t约束性",
        "",
        "注：带 [ ] 为累计数据。",
    ]


def test_inner_spaces_kept_line_breaks_split_and_cell_paragraphs_joined(tmp_path):
    doc = Document()
    doc.add_paragraph("欢迎浏览道里区人民政府网站 | 关怀版 | 无障碍浏览 简体  繁体")
    paragraph = doc.add_paragraph("（一）坚持项目拉动，")
    paragraph.add_run("在壮大经济实力上开新局").bold = True
    paragraph.add_run().add_break()
    paragraph.add_run("全力上项目、打基础、补短板。")
    table = doc.add_table(rows=1, cols=2)
    cell = table.cell(0, 1)
    cell.text = "与同期 GDP 增速"
    cell.add_paragraph("基本同步")
    table.cell(0, 0).text = "9. 人均可支配收入增长率 (%)"
    path = tmp_path / "inline.docx"
    doc.save(str(path))
    assert lines_from_docx(path.read_bytes()) == [
        "欢迎浏览道里区人民政府网站 | 关怀版 | 无障碍浏览 简体  繁体",
        "（一）坚持项目拉动，在壮大经济实力上开新局",
        "全力上项目、打基础、补短板。",
        "",
        "9. 人均可支配收入增长率 (%)\t与同期 GDP 增速 基本同步",
        "",
    ]


def test_read_document_reads_docx(seed_docx):
    document = read_document(seed_docx)
    assert document.format == "docx"
    assert document.lines == tuple(reader_lines(SEED))


def test_truncated_docx_raises_document_error_naming_the_file(seed_docx, tmp_path):
    broken = tmp_path / "截断的规划.docx"
    data = seed_docx.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(DocumentError) as caught:
        read_document(broken)
    assert str(caught.value).startswith("截断的规划.docx：")
    assert "Word 文档" in str(caught.value)
