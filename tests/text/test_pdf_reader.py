"""Tests of pipeline.text.pdf_reader: text layer, tables in place and page breaks of a PDF."""
from __future__ import annotations

import re

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from pipeline.text.pdf_reader import lines_from_pdf
from pipeline.text.read import DocumentError, read_document
from tests.text.formats import CJK_FONT, blocks, seed_lines, write_pdf

# Seed 004 lines 301-370: headings, paragraphs and the tab-separated 主要指标表 (23 rows).
SEED = seed_lines("004_", 301, 370)
CJK_SPACE_CJK = r"[\u4e00-\u9fff，。、；：“”（）] [\u4e00-\u9fff，。、；：“”（）]"


def squeeze(lines) -> str:
    """All text of `lines` without any whitespace (PDF line wrapping moves the line ends)."""
    return re.sub(r"\s", "", "".join(lines))


def canvas(path, **kwargs) -> Canvas:
    """A reportlab canvas with the built-in Chinese CID font registered."""
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return Canvas(str(path), **kwargs)


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory):
    """The seed excerpt written as a PDF, with its page count."""
    path = tmp_path_factory.mktemp("pdf") / "双城区十四五规划.pdf"
    return path, write_pdf(SEED, path)


def test_paragraphs_come_back_in_order_without_spurious_spaces(seed_pdf):
    path, _ = seed_pdf
    lines = lines_from_pdf(path.read_bytes())
    text_lines = [line for line in lines if line and "\t" not in line and line != "\f"]
    source = [value[1] if kind == "heading" else value for kind, value in blocks(SEED) if kind != "table"]
    assert squeeze(text_lines) == squeeze(source)
    # The only space between Chinese characters is the one the source has.
    assert [line for line in text_lines if re.search(CJK_SPACE_CJK, line)] == [
        "第二章 构建以食品产业为核心的现代产业新体系"
    ]
    assert text_lines[0] == "四、发展目标"
    assert "城乡居民收入与GDP同步增长。" in text_lines[10]


def test_table_rows_are_recovered_exactly_and_in_place(seed_pdf):
    path, _ = seed_pdf
    lines = lines_from_pdf(path.read_bytes())
    assert [line for line in lines if "\t" in line] == [line for line in SEED if "\t" in line]
    header = lines.index("类别\t指标\t\t2020 年\t2025 年\t年均增长\t属性")
    assert lines[header - 2: header] == ["六、“十四五”时期经济社会发展主要指标表", ""]
    assert lines[header + 1] == "经济发展 (6 个)\t1. 地区生产总值增长率 (%)\t\t0.2\t\t5 以上\t预期性"
    last = lines.index("\t21. 亿元生产总值生产安全事故死亡率下降 (%)\t\t\t\t达到哈市 要求\t约束性")
    assert lines[last + 1: last + 3] == ["", "注：带 [ ] 为累计数据。"]


def test_pages_are_separated_by_a_form_feed_line(seed_pdf):
    path, pages = seed_pdf
    lines = lines_from_pdf(path.read_bytes())
    assert pages == 3
    assert lines.count("\f") == pages - 1
    assert lines[0] != "\f" and lines[-1] != "\f"
    # The table is split over pages 2 and 3: the break falls between two of its rows.
    second = [i for i, line in enumerate(lines) if line == "\f"][1]
    assert lines[second - 2].startswith("\t16. 单位 GDP 二氧化碳排放降低")
    assert lines[second + 2].startswith("\t17. 森林覆盖率")


def test_letter_spaced_title_has_no_spaces_between_characters(tmp_path):
    pdf = canvas(tmp_path / "title.pdf")
    y = 760
    for size, spacing in ((22, 6), (16, 4), (11, 2)):
        text = pdf.beginText(56, y)
        text.setFont(CJK_FONT, size)
        text.setCharSpace(spacing)
        text.textLine("哈尔滨市双城区国民经济和社会发展第十四个五年规划")
        pdf.drawText(text)
        y -= 2 * size
    pdf.save()
    title = "哈尔滨市双城区国民经济和社会发展第十四个五年规划"
    assert lines_from_pdf((tmp_path / "title.pdf").read_bytes()) == [title] * 3


def test_pdf_without_text_layer_gives_no_lines(tmp_path):
    path = tmp_path / "扫描件.pdf"
    pdf = canvas(path)
    pdf.rect(56, 400, 300, 200, fill=1)
    pdf.showPage()
    pdf.rect(56, 400, 300, 200)
    pdf.save()
    assert lines_from_pdf(path.read_bytes()) == []
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert str(caught.value).startswith("扫描件.pdf：")
    assert "没有可读的文字" in str(caught.value)


@pytest.mark.parametrize("user_password", ["secret", ""])
def test_encrypted_pdf_whose_text_cannot_be_read_raises(tmp_path, user_password):
    path = tmp_path / "加密规划.pdf"
    pdf = canvas(path, encrypt=StandardEncryption(user_password, ownerPassword="owner", canCopy=0))
    pdf.setFont(CJK_FONT, 12)
    pdf.drawString(56, 700, "到2025年，地区生产总值年均增长5%以上。")
    pdf.save()
    with pytest.raises(Exception, match="PDF 已加密"):
        lines_from_pdf(path.read_bytes())
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert str(caught.value).startswith("加密规划.pdf：")


def test_garbage_pdf_raises_document_error_naming_the_file(tmp_path):
    path = tmp_path / "损坏.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert str(caught.value).startswith("损坏.pdf：")
    assert "PDF 文件" in str(caught.value)
