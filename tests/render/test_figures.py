"""Figures print as the plan prints them, and no number breaks across lines on paper.

The plan workbook is rendered from the real tables of the seeds (the `seeds` extraction) and checked against
tests/gold/indicator_table_004.csv, 双城区's 主要指标表 as a person copied it: every numeric target and 年均增长
stays a number and its format prints the cell as printed ('18 以上' → 18以上, '[150]'), the unit left to its
column; an approved change prints both targets ('43（调整为45）') with the one in force as the value. Where
LibreOffice and poppler are installed, the workbooks and the Word report are printed to PDF and read back.
"""
from __future__ import annotations

import re
import shutil

import openpyxl
import pandas as pd
import pytest

from pipeline.render.city_summary import render_city_summary
from pipeline.render.entry_forms import build_entry_forms
from pipeline.render.evaluation_workbook import render_evaluation_workbook
from pipeline.render.figures import figure_format, write_figure
from pipeline.render.plan_workbook import render_plan_workbook
from pipeline.render.report import render_reports
from pipeline.render.styles import new_workbook
from pipeline.units import Units
from tests.conftest import CONFIG, GOLD
from tests.render import GENERATED_AT, ROOT, catalogue, styles
from tests.render import test_monitor_workbook as monitor
from tests.render.printed import (
    broken_numbers,
    lone_lines,
    office,
    pdf_text,
    printed,
    report_numbers,
    to_pdf,
    workbook_numbers,
)
from tests.render.report_context import report_context

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension is not supported:UserWarning")
GRAIN = "粮食综合生产能力"  # 43 亿斤 in 004's table; the bundled inputs/adjustments.csv raises it to 45
ADJUSTED = "43（调整为45）"
QUALIFIED = ("5以上", "18以上", "10以上", "30左右", "[150]")  # as 004's table prints them, spaces aside


def units() -> Units:
    return Units.load(CONFIG / "units.yaml")


def _adjustments(indicators: pd.DataFrame) -> pd.DataFrame:
    """The bundled grain adjustment (inputs/adjustments.csv) as `make adjust` records it."""
    grain = indicators[(indicators.canonical == "grain_capacity") & (indicators.source == "table")].iloc[0]
    return pd.DataFrame([{
        "change_id": "chg-grain", "version": "2", "indicator_id": grain.indicator_id, "district_code": "230113",
        "name": GRAIN, "field": "target_value", "old_value": "43.0", "new_value": "45.0", "new_text": "45 亿斤",
        "effective_from": "2024-01", "reason": "市里下达新的粮食生产任务", "approved_by": "示例〔2024〕1号（SAMPLE）",
        "recorded_by": "双城区发改局（示例）", "recorded_at": "2026-01-01T00:00:00", "line": "2"}])


@pytest.fixture(scope="module")
def plan_path(seeds, tmp_path_factory):
    tables = {name: getattr(seeds, name) for name in ("documents", "indicators", "projects", "tasks",
                                                       "responsibilities", "findings")}
    return render_plan_workbook(tmp_path_factory.mktemp("plan"), "230113", "双城区", styles=styles(),
                                generated_at=GENERATED_AT, adjustments=_adjustments(seeds.indicators), **tables)


@pytest.fixture(scope="module")
def table_rows(plan_path) -> dict[tuple[str, str], tuple]:
    """The rows of 004's table in the 主要指标 sheet, by (序号, 指标)."""
    ws = openpyxl.load_workbook(plan_path)["主要指标"]
    rows = {}
    for row in ws.iter_rows(min_row=4):
        key = (str(row[1].value), row[2].value)
        rows.setdefault(key, row)  # the table comes first; prose targets restate some names later
    return rows


def _gold() -> list[dict]:
    return pd.read_csv(GOLD / "indicator_table_004.csv", dtype=str, keep_default_na=False).to_dict("records")


def _expected(as_printed: str, unit: str) -> str:
    """What a figure cell shows: the cell as printed, without spaces and without the unit of its column."""
    return re.sub(r"\s+", "", as_printed).replace(unit, "")


@pytest.mark.parametrize("gold", _gold(), ids=lambda g: f"{g['item_no']}{g['sub_item']}")
def test_004_targets_are_numbers_printed_as_the_plan_prints_them(table_rows, gold):
    name = gold["name"] + (f"（{gold['sub_item']}）" if gold["sub_item"] else "")
    row = table_rows[(gold["item_no"], name)]
    target, growth = row[7], row[8]
    if gold["name"] == GRAIN:  # the value in force, both targets printed
        assert (target.value, printed(target.value, target.number_format)) == (45, ADJUSTED)
    elif re.search(r"\d", gold["target_text"]):
        number = float(re.search(r"\d+(?:\.\d+)?", gold["target_text"]).group())
        assert target.data_type == "n" and target.value == number
        assert printed(target.value, target.number_format) == _expected(gold["target_text"], "")
    else:  # a target in words stays text ('完成市下达 指标'); an empty cell stays empty
        assert target.data_type in ("s", "n") and re.sub(r"\s+", "", target.value or "") == re.sub(
            r"\s+", "", gold["target_text"])
        assert target.value is None or isinstance(target.value, str)
    if re.search(r"\d", gold["growth_text"]):  # 年均增长 in per cent, the column says so
        assert growth.data_type == "n"
        assert printed(growth.value, growth.number_format) == _expected(gold["growth_text"], "%")


def test_qualifiers_print_in_the_cell_not_only_in_a_comment(table_rows):
    shown = [printed(row[7].value, row[7].number_format) for row in table_rows.values()
             if isinstance(row[7].value, (int, float))]
    assert all(q in shown for q in QUALIFIED)
    assert not any(row[7].comment for row in table_rows.values() if isinstance(row[7].value, (int, float))
                   and row[1].value in {"1", "2", "7", "8"})  # the printed form is on the cell itself


def test_header_unit_is_never_alone_on_a_line(plan_path):
    ws = openpyxl.load_workbook(plan_path)["主要指标"]
    header = ws["I3"].value
    assert header == "年均增长(%)"
    assert ws.column_dimensions["I"].width >= 2 * 4 + 3  # one line: 4 wide characters and '(%)'


@pytest.mark.parametrize(("as_printed", "value", "unit", "shows"), [
    ("下降0.8%", -0.8, "%", "下降0.8"),        # the sign in the words: none printed before the number
    ("-40.3", -40.3, "%", "-40.3"),
    ("５以上", 5.0, "%", "5以上"),              # full-width digits, as a page may print them
    ("500台（套）以上", 500.0, "台(套)", "500以上"),  # the unit as normalised in the table, printed full-width
    ('约"20"亿元', 20.0, "亿元", '约"20"'),     # a double quote in the words is escaped, not a format error
    ("12,500人", 12500.0, "人", "12,500"),
])
def test_figure_formats_print_the_words_around_the_number(tmp_path, as_printed, value, unit, shows):
    path = tmp_path / "f.xlsx"
    wb, fmts = new_workbook(path, styles())
    ws = wb.add_worksheet("t")
    write_figure(ws, 0, 0, (value, as_printed, unit), fmts, fmts.body_wrap)
    wb.close()
    cell = openpyxl.load_workbook(path)["t"]["A1"]
    assert cell.value == value and cell.data_type == "n"
    assert printed(cell.value, cell.number_format) == shows


def test_a_text_that_does_not_hold_the_number_keeps_it_in_a_comment(tmp_path):
    assert figure_format("翻一番", 2.0, "倍") is None
    path = tmp_path / "f.xlsx"
    wb, fmts = new_workbook(path, styles())
    ws = wb.add_worksheet("t")
    write_figure(ws, 0, 0, (2.0, "翻一番", "倍"), fmts, fmts.body_wrap)
    wb.close()
    cell = openpyxl.load_workbook(path)["t"]["A1"]
    assert (cell.value, cell.number_format, cell.comment.text) == (2, "#,##0", "原文：翻一番")


# ---------------------------------------------------------------- on paper

@pytest.fixture(scope="module")
def printed_files(seeds, plan_path, tmp_path_factory):
    """The plan workbook, two forms, the city summary, a monitoring and an evaluation workbook and the Word
    report, printed by LibreOffice in one run: {name: (source, PDF text)}."""
    if not office():
        pytest.skip("未安装 LibreOffice：跳过 PDF 检查")
    if not shutil.which("pdftotext"):
        pytest.skip("未安装 poppler-utils：跳过 PDF 文字检查")
    work = tmp_path_factory.mktemp("figures")
    forms = build_entry_forms(work / "forms", "2025-06", "230113", "双城区", seeds.indicators, seeds.projects,
                              seeds.responsibilities, styles(), "PCP-FORM-2026.1",
                              Units.load(ROOT / "inputs" / "config" / "units.yaml"))
    # the largest form, and the form of the unit that answers for the share of industry (its target is '18 以上')
    industry = seeds.indicators.indicator_id[seeds.indicators.target_text == "18 以上"]
    duties = seeds.responsibilities
    unit = duties.lead_unit[duties.item_id.isin(industry)].iloc[0]
    largest = max(forms, key=lambda p: openpyxl.load_workbook(p)["月度填报"].max_row)
    forms = [largest, next(p for p in forms if p.stem.endswith(f"_{unit}"))]
    city = render_city_summary(work / "city.xlsx", seeds.documents, seeds.indicators, catalogue(), units(),
                               styles(), GENERATED_AT)
    status = monitor._frame(monitor.STATUS)
    grain = status.name == GRAIN
    status.loc[grain, "annual_target"], status.loc[grain, "target_text"] = 45.0, ADJUSTED
    monitoring = monitor._render(work / "monitor.xlsx", status=status)
    context = report_context("final")
    for indicator in context["indicators"]:
        indicator["adjusted_target"] = 45.0 if indicator["name"] == GRAIN else None
    evaluation = render_evaluation_workbook(work / "evaluation.xlsx", context, styles())
    report = render_reports(context, ROOT / "templates", work / "report", "230113_双城区_2025_总结评估",
                            styles().statuses)["docx"]
    sources = {"plan": plan_path, "form": forms[0], "form2": forms[1], "city": city, "monitor": monitoring,
               "evaluation": evaluation, "report": report}
    pdfs = to_pdf(list(sources.values()), work)
    return {name: (source, pdf_text(pdf)) for (name, source), pdf in zip(sources.items(), pdfs, strict=True)}


@pytest.mark.parametrize("name", ["plan", "form", "form2", "city", "monitor", "evaluation", "report"])
def test_no_number_is_split_or_lost_in_print(printed_files, name):
    source, text = printed_files[name]
    numbers = report_numbers(source) if source.suffix == ".docx" else workbook_numbers(source)
    assert numbers, name
    assert broken_numbers(numbers, text) == {}
    assert lone_lines(text) == []
    assert not re.search(r"(?<![A-Za-z])(nan|None)(?![A-Za-z])", text)


def test_004_qualifiers_and_adjusted_target_on_paper(printed_files):
    plan = printed_files["plan"][1]
    assert all(q in plan for q in QUALIFIED) and ADJUSTED in plan
    assert "18以上（2025年）" in printed_files["form"][1] + printed_files["form2"][1]
    assert ADJUSTED in printed_files["monitor"][1] and "30左右" in printed_files["monitor"][1]
    assert ADJUSTED in printed_files["evaluation"][1]
