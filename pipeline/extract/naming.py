"""Whether an indicator's name names what is measured.

Stage: 编制 (extract). Input: a name as printed, the extraction rules (inputs/config/extract.yaml: nameless_words,
place_position_words) and the district's gazetteer. Output: why the name names no indicator, or ''. A prose figure
takes the words before it as its name (a count or share whose words before name nothing, the words after it:
'新建至少1个综合体' counts 综合体); in '集约高效利用7平方公里' or '引进3-5个投资超20亿元' those words are still only
verbs and generic words, and in '巨源镇2.5万人' or '阿什河沿岸110个' a place. Such a target stays in the tables, with
its reason, but no form asks it and no report judges it: nobody could say what to report.
"""
from __future__ import annotations

import re

from pipeline.extract.places import Gazetteer
from pipeline.extract.rules import ExtractRules

NO_NAME, NO_NOUN, PLACE = "未写明指标名称", "名称只有动词、虚词、泛称或数字", "名称是地名或地段"
SHARE_BASE = "名称只是比例的分母（“占…”）"
_SHARE_BASE = re.compile(r"^占(?!地|用)")  # '占农户家庭承包经营面积的': what it is a share of, not what is measured
_LEADING = re.compile(r"^[、，,；;：:的和及与]+")
_NOT_WORD = re.compile(r"[^\u4e00-\u9fffA-Za-z]")  # a figure or a sign names nothing ("4606.24")


def name_issue(name: str, rules: ExtractRules, gazetteer: Gazetteer) -> str:
    """Why `name` names no indicator ('' when it does): one of NO_NAME, NO_NOUN, PLACE, SHARE_BASE (the name itself
    is shown beside it, in the quote).

    >>> from pathlib import Path
    >>> rules = ExtractRules.load(Path(__file__).parents[2] / "inputs" / "config" / "extract.yaml")
    >>> places = Gazetteer(("巨源镇",))
    >>> [name_issue(n, rules, places) for n in ("新建至少", "投资", "区域内", "巨源镇", "阿什河沿岸", "")]
    ... # doctest: +NORMALIZE_WHITESPACE
    ['名称只有动词、虚词、泛称或数字', '名称只有动词、虚词、泛称或数字', '名称只有动词、虚词、泛称或数字',
     '名称是地名或地段', '名称是地名或地段', '未写明指标名称']
    >>> kept = ("新建66千伏变电站", "固定资产投资", "建成区面积", "特色小镇", "人口", "GDP")
    >>> [name_issue(n, rules, places) for n in kept]
    ['', '', '', '', '', '']
    >>> name_issue("4606.24", rules, places)
    '名称只有动词、虚词、泛称或数字'
    >>> name_issue("占农户家庭承包经营面积的", rules, places)[:9], name_issue("占地面积", rules, places)
    ('名称只是比例的分母', '')
    """
    core = _LEADING.sub("", str(name).strip())
    if not core:
        return NO_NAME
    if _SHARE_BASE.match(core):
        return SHARE_BASE
    if gazetteer.is_place(core):
        return PLACE
    stretch = rules.place_stretch.match(core)
    if stretch and not names_nothing(stretch.group(1), rules):
        return PLACE
    if names_nothing(core, rules):
        return NO_NOUN
    return ""


def names_nothing(name: str, rules: ExtractRules) -> bool:
    """Whether `name` is only verbs, function words, generic nouns or figures ('新建至少', '高标准建设', '为全区')."""
    return len(_NOT_WORD.sub("", rules.nameless_words.sub("", name))) < 2
