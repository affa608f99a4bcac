"""Projects: every item of every 专栏 box, and the named projects listed in running text.

Stage: 编制 (extract). Input: a normalised document, its sections and documents row, the gazetteer.
Output: `projects` rows (PROJECT_COLUMNS) — name as printed, owner (company), location (镇/乡/街道/园区),
planned investment in 亿元, the count a group states ('等7个校舍项目') — and findings where the names
listed and the count stated differ.
"""
from __future__ import annotations

import re

import pandas as pd

from pipeline.extract.places import Gazetteer
from pipeline.extract.quantity import to_number
from pipeline.extract.rows import finding, stable_id
from pipeline.text.normalise import NormalisedDocument
from pipeline.text.patterns import marker

PROJECT_COLUMNS = ["project_id", "doc_id", "district_code", "column_no", "column_title", "item_no", "name", "owner",
                   "location", "investment_yi", "investment_text", "count_stated", "group_id", "group_investment_yi",
                   "scale_text", "section_id", "line", "quote"]
_OWNER = re.compile(r"(?:由)?([\u4e00-\u9fff（）()]{2,24}?(?:股份有限公司|有限责任公司|有限公司|集团(?![）)])))")
_INVESTMENT = re.compile(r"(?P<label>(?:计划)?总投资|投资|合计)(?:额)?(?:约|为|达)?(?P<num>\d+(?:\.\d+)?)(?P<unit>亿元|万元|亿)")
_ITEM_NAME_END = re.compile(r"[：。；:;]")
_LIST_GROUP = re.compile(
    r"(?P<list>[^，。；：]*?、[^，。；：]*?)等(?P<count>\d+|[一二三四五六七八九十两]+)?(?:个|项|处|所|座)?"
    r"(?P<kind>[^，。；：、]{0,10}?(?:项目|工程|学校|基地|园区|中心))")
_LEADING_VERBS = re.compile(r"^(?:重点|全力|加快|继续|持续|积极|大力|着力|组织|谋划|拟申报|力争)*"
                            r"(?:推进|推动|实施|建设|启动|抓好|做好|完成|打造|围绕|新建|续建|开工|申报|争取|谋划)?")


def _investment(text: str) -> tuple[float | None, str]:
    """Planned investment in 亿元 and the phrase as printed ('计划总投资20亿元' → 20.0)."""
    m = _INVESTMENT.search(text)
    if not m:
        return None, ""
    value = float(m.group("num"))
    return (value / 10000 if m.group("unit") == "万元" else value), m.group()


def _owner(text: str) -> str:
    """The company that builds a project, when the text names one."""
    m = _OWNER.search(text)
    return m.group(1) if m else ""


def _row(document: dict, section_id: str, line: int, quote: str, **values) -> dict:
    row = dict.fromkeys(PROJECT_COLUMNS, "")
    row.update(values)
    row.update(doc_id=document["doc_id"], district_code=document.get("district_code", ""), section_id=section_id,
               line=line, quote=quote)
    row["project_id"] = stable_id("prj", row["doc_id"], section_id, row["column_no"], row["item_no"], row["name"], line)
    return row


def extract_box_projects(doc: NormalisedDocument, sections: pd.DataFrame, document: dict,
                         gazetteer: Gazetteer) -> list[dict]:
    """One row per item paragraph of every 专栏 box (numbered items, bullets, and 'label。text' items)."""
    rows = []
    boxes = sections[sections.kind == "column"]
    for box in boxes.itertuples():
        items = [(i, p) for i, p in enumerate(doc.paragraphs)
                 if box.line_start < p.first_line and p.last_line <= box.line_end]
        for order, (index, para) in enumerate(items, start=1):
            head = marker(para.text)
            start = head.rest_start if head else 0
            end_name = _ITEM_NAME_END.search(para.text, start)
            name_end = end_name.start() if end_name else len(para.text)
            body = para.text[start:]
            investment, investment_text = _investment(body)
            number = head.number if head and head.kind in ("item", "subitem") else str(order)
            rows.append(_row(
                document, box.section_id, para.first_line, doc.quote(index, start, len(para.text)),
                column_no=_column_no(box.number), column_title=box.title, item_no=number.rstrip(".、"),
                name=doc.quote(index, start, name_end).strip() if name_end > start else "",
                owner=_owner(body), location="|".join(gazetteer.find(body)), investment_yi=investment,
                investment_text=investment_text,
                scale_text=doc.quote(index, name_end + 1, len(para.text)) if name_end + 1 < len(para.text) else ""))
    return rows


def _column_no(number: str) -> str:
    m = re.search(r"\d+", number)
    return m.group() if m else number


def extract_text_projects(doc: NormalisedDocument, sections: pd.DataFrame, document: dict, gazetteer: Gazetteer,
                          section_at, skip_sections: set[str]) -> tuple[list[dict], list[dict]]:
    """Named projects listed in running text ('推进A、B、C等7个校舍项目建设' → A, B, C with count 7), and a
    finding when the number of names and the count stated differ."""
    rows, findings = [], []
    boxes = sections[sections.kind == "column"]
    in_box = [(b.line_start, b.line_end) for b in boxes.itertuples()]
    for index, para in enumerate(doc.paragraphs):
        if "\t" in para.text or any(a <= para.first_line <= b for a, b in in_box):
            continue
        section_id = section_at(para.first_line)
        if section_id in skip_sections:
            continue
        for m in _LIST_GROUP.finditer(para.text):
            listed = m.group("list")
            list_start = m.start("list") + len(listed) - len(listed.lstrip())
            names = _split_names(listed)
            if len(names) < 2:
                continue
            count = to_number(m.group("count")) if m.group("count") else None
            tail = para.text[m.end():m.end() + 40]
            group_investment, group_text = _investment(tail.split("。")[0])
            group_id = stable_id("grp", document["doc_id"], para.first_line, m.start())
            line = doc.raw_text.count("\n", 0, para.raw_offset(m.start("list"))) + 1
            for name, a, b in names:
                a, b = list_start + a, list_start + b
                rows.append(_row(
                    document, section_id, line, doc.quote(index, a, b), name=doc.quote(index, a, b),
                    owner=_owner(para.text[a:b]), location="|".join(gazetteer.find(para.text[a:b])),
                    count_stated=int(count) if count else "", group_id=group_id,
                    group_investment_yi=group_investment, investment_text=group_text,
                    scale_text=doc.quote(index, m.start("kind"), m.end("kind"))))
            if count and int(count) != len(names):
                findings.append(finding(document, section_id, line, doc.quote(index, m.start(), m.end()),
                                        "count_mismatch", f"文中称“等{int(count)}个”，列出名称 {len(names)} 个"))
    return rows, findings


def _split_names(listed: str) -> list[tuple[str, int, int]]:
    """Names in an enumeration 'A、B、C' with their spans; the verb before the first name is dropped."""
    lead = _LEADING_VERBS.match(listed)
    offset = lead.end() if lead else 0
    names = []
    for m in re.finditer(r"[^、]+", listed[offset:]):
        name = m.group()
        if 2 <= len(name) <= 40:
            names.append((name, offset + m.start(), offset + m.end()))
    return names
