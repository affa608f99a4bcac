"""Outline a normalised document into the `sections` table.

Stage: 编制. Input: `NormalisedDocument`. Output: a DataFrame with one row per chapter, section,
subsection, numbered item, '——' lead paragraph and 专栏 box (columns: `SECTION_COLUMNS`), in
document order, each with its parent and its extent in raw line numbers. Titles are quoted from the
raw text exactly as printed; `title_norm` holds the normalised form used for matching.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from pipeline.schema import columns
from pipeline.tables import tuples
from pipeline.text.normalise import NormalisedDocument, Paragraph
from pipeline.text.patterns import TITLE_KINDS, marker, number_value, title_of

_ID_PREFIX = {"part": "p", "chapter": "c", "section": "s", "subsection": "ss", "ordinal": "o", "item": "i",
              "subitem": "ii", "lead": "l", "column": "k", "heading": "h"}
_UNPUNCTUATED = re.compile(r"^[^。，；：！？,.;:!?\t]{2,30}$")
_TITLE_LINE = re.compile(r"^[^。；！？\t]{2,40}$")
_LABEL_ITEM = re.compile(r"^[^，。：；\s]{1,10}[。：]")
_NOT_HEADING_START = ("图", "表", "注", "来源", "发表时间")


@dataclass
class _Open:
    """A section while the outline is being built."""

    row: dict
    rank: float
    children: int = 0


def _short_heading(paragraphs: tuple[Paragraph, ...], i: int) -> int:
    """How many paragraphs from i form an unnumbered heading (0 if none).

    An unnumbered heading is one or two short lines without punctuation directly followed by
    numbered items or '——' lead paragraphs (as in a magazine-style plan article).
    """
    n = 0
    while n < 2 and i + n < len(paragraphs):
        text = paragraphs[i + n].text
        if not _UNPUNCTUATED.match(text) or marker(text) or text.startswith(_NOT_HEADING_START):
            break
        n += 1
    if n and i + n < len(paragraphs):
        following = marker(paragraphs[i + n].text)
        if following and following.kind in ("lead", "item"):
            return n
    return 0


def _box_extent(paragraphs: tuple[Paragraph, ...], start: int) -> int:
    """Index just past the last paragraph of a 专栏 box whose first item is paragraphs[start].

    A box holds its first paragraph and every following one of the same shape: numbered items
    (with their sub-items and bullets), or 'label。text' items.
    """
    if start >= len(paragraphs):
        return start
    first = marker(paragraphs[start].text)
    numbered = first is not None and first.kind in ("item", "subitem", "bullet")
    end = start + 1
    while end < len(paragraphs):
        text = paragraphs[end].text
        m = marker(text)
        if numbered:
            if m is None or m.kind not in ("item", "subitem", "bullet"):
                break
        elif m is not None or not _LABEL_ITEM.match(text):
            break
        end += 1
    return end


def _title(doc: NormalisedDocument, index: int, start: int, end: int | None = None) -> tuple[str, str]:
    """Return (title as printed in the raw text, normalised title) for paragraph text[start:end]."""
    text = doc.paragraphs[index].text
    end = len(text) if end is None else end
    if end <= start:
        return "", ""
    return doc.quote(index, start, end).replace("\n", ""), text[start:end]


def outline(doc: NormalisedDocument, doc_id: str) -> pd.DataFrame:
    """Build the sections table of one document (see module docstring)."""
    paras = doc.paragraphs
    rows: list[dict] = []
    root = _Open({"section_id": doc_id, "level": 0, "line_end": 0}, -1.0)
    stack: list[_Open] = [root]
    box: _Open | None = None
    box_end = -1
    used_ids: set[str] = set()
    i = 0
    while i < len(paras):
        para = paras[i]
        if box is not None and i >= box_end:
            box = None
        m = marker(para.text)
        span = 1
        if m is None:
            span = _short_heading(paras, i)
            if span:
                kind, rank, number = "heading", 2.0, ""
                titles = [_title(doc, i + k, 0)
                          for k in range(span)]
                title = " ".join(t[0] for t in titles)
                title_norm = "".join(t[1] for t in titles)
            else:
                _extend(stack, box, para.last_line)
                i += 1
                continue
        else:
            kind, number = m.kind, para.text[: m.rest_start].strip()
            if kind == "bullet":
                _extend(stack, box, para.last_line)
                i += 1
                continue
            rank = float(m.rank)
            if m.kind in TITLE_KINDS and not m.rest and i + 1 < len(paras) \
                    and _TITLE_LINE.match(paras[i + 1].text) and marker(paras[i + 1].text) is None:
                span = 2  # the title stands on the next line ('第九章' / '坚持绿色发展,建设美丽城区')
                title, title_norm = _title(doc, i + 1, 0)
            else:
                t = title_of(m.rest, limit=60 if m.kind in TITLE_KINDS else 40)
                title, title_norm = _title(doc, i, m.rest_start, m.rest_start + len(t))
            number = doc.quote(i, 0, m.rest_start).strip() if m.rest_start else number
        if kind == "column":
            parent_open = box if box is not None else stack[-1]
            box_end = _box_extent(paras, i + span)
        else:
            if box is not None:
                parent_open = box
            else:
                while stack[-1].rank >= rank:
                    stack.pop()
                parent_open = stack[-1]
        parent_open.children += 1
        parent = parent_open.row
        section_id = _section_id(parent, kind, number, parent_open.children, used_ids)
        row = {"doc_id": doc_id, "section_id": section_id, "level": parent["level"] + 1, "kind": kind,
               "number": number, "title": title, "title_norm": title_norm,
               "parent_id": parent["section_id"] if parent is not root.row else "",
               "line_start": para.first_line, "line_end": paras[i + span - 1].last_line}
        rows.append(row)
        opened = _Open(row, rank)
        if kind == "column":
            box = opened
        elif box is None:
            stack.append(opened)
        _extend(stack, box, row["line_end"])
        i += span
    # text columns as plain objects: the extractors walk the outline row by row many times per document, and
    # pandas' string arrays are slow to iterate
    return pd.DataFrame(rows, columns=columns("sections"), dtype=object).astype(
        {"level": int, "line_start": int, "line_end": int})


def _extend(stack: list[_Open], box: _Open | None, line: int) -> None:
    """Stretch every open section (and the open box) to cover `line`."""
    for open_ in stack:
        open_.row["line_end"] = max(open_.row["line_end"], line)
    if box is not None:
        box.row["line_end"] = max(box.row["line_end"], line)


def _section_id(parent: dict, kind: str, number: str, ordinal: int, used: set[str]) -> str:
    """A stable id from the document and the numbering path, e.g. '230113-fyp-2021:c2.s3.k1'.

    Printed numbers make the path; an unnumbered item ('——' lead, heading) takes its place among
    its siblings. A number printed twice under one parent gets '~2'.
    """
    value = number_value(number) if number else None
    step = f"{_ID_PREFIX[kind]}{ordinal if value is None else value}"
    sep = ":" if parent["level"] == 0 else "."
    base = section_id = f"{parent['section_id']}{sep}{step}"
    k = 2
    while section_id in used:
        section_id, k = f"{base}~{k}", k + 1
    used.add(section_id)
    return section_id


def sections_within(sections: pd.DataFrame, test) -> set[str]:
    """Sections for which `test(row)` holds, or holds for an enclosing section (rows are in outline order)."""
    marked: set[str] = set()
    for row in tuples(sections):
        if row.parent_id in marked or test(row):
            marked.add(row.section_id)
    return marked


def section_finder(sections: pd.DataFrame):
    """A function line → section_id of the deepest section of one document that covers the line."""
    last = int(sections.line_end.max()) if len(sections) else 0
    deepest = [""] * (last + 2)
    # shallow sections first, deeper ones overwrite their lines; among equals the later one wins
    for row in sorted(tuples(sections), key=lambda r: r.level):
        for line in range(int(row.line_start), int(row.line_end) + 1):
            deepest[line] = row.section_id

    def find(line: int) -> str:
        return deepest[line] if 0 <= line < len(deepest) else ""

    return find
