"""Every item has a lead unit from departments.csv, or sits in the 未分配 list."""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline.extract.places import Gazetteer
from pipeline.plan.responsibility import UNASSIGNED, Rules, assign
from tests.conftest import CONFIG


def test_every_item_is_assigned_or_listed_as_unassigned(seeds, config):
    r = seeds.responsibilities
    items = {("indicator", i) for i in seeds.indicators.indicator_id} | {
        ("project", i) for i in seeds.projects.project_id} | {("task", i) for i in seeds.tasks.task_id}
    assert set(zip(r.item_type, r.item_id, strict=True)) == items and len(r) == len(items)
    assigned = r[r.rule_id != UNASSIGNED]
    assert (assigned.lead_unit != "").all() and (r[r.rule_id == UNASSIGNED].lead_unit == "").all()
    known = set(config.responsibility.departments.unit)
    used = set(r.lead_unit[r.lead_unit != ""]) | {u for v in r.co_units for u in v.split("|") if u}
    assert used <= known


def test_catalogue_rules_and_keywords_assign_the_expected_units(seeds):
    r = seeds.responsibilities.set_index("item_id")
    ind = seeds.indicators.set_index("indicator_id")
    grain = ind[(ind.source == "table") & (ind.canonical == "grain_capacity")].index[0]
    assert (r.loc[grain, "lead_unit"], r.loc[grain, "rule_id"]) == ("农业农村局", "C09")
    schools = seeds.projects[seeds.projects.count_stated == 7].project_id
    assert set(r.loc[schools, "lead_unit"]) == {"教育局"}


def test_a_unit_named_in_the_text_wins_and_the_area_comes_from_places(config):
    items = pd.DataFrame({"item_id": ["x"], "district_code": ["230113"], "canonical": ["grain_capacity"],
                          "text": ["由区水务局牵头，推进承旭街道汉阳食用菌加工基地建设"], "context": [""]})
    row = assign(items, "project", config.responsibility, Gazetteer.of(config.places, "230113")).iloc[0]
    assert (row.lead_unit, row.rule_id, row.area) == ("水务局", "explicit", "承旭街道")


def test_rules_naming_a_unit_outside_departments_are_refused(tmp_path):
    for name in ("departments.csv", "responsibility_rules.csv"):
        (tmp_path / name).write_text((CONFIG / name).read_text(encoding="utf-8"), encoding="utf-8")
    with open(tmp_path / "responsibility_rules.csv", "a", encoding="utf-8") as f:
        f.write("K99,keyword,粮食,*,粮食局,\n")
    with pytest.raises(ValueError, match="粮食局"):
        Rules.load(tmp_path)
