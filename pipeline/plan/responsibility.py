"""Who answers for each indicator, project and task: the lead unit (牵头单位), co-units and area, with how sure the
machine is and why.

Stage: 编制 (plan). Input: indicators, projects and tasks tables, inputs/config/departments.csv,
responsibility_rules.csv, review.yaml (confidence by evidence, the threshold) and the gazetteer. Output: the
`responsibilities` table. The evidence, strongest first: a unit the text names ('由区教育局牵头'); the unit whose own
work plan the document is (its title names it); the indicator's catalogue key; keywords in the item's own name or
title (one rule, or one clearly ahead: a word fires only where it stands, so '农村' in the body of a task on schools
does not send it to 农业农村局); keywords in its text; keywords in the titles of its sections only. The Party's own
work (党的领导, 意识形态) gets no unit's proposal. A proposal below the threshold is not assigned: the item is 待确认,
its proposal and reason kept for the office's review workbook. Work a body outside the list leads (妇联's 美丽庭院,
红十字会's 应急救护: `outside_bodies`) gets no unit's proposal either, its reason naming the body. Where the evidence
is words of the item itself, a model trained on checked items (lead_model.py, `learned_leads`) weighs the rules'
proposal with what those items teach, and its probability is the confidence.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import yaml

from pipeline.extract.places import Gazetteer
from pipeline.plan.lead_model import FIXED, PENDING, LeadModel, LearnSettings, load_examples, train, training_rows
from pipeline.schema import columns
from pipeline.tables import ITEM_TABLES, read_csv_text
from pipeline.text.normalise import simplified

log = logging.getLogger(__name__)

UNASSIGNED = "unassigned"
COMPOUND = re.compile(r"[，,；;]")
QUOTE_MARKS = "“”‘’「」『』\"'＂＇〝〞〟"
QUOTED = re.compile(f"[{QUOTE_MARKS}]([^{QUOTE_MARKS}]{{1,12}})[{QUOTE_MARKS}]")
QUOTE = re.compile(f"[{QUOTE_MARKS}]")
LEAD_WORDS = ("牵头", "负责", "主责")  # "区教育局牵头": a unit named as responsible in the text
BASIS_WORDS = {"explicit": "原文写明", "author": "文件由该单位制定",
               "party": "党的工作，由党委部门牵头（不在单位清单中）",
               "outside": "由单位清单以外的机构牵头", "catalogue": "指标目录",
               "own_words": "名称所含关键词",
               "own_words_leading": "名称所含关键词（另有其他部门的关键词）",
               "own_words_titled": "名称所含关键词（另有其他部门的关键词），与章节标题一致",
               "item_text": "正文关键词", "item_text_titled": "正文关键词，与章节标题一致",
               "section_title": "仅章节标题", "weak_words": "仅泛用词", "none": "无依据",
               "learned": "与已核对的相似条目比较"}
LEARNED = "learned"  # the basis of a unit given or proposed by the model of checked items (lead_model.py)


@dataclass(frozen=True)
class Confidence:
    """Confidence by evidence and the threshold of assignment (inputs/config/review.yaml, responsibility)."""

    levels: dict[str, float]
    leading_ratio: float
    assign_at: float
    authored_types: frozenset[str]  # a document of these types whose title names a unit is that unit's own plan
    party: re.Pattern | None  # words of the Party's own work (党的领导, 意识形态): no government unit leads it
    outside: tuple[tuple[re.Pattern, str], ...] = ()  # (words, body) of work a body not in the list leads (美丽庭院)
    by_item_type: dict[str, dict[str, float]] = field(default_factory=dict)  # an item type's own levels

    def level(self, basis: str, item_type: str) -> float:
        """The confidence of a basis for one item type: its own level where the item type has one."""
        return self.by_item_type.get(item_type, {}).get(basis, self.levels[basis])

    @classmethod
    def load(cls, path: Path) -> Confidence:
        return cls.of(_responsibility_settings(path), path)

    @classmethod
    def of(cls, cfg: dict, path: Path) -> Confidence:
        """From review.yaml's `responsibility` entry (`path` names the file in errors)."""
        missing = set(BASIS_WORDS) - set(cfg["confidence"]) - {LEARNED}  # its confidence is its probability
        if missing:
            raise ValueError(f"{path.name}：responsibility.confidence 缺少 {'、'.join(sorted(missing))}")
        by_type = _by_item_type(cfg.get("by_item_type") or {}, path)
        return cls({k: float(v) for k, v in cfg["confidence"].items()}, float(cfg["leading_ratio"]),
                   float(cfg["assign_at"]), frozenset(cfg.get("authored_types") or ()),
                   re.compile("|".join(map(re.escape, cfg["party_words"]))) if cfg.get("party_words") else None,
                   _outside_bodies(cfg.get("outside_bodies") or {}, path), by_type)


def _outside_bodies(bodies, path: Path) -> tuple[tuple[re.Pattern, str], ...]:
    """review.yaml's responsibility.outside_bodies — body: a word or a list of words — as (pattern, body); anything
    else stops the load naming the file and the body."""
    if not isinstance(bodies, dict):
        raise ValueError(f"{path.name}：responsibility.outside_bodies 应为“机构: [词语, …]”，现为 {bodies!r}")
    out = []
    for body, words in bodies.items():
        words = [words] if isinstance(words, str) else words or []
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise ValueError(f"{path.name}：responsibility.outside_bodies.{body} 应为词语或词语列表，现为 {words!r}")
        if words:
            out.append((re.compile("|".join(map(re.escape, words))), str(body)))
    return tuple(out)


def _by_item_type(by_type, path: Path) -> dict[str, dict[str, float]]:
    """review.yaml's responsibility.by_item_type checked: item types of the tables, each a mapping of bases to
    confidences between 0 and 1; anything else stops the load naming the file and the entry."""
    if not isinstance(by_type, dict) or not all(isinstance(v, dict) for v in by_type.values()):
        raise ValueError(f"{path.name}：responsibility.by_item_type 应为“条目类型: {{依据: 置信度}}”，现为 {by_type!r}")
    odd = {t for t in by_type if t not in ITEM_TABLES} | {
        f"{t}.{b}" for t, levels in by_type.items() for b, v in levels.items()
        if b not in BASIS_WORDS or isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 1}
    if odd:
        raise ValueError(f"{path.name}：responsibility.by_item_type 中这些条目类型、依据或置信度（0–1 之间的数）不对："
                         f"{'、'.join(sorted(odd))}")
    return {t: {b: float(v) for b, v in levels.items()} for t, levels in by_type.items()}


@dataclass(frozen=True)
class Rule:
    """One responsibility rule, compiled."""

    rule_id: str
    match: str  # canonical | keyword
    keys: frozenset[str]
    pattern: re.Pattern | None
    item_types: frozenset[str]
    lead_unit: str
    co_units: str
    weak: bool = False  # its words name a department only when no other's do (项目, 质量, 品牌): never assigned alone
    general: bool = False  # words of a kind of work (改革, 信息化, 产业园区): they yield to a domain's word beside them


@dataclass(frozen=True)
class Rules:
    """Responsibility rules (compiled once, in file order) and the units each district has."""

    rules: tuple[Rule, ...]
    departments: pd.DataFrame
    named: dict[str, tuple[re.Pattern, dict[str, str]]]  # district → (names of its units + 牵头, name → unit)
    by_type: dict[str, tuple[Rule, ...]]  # item type → its rules, in file order
    confidence: Confidence
    learn: LearnSettings | None = None  # how to learn from checked items (review.yaml); None: the rules alone
    examples: pd.DataFrame | None = None  # the checked items (lead_examples.csv), with the rules' proposal for each
    learned: LeadModel | None = None  # trained on them

    @classmethod
    def load(cls, config_dir: Path, learned: bool = True) -> Rules:
        """The rules of config_dir, with the model trained on the checked items unless `learned` is False (its
        settings are still read: `make lead-examples` rewrites the examples without reading them)."""
        table = read_csv_text(config_dir / "responsibility_rules.csv")
        departments = read_csv_text(config_dir / "departments.csv")
        unknown = {u for col in ("lead_unit", "co_units") for v in table[col] for u in v.split("|") if u} \
            - set(departments.unit)
        if unknown:
            raise ValueError(f"responsibility_rules.csv：单位不在 departments.csv 中：{'、'.join(sorted(unknown))}")
        odd = set(table.strength) - {"strong", "weak", "general"}
        if odd:
            raise ValueError(f"responsibility_rules.csv：strength 只能是 strong、weak 或 general："
                             f"{'、'.join(sorted(odd))}")
        rules = tuple(Rule(r.rule_id, r.match, frozenset(r.pattern.split("|")) if r.match == "canonical" else
                           frozenset(), re.compile(longest_first(r.pattern)) if r.match == "keyword" else None,
                           frozenset(r.item_types.split("|")), r.lead_unit, r.co_units, r.strength == "weak",
                           r.strength == "general")
                      for r in table.itertuples())
        named = {}
        for code, units in departments.groupby("district_code"):
            names = _unit_names(units)
            ordered = sorted(names, key=len, reverse=True)
            named[code] = (re.compile("区?(" + "|".join(map(re.escape, ordered)) + f")(?:{'|'.join(LEAD_WORDS)})"),
                           names)
        by_type = {t: _rules_for(rules, t) for t in ("indicator", "project", "task")}
        review = config_dir / "review.yaml"
        cfg = _responsibility_settings(review)
        alone = cls(rules, departments, named, by_type, Confidence.of(cfg, review))
        settings = LearnSettings.from_config(cfg.get("learned"), review)
        if settings is None or not learned:
            return replace(alone, learn=settings)
        if not (config_dir / settings.examples).exists():
            log.warning("review.yaml 指定的已核对条目 %s 不存在，牵头单位仅按规则判断（make lead-examples 可重新生成）",
                        config_dir / settings.examples)
            return alone
        examples = load_examples(config_dir / settings.examples, set(departments.unit))
        proposals = _rule_rows(examples.assign(item_id="", district_code="")[INPUTS], alone, None)
        examples = examples.assign(basis=proposals.basis.to_numpy(), proposed=proposals.proposed_unit.to_numpy())
        return replace(alone, learn=settings, examples=examples).trained()

    def trained(self, leave_out: frozenset[str] = frozenset()) -> Rules:
        """These rules with the model trained on their examples, but for those of the samples left out (`make
        accuracy` scores each sample by a model that never saw it); without examples, these rules."""
        if self.examples is None:
            return self
        kept = self.examples[~self.examples["sample"].isin(leave_out)]
        if kept.acceptable_units.str.split("|").str[0].nunique() < 2:
            log.warning("已核对条目不足两类牵头单位（%d 条），牵头单位仅按规则判断", len(kept))
            return replace(self, learned=None)
        rows = training_rows(kept, list(zip(kept.basis, kept.proposed, strict=True)))
        return replace(self, learned=train(rows, self.learn))

    def author(self, title: str, doc_type: str) -> str:
        """The unit whose own plan the document is ('平昌县农业农村局2020年工作计划' → 农业农村局): a document of an
        authored type (review.yaml) whose title names a unit, by any of its names; '' otherwise."""
        if doc_type not in self.confidence.authored_types:
            return ""
        names = _unit_names(self.departments)
        found = [(title.find(n), -len(n), names[n]) for n in names if n in title]
        return min(found)[2] if found else ""

    def named_unit(self, text: str, district_code: str) -> str:
        """A unit of the district that the text names as responsible ('区教育局牵头'), else ''."""
        if district_code not in self.named or not any(word in text for word in LEAD_WORDS):
            return ""  # the pattern needs one of these words after the name; most texts have none
        pattern, names = self.named[district_code]
        m = pattern.search(text)
        return names[m.group(1)] if m else ""

    def catalogue_rule(self, item_type: str, canonical: str) -> Rule | None:
        """The rule for an indicator's catalogue key, if any."""
        if canonical:
            for rule in self.by_type.get(item_type) or _rules_for(self.rules, item_type):
                if rule.match == "canonical" and canonical in rule.keys:
                    return rule
        return None

    def keyword_rules(self, item_type: str, text: str) -> list[tuple[int, int, Rule, tuple[str, ...]]]:
        """(weight, end, rule, the words found) of every keyword rule with a word in `text`, heaviest first (file
        order among equals): the weight is the length of the distinct words found, so '义务教育' outweighs '农村';
        `end` is where its last word ends (a Chinese name ends in its head: 农村公路 is a road)."""
        found = []
        for order, rule in enumerate(self.by_type.get(item_type) or _rules_for(self.rules, item_type)):
            if rule.match != "keyword":
                continue
            hits = list(rule.pattern.finditer(text))
            if hits:
                words = tuple(dict.fromkeys(m.group() for m in hits))
                found.append((sum(len(w) for w in words), -order, max(m.end() for m in hits), rule, words))
        return [(weight, end, rule, words) for weight, _, end, rule, words in
                sorted(found, key=lambda f: f[:2], reverse=True)]


def _responsibility_settings(review: Path) -> dict:
    """review.yaml's `responsibility` entry."""
    return yaml.safe_load(review.read_text(encoding="utf-8"))["responsibility"]


def _unit_names(units: pd.DataFrame) -> dict[str, str]:
    """Every name a unit of departments.csv goes by (full name, short name, aliases such as 教育部门) → the unit."""
    return {n: row.unit for row in units.itertuples()
            for n in (row.full_name, row.unit, *[a for a in row.aliases.split("|") if a]) if n}


def longest_first(pattern: str) -> str:
    """The pattern's top-level alternatives, its plain words longest first and then its patterns (in file order): a
    regex takes the first alternative that matches, so '农产品' listed before '农产品地理标志' would hide the longer,
    more specific word. A pattern's length says nothing of what it matches, so patterns come after the words.

    >>> longest_first("农产品|[^铁(]路(?=$|[（(]|工程)|农产品地理标志")
    '农产品地理标志|农产品|[^铁(]路(?=$|[（(]|工程)'
    """
    parts, depth, start, in_class, escaped = [], 0, 0, False, False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    literal = [p for p in parts if re.escape(p) == p]
    return "|".join(sorted(literal, key=len, reverse=True) + [p for p in parts if re.escape(p) != p])


def _rules_for(rules: tuple[Rule, ...], item_type: str) -> tuple[Rule, ...]:
    """The rules that apply to one item type, in file order."""
    return tuple(r for r in rules if "*" in r.item_types or item_type in r.item_types)


def assign(items: pd.DataFrame, item_type: str, rules: Rules, gazetteer: Gazetteer) -> pd.DataFrame:
    """Responsibility rows for items of one district with columns item_id, district_code, canonical, own (the item's
    name or title), text (its quote or body), context (the titles of the sections it stands in, nearest first);
    `gazetteer` holds the district's places."""
    inputs = items.assign(item_type=item_type)[INPUTS]
    return learned_leads(_rule_rows(inputs, rules, gazetteer), inputs, rules)


INPUTS = ["item_type", "item_id", "district_code", "canonical", "own", "text", "context"]  # what decides a lead unit


def _rule_rows(inputs: pd.DataFrame, rules: Rules, gazetteer: Gazetteer | None, author: str = "") -> pd.DataFrame:
    """The responsibilities the rules give the items of `inputs` (INPUTS), one row each in their order."""
    return pd.DataFrame([_responsibility(*item, rules, gazetteer, author) for item in
                         zip(*(inputs[c] for c in INPUTS), strict=True)], columns=columns("responsibilities"))


def learned_leads(duties: pd.DataFrame, inputs: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """The rules' responsibilities (rows in the order of `inputs`) decided again by the model of checked items where
    the evidence is the item's words (not FIXED, and not its sections' titles alone: such a unit stays 待确认, a
    proposal for the office, however sure the model is). Its unit is assigned when its probability reaches the
    threshold, and otherwise proposed with that probability as its confidence; the reason names the most similar
    checked item and keeps the rules' words. Without a model the rules' rows stand."""
    if rules.learned is None or duties.empty:
        return duties
    open_ = ~duties.basis.isin(FIXED | {"section_title"})
    judged = rules.learned.judge(pd.DataFrame({
        "item_type": inputs.item_type.to_numpy(), "own": inputs.own.to_numpy(), "context": inputs.context.to_numpy(),
        "proposed": duties.proposed_unit.to_numpy(), "basis": duties.basis.to_numpy()}, index=duties.index)[open_])
    co_units = {rule.rule_id: rule.co_units for rule in rules.rules}
    decided = [_learned_row(duties.loc[at], unit, float(p), float(of_proposed), like, rules.confidence.assign_at,
                            co_units)
               for at, unit, p, of_proposed, like in zip(judged.index, judged.unit, judged.probability,
                                                         judged.of_proposed, judged.like, strict=True)]
    duties = duties.copy()
    if decided:
        duties.loc[judged.index, LEARNED_COLUMNS] = pd.DataFrame(decided, index=judged.index, columns=LEARNED_COLUMNS)
    return duties


LEARNED_COLUMNS = ["lead_unit", "co_units", "rule_id", "basis", "confidence", "proposed_unit", "reason"]
LIKE_PENDING = "已核对的相似条目多为待确认"  # the reason of an item the model finds like those no unit can be given


def _learned_row(row: pd.Series, unit: str, p: float, of_proposed: float, like: str, assign_at: float,
                 co_units: dict[str, str]) -> list:
    """lead_unit, co_units, rule_id, basis, confidence, proposed_unit and reason of one row the model decides: the
    model's probability is the confidence. Where it gives the rules' unit the basis stays the rules' evidence, and a
    rule's id and co-units its rule's (the reason still ends in the rule, as `release_held` reads it); where it gives
    another unit the basis is `learned`. Where it finds the item like those no unit can be given (a fragment, a body
    outside the list), a unit the rules gave with confidence is held, as `hold_pending` holds an item in doubt, its
    confidence the rules': the office's confirming the item assigns it (`release_held`)."""
    proposed, words = row.proposed_unit, row.reason
    p = round(p, 2)  # the confidence the office reads is the one compared with assign_at
    if unit == PENDING:
        said = f"{LIKE_PENDING}（如“{like}”，把握 {p:.2f}）；{words}"
        if row.lead_unit:
            return ["", row.co_units, UNASSIGNED, row.basis, row.confidence, proposed, HELD + said]
        return ["", "", UNASSIGNED, row.basis, round(of_proposed, 2), proposed, said]
    agrees = unit == proposed
    said = f"与已核对的相似条目{'一致' if p >= assign_at else '相近'}（如“{like}”由{unit}牵头，把握 {p:.2f}）"
    reason = f"{said}；{words}" if agrees else f"{said}；规则另提{proposed}（{words}）" if proposed else said
    basis = row.basis if agrees else LEARNED
    if p < assign_at:
        return ["", "", UNASSIGNED, basis, p, unit, reason]
    said_rule = _RULE_SAID.search(words) if agrees else None
    rule_id = row.rule_id if agrees and row.rule_id != UNASSIGNED else said_rule.group(1) if said_rule else LEARNED
    co = "|".join(u for u in co_units.get(rule_id, "").split("|") if u and u != unit)
    return [unit, co, rule_id, basis, p, unit, reason]


def _responsibility(item_type: str, item_id: str, district_code: str, canonical: str, own: str, text: str,
                    context: str, rules: Rules, gazetteer: Gazetteer | None, author: str = "") -> tuple:
    """One responsibilities row: the strongest evidence for a unit (see the module), its confidence and reason; a
    proposal below the threshold leaves the item unassigned, the proposal kept. In a unit's own plan (`author`)
    every item is that unit's unless the text names another. Words are matched in simplified characters (a text in
    traditional characters names its items as printed: 濕地保護修復 is 湿地保护修复) and across quotation marks
    (`_keywords`)."""
    area = "|".join(gazetteer.find(f"{own} {text}")) if gazetteer else ""  # places as printed: 於潜镇 is no 于潜镇
    named = rules.named_unit(f"{own} {text}", district_code)
    own, text, context = simplified(own), simplified(text), simplified(context)
    named = named or rules.named_unit(f"{own} {text}", district_code)
    basis, rule, words = _evidence(item_type, canonical, own, text, context, rules)
    party = rules.confidence.party.search(own) if rules.confidence.party is not None and not named else None
    if party:  # the Party's own work: the office says who reports on it, if anyone
        return (item_type, item_id, district_code, "", "", area, UNASSIGNED, "party",
                rules.confidence.level("party", item_type), "", f"{BASIS_WORDS['party']}：名称含“{party.group()}”")
    body = next(((m, b) for p, b in rules.confidence.outside if (m := p.search(own))), None) \
        if not (named or author) else None
    if body:  # a people's organisation's or a regulator's work (妇联, 上市 …): not in the list, the office decides
        return (item_type, item_id, district_code, "", "", area, UNASSIGNED, "outside",
                rules.confidence.level("outside", item_type), "",
                f"由{body[1]}牵头（不在单位清单中）：名称含“{body[0].group()}”")
    explicit = named or author
    if explicit:
        basis, words = ("explicit" if named else "author"), (explicit,)
    confidence = rules.confidence.level(basis, item_type)
    lead = explicit or (rule.lead_unit if rule is not None else "")
    others = [rule.lead_unit] if explicit and rule is not None else []  # the words' department helps the one named
    others += (rule.co_units if rule is not None else "").split("|")
    co = "|".join(dict.fromkeys(u for u in others if u and u != lead))
    reason = _reason(basis, rule, words, canonical)
    if lead and confidence >= rules.confidence.assign_at:
        rule_id = basis if explicit else rule.rule_id
        return item_type, item_id, district_code, lead, co, area, rule_id, basis, confidence, lead, reason
    return item_type, item_id, district_code, "", "", area, UNASSIGNED, basis, confidence, lead, reason


def _keywords(rules: Rules, item_type: str, text: str) -> list[tuple[int, int, Rule, tuple[str, ...]]]:
    """`Rules.keyword_rules` on the text without its quotation marks, so '“四上”企业' speaks of 四上企业; a word that
    is there only by joining what the marks kept apart counts only if it holds the whole quoted words ('线上“云活动”'
    has no 上云, '“数字丝路”项目' no 路项目)."""
    bare = QUOTE.sub("", text)
    if bare == text:
        return rules.keyword_rules(item_type, text)
    quoted = QUOTED.findall(text)
    apart = {w for f in rules.keyword_rules(item_type, QUOTE.sub(" ", text)) for w in f[3]}
    found = []
    for _weight, end, rule, words in rules.keyword_rules(item_type, bare):
        kept = tuple(w for w in words if w in apart or any(q in w for q in quoted))
        if kept:
            found.append((sum(len(w) for w in kept), end, rule, kept))
    return sorted(found, key=lambda f: f[0], reverse=True)  # stable: file order among equals, as found


def _evidence(item_type: str, canonical: str, own: str, text: str, context: str,
              rules: Rules) -> tuple[str, Rule | None, tuple[str, ...]]:
    """(basis, rule, words found) of the strongest evidence short of a unit named in the text."""
    rule = rules.catalogue_rule(item_type, canonical)
    if rule is not None:
        return "catalogue", rule, ()
    ratio = rules.confidence.leading_ratio
    weak = None
    in_titles = _keywords(rules, item_type, context)
    titles = _strong(in_titles)
    titled = {f[2].lead_unit for f in titles}  # the departments its sections' titles name
    for basis, words_of in (("own_words", _measured(own)), ("item_text", text), ("section_title", context)):
        found = in_titles if basis == "section_title" else _keywords(rules, item_type, words_of)
        if basis == "own_words" and words_of != own and not any(not f[2].weak for f in found):
            found = _keywords(rules, item_type, own)  # the share's words name no department: the whole name
        strong = _strong(found)
        weak = weak or next(((f[2], f[3]) for f in found if f[2].weak), None)
        if not strong:
            continue
        top = strong[0] if len(strong) == 1 or strong[0][0] >= ratio * strong[1][0] else None
        if basis == "own_words":
            # a title of two clauses (聚焦平安建设，深入实施社会治理现代化行动) spans more than one department's work
            single = len(strong) == 1 and not COMPOUND.search(own.strip())
            if top is not None and single:
                return "own_words", top[2], top[3]
            chosen = top or max(strong, key=lambda f: (f[1], f[0]))  # a Chinese name ends in its head: 农村公路
            # where departments' words meet, a section title naming the chosen one is a second, independent witness
            return ("own_words_titled" if chosen[2].lead_unit in titled else "own_words_leading"), chosen[2], chosen[3]
        if basis == "item_text" and titles and len({f[2].lead_unit for f in strong}) == 1 \
                and titles[0][2].lead_unit == strong[0][2].lead_unit:
            return "item_text_titled", strong[0][2], strong[0][3]  # the text and the section agree
        if top is not None or basis == "section_title":
            return basis, strong[0][2], strong[0][3]
    if weak is not None:
        return "weak_words", weak[0], weak[1]
    return "none", None, ()


def _strong(found: list) -> list:
    """The findings that can name a department: not weak, not inside another's word, and of a domain where one
    is found (a word of a kind of work yields to it)."""
    strong = _unsubsumed([f for f in found if not f[2].weak])
    if any(not f[2].general for f in strong):  # 深化户籍制度改革 is the police's reform: the domain decides
        strong = [f for f in strong if not f[2].general]
    return strong


def _measured(own: str) -> str:
    """What a share measures: the words before 占 ('保护性耕作面积占全区耕地总面积' measures tillage, whoever
    answers for the land it is a share of); the name itself otherwise.

    >>> _measured("天然气利用规模占能源消费总量比重"), _measured("占农户家庭承包经营面积的"), _measured("粮食产量")
    ('天然气利用规模', '占农户家庭承包经营面积的', '粮食产量')
    """
    before, said, _ = own.partition("占")
    return before if said and len(before.strip()) >= 2 else own


def _unsubsumed(found: list) -> list:
    """The keyword findings without those whose every word lies inside another rule's word ('医疗' inside
    '医疗保险': the name speaks of insurance, not of hospitals)."""
    return [f for f in found if not all(any(w in v and w != v for g in found if g is not f for v in g[3])
                                        for w in f[3])]


def _reason(basis: str, rule: Rule | None, words: tuple[str, ...], canonical: str) -> str:
    """The evidence in the office's words: '名称所含关键词“教育”（规则 K04）'."""
    said = BASIS_WORDS[basis]
    if basis == "explicit":
        return f"{said}由{words[0]}牵头"
    if basis == "author":
        return f"{said}（{words[0]}，见标题）"
    if basis == "catalogue":
        return f"{said}指标 {canonical}（规则 {rule.rule_id}）"
    if rule is None:
        return said
    return f"{said}“{'、'.join(words)}”（规则 {rule.rule_id}）"


def section_context(sections: pd.DataFrame) -> dict[str, str]:
    """section_id → the titles of the section and those enclosing it, nearest first."""
    parent = dict(zip(sections.section_id, sections.parent_id, strict=True))
    title = dict(zip(sections.section_id, sections.title_norm, strict=True))
    context = {}
    for section_id in sections.section_id:
        chain, current = [], section_id
        while current:
            chain.append(title.get(current, ""))
            current = parent.get(current, "")
        context[section_id] = " ".join(chain)
    return context


def responsibility_inputs(indicators: pd.DataFrame, projects: pd.DataFrame, tasks: pd.DataFrame,
                          sections: pd.DataFrame) -> pd.DataFrame:
    """What decides the lead unit of every indicator, project and task of one document (INPUTS). An indicator's own
    words are its name with its table category; a project's its name, its 专栏 title standing with the section
    titles, and its text its 专栏 line (a project named in running text has no text of its own: its sentence names
    the other work beside it); a task's its title."""
    context = section_context(sections)
    items = [("indicator", *row) for row in zip(
        indicators.indicator_id, indicators.district_code, indicators.canonical,
        [f"{n} {s}" for n, s in zip(indicators.name, indicators.sub_item, strict=True)], indicators.quote,
        [f"{c} {context.get(s, '')}" for c, s in zip(indicators.category, indicators.section_id, strict=True)],
        strict=True)]
    items += [("project", *row) for row in zip(
        projects.project_id, projects.district_code, [""] * len(projects), projects.name,
        [q if c else n for q, c, n in zip(projects.quote, projects.column_no, projects.name, strict=True)],
        [f"{c} {context.get(s, '')}" for c, s in zip(projects.column_title, projects.section_id, strict=True)],
        strict=True)]
    items += [("task", *row) for row in zip(
        tasks.task_id, tasks.district_code, [""] * len(tasks), tasks.title, tasks.text,
        [context.get(s, "") for s in tasks.section_id], strict=True)]
    return pd.DataFrame(items, columns=INPUTS).fillna("")


def assign_all(indicators: pd.DataFrame, projects: pd.DataFrame, tasks: pd.DataFrame, sections: pd.DataFrame,
               rules: Rules, gazetteer: Gazetteer, author: str = "") -> pd.DataFrame:
    """Responsibilities for every indicator, project and task of one document (its district's `gazetteer`): the
    rules' evidence, then the model of checked items (`learned_leads`)."""
    inputs = responsibility_inputs(indicators, projects, tasks, sections)
    return learned_leads(_rule_rows(inputs, rules, gazetteer, author), inputs, rules)


HELD = "条目待确认，暂不分配；"  # the reason of a lead unit held back until the office confirms its item
_RULE_SAID = re.compile(r"（规则 ([^）]+)）$")


def hold_pending(duties: pd.DataFrame, pending: set[str]) -> pd.DataFrame:
    """The responsibilities with no unit assigned to an item still 待确认 (the machine is unsure the item is one):
    its proposal and reason are kept for the review workbook, and the office's confirming the item assigns it
    (`release_held`)."""
    held = duties.item_id.isin(pending) & (duties.lead_unit != "")
    return duties.assign(  # its co-units stay, for the day it is confirmed
        lead_unit=duties.lead_unit.where(~held, ""), rule_id=duties.rule_id.where(~held, UNASSIGNED),
        reason=duties.reason.where(~held, HELD + duties.reason))


def release_held(duties: pd.DataFrame, confirmed: set[tuple[str, str]]) -> pd.DataFrame:
    """The responsibilities with the lead unit held back from an item (`hold_pending`) assigned once the office
    has confirmed the item: the proposal was confident, only the item was in doubt. Its rule is the one its reason
    names ('…（规则 K01）'), else its basis."""
    duties = duties.copy()
    for at in duties.index[duties.reason.str.startswith(HELD) & (duties.lead_unit == "")]:
        if (duties.at[at, "item_type"], duties.at[at, "item_id"]) not in confirmed:
            continue
        reason = duties.at[at, "reason"].removeprefix(HELD)
        said = _RULE_SAID.search(reason)
        duties.loc[at, ["lead_unit", "rule_id", "reason"]] = [
            duties.at[at, "proposed_unit"], said.group(1) if said else duties.at[at, "basis"],
            f"{reason}；审核表确认条目后分配"]
    return duties


def assignable(duties: pd.DataFrame) -> pd.Series:
    """Whether a row's proposal is assigned at a threshold at or below its confidence (assign_at, review.yaml): not
    where there is none (the Party's work, an outside body, no evidence), where the item is held until the office
    confirms it, or where the model finds the item like those no unit can be given, whatever the threshold. So
    that `make accuracy` can show what each threshold would give."""
    return (duties.proposed_unit != "") & ~duties.reason.str.startswith(HELD) \
        & ~duties.reason.str.startswith(LIKE_PENDING)
