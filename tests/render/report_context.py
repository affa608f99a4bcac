"""A report context (version 1.2, templates/README.md) for the report tests, from real 双城区 rows.

Indicator names, units, baselines, printed targets, attributes and lead units are those of
outputs/tables/indicators.csv and responsibilities.csv after `make plan` (seed 004, the 双城区 十四五 纲要);
the projects and tasks are real rows of projects.csv and tasks.csv. The yearly actual values are plausible,
not reported figures. Progress and status follow docs/DESIGN.md "Progress and status" with the bands of
inputs/config/status.yaml, restated here in a few lines so the fixture needs nothing from pipeline/evaluate/
(the status words, their order and which count as on track or behind are templates/workbook_style.yaml's):

    level, count, share: P = (A − B)/(T − B); R = P/τ        growth: R = ln(1 + CAGR)/ln(1 + g)
    已完成 P ≥ 1; 超前 R ≥ 1.10; 正常 R ≥ 0.95 (约束性: R ≥ 1.0); 预警 R ≥ 0.60; else 滞后; no actual → 无数据

Mid-term 2023 (τ = 0.6): 空气优良天数比率 已完成, 高新技术企业 and 森林覆盖率 超前, 粮食 正常,
地区生产总值增长率 预警, 城镇新增就业 滞后, 建成区路网密度 无数据.
"""
from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

from pipeline.statuses import Statuses

KIND_NAMES = {"annual": "年度评估", "midterm": "中期评估", "final": "总结评估"}
DEFAULT_YEARS = {"annual": 2024, "midterm": 2023, "final": 2025}
STATUSES = Statuses.load(Path(__file__).resolve().parents[2] / "templates" / "workbook_style.yaml")
STATUS_ORDER = STATUSES.computed
PERIOD = (2021, 2025)
NO_DATA = "无实际值：规划期内未收到报送，文件中亦无报告"

# name, unit, category, attribute, kind, baseline, target, target_text, lead_unit, yearly actuals (2020 = baseline)
INDICATORS = [
    ("地区生产总值增长率", "%", "经济发展", "预期性", "growth", 0.2, 5.0, "5 以上", "发改局",
     {2020: 0.2, 2021: 6.1, 2022: 2.3, 2023: 4.5, 2024: 4.8, 2025: 5.2}),
    ("国家高新技术企业户数", "户", "创新驱动", "预期性", "count", 18.0, 30.0, "30 左右", "科技局",
     {2020: 18, 2021: 21, 2022: 23, 2023: 26, 2024: 28, 2025: 29}),
    ("城镇新增就业人数", "万人", "民生福祉", "约束性", "count", 0.27, 0.8, "0.8", "人社局",
     {2020: 0.27, 2021: 0.31, 2022: 0.36, 2023: 0.40, 2024: 0.47, 2025: 0.55}),
    ("建成区路网密度", "公里/平方公里", "民生福祉", "预期性", "level", 6.3, 8.3, "8.3", "住建局",
     {2020: 6.3}),
    ("森林覆盖率", "%", "绿色转型", "约束性", "share", 2.9, 3.0, "3", "自然资源分局",
     {2020: 2.9, 2021: 2.93, 2022: 2.95, 2023: 2.97, 2024: 2.99, 2025: 2.99}),
    ("城市空气质量优良天数比率", "%", "绿色转型", "约束性", "share", 92.0, 96.0, "96", "生态环境分局",
     {2020: 92.0, 2021: 93.5, 2022: 95.1, 2023: 96.2, 2024: 95.8, 2025: 96.4}),
    ("粮食综合生产能力", "亿斤", "安全保障", "约束性", "level", 40.0, 43.0, "43", "农业农村局",
     {2020: 40.0, 2021: 41.1, 2022: 41.6, 2023: 41.9, 2024: 42.5, 2025: 43.2}),
]
SOURCE_FILES = {"发改局": "230113_发改局.xlsx!G5", "科技局": "230113_科技局.xlsx!G6", "人社局": "230113_人社局.xlsx!G5",
                "自然资源分局": "230113_自然资源分局.xlsx!G5", "生态环境分局": "230113_生态环境分局.xlsx!G5",
                "农业农村局": "230113_农业农村局.xlsx!G7"}

TASKS = [
    {"title": "建设优质食品原料基地", "lead_unit": "农业农村局", "co_units": "", "year": None, "area": ""},
    {"title": "打造龙江物流门户", "lead_unit": "农业农村局", "co_units": "", "year": 2025,
     "area": "五家街道|公正街道|兰棱街道"},
    {"title": "升级装备制造产业", "lead_unit": "工信局", "co_units": "发改局", "year": 2025, "area": ""},
]

PROJECT_GROUPS = [
    ("现代产业新体系重点项目储备库", [
        ("飞鹤（哈尔滨）乳品有限公司乳制品智能产业园建设项目", 20.0, 14.5, "农业农村局"),
        ("雨润集团哈尔滨肉制品研发生产及生猪养殖项目", 30.0, 9.0, "农业农村局"),
        ("哈尔滨市畅韵电子商务有限公司韵达黑龙江快递电商物流基地项目", 10.0, 10.0, "商务局"),
        ("哈尔滨瑞风新能源有限公司哈尔滨新天哈电双城 100MW 风电平价上网项目", 8.3, None, "工信局"),
    ]),
    ("双城食用菌基地建设计划", [
        ("承旭街道汉阳食用菌加工基地", None, None, "农业农村局"),
        ("永治街道翠韵合作社科技示范基地", None, None, "农业农村局"),
    ]),
    ("", [  # named in the running text only (line 403), not in a 专栏
        ("雨润农副产品全球采购中心项目", None, 2.5, "商务局"),
    ]),
]
# A target 004 states without naming its indicator (line 520): left out of the evaluation, and said so
LEFT_OUT = [{"indicator_id": "ind-f48fcf35c9", "quote": "增加到110.9万千瓦", "line": 520, "target_text": "110.9万千瓦",
             "unit": "万千瓦", "reason": "未写明指标名称"}]
# Quantified targets of 004's text outside its indicator table (附录三), by chapter as printed: name, unit, target,
# target as printed, measure kind, actual of the evaluated year (None: no data)
ANNEX = [
    ("第三章 加快推进实施乡村振兴战略", [("玉米种植面积", "万亩", 280.0, "280 万亩左右", "level", None),
                                        ("秸秆综合利用率", "%", 95.0, "95%以上", "share", 96.1)]),
    ("第八章 大力推动民生事业发展", [("居民平均寿命", "岁", 82.0, "82岁", "level", None)]),
]


def report_context(kind: str = "midterm", year: int | None = None, sample: bool = False) -> dict[str, Any]:
    """A fresh context dict of `kind` for `year` (default: annual 2024, midterm 2023, final 2025)."""
    year = DEFAULT_YEARS[kind] if year is None else year
    tau = (year - PERIOD[0] + 1) / (PERIOD[1] - PERIOD[0] + 1)
    indicators = [_indicator(row, year, tau) for row in INDICATORS]
    annex = [{"chapter": chapter, "items": [_annex_item(row, chapter, year) for row in rows]}
             for chapter, rows in ANNEX]
    annexed = [i for g in annex for i in g["items"]]
    behind = [i for i in indicators if i["status"] in STATUSES.alerts]
    groups = [_group(title, items) for title, items in PROJECT_GROUPS]
    items = [p for g in groups for p in g["items"]]
    return copy.deepcopy({
        "context_version": "1.2",
        "kind": kind,
        "kind_name": KIND_NAMES[kind],
        "year": year,
        "generated_at": f"{year + 1}年3月20日",
        "sample": sample,
        "district": {"code": "230113", "name": "双城区"},
        "plan": {"title": "哈尔滨市双城区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要",
                 "period_start": PERIOD[0], "period_end": PERIOD[1], "doc_id": "230113-fyp-2021"},
        "tau": tau,
        "indicators": indicators,
        "status_order": list(STATUS_ORDER),
        "summary": _summary(indicators),
        "left_out": LEFT_OUT,
        "main_from_text": False,
        "annex": annex,
        "annex_summary": _summary(annexed),
        "tasks": TASKS,
        "projects": {"groups": groups,
                     "planned_total": sum(g["planned_yi"] or 0 for g in groups),
                     "done_total": sum(g["done_yi"] or 0 for g in groups),
                     "planned_done_total": sum(g["planned_done_yi"] or 0 for g in groups),
                     "count": len(items), "column_count": sum(g["in_column"] for g in groups),
                     "in_columns": sum(len(g["items"]) for g in groups if g["in_column"]),
                     "in_text": sum(len(g["items"]) for g in groups if not g["in_column"]),
                     "planned_count": sum(p["investment_yi"] is not None for p in items),
                     "done_count": sum(p["done_yi"] is not None for p in items)},
        "problems": [{"name": i["name"], "status": i["status"], "lead_unit": i["lead_unit"],
                      "gap_text": _gap_text(i, tau)} for i in behind],
        "adjustments": [{"name": i["name"], "target_text": i["target_text"],
                         "reason": f"按当前进度（R={i['ratio']:.2f}），到{PERIOD[1]}年难以实现目标，建议调整"}
                        for i in indicators if i["status"] == "滞后"],
        "gaps": [{"name": i["name"], "reason": NO_DATA} for i in indicators if i["status"] == "无数据"],
        "charts": None,
    })


def _indicator(row: tuple, year: int, tau: float) -> dict[str, Any]:
    name, unit, category, attribute, kind, baseline, target, target_text, lead_unit, values = row
    history = [{"year": y, "value": float(v)} for y, v in sorted(values.items()) if y <= year]
    actual = float(values[year]) if year in values else None
    progress = ratio = expected = None
    if kind == "growth":
        growth = [values[y] for y in range(PERIOD[0], year + 1) if y in values]
        expected = target
        if actual is not None:
            mean_log = sum(math.log1p(g / 100) for g in growth) / len(growth)
            actual = round(math.expm1(mean_log) * 100, 1)  # CAGR of the level, 年均增长 %
            ratio = mean_log / math.log1p(target / 100)
        method = (f"增速类：R=ln(1+CAGR)/ln(1+g)，CAGR 为{PERIOD[0]}—{year}年年均增速"
                  + (f"{actual:.1f}%，g={target:g}%，R={ratio:.2f}" if ratio is not None else "；无实际值"))
    else:
        expected = baseline + tau * (target - baseline)
        if actual is not None:
            progress = (actual - baseline) / (target - baseline)
            ratio = progress / tau
        method = ("水平类：P=(A−B)/(T−B)" + (f"=({actual:g}−{baseline:g})/({target:g}−{baseline:g})="
                                             f"{progress:.1%}，τ={tau:.1%}，R=P/τ={ratio:.2f}"
                                             if ratio is not None else "；无实际值"))
    if attribute == "约束性":
        method += "；约束性指标需 R≥1.0 方为正常"
    return {
        "name": name, "unit": unit, "category": category, "attribute": attribute,
        "baseline_year": 2020, "baseline": baseline, "target_year": PERIOD[1], "target": target,
        "target_text": target_text, "actual": actual, "actual_year": year if actual is not None else None,
        "actual_source": f"{year}-12 月度填报 {SOURCE_FILES[lead_unit]}" if actual is not None else "",
        "expected": expected, "progress": progress, "ratio": ratio,
        "status": _status(progress, ratio, attribute == "约束性"), "method": method, "kind": kind,
        "lead_unit": lead_unit, "adjusted_target": None, "adjusted_target_text": "",
        "points_above_target": (round(actual - target, 6) if kind == "share" and progress is not None
                                and progress >= 1 else None),
        "history": history, "main": True, "from_text": False, "chapter": "",
    }


def _annex_item(row: tuple, chapter: str, year: int) -> dict[str, Any]:
    """A target without a baseline: P = A/T (no straight path to compare with, so no R)."""
    name, unit, target, target_text, kind, actual = row
    progress = None if actual is None else actual / target
    return {
        "name": name, "unit": unit, "category": "", "attribute": "", "baseline_year": 2020, "baseline": None,
        "target_year": PERIOD[1], "target": target, "target_text": target_text, "actual": actual,
        "actual_year": year if actual is not None else None, "actual_source": "", "expected": None,
        "progress": progress, "ratio": None, "status": "已完成" if progress is not None and progress >= 1 else "无数据",
        "method": "", "kind": kind, "lead_unit": "", "adjusted_target": None, "adjusted_target_text": "",
        "points_above_target": round(actual - target, 6) if kind == "share" and actual is not None else None,
        "history": [], "main": False, "from_text": False, "chapter": chapter,
    }


def _summary(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The counts of `summary` for a list of evaluated targets."""
    counts = {status: sum(i["status"] == status for i in items) for status in STATUS_ORDER}
    binding = [i for i in items if i["attribute"] == "约束性"]
    measured = [i for i in binding if i["status"] != "无数据"]
    met = [i for i in measured if i["status"] in STATUSES.on_track]
    return {"total": len(items), "counts": counts, "on_track": sum(counts[s] for s in STATUSES.on_track),
            "behind": sum(counts[s] for s in STATUSES.alerts), "no_data": counts["无数据"],
            "with_data": len(items) - counts["无数据"], "binding_total": len(binding),
            "binding_with_data": len(measured), "binding_met": len(met),
            "binding_failed": [i["name"] for i in measured if i not in met],
            "binding_no_data": [i["name"] for i in binding if i["status"] == "无数据"],
            "expected_total": sum(i["attribute"] == "预期性" for i in items),
            "unmarked_total": sum(i["attribute"] not in ("约束性", "预期性") for i in items)}


def _status(progress: float | None, ratio: float | None, binding: bool) -> str:
    if ratio is None:
        return "无数据"
    if progress is not None and progress >= 1:
        return "已完成"
    if ratio >= 1.10:
        return "超前"
    if ratio >= (1.0 if binding else 0.95):
        return "正常"
    return "预警" if ratio >= 0.60 else "滞后"


def _gap_text(indicator: dict[str, Any], tau: float) -> str:
    if indicator["kind"] == "growth":
        return f"年均增长 {indicator['actual']:.1f}%，低于目标 {indicator['target']:.1f}%"
    return f"完成进度 {indicator['progress']:.1%}，低于预期 {tau:.1%}"


def _group(title: str, items: list[tuple]) -> dict[str, Any]:
    planned = [inv for _, inv, _, _ in items if inv is not None]
    done = [d for _, _, d, _ in items if d is not None]
    like = [d for _, inv, d, _ in items if d is not None and inv is not None]
    return {
        "column_title": title, "in_column": bool(title),
        "planned_yi": sum(planned) if planned else None,
        "done_yi": sum(done) if done else None,
        "planned_done_yi": sum(like) if like else None,
        "items": [{"name": name, "investment_yi": inv, "done_yi": d,
                   "progress": d / inv if inv and d is not None else None, "lead_unit": unit}
                  for name, inv, d, unit in items],
    }
