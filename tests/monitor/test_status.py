"""Monthly status against hand-computed examples, one per kind of target (bands: inputs/config/status.yaml)."""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline.monitor.status import Bands, Pace, compute_status, monthly_status
from tests.conftest import CONFIG

BANDS = Bands.load(CONFIG / "status.yaml")


@pytest.mark.parametrize("name, target, cumulative, month, rate, binding, expected", [
    # 001: 力争全年新增规上工业企业10户以上 — by June 4 households: 4/10 = 40% against 6/12 = 50%: Δ −10 pts
    ("新增规上工业企业", 10, 4, 6, False, False, (0.5, 0.4, -0.1, "正常")),
    # 001: 公共财政预算收入计划完成23.9亿元 — by March 4.0亿: 16.7% against 25%: Δ −8.3 pts
    ("公共财政预算收入", 23.9, 4.0, 3, False, False, (0.25, 4.0 / 23.9, 4.0 / 23.9 - 0.25, "正常")),
    # same, by September only 9.0亿: 37.7% against 75%: Δ −37.3 pts → 滞后
    ("公共财政预算收入", 23.9, 9.0, 9, False, False, (0.75, 9.0 / 23.9, 9.0 / 23.9 - 0.75, "滞后")),
    # 001: 地区生产总值增长6%左右 — a rate: 5.1% to date is 85% of the target: Δ −15 pts → 预警
    ("地区生产总值", 6.0, 5.1, 6, True, False, (1.0, 0.85, -0.15, "预警")),
    # 004: 城镇新增就业人数 0.8万人 (约束性) — by June 0.38: 47.5% against 50%: Δ −2.5 pts, 约束性 → 预警
    ("城镇新增就业人数", 0.8, 0.38, 6, False, True, (0.5, 0.475, -0.025, "预警")),
    # 004: 国家高新技术企业户数 30 — by October 31: target reached → 已完成
    ("国家高新技术企业户数", 30, 31, 10, False, False, (10 / 12, 31 / 30, 31 / 30 - 10 / 12, "已完成")),
])
def test_monthly_status_by_hand(name, target, cumulative, month, rate, binding, expected):
    got = monthly_status(target, cumulative, month, BANDS, binding=binding,
                         paced=Pace(1.0, "比率类指标按目标值比较") if rate else None)
    assert (got.expected_share, got.completion, got.delta) == pytest.approx(expected[:3])
    assert got.status == expected[3], name
    assert f"{month}/12" in got.method or "比率类" in got.method


def _one_indicator(measure: str, **plan) -> pd.DataFrame:
    row = {"item_type": "indicator", "item_id": "i1", "district_code": "230113", "name": "x", "unit": "万公顷",
           "annual_target": 23.3, "target_text": "23.3", "attribute": "约束性", "lead_unit": "自然资源局",
           "measure_type": measure, "qualifier": "", "baseline_value": float("nan"), "baseline_year": float("nan"),
           "target_year": 2025.0}
    return pd.DataFrame([row | plan])


def _reported(value: float, period: str) -> pd.DataFrame:
    return pd.DataFrame({"item_id": ["i1"], "period": [period], "value": [value], "cumulative_to_date": [value],
                         "source_file": ["a.xlsx"], "cell": ["G5"]})


def test_a_stock_is_paced_along_its_path_from_the_baseline_never_by_months():
    # 004: 耕地保有量 23.3万公顷 (约束性); reported 23.3 in June 2023: the target is held, whatever the month
    held = compute_status(_one_indicator("stock"), _reported(23.3, "2023-06"), "2023-06", BANDS).iloc[0]
    assert held.status == "已完成" and "6/12" not in held.method
    # a stock with a baseline (2020: 20) rising to 23.3 by 2025: June 2023 is 50% of the way (2.5 of 5 years);
    # 21.5 is (21.5−20)/(23.3−20) = 45.5% of the way: Δ −4.5 pts → 正常 for a 预期性 one
    path = _one_indicator("stock", baseline_value=20.0, baseline_year=2020.0, attribute="预期性")
    row = compute_status(path, _reported(21.5, "2023-06"), "2023-06", BANDS).iloc[0]
    assert (row.expected_share, round(row.completion, 3), row.status) == (0.5, 0.455, "正常")
    assert "直线进度" in row.method


def test_a_plan_total_is_paced_over_the_plan_years():
    # 004: 产业电商园线上线下累计综合交易额 [150] 亿元 over 2021–2025: by June 2023, 2.5 of 5 years have gone
    total = _one_indicator("cumulative", unit="亿元", annual_target=150.0, baseline_year=2020.0, attribute="预期性")
    row = compute_status(total, _reported(60.0, "2023-06"), "2023-06", BANDS).iloc[0]
    assert (row.expected_share, row.completion, row.status) == (0.5, 0.4, "正常") and "规划期" in row.method


def test_a_ceiling_is_met_or_not_and_a_rate_is_compared_with_its_target():
    ceiling = _one_indicator("rate", unit="%", annual_target=4.5, qualifier="以内", attribute="预期性")
    assert compute_status(ceiling, _reported(3.9, "2025-06"), "2025-06", BANDS).iloc[0].status == "正常"
    assert compute_status(ceiling, _reported(4.8, "2025-06"), "2025-06", BANDS).iloc[0].status == "滞后"
    rate = _one_indicator("growth", unit="%", annual_target=6.0, attribute="预期性")
    row = compute_status(rate, _reported(5.7, "2025-06"), "2025-06", BANDS).iloc[0]
    assert (row.expected_share, row.status) == (1.0, "正常")


def test_no_return_is_no_data_and_a_text_target_has_no_ratio():
    assert monthly_status(10, None, 6, BANDS).status == "无数据"
    assert monthly_status(float("nan"), 3.0, 6, BANDS).status == "无数据"


def test_warning_two_months_running_becomes_lagging():
    items = pd.DataFrame({"item_type": ["indicator"], "item_id": ["i1"], "district_code": ["230113"],
                          "name": ["规上装备制造企业"], "unit": ["户"], "annual_target": [24.0], "target_text": ["24"],
                          "attribute": [""], "lead_unit": ["工信局"]})
    accepted = pd.DataFrame({"item_id": ["i1", "i1"], "period": ["2025-05", "2025-06"], "value": [1.0, 1.0],
                             "cumulative_to_date": [6.0, 7.0], "source_file": ["a.xlsx", "b.xlsx"],
                             "cell": ["G5", "G5"]})
    may = compute_status(items, accepted, "2025-05", BANDS).iloc[0]
    june = compute_status(items, accepted, "2025-06", BANDS).iloc[0]
    # May: 6/24 = 25% against 41.7% (Δ −16.7) → 预警; June: 7/24 = 29.2% against 50% (Δ −20.8), again → 滞后
    assert (may.status, june.status) == ("预警", "滞后")
    assert june.method.endswith("来源 b.xlsx!G5")


def test_a_project_has_a_status_that_says_why_it_cannot_be_paced():
    from pipeline.monitor.status import project_status

    items = pd.DataFrame({"item_type": ["project", "project"], "item_id": ["p1", "p2"],
                          "district_code": ["230113"] * 2,
                          "name": ["松花江饮用水工程（新建）", "双城区至哈尔滨太平国际机场快速路"],
                          "unit": ["亿元"] * 2,
                          "annual_target": [float("nan")] * 2, "target_text": ["", ""], "attribute": ["", ""],
                          "lead_unit": ["水务局", "交通运输局"]})
    accepted = pd.DataFrame({"item_id": ["p1", "p2"], "period": ["2025-06"] * 2, "value": [0.1, 0.2],
                             "cumulative_to_date": [0.6, 1.2], "progress": ["在建", "竣工投产"],
                             "source_file": ["a.xlsx", "b.xlsx"], "cell": ["G5", "G6"]})
    rows = {r["item_id"]: r for r in project_status(items, accepted, "2025-06")}
    assert rows["p2"]["status"] == "已完成"
    assert rows["p1"]["status"] == "无数据" and "无法计算序时进度" in rows["p1"]["method"]


def test_a_missing_reason_read_back_as_nan_is_not_printed_in_the_method():
    items = pd.DataFrame({"item_type": ["indicator"] * 2, "item_id": ["i1", "i2"], "district_code": ["230113"] * 2,
                          "name": ["规上装备制造企业", "城镇新增就业人数"], "unit": ["户", "万人"],
                          "annual_target": [24.0, 0.8], "target_text": ["24", "0.8"], "attribute": ["", ""],
                          "lead_unit": ["工信局", "人社局"]})
    accepted = pd.DataFrame({"item_id": ["i1", "i2"], "period": ["2025-06"] * 2, "value": [1.0, 0.1],
                             "cumulative_to_date": [12.0, 0.4], "source_file": ["a.xlsx", "b.xlsx"],
                             "cell": ["G5", "G5"], "reason": [float("nan"), "提示：比上年同期（0.2）变化 +100%"]})
    status = compute_status(items, accepted, "2025-06", BANDS).set_index("item_id")
    assert status.at["i1", "method"].endswith("来源 a.xlsx!G5")
    assert status.at["i2", "method"].endswith("来源 b.xlsx!G5；提示：比上年同期（0.2）变化 +100%")


def _status_at(delta: float, bands: Bands, binding: bool = False) -> str:
    """The status of an amount whose completion after June is 序时进度 6/12 + `delta` (target 100)."""
    return monthly_status(100.0, 100.0 * (0.5 + delta), 6, bands, binding=binding).status


def _edges(bands: Bands) -> list[tuple[float, str, str]]:
    """(edge, status on it, status just below it) for every monthly band edge of `bands`."""
    return [(bands.ahead, "超前", "正常"), (bands.normal, "正常", "预警"), (bands.warning, "预警", "滞后")]


def test_band_edges_come_from_the_configuration_file():
    """On an edge the better status (Δ ≥ edge), a tenth of a point below it the worse one: for the bands of
    inputs/config/status.yaml as loaded."""
    for edge, on, below in _edges(BANDS):
        assert (_status_at(edge, BANDS), _status_at(edge - 0.001, BANDS)) == (on, below), edge
    assert _status_at(BANDS.binding_normal, BANDS, binding=True) == "正常"
    assert _status_at(BANDS.binding_normal - 0.001, BANDS, binding=True) == "预警"


def test_a_changed_configuration_file_moves_the_edges(tmp_path):
    """Every monthly threshold of status.yaml shifted by 5 points: the statuses follow the file, not the code."""
    import yaml

    config = yaml.safe_load((CONFIG / "status.yaml").read_text(encoding="utf-8"))
    for key in ("ahead", "normal", "warning", "binding_normal"):
        config["monthly"][key] = round(config["monthly"][key] + 0.05, 4)  # as a person would write it
    config["monthly"]["lag_after_warning_months"] = 3
    (tmp_path / "status.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    shifted = Bands.load(tmp_path / "status.yaml")
    for edge, on, below in _edges(shifted):
        assert (_status_at(edge, shifted), _status_at(edge - 0.001, shifted)) == (on, below), edge
        assert _status_at(edge - 0.03, shifted) == below  # inside the old band, outside the new one
    assert monthly_status(100.0, 100.0 * (0.5 + shifted.normal - 0.01), 6, shifted, warnings_before=1).status == "预警"


def test_a_setting_missing_from_the_file_is_an_error_naming_it(tmp_path):
    text = (CONFIG / "status.yaml").read_text(encoding="utf-8").replace("  warning: -0.30", "  # warning removed")
    (tmp_path / "status.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="“monthly”一节缺少设置 warning"):
        Bands.load(tmp_path / "status.yaml")


@pytest.mark.parametrize("period, now, state", [
    ("2025-06", "2025-07-10 23:59", "未报"),     # due by the end of the 10th of the next month
    ("2025-06", "2025-07-11 00:00", "逾期未报"),
    ("2025-12", "2026-01-10 18:00", "未报"),     # December's return is due in January of the next year
    ("2025-12", "2026-01-11 08:00", "逾期未报"),
    ("2025-12", "2025-12-31 12:00", "未报"),
])
def test_a_missing_return_is_overdue_after_the_deadline_day(period, now, state):
    from datetime import datetime

    from pipeline.monitor.timeliness import compute_timeliness

    items = pd.DataFrame({"district_code": ["230113", "230113"], "lead_unit": ["人社局", "统计局"]})
    submissions = pd.DataFrame({"period": [period], "status": ["accepted"], "district_code": ["230113"],
                                "unit": ["统计局"], "received_at": ["2025-07-03T09:00:00"],
                                "source_file": ["230113_统计局.xlsx"]})
    got = compute_timeliness(items, submissions, period, 10, datetime.fromisoformat(now)).set_index("unit")
    assert got.loc["人社局", "state"] == state
    assert got.loc["统计局", ["state", "returns"]].tolist() == ["已报", 1]
