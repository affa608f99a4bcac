"""The house style of every workbook, the workbook factory and the cell helpers the renderers share.

Stage: render. Input: templates/workbook_style.yaml (fonts, colours, number formats, page setup, entry-form
choices). Output: none by itself; `new_workbook` opens an xlsxwriter workbook with the safe options and
builds the format registry once, the helpers write text, numbers, title blocks and the page setup.
"""
from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import pandas as pd
import xlsxwriter
import yaml
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

log = logging.getLogger(__name__)

MAX_DECIMALS = 4  # numbers keep up to four decimals as printed (5.9191 万平方米); more is noise
TRUNCATED = -2  # xlsxwriter's return code for a string cut at 32,767 characters
WIDTHS = {"W": 2, "F": 2, "A": 1, "H": 1, "N": 1, "Na": 1}  # columns per character, by east_asian_width
LINE_SPACING = 1.5  # row height per text line, in points per point of font size (CJK fonts run tall)
MAX_ROW_HEIGHT = 409.0  # points: Excel's tallest row; a text that needs more is cut with … (full text in a comment)
ELLIPSIS = "…"
# CJK punctuation, unified ideographs (with extension A) and full-width forms: East Asian Wide or Fullwidth, every one
WIDE = "[\u3000-\u303e\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60\uffe0-\uffe6]"
WIDE_RUNS = re.compile(WIDE + "+")
PAGE_BREAK = re.compile(rf"(?<={WIDE})[ \t]*\n\s*(?={WIDE})")  # a line break inside Chinese text
CLAUSE_ENDS = "。；！？\n"  # where a cut text may end: after a sentence or a paragraph
COMMENT_WIDTH = 640  # pixels: the comment box holding the full text of a cut cell
# A figure as printed: digits (half- or full-width), thousands separators, decimals ('5,920.81', '１２．５')
FIGURE_TOKEN = re.compile("[0-9\uff10-\uff19][0-9\uff10-\uff19,\uff0c]*(?:[.\uff0e][0-9\uff10-\uff19]+)?")
MINUS_SIGNS = "-\u2212\uff0d"  # '-', '−', '－' printed before a figure
MAX_FORMAT_LENGTH = 255  # Excel refuses longer number formats
BRACKETED_UNIT_AT_END = re.compile("..[（(][^（()）]*[)）]$")  # '年均增长（%）': a header ending in its unit


@dataclass(frozen=True)
class FontSpec:
    """One font of the house style: name, size in points, bold or not."""

    name: str
    size: float
    bold: bool = False


@dataclass(frozen=True)
class Fonts:
    """黑体 for titles, 仿宋 for the 填报单位 line and notes, 宋体 for headers and body."""

    title: FontSpec
    subtitle: FontSpec
    header: FontSpec
    body: FontSpec
    note: FontSpec


@dataclass(frozen=True)
class Colors:
    """Fill and border colours as '#RRGGBB'."""

    header_fill: str
    category_fill: str
    input_fill: str
    border: str


@dataclass(frozen=True)
class NumberFormats:
    """Excel number formats: generic values, integers, percent figures, fractions shown as per cent,
    亿元 investments, years."""

    value: str
    integer: str
    percent_value: str
    investment: str
    year: str = "0"
    fraction: str = "0.0%"
    count: str = "0"  # 序号 and counts


@dataclass(frozen=True)
class PageSpec:
    """Print setup: paper (9 = A4), orientation, margins in inches, footer."""

    paper: int
    landscape: bool
    margins: tuple[float, float, float, float]  # left, right, top, bottom
    footer: str


@dataclass(frozen=True)
class EntryFormSpec:
    """The choices offered in the monthly forms and their protection password ('' = none)."""

    progress: tuple[str, ...]
    attainment: tuple[str, ...]
    password: str = ""


@dataclass(frozen=True)
class OfficeNames:
    """Who issues the workbooks: `district` is a pattern with {district} ('{district}发展和改革局')."""

    district: str
    city: str

    def of(self, district: str) -> str:
        """The issuing office of one district.

        >>> OfficeNames("{district}发展和改革局", "各区发展和改革局（汇总）").of("双城区")
        '双城区发展和改革局'
        """
        return self.district.format(district=district)


@dataclass(frozen=True)
class StyleSheet:
    """The house style loaded from templates/workbook_style.yaml."""

    created: datetime
    style_version: str
    form_template_version: str
    fonts: Fonts
    colors: Colors
    number_formats: NumberFormats
    page: PageSpec
    entry_form: EntryFormSpec
    office: OfficeNames

    @classmethod
    def load(cls, path: Path | str) -> StyleSheet:
        """Read the style sheet; a missing or unknown key raises at once."""
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        margins = raw["page"]["margins"]
        form = raw["entry_form"]
        return cls(
            created=_as_datetime(raw["created"]),
            style_version=str(raw["style_version"]),
            form_template_version=str(raw["form_template_version"]),
            fonts=Fonts(**{key: FontSpec(**spec) for key, spec in raw["fonts"].items()}),
            colors=Colors(**raw["colors"]),
            number_formats=NumberFormats(**raw["number_formats"]),
            office=OfficeNames(**raw["office"]),
            page=PageSpec(int(raw["page"]["paper"]), bool(raw["page"]["landscape"]),
                          (margins["left"], margins["right"], margins["top"], margins["bottom"]),
                          str(raw["page"]["footer"])),
            entry_form=EntryFormSpec(tuple(form["progress"]), tuple(form["attainment"]), str(form["password"])),
        )


def _as_datetime(value: Any) -> datetime:
    """YAML gives a datetime for an unquoted timestamp and a str for a quoted one; accept both."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


@dataclass(frozen=True)
class Formats:
    """Every cell format a renderer uses, built once per workbook by `build_formats`."""

    title: Format
    subtitle: Format
    header: Format
    body: Format
    body_center: Format
    body_wrap: Format
    category: Format
    group: Format
    subtotal: Format
    subtotal_investment: Format
    year: Format
    count: Format  # 序号 and counts: a whole number centred, never wrapped
    decimals: tuple[Format, ...]  # decimals[d]: a number shown with d decimals
    percent: Format
    fraction: Format  # a share held as a fraction (1.2667) shown as per cent (126.7%)
    investment: Format
    input_text: Format
    input_number: Format
    input_choice: Format
    not_applicable: Format
    note: Format
    line_height: float  # points per wrapped line of body text
    header_scale: float  # width of header text against body text (their font sizes)
    workbook: xlsxwriter.Workbook  # where the figure formats below are added, once each
    figure_cell: Mapping[str, Any]  # the properties of a body number cell, for the figure formats
    integer_code: str  # the house integer format ('#,##0'), the whole part of every figure format
    figures: dict[str, Format]  # the figure formats built so far, by number format code

    def number(self, value: float) -> Format:
        """The format that shows `value` with as many decimals as it has (at most four)."""
        return self.decimals[decimals_of(value)]

    def figure(self, code: str) -> Format:
        """A body number cell with number format `code` (a figure printed as the plan prints it)."""
        if code not in self.figures:
            self.figures[code] = self.workbook.add_format({**self.figure_cell, "num_format": code})
        return self.figures[code]


def build_formats(wb: xlsxwriter.Workbook, styles: StyleSheet) -> Formats:
    """Build the format registry of one workbook from the style sheet."""
    fonts, colors, numbers = styles.fonts, styles.colors, styles.number_formats

    def font(spec: FontSpec) -> dict[str, Any]:
        return {"font_name": spec.name, "font_size": spec.size, "bold": spec.bold}

    cell = {**font(fonts.body), "border": 1, "border_color": colors.border, "valign": "vcenter"}
    figure = {**cell, "shrink": True}  # a number never wraps; shrunk rather than '###' when the column is narrow
    shaded = {**cell, "bg_color": colors.category_fill, "bold": True}
    entry = {**cell, "locked": False, "bg_color": colors.input_fill}
    decimal_codes = [numbers.integer] + [f"{numbers.integer}.{'0' * d}" for d in range(1, MAX_DECIMALS + 1)]
    return Formats(
        title=wb.add_format({**font(fonts.title), "align": "center", "valign": "vcenter"}),
        subtitle=wb.add_format({**font(fonts.subtitle), "align": "left", "valign": "vcenter"}),
        header=wb.add_format({**font(fonts.header), "border": 1, "border_color": colors.border,
                              "bg_color": colors.header_fill, "align": "center", "valign": "vcenter",
                              "text_wrap": True}),
        body=wb.add_format(cell),
        body_center=wb.add_format({**cell, "align": "center", "text_wrap": True}),
        body_wrap=wb.add_format({**cell, "text_wrap": True}),
        category=wb.add_format({**shaded, "align": "center", "text_wrap": True}),
        group=wb.add_format({**shaded, "align": "left"}),
        subtotal=wb.add_format({**shaded, "align": "center"}),
        subtotal_investment=wb.add_format({**shaded, "shrink": True, "num_format": numbers.investment}),
        year=wb.add_format({**figure, "align": "center", "num_format": numbers.year}),
        count=wb.add_format({**figure, "align": "center", "num_format": numbers.count}),
        decimals=tuple(wb.add_format({**figure, "num_format": code}) for code in decimal_codes),
        percent=wb.add_format({**figure, "num_format": numbers.percent_value}),
        fraction=wb.add_format({**figure, "num_format": numbers.fraction}),
        investment=wb.add_format({**figure, "num_format": numbers.investment}),
        input_text=wb.add_format({**entry, "text_wrap": True}),
        input_number=wb.add_format({**entry, "shrink": True, "num_format": numbers.value}),
        input_choice=wb.add_format({**entry, "align": "center"}),
        not_applicable=wb.add_format({**cell, "bg_color": colors.category_fill}),
        note=wb.add_format({**font(fonts.note), "text_wrap": True, "valign": "top"}),
        line_height=fonts.body.size * LINE_SPACING,
        header_scale=fonts.header.size / fonts.body.size,
        workbook=wb,
        figure_cell=MappingProxyType(figure),
        integer_code=numbers.integer,
        figures={},
    )


def new_workbook(path: Path, styles: StyleSheet) -> tuple[xlsxwriter.Workbook, Formats]:
    """Open a workbook with the house options: no formulas, URLs or numbers from data, CJK default font."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = styles.fonts.body
    wb = xlsxwriter.Workbook(str(path), {
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        "default_date_format": "yyyy-mm-dd",
        "default_format_properties": {"font_name": body.name, "font_size": body.size},
    })
    wb.set_properties({"created": styles.created, "author": "", "comments": styles.style_version})
    return wb, build_formats(wb, styles)


# ---------------------------------------------------------------- plain values from CSV-sourced frames

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


def one_line(value: Any) -> str:
    """A quote on one line for a cell: a line break between Chinese characters is a page break inside a sentence
    and goes; any other run of spaces, tabs or breaks (between table cells) becomes one space.

    >>> one_line("全年实现实\\n\\n际到位资金 105 亿元"), one_line("\\t10. 城镇新增就业人数 (万人)\\t\\t0.27")
    ('全年实现实际到位资金 105 亿元', '10. 城镇新增就业人数 (万人) 0.27')
    """
    text = PAGE_BREAK.sub("", as_text(value))
    return " ".join(text.split())


def check_period(period: str) -> str:
    """The period when it is 'YYYY-MM', else a ValueError saying what to write.

    >>> check_period("2025-06")
    '2025-06'
    """
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
        raise ValueError(f"期间“{period}”格式不对，应为 YYYY-MM（如 2025-06）")
    return period


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


def number_text(value: float) -> str:
    """A number as plain text without a trailing '.0' (for comparing with the printed text).

    >>> number_text(5.0), number_text(151.12)
    ('5', '151.12')
    """
    return as_text(float(value))


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


def merge_text(ws: Worksheet, first: tuple[int, int], last: tuple[int, int], value: Any, fmt: Format) -> None:
    """Merge a range and write `value` in it as text (a single cell is written without merging)."""
    if first == last:
        write_text(ws, first[0], first[1], value, fmt)
        return
    ws.merge_range(first[0], first[1], last[0], last[1], "", fmt)
    write_text(ws, first[0], first[1], value, fmt)


# ---------------------------------------------------------------- sheet layout

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


def freeze_and_filter(ws: Worksheet, header_row: int, last_row: int, last_col: int, freeze_col: int = 0) -> None:
    """Freeze everything above the first data row and put an autofilter on the header."""
    ws.freeze_panes(header_row + 1, freeze_col)
    ws.autofilter(header_row, 0, max(last_row, header_row), last_col)


def write_empty_note(ws: Worksheet, fmts: Formats, row: int, last_col: int, text: str) -> int:
    """One merged row saying the table has no data; returns the row written."""
    merge_text(ws, (row, 0), (row, last_col), text, fmts.body_center)
    return row
