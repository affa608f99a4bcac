"""Plain values of the CSV-sourced tables and the cell writers every renderer shares.

Stage: render. Input: cells of the tables (text, float, NaN or None). Output: display text and numbers
(`as_text`, `as_number`, `one_line` …), and text, number and merged cells written the safe way: data never
becomes a formula, and a string cut by xlsxwriter is said in the log.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from pipeline.numbers import as_text

log = logging.getLogger(__name__)

MAX_DECIMALS = 4  # numbers keep up to four decimals as printed (5.9191 万平方米); more is noise
TRUNCATED = -2  # xlsxwriter's return code for a string cut at 32,767 characters
# CJK punctuation, unified ideographs (with extension A) and full-width forms: East Asian Wide or Fullwidth, every one
WIDE = "[\u3000-\u303e\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60\uffe0-\uffe6]"
PAGE_BREAK = re.compile(rf"(?<={WIDE})[ \t]*\n\s*(?={WIDE})")  # a line break inside Chinese text


# ---------------------------------------------------------------- plain values from CSV-sourced frames


def one_line(value: Any) -> str:
    """A quote on one line for a cell: a line break between Chinese characters is a page break inside a sentence
    and goes; any other run of spaces, tabs or breaks (between table cells) becomes one space.

    >>> one_line("全年实现实\\n\\n际到位资金 105 亿元"), one_line("\\t10. 城镇新增就业人数 (万人)\\t\\t0.27")
    ('全年实现实际到位资金 105 亿元', '10. 城镇新增就业人数 (万人) 0.27')
    """
    text = PAGE_BREAK.sub("", as_text(value))
    return " ".join(text.split())



def decimals_of(value: float) -> int:
    """How many decimals `value` needs to be shown as it was given (at most four).

    >>> [decimals_of(v) for v in (5.0, 0.2, 0.27, 5.9191, 1 / 3)]
    [0, 1, 2, 4, 4]
    """
    text = repr(float(value))
    if "e" in text or "E" in text:
        return MAX_DECIMALS
    fraction = text.partition(".")[2].rstrip("0")
    return min(len(fraction), MAX_DECIMALS)


# ---------------------------------------------------------------- cell writers

def write_text(ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
    """Write `value` as a text cell whatever it starts with (=, +, -, @ stay text); '' gives a blank cell."""
    text = as_text(value)
    if not text:
        ws.write_blank(row, col, None, fmt)
        return
    code = ws.write_string(row, col, text, fmt)
    if not code:
        return
    if code == TRUNCATED:
        log.warning("工作表“%s”第 %d 行第 %d 列文字超过 32767 个字符，已截断", ws.name, row + 1, col + 1)
    elif code:
        raise ValueError(f"工作表“{ws.name}”无法写入第 {row + 1} 行第 {col + 1} 列（代码 {code}）")


def write_number(ws: Worksheet, row: int, col: int, value: float | None, fmt: Format) -> None:
    """Write a number, or a blank cell with the same format when there is none."""
    if value is None:
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_number(row, col, value, fmt)


def merge_text(ws: Worksheet, first: tuple[int, int], last: tuple[int, int], value: Any, fmt: Format) -> None:
    """Merge a range and write `value` in it as text (a single cell is written without merging)."""
    if first == last:
        write_text(ws, first[0], first[1], value, fmt)
        return
    ws.merge_range(first[0], first[1], last[0], last[1], "", fmt)
    write_text(ws, first[0], first[1], value, fmt)
