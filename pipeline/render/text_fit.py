"""How wide a text is and how many lines it takes: column widths, row heights, texts cut to the tallest row.

Stage: render. Input: texts and column widths in Excel column units (a Chinese character counts two).
Output: `display_width`, `lines_needed`, row heights set by `fit_row`, long texts written whole or cut with
'…' and their full text in a comment (`write_long_text`), header widths that keep a unit on the header's line.
"""
from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from pipeline.numbers import as_text
from pipeline.render.cells import WIDE, write_text
from pipeline.render.styles import Formats

if TYPE_CHECKING:  # sheet_layout writes headers with header_width below
    from pipeline.render.sheet_layout import Column

log = logging.getLogger(__name__)

WIDTHS = {"W": 2, "F": 2, "A": 1, "H": 1, "N": 1, "Na": 1}  # columns per character, by east_asian_width
MAX_ROW_HEIGHT = 409.0  # points: Excel's tallest row; a text that needs more is cut with … (full text in a comment)
ELLIPSIS = "…"
WIDE_RUNS = re.compile(WIDE + "+")
CLAUSE_ENDS = "。；！？\n"  # where a cut text may end: after a sentence or a paragraph
COMMENT_WIDTH = 640  # pixels: the comment box holding the full text of a cut cell
BRACKETED_UNIT_AT_END = re.compile("..[（(][^（()）]*[)）]$")  # '年均增长（%）': a header ending in its unit


def display_width(text: str) -> int:
    """The width of a text in Excel column units: wide (Chinese) characters count two.

    >>> display_width("GDP"), display_width("地区生产总值"), display_width("5 以上")
    (3, 12, 6)
    """
    if text.isascii():
        return len(text)
    rest = WIDE_RUNS.sub("", text)  # the commonest characters, all wide: counted without a lookup each
    narrow = len(rest) if rest.isascii() else sum(map(WIDTHS.__getitem__, map(unicodedata.east_asian_width, rest)))
    return 2 * (len(text) - len(rest)) + narrow


def lines_needed(text: str, width: float) -> int:
    """How many lines a wrapped text takes in a column `width` characters wide.

    >>> lines_needed("", 10), lines_needed("地区生产总值增长率", 10), lines_needed("第一行\\n第二行", 30)
    (1, 2, 2)
    """
    usable = max(width - 1, 1)
    return sum(1 if 2 * len(part) <= usable else max(1, math.ceil(display_width(part) / usable))
               for part in text.split("\n"))  # a part of n characters is at most 2n wide


def fit_row(ws: Worksheet, fmts: Formats, row: int, columns: Sequence[Column], texts: dict[int, Any],
            min_height: float = 0) -> None:
    """Set a row's height to hold its longest wrapped text (`texts` maps column index to value).

    Neither LibreOffice nor merged cells grow rows by themselves, so the height is set explicitly; rows of
    one line keep the default height unless `min_height` asks for more (room to write by hand). No row is
    taller than Excel allows: a text that needs more is written with `write_long_text`, else a warning says so.
    """
    lines = 1
    for col, value in texts.items():
        text = value if type(value) is str else as_text(value)
        # a line of n characters is at most 2n wide: skip texts that surely fit in the lines already needed
        # (n counted before stripping can only overstate; lines_needed gets the stripped text)
        width = columns[col].width
        if text and (2 * len(text) > max(width - 1, 1) * lines or "\n" in text):
            lines = max(lines, lines_needed(as_text(text), width))
    height = max(lines * fmts.line_height + 2 if lines > 1 else 0, min_height)
    if height > MAX_ROW_HEIGHT:
        log.warning("工作表“%s”第 %d 行文字超过最大行高，单元格中显示不全", ws.name, row + 1)
        height = MAX_ROW_HEIGHT
    if height:
        ws.set_row(row, height)


def write_long_text(ws: Worksheet, fmts: Formats, row: int, col: int, value: Any, fmt: Format,
                    width: float) -> str:
    """Write a text whole, wrapped in a column `width` wide; one taller than the tallest row is cut with '…' and
    its full text put in the cell's comment, so nothing is cut silently. Returns the text shown (for `fit_row`)."""
    text = as_text(value)
    shown = clip_text(text, width, max_lines(fmts))
    write_text(ws, row, col, shown, fmt)
    if shown != text:
        lines = lines_needed(text, COMMENT_WIDTH / 7)  # about 7 pixels per column unit
        ws.write_comment(row, col, f"全文：{text}", {"width": COMMENT_WIDTH, "height": min(20 * lines + 40, 2000)})
    return shown


def clip_text(text: str, width: float, lines: int) -> str:
    """`text` whole when it takes at most `lines` wrapped lines in a column `width` wide; else the longest head that
    does with '…' after it, cut after a sentence where one ends in the last third of that head.

    >>> clip_text("第一句。第二句。", 10, 5)
    '第一句。第二句。'
    >>> clip_text("第一句话。第二句话很长很长。", 9, 2)
    '第一句话。…'
    >>> clip_text("一二三四五六七八九十一二三四五六七八九十", 9, 2)
    '一二三四五六七…'
    """
    if lines_needed(text, width) <= lines:
        return text
    low, high = 0, len(text)  # the longest head that fits with its '…' lies in [low, high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if lines_needed(text[:middle] + ELLIPSIS, width) <= lines else (low, middle)
    head = text[:low]
    sentence_end = max(head.rfind(c) for c in CLAUSE_ENDS)
    if sentence_end >= len(head) * 2 // 3:
        head = head[:sentence_end + 1]
    return head.rstrip("\n") + ELLIPSIS


def max_lines(fmts: Formats) -> int:
    """How many wrapped lines of body text the tallest row holds."""
    return int((MAX_ROW_HEIGHT - 2) // fmts.line_height)


def header_width(header: str, width: float, scale: float = 1.0) -> float:
    """The width of a column whose header ends in a unit in brackets ('年均增长（%）', '计划总投资(亿元)'): wide
    enough for the header on one line, since a wrapped one leaves the unit alone on its last line. Other
    headers wrap as they may. `scale`: the header font against the body font the widths are counted in.

    >>> header_width("年均增长（%）", 9, 1.1), header_width("年均增长（%）", 16, 1.1), header_width("属性", 4, 1.1)
    (15, 16, 4)
    """
    if not BRACKETED_UNIT_AT_END.search(header):
        return width
    return max(width, round(display_width(header) * scale) + 1)  # one for the cell's padding
