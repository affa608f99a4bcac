"""Who answers for each indicator, project and task: the lead unit (牵头单位), co-units and area.

Stage: 编制 (plan). Input: indicators, projects and tasks tables, inputs/config/departments.csv,
responsibility_rules.csv and the gazetteer. Output: the `responsibilities` table. A unit the text names
('由区教育局牵头') wins over a rule; then catalogue-key rules, then keyword rules in file order; an item no
rule fits gets rule_id 'unassigned' and an empty lead unit, for a person to decide (the 未分配 list).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.extract.places import Gazetteer
from pipeline.schema import columns
from pipeline.tables import read_csv_text

UNASSIGNED = "unassigned"
LEAD_WORDS = ("牵头", "负责", "主责")  # "区教育局牵头": a unit named as responsible in the text


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


@dataclass(frozen=True)
class Rules:
    """Responsibility rules (compiled once, in file order) and the units each district has."""

    rules: tuple[Rule, ...]
    departments: pd.DataFrame
    named: dict[str, tuple[re.Pattern, dict[str, str]]]  # district → (names of its units + 牵头, name → unit)
    by_type: dict[str, tuple[Rule, ...]]  # item type → its rules, in file order

    @classmethod
    def load(cls, config_dir: Path) -> Rules:
        table = read_csv_text(config_dir / "responsibility_rules.csv")
        departments = read_csv_text(config_dir / "departments.csv")
        unknown = {u for col in ("lead_unit", "co_units") for v in table[col] for u in v.split("|") if u} \
            - set(departments.unit)
        if unknown:
            raise ValueError(f"responsibility_rules.csv：单位不在 departments.csv 中：{'、'.join(sorted(unknown))}")
        rules = tuple(Rule(r.rule_id, r.match, frozenset(r.pattern.split("|")) if r.match == "canonical" else
                           frozenset(), re.compile(r.pattern) if r.match == "keyword" else None,
                           frozenset(r.item_types.split("|")), r.lead_unit, r.co_units)
                      for r in table.itertuples())
        named = {}
        for code, units in departments.groupby("district_code"):
            names = {n: row.unit for row in units.itertuples()
                     for n in (row.full_name, row.unit, *[a for a in row.aliases.split("|") if a]) if n}
            ordered = sorted(names, key=len, reverse=True)
            named[code] = (re.compile("区?(" + "|".join(map(re.escape, ordered)) + f")(?:{'|'.join(LEAD_WORDS)})"),
                           names)
        by_type = {t: _rules_for(rules, t) for t in ("indicator", "project", "task")}
        return cls(rules, departments, named, by_type)

    def named_unit(self, text: str, district_code: str) -> str:
        """A unit of the district that the text names as responsible ('区教育局牵头'), else ''."""
        if district_code not in self.named or not any(word in text for word in LEAD_WORDS):
            return ""  # the pattern needs one of these words after the name; most texts have none
        pattern, names = self.named[district_code]
        m = pattern.search(text)
        return names[m.group(1)] if m else ""

    def match(self, item_type: str, canonical: str, text: str) -> Rule | None:
        """The first rule for this item: a catalogue-key rule, else the first keyword rule that fits."""
        applicable = self.by_type.get(item_type) or _rules_for(self.rules, item_type)
        if canonical:
            for rule in applicable:
                if rule.match == "canonical" and canonical in rule.keys:
                    return rule
        for rule in applicable:
            if rule.match == "keyword" and rule.pattern.search(text):
                return rule
        return None


def _rules_for(rules: tuple[Rule, ...], item_type: str) -> tuple[Rule, ...]:
    """The rules that apply to one item type, in file order."""
    return tuple(r for r in rules if "*" in r.item_types or item_type in r.item_types)


def assign(items: pd.DataFrame, item_type: str, rules: Rules, gazetteer: Gazetteer) -> pd.DataFrame:
    """Responsibility rows for items of one district with columns item_id, district_code, canonical, text,
    context (the titles of the sections the item stands in, nearest first: used when the item's own words fit no
    rule); `gazetteer` holds the district's places."""
    rows = [_responsibility(item_type, *item, rules, gazetteer) for item in
            zip(items.item_id, items.district_code, items.canonical, items.text, items.context, strict=True)]
    return pd.DataFrame(rows, columns=columns("responsibilities"))


def _responsibility(item_type: str, item_id: str, district_code: str, canonical: str, text: str, context: str,
                    rules: Rules, gazetteer: Gazetteer) -> tuple:
    """One responsibilities row: the unit the text names, else the first rule for the item's own words, else the
    first for its section titles, else unassigned."""
    area = "|".join(gazetteer.find(text))
    explicit = rules.named_unit(text, district_code)
    rule = rules.match(item_type, canonical, text) or rules.match(item_type, "", context)
    if explicit:
        co = rule.co_units if rule is not None else ""
        return (item_type, item_id, district_code, explicit,
                "|".join(u for u in co.split("|") if u and u != explicit), area, "explicit")
    if rule is not None:
        return item_type, item_id, district_code, rule.lead_unit, rule.co_units, area, rule.rule_id
    return item_type, item_id, district_code, "", "", area, UNASSIGNED


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


def assign_all(indicators: pd.DataFrame, projects: pd.DataFrame, tasks: pd.DataFrame, sections: pd.DataFrame,
               rules: Rules, gazetteer: Gazetteer) -> pd.DataFrame:
    """Responsibilities for every indicator, project and task of one document (its district's `gazetteer`)."""
    context = section_context(sections)
    items = [("indicator", *row) for row in zip(
        indicators.indicator_id, indicators.district_code, indicators.canonical,
        [f"{c} {n} {q}" for c, n, q in zip(indicators.category, indicators.name, indicators.quote, strict=True)],
        [context.get(s, "") for s in indicators.section_id], strict=True)]
    items += [("project", *row) for row in zip(
        projects.project_id, projects.district_code, [""] * len(projects),
        [f"{c} {n} {q}" for c, n, q in zip(projects.column_title, projects.name, projects.quote, strict=True)],
        [context.get(s, "") for s in projects.section_id], strict=True)]
    items += [("task", *row) for row in zip(
        tasks.task_id, tasks.district_code, [""] * len(tasks),
        [f"{t} {x}" for t, x in zip(tasks.title, tasks.text, strict=True)],
        [context.get(s, "") for s in tasks.section_id], strict=True)]
    return pd.DataFrame([_responsibility(*item, rules, gazetteer) for item in items],
                        columns=columns("responsibilities"))
