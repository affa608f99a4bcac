"""The house style of every workbook, its format registry and the workbook factory.

Stage: render. Input: templates/workbook_style.yaml (fonts, colours, number formats, page setup, entry-form
choices, the status words and their tones, the monitoring workbooks' settings, the names of document types).
Output: none by itself; `new_workbook` opens an xlsxwriter workbook with the safe options and builds the format
registry once. The cell writers are in cells.py and figures.py, text measuring in text_fit.py, the title block,
header and page setup in sheet_layout.py.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import xlsxwriter
import yaml
from xlsxwriter.format import Format

from pipeline.render.cells import MAX_DECIMALS, decimals_of
from pipeline.statuses import Statuses

LINE_SPACING = 1.5  # row height per text line, in points per point of font size (CJK fonts run tall)


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
    亿元 investments, years; templates/workbook_style.yaml (number_formats) is their one source."""

    value: str
    integer: str
    percent_value: str
    investment: str
    year: str
    fraction: str
    count: str  # 序号 and counts


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
class DocTypeName:
    """How officials are shown a document type: its `label` (说明 sheet) and `source`, the pattern of a document's
    short name ({district}, {year}: the first year of its period, {plan}: the five-year plan of that year)."""

    label: str
    source: str


@dataclass(frozen=True)
class MonitorStyle:
    """The `monitor` section of templates/workbook_style.yaml: the number format of percentage points, the tone
    of each report state (逾期未报 …; a tone of the `tones` section) and the colour of the trend lines."""

    points: str
    report_tones: Mapping[str, str]
    sparkline: str

    @classmethod
    def from_section(cls, raw: Mapping[str, Any], statuses: Statuses) -> MonitorStyle:
        """Build from the `monitor` section; a report state in a tone `statuses` does not declare raises."""
        unknown = sorted(set(raw["report_tones"].values()) - set(statuses.tones))
        if unknown:
            raise ValueError(f"监测样式中的颜色“{'、'.join(unknown)}”未在 tones 中定义")
        return cls(str(raw["points"]), MappingProxyType(dict(raw["report_tones"])), str(raw["sparkline"]))


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
    statuses: Statuses
    monitor: MonitorStyle
    doc_types: Mapping[str, DocTypeName]  # by doc_type code

    @classmethod
    def load(cls, path: Path | str) -> StyleSheet:
        """Read the style sheet; a missing or unknown key raises at once."""
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        margins = raw["page"]["margins"]
        form = raw["entry_form"]
        statuses = Statuses.from_sections(raw, path)
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
            statuses=statuses,
            monitor=MonitorStyle.from_section(raw["monitor"], statuses),
            doc_types=MappingProxyType({code: DocTypeName(**spec) for code, spec in raw["doc_types"].items()}),
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
