"""How the Word report templates annual.docx, midterm.docx and final.docx were made (python-docx).

The .docx files beside this script are the editable templates: open them in Word or WPS, change wording,
fonts or layout, and save. This script documents how they were built; running it again overwrites any edit
made in Word. The sentences and table cells are those of _shared.j2 (the macros of the HTML and Markdown
reports, written out: a Word template cannot import them) and the blocks of <kind>.md.j2, so after changing
a sentence there, running this script gives the Word templates the same words. Run from the repository root:

    .venv/bin/python templates/reports/make_docx_templates.py

House style: A4 portrait, GB/T 9704 margins; title and headings in 黑体, body 仿宋 12pt (仿宋 rather than
仿宋_GB2312, which newer Windows lacks; templates/fontconfig-cjk.conf maps both 仿宋 and 黑体 to Noto CJK on
Linux); bordered tables in 10.5pt with a header row repeated on every page. The jinja2/docxtpl tags follow
templates/README.md: `{{ }}` in a run, `{%p %}` for a paragraph that only holds a tag, `{%tr %}` for a table
row that only holds a tag, `{% cellbg %}` for a cell's background. Each tag is written in one run, so Word
keeps it whole; when editing, type a tag in one go (Word may split a tag it autocorrects).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
HEADING_FONT, BODY_FONT = "黑体", "仿宋"
HEADER_FILL = "D9E1F2"  # header_fill of templates/workbook_style.yaml
CELL_MARGIN_TWIPS = 57  # 0.1 cm left and right in table cells (Word's default 0.19 cm leaves figures no room)
ZERO_WIDTH_SPACE = "\u200b"  # a line may break here: after each '=' of a formula, never inside its numbers
SAMPLE = "{% if sample %}（含样例数据 SAMPLE）{% endif %}"
KIND_NAMES = ("annual", "midterm", "final")
BLOCKS = ("report_name", "period", "next_steps", "adjust_lead", "no_adjust")
MACRO = re.compile(r"\{% macro (\w+)\(([^)]*)\) -%\}\n(.*?)\n\{%- endmacro %\}", re.S)
CALL = re.compile(r"\{\{ (?:say\.)?(\w+)\(([^)]*)\) \}\}")


def shared_macros(path: Path = HERE / "_shared.j2") -> dict[str, tuple[list[str], str]]:
    """The sentence and cell macros of _shared.j2 (the HTML and Markdown reports use them): name → (parameters,
    body). Word templates cannot import macros, so the .docx files get the same text written out."""
    text = path.read_text(encoding="utf-8")
    return {name: ([p.strip() for p in params.split(",") if p.strip()], body)
            for name, params, body in MACRO.findall(text)}


def say(macros: dict[str, tuple[list[str], str]], name: str, *args: str) -> str:
    """Macro `name` of _shared.j2 written out for a Word template: its parameters replaced by `args` (the loop
    variables of the Word tables) and the macros it calls written out in turn.

    >>> macros = {"a": (["x"], "{{ x.name }}{{ b() }}"), "b": ([], "！")}
    >>> say(macros, "a", "i")
    '{{ i.name }}！'
    """
    params, body = macros[name]
    for param, arg in zip(params, args, strict=True):
        body = re.sub(rf"\b{param}\b", arg, body)
    return CALL.sub(lambda m: say(macros, m.group(1), *[a.strip() for a in m.group(2).split(",") if a.strip()]),
                    body)


def kind_words(kind: str, macros: dict[str, tuple[list[str], str]]) -> dict[str, str]:
    """What differs between the kinds: the blocks of <kind>.md.j2 (the same words as <kind>.html.j2)."""
    text = (HERE / f"{kind}.md.j2").read_text(encoding="utf-8")
    words = {}
    for block in BLOCKS:
        found = re.search(rf"\{{% block {block} %\}}(.*?)\{{% endblock %\}}", text, re.S)
        words[block] = CALL.sub(lambda m: say(macros, m.group(1)), found.group(1))
    return words


def build_template(kind: str) -> Document:
    """The Word template of one kind of evaluation report, in the words of _shared.j2 and <kind>.md.j2."""
    macros = shared_macros()
    words = kind_words(kind, macros)
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _chinese_language(doc)
    _header_footer(doc, words)
    _properties(doc)

    # Title block
    _para(doc, words["report_name"] + SAMPLE, "报告标题")
    _para(doc, "（《{{ plan.title }}》，{{ plan.period_start }}—{{ plan.period_end }}年）", "报告副标题")
    _para(doc, "{{ district.name }}（{{ district.code }}）　评估年度：{{ year }}年　编制日期：{{ generated_at }}",
          "报告副标题")
    _para(doc, "{%p if sample %}", "报告正文")
    _para(doc, "注：本报告所用数据含样例数据（SAMPLE），仅用于演示和测试，不作为正式评估结论。", "报告注释")
    _para(doc, "{%p endif %}", "报告正文")

    # 一、总体评价
    doc.add_heading("一、总体评价", level=1)
    _para(doc, words["period"], "报告正文")
    _para(doc, say(macros, "overall_counts"), "报告正文")
    _para(doc, say(macros, "binding_summary"), "报告正文")
    _para(doc, say(macros, "projects_overview"), "报告正文")

    # 二、主要指标完成情况: table, counts, chart, 约束性 indicators, path charts; or a sentence saying there are none
    doc.add_heading("二、主要指标完成情况", level=1)
    _para(doc, "{%p if indicators %}", "报告正文")
    _para(doc, say(macros, "main_lead"), "报告正文")
    _para(doc, "表1　主要指标完成情况", "表题")
    # Figure columns wide enough for '12,345.67' and '−121.4%' on one line: a number never breaks
    _table(doc, [("指标", 2.9), ("单位", 1.2), ("属性", 1.4), ("基期值", 1.7), ("目标值", 1.6), ("实际值", 1.9),
                 ("预期进度", 1.8), ("完成情况", 1.7), ("状态", 1.4)], [
        "{%tr for i in indicators %}",
        [say(macros, "name_cell", "i"), say(macros, "unit_cell", "i"), "{{ i.attribute or '—' }}",
         "{{ i.baseline|num }}", say(macros, "target_cell", "i"), say(macros, "actual_cell", "i"),
         "{{ i.expected|num }}", say(macros, "progress_cell", "i"), "{% cellbg i.status|status_fill %}{{ i.status }}"],
        "{%tr endfor %}",
    ], first_left=True)
    _para(doc, say(macros, "indicators_note"), "报告注释")
    _para(doc, say(macros, "status_counts"), "报告正文")
    _para(doc, "{%p if charts.status_counts %}", "报告正文")
    _para(doc, "{{ charts.status_counts }}", "图片")
    _para(doc, "图1　主要指标完成情况（按状态）", "图题")
    _para(doc, "{%p endif %}", "报告正文")
    _para(doc, say(macros, "binding_list"), "报告正文")
    _para(doc, "{%p if charts.paths %}", "报告正文")
    _para(doc, say(macros, "path_charts_lead"), "报告正文")
    _para(doc, "{%p for c in charts.paths %}", "报告正文")
    _para(doc, "{{ c.png }}", "图片")
    _para(doc, "图{{ loop.index + 1 }}　{{ c.name }}：实际路径与预期路径", "图题")
    _para(doc, "{%p endfor %}", "报告正文")
    _para(doc, "{%p endif %}", "报告正文")
    _para(doc, "{%p else %}", "报告正文")
    _para(doc, "本期无纳入评估的主要指标。", "报告正文")
    _para(doc, "{%p endif %}", "报告正文")
    _para(doc, "{%p if annex %}", "报告正文")
    _para(doc, say(macros, "annex_lead"), "报告正文")
    _para(doc, "{%p endif %}", "报告正文")
    _para(doc, "{%p if left_out %}", "报告正文")
    _para(doc, say(macros, "left_out_note"), "报告正文")
    _para(doc, "{%p endif %}", "报告正文")

    # 三、重点任务推进情况
    doc.add_heading("三、重点任务推进情况", level=1)
    _para(doc, "{%p if tasks %}", "报告正文")
    _para(doc, "纳入评估的重点任务{{ tasks|length }}项，牵头单位和实施区域见表2。", "报告正文")
    _para(doc, "表2　重点任务推进情况", "表题")
    _table(doc, [("序号", 1.2), ("重点任务", 5.0), ("牵头单位", 2.4), ("配合单位", 2.6), ("年度", 1.4),
                 ("实施区域", 2.8)], [
        "{%tr for t in tasks %}",
        ["{{ loop.index }}", "{{ t.title }}", "{{ t.lead_unit|cn_list }}", "{{ t.co_units|cn_list }}",
         "{{ t.year or '—' }}", "{{ t.area|cn_list }}"],
        "{%tr endfor %}",
    ], first_left=False, left_columns=(1,))
    _para(doc, "{%p else %}", "报告正文")
    _para(doc, "本期无纳入评估的重点任务。", "报告正文")
    _para(doc, "{%p endif %}", "报告正文")

    # 四、重大项目建设情况: one table, a row per 专栏 (the running text's projects last) then its projects, then
    # the total; or a sentence saying there are none
    doc.add_heading("四、重大项目建设情况", level=1)
    _para(doc, say(macros, "projects_lead"), "报告正文")
    _para(doc, "{%p if projects.count %}", "报告正文")
    _para(doc, "表3　重大项目投资完成情况（亿元）", "表题")
    _table(doc, [("专栏／项目", 6.2), ("计划投资", 2.0), ("完成投资", 2.0), ("完成进度", 2.0), ("牵头单位", 3.2)], [
        "{%tr for g in projects.groups %}",
        [say(macros, "group_title", "g"), "{{ g.planned_yi|num }}", "{{ g.done_yi|num }}",
         say(macros, "ratio_cell", "g.planned_done_yi", "g.planned_yi"), ""],
        "{%tr for p in g['items'] %}",
        ["　{{ p.name }}", "{{ p.investment_yi|num }}", "{{ p.done_yi|num }}", "{{ p.progress|pct }}",
         "{{ p.lead_unit|cn_list }}"],
        "{%tr endfor %}",
        "{%tr endfor %}",
        ["合计", "{{ projects.planned_total|num }}", "{{ projects.done_total|num }}",
         say(macros, "ratio_cell", "projects.planned_done_total", "projects.planned_total"), ""],
    ], first_left=True, bold_rows=(1, 6))
    _para(doc, say(macros, "projects_note"), "报告注释")
    _para(doc, "{%p endif %}", "报告正文")

    # 五、存在的主要问题
    doc.add_heading("五、存在的主要问题", level=1)
    _lead(doc, say(macros, "problems_lead"))
    _para(doc, "{%p for p in problems %}", "报告正文")
    _para(doc, "{{ loop.index }}. " + say(macros, "problem", "p"), "报告正文")
    _para(doc, "{%p endfor %}", "报告正文")
    _para(doc, "{%p if summary.no_data %}", "报告正文")
    _para(doc, "此外，{{ summary.no_data }}项指标无实际数据，无法评估进度（见附录一）。", "报告正文")
    _para(doc, "{%p endif %}", "报告正文")

    # 六、下一步工作与调整建议
    doc.add_heading("六、下一步工作与调整建议", level=1)
    _para(doc, words["next_steps"], "报告正文")
    _para(doc, "{%p if adjustments %}", "报告正文")
    _lead(doc, words["adjust_lead"])
    _para(doc, "{%p for a in adjustments %}", "报告正文")
    _para(doc, "{{ loop.index }}. " + say(macros, "adjustment", "a"), "报告正文")
    _para(doc, "{%p endfor %}", "报告正文")
    _para(doc, "{%p else %}", "报告正文")
    _para(doc, words["no_adjust"], "报告正文")
    _para(doc, "{%p endif %}", "报告正文")

    # 附录一 数据缺口
    doc.add_heading("附录一　数据缺口", level=1)
    _para(doc, "{%p if gaps %}", "报告正文")
    _lead(doc, "以下{{ gaps|length }}项指标缺少数据，未能评估进度：")
    _table(doc, [("指标", 5.0), ("原因", 10.4)], [
        "{%tr for g in gaps %}",
        ["{{ g.name }}", "{{ g.reason }}"],
        "{%tr endfor %}",
    ], first_left=True, left_columns=(1,))
    _para(doc, "{%p else %}", "报告正文")
    _para(doc, "本期无数据缺口。", "报告正文")
    _para(doc, "{%p endif %}", "报告正文")

    # 附录二 数据来源与方法
    doc.add_heading("附录二　数据来源与方法", level=1)
    _para(doc, say(macros, "method_lead"), "报告正文")
    _para(doc, "{%p if indicators %}", "报告正文")
    _table(doc, [("指标", 3.4), ("实际值来源", 4.6), ("计算方法", 5.6), ("牵头单位", 1.8)], [
        "{%tr for i in indicators %}",
        ["{{ i.name }}", "{{ i.actual_source or '无' }}", "{{ i.method|replace('=', '=" + ZERO_WIDTH_SPACE + "') }}",
         "{{ i.lead_unit|cn_list }}"],
        "{%tr endfor %}",
    ], first_left=True, left_columns=(1, 2))
    _para(doc, "{%p endif %}", "报告正文")

    # 附录三 其他量化目标: a row per chapter, then its targets (judged as in 表1)
    _para(doc, "{%p if annex %}", "报告正文")
    doc.add_heading("附录三　其他量化目标完成情况", level=1)
    _para(doc, "规划正文提出的其他量化目标{{ annex_summary.total }}项，按所在章节列示（判定方法同表1）。", "报告正文")
    _table(doc, [("章节／指标", 6.0), ("单位", 1.6), ("目标值", 2.2), ("实际值", 2.0), ("完成情况", 2.0),
                 ("状态", 1.6)], [
        "{%tr for g in annex %}",
        ["{{ g.chapter }}", "", "", "", "", ""],
        "{%tr for i in g['items'] %}",
        ["　" + say(macros, "name_cell", "i"), say(macros, "unit_cell", "i"), say(macros, "target_cell", "i"),
         say(macros, "actual_cell", "i"), say(macros, "progress_cell", "i"),
         "{% cellbg i.status|status_fill %}{{ i.status }}"],
        "{%tr endfor %}",
        "{%tr endfor %}",
    ], first_left=True, bold_rows=(1,))
    _para(doc, "{%p endif %}", "报告正文")
    return doc


def main() -> None:
    for kind in KIND_NAMES:
        path = HERE / f"{kind}.docx"
        build_template(kind).save(path)
        print(path)


# ---- house style -------------------------------------------------------------------------------------------

def _page_setup(doc: Document) -> None:
    """A4 portrait with the margins of GB/T 9704 (上 3.7, 下 3.5, 左 2.8, 右 2.6 cm)."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.header_distance, section.footer_distance = Cm(1.5), Cm(2.0)


def _styles(doc: Document) -> None:
    """Normal and headings in the house fonts; paragraph styles for body, notes, captions (表题 above a table,
    图题 below a figure), table text and figures."""
    styles = doc.styles
    _font(styles["Normal"], BODY_FONT, 12)
    for level, size in ((1, 16), (2, 14)):
        style = styles[f"Heading {level}"]
        _font(style, HEADING_FONT, size, bold=False)
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(12), Pt(6)
        style.paragraph_format.keep_with_next = True
    specs = {  # name: (font, size, bold, alignment, first-line indent pt, line spacing)
        "报告标题": (HEADING_FONT, 20, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 1.2),
        "报告副标题": (BODY_FONT, 12, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 1.2),
        "报告正文": (BODY_FONT, 12, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 24, 1.5),
        "报告注释": (BODY_FONT, 10.5, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 1.2),
        "表题": (HEADING_FONT, 10.5, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 1.2),
        "图题": (HEADING_FONT, 10.5, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 1.2),
        "图片": (BODY_FONT, 12, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 1.0),
        "表格文字": (BODY_FONT, 10.5, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 1.0),
    }
    for name, (font, size, bold, align, indent, spacing) in specs.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        _font(style, font, size, bold=bold)
        fmt = style.paragraph_format
        fmt.alignment, fmt.first_line_indent, fmt.line_spacing = align, Pt(indent), spacing
        fmt.space_before = Pt(6) if name in ("报告标题", "表题") else Pt(0)
        fmt.space_after = Pt(12) if name in ("报告标题", "图题") else Pt(3)
        # A table caption stays with its table (below it), a figure with its caption (below it)
        fmt.keep_with_next = name in ("表题", "图片")


def _chinese_language(doc: Document) -> None:
    """East Asian text is Chinese (zh-CN): python-docx's default template says en-US for it and ja-JP for the
    theme fonts, so Word would check Chinese as English and prefer Japanese theme fonts."""
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        defaults.append(lang)
    lang.set(qn("w:val"), "en-US")  # Latin text and digits: zh-CN here lets LibreOffice break '49.0%' as '4|9.0%'
    lang.set(qn("w:eastAsia"), "zh-CN")
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "zh-CN")
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _font(style, name: str, size: float, bold: bool | None = None) -> None:
    """Set a style's font for Latin and East Asian text alike; theme fonts and colours removed."""
    style.font.name, style.font.size = name, Pt(size)
    if bold is not None:
        style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:eastAsia"), name)
    color = rpr.find(qn("w:color"))
    for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
        color.attrib.pop(qn(attr), None)


def _header_footer(doc: Document, words: dict[str, str]) -> None:
    """Header: the report's name; footer: the page number, centred (— 1 —)."""
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.text = words["report_name"] + SAMPLE
    header.style = doc.styles["报告注释"]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["报告注释"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    footer.add_run(" —")


def _properties(doc: Document) -> None:
    """Document properties: rendered by docxtpl too, so the title carries the district and SAMPLE."""
    props = doc.core_properties
    props.title = "{{ district.name }}规划纲要实施{{ kind_name }}报告" + SAMPLE
    props.subject = "{{ plan.title }}"
    props.author = "{{ district.name }}发展和改革局"
    props.comments = "报告模板：由 templates/reports/make_docx_templates.py 生成，可在 Word 中编辑"
    props.last_modified_by = ""
    props.revision = 1
    props.created = props.modified = dt.datetime(2026, 1, 1)  # fixed: the same script gives the same template


def _para(doc: Document, text: str, style: str):
    """One paragraph, its text in a single run (tags stay whole)."""
    return doc.add_paragraph(text, style=style)


def _lead(doc: Document, text: str):
    """A body paragraph that introduces a list or table: kept on the page of what follows."""
    paragraph = _para(doc, text, "报告正文")
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _table(doc: Document, columns: list[tuple[str, float]], rows: list, first_left: bool = False,
           left_columns: tuple[int, ...] = (), bold_rows: tuple[int, ...] = ()) -> None:
    """A bordered table, centred: header row (bold, shaded, repeated on every page), then `rows`, each kept on
    one page: a string is a row holding only a `{%tr %}` tag, a list is one row of cell texts. `bold_rows`
    counts the rows after the header; `first_left`/`left_columns` left-align long text."""
    table = doc.add_table(rows=1 + len(rows), cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table, CELL_MARGIN_TWIPS)
    left = set(left_columns) | ({0} if first_left else set())
    for index, (_, width) in enumerate(columns):
        table.columns[index].width = Cm(width)
    # Header row
    for cell, (title, width) in zip(table.rows[0].cells, columns, strict=True):
        _cell(cell, title, width, bold=True, fill=HEADER_FILL)
    _repeat_header(table.rows[0])
    # Body rows: tag rows and template rows, none split across pages
    for number, row in enumerate(rows):
        _keep_row_whole(table.rows[number + 1])
        cells = table.rows[number + 1].cells
        texts = [row] + [""] * (len(columns) - 1) if isinstance(row, str) else row
        for index, (cell, text, (_, width)) in enumerate(zip(cells, texts, columns, strict=True)):
            _cell(cell, text, width, bold=number in bold_rows, left=index in left)


def _cell(cell, text: str, width: float, bold: bool = False, fill: str | None = None, left: bool = False) -> None:
    cell.width = Cm(width)
    paragraph = cell.paragraphs[0]
    paragraph.style = "表格文字"
    if left:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    if text:
        paragraph.add_run(text).bold = bold or None
    if fill:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shading)


def _cell_margins(table, twips: int) -> None:
    """The left and right margin of every cell of `table`, in twips."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    look = table._tbl.tblPr.find(qn("w:tblLook"))  # the schema puts tblCellMar before tblLook
    if look is None:
        table._tbl.tblPr.append(margins)
    else:
        look.addprevious(margins)


def _keep_row_whole(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_header(row) -> None:
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


if __name__ == "__main__":
    main()
