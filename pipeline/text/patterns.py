"""The numbering grammar of Chinese plan documents: 第X章, 一、, (一), 第一，, 1., (1), ——, 专栏.

Stage: 编制. Input: one normalised paragraph (full-width brackets and digits already unified).
Output: the marker it starts with, if any — kind, rank in the hierarchy, number as printed, the rest.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

_CN = "一二三四五六七八九十百零〇两"
# (kind, rank, pattern); a smaller rank is a higher level. Order matters: first match wins.
MARKERS: tuple[tuple[str, int, re.Pattern], ...] = (
    ("part", 0, re.compile(rf"^(第[{_CN}\d]+(?:篇|部分))\s*(.*)$")),
    ("chapter", 1, re.compile(rf"^(第[{_CN}\d]+章)\s*(.*)$")),
    ("column", 9, re.compile(rf"^(专栏\s*[-—]?\s*(?:\d+|[{_CN}]+))\s*(.*)$")),
    ("section", 2, re.compile(rf"^([{_CN}]+、)\s*(.*)$")),
    ("subsection", 3, re.compile(rf"^(\([{_CN}]+\))\s*(.*)$")),
    ("ordinal", 3, re.compile(r"^(第[一二三四五六七八九十]+[，、])\s*(.+)$")),
    ("item", 4, re.compile(r"^(\d{1,2}(?:、|\.(?!\d)))\s*(.+)$")),
    ("subitem", 5, re.compile(r"^(\(\d{1,2}\)|[①-⑳])\s*(.+)$")),
    ("lead", 6, re.compile(r"^(——)\s*(.+[。；！？].*)$")),
    ("bullet", 7, re.compile(r"^([-*•●◆■])\s+(.+)$")),
)
TITLE_KINDS = {"part", "chapter", "section", "subsection", "column"}
# the characters a marker can start with: most paragraphs start with none and need no pattern tried
_MARKER_STARTS = frozenset("第专(—-*•●◆■0123456789" + _CN + "".join(map(chr, range(ord("①"), ord("⑳") + 1))))
_CLAUSE_END = re.compile(r"[。：；！？]")


@dataclass(frozen=True)
class Marker:
    """A paragraph's leading number: kind, rank, the number as printed, and where the rest starts."""

    kind: str
    rank: int
    number: str
    rest_start: int
    rest: str


def marker(text: str) -> Marker | None:
    """The numbering marker at the start of a normalised paragraph, or None.

    >>> marker("第九章 坚持绿色发展").number
    '第九章'
    >>> marker("(三)坚持城乡统筹，在提升城市能级上开新局").kind
    'subsection'
    >>> marker("专栏-4 端牢中国饭碗支撑行动").rest
    '端牢中国饭碗支撑行动'
    >>> marker("1.5万亩蔬菜种植基地") is None
    True
    >>> marker("——2020年1月3日在哈尔滨市平房区第十六届人民代表大会") is None
    True
    """
    if not text or text[0] not in _MARKER_STARTS:
        return None
    for kind, rank, pattern in MARKERS:
        m = pattern.match(text)
        if m:
            return Marker(kind, rank, m.group(1), m.start(2), m.group(2))
    return None


def is_title_line(text: str) -> bool:
    """True for a heading that is a title by itself (chapter, section, subsection, 专栏)."""
    m = marker(text)
    return m is not None and m.kind in TITLE_KINDS


def title_of(rest: str, limit: int = 40) -> str:
    """The title part of a numbered paragraph: up to its first sentence end, or its first clause.

    >>> title_of("经济运行稳中提质。预计地区生产总值同比增长7%以上")
    '经济运行稳中提质'
    >>> title_of("农业机械化工程：围绕主要作物耕地")
    '农业机械化工程'
    >>> title_of("坚持项目拉动，在壮大经济实力上开新局")
    '坚持项目拉动，在壮大经济实力上开新局'
    """
    m = _CLAUSE_END.search(rest)
    title = rest[: m.start()] if m else rest
    if len(title) > limit:
        title = title.split("，")[0][:limit]
    return title


def number_value(number: str) -> int | None:
    """The integer a printed number stands for: '第十一章' → 11, '(三)' → 3, '专栏-4' → 4, '①' → 1, '——' → None.

    >>> [number_value(n) for n in ("第十一章", "二十一、", "(三)", "专栏-4", "3.", "①", "——")]
    [11, 21, 3, 4, 3, 1, None]
    """
    core = re.sub(r"^(第|专栏)|[章篇部分、，.()\s\-—]", "", number)
    if not core:
        return None
    if core.isdecimal():  # not isdigit: '①' is a digit int() cannot read
        return int(core)
    if "①" <= core <= "⑳":
        return ord(core) - ord("①") + 1
    try:
        return int(cn2an.cn2an(core.replace("〇", "零"), "smart"))
    except ValueError:
        return None


def enclosing(text: str, start: int, end: int, stops: str) -> tuple[int, int]:
    """The span of `text` around start..end between the nearest of `stops` before and after it: the clause or
    sentence that holds a name.

    >>> text = "改造靖宇大街、中马路等一批老旧街区，新建城市书房3处。"
    >>> a, b = enclosing(text, text.index("中马路"), text.index("等"), "，。")
    >>> text[a:b]
    '改造靖宇大街、中马路等一批老旧街区'
    """
    ends = [i for i in (text.find(c, end) for c in stops) if i >= 0]
    return max(text.rfind(c, 0, start) for c in stops) + 1, min(ends) if ends else len(text)

