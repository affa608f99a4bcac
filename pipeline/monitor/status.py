"""Monthly progress and status of an item against its annual target (docs/DESIGN.md).

Stage: 实施. Input: annual target, cumulative actual to date, the month, the previous status, and the bands
of inputs/config/status.yaml. Output: 序时进度, completion, Δ and one of 已完成, 超前, 正常, 预警, 滞后, 无数据,
with a sentence that says how it was computed (shown as the status cell's comment).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.monitor.ledger import PROJECT_FIELDS, only
from pipeline.numbers import as_number
from pipeline.periods import in_year_to, month, months, of_month
from pipeline.schema import columns
from pipeline.settings import load_section
from pipeline.tables import records

# Units of rates and shares (the return check and the SAMPLE generator tell them from amounts).
RATE_UNITS = ("%", "‰", "个百分点")
# The observation fields an indicator's status needs
STATUS_FIELDS = ["item_id", "period", "value", "cumulative_to_date", "source_file", "cell", "reason"]


@dataclass(frozen=True)
class Bands:
    """Monthly status bands, as fractions (0.10 = 10 percentage points); inputs/config/status.yaml (monthly)
    is their one source: no defaults here."""

    ahead: float
    normal: float
    warning: float
    lag_after_warning_months: int
    binding_normal: float

    @classmethod
    def load(cls, path: Path | str) -> Bands:
        return load_section(cls, path, "monthly")


@dataclass(frozen=True)
class MonthlyStatus:
    """The figures behind a monthly status, so a reader can recompute it."""

    expected_share: float
    completion: float | None
    delta: float | None
    status: str
    method: str


@dataclass(frozen=True)
class Pace:
    """How an indicator is paced (docs/DESIGN.md, the indicator model): what share of its target is expected by now,
    how far a reported value has come towards it, and the words that say so. Only a flow is paced by m/12."""

    expected: float
    text: str
    start: float = 0.0  # the value progress is counted from (a stock's baseline)
    ceiling: bool = False  # a limit to stay within (控制在…以内): met or not, never paced


CEILING_WORDS = ("以内", "以下", "不超过", "不高于", "控制在")


def pace(measure: str, month: int, year: int, item) -> Pace:
    """The pace of one item in month `month` of `year` from its measure type, plan years and baseline: a flow's
    running total against 序时进度 m/12; a plan-period total against the share of the plan years gone; a stock
    along the straight path from its baseline to its target (or, with no baseline, its latest value against the
    target); a rate, share or growth rate against the target itself; a ceiling is met or not. A flow is paced at
    its reporting frequency (the item's `frequency`): a quarterly one by quarters gone, an annual one, reported on
    the year-end form, against the whole year's target.

    >>> from types import SimpleNamespace as Item
    >>> plan = Item(baseline_value=20.0, baseline_year=2020, target_year=2025, qualifier="")
    >>> pace("flow", 6, 2023, plan).expected, round(pace("stock", 6, 2023, plan).expected, 2)
    (0.5, 0.5)
    >>> pace("rate", 6, 2023, Item(baseline_value=None, baseline_year=None, target_year=2025, qualifier="以内")).ceiling
    True
    >>> [pace("flow", 12, 2023, Item(**vars(plan), frequency=f)).text for f in ("annual", "quarterly", "monthly")]
    ['年度指标按全年完成值对照全年目标', '按季序时进度 4/4', '序时进度 12/12']
    """
    if any(word in str(getattr(item, "qualifier", "") or "") for word in CEILING_WORDS):
        return Pace(1.0, "控制性指标按不超过目标值判定", ceiling=True)
    base, base_year, end = (as_number(getattr(item, k, None)) for k in ("baseline_value", "baseline_year",
                                                                         "target_year"))
    spans = base_year is not None and end is not None and end > base_year
    elapsed = min(max((year - 1 - base_year + month / 12) / (end - base_year), 0.0), 1.0) if spans else None
    if measure == "stock" and base is not None and elapsed is not None:
        return Pace(elapsed, f"存量指标按基期 {base_year:.0f} 年 {base:g} 至 {end:.0f} 年目标的直线进度"
                             f"（已过 {elapsed:.1%}）", start=base)
    if measure == "cumulative" and elapsed is not None:
        return Pace(elapsed, f"规划期累计指标按规划期序时进度 {elapsed:.1%}")
    frequency = str(getattr(item, "frequency", "") or "")
    if measure == "flow" and frequency == "annual":
        return Pace(1.0, "年度指标按全年完成值对照全年目标")
    if measure == "flow" and frequency == "quarterly":
        return Pace(month // 3 / 4, f"按季序时进度 {month // 3}/4")
    if measure in ("flow", "cumulative"):
        return Pace(month / 12, f"序时进度 {month}/12")
    if measure == "stock":
        return Pace(1.0, "存量指标按期末值对照目标值")
    return Pace(1.0, "比率类指标按目标值比较" if measure == "rate" else "增速指标按累计增速对照目标增速")


def monthly_status(target: float | None, cumulative: float | None, month: int, bands: Bands,
                   binding: bool = False, warnings_before: int = 0, paced: Pace | None = None) -> MonthlyStatus:
    """Status of an actual against its target after month `month`, paced as `paced` says (default: a flow's
    running total against 序时进度 m/12); `warnings_before` is how many months running the item was 预警 just
    before this one. A stock's progress counts from its baseline; a ceiling is 正常 while the value stays within
    it and 滞后 as soon as it does not.

    >>> b = Bands(ahead=0.10, normal=-0.10, warning=-0.30, lag_after_warning_months=2, binding_normal=0.0)
    >>> monthly_status(100, 45, 6, b).status, monthly_status(100, 65, 6, b).status
    ('正常', '超前')
    >>> monthly_status(100, 30, 6, b).status, monthly_status(100, 10, 6, b).status
    ('预警', '滞后')
    >>> monthly_status(100, 30, 6, b, warnings_before=1).status   # 预警 two months running
    '滞后'
    >>> monthly_status(100, 45, 6, b, binding=True).status      # 约束性 needs Δ ≥ 0
    '预警'
    >>> monthly_status(100, 100, 6, b).status, monthly_status(100, None, 6, b).status
    ('已完成', '无数据')
    >>> monthly_status(6.0, 5.7, 6, b, paced=Pace(1.0, "比率")).status        # 5.7% against 6%: 95% of the target
    '正常'
    >>> monthly_status(4.5, 4.8, 6, b, paced=Pace(1.0, "控制", ceiling=True)).status   # over a ceiling
    '滞后'
    """
    paced = paced or Pace(month / 12, f"序时进度 {month}/12")
    expected, pace_text = paced.expected, paced.text
    if cumulative is None or _missing(cumulative):
        return MonthlyStatus(expected, None, None, "无数据", f"{pace_text}={expected:.1%}；本月无报送")
    if target is None or _missing(target) or target == paced.start and not paced.ceiling:
        return MonthlyStatus(expected, None, None, "无数据",
                             f"{pace_text}={expected:.1%}；报送值 {cumulative:g}；无可比的目标值")
    if paced.ceiling:
        within = cumulative <= target
        return MonthlyStatus(expected, None, None, "正常" if within else "滞后",
                             f"{pace_text}：报送值 {cumulative:g}，目标 {target:g}，"
                             + ("未超出" if within else "已超出"))
    completion = (cumulative - paced.start) / (target - paced.start)
    delta = round(completion - expected, 9)  # 4/10 − 6/12 is −0.1, on the band's edge, not just below it
    if completion >= 1:
        status = "已完成"
    elif delta >= bands.ahead:
        status = "超前"
    elif delta >= (bands.binding_normal if binding else bands.normal):
        status = "正常"
    elif delta >= bands.warning:
        status = "滞后" if warnings_before + 1 >= bands.lag_after_warning_months else "预警"
    else:
        status = "滞后"
    since = f"（{cumulative:g}−{paced.start:g}）/（{target:g}−{paced.start:g}）" if paced.start else \
        f"{cumulative:g}/{target:g}"
    method = (f"{pace_text}={expected:.1%}（预期 {paced.start + (target - paced.start) * expected:.4g}）；"
              f"完成 {since}={completion:.1%}；"
              f"差距 {delta * 100:+.1f} 个百分点" + ("；约束性指标按不低于序时进度判定" if binding else ""))
    return MonthlyStatus(expected, completion, delta, status, method)


def _missing(value: float) -> bool:
    return isinstance(value, float) and math.isnan(value)


def compute_status(items: pd.DataFrame, accepted: pd.DataFrame, period: str, bands: Bands) -> pd.DataFrame:
    """One status row per indicator and project in force: an indicator's cumulative against its annual
    target; a project by what its unit reports (see `project_status`)."""
    at = month(period)
    this_year = in_year_to(accepted, period)
    measures = [m if isinstance(m, str) and m else "flow"  # tables of before measure types: paced as flows
                for m in (items.measure_type if "measure_type" in items.columns else [""] * len(items))]
    by_item: dict[str, list[dict]] = {}
    dated = this_year.sort_values("period", kind="stable").assign(period=lambda f: months(f.period))
    for record in records(only(dated, STATUS_FIELDS)):
        by_item.setdefault(record["item_id"], []).append(record)
    rows = []
    for item, measure in zip(items.itertuples(), measures, strict=True):
        if item.item_type != "indicator":
            continue
        mine = by_item.get(item.item_id, [])
        now = next((r for r in reversed(mine) if r["period"] == at), None)
        cumulative = now["cumulative_to_date"] if now else None
        warnings_before = 0
        for earlier in reversed([r for r in mine if r["period"] < at]):
            past = monthly_status(item.annual_target, earlier["cumulative_to_date"], earlier["period"].month,
                                  bands, item.attribute == "约束性",
                                  paced=pace(measure, earlier["period"].month, at.year, item))
            if past.status != "预警":
                break
            warnings_before += 1
        result = monthly_status(item.annual_target, cumulative, at.month, bands, item.attribute == "约束性",
                                warnings_before, pace(measure, at.month, at.year, item))
        source = f"；来源 {now['source_file']}!{now['cell']}" if now else ""
        note = getattr(item, "target_note", "")  # an adjusted target: which version, the plan's own target
        source += f"；{note}" if isinstance(note, str) and note else ""
        if now and isinstance(now.get("reason"), str) and now["reason"]:  # NULL from a database reads as NaN
            source += f"；{now['reason']}"  # a plausibility warning noted when the value was accepted
        rows.append({"district_code": item.district_code, "item_type": "indicator", "item_id": item.item_id,
                     "name": item.name, "unit": item.unit, "lead_unit": item.lead_unit, "attribute": item.attribute,
                     "annual_target": item.annual_target, "target_text": item.target_text,
                     "month_value": now["value"] if now else None, "cumulative_to_date": cumulative,
                     "expected_share": result.expected_share, "completion": result.completion,
                     "delta": result.delta, "status": result.status, "method": result.method + source,
                     "source_file": now["source_file"] if now else "", "cell": now["cell"] if now else ""})
    rows += project_status(items, this_year, period)
    return pd.DataFrame(rows, columns=columns("status"))


def project_status(items: pd.DataFrame, this_year: pd.DataFrame, period: str) -> list[dict]:
    """Projects: 已完成 once reported 竣工投产; otherwise 无数据, because the plans give no 本年计划投资 to
    measure 序时进度 against — said in the method, so nobody reads it as on schedule."""
    rows = []
    current: dict[str, dict] = {}
    for record in records(only(of_month(this_year, period), PROJECT_FIELDS)):
        current[record["item_id"]] = record  # the last row of the item this month
    for item in items[items.item_type == "project"].itertuples():
        last = current.get(item.item_id)
        progress = last["progress"] if last is not None else ""
        done = last["cumulative_to_date"] if last is not None else None
        if last is None:
            status, method = "无数据", "本月无报送"
        elif progress == "竣工投产":
            status, method = "已完成", f"形象进度：{progress}"
        else:
            status = "无数据"
            method = f"形象进度：{progress or '未填'}"
            if done is not None and done == done:
                method += f"；本年完成投资 {done:g} 亿元；规划未给出本年计划投资，无法计算序时进度"
        rows.append({"district_code": item.district_code, "item_type": "project", "item_id": item.item_id,
                     "name": item.name, "unit": "亿元", "lead_unit": item.lead_unit, "attribute": "",
                     "annual_target": float("nan"), "target_text": item.target_text,
                     "month_value": last["value"] if last is not None else None, "cumulative_to_date": done,
                     "expected_share": None, "completion": None, "delta": None, "status": status, "method": method,
                     "source_file": last["source_file"] if last is not None else "",
                     "cell": last["cell"] if last is not None else ""})
    return rows
