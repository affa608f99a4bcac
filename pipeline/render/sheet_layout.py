"""The layout every sheet shares: the title block, the header row, frozen panes and filter, the page setup.

Stage: render. Input: the house style (templates/workbook_style.yaml: fonts, page) and a table's columns.
Output: the rows above a table and the print setup (A4 landscape, header rows repeated, page numbers).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pipeline.render.cells import merge_text, write_text
from pipeline.render.styles import Formats, StyleSheet
from pipeline.render.text_fit import header_width

HEADER_ROW = 2  # row 1 title, row 2 填报单位 line, row 3 header (0-based 2)


class Column(NamedTuple):
    """A column of a rendered table: its header and width in characters."""

    header: str
    width: float


def info_line(unit_of_reporting: str, unit: str, date: str) -> str:
    """The 填报单位/单位/日期 line under every title.

    >>> info_line("双城区发展和改革局", "见各指标", "2026年1月1日")
    '填报单位：双城区发展和改革局    单位：见各指标    日期：2026年1月1日'
    """
    return f"填报单位：{unit_of_reporting}    单位：{unit}    日期：{date}"


def chinese_date(moment: datetime) -> str:
    """A date as officials write it.

    >>> chinese_date(datetime(2026, 1, 1, 9, 30))
    '2026年1月1日'
    """
    return f"{moment.year}年{moment.month}月{moment.day}日"


def write_title_block(ws: Worksheet, fmts: Formats, title: str, info: str, last_col: int) -> None:
    """Row 1: the title merged over the table (黑体); row 2: the 填报单位/单位/日期 line (仿宋)."""
    ws.set_row(0, 32)
    merge_text(ws, (0, 0), (0, last_col), title, fmts.title)
    ws.set_row(1, 20)
    merge_text(ws, (1, 0), (1, last_col), info, fmts.subtitle)


def write_header(ws: Worksheet, fmts: Formats, row: int, columns: Sequence[Column]) -> None:
    """Set the column widths and write the header row (a header ending in a unit is never cut before it)."""
    ws.set_row(row, 30)
    for col, column in enumerate(columns):
        ws.set_column(col, col, header_width(column.header, column.width, fmts.header_scale))
        write_text(ws, row, col, column.header, fmts.header)


def setup_page(ws: Worksheet, styles: StyleSheet, header_row: int) -> None:
    """A4 landscape, house margins, rows 1..header repeated on every page, page numbers, one page wide."""
    page = styles.page
    ws.set_paper(page.paper)
    if page.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    left, right, top, bottom = page.margins
    ws.set_margins(left=left, right=right, top=top, bottom=bottom)
    ws.repeat_rows(0, header_row)
    ws.set_footer(page.footer)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()


def freeze_and_filter(ws: Worksheet, header_row: int, last_row: int, last_col: int, freeze_col: int = 0) -> None:
    """Freeze everything above the first data row and put an autofilter on the header."""
    ws.freeze_panes(header_row + 1, freeze_col)
    ws.autofilter(header_row, 0, max(last_row, header_row), last_col)


def write_empty_note(ws: Worksheet, fmts: Formats, row: int, last_col: int, text: str) -> int:
    """One merged row saying the table has no data; returns the row written."""
    merge_text(ws, (row, 0), (row, last_col), text, fmts.body_center)
    return row


def start_sheet(wb: xlsxwriter.Workbook, fmts: Formats, name: str, title: str, info: str,
                columns: Sequence[Column], header_row: int = HEADER_ROW) -> Worksheet:
    """Add a sheet with its title block and header row."""
    ws = wb.add_worksheet(name)
    write_title_block(ws, fmts, title, info, len(columns) - 1)
    write_header(ws, fmts, header_row, columns)
    return ws


def finish_sheet(ws: Worksheet, styles: StyleSheet, last_row: int, last_col: int, header_row: int = HEADER_ROW,
                 freeze_col: int = 0) -> None:
    """Frozen header, autofilter and the house print setup (A4 landscape, header repeated, page numbers)."""
    freeze_and_filter(ws, header_row, last_row, last_col, freeze_col)
    setup_page(ws, styles, header_row)
