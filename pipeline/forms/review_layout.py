"""The layout of the review workbook (审核表): what the writer puts where and what the reader looks for.

Stage: 编制 (shared). The writer (pipeline.render.review_workbook) renders one workbook per district from the
`review` rows (pipeline.plan.review); the reader (pipeline.plan.review.read_review_workbook) reads the office's
decisions back through the same columns. The proposal columns are locked; the office edits only the columns headed
采用, 名称, 单位, 牵头单位, 配合单位 and 备注. A hidden sheet keeps each row's key and the proposal as written, so that
a changed proposal cell or an edited key is found and named. Rows and columns are 0-based, as xlsxwriter counts.
"""
from __future__ import annotations

import hashlib
from typing import NamedTuple

SHEET = "审核"             # the review sheet, first in the workbook
ABOUT_SHEET = "说明"       # how to fill it in
WRITTEN_SHEET = "_原值"    # hidden: per row, the key and the proposal as written
HEADER_ROW = 3             # below the title (0), the 填报单位 line (1) and a note (2)
FIRST_ROW = HEADER_ROW + 1
ADOPT, REMOVE = "采用", "剔除"


class ReviewColumn(NamedTuple):
    """A column of the review sheet: its field, header, width, and whether the office may edit it."""

    field: str
    header: str
    width: float
    editable: bool = False


COLUMNS = (
    ReviewColumn("number", "序号", 5), ReviewColumn("kind", "类型", 5), ReviewColumn("confidence", "置信度", 6),
    ReviewColumn("doubt", "疑点", 22), ReviewColumn("proposed_name", "建议名称", 16),
    ReviewColumn("proposed_unit", "建议单位", 6), ReviewColumn("category", "类别", 10),
    ReviewColumn("measure", "计量类型", 8), ReviewColumn("target", "目标", 10),
    ReviewColumn("proposed_lead", "建议牵头单位", 9), ReviewColumn("proposed_co", "建议配合单位", 10),
    ReviewColumn("area", "实施区域", 8), ReviewColumn("quote", "原文", 28), ReviewColumn("source", "出处", 14),
    ReviewColumn("adopt", "采用", 6, True), ReviewColumn("name", "名称", 16, True),
    ReviewColumn("unit", "单位", 6, True), ReviewColumn("lead", "牵头单位", 9, True),
    ReviewColumn("co", "配合单位", 10, True), ReviewColumn("remark", "备注", 10, True),
    ReviewColumn("key", "编号", 20), ReviewColumn("check", "校验", 8),
)
EDITABLE = tuple(c.field for c in COLUMNS if c.editable)
# the editable column that corrects each proposal column (the office's value replaces the machine's)
CORRECTS = {"name": "proposed_name", "unit": "proposed_unit", "lead": "proposed_lead", "co": "proposed_co"}
HIDDEN = ("key", "check")
# what the hidden _原值 sheet keeps per row, in this order: the key, the proposal, the editable cells as written
WRITTEN_FIELDS = ("key", *CORRECTS.values(), *EDITABLE)


def column_of(field: str) -> int:
    """The position of the column called `field`.

    >>> column_of("number"), COLUMNS[column_of("adopt")].header
    (0, '采用')
    """
    return [c.field for c in COLUMNS].index(field)


def check_code(key: str) -> str:
    """A short code written beside each key: a key edited by hand no longer matches it.

    >>> check_code("230113-fyp-2021:i520:3f2a1b") == check_code("230113-fyp-2021:i520:3f2a1b")
    True
    """
    return hashlib.sha1(f"审核表|{key}".encode()).hexdigest()[:8]


def review_key(item_type: str, doc_id: str, line: object, anchor: str) -> str:
    """A row's stable key: the document, the kind of item, its line and what it is anchored on (an indicator's
    target as printed, a project's name, a task's title) — not the extractor's name for it, so that a better
    name from an improved extractor keeps the office's decision attached.

    >>> review_key("indicator", "230113-fyp-2021", 520, "110.9万千瓦")
    '230113-fyp-2021:i520:325789'
    """
    digest = hashlib.sha1("".join(str(anchor).split()).encode()).hexdigest()[:6]
    return f"{doc_id}:{item_type[0]}{line}:{digest}"
