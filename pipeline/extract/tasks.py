"""Key tasks: the '——' lead paragraphs, numbered items and titled subsections of the task parts.

Stage: 编制 (extract). Input: a normalised document, its sections and documents row. Output: `tasks`
rows (table `tasks`) with the deadline year where the text states one ('到2025年', '2023年底前'); an
annual plan's tasks are for its year. Review parts, goals, glossaries and 专栏 boxes hold no tasks.
"""
from __future__ import annotations

import re

import pandas as pd

from pipeline.extract.rows import stable_id
from pipeline.tables import tuples
from pipeline.text.normalise import NormalisedDocument
from pipeline.text.outline import sections_within
from pipeline.text.patterns import marker

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
    """One task per lead paragraph, numbered item and titled subsection of the task parts, its text whole.

    A task with tasks inside it ('(七)…' and its items 1.–5.) holds only its own words, the title and the lead-in
    before its first inner task, so no item is listed twice; one with no words beyond its title is a heading,
    not a task. The 专栏 boxes within a task are left out of its text (their items are projects)."""
    excluded = _excluded(sections, review_titles, excluded_titles)
    by_line = {p.first_line: (i, p) for i, p in enumerate(doc.paragraphs)}
    plan_year = str(document.get("period_start", "")) if document.get("doc_type") in ("annual_plan", "work_report") \
        else ""
    candidates = [s for s in tuples(sections)
                  if s.kind in TASK_KINDS and s.section_id not in excluded and s.line_start in by_line
                  and not (s.kind == "section" and s.level == 1)]  # a top-level 一、 is a part, not a task
    first_inner = _first_inner_lines(candidates, sections)
    boxes = [(b.line_start, b.line_end) for b in tuples(sections[sections.kind == "column"])]
    rows = []
    for s in candidates:
        index, para = by_line[s.line_start]
        inner = first_inner.get(s.section_id)
        body = _body(doc, index, s.line_end if inner is None else inner - 1, boxes)
        if inner is not None and _only_title(body, s.title_norm):
            continue
        deadline = _DEADLINE.search(body)
        row = dict(task_id=stable_id("tsk", s.doc_id, s.section_id, s.title_norm), doc_id=s.doc_id,
                   district_code=document.get("district_code", ""), section_id=s.section_id, kind=s.kind,
                   number=s.number, title=s.title, text=body, line=s.line_start,
                   year=next(g for g in deadline.groups() if g) if deadline else plan_year,
                   quote=doc.quote(index, 0, len(para.text)) if s.kind in ("lead", "item", "ordinal") else s.title)
        rows.append(row)
    return rows


def _first_inner_lines(candidates: list, sections: pd.DataFrame) -> dict[str, int]:
    """section_id → the first line of the first task inside it, for the tasks that hold other tasks."""
    parent_of = dict(zip(sections.section_id, sections.parent_id, strict=True))
    ids = {s.section_id for s in candidates}
    first: dict[str, int] = {}
    for s in candidates:
        ancestor = parent_of.get(s.section_id, "")
        while ancestor:
            if ancestor in ids:
                first[ancestor] = min(first.get(ancestor, s.line_start), s.line_start)
            ancestor = parent_of.get(ancestor, "")
    return first


def _only_title(body: str, title_norm: str) -> bool:
    """Whether a task's own words are no more than its number and title ('(一)大力推进医共体建设').

    >>> _only_title("(一)大力推进医共体建设", "大力推进医共体建设")
    True
    >>> _only_title("以产业发展为重点\\n在结构优化上谋求新突破", "以产业发展为重点在结构优化上谋求新突破")
    True
    >>> _only_title("(七)加快发展\\n深入发掘资源。", "加快发展")
    False
    """
    head = marker(body)
    words = (body[head.rest_start:] if head else body).replace("\n", "")
    return words.rstrip("。：:") == (title_norm or "").replace("\n", "")


def _body(doc: NormalisedDocument, index: int, line_end: int, boxes: list[tuple[int, int]]) -> str:
    """The normalised text of a section from its first paragraph to its last line, without the paragraphs of
    the 专栏 boxes (first and last line of each) in it."""
    parts = []
    for para in doc.paragraphs[index:]:
        if para.first_line > line_end:
            break
        if not any(start <= para.first_line <= end for start, end in boxes):
            parts.append(para.text)
    return "\n".join(parts)
