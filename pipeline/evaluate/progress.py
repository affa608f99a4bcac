"""Progress and status of an indicator against its plan target (docs/DESIGN.md, 评估).

Stage: 评估. Input: the indicator's kind, baseline B (year t0), target T (year t1), actual A (year t), its
qualifiers and 约束性 mark; the bands of inputs/config/status.yaml (five_year). Output: τ (elapsed share),
P (progress), R = P/τ, the value expected by now on a straight path, the status, and a sentence saying how.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from pipeline.numbers import as_number
from pipeline.settings import load_section

CEILING_WORDS = ("以内", "不超过", "控制在", "以下")


@dataclass(frozen=True)
class PeriodBands:
    """Bands on R for plan-period targets; inputs/config/status.yaml (five_year) is their one source."""

    ahead: float
    normal: float
    warning: float
    binding_normal: float

    @classmethod
    def load(cls, path: Path | str) -> PeriodBands:
        return load_section(cls, path, "five_year")


@dataclass(frozen=True)
class Evaluation:
    """τ, P, R, the expected value, the status and how it was computed."""

    tau: float | None
    progress: float | None
    ratio: float | None
    expected: float | None
    status: str
    method: str



def evaluate(kind: str, baseline: float | None, t0: int, target: float | None, t1: int, actual: float | None,
             t: int, bands: PeriodBands, qualifier: str = "", binding: bool = False) -> Evaluation:
    """Status of one indicator at year t (see the module docstring for the method).

    Level with a baseline: P = (A − B)/(T − B), τ = (t − t0)/(t1 − t0), R = P/τ.
    >>> b = PeriodBands(ahead=1.10, normal=0.95, warning=0.60, binding_normal=1.0)
    >>> e = evaluate("level", 40, 2020, 43, 2025, 41.5, 2023, b)          # 粮食综合生产能力 亿斤
    >>> round(e.tau, 2), round(e.progress, 2), round(e.ratio, 3), e.status
    (0.6, 0.5, 0.833, '预警')
    >>> evaluate("level", 40, 2020, 43, 2025, 41.8, 2023, b).status       # R = 0.6/0.6 = 1.0
    '正常'

    Growth target (年均增长 g%): R = ln(1 + a)/ln(1 + g) on the year's growth a.
    >>> e = evaluate("growth", 0.2, 2020, 5, 2025, 4.5, 2023, b)
    >>> round(e.ratio, 3), e.status
    (0.902, '预警')

    Cumulative ([ ] 累计): P = A / T.  Reduction: P = (B − A)/(B − T).  Ceiling (以内): met while A ≤ T.
    >>> evaluate("cumulative", 30, 2020, 150, 2025, 100, 2023, b).status  # P 0.667, R 1.11
    '超前'
    >>> evaluate("reduction", 20, 2020, 10, 2025, 14, 2023, b).status     # P 0.6, R 1.0
    '正常'
    >>> evaluate("share", None, 2020, 18, 2025, 19, 2023, b, "以内").status
    '滞后'
    >>> evaluate("count", 18, 2020, 30, 2025, 31, 2023, b).status         # target reached
    '已完成'
    >>> evaluate("share", 0.27, 2020, 0.8, 2025, 0.55, 2023, b, binding=True).status   # R 0.88 < 1.0
    '预警'
    >>> evaluate("level", 40, 2020, 43, 2025, None, 2023, b).status
    '无数据'
    """
    baseline, target, actual = as_number(baseline), as_number(target), as_number(actual)
    if actual is None:
        return Evaluation(None, None, None, None, "无数据", "无实际值")
    if target is None:
        return Evaluation(None, None, None, None, "无数据",
                          f"目标为文字表述，实际值 {actual:g} 无法按公式判定，请人工研判")
    tau = 1.0 if t1 <= t0 else min(max((t - t0) / (t1 - t0), 0.0), 1.0)
    if any(w in qualifier for w in CEILING_WORDS):
        status = "正常" if actual <= target else "滞后"
        return Evaluation(tau, None, None, target, status,
                          f"上限目标：实际 {actual:g} {'未超过' if actual <= target else '超过'}目标 {target:g}")
    if kind == "growth":
        if actual <= -100 or target <= -100:
            return Evaluation(tau, None, None, target, "无数据", "增速数据不合理")
        ratio = math.log1p(actual / 100) / math.log1p(target / 100) if target else None
        method = f"增速目标 {target:g}%，实际 {actual:g}%：R=ln(1+a)/ln(1+g)={ratio:.3f}" if ratio is not None else ""
        return Evaluation(tau, None, ratio, target, _status(None, ratio, bands, binding), method)
    if kind in ("cumulative",) or baseline is None or (kind == "reduction" and baseline is None):
        progress = actual / target if target else None
        expected = target * tau
        formula = f"P=A/T={actual:g}/{target:g}"
    elif kind == "reduction":
        progress = (baseline - actual) / (baseline - target) if baseline != target else None
        expected = baseline - tau * (baseline - target)
        formula = f"P=(B−A)/(B−T)=({baseline:g}−{actual:g})/({baseline:g}−{target:g})"
    elif baseline == target:  # hold the level: 耕地保有量 23.3 → 23.3
        progress = 1.0 if actual >= target else actual / target
        expected = target
        formula = f"保持目标 {target:g}：实际 {actual:g}"
    else:
        progress = (actual - baseline) / (target - baseline)
        expected = baseline + tau * (target - baseline)
        formula = f"P=(A−B)/(T−B)=({actual:g}−{baseline:g})/({target:g}−{baseline:g})"
    if progress is None:
        return Evaluation(tau, None, None, None, "无数据", "无法计算进度")
    ratio = progress / tau if tau > 0 else None
    method = f"{formula}={progress:.1%}；τ={tau:.2f}" + (f"；R=P/τ={ratio:.3f}" if ratio is not None else "")
    if binding:
        method += "；约束性指标须 R≥1.0"
    return Evaluation(tau, progress, ratio, expected, _status(progress, ratio, bands, binding), method)


def _status(progress: float | None, ratio: float | None, bands: PeriodBands, binding: bool) -> str:
    # figures compared at six decimals: 1.8/3 over 0.6 is R = 1.0, not 0.9999999999999998
    progress = None if progress is None else round(progress, 6)
    ratio = None if ratio is None else round(ratio, 6)
    if progress is not None and progress >= 1:
        return "已完成"
    if ratio is None:
        return "无数据"
    if ratio >= bands.ahead:
        return "超前"
    if ratio >= (bands.binding_normal if binding else bands.normal):
        return "正常"
    return "预警" if ratio >= bands.warning else "滞后"
