"""The evaluation reports as an official reads them: the .docx reopened with python-docx, the HTML parsed, the
Markdown read line by line; broken templates give one TemplateProblem naming file and line; the sandbox holds;
where LibreOffice Writer is installed, the Word report is printed to PDF and its text checked."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import docx
import pytest
from bs4 import BeautifulSoup
from jinja2.exceptions import SecurityError

from pipeline.render import charts
from pipeline.render.report import ContextProblem, TemplateProblem, num, pct, pts, render_reports
from tests.render.report_context import STATUSES, report_context

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
KINDS = ("annual", "midterm", "final")
TITLES = {"annual": "年度评估报告", "midterm": "中期评估报告", "final": "总结评估报告"}
HEADINGS = ("一、总体评价", "二、主要指标完成情况", "三、重点任务推进情况", "四、重大项目建设情况",
            "五、存在的主要问题", "六、下一步工作与调整建议", "附录一　数据缺口", "附录二　数据来源与方法",
            "附录三　其他量化目标完成情况")
STATUS_COUNT = re.compile(r"(已完成|超前|正常|预警|滞后|无数据)(\d+)项")
TIMEOUT = 180
LAYOUT_MARKS = str.maketrans("", "", "\u200b")  # the break points the Word template puts in formulas


def _visible(text: str) -> str:
    """A cell's text as a reader sees it, without the template's invisible break points."""
    return text.translate(LAYOUT_MARKS)


def _render(tmp: Path, kind: str, sample: bool = False, templates: Path = TEMPLATES) -> tuple[dict, dict]:
    context = report_context(kind, sample=sample)
    return context, render_reports(context, templates, tmp, f"230113_双城区_{context['year']}_{context['kind_name']}",
                                   STATUSES)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, tuple[dict, dict]]:
    """Each kind rendered once from the templates of the repository: kind → (context, paths)."""
    return {kind: _render(tmp_path_factory.mktemp(kind), kind) for kind in KINDS}


@pytest.fixture
def templates_copy(tmp_path) -> Path:
    """A copy of templates/reports to edit or break."""
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES / "reports", copy / "reports")
    return copy


def _docx_text(document: docx.document.Document) -> str:
    """All text a reader sees: body paragraphs, table cells, headers, footers, document title."""
    parts = [p.text for p in document.paragraphs]
    parts += [_visible(cell.text) for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    parts.append(document.core_properties.title)
    return "\n".join(parts)


def _indicator_table(document):
    return next(t for t in document.tables if [c.text for c in t.rows[0].cells[:2]] == ["指标", "单位"])


def _sentence(texts, start: str) -> str:
    return next(text for text in texts if text.startswith(start))


def _html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# ---- the three files ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_three_files_for_each_kind(reports, kind):
    _, paths = reports[kind]
    for key in ("docx", "html", "md"):
        assert paths[key].is_file() and paths[key].stat().st_size > 1000, key
    assert docx.Document(paths["docx"])  # a Word file python-docx can open


@pytest.mark.parametrize("kind", KINDS)
def test_docx_headings_in_order(reports, kind):
    document = docx.Document(reports[kind][1]["docx"])
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == list(HEADINGS)


@pytest.mark.parametrize("kind", KINDS)
def test_docx_title_names_the_kind(reports, kind):
    context, paths = reports[kind]
    document = docx.Document(paths["docx"])
    assert TITLES[kind] in document.paragraphs[0].text and "双城区" in document.paragraphs[0].text
    assert "SAMPLE" not in _docx_text(document)
    assert document.core_properties.title == f"双城区规划纲要实施{context['kind_name']}报告"


@pytest.mark.parametrize("kind", KINDS)
def test_docx_indicator_table_one_row_per_indicator(reports, kind):
    context, paths = reports[kind]
    table = _indicator_table(docx.Document(paths["docx"]))
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["指标", "单位", "属性", "基期值", "目标值", "实际值", "预期进度", "完成情况", "状态"]
    assert len(table.rows) == 1 + len(context["indicators"])
    for row, indicator in zip(table.rows[1:], context["indicators"], strict=True):
        cells = [cell.text for cell in row.cells]
        assert (cells[0], cells[1]) == (indicator["name"], indicator["unit"])  # the unit in its own column
        assert cells[2] == indicator["attribute"]
        assert cells[4] == indicator["target_text"]  # the target as printed in the plan
        assert cells[5] == ("无数据" if indicator["actual"] is None else num(indicator["actual"]))
        assert cells[8] == indicator["status"]


def test_docx_no_data_indicator_shows_no_data(reports):
    context, paths = reports["midterm"]
    table = _indicator_table(docx.Document(paths["docx"]))
    row = next(r for r in table.rows if r.cells[0].text == "建成区路网密度")
    assert row.cells[5].text == "无数据" and row.cells[8].text == "无数据" and row.cells[7].text == "—"


def test_docx_a_share_that_reached_its_target_shows_the_points_above_it(reports):
    """城市空气质量优良天数比率 92 → 96, 96.2 in 2023: P = 105%, shown as the 0.2 points above the target."""
    context, paths = reports["midterm"]
    air = next(i for i in context["indicators"] if i["name"] == "城市空气质量优良天数比率")
    assert air["progress"] > 1 and air["points_above_target"] == pytest.approx(0.2)
    row = next(r for r in _indicator_table(docx.Document(paths["docx"])).rows if r.cells[0].text == air["name"])
    assert row.cells[7].text == "高于目标0.2个百分点"


@pytest.mark.parametrize("kind", KINDS)
def test_docx_status_counts_equal_summary(reports, kind):
    context, paths = reports[kind]
    paragraphs = [p.text for p in docx.Document(paths["docx"]).paragraphs]
    counts = _sentence(paragraphs, "按完成情况分：")
    assert {s: int(n) for s, n in STATUS_COUNT.findall(counts)} == context["summary"]["counts"]
    summary = context["summary"]
    overall = _sentence(paragraphs, "纳入评估的主要指标")
    assert overall.startswith(f"纳入评估的主要指标{summary['total']}项")
    assert f"滞后于预期（预警、滞后）{summary['behind']}项" in overall
    assert f"无数据{summary['no_data']}项" in overall and f"达到或超过预期进度的共{summary['on_track']}项" in overall
    binding = _sentence(paragraphs, f"约束性指标{summary['binding_total']}项，")
    assert f"有数据的{summary['binding_with_data']}项中{summary['binding_met']}项达到预期进度" in binding
    assert f"{len(summary['binding_failed'])}项未达到预期进度（{'、'.join(summary['binding_failed'])}）" in binding


@pytest.mark.parametrize("kind", KINDS)
def test_docx_names_every_binding_indicator_with_its_status(reports, kind):
    context, paths = reports[kind]
    paragraphs = [p.text for p in docx.Document(paths["docx"]).paragraphs]
    binding_list = _sentence(paragraphs, f"约束性指标{context['summary']['binding_total']}项：")
    for indicator in context["indicators"]:
        named = f"{indicator['name']}（{indicator['status']}）" in binding_list
        assert named == (indicator["attribute"] == "约束性"), indicator["name"]


def test_docx_projects_problems_adjustments_gaps(reports):
    context, paths = reports["midterm"]
    document = docx.Document(paths["docx"])
    text = _docx_text(document)
    # 7 projects, 2 专栏 and one named in the running text; 3 of the 4 with a planned investment report 33.5 of
    # 68.3 亿元; the running-text project's 2.5 counts in 完成投资 but not in the completion of planned investment
    assert ("重大项目7个（2个专栏所列6个，文中提及1个），其中4个列明计划投资，合计68.3亿元；"
            "4个项目报送完成投资，合计36亿元；列明计划投资的项目完成投资33.5亿元，完成计划投资的49.0%"
            "（与时间进度之差−11.0 个百分点）") in text
    projects = next(t for t in document.tables if t.rows[0].cells[0].text == "专栏／项目")
    first_cells = [row.cells[0].text.strip("\u3000") for row in projects.rows]
    assert "专栏：现代产业新体系重点项目储备库" in first_cells and "专栏：双城食用菌基地建设计划" in first_cells
    assert "文中提及的项目（不属专栏）" in first_cells and "专栏：" not in first_cells
    assert "飞鹤（哈尔滨）乳品有限公司乳制品智能产业园建设项目" in first_cells and first_cells[-1] == "合计"
    assert [c.text for c in projects.rows[-1].cells[1:4]] == ["68.3", "36", "49.0%"]
    assert ("另有1项目标在规划原文中未写明所指指标，无法确定所指，未纳入评估：未写明指标名称的1项：“增加到110.9万千瓦”"
            "（原文第520行）。" in text)
    # the plan's other quantified targets: one sentence in 二, then 附录三 by chapter, each chapter a row of its own
    assert "规划正文另提出3项量化目标，按章节列于附录三：已完成1项，无数据2项。" in text
    annex = next(t for t in document.tables if t.rows[0].cells[0].text == "章节／指标")
    assert [row.cells[0].text.strip("\u3000") for row in annex.rows[1:]] == [
        "第三章 加快推进实施乡村振兴战略", "玉米种植面积", "秸秆综合利用率", "第八章 大力推动民生事业发展",
        "居民平均寿命"]
    assert [c.text for c in annex.rows[3].cells[1:]] == ["%", "95%以上", "96.1", "高于目标1.1个百分点", "已完成"]
    for p in context["problems"]:
        assert f"{p['name']}（{p['status']}，牵头单位：{p['lead_unit']}）：{p['gap_text']}。" in text
    for adjustment in context["adjustments"]:
        assert adjustment["reason"] in text
    gaps = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == ["指标", "原因"])
    assert [[c.text for c in row.cells] for row in gaps.rows[1:]] == [[g["name"], g["reason"]] for g in context["gaps"]]
    methods = next(t for t in document.tables if t.rows[0].cells[0].text == "指标" and len(t.columns) == 4)
    assert [_visible(row.cells[2].text) for row in methods.rows[1:]] == [i["method"] for i in context["indicators"]]


@pytest.mark.parametrize("kind", KINDS)
def test_docx_no_template_tags_left(reports, kind):
    text = _docx_text(docx.Document(reports[kind][1]["docx"]))
    for tag in ("{{", "}}", "{%", "%}", "{#"):
        assert tag not in text


@pytest.mark.parametrize("kind", KINDS)
def test_docx_charts_embedded(reports, kind, cjk_font):
    context, paths = reports[kind]
    document = docx.Document(paths["docx"])
    charted = [i for i in context["indicators"] if i["attribute"] == "约束性" or i["status"] in ("预警", "滞后")]
    charted = [i for i in charted if i["actual"] is not None]
    assert len(document.inline_shapes) == 1 + len(charted) >= 1
    captions = [p.text for p in document.paragraphs if p.style.name == "图题"]
    assert captions[0] == "图1　主要指标完成情况（按状态）"
    assert captions[1:] == [f"图{n}　{i['name']}：实际路径与预期路径" for n, i in enumerate(charted, start=2)]


def test_sample_data_marked_in_every_title(tmp_path):
    context, paths = _render(tmp_path, "midterm", sample=True)
    mark = "（含样例数据 SAMPLE）"
    document = docx.Document(paths["docx"])
    assert document.paragraphs[0].text == f"双城区规划纲要实施中期评估报告{mark}"
    assert document.sections[0].header.paragraphs[0].text.endswith(mark)
    assert document.core_properties.title.endswith(mark)
    html = _html(paths["html"])
    assert html.title.text.endswith(mark) and html.h1.text.endswith(mark)
    assert paths["md"].read_text(encoding="utf-8").splitlines()[0] == f"# 双城区规划纲要实施中期评估报告{mark}"


# ---- HTML and Markdown say the same as the Word report -----------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_html_has_the_same_numbers_and_images(reports, kind):
    context, paths = reports[kind]
    html = _html(paths["html"])
    assert TITLES[kind] in html.h1.text
    assert [h.text for h in html.find_all("h2")] == list(HEADINGS)
    paragraphs = [p.text for p in html.find_all("p")]
    counts = _sentence(paragraphs, "按完成情况分：")
    assert {s: int(n) for s, n in STATUS_COUNT.findall(counts)} == context["summary"]["counts"]
    rows = html.find("table", class_="indicators").tbody.find_all("tr")
    assert len(rows) == len(context["indicators"])
    for row, indicator in zip(rows, context["indicators"], strict=True):
        cells = [td.text for td in row.find_all("td")]
        assert cells[4] == indicator["target_text"] and cells[8] == indicator["status"]
        assert cells[5] == ("无数据" if indicator["actual"] is None else num(indicator["actual"]))
    images = html.find_all("img")
    assert len(images) == len(docx.Document(paths["docx"]).inline_shapes)
    for image in images:
        assert not image["src"].startswith("/") and (paths["html"].parent / unquote(image["src"])).is_file()


@pytest.mark.parametrize("kind", KINDS)
def test_markdown_has_the_same_numbers_and_images(reports, kind):
    context, paths = reports[kind]
    lines = paths["md"].read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ") and TITLES[kind] in lines[0]
    assert [line[3:] for line in lines if line.startswith("## ")] == list(HEADINGS)
    counts = _sentence(lines, "按完成情况分：")
    assert {s: int(n) for s, n in STATUS_COUNT.findall(counts)} == context["summary"]["counts"]
    rows = [line for line in lines if line.startswith("| ") and line.split(" | ")[0][2:]
            in {i["name"] for i in context["indicators"]} and line.count("|") == 10]
    assert len(rows) == len(context["indicators"])
    assert sum("| 无数据 |" in row for row in rows) == sum(i["actual"] is None for i in context["indicators"])
    targets = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", "\n".join(lines))
    assert len(targets) == len(docx.Document(paths["docx"]).inline_shapes)
    assert all((paths["md"].parent / unquote(t)).is_file() for t in targets)


@pytest.mark.parametrize("kind", KINDS)
def test_every_word_sentence_is_in_html_and_markdown(reports, kind):
    """The three formats are written separately; their sentences must not drift apart."""
    _, paths = reports[kind]
    sentences = [p.text for p in docx.Document(paths["docx"]).paragraphs
                 if p.style.name in ("报告正文", "报告标题", "报告副标题") and p.text]
    html = {p.text for p in _html(paths["html"]).find_all(["p", "h1"])}
    markdown = paths["md"].read_text(encoding="utf-8")
    for sentence in sentences:
        assert sentence in html, sentence
        assert sentence in markdown, sentence


def test_html_escapes_values_and_word_keeps_them(tmp_path):
    context = report_context("midterm")
    context["problems"][0]["lead_unit"] = "<b>发改局</b> & 统计局"
    paths = render_reports(context, TEMPLATES, tmp_path, "escaped", STATUSES)
    raw = paths["html"].read_text(encoding="utf-8")
    assert "&lt;b&gt;发改局&lt;/b&gt; &amp; 统计局" in raw and "<b>发改局</b>" not in raw
    assert "牵头单位：<b>发改局</b> & 统计局" in _docx_text(docx.Document(paths["docx"]))


# ---- templates are edited, not code ------------------------------------------------------------------------

def test_editing_templates_changes_the_output(templates_copy, tmp_path):
    reports_dir = templates_copy / "reports"
    shared = reports_dir / "_shared.j2"
    shared.write_text(shared.read_text(encoding="utf-8").replace("需重点关注", "请各牵头单位重点督办"),
                      encoding="utf-8")
    word = docx.Document(reports_dir / "midterm.docx")
    paragraph = next(p for p in word.paragraphs if "需重点关注" in p.text)
    for run in paragraph.runs:
        run.text = run.text.replace("需重点关注", "请各牵头单位重点督办")
    word.save(reports_dir / "midterm.docx")

    _, paths = _render(tmp_path / "out", "midterm", templates=templates_copy)
    for text in (_docx_text(docx.Document(paths["docx"])), paths["html"].read_text(encoding="utf-8"),
                 paths["md"].read_text(encoding="utf-8")):
        assert "2项指标低于预期进度，请各牵头单位重点督办：" in text and "需重点关注" not in text


# ---- broken templates -------------------------------------------------------------------------------------

def _insert_line(path: Path, after: str, line: str) -> int:
    """Insert `line` after the first line starting with `after`; return its line number (1-based)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(n for n, text in enumerate(lines) if text.startswith(after)) + 1
    lines.insert(index, line + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return index + 1


def _replace(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in a template with `new`; return the number of the line changed (1-based)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def _add_word_paragraph(path: Path, text: str) -> None:
    """Add a paragraph after 五、存在的主要问题 in a Word template."""
    document = docx.Document(path)
    heading = next(p for p in document.paragraphs if p.text == "五、存在的主要问题")
    new = document.add_paragraph(text, style="报告正文")
    heading._p.addnext(new._p)
    document.save(path)


def _problem(templates: Path, tmp_path: Path) -> TemplateProblem:
    with pytest.raises(TemplateProblem) as caught:
        _render(tmp_path / "out", "midterm", templates=templates)
    assert not list((tmp_path / "out").glob("*.docx")) + list((tmp_path / "out").glob("*.html")) \
        + list((tmp_path / "out").glob("*.md")), "nothing is written when a template fails"
    return caught.value


def test_unknown_variable_in_html_names_template_and_line(templates_copy, tmp_path):
    line = _replace(templates_copy / "reports" / "midterm.html.j2", "{% block period %}",
                    "{% block period %}共{{ summary.countz }}项。")
    problem = _problem(templates_copy, tmp_path)
    assert (problem.template_name, problem.line) == ("midterm.html.j2", line)
    assert str(problem).startswith(f"模板 midterm.html.j2 第 {line} 行：'summary' has no attribute 'countz'")
    assert "可用的键" in str(problem) and "counts" in str(problem)


def test_unknown_variable_in_base_names_the_base(templates_copy, tmp_path):
    line = _insert_line(templates_copy / "reports" / "_base.html.j2", "<h2>三、重点任务推进情况</h2>",
                        "<p>{{ projects.planned_totl }}</p>")
    problem = _problem(templates_copy, tmp_path)
    assert (problem.template_name, problem.line) == ("_base.html.j2", line)
    assert f"模板 _base.html.j2 第 {line} 行（渲染 midterm.html.j2 时）：'projects' has no attribute 'planned_totl'" \
        in str(problem)


def test_bad_tag_in_markdown_names_template_and_line(templates_copy, tmp_path):
    line = _insert_line(templates_copy / "reports" / "_base.md.j2", "## 三、重点任务推进情况", "{% fo t in tasks %}")
    problem = _problem(templates_copy, tmp_path)
    assert (problem.template_name, problem.line) == ("_base.md.j2", line)
    assert "Encountered unknown tag 'fo'" in str(problem) and str(problem).startswith(f"模板 _base.md.j2 第 {line} 行")


def test_syntax_error_names_template_and_line(templates_copy, tmp_path):
    line = _insert_line(templates_copy / "reports" / "_shared.j2", "{% macro units() -%}", "{{ summary.total + }}")
    problem = _problem(templates_copy, tmp_path)
    assert (problem.template_name, problem.line) == ("_shared.j2", line)


def test_unknown_variable_in_word_template(templates_copy, tmp_path):
    _add_word_paragraph(templates_copy / "reports" / "midterm.docx", "共{{ summary.countz }}项")
    problem = _problem(templates_copy, tmp_path)
    assert problem.template_name == "midterm.docx" and problem.word and problem.line is not None
    assert str(problem).startswith(f"模板 midterm.docx 第 {problem.line} 行（Word 模板，行号指文档 XML 中的段落）：")
    assert "'summary' has no attribute 'countz'" in str(problem)
    assert problem.excerpt == "共{{ summary.countz }}项"


def test_bad_tag_in_word_template(templates_copy, tmp_path):
    _add_word_paragraph(templates_copy / "reports" / "midterm.docx", "{% fo p in problems %}")
    problem = _problem(templates_copy, tmp_path)
    assert problem.template_name == "midterm.docx" and problem.line is not None
    assert "Encountered unknown tag 'fo'" in str(problem) and "Word 模板" in str(problem)
    assert problem.excerpt == "{% fo p in problems %}"


def test_sandbox_refuses_python_internals_in_html(templates_copy, tmp_path):
    line = _insert_line(templates_copy / "reports" / "_base.html.j2", "<h2>一、总体评价</h2>",
                        "<p>{{ ''.__class__.__mro__[1].__subclasses__() }}</p>")
    problem = _problem(templates_copy, tmp_path)
    assert isinstance(problem.__cause__, SecurityError)
    assert (problem.template_name, problem.line) == ("_base.html.j2", line)
    assert "unsafe" in str(problem)


def test_sandbox_refuses_python_internals_in_word(templates_copy, tmp_path):
    _add_word_paragraph(templates_copy / "reports" / "midterm.docx", "{{ plan.title.__class__ }}")
    problem = _problem(templates_copy, tmp_path)
    assert isinstance(problem.__cause__, SecurityError) and problem.template_name == "midterm.docx"


def test_sandbox_refuses_changing_the_context(templates_copy, tmp_path):
    _insert_line(templates_copy / "reports" / "_base.md.j2", "## 一、总体评价", "{{ indicators.append(1) }}")
    problem = _problem(templates_copy, tmp_path)
    assert isinstance(problem.__cause__, SecurityError)


def test_missing_template_file(templates_copy, tmp_path):
    (templates_copy / "reports" / "midterm.docx").unlink()
    problem = _problem(templates_copy, tmp_path)
    assert problem.template_name == "midterm.docx" and "模板文件不存在" in str(problem)


# ---- context and fonts ------------------------------------------------------------------------------------

def test_context_version_and_keys_checked(tmp_path):
    context = report_context("midterm")
    with pytest.raises(ContextProblem, match="版本为 '2.0'，模板要求 1.2"):
        render_reports({**context, "context_version": "2.0"}, TEMPLATES, tmp_path, "x", STATUSES)
    with pytest.raises(ContextProblem, match="缺少字段：gaps"):
        render_reports({k: v for k, v in context.items() if k != "gaps"}, TEMPLATES, tmp_path, "x", STATUSES)
    with pytest.raises(ContextProblem, match="kind='mid'"):
        render_reports({**context, "kind": "mid"}, TEMPLATES, tmp_path, "x", STATUSES)


def test_context_not_modified(tmp_path):
    context = report_context("midterm")
    render_reports(context, TEMPLATES, tmp_path, "x", STATUSES)
    assert context == report_context("midterm")


def test_reports_come_out_without_a_cjk_font(monkeypatch, tmp_path, caplog):
    def no_font():
        raise charts.ChartFontMissing()

    monkeypatch.setattr(charts, "chart_font", no_font)
    _, paths = _render(tmp_path, "midterm")
    document = docx.Document(paths["docx"])
    assert len(document.inline_shapes) == 0 and "{{" not in _docx_text(document)
    assert "<img" not in paths["html"].read_text(encoding="utf-8")
    assert "未找到中文字体" in caplog.text


def test_filters():
    assert (pct(0.376), num(1234.5), num(None), pts(-0.052)) == ("37.6%", "1,234.5", "—", "−5.2 个百分点")


# ---- PDF through LibreOffice ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf(reports, tmp_path_factory) -> Path:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        pytest.skip("未安装 LibreOffice：跳过 PDF 检查")
    if not (Path(os.path.realpath(office)).parent / "libswlo.so").exists():
        pytest.skip("未安装 LibreOffice Writer（libreoffice-writer-nogui）：跳过 PDF 检查")
    work = tmp_path_factory.mktemp("pdf")
    home = work / "home"
    (home / ".config" / "fontconfig").mkdir(parents=True)
    shutil.copy(TEMPLATES / "fontconfig-cjk.conf", home / ".config" / "fontconfig" / "fonts.conf")
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    source = reports["midterm"][1]["docx"]
    subprocess.run([office, "--headless", f"-env:UserInstallation={(home / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(work), str(source)],
                   env=env, timeout=TIMEOUT, check=True, capture_output=True)
    return work / f"{source.stem}.pdf"


def test_pdf_has_the_report_text(pdf):
    assert pdf.read_bytes().startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("未安装 poppler-utils：跳过 PDF 文字检查")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          timeout=TIMEOUT, check=True).stdout
    assert "主要指标完成情况" in text and "双城区规划纲要实施中期评估报告" in text
    assert "按完成情况分：已完成 1 项，超前 2 项" in text  # LibreOffice puts a space between digits and CJK
    assert "{{" not in text and "{%" not in text


def test_pdf_pages_render_to_png(pdf):
    """Pages 1–2 as images, to look at (the table and chart fit on A4; see the report of this change)."""
    if not shutil.which("pdftoppm"):
        pytest.skip("未安装 poppler-utils：跳过 PDF 图像检查")
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(pdf), str(pdf.with_suffix(""))],
                   timeout=TIMEOUT, check=True)
    pages = sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))
    assert len(pages) == 2 and all(page.stat().st_size > 5000 for page in pages)
