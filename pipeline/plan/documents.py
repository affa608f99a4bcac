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

import pandas as pd
import yaml

from pipeline.periods import five_year_period
from pipeline.plan.regions import Divisions
from pipeline.schema import columns
from pipeline.tables import read_csv_text
from pipeline.text.normalise import NormalisedDocument, normalise_line
from pipeline.text.read import RawDocument

MANIFEST_COLUMNS = 9  # the first columns of the documents table: what inputs/plans/documents.csv states
_PUBLISHED = (
    re.compile(r"(?<!数据)(?<!统计)(?<!截止)(?:时间|日期)[:：]\s*((?:19|20)\d{2})[-年/.](\d{1,2})[-月/.]"
               r"(\d{1,2})(?:日|\s|$|[^\d])"),
    re.compile(r"^((?:19|20)\d{2})年(\d{1,2})月(?:(\d{1,2})日)?$"),
    re.compile(r"^[•·]?\s*((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?!\d)"),
)
# a year as printed: '2023年', '二〇二三年' (〇 also typed ○, 零 or a Latin O), the first of a span '2021-2025年'
_ANY_YEAR = re.compile(r"((?:19|20)\d{2})(?:\s*[-—–~至]\s*(?:19|20)\d{2})?\s*年"
                       r"|([〇○零O一二][〇○零O一二三四五六七八九]{3})年")
_CN_YEAR_DIGITS = str.maketrans("〇○零O一二三四五六七八九", "0000123456789")
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
    title_endings: re.Pattern
    transmittal: re.Pattern
    national_words: tuple[str, ...]
    common_division_names: tuple[str, ...]
    short_name_followers: tuple[str, ...]
    division_inside_words: tuple[str, ...]  # words a county's name lies inside ('示范县' holds 范县)
    ethnic_groups: tuple[str, ...]  # 彝, 土家 …: 漾濞彝族自治县 is printed 漾濞县

    @classmethod
    def load(cls, path: Path | str) -> DocTypeRules:
        cfg = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        missing = [k for k in ("doc_types", "opening_chars", "title_stops", "title_endings", "transmittal",
                               "national_words", "common_division_names", "short_name_followers",
                               "division_inside_words", "ethnic_groups") if k not in cfg]
        if missing:
            raise ValueError(f"{path}：缺少设置 {'、'.join(missing)}")
        genres = cfg["doc_types"]
        bad = [g["type"] for g in genres if g.get("role") not in ("target", "actual") or not g.get("abbr")]
        if bad:
            raise ValueError(f"{path}：类型 {'、'.join(bad)} 须写明 abbr 与 role（target 或 actual）")
        types = tuple((g["type"], tuple(re.compile(p) for p in g["patterns"])) for g in genres)
        return cls(types, {g["type"]: g["abbr"] for g in genres}, {g["type"]: g["role"] for g in genres},
                   {g["type"]: int(g["actuals_year"]) for g in genres if "actuals_year" in g},
                   {g["type"]: g.get("period_year", "first") for g in genres},
                   int(cfg["opening_chars"]), tuple(re.compile(p) for p in cfg["title_stops"]),
                   re.compile(f"(?:{'|'.join(cfg['title_endings'])})$"), re.compile(cfg["transmittal"]),
                   tuple(cfg["national_words"]), tuple(cfg["common_division_names"]),
                   tuple(cfg["short_name_followers"]), tuple(cfg["division_inside_words"]),
                   tuple(cfg["ethnic_groups"]))

    def classify(self, text: str) -> str:
        """The first document type whose pattern occurs in `text`, or ''."""
        return self.evidence(text)[0]

    def evidence(self, text: str, earliest: bool = False) -> tuple[str, str]:
        """(the first document type whose pattern occurs in `text`, the words that matched), or ('', ''). With
        `earliest`, the type whose words occur first in the text (the opening of a page: its byline comes before
        the report it mentions), types in priority order where two match at the same place."""
        found = [(m.start() if earliest else 0, rank, doc_type, m.group())
                 for rank, (doc_type, patterns) in enumerate(self.types)
                 for pattern in patterns if (m := pattern.search(text))]
        return min(found)[2:] if found else ("", "")


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


def document_title(doc: NormalisedDocument, rules: DocTypeRules, lines: int = 40) -> str:
    """The document's title as printed, '' when the page prints none.

    Title blocks are runs of raw lines near the top that follow each other, are short, carry no sentence
    punctuation and are not page chrome (text.yaml); a block ends at a line that `title_stops` stops or that
    ends on a genre word (004 prints its title over three lines). The first block that names a genre and
    ends like a title wins, then the first that names a genre, then the 《document》 the opening names (a
    transmittal notice's, '关于印发…的通知'), then the first long block, then a short one naming a genre ('概况').
    """
    chrome = {number for number, _, _ in doc.dropped}
    raw_lines = doc.raw_text.split("\n")[:lines]
    candidates = [_title_line(doc, raw, i + 1 in chrome, rules) for i, raw in enumerate(raw_lines)]
    blocks: list[tuple[str, str]] = []  # (as printed, normalised)
    number = 0
    while number < len(raw_lines):
        printed, norm = _title_block(raw_lines, candidates, number, rules)
        if norm:
            blocks.append((printed, norm))
        number += max(1, printed.count("\n") + 1)
    blocks = [(p.replace("\n", ""), n) for p, n in blocks if not re.search(r"[表图]$", n)]  # captions
    named = [(p, n) for p, n in blocks if len(n) >= 6 and rules.classify(n)]
    ended = [(p, n) for p, n in named if rules.title_endings.search(n)]
    choice = ended[0] if ended else (named[0] if named else None)
    if choice is None or rules.transmittal.search(choice[1]):
        document = _named_document(doc, rules)
        if document:
            return document
    if choice is None:
        fallback = [b for b in blocks if len(b[1]) >= 8] + [b for b in blocks if rules.classify(b[1])]  # '概况'
        choice = fallback[0] if fallback else ("", "")
    return _TAG.sub("", _tidy_title(doc, choice[0], rules)).strip()


def _title_line(doc: NormalisedDocument, raw: str, chrome: bool, rules: DocTypeRules) -> str:
    """A raw line normalised when it could be part of a title (short, no sentence punctuation, not chrome, not a
    line that stops a title block), else ''."""
    text = doc.derived(raw).strip()
    if chrome or len(text) > 60 or re.search(r"[。；！？|\t]|[：:]$", text) \
            or any(s.search(text) for s in rules.title_stops):
        return ""  # a line ending in a colon leads into what follows ('…定下这些具体目标：')
    return text


def _title_block(raw_lines: list[str], candidates: list[str], start: int, rules: DocTypeRules) -> tuple[str, str]:
    """The title block starting at raw line index `start` (printed lines joined by '\\n', normalised text). A
    block ends on a genre word unless the next line continues it and ends on one too ('关于…发展计划' +
    '执行情况与2023年计划草案的报告')."""
    printed, norm = [], ""
    for i in range(start, len(raw_lines)):
        text, following = candidates[i], candidates[i + 1] if i + 1 < len(candidates) else ""
        if not text:
            break
        printed.append(raw_lines[i].strip())
        norm += text
        if len(text) > 30 or not following or following.isdigit() \
                or (rules.title_endings.search(norm) and not rules.title_endings.search(norm + following)):
            break  # a bare number ('1') opens a list under the title
    return "\n".join(printed), norm


def _tidy_title(doc: NormalisedDocument, title: str, rules: DocTypeRules) -> str:
    """A title without what a site adds: a section after a dash ('施政报告— 一、回顾'), a year tag ('公报 2021'), the
    province in brackets before it and the edition after it ('(湖北省)鄂州市…规划(2022年更新)')."""
    title = re.sub(r"\s+(?:19|20)\d\d$", "", title.strip())
    title = re.sub(r"^[（(][\u4e00-\u9fff]{2,8}(?:省|自治区|市)[)）]", "", title)
    title = re.sub(r"[（(](?:19|20)\d\d年?(?:更新|修订)版?[)）]$", "", title)
    cut = re.search(r"\s*[—–]+\s", title)
    if cut and rules.title_endings.search(doc.derived(title[:cut.start()])):
        title = title[:cut.start()]
    return title


def _named_document(doc: NormalisedDocument, rules: DocTypeRules) -> str:
    """The first 《…》 in the opening that names a document of a known genre, as printed."""
    for index, para in enumerate(doc.paragraphs[:12]):
        for m in re.finditer(r"《([^》]{6,60})》", para.text):
            if rules.classify(m.group(1)) and rules.title_endings.search(m.group(1)):
                return doc.quote(index, m.start(1), m.end(1))
    return ""


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
                   rules: DocTypeRules, divisions: Divisions) -> tuple[dict, list[str]]:
    """Infer a documents row for a file the manifest does not list; return it with notes of what
    was inferred and from what.
    """
    notes: list[str] = []
    printed_title = document_title(doc, rules)
    title = printed_title or raw.path.stem
    title_norm = doc.derived(printed_title)
    opening = doc.text[: rules.opening_chars]
    raw_opening = doc.derived(raw.text[: rules.opening_chars])  # with its byline and source
    code, district, evidence = infer_district(title, raw.text, districts, rules.opening_chars)
    notes.append(f"区：{district or '未能识别'}（{evidence}）")
    (doc_type, words), where = rules.evidence(title_norm), "标题"
    if not doc_type:
        (doc_type, words), where = rules.evidence(raw_opening, earliest=True), "页面开头"
    notes.append(f"类型：{doc_type}（{where}含“{words}”）" if doc_type
                 else "类型：未能识别（标题和正文开头均无类型用语）")
    published = _published(raw.lines)
    start, end = _period(title_norm, opening, doc_type, rules, published)
    notes.append(f"期间：{start}–{end}" if start else "期间：未能识别")
    region = divisions.find(title_norm, raw_opening)
    level = divisions.level(region, title_norm)
    notes.append(f"地区：{region.name}（{region.level}，区划代码 {region.code}）" if region
                 else f"地区：{level or '未能识别'}")
    row = {"district_code": code, "district": district, "doc_type": doc_type, "title": title,
           "period_start": str(start), "period_end": str(end), "published": published,
           "source_file": raw.path.name, "level": level, "region": region.name if region else "",
           "region_code": region.code if region else ""}
    return row, notes


def _period(title: str, opening: str, doc_type: str, rules: DocTypeRules, published: str) -> tuple[int | str, ...]:
    """(first, last) year the document plans for: a five-year plan's years, else the year its title names (the last
    one for an execution report on last year with this year's draft), else the five years its opening names,
    else the first year of its opening, else the year it was published; ('', '') when none is printed."""
    period = five_year_period(title) or (five_year_period(opening) if doc_type == "five_year_plan" else None)
    if period:
        return period
    years = chinese_years(title)
    if years:
        year = max(years) if rules.period_year.get(doc_type) == "last" else years[0]
        return year, year
    period = five_year_period(opening[:100])  # a text that opens on '“十四五”时期' is about it
    if period:
        return period
    years = chinese_years(opening)[:1] or ([int(published[:4])] if published else [])
    return (years[0], years[0]) if years else ("", "")


def chinese_years(text: str) -> list[int]:
    """The years a text prints, in digits or in Chinese numerals ('2023年', '二〇二三年', '二○二一年').

    >>> chinese_years("子洲县二〇二三年统计公报，2024年4月15日；二零一五年第四季")
    [2023, 2024, 2015]
    """
    years = []
    for m in _ANY_YEAR.finditer(text):
        digits = m.group(1) or m.group(2).translate(_CN_YEAR_DIGITS)
        years.append(int(digits))
    return [y for y in years if 1949 <= y <= 2100]


def _published(lines: tuple[str, ...] | list[str], first: int = 25) -> str:
    """The publication date printed near the top ('发布时间：2021-11-01', '更新日期:2024年5月7日', a line
    '2024年7月6日' under the title, a line '2023-03-09 10:23' of a page), or ''."""
    for line in lines[:first]:
        text = normalise_line(line)[0]
        for pattern in _PUBLISHED:
            m = pattern.search(text)
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
