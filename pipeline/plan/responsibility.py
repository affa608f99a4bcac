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

RESPONSIBILITY_COLUMNS = ["item_type", "item_id", "district_code", "lead_unit", "co_units", "area", "rule_id"]
UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class Rules:
    """Responsibility rules and the units each district has."""

    rules: pd.DataFrame
    departments: pd.DataFrame

    @classmethod
    def load(cls, config_dir: Path) -> Rules:
        read = lambda name: pd.read_csv(config_dir / name, dtype=str, keep_default_na=False)  # noqa: E731
        rules, departments = read("responsibility_rules.csv"), read("departments.csv")
        unknown = {u for col in ("lead_unit", "co_units") for v in rules[col] for u in v.split("|") if u} \
            - set(departments.unit)
        if unknown:
            raise ValueError(f"responsibility_rules.csv：单位不在 departments.csv 中：{'、'.join(sorted(unknown))}")
        return cls(rules, departments)

    def named_unit(self, text: str, district_code: str) -> str:
        """A unit of the district that the text names as responsible ('区教育局牵头'), else ''."""
        units = self.departments[self.departments.district_code == district_code]
        for row in units.itertuples():
            names = [row.full_name, row.unit, *[a for a in row.aliases.split("|") if a]]
            for name in sorted(names, key=len, reverse=True):
                if re.search(rf"(?:由)?区?{re.escape(name)}(?:牵头|负责|主责)", text):
                    return row.unit
        return ""

    def match(self, item_type: str, canonical: str, text: str) -> pd.Series | None:
        """The first rule for this item: a catalogue-key rule, else the first keyword rule that fits."""
        applicable = self.rules[self.rules.item_types.isin(["*", item_type])]
        if canonical:
            hit = applicable[(applicable.match == "canonical")
                             & applicable.pattern.map(lambda p: canonical in p.split("|"))]
            if len(hit):
                return hit.iloc[0]
        for rule in applicable[applicable.match == "keyword"].itertuples():
            if re.search(rule.pattern, text):
                return pd.Series(rule._asdict())
        return None


def assign(items: pd.DataFrame, item_type: str, rules: Rules, places: pd.DataFrame) -> pd.DataFrame:
    """Responsibility rows for items with columns item_id, district_code, canonical, text, context (the
    titles of the sections the item stands in, nearest first: used when the item's own words fit no rule)."""
    rows = []
    for item in items.itertuples():
        gazetteer = Gazetteer.of(places, item.district_code)
        area = "|".join(gazetteer.find(item.text))
        explicit = rules.named_unit(item.text, item.district_code)
        rule = rules.match(item_type, item.canonical, item.text)
        if rule is None:
            rule = rules.match(item_type, "", item.context)
        if explicit:
            co = rule.co_units if rule is not None else ""
            rows.append((item_type, item.item_id, item.district_code, explicit,
                         "|".join(u for u in co.split("|") if u and u != explicit), area, "explicit"))
        elif rule is not None:
            rows.append((item_type, item.item_id, item.district_code, rule.lead_unit, rule.co_units, area,
                         rule.rule_id))
        else:
            rows.append((item_type, item.item_id, item.district_code, "", "", area, UNASSIGNED))
    return pd.DataFrame(rows, columns=RESPONSIBILITY_COLUMNS)


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
               rules: Rules, places: pd.DataFrame) -> pd.DataFrame:
    """Responsibilities for every indicator, project and task."""
    context = section_context(sections)

    def frame(ids, districts, canonical, text, section_ids) -> pd.DataFrame:
        return pd.DataFrame({"item_id": ids, "district_code": districts, "canonical": canonical, "text": text,
                             "context": [context.get(s, "") for s in section_ids]})

    ind = frame(indicators.indicator_id, indicators.district_code, indicators.canonical,
                indicators.category.astype(str) + " " + indicators.name + " " + indicators.quote,
                indicators.section_id)
    prj = frame(projects.project_id, projects.district_code, "",
                projects.column_title.astype(str) + " " + projects.name + " " + projects.quote, projects.section_id)
    tsk = frame(tasks.task_id, tasks.district_code, "", tasks.title + " " + tasks.text, tasks.section_id)
    return pd.concat([assign(ind, "indicator", rules, places), assign(prj, "project", rules, places),
                      assign(tsk, "task", rules, places)], ignore_index=True)
