"""Whether each unit reported a month on time: 已报, 未报 (not yet due) or 逾期未报 (past the deadline)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipeline.periods import due_date, of_month
from pipeline.schema import columns
from pipeline.settings import load_section


@dataclass(frozen=True)
class Reporting:
    """When a month's returns are due (day of the next month) and who locks a month: inputs/config/status.yaml
    (reporting), their one source."""

    deadline_day: int
    locked_by: str

    @classmethod
    def load(cls, path: Path | str) -> Reporting:
        return load_section(cls, path, "reporting")


def compute_timeliness(items: pd.DataFrame, submissions: pd.DataFrame, period: str, deadline_day: int,
                       now: datetime) -> pd.DataFrame:
    """已报 / 逾期未报 / 未报 for every unit that has items this month: a month's return is due by the end of
    day `deadline_day` of the next month (December's in January), overdue from the day after."""
    deadline = due_date(period, deadline_day)
    units = items[["district_code", "lead_unit"]].drop_duplicates().sort_values(["district_code", "lead_unit"])
    got = of_month(submissions, period)
    got = got[got.status != "refused"]
    by_unit = {key: group for key, group in got.groupby(["district_code", "unit"], sort=False)}
    rows = []
    for unit in units.itertuples():
        mine = by_unit.get((unit.district_code, unit.lead_unit), got.iloc[0:0]).sort_values("received_at")
        if len(mine):
            state, received, source = "已报", mine.received_at.iloc[-1], mine.source_file.iloc[-1]
        else:
            state, received, source = ("逾期未报" if now.date() > deadline else "未报"), "", ""
        rows.append({"district_code": unit.district_code, "unit": unit.lead_unit, "state": state,
                     "received_at": received, "source_file": source, "returns": len(mine)})
    return pd.DataFrame(rows, columns=columns("timeliness"))
