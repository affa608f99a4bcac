"""Evaluations on the real cases: 平房区's 十三五 goals against what its 2020 work report says of 2019, and
双城区's 十四五 plan — with the store winning over documents and missing values left missing."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from pipeline.evaluate.context import actual_values, build_context, plan_document
from pipeline.evaluate.progress import PeriodBands, evaluate
from pipeline.plan.run import extract_documents
from pipeline.statuses import Statuses
from pipeline.units import Units
from tests.conftest import CONFIG, CORPUS, ROOT, tables_of

BANDS = PeriodBands.load(CONFIG / "status.yaml")
STATUSES = Statuses.load(ROOT / "templates" / "workbook_style.yaml")
NOW = datetime(2026, 1, 5)
NO_STORE = pd.DataFrame(columns=["item_id", "period", "cumulative_to_date", "source_file", "cell", "progress"])


@pytest.fixture(scope="module")
def tables(seeds):
    return tables_of(seeds)


def test_the_plan_an_evaluation_judges(tables):
    docs = tables["documents"]
    assert plan_document(docs, "230108", 2020, "annual").doc_id == "230108-wr-2020"
    assert plan_document(docs, "230108", 2019, "final").doc_id == "230108-rv-2016"
    assert plan_document(docs, "230113", 2023, "midterm").doc_id == "230113-fyp-2021"
    assert plan_document(docs, "230113", 2019, "midterm") is None


def test_pingfang_13th_plan_goals_against_what_the_2020_work_report_says_of_2019(tables):
    context, rows = build_context(tables, NO_STORE, "230108", "平房区", 2019, "final", BANDS, STATUSES, NOW)
    rate = rows[rows.actual.notna()]
    assert len(rate) == 1
    row = rate.iloc[0]
    # 003: 城镇登记失业率控制在3%以内; 002 reports 2019: 城镇登记失业率1.5% → within the ceiling
    assert (row["name"], row.target, row.actual, row.status) == ("城镇登记失业率", 3.0, 1.5, "正常")
    assert row.actual_source.startswith("“城镇登记失业率1.5%”（230108-wr-2020")
    # 003 (a review) prints no indicator table: 表1 holds the catalogue indicators its text states, and says so
    main = rows[rows.listed_in == "main"]
    assert context["main_from_text"] and sorted(main.name) == ["地区生产总值", "城区绿化覆盖率", "城镇登记失业率"]
    assert context["summary"]["counts"]["无数据"] == len(main) - 1 == len(context["gaps"])
    assert context["summary"]["total"] == sum(context["summary"]["counts"].values()) == len(main)
    assert context["annex_summary"]["total"] == len(rows) - len(main) == sum(len(g["items"]) for g in context["annex"])


def test_shuangcheng_midterm_without_data_says_no_data_for_every_indicator(tables):
    context, rows = build_context(tables, NO_STORE, "230113", "双城区", 2023, "midterm", BANDS, STATUSES, NOW)
    assert context["tau"] == pytest.approx(0.6)
    assert set(rows.status) == {"无数据"} and rows.actual.isna().all()
    table = rows.merge(tables["indicators"][["indicator_id", "source"]], on="indicator_id")
    assert (table.source == "table").sum() == 22  # the 主要指标表's 22 rows are all evaluated, in 表1
    assert list(table.listed_in == "main") == list(table.source == "table") and not context["main_from_text"]
    assert len(context["gaps"]) == 22 and context["summary"]["on_track"] == 0
    # the other quantified targets by chapter, in the order the plan states them, each chapter once
    chapters = [g["chapter"] for g in context["annex"]]
    assert len(chapters) == len(set(chapters)) and [c[:3] for c in chapters[:3]] == ["第一章", "第二章", "第三章"]
    assert sum(len(g["items"]) for g in context["annex"]) == len(rows) - 22


def test_the_store_wins_over_a_document(tables):
    ind = tables["indicators"]
    gdp = ind[(ind.doc_id == "230102-ap-2023") & (ind.canonical == "gdp_growth")].iloc[[0]]
    reported = pd.DataFrame({"district_code": ["230102"], "canonical": ["gdp_growth"], "kind": ["growth"],
                             "unit": ["%"],
                             "year": [2023], "value": [5.8], "quote": ["地区生产总值增长5.8%"], "doc_id": ["x"],
                             "line": [3]})
    store = pd.DataFrame({"item_id": [gdp.indicator_id.iloc[0]], "period": ["2023-12"], "cumulative_to_date": [6.1],
                          "source_file": ["230102_发改局.xlsx"], "cell": ["G5"], "progress": [""]})
    from_doc = actual_values(gdp, reported, NO_STORE, 2023).iloc[0]
    from_store = actual_values(gdp, reported, store, 2023).iloc[0]
    assert (from_doc.actual, from_doc.actual_source.startswith("“地区生产总值增长5.8%”")) == (5.8, True)
    assert (from_store.actual, from_store.actual_source) == (  # the document's other figure is shown, with the rule
        6.1, "2023-12 月度填报 230102_发改局.xlsx!G5；另有“地区生产总值增长5.8%”（x 第 3 行）记为 5.8，以月度填报为准")


def test_counts_binding_and_problems_agree_with_the_rows(tables):
    ind = tables["indicators"]
    mine = ind[ind.doc_id == "230113-fyp-2021"]
    grain = mine[mine.canonical == "grain_capacity"].indicator_id.iloc[0]
    jobs = mine[mine.canonical == "urban_new_jobs"].indicator_id.iloc[0]
    # 粮食综合生产能力 40→43 亿斤: 41.5 in 2023 → P 0.5, τ 0.6, R 0.83 → 预警 (约束性 needs R ≥ 1.0)
    # 城镇新增就业人数 0.27→0.8 万人: 0.9 in 2023 → target reached → 已完成
    store = pd.DataFrame({"item_id": [grain, jobs], "period": ["2023-12", "2023-12"],
                          "cumulative_to_date": [41.5, 0.9], "source_file": ["a.xlsx", "b.xlsx"], "cell": ["G5", "G6"],
                          "progress": ["", ""]})
    context, rows = build_context(tables, store, "230113", "双城区", 2023, "midterm", BANDS, STATUSES, NOW)
    by_id = rows.set_index("indicator_id")
    assert by_id.loc[grain, "status"] == "预警" and by_id.loc[jobs, "status"] == "已完成"
    assert context["summary"]["counts"]["预警"] == (rows.status == "预警").sum()
    assert "粮食综合生产能力" in context["summary"]["binding_failed"]
    assert [p["name"] for p in context["problems"]] == list(rows[rows.status.isin(["预警", "滞后"])].name)


def test_the_report_workbook_and_table_agree_and_keep_the_contract(tables, tmp_path):
    from openpyxl import load_workbook

    from pipeline.evaluate.run import Evaluation, _keep, write_outputs
    from pipeline.render.run import render_evaluations
    from pipeline.schema import check_table, load_contract
    from pipeline.tables import read_csv_text
    from tests.monitor.conftest import catalog_of

    context, rows = build_context(tables, NO_STORE, "230108", "平房区", 2019, "final", BANDS, STATUSES, NOW)
    catalog = catalog_of(tmp_path)
    base = "230108_平房区_2019年总结评估"
    data = write_outputs(context, rows, tmp_path / "r", base, catalog.vocabularies)
    written = data | render_evaluations(catalog, [Evaluation(context, tmp_path / "r", base, data)])[0]
    ws = load_workbook(written["workbook"])["主要指标评估"]
    statuses = [r[10].value for r in ws.iter_rows(min_row=4, max_row=3 + context["summary"]["total"])]
    assert {s: statuses.count(s) for s in set(statuses)} == {k: v for k, v in context["summary"]["counts"].items() if v}
    html = written["html"].read_text(encoding="utf-8")
    assert f"{context['summary']['total']}项" in html and "城镇登记失业率" in html
    _keep(catalog, rows)
    tables_read = {"evaluations": read_csv_text(catalog.path("evaluations")), "documents": tables["documents"],
                   "indicators": tables["indicators"]}
    assert check_table("evaluations", tables_read["evaluations"], tables_read, load_contract(),
                       {"statuses": STATUSES.computed}) == []


def test_an_evaluation_run_draws_its_charts_into_the_report(tables, tmp_path, cjk_font):
    import docx

    from pipeline.evaluate.run import Evaluation, write_outputs
    from pipeline.render.run import render_evaluations
    from tests.monitor.conftest import catalog_of

    context, rows = build_context(tables, NO_STORE, "230108", "平房区", 2019, "final", BANDS, STATUSES, NOW)
    catalog = catalog_of(tmp_path)
    data = write_outputs(context, rows, tmp_path, "230108_平房区_2019", catalog.vocabularies)
    written = render_evaluations(catalog, [Evaluation(context, tmp_path, "230108_平房区_2019", data)])[0]
    assert (written["charts"] / "status.png").exists()
    # the status chart, and the path chart of the one indicator with an actual value (城镇登记失业率, 约束性)
    assert len(docx.Document(written["docx"]).inline_shapes) >= 1
    assert '_2019_charts/status.png" alt=' in written["html"].read_text(encoding="utf-8")  # name URL-quoted


def test_the_evaluation_workbook_shows_progress_as_per_cent_and_takes_an_unadjusted_plan(tables, tmp_path):
    from openpyxl import load_workbook

    from pipeline.catalog import DataCatalog
    from pipeline.render.evaluation_workbook import render_evaluation_workbook
    from pipeline.render.styles import StyleSheet
    from tests.conftest import ROOT

    ind = tables["indicators"]
    grain = ind[(ind.doc_id == "230113-fyp-2021") & (ind.canonical == "grain_capacity")].indicator_id.iloc[0]
    store = pd.DataFrame({"item_id": [grain], "period": ["2023-12"], "cumulative_to_date": [41.5],
                          "source_file": ["a.xlsx"], "cell": ["G5"], "progress": [""]})
    context, rows = build_context(tables, store, "230113", "双城区", 2023, "midterm", BANDS, STATUSES, NOW)
    no_adjustments = DataCatalog(outputs=tmp_path).load_or_empty("adjustments")  # `make evaluate` before any 调整
    path = render_evaluation_workbook(tmp_path / "e.xlsx", context,
                                      StyleSheet.load(ROOT / "templates" / "workbook_style.yaml"), no_adjustments)
    ws = load_workbook(path)["主要指标评估"]
    row = next(r for r in ws.iter_rows(min_row=4) if r[1].value == "粮食综合生产能力")
    # 40 → 43 亿斤, 41.5 in 2023: P = 1.5 / 3 = 0.5, shown as 50.0%
    assert (row[8].value, row[8].number_format) == (0.5, "0.0%")


def test_the_summary_counts_binding_and_expected_indicators_by_their_attribute(tables):
    context, rows = build_context(tables, NO_STORE, "230113", "双城区", 2023, "midterm", BANDS, STATUSES, NOW)
    # 004's 主要指标表 marks each indicator 约束性 or 预期性; prose targets carry no attribute
    table = tables["indicators"][(tables["indicators"].doc_id == "230113-fyp-2021")
                                 & (tables["indicators"].source == "table")]
    assert context["summary"]["expected_total"] == (table.attribute == "预期性").sum() > 0
    assert context["summary"]["binding_total"] == (table.attribute == "约束性").sum() > 0


def test_a_bulletin_of_the_district_gives_the_actuals_of_its_year_converted_and_quoted(tables, config):
    # a real 统计公报 (凤庆县 2021, tests/corpus) listed as 双城区's: its figures attach to 004's indicators by key
    source = "2021_凤庆县_统计公报_节选.txt"
    listed = pd.DataFrame([{"doc_id": "230113-sb-2021", "district_code": "230113", "district": "双城区",
                            "doc_type": "statistical_bulletin", "title": "统计公报", "period_start": "2021",
                            "period_end": "2021", "published": "2022-04", "source_file": source}])
    bulletin = extract_documents([CORPUS / source], listed, config)
    assert bulletin.statements.empty  # a bulletin states no targets
    joined = dict(tables, documents=pd.concat([tables["documents"], bulletin.documents], ignore_index=True),
                  achievements=pd.concat([tables["achievements"], bulletin.achievements], ignore_index=True))
    context, rows = build_context(joined, NO_STORE, "230113", "双城区", 2021, "midterm", BANDS, STATUSES, NOW,
                                  units=Units.load(CONFIG / "units.yaml"))
    keyed = rows.merge(tables["indicators"][["indicator_id", "indicator_key"]], on="indicator_id").set_index(
        "indicator_key")
    gdp = keyed.loc["gdp_growth"]  # 同比增长7.9% against 年均增长5%以上
    assert gdp.actual == 7.9 and "230113-sb-2021" in gdp.actual_source and gdp.status != "无数据"
    jobs = keyed.loc["urban_new_jobs"]  # 城镇新增就业4850人 against a target in 万人: converted, and saying so
    assert jobs.actual == pytest.approx(0.485) and "换算为0.485万人" in jobs.actual_source
    assert (keyed.status != "无数据").sum() >= 2 and len(keyed) == len(rows)  # one row per indicator


def test_a_fall_against_a_growth_target_is_lagging():
    # the case: GDP growth of −0.8% in a mid-term year against 年均增长5%
    result = evaluate("growth", None, 2020, 5.0, 2025, -0.8, 2023, BANDS)
    assert result.status == "滞后"


def test_a_figure_returned_under_the_years_plan_counts_for_the_five_year_plan(tables):
    """平房区 2020: the forms asked 城镇登记失业率 once, under the 2020 work report; the 十三五 final evaluation of 2020
    takes that return for its own 城镇登记失业率 (same key, same district)."""
    ind = tables["indicators"]
    rate = ind[ind.indicator_key == "registered_unemployment_rate"].set_index("doc_id").indicator_id
    store = pd.DataFrame({"item_id": [rate["230108-wr-2020"]], "period": ["2020-12"], "cumulative_to_date": [2.6],
                          "source_file": ["230108_人社局.xlsx"], "cell": ["G5"], "progress": [""]})
    _, rows = build_context(tables, store, "230108", "平房区", 2020, "final", BANDS, STATUSES, NOW)
    row = rows.set_index("indicator_id").loc[rate["230108-rv-2016"]]
    assert (row.actual, row.actual_source) == (2.6, "2020-12 月度填报 230108_人社局.xlsx!G5")
