"""调整: approved target changes, checked line by line, kept as plan versions, and the target in force.

Stage: 调整. Input: inputs/adjustments.csv (indicator, field, new_value, effective_from, reason,
approved_by 文号, recorded_by), the indicators and documents tables, and the changes applied before.
Output: the valid changes (to record as a new plan version) and one rejection per invalid line naming the
line and what is wrong; and, for any period, the indicators with the target in force then.

All-or-nothing is not used: valid lines apply even when others in the same file are rejected.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

from pipeline.extract.quantity import parse_quantity
from pipeline.periods import covers, month, plan_years
from pipeline.schema import columns

FIELDS = ("indicator", "field", "new_value", "effective_from", "reason", "approved_by", "recorded_by")
CHANGEABLE = {"target_value": "目标值"}


@dataclass(frozen=True)
class LineRejection:
    """An adjustments.csv line that cannot apply, and why."""

    line: int
    text: str
    reason: str

    def __str__(self) -> str:
        return f"adjustments.csv 第 {self.line} 行：{self.reason}"


def change_id(row: dict) -> str:
    """A change is identified by what it says, so applying the same line twice is recognised."""
    key = "|".join(str(row[k]).strip() for k in ("indicator", "field", "new_value", "effective_from", "approved_by"))
    return "chg-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def resolve_indicator(ref: str, indicators: pd.DataFrame, documents: pd.DataFrame) -> pd.Series | None:
    """An indicator by its id ('ind-…') or by '<district code>:<catalogue key>' (the table row of the
    district's five-year plan first)."""
    ref = ref.strip()
    if ref.startswith("ind-"):
        found = indicators[indicators.indicator_id == ref]
        return found.iloc[0] if len(found) else None
    if ":" not in ref:
        return None
    code, key = ref.split(":", 1)
    plans = set(documents.doc_id[(documents.district_code == code) & (documents.doc_type == "five_year_plan")])
    found = indicators[(indicators.district_code == code) & (indicators.canonical == key)
                       & indicators.doc_id.isin(plans)]
    found = found.sort_values("source", key=lambda s: s != "table")
    return found.iloc[0] if len(found) else None


def check_adjustments(lines: pd.DataFrame, indicators: pd.DataFrame, documents: pd.DataFrame,
                      applied: pd.DataFrame) -> tuple[pd.DataFrame, list[LineRejection]]:
    """Valid changes (the adjustments table without what the store adds) and one rejection per invalid line
    (line numbers as in the file, the header being line 1). Lines already applied are neither: they are skipped."""
    changes, rejections = [], []
    docs = documents.set_index("doc_id")
    seen: dict[tuple[str, str, str], str] = {
        (a.indicator_id, a.field, a.effective_from): str(a.new_value) for a in applied.itertuples()}
    done = set(applied.change_id) if len(applied) else set()
    for number, row in enumerate(lines.fillna("").astype(str).to_dict("records"), start=2):
        text = ",".join(row.get(f, "") for f in FIELDS)
        problems = []
        missing = [f for f in FIELDS if f not in row]
        if missing:
            rejections.append(LineRejection(number, text, f"缺少列 {', '.join(missing)}"))
            continue
        cid = change_id(row)
        if cid in done:
            continue
        ind = resolve_indicator(row["indicator"], indicators, documents)
        if ind is None:
            problems.append(f"指标“{row['indicator']}”不存在（请填写 indicator_id 或“区划代码:指标代码”）")
        if row["field"].strip() not in CHANGEABLE:
            problems.append(f"字段“{row['field']}”不可调整（可调整：{'、'.join(CHANGEABLE)}）")
        quantity = parse_quantity(row["new_value"])
        if quantity.value is None:
            problems.append(f"新值“{row['new_value']}”不是数值")
        elif ind is not None and quantity.unit and quantity.unit != ind.unit:
            problems.append(f"新值的单位“{quantity.unit}”与指标单位“{ind.unit}”不一致")
        try:
            effective = month(row["effective_from"].strip())
        except ValueError:
            problems.append(f"生效时间“{row['effective_from']}”应为 YYYY-MM")
        else:
            if ind is not None:
                problems += _outside_plan(docs.loc[[ind.doc_id]], effective, row["effective_from"])
        if not row["reason"].strip():
            problems.append("缺少调整理由")
        if not row["approved_by"].strip():
            problems.append("缺少批准文号")
        if ind is not None and not problems:
            key = (ind.indicator_id, row["field"].strip(), row["effective_from"].strip())
            earlier = seen.get(key)
            if earlier is not None and float(earlier) != quantity.value:
                problems.append(f"与此前的调整矛盾：同一指标、同一生效时间已调整为 {earlier}")
        if problems:
            rejections.append(LineRejection(number, text, "；".join(problems)))
            continue
        seen[(ind.indicator_id, row["field"].strip(), row["effective_from"].strip())] = str(quantity.value)
        done.add(cid)
        changes.append({"change_id": cid, "indicator_id": ind.indicator_id, "district_code": ind.district_code,
                        "name": ind["name"], "field": row["field"].strip(), "old_value": ind.target_value,
                        "new_value": quantity.value, "new_text": row["new_value"].strip(),
                        "effective_from": row["effective_from"].strip(), "reason": row["reason"].strip(),
                        "approved_by": row["approved_by"].strip(), "recorded_by": row["recorded_by"].strip(),
                        "line": number})
    return pd.DataFrame(changes, columns=columns("adjustments", supplied=True)), rejections


def _outside_plan(doc: pd.DataFrame, effective: pd.Period, printed: str) -> list[str]:
    """Why a change effective from `effective` cannot apply to the plan `doc` (one row): its plan period is
    unknown or does not cover that year."""
    start, end = (years.iloc[0] for years in plan_years(doc))
    if pd.isna(start) or pd.isna(end):
        return [f"指标所在规划（{doc.index[0]}）的规划期未知，无法核对生效时间；"
                "请在 inputs/plans/documents.csv 中补上规划期"]
    if not covers(doc, effective.year).iloc[0]:
        return [f"生效时间 {printed} 不在规划期 {doc.period_start.iloc[0]}—{doc.period_end.iloc[0]} 年内"]
    return []


def targets_in_force(indicators: pd.DataFrame, adjustments: pd.DataFrame, period: str) -> pd.DataFrame:
    """The indicators with the target in force in `period` (YYYY-MM or YYYY: end of that year); the plan's
    own target is kept in original_target_value/original_target_text, and adjusted_by names the change.

    >>> ind = pd.DataFrame({"indicator_id": ["i"], "target_value": ["43"], "target_text": ["43"]})
    >>> adj = pd.DataFrame({"indicator_id": ["i"], "field": ["target_value"], "new_value": [45.0],
    ...                     "new_text": ["45"], "effective_from": ["2024-01"], "approved_by": ["X〔2024〕1号"],
    ...                     "version": [2]})
    >>> before, after = targets_in_force(ind, adj, "2023-12"), targets_in_force(ind, adj, "2024-06")
    >>> before.target_value.tolist(), after.target_value.tolist(), after.original_target_value.tolist()
    (['43'], [45.0], ['43'])
    """
    out = indicators.assign(original_target_value=indicators.target_value,
                            original_target_text=indicators.target_text, adjusted_by="")
    if adjustments is None or adjustments.empty:
        return out
    moment = str(month(period)) if "-" in str(period) else f"{period}-12"
    live = adjustments[(adjustments.field == "target_value") & (adjustments.effective_from <= moment)]
    live = live.sort_values(["effective_from", "version"]).groupby("indicator_id").tail(1).set_index("indicator_id")
    hit = out.indicator_id.isin(live.index)
    out = out.astype({"target_value": object, "target_text": object})
    out.loc[hit, "target_value"] = out.loc[hit, "indicator_id"].map(live.new_value)
    out.loc[hit, "target_text"] = out.loc[hit, "indicator_id"].map(live.new_text)
    out.loc[hit, "adjusted_by"] = out.loc[hit, "indicator_id"].map(
        lambda i: f"第 {int(live.at[i, 'version'])} 版（{live.at[i, 'approved_by']}，"
                  f"{live.at[i, 'effective_from']} 起）")
    return out
