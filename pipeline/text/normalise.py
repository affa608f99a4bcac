"""Normalise a document's raw lines once, for parsing, keeping a map back to the raw text.

Stage: 编制. Input: `RawDocument` lines. Output: `NormalisedDocument` — paragraphs whose text is
normalised (full-width digits and brackets unified, traditional characters read as simplified ones,
markdown/HTML remnants and stray spaces removed,
sentences split by page breaks joined, table of contents and site chrome set aside) and whose every
character points back to a character of the raw text, so a quote is always cut from the original.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import opencc
import yaml

from pipeline.text.patterns import TITLE_KINDS, is_title_line, marker

# One-to-one character replacements: lengths never change, so offsets survive.
_WIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
# Chinese sentence punctuation stays full-width; odd spaces become plain spaces.
_WIDTH.update({c: c for c in (0xFF0C, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F)})
_WIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: 0x20,
               0x2212: 0x2D, 0x2013: 0x2D})
WIDTH_TABLE = str.maketrans({k: chr(v) for k, v in _WIDTH.items()})
# ASCII punctuation used inside Chinese sentences becomes the Chinese form (same length).
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_ASCII_PUNCT_IN_CJK = re.compile(rf"(?<=[{_CJK}”’）)])[,:;?!]|[,:;?!](?=[{_CJK}“‘(（])")
# Spans deleted from a line: markdown/HTML remnants and spaces next to Chinese text.
_DELETE = re.compile(
    rf"^\s*#{{1,6}}\s+|^\s*#{{1,6}}(?=\S)|\*\*|__|</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>"
    rf"|(?<=[{_CJK}，。、；：！？“”‘’()%]) +|(?<=[0-9A-Za-z.]) +(?=[{_CJK}，。、；：！？“”()%])"
    rf"|^ +| +$"
)
_LEADER = re.compile(r"(?:\.{3,}|…{2,}|·{3,}|-{4,}|_{4,}|\u22ef{2,})\s*\d{0,4}\s*$")
_LEADER_RUNS = ("...", "……", "···", "----", "____", "\u22ef\u22ef")  # a leader holds one of these
_TRAILING_PAGE = re.compile(r"[\s\t]+\d{1,4}$")
SENTENCE_END = "。！？；：…”’)」』】.!?;:"


@dataclass(frozen=True)
class TextRules:
    """Normalisation rules loaded from inputs/config/text.yaml."""

    chrome_lines: re.Pattern  # each a whole line; the patterns of a list joined into one alternation
    toc_headings: re.Pattern
    page_number_lines: re.Pattern
    join_min_chars: int = 18
    list_line_chars: int = 60  # two unpunctuated lines both shorter than this are items of a list, not one sentence
    workers: int = 0  # processes reading documents at once (0: one per processor)
    parallel_from: int = 4  # fewer documents than this are read in one process (starting a pool costs more)

    @classmethod
    def load(cls, path: Path | str) -> TextRules:
        cfg = yaml.safe_load(Path(path).read_text(encoding="utf-8"))

        def compile_all(key: str) -> re.Pattern:
            return re.compile("|".join(f"(?:{p})" for p in cfg.get(key, [])) or "(?!)")

        return cls(compile_all("chrome_lines"), compile_all("toc_headings"),
                   compile_all("page_number_lines"), int(cfg.get("join_min_chars", 18)),
                   int(cfg.get("list_line_chars", 60)), int(cfg.get("reading", {}).get("workers", 0)),
                   int(cfg.get("reading", {}).get("parallel_from", 4)))


@dataclass(frozen=True)
class Paragraph:
    """One normalised paragraph; `runs` map its characters to raw-text offsets.

    Each run is (start in `text`, start in the raw text, length).
    """

    text: str
    first_line: int
    last_line: int
    runs: tuple[tuple[int, int, int], ...] = field(repr=False)

    @functools.cached_property
    def _run_starts(self) -> list[int]:
        return [r[0] for r in self.runs]

    def raw_offset(self, i: int) -> int:
        """Raw-text offset of character `i` of `text`."""
        k = bisect.bisect_right(self._run_starts, i) - 1
        start, raw, _ = self.runs[k]
        return raw + (i - start)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw-text (start, end) covering text[start:end] (end exclusive, end > start)."""
        return self.raw_offset(start), self.raw_offset(end - 1) + 1


@dataclass(frozen=True)
class TocEntry:
    """A line of the table of contents: its text without leader and page, the page, the raw line."""

    text: str
    page: int | None
    line: int


@dataclass(frozen=True)
class NormalisedDocument:
    """The normalised body paragraphs, the table of contents, and the raw text they point into."""

    raw_text: str
    paragraphs: tuple[Paragraph, ...]
    toc: tuple[TocEntry, ...]
    dropped: tuple[tuple[int, str, str], ...] = ()  # (raw line, why, text)
    traditional: bool = False  # printed in traditional characters (the normalised text is simplified)

    def derived(self, printed: str) -> str:
        """A piece of this document's raw text as its paragraphs read (normalised; simplified where the document
        is traditional), for matching words in a title or an opening."""
        return normalise_line(simplified(printed) if self.traditional else printed, bars=False)[0]

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.raw_text)]

    def line_of(self, raw_offset: int) -> int:
        """The 1-based raw line holding a raw-text offset."""
        return bisect.bisect_right(self._line_starts, raw_offset)

    def quote(self, index: int, start: int, end: int) -> str:
        """The raw text behind paragraphs[index].text[start:end], exactly as in the source."""
        a, b = self.paragraphs[index].raw_span(start, end)
        return self.raw_text[a:b]

    def printed(self, index: int, start: int, end: int) -> str:
        """The raw text behind paragraphs[index].text[start:end] as printed, but whole: where a page break cut
        the span, what lies between the lines (line breaks, blank lines, a page number) is left out.

        Names and texts derived from a span use this; `quote` keeps the raw text with its breaks.
        """
        pieces: list[str] = []
        last = None  # raw offset just past the previous piece
        for s, r, n in self.paragraphs[index].runs:
            lo, hi = max(s, start), min(s + n, end)
            if lo >= hi:
                continue
            a = r + lo - s
            if last is not None and "\n" not in self.raw_text[last:a]:
                pieces.append(self.raw_text[last:a])  # within a line: the spaces and marks as printed
            pieces.append(self.raw_text[a:r + hi - s])
            last = r + hi - s
        return "".join(pieces)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


def normalise_line(line: str, bars: bool = True) -> tuple[str, list[tuple[int, int, int]]]:
    """Normalise one raw line; return the text and runs (start in text, start in line, length).

    >>> normalise_line("### （一）经济综合实力显著增强")[0]
    '(一)经济综合实力显著增强'
    >>> normalise_line("<b>四、发展目标</b>  ")[0]
    '四、发展目标'
    >>> normalise_line("实现地区生产总值 239.8 亿元,增长 5 以上")[0]
    '实现地区生产总值239.8亿元，增长5以上'
    >>> normalise_line("经济发展 (6 个)\\t１．地区生产总值")[0]
    '经济发展(6个)\\t1.地区生产总值'
    """
    wide = line.translate(WIDTH_TABLE)
    if bars and (wide.count("|") >= 2 or wide.rstrip().endswith("|")):  # a table typed with bars ('指标 | 2015年 |')
        wide = wide.replace("|", "\t")
    wide = _ASCII_PUNCT_IN_CJK.sub(lambda m: _CJK_PUNCT[m.group()], wide)
    runs: list[tuple[int, int, int]] = []
    pieces: list[str] = []
    pos = out = 0
    for m in _DELETE.finditer(wide):
        if m.start() > pos:
            runs.append((out, pos, m.start() - pos))
            pieces.append(wide[pos:m.start()])
            out += m.start() - pos
        pos = max(pos, m.end())
    if pos < len(wide):
        runs.append((out, pos, len(wide) - pos))
        pieces.append(wide[pos:])
    return "".join(pieces), runs


@functools.cache
def _traditional_to_simplified() -> opencc.OpenCC:
    """OpenCC's Traditional → Simplified converter, built once (its dictionaries take a moment to load)."""
    return opencc.OpenCC("t2s")


def is_traditional(text: str, share: float = 0.02) -> bool:
    """Whether `text` is printed in traditional characters: more than `share` of its Chinese characters change
    when converted to simplified ones (a simplified text changes in a few variant characters at most).

    >>> is_traditional("二○二一年財政年度施政報告"), is_traditional("二〇二一年财政年度施政报告")
    (True, False)
    """
    counts = Counter(c for c in text if "\u4e00" <= c <= "\u9fff")
    characters = "".join(counts)  # each character once, apart: a fraction of the cost of the whole text
    converted = _traditional_to_simplified().convert("\n".join(characters)).split("\n")
    changed = sum(counts[a] for a, b in zip(characters, converted, strict=True) if a != b)
    chinese = sum(counts.values())
    return chinese > 0 and changed / chinese > share


def simplified(line: str) -> str:
    """`line` in simplified characters, of the same length (a phrase OpenCC would convert to another length is
    converted character by character), so that offsets into the raw line still hold."""
    convert = _traditional_to_simplified().convert
    out = convert(line)
    if len(out) == len(line):
        return out
    return "".join(c if len(converted := convert(c)) != 1 else converted for c in line)


def _matches(pattern: re.Pattern, text: str) -> bool:
    return pattern.fullmatch(text) is not None


def _is_table_row(text: str) -> bool:
    return "\t" in text


def _joinable(prev: str, nxt: str, rules: TextRules, before: str = "") -> bool:
    """True when `prev` ends mid-sentence and `nxt` continues it (a sentence cut by a page break); `before` is
    the paragraph before `prev` ('' at the start)."""
    if len(prev) < rules.join_min_chars or prev[-1] in SENTENCE_END:
        return False
    if _is_table_row(prev) or _is_table_row(nxt) or is_title_line(prev) or marker(nxt) is not None:
        return False
    if nxt.startswith(("注：", "注:", "图", "表")):
        return False
    if _list_items(prev, nxt, rules.list_line_chars):
        return False
    if prev.startswith("——") or any(c in prev for c in "，、；：。"):
        return True
    return _opens_running_text(before, prev, nxt)


def _list_items(prev: str, nxt: str, shorter_than: int) -> bool:
    """Whether two lines are items of a list printed one a line ('新增5家老年人助餐点' / '新增10家家门口养老服务站'):
    both short, neither with a comma or stop (a 顿号 may list within an item), the first not ending in a joining
    word ('…兆麟街、' / '通江街等街路综合整治'), the second without closing punctuation. A line wrapped in running text
    has its commas.

    >>> _list_items("改建100张认知障碍照护床位、611张护理型床位", "完成300户居家环境适老化改造", 60)
    True
    >>> _list_items("全区天然气利用规模占能源消费总量比重达7%，单位GDP二氧化碳排放降幅完", "成市下达指标。", 60)
    False
    >>> _list_items("全力推进中马路、靖宇大街、兆麟街、西十二道街、", "通江街等街路综合整治", 60)
    False
    """
    return (nxt[-1] not in SENTENCE_END and prev[-1] not in "、和及与并" and len(prev) < shorter_than > len(nxt)
            and not any(c in prev + nxt for c in "，,；;。：:"))


def _opens_running_text(before: str, prev: str, nxt: str) -> bool:
    """Whether an unpunctuated line is the head of a sentence cut before its first comma, not a title: it has
    no number, follows a numbered title or a finished sentence, and running text follows it.

    >>> _opens_running_text("(一)打造龙江物流门户", "推进哈尔滨畅韵电子商务有限公司黑龙江快递电商总",
    ...                     "部基地等项目建设，加快建设。")
    True
    >>> _opens_running_text("2021年6月", "哈尔滨市双城区国民经济和社会发展第十四个五年规划", "“十四五”时期是关键时期。")
    False
    >>> _opens_running_text("第九章", "坚持绿色发展建设美丽城区", "牢固树立绿色发展理念，建设美丽城区。")
    False
    """
    if not before or marker(prev) is not None or not any(c in nxt for c in "，。；"):
        return False
    head = marker(before)
    after_title = head is not None and head.kind in TITLE_KINDS and bool(head.rest.strip())
    return after_title or before[-1] in "。！？；"


def _toc_entry(text: str, line: int) -> TocEntry | None:
    """Parse 'title.....  12' (dotted leader and page) as a TOC entry, else None."""
    m = _LEADER.search(text) if any(run in text for run in _LEADER_RUNS) else None
    if not m:
        return None
    page = re.search(r"(\d{1,4})\s*$", text)
    title = text[: m.start()].strip()
    return TocEntry(title, int(page.group(1)) if page and m.group().strip("·.…-_\u22ef \t") else None, line)


def normalise(raw_lines: tuple[str, ...] | list[str], rules: TextRules) -> NormalisedDocument:
    """Normalise raw lines into body paragraphs with a raw-offset map; set aside TOC and chrome."""
    raw_text = "\n".join(raw_lines)
    paragraphs: list[Paragraph] = []
    toc: list[TocEntry] = []
    dropped: list[tuple[int, str, str]] = []
    in_toc = False
    offset = 0
    traditional = is_traditional(raw_text[:5000])  # read in simplified characters; quotes stay as printed
    for number, raw in enumerate(raw_lines, start=1):
        line_offset = offset
        offset += len(raw) + 1
        if raw.strip() == "\f":
            continue
        line = simplified(raw) if traditional else raw
        text, runs = normalise_line(line)
        if not text.strip():
            continue
        # chrome is matched as the line is printed: '首页 | 政务公开 | 规划计划' is a navigation bar, not a table row
        if _matches(rules.chrome_lines, text if "|" not in line else normalise_line(line, bars=False)[0]):
            dropped.append((number, "chrome", raw))
            continue
        if _matches(rules.page_number_lines, text):
            dropped.append((number, "page_number", raw))
            continue
        if _matches(rules.toc_headings, text.replace(" ", "")):
            in_toc = True
            dropped.append((number, "toc", raw))
            continue
        entry = _toc_entry(text, number)
        if entry is not None:
            in_toc = True
            toc.append(entry)
            dropped.append((number, "toc", raw))
            continue
        if in_toc:
            if marker(text) is not None and len(text) <= 60:
                toc.append(TocEntry(_TRAILING_PAGE.sub("", text).strip(), None, number))
                dropped.append((number, "toc", raw))
                continue
            in_toc = False
        runs = [(s, line_offset + r, n) for s, r, n in runs]
        prev = paragraphs[-1] if paragraphs else None
        before = paragraphs[-2].text if len(paragraphs) > 1 else ""
        if prev is not None and _joinable(prev.text, text, rules, before):
            shift = len(prev.text)
            paragraphs[-1] = Paragraph(prev.text + text, prev.first_line, number,
                                       prev.runs + tuple((s + shift, r, n) for s, r, n in runs))
        else:
            paragraphs.append(Paragraph(text, number, number, tuple(runs)))
    return NormalisedDocument(raw_text, tuple(paragraphs), tuple(toc), tuple(dropped), traditional)
