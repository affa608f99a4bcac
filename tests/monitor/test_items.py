"""What a month's forms ask: each indicator of a district once, even when two plans in force state it."""
from __future__ import annotations

import pytest

from pipeline.monitor.items import unit_items
from tests.conftest import tables_of


@pytest.mark.parametrize("period", ["2020-12", "2023-03", "2023-12", "2025-06", "2025-12"])
def test_no_month_asks_an_indicator_twice(seeds, period):
    tables = tables_of(seeds)
    asked = unit_items(tables, period)
    asked = asked[asked.item_type == "indicator"]
    keys = asked.item_id.map(tables["indicators"].set_index("indicator_id").indicator_key)
    assert len(asked) and not keys.isna().any()
    assert not asked.assign(key=keys).duplicated(["district_code", "key"]).any()


def test_two_plans_in_force_ask_an_indicator_once_from_the_years_plan(seeds):
    """平房区 in 2020: the 十三五 review (2016–2020, 城镇登记失业率控制在3%以内) and the 2020 work report (2.8%以内)
    are both in force; the December forms ask 城镇登记失业率 once, with the work report's target for the year."""
    tables = tables_of(seeds)
    items = unit_items(tables, "2020-12")
    ind = tables["indicators"].set_index("indicator_id")
    asked = items[items.item_type == "indicator"]
    keys = [(d, ind.at[i, "indicator_key"]) for d, i in zip(asked.district_code, asked.item_id, strict=True)]
    assert len(keys) == len(set(keys))
    rate = asked[asked.item_id.map(ind.indicator_key) == "registered_unemployment_rate"]
    assert len(rate) == 1 and ind.at[rate.item_id.iloc[0], "doc_id"] == "230108-wr-2020"
    assert rate.target_text.iloc[0] == "2.8%以内"
