"""The layout of the monthly entry form (月度填报表): what the writer puts where and what the reader looks for.

Stage: 实施 (shared). The writer (pipeline.render.entry_forms) renders the blank form from it; the reader and
the validator (pipeline.monitor.collect, validate), the SAMPLE generator and the benchmark's synthetic returns
fill and read forms through it. Rows and columns are 0-based, as xlsxwriter counts; `column_letter` and
`meta_cell` give what Excel and openpyxl show.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import yaml
from openpyxl.utils import get_column_letter

SHEET = "月度填报"   # the entry sheet, first in the workbook
META_SHEET = "_meta"  # hidden: what the form is (META_FIELDS)
NOTE_ROW, HEADER_ROW = 2, 3  # below the title (row 0) and the 填报单位 line (row 1)
FIRST_ROW = HEADER_ROW + 1   # the first item; one item per row from here


class FormColumn(NamedTuple):
    """A column of the entry sheet: the name the reader gives its cells, its header, its width in characters."""

    field: str
    header: str
    width: float


COLUMNS = (FormColumn("number", "序号", 6), FormColumn("category", "类别", 7), FormColumn("name", "名称", 36),
           FormColumn("unit", "单位", 9), FormColumn("target", "年度目标", 18),
           FormColumn("month", "本月完成值", 12), FormColumn("to_date", "年初至今累计", 12),
           FormColumn("progress", "形象进度", 12), FormColumn("attainment", "达标情况", 12),
           FormColumn("issues", "存在问题", 28), FormColumn("remark", "备注", 18),
           FormColumn("key", "编号", 18))  # key: indicator_id or project_id, in a hidden column
VALUE_FIELDS = ("month", "to_date", "progress", "attainment", "issues", "remark")  # the cells a unit fills in
CLEAR_WORD = "清除"  # typed in a cell of a correction, clears the value an earlier return of the month gave it
# what the to-date cell of an indicator that does not add up over the months asks for, by measure type
LEVEL_ASKED = {"stock": "期末值（月末的存量或水平）", "rate": "当前值（截至本月的比率）", "growth": "年初至今累计增速"}


def adds_up(measure: object) -> bool:
    """Whether a row's figure adds up month by month (a flow, a plan total, a project's investment, a row of no
    stated measure): the form asks 本月 and the running total, and the total may not fall. A stock, rate or growth
    rate is asked as one figure to date, which may.

    >>> adds_up("flow"), adds_up("stock"), adds_up(float("nan"))
    (True, False, True)
    """
    return measure not in LEVEL_ASKED


def column_of(field: str) -> int:
    """The position of the column called `field` (a ValueError for a name the form does not have).

    >>> column_of("number"), column_of("key") == len(COLUMNS) - 1
    (0, True)
    """
    return [column.field for column in COLUMNS].index(field)


def header_of(field: str) -> str:
    """The header printed over the column called `field`, as messages to the units name it."""
    return COLUMNS[column_of(field)].header


def column_letter(col: int) -> str:
    """The letter Excel shows for a 0-based column.

    >>> column_letter(0), column_letter(25), column_letter(26)
    ('A', 'Z', 'AA')
    """
    return get_column_letter(col + 1)


NUMBER_COL, CATEGORY_COL, NAME_COL = column_of("number"), column_of("category"), column_of("name")
UNIT_COL, TARGET_COL = column_of("unit"), column_of("target")
MONTH_COL, TO_DATE_COL = column_of("month"), column_of("to_date")
PROGRESS_COL, ATTAINMENT_COL = column_of("progress"), column_of("attainment")
ISSUES_COL, REMARK_COL, KEY_COL = column_of("issues"), column_of("remark"), column_of("key")


class MetaField(NamedTuple):
    """A line of the _meta sheet: the field's name (also the workbook's custom property) and its label."""

    name: str
    label: str


META_FIELDS = (MetaField("template_version", "模板版本"), MetaField("period", "期间"),
               MetaField("district_code", "区"), MetaField("lead_unit", "填报单位"))
META_LABEL_COL, META_VALUE_COL = 0, 1  # one line per field, in this order, from the first row


def meta_lines(values: Mapping[str, str]) -> list[tuple[str, str]]:
    """The _meta sheet's lines (label, value), in order, from the value of each field.

    >>> meta_lines({"template_version": "V1", "period": "2025-06", "district_code": "230113", "lead_unit": "统计局"})[1]
    ('期间', '2025-06')
    """
    return [(field.label, values[field.name]) for field in META_FIELDS]


def meta_values(lines: Iterable[Sequence[object]]) -> dict[str, str]:
    """The value of each field from the _meta sheet's lines as read ([label, value, …]); '' when it is missing.

    >>> meta_values([["期间", "2025-06"], ["", "x"], ["填报单位"]])["period"], meta_values([])["lead_unit"]
    ('2025-06', '')
    """
    by_label = {str(line[META_LABEL_COL]): str(line[META_VALUE_COL]) for line in lines
                if len(line) > META_VALUE_COL and line[META_LABEL_COL]}
    return {field.name: by_label.get(field.label, "") for field in META_FIELDS}


def meta_cell(name: str) -> str:
    """The address of a field's value on the _meta sheet (where a test or the SAMPLE generator changes it).

    >>> meta_cell("template_version")
    'B1'
    """
    row = [field.name for field in META_FIELDS].index(name)
    return f"{column_letter(META_VALUE_COL)}{row + 1}"


def template_version(style_file: Path) -> str:
    """The version of the forms now sent out (templates/workbook_style.yaml, form_template_version): a returned
    form must carry it, so the reader checks it without going through the renderer's style sheet."""
    return str(yaml.safe_load(Path(style_file).read_text(encoding="utf-8"))["form_template_version"])
