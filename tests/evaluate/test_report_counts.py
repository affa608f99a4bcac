"""A report that does not contradict itself: every count a sentence gives, every total and the number of 专栏 are
recomputed here from the rows of the report's own tables (the HTML report, parsed; the Word report says the same
sentences). On real contexts — 双城区's and 道外区's 2025 总结评估 on the SAMPLE cycle's store with the bundled
adjustments in force, 双城区's 2023 中期评估 (no return for 2023), 平房区's 十三五 goals against its 2020 work
report — and on the report tests' context of every kind. Then the text an official reads (Word, and the PDF
LibreOffice prints from it) holds no 'nan', 'None', '（%）' or '0项，0项', and an empty section says 本期无….
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import docx
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from pipeline.adjust.run import run_adjust
from pipeline.catalog import DataCatalog
from pipeline.evaluate.context import build_context, summarise
from pipeline.evaluate.progress import PeriodBands
from pipeline.plan.run import write_extraction
from pipeline.render.report import pct, render_reports
from pipeline.statuses import Statuses
from pipeline.store import Store
from tests.conftest import CONFIG, ROOT, tables_of
from tests.render.printed import pdf_text, require_office, to_pdf
from tests.render.report_context import report_context

BANDS = PeriodBands.load(CONFIG / "status.yaml")
NOW = datetime(2026, 1, 5)
NO_STORE = pd.DataFrame(columns=["item_id", "period", "cumulative_to_date", "source_file", "cell", "progress"])
STATUSES = Statuses.load(ROOT / "templates" / "workbook_style.yaml")
ON_TRACK = STATUSES.on_track
DEBRIS = ("nan", "None", "（%）", "0项，0项")
# district, name, year, kind, store: the real evaluations; then the report tests' contexts
REAL = {"230113-2025-final": ("230113", "双城区", 2025, "final", "sample"),
        "230104-2025-final": ("230104", "道外区", 2025, "final", "sample"),
        "230113-2023-midterm": ("230113", "双城区", 2023, "midterm", "sample"),
        "230108-2019-final": ("230108", "平房区", 2019, "final", "none")}
CASES = (*REAL, "fixture-annual", "fixture-midterm", "fixture-final")
NO_CHARTS = {"status_counts": None, "paths": []}  # the figures are tested in tests/render; drawing 60 takes 45 s


@pytest.fixture(scope="module")
def tables(seeds, tmp_path_factory) -> dict[str, pd.DataFrame]:
    """The seed tables with inputs/adjustments.csv recorded as `make adjust` does (粮食综合生产能力 43 → 45)."""
    out = tmp_path_factory.mktemp("adjusted")
    write_extraction(seeds, DataCatalog(outputs=out))
    assert run_adjust(DataCatalog(outputs=out), ROOT / "inputs" / "adjustments.csv", now=NOW) == 0
    return {**tables_of(seeds), "adjustments": DataCatalog(outputs=out).load_or_empty("adjustments")}


@pytest.fixture(scope="module")
def rendered(tables, cycle, tmp_path_factory) -> dict[str, tuple[dict, dict]]:
    """Each case's context and its rendered report files (without charts): case → (context, paths)."""
    sample = Store.sqlite(cycle["outputs"] / "store" / "monitor_SAMPLE.sqlite").accepted()
    out = tmp_path_factory.mktemp("reports")
    reports = {}
    for case, (code, name, year, kind, store) in REAL.items():
        context, _ = build_context(tables, sample if store == "sample" else NO_STORE, code, name, year, kind, BANDS,
                                   STATUSES, NOW, sample=store == "sample")
        context["charts"] = NO_CHARTS
        reports[case] = context, render_reports(context, ROOT / "templates", out, case, STATUSES)
    for kind in ("annual", "midterm", "final"):
        context = {**report_context(kind), "charts": NO_CHARTS}
        reports[f"fixture-{kind}"] = context, render_reports(context, ROOT / "templates", out, f"fixture-{kind}",
                                                                    STATUSES)
    return reports


# ---- reading the report as a reader does -----------------------------------------------------------------

def _html(paths: dict) -> BeautifulSoup:
    return _parsed(paths["html"])


@functools.lru_cache(maxsize=16)
def _parsed(path: Path) -> BeautifulSoup:
    """The HTML report, parsed once (the tests only read it)."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _paragraphs(paths: dict) -> list[str]:
    return [p.text for p in _html(paths).find_all("p")]


def _sentence(paragraphs: list[str], start: str) -> str:
    return next(p for p in paragraphs if p.startswith(start))


def _rows(soup: BeautifulSoup, css: str) -> list[list[str]]:
    table = soup.find("table", class_=css)
    return [] if table is None else [[td.text for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")]


def _figure(text: str) -> float | None:
    """A number as the report prints it ('1,527.99', '−6.8'); '—' is none."""
    text = text.strip()
    return None if text in ("—", "") else float(text.replace(",", "").replace("\u2212", "-"))


def _indicator_rows(paths: dict) -> list[dict]:
    names = ("name", "unit", "attribute", "baseline", "target", "actual", "expected", "completion", "status")
    return [dict(zip(names, cells, strict=True)) for cells in _rows(_html(paths), "indicators")]


def _project_rows(paths: dict) -> list[tuple[str, list[str]]]:
    """表3 as (kind, cells): kind 'group', 'item' or 'total'."""
    table = _html(paths).find("table", class_="projects")
    if table is None:
        return []
    return [((tr.get("class") or ["item"])[0], [td.text.strip("\u3000") for td in tr.find_all("td")])
            for tr in table.tbody.find_all("tr")]


def _count(pattern: str, text: str) -> int | None:
    found = re.search(pattern, text)
    return None if found is None else int(found.group(1))


# ---- 表1 and the sentences on indicators -----------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_the_indicator_counts_are_the_rows_of_table_1(rendered, case):
    _, paths = rendered[case]
    rows, paragraphs = _indicator_rows(paths), _paragraphs(paths)
    status = Counter(row["status"] for row in rows)
    with_data = [row for row in rows if row["status"] != "无数据"]
    assert all(row["name"].strip() for row in rows), "a row without a name"
    assert _count(r"^对照规划目标，(\d+)项主要指标", _sentence(paragraphs, "对照规划目标")) == len(rows)
    overall = _sentence(paragraphs, "纳入评估的主要指标")
    assert re.findall(r"\d+", overall)[:6] == [str(n) for n in (
        len(rows), status["已完成"] + status["超前"], status["正常"], status["预警"] + status["滞后"], status["无数据"],
        sum(status[s] for s in ON_TRACK))]
    share = re.search(r"占有数据指标的(\S+%)。", overall)
    assert (share.group(1) if share else None) == (
        pct(sum(status[s] for s in ON_TRACK) / len(with_data)) if with_data else None)
    by_status = dict(re.findall(r"(已完成|超前|正常|预警|滞后|无数据)(\d+)项", _sentence(paragraphs, "按完成情况分：")))
    assert {s: int(n) for s, n in by_status.items()} == {s: status[s] for s in by_status} and len(by_status) == 6


@pytest.mark.parametrize("case", CASES)
def test_the_annex_sentence_counts_the_rows_of_appendix_3(rendered, case):
    """'规划正文另提出N项量化目标…' counts the rows of 附录三 (a chapter row is no target) by their 状态."""
    context, paths = rendered[case]
    rows = _rows(_html(paths), "annex")
    targets = [r for r in rows if len(r) > 1]
    if not targets:
        assert not any(p.startswith("规划正文另提出") for p in _paragraphs(paths))
        return
    sentence = next(p for p in _paragraphs(paths) if "规划正文另提出" in p)
    assert _count(r"另提出(\d+)项量化目标", sentence) == len(targets) == context["annex_summary"]["total"]
    status = Counter(r[-1] for r in targets)
    stated = dict(re.findall(r"(已完成|超前|正常|预警|滞后|无数据)(\d+)项", sentence))
    assert stated == {s: str(n) for s, n in status.items()}
    assert [r[0] for r in rows if len(r) == 1] == [g["chapter"] for g in context["annex"]]


@pytest.mark.parametrize("case", CASES)
def test_the_binding_sentence_counts_only_indicators_with_data_and_says_how_many_have_none(rendered, case):
    _, paths = rendered[case]
    rows, paragraphs = _indicator_rows(paths), _paragraphs(paths)
    binding = [row for row in rows if row["attribute"] == "约束性"]
    measured = [row for row in binding if row["status"] != "无数据"]  # as the 状态 column says
    met = [row for row in measured if row["status"] in ON_TRACK]
    failed = [row["name"] for row in measured if row["status"] not in ON_TRACK]
    no_data = [row["name"] for row in binding if row["status"] == "无数据"]
    expected = sum(row["attribute"] == "预期性" for row in rows)
    unmarked = sum(row["attribute"] == "—" for row in rows)
    sentence = next(p for p in paragraphs if p.startswith(("约束性指标", "本期无标明为约束性")) and "：" not in p[:12])
    if not binding and not expected:
        assert sentence == f"本期无标明为约束性或预期性的指标（{len(rows)}项指标均未标明属性）。"
        return
    assert _count(r"^约束性指标(\d+)项", sentence) == (len(binding) or None)
    assert _count(r"有数据的(\d+)项中", sentence) == (len(measured) or None)
    assert _count(r"(\d+)项达到预期进度", sentence) == (len(met) or None)
    assert (f"{len(failed)}项未达到预期进度（{'、'.join(failed)}）" in sentence) == bool(failed)
    assert sentence.count("未达到预期进度") == bool(failed)
    assert (f"{len(no_data)}项无数据、未能评估（{'、'.join(no_data)}）" in sentence) == bool(no_data)
    assert _count(r"预期性指标(\d+)项", sentence) == (expected or None)
    assert _count(r"未标明属性的指标(\d+)项", sentence) == (unmarked or None)
    listing = _sentence(paragraphs, f"约束性指标{len(binding)}项：" if binding else "本期无标明为约束性的指标。")
    assert all(f"{row['name']}（{row['status']}）" in listing for row in binding)


@pytest.mark.parametrize("case", CASES)
def test_problems_and_gaps_are_the_rows_behind_and_without_data(rendered, case):
    _, paths = rendered[case]
    rows, paragraphs, soup = _indicator_rows(paths), _paragraphs(paths), _html(paths)
    behind = [row["name"] for row in rows if row["status"] in ("预警", "滞后")]
    no_data = [row["name"] for row in rows if row["status"] == "无数据"]
    listed = [p for p in paragraphs if re.match(r"\d+\. ", p) and "牵头单位：" in p]
    assert [re.sub(r"^\d+\. ", "", p).split("（")[0] for p in listed] == [name.split("（")[0] for name in behind]
    leads = r"(\d+项指标低于预期进度|有数据的\d+项指标均|各项主要指标均|本期无可评估进度)"
    lead = next(p for p in paragraphs if re.match(leads, p))
    assert _count(r"^(\d+)项指标低于预期进度", lead) == (len(behind) or None)
    if not behind:  # not '各项主要指标均达到预期进度' while some have no data
        assert lead == ("本期无可评估进度的指标（各项指标均无数据）。" if len(no_data) == len(rows) else
                        f"有数据的{len(rows) - len(no_data)}项指标均达到预期进度，本期无低于预期进度的指标。"
                        if no_data else "各项主要指标均达到预期进度。")
    gaps = _rows(soup, "gaps")
    assert [g[0] for g in gaps] == no_data
    assert (f"此外，{len(no_data)}项指标无实际数据，无法评估进度（见附录一）。" in paragraphs) == bool(no_data)
    assert (f"以下{len(no_data)}项指标缺少数据，未能评估进度：" in paragraphs) == bool(no_data)


# ---- 表3: totals and 专栏 --------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_project_totals_are_the_sums_of_their_rows_and_the_running_text_is_not_a_column(rendered, case):
    _, paths = rendered[case]
    table, paragraphs = _project_rows(paths), _paragraphs(paths)
    groups, items, current = [], [], None
    for kind, cells in table:
        if kind == "group":
            current = {"title": cells[0], "cells": cells, "items": []}
            groups.append(current)
        elif kind == "item":
            current["items"].append(cells)
            items.append(cells)
    total = next(cells for kind, cells in table if kind == "total") if table else None
    columns = [g for g in groups if g["title"].startswith("专栏：")]
    in_text = [item for g in groups if not g["title"].startswith("专栏：") for item in g["items"]]
    lead = next(p for p in paragraphs if p.startswith(("纳入评估的重大项目", "本期无纳入评估的重大项目")))
    if not items:
        assert lead == "本期无纳入评估的重大项目。" and not table
        return
    assert _count(r"^纳入评估的重大项目(\d+)个", lead) == len(items)
    assert _count(r"(\d+)个专栏所列", lead) == (len(columns) if columns and in_text else None)
    assert _count(r"文中提及(\d+)个", lead) == (len(in_text) if columns and in_text else None)
    assert _count(r"均列于(\d+)个专栏", lead) == (len(columns) if not in_text else None)
    assert ("均为文中提及，不属专栏" in lead) == (not columns)

    def sums(rows: list[list[str]]) -> tuple[float | None, float | None, float | None]:
        planned = [_figure(r[1]) for r in rows if _figure(r[1]) is not None]
        done = [_figure(r[2]) for r in rows if _figure(r[2]) is not None]
        like = [_figure(r[2]) for r in rows if _figure(r[1]) is not None and _figure(r[2]) is not None]
        return (sum(planned) if planned else None, sum(done) if done else None, sum(like) if like else None)

    def agrees(printed: str, figure: float | None, rows: int) -> bool:
        """A printed total against the sum of the printed rows (each rounded to 0.01 at most)."""
        value = _figure(printed)
        return value is None if figure is None else value == pytest.approx(figure, abs=0.005 * (rows + 1))

    for group in (*groups, {"cells": total, "items": items}):
        planned, done, like = sums(group["items"])
        cells = group["cells"]
        assert agrees(cells[1], planned, len(group["items"])) and agrees(cells[2], done, len(group["items"])), cells
        assert cells[3] == (pct(like / planned) if planned and like is not None else "—"), cells
    planned, done, like = sums(items)
    with_plan = sum(_figure(r[1]) is not None for r in items)
    with_done = sum(_figure(r[2]) is not None for r in items)
    assert _count(r"其中(\d+)个列明计划投资", lead) == (with_plan or None)
    assert _count(r"；(\d+)个项目报送完成投资", lead) == (with_done or None)
    assert ("本期无项目报送完成投资" in lead) == (not with_done)
    stated = re.search(r"完成计划投资的(\S+%)（", lead)
    assert (stated.group(1) if stated else None) == (pct(like / planned) if planned and like is not None else None)
    for phrase, figure in (("列明计划投资，合计", planned), ("报送完成投资，合计", done),
                           ("列明计划投资的项目完成投资", like)):
        found = re.search(rf"{phrase}([\d,.]+)亿元", lead)
        assert (found is not None) == (figure is not None) and (found is None or agrees(found.group(1), figure,
                                                                                        len(items)))
    overview = _sentence(paragraphs, "重大项目")
    assert overview == "重大项目" + lead[len("纳入评估的重大项目"):].split("。")[0] + "。"


@pytest.mark.parametrize("case", REAL)
def test_the_context_totals_are_exact_sums_of_the_project_rows(rendered, case):
    context, _ = rendered[case]
    projects = context["projects"]
    items = [p for g in projects["groups"] for p in g["items"]]
    for group in (*projects["groups"], {"items": items, "planned_yi": projects["planned_total"],
                                        "done_yi": projects["done_total"],
                                        "planned_done_yi": projects["planned_done_total"]}):
        done = [p["done_yi"] for p in group["items"] if p["done_yi"] is not None]
        planned = [p["investment_yi"] for p in group["items"] if p["investment_yi"] is not None]
        assert group["done_yi"] == (pytest.approx(sum(done)) if done else None)
        assert group["planned_yi"] == (pytest.approx(sum(planned)) if planned else None)
    assert projects["column_count"] == sum(g["in_column"] for g in projects["groups"])
    assert [g["in_column"] for g in projects["groups"]] == sorted((g["in_column"] for g in projects["groups"]),
                                                                  reverse=True)  # the running text last


# ---- what the reader sees: no debris, no nameless row, the adjusted target, the right tense ----------------

def _docx_text(path: Path) -> str:
    document = docx.Document(path)
    return "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])


@pytest.mark.parametrize("case", CASES)
def test_no_debris_and_the_word_report_says_what_the_html_says(rendered, case):
    _, paths = rendered[case]
    for text in (_docx_text(paths["docx"]), _html(paths).get_text(), paths["md"].read_text(encoding="utf-8")):
        assert not [d for d in DEBRIS if d in text], case
    html = set(_paragraphs(paths))
    body = [p.text for p in docx.Document(paths["docx"]).paragraphs if p.style.name == "报告正文" and p.text]
    assert [p for p in body if p not in html] == []


def test_targets_without_a_name_are_left_out_and_the_report_says_how_many_and_which(rendered, tables):
    context, paths = rendered["230113-2025-final"]
    plan = tables["indicators"][tables["indicators"].doc_id == context["plan"]["doc_id"]]
    nameless = plan[(plan.name.str.strip() == "") | (plan.name_issue != "")]
    assert len(nameless) and [x["quote"] for x in context["left_out"]] == nameless.quote.tolist()
    evaluated = [i["indicator_id"] for i in context["indicators"]] + [
        i["indicator_id"] for g in context["annex"] for i in g["items"]]
    assert set(nameless.indicator_id).isdisjoint(evaluated)
    note = _sentence(_paragraphs(paths), "另有")
    assert note.startswith(f"另有{len(nameless)}项目标在规划原文中未写明所指指标")
    assert all(f"“{q}”（原文第{int(n)}行）" in note for q, n in zip(nameless.quote, nameless.line, strict=True))
    by_reason = nameless.assign(reason=[r or "未写明指标名称" for r in nameless.name_issue]).groupby("reason").size()
    # 004 has all four reasons: no name, a verb or filler only, a place, the base of a share (占农户家庭承包经营面积的)
    assert all(f"{reason}的{n}项：" in note for reason, n in by_reason.items()) and len(by_reason) == 4


def _grain(tables: dict[str, pd.DataFrame]) -> str:
    indicators = tables["indicators"]
    return indicators[(indicators.doc_id == "230113-fyp-2021") & (indicators.canonical == "grain_capacity")
                      & (indicators.source == "table")].indicator_id.iloc[0]


def test_the_recommendation_uses_the_target_in_force_and_the_past_tense_after_the_target_year(tables, tmp_path):
    # 2025 at 38 亿斤, below the 40 of 2020, against the 45 of inputs/adjustments.csv (the plan says 43): 滞后
    store = pd.DataFrame({"item_id": [_grain(tables)], "period": ["2025-12"], "cumulative_to_date": [38.0],
                          "source_file": ["230113_农业农村局.xlsx"], "cell": ["G7"], "progress": [""]})
    context, _ = build_context(tables, store, "230113", "双城区", 2025, "final", BANDS, STATUSES, NOW)
    context["charts"] = NO_CHARTS
    grain = next(i for i in context["indicators"] if i["indicator_id"] == _grain(tables))
    assert (grain["target_text"], grain["adjusted_target_text"], grain["status"]) == ("43", "45 亿斤", "滞后")
    assert context["adjustments"]
    text = _docx_text(render_reports(context, ROOT / "templates", tmp_path, "r", STATUSES)["docx"])
    for a in context["adjustments"]:  # every recommendation: the target in force, the plan over
        indicator = next(i for i in context["indicators"] if i["indicator_id"] == a["indicator_id"])
        assert a["target_text"] == (indicator["adjusted_target_text"] or indicator["target_text"])
        assert "难以实现" not in a["reason"] and a["reason"].endswith(f"{indicator['target_year']}年目标未实现")
        assert f"{a['name']}（现行目标：{a['target_text']}）：{a['reason']}。" in text
    assert "粮食综合生产能力（现行目标：45 亿斤）：至2025年末完成进度 \u2212" in text


def test_before_the_target_year_a_recommendation_says_the_target_is_hard_to_reach(tables):
    grain = _grain(tables)
    # 2023 at 38 亿斤, below the 40 of 2020: R < 0.6 → 滞后; the target in force in 2023 is still 43
    store = pd.DataFrame({"item_id": [grain], "period": ["2023-12"], "cumulative_to_date": [38.0],
                          "source_file": ["a.xlsx"], "cell": ["G7"], "progress": [""]})
    context, _ = build_context(tables, store, "230113", "双城区", 2023, "midterm", BANDS, STATUSES, NOW)
    advice = next(a for a in context["adjustments"] if a["indicator_id"] == grain)
    assert advice["target_text"] == "43" and advice["reason"].startswith("按当前进度（R=\u2212")
    assert advice["reason"].endswith("到2025年难以实现目标，建议调整")


def test_a_share_that_exceeded_its_target_is_shown_in_points_not_as_a_big_per_cent(rendered):
    shown = 0
    for case in CASES:
        context, paths = rendered[case]
        rows = _indicator_rows(paths)
        for row, i in zip(rows, context["indicators"], strict=True):
            if i["kind"] == "share" and i["progress"] is not None and i["progress"] >= 1:
                above = i["actual"] - (i["adjusted_target"] if i["adjusted_target"] is not None else i["target"])
                assert row["completion"] == (f"高于目标{_figure(f'{above:.2f}'):g}个百分点" if round(above, 6) > 0
                                            else "达到目标"), i["name"]
                shown += 1
    assert shown


# ---- an empty section says so -----------------------------------------------------------------------------

def test_an_empty_section_says_so_in_a_sentence(tmp_path):
    context = report_context("final")
    context.update(indicators=[], summary=summarise([], STATUSES), problems=[], adjustments=[], gaps=[], left_out=[],
                   tasks=[],
                   projects={"groups": [], "planned_total": None, "done_total": None, "planned_done_total": None,
                             "count": 0, "column_count": 0, "in_columns": 0, "in_text": 0, "planned_count": 0,
                             "done_count": 0})
    paths = render_reports(context, ROOT / "templates", tmp_path, "empty", STATUSES)
    paragraphs = _paragraphs(paths)
    for sentence in ("本期无纳入评估的主要指标。", "本期无标明为约束性或预期性的指标。", "本期无纳入评估的重大项目。",
                     "本期无纳入评估的重点任务。", "本期无可评估进度的指标（各项指标均无数据）。",
                     "本期无数据缺口。"):
        assert sentence in paragraphs, sentence
    assert _html(paths).find("table", class_="projects") is None
    text = _docx_text(paths["docx"])
    assert "本期无纳入评估的重大项目。" in text and not [d for d in DEBRIS if d in text]
    assert not re.search(r"(?<![\d.])0项", text)


def test_a_plan_without_marked_attributes_says_so_not_zero_of_zero(rendered):
    context, paths = rendered["230108-2019-final"]
    assert context["summary"]["binding_total"] == context["summary"]["expected_total"] == 0
    paragraphs = _paragraphs(paths)
    assert f"本期无标明为约束性或预期性的指标（{len(context['indicators'])}项指标均未标明属性）。" in paragraphs
    assert "本期无标明为约束性的指标。" in paragraphs
    assert not [p for p in paragraphs if "约束性指标0项" in p or "预期性指标0项" in p]


# ---- the PDF an official prints ---------------------------------------------------------------------------

def test_the_printed_reports_hold_no_debris(rendered, tmp_path):
    require_office(writer=True)
    pdfs = to_pdf([rendered[case][1]["docx"] for case in REAL], tmp_path)
    for case, pdf in zip(REAL, pdfs, strict=True):
        text = pdf_text(pdf)
        assert "主要指标完成情况" in text and not [d for d in DEBRIS if d in text], case


# ---- the evaluation workbook beside the report -------------------------------------------------------------

def test_the_workbook_has_no_nameless_row_and_its_notes_cite_only_files_of_the_repository(rendered, tmp_path):
    from openpyxl import load_workbook

    from pipeline.render.evaluation_workbook import render_evaluation_workbook
    from pipeline.render.styles import StyleSheet

    context, _ = rendered["230113-2025-final"]
    path = render_evaluation_workbook(tmp_path / "e.xlsx", context,
                                      StyleSheet.load(ROOT / "templates" / "workbook_style.yaml"))
    book = load_workbook(path)
    names = [row[1].value for row in book["主要指标评估"].iter_rows(min_row=4) if row[0].value is not None]
    assert len(names) == len(context["indicators"]) and all(name and name.strip() for name in names)
    notes = dict((row[0].value, row[1].value) for row in book["说明"].iter_rows(min_row=3) if row[0].value)
    cited = re.findall(r"[\w./-]+\.(?:md|yaml|csv|py)\b", " ".join(notes.values()))
    assert cited and all((ROOT / name).is_file() for name in cited), cited  # no ../shared/DESIGN.md
    assert "../" not in " ".join(notes.values())
    assert notes["未纳入评估"].startswith(f"{len(context['left_out'])}项目标在规划原文中未写明所指指标")
    annex = [row[2].value for row in book["其他量化目标"].iter_rows(min_row=4)]
    assert annex == [i["name"] for g in context["annex"] for i in g["items"]] and all(annex)
