"""Key tasks: the '——' lead paragraphs, numbered items and titled subsections of the task parts.

Stage: 编制 (extract). Input: a normalised document, its sections and documents row. Output: `tasks`
rows (TASK_COLUMNS) with the deadline year where the text states one ('到2025年', '2023年底前'); an
annual plan's tasks are for its year. Review parts, goals, glossaries and 专栏 boxes hold no tasks.
"""
from __future__ import annotations

import re

import pandas as pd

from pipeline.extract.rows import stable_id
from pipeline.text.normalise import NormalisedDocument
from pipeline.text.outline import sections_within

TASK_COLUMNS = ["task_id", "doc_id", "district_code", "section_id", "kind", "number", "title", "text", "year",
                "line", "quote"]
TASK_KINDS = ("section", "subsection", "ordinal", "item", "lead", "heading")
_DEADLINE = re.compile(r"(?:到|至)((?:19|20)\d{2})年|((?:19|20)\d{2})年(?:底|末)?前|((?:19|20)\d{2})年底")
_NOT_TASK_TITLES = re.compile(r"指导思想|基本原则|发展目标|远景目标|发展环境|机遇|挑战|总体要求|主要目标|主要指标")


def _excluded(sections: pd.DataFrame, review_titles: re.Pattern, excluded_titles: re.Pattern) -> set[str]:
    """Sections that are not task parts, and everything inside them; a '——' lead is a sentence, so its words
    ('持续优化经济发展环境') do not name a part the way a heading ('发展环境') does."""
    def not_tasks(row) -> bool:
        title = row.title_norm or ""
        return row.kind == "column" or bool(review_titles.search(title) or excluded_titles.search(title)) or (
            row.kind != "lead" and bool(_NOT_TASK_TITLES.search(title)))
    return sections_within(sections, not_tasks)


def extract_tasks(doc: NormalisedDocument, sections: pd.DataFrame, document: dict, review_titles: re.Pattern,
                  excluded_titles: re.Pattern) -> list[dict]:
    """One task per lead paragraph, numbered item and titled subsection of the task parts."""
    excluded = _excluded(sections, review_titles, excluded_titles)
    # a numbered section (一、) is a task itself only when no task is numbered inside it
    parents = set(sections.loc[sections.kind.isin(TASK_KINDS[1:]), "parent_id"])
    by_line = {p.first_line: (i, p) for i, p in enumerate(doc.paragraphs)}
    plan_year = str(document.get("period_start", "")) if document.get("doc_type") in ("annual_plan", "work_report") \
        else ""
    rows = []
    for s in sections.itertuples():
        if s.kind not in TASK_KINDS or s.section_id in excluded or s.line_start not in by_line \
                or (s.kind == "section" and (s.section_id in parents or s.level == 1)):
            continue
        index, para = by_line[s.line_start]
        body = _body(doc, index, s.line_end)
        deadline = _DEADLINE.search(body)
        row = dict(task_id=stable_id("tsk", s.doc_id, s.section_id, s.title_norm), doc_id=s.doc_id,
                   district_code=document.get("district_code", ""), section_id=s.section_id, kind=s.kind,
                   number=s.number, title=s.title, text=body[:500], line=s.line_start,
                   year=next(g for g in deadline.groups() if g) if deadline else plan_year,
                   quote=doc.quote(index, 0, len(para.text)) if s.kind in ("lead", "item", "ordinal") else s.title)
        rows.append(row)
    return rows


def _body(doc: NormalisedDocument, index: int, line_end: int) -> str:
    """The normalised text of a section from its first paragraph to its last line."""
    parts = []
    for para in doc.paragraphs[index:]:
        if para.first_line > line_end:
            break
        parts.append(para.text)
    return "\n".join(parts)
