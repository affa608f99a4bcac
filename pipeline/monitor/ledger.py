"""重点项目台账: each project in force with what its unit reported this year."""
from __future__ import annotations

import pandas as pd

from pipeline.periods import in_year_to
from pipeline.schema import columns
from pipeline.tables import records

# The observation fields a project's row needs
PROJECT_FIELDS = ["item_id", "period", "value", "cumulative_to_date", "progress", "issues", "source_file", "cell"]


def only(observations: pd.DataFrame, fields: list[str]) -> pd.DataFrame:
    """The given fields of the observations, those it has (the store's history is large: rows are built of these
    only)."""
    return observations[[f for f in fields if f in observations]]


def project_ledger(items: pd.DataFrame, projects: pd.DataFrame, accepted: pd.DataFrame, period: str) -> pd.DataFrame:
    """重点项目台账: each project in force with what its unit reported this year (亿元, 形象进度, 存在问题)."""
    by_id = {p["project_id"]: p for p in records(projects)}
    rows = []
    this_year = in_year_to(accepted, period)
    latest: dict[str, dict] = {}
    for record in records(only(this_year.sort_values("period", kind="stable"), PROJECT_FIELDS)):
        latest[record["item_id"]] = record  # the item's row of the latest month
    for item in items[items.item_type == "project"].itertuples():
        last, project = latest.get(item.item_id), by_id[item.item_id]
        rows.append({"district_code": item.district_code, "project_id": item.item_id, "name": item.name,
                     "column_title": project["column_title"], "investment_yi": pd.to_numeric(
                         project["investment_yi"], errors="coerce"), "year_plan": float("nan"),
                     "year_done": last["cumulative_to_date"] if last is not None else float("nan"),
                     "total_done": float("nan"), "progress": last["progress"] if last is not None else "",
                     "issues": last["issues"] if last is not None else "", "lead_unit": item.lead_unit})
    return pd.DataFrame(rows, columns=columns("ledger"))
