"""Monthly progress and status of an item against its annual target (docs/DESIGN.md).

Stage: 实施. Input: annual target, cumulative actual to date, the month, the previous status, and the bands
of inputs/config/status.yaml. Output: 序时进度, completion, Δ and one of 已完成, 超前, 正常, 预警, 滞后, 无数据,
with a sentence that says how it was computed (shown as the status cell's comment).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from pipeline.settings import load_section

# Units of rates and shares: not summed over the months, compared with the target itself.
RATE_UNITS = ("%", "‰", "个百分点")


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


def monthly_status(target: float | None, cumulative: float | None, month: int, bands: Bands,
                   binding: bool = False, warnings_before: int = 0, rate: bool = False) -> MonthlyStatus:
    """Status of a cumulative actual against an annual target after month `month`; `warnings_before` is
    how many months running the item was 预警 just before this one. A rate (%, growth) is not summed over
    the months: its value to date is compared with the target itself (expected share 100%).

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
    >>> monthly_status(6.0, 5.7, 6, b, rate=True).status        # 5.7% against 6%: 95% of the target
    '正常'
    """
    expected = 1.0 if rate else month / 12
    pace = "比率类指标按目标值比较" if rate else f"序时进度 {month}/12"
    if cumulative is None or _missing(cumulative):
        return MonthlyStatus(expected, None, None, "无数据", f"{pace}={expected:.1%}；本月无报送")
    if target is None or _missing(target) or target == 0:
        return MonthlyStatus(expected, None, None, "无数据",
                             f"{pace}={expected:.1%}；年初至今累计 {cumulative:g}；无可比的年度目标值")
    completion = cumulative / target
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
    method = (f"{pace}={expected:.1%}（预期 {target * expected:.4g}）；"
              f"完成 {cumulative:g}/{target:g}={completion:.1%}；"
              f"差距 {delta * 100:+.1f} 个百分点" + ("；约束性指标按不低于序时进度判定" if binding else ""))
    return MonthlyStatus(expected, completion, delta, status, method)


def _missing(value: float) -> bool:
    return isinstance(value, float) and math.isnan(value)
