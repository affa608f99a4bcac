"""Rows of the indicators, achievements and findings tables, built the same way by every extractor.

Stage: 编制 (extract). Columns follow docs/DESIGN.md, plus the raw line of every row and the
normalised name used for matching, so each figure can be traced to the sentence it came from.
"""
from __future__ import annotations

import hashlib
import re

from pipeline.schema import columns
from pipeline.text.normalise import normalise_line

# Measure words of things counted one by one (a language fact, not an office setting).
COUNT_UNITS = frozenset("个 项 所 座 条 处 台 辆 套 张 床 间 栋 部 支 批 次 场 户 家 人 名 件 宗 款 种 类 篇 万户 万人 "
                        "人次 万人次 场次".split())


def normalise_name(name: str) -> str:
    """The form of a name used for matching: widths unified, spaces and brackets' spaces removed."""
    return re.sub(r"\s+", "", normalise_line(name)[0])


def classify_kind(name: str, unit: str, value: float | None, cumulative: bool, verb: str = "") -> str:
    """level | growth | share | count | cumulative | reduction | rate | text, from name, unit and verb.

    >>> [classify_kind(n, u, 1.0, False) for n, u in (("地区生产总值增长率", "%"), ("森林覆盖率", "%"),
    ...     ("国家高新技术企业户数", "户"), ("每千人口拥有执业 (助理) 医师数", "名"), ("耕地保有量", "万公顷"))]
    ['growth', 'share', 'count', 'level', 'level']
    """
    norm = normalise_name(name)
    if value is None:
        return "text"
    if cumulative:
        return "cumulative"
    if verb in ("增长", "增速", "增幅", "递增") or re.search(r"增长率?$|增速$|增幅$", norm):
        return "growth"
    if verb in ("下降", "降低", "减少", "降幅", "压减", "削减") or re.search(r"(降低|下降)(率)?$", norm):
        return "reduction"
    if norm.startswith("每") or "密度" in norm:
        return "level"
    if unit in ("%", "‰", "个百分点"):
        return "share" if unit != "个百分点" else "rate"
    if unit in COUNT_UNITS or re.search(r"(户数|人数|个数|数量)$", norm):
        return "count"
    return "level"


def stated_columns() -> list[str]:
    """A target statement's columns as an extractor writes it: its own id (as `indicator_id`, until identity
    settles which plan indicator it states) and what it says, up to its catalogue key."""
    return ["indicator_id"] + [c for c in columns("statements") if c not in ("statement_id", "indicator_id",
                                                                              "indicator_key")]


def reported_columns() -> list[str]:
    """A reported figure's columns as an extractor writes it (identity adds its indicator key)."""
    return [c for c in columns("achievements") if c != "indicator_key"]


def stable_id(prefix: str, *parts: object) -> str:
    """An id derived from content (document, section, name …), the same on every run."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}-{digest}"


def distinct_ids(rows: list[dict], key: str) -> list[dict]:
    """The rows, each repeat of an id (two figures of one line with the same name and the same quote:
    '排名全市第1位(预期目标为10%以上)' twice) given an id of its own, made from the first and its rank: no row is lost
    or merged, and the ids of rows that were distinct stay as they were.

    >>> [r["x"] for r in distinct_ids([{"x": "ind-a"}, {"x": "ind-b"}, {"x": "ind-a"}], "x")][:2]
    ['ind-a', 'ind-b']
    >>> len({r["x"] for r in distinct_ids([{"x": "ind-a"}, {"x": "ind-a"}, {"x": "ind-a"}], "x")})
    3
    """
    seen: dict[str, int] = {}
    for row in rows:
        rank = seen.get(row[key], 0)
        seen[row[key]] = rank + 1
        if rank:
            row[key] = stable_id(row[key].partition("-")[0], row[key], rank)
    return rows


def indicator_row(document: dict, section_id: str, line: int, quote: str, **values) -> dict:
    """An indicators row with the document's columns filled and a stable id."""
    row = dict.fromkeys(stated_columns(), "")
    row.update(values)
    row.update(doc_id=document["doc_id"], district_code=document.get("district_code", ""),
               section_id=section_id, line=line, quote=quote, name_norm=normalise_name(row["name"]))
    row["indicator_id"] = stable_id("ind", row["doc_id"], row["source"], section_id, row["item_no"], row["name_norm"],
                                    row["sub_item"], row["target_year"], line, quote)
    return row


def achievement_row(document: dict, section_id: str, line: int, quote: str, **values) -> dict:
    """An achievements row with the document's columns filled and a stable id."""
    row = dict.fromkeys(reported_columns(), "")
    row.update(values)
    row.update(doc_id=document["doc_id"], district_code=document.get("district_code", ""),
               section_id=section_id, line=line, quote=quote, name_norm=normalise_name(row["name"]))
    row["achievement_id"] = stable_id("ach", row["doc_id"], section_id, row["name_norm"], row["year"], row["value"],
                                      line, quote)
    return row


def finding(document: dict, section_id: str, line: int, quote: str, kind: str, detail: str) -> dict:
    """A findings row: a gap or doubt a person should see (missing table, empty cell, table note …)."""
    return {"doc_id": document["doc_id"], "district_code": document.get("district_code", ""),
            "section_id": section_id, "line": line, "kind": kind, "quote": quote, "detail": detail}
