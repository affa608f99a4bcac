"""Figures written as numbers that print the way the plan prints them ('18以上', '[150]', '下降0.8').

Stage: render. Input: a figure as (value, printed text, unit) from the tables. Output: a number cell whose
number format carries the words and marks around the figure (`figure_format`), else the printed text; what the
number cannot show goes in the cell's comment.
"""
from __future__ import annotations

import math
import re
import unicodedata
from itertools import accumulate
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from pipeline.numbers import as_number, as_text, number_text
from pipeline.render.cells import write_text
from pipeline.render.styles import Formats

# A figure as printed: digits (half- or full-width), thousands separators, decimals ('5,920.81', '１２．５')
FIGURE_TOKEN = re.compile("[0-9\uff10-\uff19][0-9\uff10-\uff19,\uff0c]*(?:[.\uff0e][0-9\uff10-\uff19]+)?")
MINUS_SIGNS = "-\u2212\uff0d"  # '-', '−', '－' printed before a figure
MAX_FORMAT_LENGTH = 255  # Excel refuses longer number formats


def write_figure(ws: Worksheet, row: int, col: int, figure: tuple[Any, Any, str], fmts: Formats,
                 text_fmt: Format, number_fmt: Format | None = None) -> None:
    """Write a figure (value, printed text, unit) as a number printed the way the plan prints it, else as the
    printed text.

    The cell keeps the value (sums, filters and checks work) and its number format prints the words and marks
    around it and the printed decimals (`figure_format`): '18 以上' shows 18以上, '[150]' [150], '43（调整为45）'
    45 so; the unit is left to its own column. With `number_fmt` (investments in 亿元), or when the printed
    text does not hold the value ('两个'), the number takes that format or its own decimals and a text saying
    more goes in a comment on the cell, so nothing printed is lost.
    """
    value, printed, unit = figure
    number, text = as_number(value), as_text(printed)
    if number is None:
        write_text(ws, row, col, text, text_fmt)
        return
    code = None if number_fmt is not None else figure_format(text, number, unit, fmts.integer_code)
    if code is not None:
        ws.write_number(row, col, number, fmts.figure(code))
        return
    ws.write_number(row, col, number, number_fmt or fmts.number(number))
    if says_more(text, number, unit):
        ws.write_comment(row, col, f"原文：{text}", {"x_scale": 1.5})


def figure_text(figure: tuple[Any, Any, str]) -> str:
    """The text a figure cell wraps (for `fit_row`): the printed text when there is no value; a number never wraps.

    >>> figure_text((None, "完成市下达 指标", "%")), figure_text((18.0, "18 以上", "%"))
    ('完成市下达 指标', '')
    """
    value, printed, _ = figure
    return "" if as_number(value) is not None else as_text(printed)


def figure_format(printed: str, number: float, unit: str = "", integer: str = "#,##0") -> str | None:
    """The Excel number format that prints `number` as `printed` does, less the unit; None when the printed
    text does not hold the number.

    The words and marks around the figure become quoted literals, the decimals are those printed, `integer`
    is the house integer part. A negative number gets a section of its own that prints the sign only where
    the text does ('下降0.8' for −0.8). The unit, shown in its own column, is dropped from the words after
    the figure; spaces next to Chinese characters are dropped.

    >>> figure_format("18 以上", 18.0, "%"), figure_format("[150]", 150.0, "亿元")
    ('#,##0"以上"', '"["#,##0"]"')
    >>> figure_format("6%左右", 6.0, "%"), figure_format("43（调整为45）", 45.0, "亿斤")
    ('#,##0"左右"', '"43（调整为"#,##0"）"')
    >>> figure_format("99.90", 99.9), figure_format("下降0.8%", -0.8, "%"), figure_format("-40.3", -40.3)
    ('#,##0.00', '"下降"#,##0.0;"下降"#,##0.0', '#,##0.0;"-"#,##0.0')
    >>> figure_format("500台（套）以上", 500.0, "台(套)"), figure_format("3-5个", 3.0, "个"), figure_format("两个", 2.0)
    ('#,##0"以上"', '#,##0"-5"', None)
    """
    for match in FIGURE_TOKEN.finditer(printed):
        token = unicodedata.normalize("NFKC", match.group()).replace(",", "")
        if not math.isclose(float(token), abs(number), rel_tol=1e-9, abs_tol=1e-12):
            continue
        prefix, suffix = _tight(printed[:match.start()]), _tight(_without_unit(printed[match.end():], unit))
        signed = prefix[-1:] in tuple(MINUS_SIGNS)
        if signed and number >= 0:
            continue  # '3-5': the 5 of a range is not a negative 5
        decimals = len(token.partition(".")[2])
        digits = integer + ("." + "0" * decimals if decimals else "")
        positive = format_literal(prefix[:-1] if signed else prefix) + digits + format_literal(suffix)
        code = positive if number >= 0 else f"{positive};{format_literal(prefix)}{digits}{format_literal(suffix)}"
        return code if len(code) <= MAX_FORMAT_LENGTH else None
    return None


def format_literal(text: str) -> str:
    """Text as a literal of an Excel number format: quoted, a double quote escaped.

    >>> format_literal("以上"), format_literal('a"b'), format_literal("")
    ('"以上"', '"a"\\\\""b"', '')
    """
    return '"' + text.replace('"', '"\\""') + '"' if text else ""


def _tight(text: str) -> str:
    """Words around a figure without the spaces at their ends or next to a Chinese character.

    >>> _tight(" 以 上 "), _tight("与同期 GDP 增速 ")
    ('以上', '与同期GDP增速')
    """
    return re.sub(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+", "", text).strip()


def _without_unit(words: str, unit: str) -> str:
    """`words` without the first mention of `unit`, printed in full- or half-width forms ('台（套）' is '台(套)').

    >>> _without_unit("%以上", "%"), _without_unit("台（套）以上", "台(套)"), _without_unit("-5个", "个")
    ('以上', '以上', '-5')
    """
    wanted = unicodedata.normalize("NFKC", unit).replace(" ", "")
    if not wanted:
        return words
    pieces = [unicodedata.normalize("NFKC", ch) for ch in words]
    at = "".join(pieces).find(wanted)
    if at < 0:
        return words
    ends = list(accumulate(len(piece) for piece in pieces))  # offset in the joined text after each character
    first = next(i for i, end in enumerate(ends) if end > at)
    last = next(i for i, end in enumerate(ends) if end >= at + len(wanted))
    return words[:first] + words[last + 1:]


def says_more(printed: str, number: float, unit: str = "") -> bool:
    """Whether the printed text carries more than the number and its unit.

    >>> says_more("5 以上", 5.0), says_more("3万亩", 3.0, "万亩"), says_more("[150]", 150.0), says_more("", 1.0)
    (True, False, True, False)
    """
    bare = printed.replace(" ", "")
    if unit:
        bare = bare.replace(unit.replace(" ", ""), "")
    return bool(bare) and bare != number_text(number)
