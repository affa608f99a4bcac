"""Plain values from the tables: a cell as display text, as a float or None, a number as plain text. The one
place that turns a table's cell into a number, for every stage and renderer."""
from __future__ import annotations

import math
from typing import Any

import pandas as pd


def as_text(value: Any) -> str:
    """A cell of a CSV-sourced frame as display text: NaN and None are '', 2020.0 is '2020'.

    >>> [as_text(v) for v in (None, float("nan"), 2020.0, 0.27, " 5 以上 ", "=SUM(A1)")]
    ['', '', '2020', '0.27', '5 以上', '=SUM(A1)']
    """
    if type(value) is str:  # most cells: tables hold text
        return value.strip()
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def as_number(value: Any) -> float | None:
    """A numeric cell (float, int or numeric text) as a float; empty, NaN or text is None.

    >>> [as_number(v) for v in ("20", 8.3, "", float("nan"), "约20亿元", None)]
    [20.0, 8.3, None, None, None, None]
    """
    if value is None or value is pd.NA or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value:  # empty cells are common: no exception raised and caught for them
            return None
    try:
        number = float(value)
    except ValueError:
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def number_text(value: float) -> str:
    """A number as plain text without a trailing '.0' (for comparing with the printed text).

    >>> number_text(5.0), number_text(151.12)
    ('5', '151.12')
    """
    return as_text(float(value))
