"""Document metadata: the manifest (inputs/plans/documents.csv) and inference for unlisted documents.

Stage: 编制. Input: a read and normalised document plus the district list and document-type rules.
Output: one `documents` row and, for an unlisted document, notes saying what was
inferred from its title and text, so the log can tell the office.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import cn2an
import pandas as pd
import yaml

from pipeline.schema import columns
from pipeline.tables import read_csv_text
from pipeline.text.normalise import NormalisedDocument
from pipeline.text.read import RawDocument

MANIFEST_COLUMNS = 9  # the first columns of the documents table: what inputs/plans/documents.csv states
_FYP_ORDINAL = re.compile(r"第([一二三四五六七八九十]+)个五年")
_FYP_SHORT = re.compile(r"“?十([一二三四五六七八九])五”?")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_PUBLISHED = (
    re.compile(r"(?:发表|发布|印发|成文)?(?:时间|日期)[:：]\s*((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"^((?:19|20)\d{2})年(\d{1,2})月(?:(\d{1,2})日)?$"),
)
_TAG = re.compile(r"^【[^】]{1,12}】")


@dataclass(frozen=True)
class DocTypeRules:
    """Document genres from inputs/config/doc_types.yaml, in priority order: the patterns that recognise each,
    its short form in document ids, and the role of its figures when a sentence says nothing (target or actual)."""

    types: tuple[tuple[str, tuple[re.Pattern, ...]], ...]
    abbr: Mapping[str, str]
    roles: Mapping[str, str]
    actuals_year: Mapping[str, int]
    period_year: Mapping[str, str]
    opening_chars: int
    title_stops: tuple[re.Pattern, ...]

    @classmethod
    def load(cls, path: Path | str) -> DocTypeRules:
        cfg = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        genres = cfg["doc_types"]
        bad = [g["type"] for g in genres if g.get("role") not in ("target", "actual") or not g.get("abbr")]
        if bad:
            raise ValueError(f"{path}：类型 {'、'.join(bad)} 须写明 abbr 与 role（target 或 actual）")
        types = tuple((g["type"], tuple(re.compile(p) for p in g["patterns"])) for g in genres)
        return cls(types, {g["type"]: g["abbr"] for g in genres}, {g["type"]: g["role"] for g in genres},
                   {g["type"]: int(g["actuals_year"]) for g in genres if "actuals_year" in g},
                   {g["type"]: g.get("period_year", "first") for g in genres},
                   int(cfg["opening_chars"]), tuple(re.compile(p) for p in cfg["title_stops"]))

    def classify(self, text: str) -> str:
        """The first document type whose pattern occurs in `text`, or ''."""
        return self.evidence(text)[0]

    def evidence(self, text: str) -> tuple[str, str]:
        """(the first document type whose pattern occurs in `text`, the words that matched), or ('', '')."""
        for doc_type, patterns in self.types:
            for pattern in patterns:
                found = pattern.search(text)
                if found:
                    return doc_type, found.group()
        return "", ""


def load_manifest(path: Path | None) -> pd.DataFrame:
    """Read documents.csv (all columns as text); an absent manifest is an empty one."""
    if path is None or not path.exists():
        return pd.DataFrame(columns=columns("documents")[:MANIFEST_COLUMNS])
    manifest = read_csv_text(path)
    missing = [c for c in columns("documents")[:MANIFEST_COLUMNS] if c not in manifest.columns]
    if missing:
        raise ValueError(f"{path.name}：缺少列 {', '.join(missing)}")
    duplicated = manifest["doc_id"][manifest["doc_id"].duplicated()].tolist()
    if duplicated:
        raise ValueError(f"{path.name}：doc_id 重复：{', '.join(duplicated)}")
    return manifest[columns("documents")[:MANIFEST_COLUMNS]]


def document_title(doc: NormalisedDocument, stops: tuple[re.Pattern, ...] = ()) -> str:
    """The title block: the first lines of the body that follow each other with no blank line between,
    are short and carry no sentence punctuation (004 prints its title over three lines), up to a line that
    `stops` it (the issuing body or the date printed under a bulletin's title).
    """
    parts: list[str] = []
    last_line = None
    for index, para in enumerate(doc.paragraphs[:4]):
        if last_line is not None and para.first_line != last_line + 1:
            break
        if len(para.text) > 60 or re.search(r"[。；！？]", para.text) or (
                parts and any(stop.search(para.text) for stop in stops)):
            break
        parts.append(doc.quote(index, 0, len(para.text)).replace("\n", "").strip())
        last_line = para.last_line
        if len(para.text) > 30:
            break
    return _TAG.sub("", "".join(parts)).strip()


def five_year_period(text: str) -> tuple[int, int] | None:
    """The years of the five-year plan a text names ('第十四个五年' or '十四五' → 2021–2025).

    >>> five_year_period("国民经济和社会发展第十四个五年规划")
    (2021, 2025)
    >>> five_year_period("“十三五”时期")
    (2016, 2020)
    """
    m = _FYP_ORDINAL.search(text)
    n = int(cn2an.cn2an(m.group(1), "smart")) if m else None
    if n is None:
        m = _FYP_SHORT.search(text)
        n = 10 + int(cn2an.cn2an(m.group(1), "smart")) if m else None
    if n is None or n < 3:
        return None
    start = 1966 + 5 * (n - 3)  # the 3rd plan began in 1966; every plan since has run five years
    return start, start + 4


def infer_district(title: str, raw_text: str, districts: pd.DataFrame, opening: int) -> tuple[str, str, str]:
    """(code, name, evidence): the district named in the title, else the one named most near the top
    and bottom of the raw text (where a web page names its publisher).
    """
    def names(row) -> list[str]:
        return [row.district] + [a for a in str(row.aliases or "").split("|") if a]

    for row in districts.itertuples():
        if any(n in title for n in names(row)):
            return row.district_code, row.district, f"标题含“{row.district}”"
    probe = raw_text[:opening] + raw_text[-1500:]
    counts = {row.district_code: (sum(probe.count(n) for n in names(row)), row.district)
              for row in districts.itertuples()}
    code, (count, name) = max(counts.items(), key=lambda kv: kv[1][0])
    if count == 0:
        return "", "", "正文未出现已知区名"
    return code, name, f"正文开头/结尾出现“{name}”等 {count} 次"


def infer_metadata(raw: RawDocument, doc: NormalisedDocument, districts: pd.DataFrame,
                   rules: DocTypeRules) -> tuple[dict, list[str]]:
    """Infer a documents row for a file the manifest does not list; return it with notes of what
    was inferred and from what.
    """
    notes: list[str] = []
    title = document_title(doc, rules.title_stops) or raw.path.stem
    opening = doc.text[: rules.opening_chars]
    code, district, evidence = infer_district(title, raw.text, districts, rules.opening_chars)
    notes.append(f"区：{district or '未能识别'}（{evidence}）")
    (doc_type, words), where = rules.evidence(title), "标题"
    if not doc_type:
        (doc_type, words), where = rules.evidence(opening), "正文开头"
    notes.append(f"类型：{doc_type}（{where}含“{words}”）" if doc_type
                 else "类型：未能识别（标题和正文开头均无类型用语）")
    period = five_year_period(title) or (five_year_period(opening) if doc_type == "five_year_plan" else None)
    if period is None:
        years = [int(y) for y in _YEAR.findall(title)] or [int(y) for y in _YEAR.findall(opening)[:1]]
        year = max(years) if years and rules.period_year.get(doc_type) == "last" else (years[0] if years else None)
        period = (year, year) if year else None
    start, end = period if period else ("", "")
    notes.append(f"期间：{start}–{end}" if period else "期间：未能识别")
    published = _published(doc)
    row = {"district_code": code, "district": district, "doc_type": doc_type, "title": title,
           "period_start": str(start), "period_end": str(end), "published": published,
           "source_file": raw.path.name}
    return row, notes


def _published(doc: NormalisedDocument) -> str:
    """The publication date printed near the top ('发表时间:2021-11-01', a line '2021年6月'), or ''."""
    for para in doc.paragraphs[:12]:
        for pattern in _PUBLISHED:
            m = pattern.search(para.text)
            if m:
                y, mo, d = m.group(1), int(m.group(2)), m.group(3)
                return f"{y}-{mo:02d}" + (f"-{int(d):02d}" if d else "")
    return ""


def make_doc_id(row: dict, sha256: str, taken: set[str], abbr: Mapping[str, str]) -> str:
    """A readable id from district, type and first year ('230113-fyp-2021'); the file's hash settles
    a clash, and a document with no recognisable district or type is named by its hash.
    """
    short = abbr.get(row["doc_type"], "")
    if not (row["district_code"] and short and row["period_start"]):
        return f"doc-{sha256[:10]}"
    doc_id = f"{row['district_code']}-{short}-{row['period_start']}"
    return doc_id if doc_id not in taken else f"{doc_id}-{sha256[:6]}"
