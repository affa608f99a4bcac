"""CSV files as text (UTF-8 with BOM so that Excel shows Chinese) and plain helpers on the tables; the contract
tables are read and written through pipeline.schema, which casts and checks them."""
from __future__ import annotations

import functools
import re
from collections import namedtuple
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet takes text beginning so for a formula (OWASP)
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?%?$")  # -0.8%, +12: read as numbers, never as formulas


def escape_formula(value: object) -> object:
    """Text that a spreadsheet would run as a formula ('=HYPERLINK(…)', '@SUM(…)', '-1+2'), and text that begins
    with the escape itself, prefixed with an apostrophe, which Excel shows as text; numbers and plain signed
    figures ('-0.8%') are left alone.

    >>> [escape_formula(v) for v in ("=1+2", "@SUM(A1)", "-0.8%", "'=x", "粮食", 3.5)]
    ["'=1+2", "'@SUM(A1)", '-0.8%', "''=x", '粮食', 3.5]
    """
    if isinstance(value, str) and value.startswith((*FORMULA_START, "'")) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    """The text `escape_formula` was given back ('\'=1+2' → '=1+2')."""
    return value[1:] if value.startswith("'") and value[1:].startswith((*FORMULA_START, "'")) else value


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a frame as CSV with a BOM, text that a spreadsheet would take for a formula escaped (a figure or
    quote from a document or a form must not run when the office opens the file); return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    safe = frame.assign(**{c: frame[c].map(escape_formula) for c in text}) if text else frame
    safe.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def read_csv_text(path: Path) -> pd.DataFrame:
    """A CSV (one `write_csv` wrote, or a configuration file), every column as text (empty cells stay ''), the
    formula escape of `write_csv` undone."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for column in frame.columns:
        marked = frame[column].str.startswith("'")
        if marked.any():
            frame[column] = frame[column].where(~marked, frame[column].map(unescape_formula))
    return frame


def read_office_csv(path: Path) -> pd.DataFrame:
    """A CSV the office edits by hand (adjustments.csv, overrides.csv), every column as text; a file that is not
    UTF-8 (Excel on Chinese Windows saves GBK), has a malformed line or is empty is a ValueError naming the
    file and what to do, instead of a parser traceback."""
    try:
        return read_csv_text(path)
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path.name}：不是 UTF-8 编码（第 {exc.start + 1} 个字节起无法读取）；"
                         "请在 Excel 中“另存为 CSV UTF-8（逗号分隔）”后重试") from exc
    except pd.errors.EmptyDataError as exc:
        raise ValueError(f"{path.name}：文件是空的，至少应有表头一行") from exc
    except pd.errors.ParserError as exc:
        raise ValueError(f"{path.name}：格式有误（{exc}）；请检查该行的逗号与引号") from exc


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows as dicts of plain Python values, like `to_dict("records")` but column by column (pandas
    boxes each value on its own there), several times faster on the wide tables renderers walk."""
    columns = list(frame.columns)
    values = zip(*(frame[c].tolist() for c in columns), strict=True)
    return [dict(zip(columns, row, strict=True)) for row in values]


def tuples(frame: pd.DataFrame) -> list:
    """The rows as named tuples of plain values, like `itertuples(index=False)` but column by column (pandas
    selects every column anew for each call of itertuples, which dominates on the short outline frames
    the extractors walk many times per document)."""
    row = _row_type(tuple(frame.columns))
    return [row._make(values) for values in frame.to_numpy(dtype=object).tolist()]


@functools.cache
def _row_type(columns: tuple[str, ...]) -> type:
    """One named-tuple class per column list (making the class costs more than filling it)."""
    return namedtuple("Row", columns, rename=True)


def split_by(frame: pd.DataFrame, column: str) -> dict[str, pd.DataFrame]:
    """The frame's rows by the value of one column, in one pass (filtering per value costs a pass each)."""
    return {key: rows for key, rows in frame.groupby(column, sort=False)}


ITEM_TABLES = {"indicator": "indicators", "project": "projects", "task": "tasks"}  # item type → its table
ITEM_IDS = {"indicator": "indicator_id", "project": "project_id", "task": "task_id"}  # item type → its id column
ITEM_NAMES = {"indicator": "name", "project": "name", "task": "title"}  # item type → the column that names an item
ITEM_WORDS = {"indicator": "指标", "project": "项目", "task": "任务"}  # item type as the office says it


def machine_review(confidence: float, publish_at: float) -> str:
    """The review status of an item nobody has decided on: proposed when the machine is sure enough for it to go
    out (review.yaml's publish_at), else pending (待确认)."""
    return "proposed" if float(confidence) >= publish_at else "pending"


def goes_out(review: object) -> bool:
    """Whether an item of this review status goes out (forms, monitoring, workbooks, reports): confirmed by the
    office, or proposed by a confident machine; not removed (剔除) and not pending (待确认). Tables written before
    the review (no status) go out."""
    return not isinstance(review, str) or review in ("confirmed", "proposed", "")


def published(items: pd.DataFrame) -> pd.DataFrame:
    """The items of a table that go out (see `goes_out`)."""
    if "review" not in items.columns:
        return items
    return items[pd.Series([goes_out(r) for r in items.review], index=items.index, dtype=bool)]


def named_indicators(indicators: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the indicators that go out with a proper name, the targets the plan states without naming what they
    measure). An indicator the office removed is in neither; one still 待确认 only in the review workbook.

    A target without a name ('增加到110.9万千瓦') or whose name is only a verb or a place ('新建至少1个',
    '巨源镇2.5万人'; its `name_issue`, pipeline/extract/naming.py) cannot be asked of or reported by anyone:
    forms, monitoring and evaluation leave it out, and the plan workbook and report list it with its quote, line
    and reason, so the office sees what was left out and why.
    """
    nameless = pd.Series([not names_indicator(n, i) for n, i in zip(indicators.name, indicators.get(
        "name_issue", pd.Series("", index=indicators.index)), strict=True)], index=indicators.index, dtype=bool)
    review = indicators.get("review", pd.Series("", index=indicators.index))
    out = pd.Series([goes_out(r) for r in review], index=indicators.index, dtype=bool)
    return indicators[~nameless & out], indicators[nameless & (review != "removed")]


def names_indicator(name: object, issue: object) -> bool:
    """Whether an indicator row's name says what it measures: printed, and no `name_issue` found with it."""
    return str(name if isinstance(name, str) else "").strip() != "" and not (isinstance(issue, str) and issue)


def nameless_reason(row: Mapping) -> str:
    """Why a target left out of forms and reports is left out, in the office's words."""
    issue = row.get("name_issue")
    return issue if isinstance(issue, str) and issue else "未写明指标名称"


def indicator_names(indicators: pd.DataFrame) -> pd.Series:
    """Each indicator's name as printed with its sub-item: '人均可支配收入增长率（城镇）'."""
    return indicators.name + indicators.sub_item.map(lambda s: f"（{s}）" if s else "")


def plans_with_duties(tables: dict[str, pd.DataFrame]) -> set[str]:
    """doc_ids of the plans that have something to ask a unit: a named indicator or a project with a lead unit."""
    duty = tables["responsibilities"]
    led = set(duty.item_id[duty.lead_unit != ""])
    named, _ = named_indicators(tables["indicators"])
    return set(named.doc_id[named.indicator_id.isin(led)]) | set(
        tables["projects"].doc_id[tables["projects"].project_id.isin(led)])
