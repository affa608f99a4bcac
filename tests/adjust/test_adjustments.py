"""调整: every invalid line rejected with its number and reason, valid lines applied as a new version, the
same file twice records nothing, and later stages use the target in force."""
from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
import pytest

from pipeline.adjust.adjustments import check_adjustments, targets_in_force
from pipeline.adjust.run import run_adjust
from pipeline.catalog import DataCatalog
from pipeline.evaluate.context import build_context
from pipeline.evaluate.progress import PeriodBands
from pipeline.monitor.items import unit_items
from pipeline.plan.run import write_extraction
from pipeline.statuses import Statuses
from pipeline.store import Store
from tests.conftest import CONFIG, ROOT

HEADER = "indicator,field,new_value,effective_from,reason,approved_by,recorded_by\n"
GOOD = "230113:grain_capacity,target_value,45 亿斤,2024-01,市里下达新的粮食生产任务,哈政发〔2024〕1号,发改局\n"
BAD = [
    ("230113:no_such_key,target_value,45,2024-01,理由,文号,发改局", "不存在"),
    ("230113:grain_capacity,attribute,预期性,2024-01,理由,文号,发改局", "不可调整"),
    ("230113:forest_coverage,target_value,三成,2024-01,理由,文号,发改局", "不是数值"),
    ("230113:forest_coverage,target_value,3.2 万亩,2024-01,理由,文号,发改局", "单位“万亩”与指标单位“%”不一致"),
    ("230113:forest_coverage,target_value,3.2,2027-01,理由,文号,发改局", "不在规划期 2021—2025 年内"),
    ("230113:forest_coverage,target_value,3.2,2024-01,,文号,发改局", "缺少调整理由"),
    ("230113:forest_coverage,target_value,3.2,2024-01,理由,,发改局", "缺少批准文号"),
    ("230113:grain_capacity,target_value,44,2024-01,另一理由,另一文号,发改局", "与此前的调整矛盾"),
]


@pytest.fixture()
def outputs(seeds, tmp_path):
    out = tmp_path / "outputs"
    write_extraction(seeds, DataCatalog(outputs=out))
    return out


def test_each_invalid_line_is_rejected_with_its_line_and_reason_and_valid_lines_apply(outputs, tmp_path):
    path = tmp_path / "adjustments.csv"
    path.write_text(HEADER + GOOD + "\n".join(line for line, _ in BAD) + "\n", encoding="utf-8")
    assert run_adjust(DataCatalog(outputs=outputs), path, now=datetime(2026, 1, 5)) == 1  # some lines rejected
    rejected = pd.read_csv(outputs / "adjust" / "rejected_lines.csv", dtype=str, keep_default_na=False)
    assert rejected.line.tolist() == [str(n) for n in range(3, 3 + len(BAD))]
    for reason, (_, expected) in zip(rejected.reason, BAD, strict=True):
        assert expected in reason
    store = Store.sqlite(outputs / "store" / "monitor.sqlite")
    assert store.table("plan_versions").version.tolist() == [2]
    applied = DataCatalog(outputs=outputs).load_or_empty("adjustments")
    assert (applied.name.tolist(), applied.new_value.tolist(), applied.version.tolist()) == (
        ["粮食综合生产能力"], [45.0], [2])


def test_the_same_file_twice_creates_no_new_version_and_a_new_change_creates_version_3(outputs, tmp_path):
    path = tmp_path / "adjustments.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    catalog = DataCatalog(outputs=outputs)
    assert run_adjust(catalog, path) == 0 and run_adjust(catalog, path) == 0
    store = Store.sqlite(outputs / "store" / "monitor.sqlite")
    assert store.table("plan_versions").version.tolist() == [2]
    forest = "230113:forest_coverage,target_value,3.2,2025-07,造林任务调增,双政发〔2025〕7号,发改局\n"
    path.write_text(HEADER + GOOD + forest, encoding="utf-8")
    assert run_adjust(DataCatalog(outputs=outputs), path) == 0
    assert store.table("plan_versions").version.tolist() == [2, 3]


def test_monitoring_uses_the_target_in_force_that_month_and_shows_the_old_one(outputs, tmp_path, seeds):
    path = tmp_path / "adjustments.csv"
    # 城市空气质量优良天数比率 is reported monthly (the catalogue), so both months' forms ask for it
    path.write_text(HEADER + "230113:air_quality_good_days,target_value,97,2025-07,目标调增,双政发〔2025〕7号,发改局\n",
                    encoding="utf-8")
    run_adjust(DataCatalog(outputs=outputs), path)
    tables = {"documents": seeds.documents, "indicators": seeds.indicators, "projects": seeds.projects,
              "responsibilities": seeds.responsibilities,
              "adjustments": DataCatalog(outputs=outputs).load_or_empty("adjustments")}
    air = seeds.indicators[(seeds.indicators.canonical == "air_quality_good_days")
                           & (seeds.indicators.source == "table")].indicator_id.iloc[0]
    june = unit_items(tables, "2025-06").set_index("item_id").loc[air]
    august = unit_items(tables, "2025-08").set_index("item_id").loc[air]
    assert (june.annual_target, june.target_text) == (96.0, "96")
    assert (august.annual_target, august.target_text) == (97.0, "96（调整为97）")  # as the reports print it
    assert august.target_note.startswith("目标为第 2 版（双政发〔2025〕7号")
    assert august.target_note.endswith("原目标 96")


def test_an_indicator_is_asked_for_only_in_the_months_of_its_frequency(seeds):
    tables = {"documents": seeds.documents, "indicators": seeds.indicators, "projects": seeds.projects,
              "responsibilities": seeds.responsibilities}
    fyp = seeds.indicators[seeds.indicators.doc_id == "230113-fyp-2021"].set_index("indicator_key").indicator_id
    asked = {m: set(unit_items(tables, f"2025-{m:02d}").item_id) for m in (5, 6, 12)}
    assert fyp["air_quality_good_days"] in asked[5] & asked[6] & asked[12]  # monthly
    assert fyp["gdp_growth"] in asked[6] - asked[5]  # quarterly: June, not May
    assert fyp["arable_land"] in asked[12] - asked[6]  # annual: the year-end form only


def test_evaluation_shows_both_targets_and_judges_against_the_adjusted_one(outputs, tmp_path, seeds):
    path = tmp_path / "adjustments.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    run_adjust(DataCatalog(outputs=outputs), path)
    tables = {"documents": seeds.documents, "indicators": seeds.indicators, "achievements": seeds.achievements,
              "projects": seeds.projects, "tasks": seeds.tasks, "responsibilities": seeds.responsibilities,
              "adjustments": DataCatalog(outputs=outputs).load_or_empty("adjustments")}
    grain = seeds.indicators[(seeds.indicators.canonical == "grain_capacity")
                             & (seeds.indicators.source == "table")].indicator_id.iloc[0]
    store = pd.DataFrame({"item_id": [grain, grain], "period": ["2023-12", "2024-12"],
                          "cumulative_to_date": [41.8, 42.8], "source_file": ["a.xlsx", "b.xlsx"],
                          "cell": ["G5", "G5"], "progress": ["", ""]})
    bands = PeriodBands.load(CONFIG / "status.yaml")
    statuses = Statuses.load(ROOT / "templates" / "workbook_style.yaml")
    now = datetime(2026, 1, 5)
    before, _ = build_context(tables, store, "230113", "双城区", 2023, "midterm", bands, statuses, now)
    after, _ = build_context(tables, store, "230113", "双城区", 2024, "annual", bands, statuses, now)
    b = next(i for i in before["indicators"] if i["indicator_id"] == grain)
    a = next(i for i in after["indicators"] if i["indicator_id"] == grain)
    assert (b["target"], b["adjusted_target"], b["status"]) == (43.0, None, "正常")  # P 0.6, τ 0.6
    # 2024 against 45: P = (42.8−40)/(45−40) = 0.56, τ 0.8, R 0.70 → 预警 (约束性); against 43 it would be 正常
    assert (a["target"], a["adjusted_target"], a["status"]) == (43.0, 45.0, "预警")
    assert a["method"].startswith("按调整后目标 45 亿斤 判定（原目标 43")
    from openpyxl import load_workbook

    from pipeline.render.evaluation_workbook import render_evaluation_workbook
    from pipeline.render.styles import StyleSheet

    book = render_evaluation_workbook(tmp_path / "e.xlsx", after, StyleSheet.load(ROOT / "templates" /
                                                                                  "workbook_style.yaml"))
    row = next(r for r in load_workbook(book)["主要指标评估"].iter_rows(min_row=4) if r[1].value == a["name"])
    assert (row[5].value, row[7].value) == (45, a["expected"])  # judged on 45, the number in force
    assert row[5].number_format == '"43（调整为"#,##0"）"'  # both targets printed: '43（调整为45）'


def test_targets_in_force_leaves_the_plan_as_it_was_without_adjustments(seeds):
    out = targets_in_force(seeds.indicators, None, "2025-06")
    pd.testing.assert_series_equal(out.target_value, seeds.indicators.target_value)
    assert (out.adjusted_by == "").all()


def test_check_skips_lines_already_applied(seeds):
    lines = pd.read_csv(ROOT / "inputs" / "adjustments.csv", dtype=str, keep_default_na=False)
    changes, rejected = check_adjustments(lines, seeds.indicators, seeds.documents, pd.DataFrame(
        columns=["change_id", "indicator_id", "field", "effective_from", "new_value"]))
    assert len(changes) == len(lines) and not rejected
    again, rejected = check_adjustments(lines, seeds.indicators, seeds.documents, changes)
    assert again.empty and not rejected


@pytest.mark.parametrize(("content", "says"), [
    ((HEADER + GOOD).encode("gbk"), "adjustments.csv：不是 UTF-8 编码"),  # Excel on Chinese Windows
    (b"", "adjustments.csv：文件是空的"),
    ((HEADER + GOOD + GOOD.rstrip("\n") + ",多余,多余\n").encode("utf-8"), "adjustments.csv：格式有误"),
])
def test_an_unreadable_adjustments_file_applies_nothing_and_says_why(outputs, tmp_path, caplog, content, says):
    path = tmp_path / "adjustments.csv"
    path.write_bytes(content)
    assert run_adjust(DataCatalog(outputs=outputs), path) == 1
    assert any(r.levelname == "ERROR" and r.getMessage().startswith(says) for r in caplog.records)
    assert not (outputs / "store" / "monitor.sqlite").exists() or \
        Store.sqlite(outputs / "store" / "monitor.sqlite").table("plan_versions").empty


def test_a_plan_whose_period_is_unknown_rejects_the_line_with_why(seeds):
    documents = seeds.documents.assign(period_start=lambda d: d.period_start.where(d.doc_id != "230113-fyp-2021", ""))
    lines = pd.read_csv(io.StringIO(HEADER + GOOD), dtype=str, keep_default_na=False)
    changes, rejected = check_adjustments(lines, seeds.indicators, documents, pd.DataFrame(
        columns=["change_id", "indicator_id", "field", "effective_from", "new_value"]))
    assert changes.empty and [r.line for r in rejected] == [2]
    assert "规划期未知" in rejected[0].reason
