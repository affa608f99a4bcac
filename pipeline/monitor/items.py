"""What each unit answers for in a month: the indicators and projects of the plans in force, with the target in
force that month and the lead unit (the rows a form asks for and a return is checked against)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline.adjust.adjustments import targets_in_force
from pipeline.numbers import number_text
from pipeline.periods import asked, in_force, plan_years
from pipeline.tables import indicator_names, named_indicators, published


def unit_items(tables: dict[str, pd.DataFrame], period: str) -> pd.DataFrame:
    """Every indicator due in `period` (its reporting frequency) and every project a unit answers for (plans in
    force), with the target in force, the indicator's measure type and what its plan starts from."""
    current = in_force(tables["documents"], period)
    duty = tables["responsibilities"]
    duty = duty[duty.lead_unit != ""][["item_type", "item_id", "lead_unit"]]
    ind, _ = named_indicators(asked(tables["documents"], tables["indicators"], period))
    ind = targets_in_force(ind, tables.get("adjustments"), period)  # the version in force that month
    starts = dict(zip(tables["documents"].doc_id, plan_years(tables["documents"])[0], strict=True))
    target = pd.to_numeric(ind.target_value, errors="coerce")
    shown = [text if not by else f"{old}（调整为{number_text(value)}）"  # as the reports print it: '43（调整为45）'
             for text, old, by, value in zip(ind.target_text, ind.original_target_text, ind.adjusted_by, target,
                                             strict=True)]
    notes = [f"目标为{by}，原目标 {old}" if by else ""
             for old, by in zip(ind.original_target_text, ind.adjusted_by, strict=True)]
    ind = pd.DataFrame({"item_type": "indicator", "item_id": ind.indicator_id, "district_code": ind.district_code,
                        "name": indicator_names(ind), "unit": ind.unit,
                        "annual_target": target, "target_text": shown, "target_note": notes,
                        "attribute": ind.attribute, "measure_type": ind.measure_type, "frequency": ind.frequency,
                        "qualifier": ind.qualifier,
                        "baseline_value": pd.to_numeric(ind.baseline_value, errors="coerce"),
                        "baseline_year": pd.to_numeric(ind.baseline_year, errors="coerce").fillna(
                            ind.doc_id.map(starts) - 1),  # else the year before the plan
                        "target_year": pd.to_numeric(ind.target_year, errors="coerce")})
    prj = published(tables["projects"][tables["projects"].doc_id.isin(current)])
    prj = pd.DataFrame({"item_type": "project", "item_id": prj.project_id, "district_code": prj.district_code,
                        "name": prj.name, "unit": "亿元", "annual_target": float("nan"),
                        "target_text": prj.investment_text, "attribute": "",
                        "total_investment": pd.to_numeric(prj.investment_yi, errors="coerce")})
    return pd.concat([ind, prj], ignore_index=True).merge(duty, on=["item_type", "item_id"])


@dataclass(frozen=True)
class Expected:
    """The month's items (see `unit_items`) indexed once per run for the per-form checks."""

    items: pd.DataFrame
    by_unit: Mapping[tuple[str, str], pd.DataFrame]  # (district_code, lead_unit) → that unit's rows
    lead_of: Mapping[str, str]                        # item_id → lead unit
    district_of: Mapping[str, str]                    # item_id → district

    @classmethod
    def of(cls, items: pd.DataFrame) -> Expected:
        by_unit = {key: rows for key, rows in items.groupby(["district_code", "lead_unit"], sort=False)}
        return cls(items, by_unit, dict(zip(items.item_id, items.lead_unit, strict=True)),
                   dict(zip(items.item_id, items.district_code, strict=True)))

    def of_unit(self, district_code: str, unit: str) -> pd.DataFrame:
        """The rows a unit answers for (none when it has none)."""
        return self.by_unit.get((district_code, unit), self.items.iloc[0:0])
