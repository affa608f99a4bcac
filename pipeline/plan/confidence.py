"""How sure the machine is of each extracted item, and why (issue 17: the machine proposes, the office disposes).

Stage: 编制 (plan). Input: the indicators, projects and tasks of one document and inputs/config/review.yaml (items).
Output: for each item a confidence and a reason in the office's words. A row of an indicator table is surer than a
figure whose name was taken from the words before it; an item of a 专栏 box surer than a name in the running text;
an item below the threshold is 待确认 until the office confirms it in its review workbook.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.text.normalise import simplified
from pipeline.text.patterns import enclosing

_NOT_WORD = re.compile(r"[^\u4e00-\u9fffA-Za-z]")
LEVELS = frozenset({"indicator_table", "indicator_catalogue", "indicator_text", "indicator_short", "indicator_nameless",
                    "indicator_fragment", "project_box", "project_named", "project_other", "project_fragment",
                    "project_place", "task_heading", "task_item"})  # the levels items.confidence must set


@dataclass(frozen=True)
class ItemRules:
    """Confidence levels of extracted items, the words a project's name ends in, and the publishing threshold."""

    levels: dict[str, float]
    project_heads: re.Pattern
    publish_at: float
    project_places: re.Pattern  # a name ending in a place word …
    project_work: re.Pattern  # … and holding no word of work names a place, not a project
    fragment_starts: re.Pattern  # a name beginning with a joining word was cut from a sentence …
    project_streets: re.Pattern  # a name that is a street's ('中马路', '靖宇大街'), not a 商业街's or a 公路's …
    street_work: re.Pattern  # … names a project only where its sentence builds streets ('道路', '延伸', '通车')
    project_codes: re.Pattern = re.compile(r"(?!)")  # a name opening with a route code names a road's work
    fragment_ends: re.Pattern = re.compile(r"(?!)")  # … and so was one ending in a verb whose object was cut off

    @classmethod
    def load(cls, path: Path) -> ItemRules:
        cfg = yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
        missing = LEVELS - set(cfg["confidence"])
        if missing:  # named here, not a KeyError on the first item of that kind
            raise ValueError(f"{path.name}：items.confidence 缺少 {'、'.join(sorted(missing))}")
        heads = sorted(cfg["project_heads"], key=len, reverse=True)
        return cls({k: float(v) for k, v in cfg["confidence"].items()},
                   re.compile(f"(?:{'|'.join(map(re.escape, heads))})[)）”』」]?$"), float(cfg["publish_at"]),
                   re.compile(f"(?:{'|'.join(map(re.escape, cfg['project_places']))})$"),
                   re.compile("|".join(map(re.escape, cfg["project_work"]))),
                   _fragment_pattern(cfg["fragment_starts"], cfg.get("fragment_joins") or [], cfg["project_work"]),
                   _street_pattern(cfg["street_heads"], cfg["street_facilities"]),
                   re.compile("|".join(map(re.escape, cfg["street_work"]))),
                   _pattern(cfg.get("project_codes") or r"(?!)", path, "project_codes"),
                   _ends_pattern(cfg.get("fragment_ends") or []))


def _ends_pattern(ends: list[str]) -> re.Pattern:
    """A name ending in one of `ends` (closing marks aside); an empty list matches nothing."""
    return re.compile(f"(?:{'|'.join(map(re.escape, ends))})[)）”』」]*$" if ends else r"(?!)")


def _pattern(text: str, path: Path, setting: str) -> re.Pattern:
    """A regular expression of a settings file, or a ValueError naming the file and the setting."""
    try:
        return re.compile(text)
    except re.error as exc:
        raise ValueError(f"{path.name}：items.{setting} 不是有效的正则表达式（{exc}）：{text}") from None


def _street_pattern(heads: list[str], facilities: list[str]) -> re.Pattern:
    """A name ending in a street's word ('…路', '…大街') that does not end as a facility run or built along one
    ('商业街', '步行街', '公路', '铁路'): 文化路 is a street, 文化街 a facility."""
    if not heads:
        return re.compile(r"(?!)")
    ending = f"(?:{'|'.join(map(re.escape, heads))})$"
    return re.compile(f"^(?!.*(?:{'|'.join(map(re.escape, facilities))})$).*{ending}" if facilities else ending)


def _clause_of(sentence: str, name: str) -> str:
    """The clause of `sentence` that names `name` (the whole sentence when the name is not in it)."""
    at = sentence.find(name)
    if at < 0:
        return sentence
    start, end = enclosing(sentence, at, at + len(name), "，；。,;")
    return sentence[start:end]


def _fragment_pattern(starts: list[str], joins: list[str], work: list[str]) -> re.Pattern:
    """A name cut from a sentence: it begins with a joining word ('或扩建…'), or with 和/与 and a word of work
    ('和改扩建标准化学校'); an empty list adds nothing."""
    either = [re.escape(s) for s in starts]
    if joins and work:
        either.append(f"(?:{'|'.join(map(re.escape, joins))})(?:{'|'.join(map(re.escape, work))})")
    return re.compile(f"^(?:{'|'.join(either)})" if either else r"(?!)")


def indicator_confidence(source: str, canonical: str, name: str, name_issue: str, rules: ItemRules
                         ) -> tuple[float, str]:
    """(confidence, reason) of one plan indicator.

    >>> rules = ItemRules.load(Path(__file__).parents[2] / "inputs" / "config" / "review.yaml")
    >>> indicator_confidence("table", "gdp_growth", "地区生产总值增长率", "", rules)
    (0.95, '指标表所列')
    >>> indicator_confidence("prose", "", "存栏", "", rules)[1]
    '正文目标，名称仅2字（存栏），所指对象可能缺失'
    >>> [indicator_confidence("prose", "", n, "", rules)[0]
    ...  for n in ("加快公园城市示范区", "“链长制+专班”推动", "内河港迈进", "新增停车位")]
    [0.3, 0.3, 0.3, 0.6]
    """
    levels = rules.levels
    if name_issue:
        return levels["indicator_nameless"], f"正文目标，{name_issue}"
    if source == "table":
        return levels["indicator_table"], "指标表所列"
    if canonical:
        return levels["indicator_catalogue"], f"正文目标，属于指标目录（{canonical}）"
    plain = simplified(name).strip()
    if rules.fragment_starts.search(plain) or rules.fragment_ends.search(plain):
        return levels["indicator_fragment"], f"正文目标，名称是从句子中截取的片段（{name}），所指对象待确认"
    core = _NOT_WORD.sub("", name)
    if len(core) <= 2:
        return levels["indicator_short"], f"正文目标，名称仅{len(core)}字（{name}），所指对象可能缺失"
    return levels["indicator_text"], "正文目标，名称取自数字前的文字"


def project_confidence(column_no: str, name: str, rules: ItemRules, sentence: str = "") -> tuple[float, str]:
    """(confidence, reason) of one project; `sentence` is the one naming it, for a project of the running text. A
    street named where the sentence builds no street ('改造靖宇大街、中马路等一批老旧街区', '完成广场南路等5条路雨污分流
    改造') says where the work is, not what it is.

    >>> rules = ItemRules.load(Path(__file__).parents[2] / "inputs" / "config" / "review.yaml")
    >>> project_confidence("", "老村长", rules), project_confidence("3", "气膜馆", rules)[1]
    ((0.45, '正文提及，名称不像项目（老村长），建设内容待确认'), '专栏所列')
    >>> project_confidence("", "三合小区", rules)[0], project_confidence("", "宏图街贯通工程", rules)[0]
    (0.35, 0.7)
    >>> [project_confidence(c, n, rules)[0] for c, n in (("2", "或扩建危险化学品项目"), ("", "和改扩建标准化学校"),
    ...                                                  ("", "和平桥"))]
    [0.3, 0.3, 0.7]
    >>> [project_confidence("", n, rules, s)[0] for n, s in (("中马路", "改造靖宇大街、中马路等一批老旧街区"),
    ...     ("哈南九路", "推动哈南九路等市政道路工程建设"), ("汇丽商业街", "打造汇丽商业街等3个市级夜经济示范街"),
    ...     ("中马路", "改造中马路等老旧街区，新建城市书房3处"), ("文化路", "改造文化路等老旧街区"))]
    [0.35, 0.7, 0.7, 0.35, 0.35]
    >>> [project_confidence("", n, rules)[0] for n in ("实验三中", "城关六小", "S316石牛寨-长庆", "人民医院感染病区")]
    [0.7, 0.7, 0.7, 0.7]
    >>> [project_confidence("", n, rules, "推进")[0] for n in ("己衣镇万德镇田心乡通三级公路", "G352", "闪闪桥水库")]
    [0.7, 0.7, 0.7]
    >>> [project_confidence("", n, rules)[0] for n in ("加快推进雨润肉制品深加工项目", "推动李家岩水库主体工程")]
    [0.3, 0.7]
    """
    plain, sentence = simplified(name).strip(), simplified(sentence)  # a traditional text's 項目 is a 项目
    if rules.fragment_starts.search(plain):
        return rules.levels["project_fragment"], f"名称以连词开头（{name}），是从句子中截取的片段"
    if rules.fragment_ends.search(plain):
        return rules.levels["project_fragment"], f"名称以动词结尾（{name}），是从句子中截取的片段"
    if column_no:
        return rules.levels["project_box"], "专栏所列"
    street = rules.project_streets.search(plain) and not rules.street_work.search(_clause_of(sentence, plain) or plain)
    if (rules.project_places.search(plain) or street) and not rules.project_work.search(plain):
        return rules.levels["project_place"], f"正文提及，名称只是地名或街区（{name}），建设内容不明"
    if rules.project_heads.search(plain) or rules.project_codes.search(plain):
        return rules.levels["project_named"], "正文列名的项目"
    return rules.levels["project_other"], f"正文提及，名称不像项目（{name}），建设内容待确认"


def task_confidence(kind: str, rules: ItemRules) -> tuple[float, str]:
    """(confidence, reason) of one task: a titled section is surer than a numbered item or a lead paragraph."""
    if kind in ("section", "subsection", "heading"):
        return rules.levels["task_heading"], "规划任务章节标题"
    return rules.levels["task_item"], "规划任务条目或段首句"
