"""Rows of the contract tables picked and ordered for the sheets: one district's rows, 序号 as a sort key.

Stage: render. Input: any table with a district_code column (DataFrames as read, codes as text or float).
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.numbers import as_number, as_text
from pipeline.tables import records


def of_district(frame: pd.DataFrame, district_code: str) -> pd.DataFrame:
    """The rows of one district (codes compared as text, so 230113 and 230113.0 match)."""
    if frame.empty or "district_code" not in frame.columns:
        return frame.iloc[0:0]
    codes = frame["district_code"]
    return frame[(codes.str.strip() if pd.api.types.is_string_dtype(codes) else codes.map(as_text)) == district_code]


def rows_by_district(frame: pd.DataFrame) -> dict[str, list[dict]]:
    """A table's rows (`records`) grouped by district code (as text), in table order; one pass for all."""
    grouped: dict[str, list[dict]] = {}
    for row in records(frame):
        grouped.setdefault(as_text(row.get("district_code")), []).append(row)
    return grouped


def item_number(value: Any) -> float:
    """A sort key for 序号 as printed ('3', 3.0); unnumbered items sort last."""
    number = as_number(value)
    return float("inf") if number is None else number
