"""Periods of the cycle as `pandas.Period` values: the months of the monthly returns and the years of the plans.

Tables store a month as 'YYYY-MM' text (the contract); every comparison of months, every 'same month last year'
and every 'which plans are in force' goes through here, so no stage slices period strings by hand.
"""
from __future__ import annotations

import re
from datetime import date

import cn2an
import pandas as pd

MONTH_TEXT = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def month(text: str | pd.Period) -> pd.Period:
    """'2025-06' as a monthly Period; anything else is a ValueError saying what to write.

    >>> month("2025-06"), month("2025-06") - 12
    (Period('2025-06', 'M'), Period('2024-06', 'M'))
    """
    if isinstance(text, pd.Period):
        return text.asfreq("M")
    if not isinstance(text, str) or not MONTH_TEXT.fullmatch(text):
        raise ValueError(f"期间“{text}”格式不对，应为 YYYY-MM（如 2025-06）")
    return pd.Period(text, freq="M")


def check_month(text: str) -> str:
    """The text when it is a month 'YYYY-MM' (see `month`), for names and headings that print it."""
    return str(month(text))


def months(values: pd.Series) -> pd.Series:
    """A column of 'YYYY-MM' texts as monthly Periods (vectorised: a million rows in a fraction of a second)."""
    return pd.to_datetime(values.astype(str), format="%Y-%m").dt.to_period("M")


def in_year_to(frame: pd.DataFrame, period: str | pd.Period, include: bool = True) -> pd.DataFrame:
    """The rows of `frame` (with a 'YYYY-MM' period column) of the same year as `period`, up to it (or before
    it when not `include`): a year's running record as of that month."""
    if frame.empty:
        return frame
    at, when = month(period), months(frame.period)
    upto = when <= at if include else when < at
    return frame[(when.dt.year == at.year) & upto]


def of_month(frame: pd.DataFrame, period: str | pd.Period) -> pd.DataFrame:
    """The rows of `frame` of that very month."""
    return frame[frame.period.astype(str) == str(month(period))]


def of_year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of `frame` (monthly or yearly periods) that fall in `year`."""
    return frame[frame.period.astype(str).str.fullmatch(rf"{int(year)}(-\d\d)?")]


def due_date(period: str | pd.Period, deadline_day: int) -> date:
    """The last day a month's return is on time: day `deadline_day` of the next month (December's in January).

    >>> due_date("2025-12", 10)
    datetime.date(2026, 1, 10)
    """
    following = month(period) + 1
    return date(following.year, following.month, deadline_day)


def reported_in(frequency: str, month_number: int) -> bool:
    """Whether an indicator of this reporting frequency is asked for in a month: a monthly one every month, a
    quarterly one at a quarter's end (3, 6, 9, 12), an annual one on the year-end form (12). An indicator of no
    stated frequency is asked every month.

    >>> [m for m in range(1, 13) if reported_in("quarterly", m)], reported_in("annual", 6), reported_in("", 6)
    ([3, 6, 9, 12], False, True)
    """
    if frequency == "quarterly":
        return month_number % 3 == 0
    return month_number == 12 if frequency == "annual" else True


def due(indicators: pd.DataFrame, period: str | pd.Period) -> pd.DataFrame:
    """The indicators asked for in a month, by their reporting frequency (all of them if the table has none)."""
    if "frequency" not in indicators.columns:
        return indicators
    at = month(period).month
    return indicators[pd.Series([reported_in(str(f or ""), at) for f in indicators.frequency], index=indicators.index,
                                dtype=bool)]


def asked(documents: pd.DataFrame, indicators: pd.DataFrame, period: str | pd.Period) -> pd.DataFrame:
    """The indicators a month's forms ask: of the plans in force, those due that month, each indicator of a district
    once. Where two plans in force state the same indicator (a five-year plan and the year's plan or work report),
    the plan of the shorter period states the target for this year and is asked; then the later plan.

    >>> docs = pd.DataFrame({"doc_id": ["fyp", "ap"], "period_start": ["2021", "2023"], "period_end": ["2025", "2023"]})
    >>> ind = pd.DataFrame({"indicator_id": ["f1", "f2", "a1"], "doc_id": ["fyp", "fyp", "ap"],
    ...                     "district_code": "230102", "indicator_key": ["gdp_growth", "arable_land", "gdp_growth"]})
    >>> asked(docs, ind, "2023-06").indicator_id.tolist(), asked(docs, ind, "2024-06").indicator_id.tolist()
    (['f2', 'a1'], ['f1', 'f2'])
    """
    current = due(indicators[indicators.doc_id.isin(in_force(documents, period))], period)
    if "indicator_key" not in current.columns or not len(current):
        return current
    first, last = plan_years(documents)
    span = dict(zip(documents.doc_id, last - first, strict=True))
    start = dict(zip(documents.doc_id, first, strict=True))
    ranked = current.assign(_span=current.doc_id.map(span), _start=current.doc_id.map(start))
    ranked = ranked.sort_values(["_span", "_start"], ascending=[True, False], kind="stable")
    once = ranked.drop_duplicates(["district_code", "indicator_key"])
    return current.loc[current.index.isin(once.index)]


def plan_years(documents: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(first year, last year) each document plans for, as numbers (NaN where the period is not known)."""
    return (pd.to_numeric(documents.period_start, errors="coerce"),
            pd.to_numeric(documents.period_end, errors="coerce"))


def covers(documents: pd.DataFrame, year: int) -> pd.Series:
    """Whether each document's plan period covers `year` (False where the period is unknown)."""
    start, end = plan_years(documents)
    return (start <= year) & (year <= end)


def in_force(documents: pd.DataFrame, period: str | int | pd.Period) -> set[str]:
    """doc_ids of the plans in force in a month or a year: those whose plan period covers its year.

    >>> docs = pd.DataFrame({"doc_id": ["fyp", "ap"], "period_start": ["2021", "2023"], "period_end": ["2025", "2023"]})
    >>> sorted(in_force(docs, "2023-06")), sorted(in_force(docs, 2024)), sorted(in_force(docs, 2026))
    (['ap', 'fyp'], ['fyp'], [])
    """
    if isinstance(period, int):
        year = period
    else:
        year = month(period).year if "-" in str(period) else int(period)
    return set(documents.doc_id[covers(documents, year)])


def default_month(documents: pd.DataFrame, today: date, askable: set[str] | None = None) -> str:
    """The month blank forms are made for: this month when a plan with something to ask (`askable`: doc_ids of
    the plans whose items have a lead unit; default all) is in force this year; else December of the latest
    earlier year such a plan covers; else December of the last year any covers. A later document with nothing to
    ask (a bulletin, next year's report before its duties are assigned) does not move the forms off the plans in
    force.

    >>> docs = pd.DataFrame({"doc_id": ["fyp", "wr"], "period_start": ["2021", "2026"], "period_end": ["2025", "2026"]})
    >>> default_month(docs, date(2026, 12, 7)), default_month(docs, date(2026, 12, 7), {"fyp"})
    ('2026-12', '2025-12')
    """
    plans = documents if askable is None else documents[documents.doc_id.isin(askable)]
    if in_force(plans, today.year):
        return f"{today.year}-{today.month:02d}"
    ends = plan_years(plans)[1]
    earlier = ends[ends < today.year].max()
    last = earlier if pd.notna(earlier) else ends.max()
    return f"{int(last)}-12" if pd.notna(last) else f"{today.year}-{today.month:02d}"


_FYP_ORDINAL = re.compile(r"第([一二三四五六七八九十]+)个五年")
_FYP_SHORT = re.compile(r"“?十([一二三四五六七八九])五”?")


def five_year_period(text: str) -> tuple[int, int] | None:
    """The years of the five-year plan a text names ('第十四个五年' or '十四五' → 2021–2025).

    >>> five_year_period("国民经济和社会发展第十四个五年规划")
    (2021, 2025)
    >>> five_year_period("“十三五”时期")
    (2016, 2020)
    """
    m = _FYP_ORDINAL.search(text)
    n = int(cn2an.cn2an(m.group(1), "smart")) if m else None
    if n is None:
        m = _FYP_SHORT.search(text)
        n = 10 + int(cn2an.cn2an(m.group(1), "smart")) if m else None
    if n is None or n < 3:
        return None
    start = 1966 + 5 * (n - 3)  # the 3rd plan began in 1966; every plan since has run five years
    return start, start + 4
