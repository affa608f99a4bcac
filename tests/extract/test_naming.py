"""A target whose name is only a verb, a generic word or a place names no indicator: it stays in the tables with
its reason and reaches no form, no monitoring item and no evaluation."""
from __future__ import annotations

import openpyxl
import pandas as pd

from pipeline.evaluate.context import evaluate_plan
from pipeline.evaluate.progress import PeriodBands
from pipeline.extract.naming import NO_NOUN, PLACE
from pipeline.monitor.items import unit_items
from pipeline.render.entry_forms import build_entry_forms
from pipeline.schema import columns
from pipeline.units import Units
from tests.conftest import CONFIG, tables_of
from tests.render import styles


def _issues(seeds, doc_id):
    ind = seeds.indicators[seeds.indicators.doc_id == doc_id]
    return dict(zip(ind.name, ind.name_issue, strict=True))


def test_verbs_generic_words_and_places_are_no_names(seeds):
    """Names the prose rule took from the words around a figure that name nothing ('引进3-5个投资超20亿元', where the
    words after the count are no name either; '公正街道13平方公里', '巨源镇2.5万人'): each carries why."""
    shuangcheng = _issues(seeds, "230113-fyp-2021")
    assert shuangcheng["投资"] == NO_NOUN
    assert shuangcheng["公正街道"] == PLACE
    assert _issues(seeds, "230104-fyp-2021")["巨源镇"] == PLACE == _issues(seeds, "230104-fyp-2021")["阿什河沿岸"]
    assert _issues(seeds, "230102-ap-2023")["街道整合"] == NO_NOUN  # '拟将东部城区4个街道整合为2个街道'


def test_every_table_row_and_catalogue_indicator_keeps_its_name(seeds):
    ind = seeds.indicators
    assert (ind[ind.source == "table"].name_issue == "").all()
    assert (ind[ind.canonical != ""].name_issue == "").all()
    kept = set(ind[ind.name_issue == ""].name)
    assert {"新建66千伏变电站", "工业总产值", "孵化器", "人口", "建成区面积", "固定资产投资"} <= kept


def test_no_form_monitoring_item_or_evaluation_carries_a_target_without_a_name(seeds, tmp_path):
    improper = seeds.indicators[seeds.indicators.name_issue != ""]
    tables = tables_of(seeds)
    items = unit_items(tables, "2025-12")
    assert not items.item_id.isin(improper.indicator_id).any()
    asked = set()
    for path in build_entry_forms(tmp_path, "2025-12", "230113", "双城区", seeds.indicators, seeds.projects,
                                  seeds.responsibilities, styles(), "v", Units.load(CONFIG / "units.yaml")):
        ws = openpyxl.load_workbook(path)["月度填报"]
        asked |= {ws.cell(row, 3).value for row in range(5, ws.max_row + 1)}
    assert asked and not asked & {"投资", "公正街道", "巨源镇", "阿什河沿岸"}
    no_store = pd.DataFrame(columns=columns("observations"))
    _, evaluations, _, left_out = evaluate_plan({**tables, "adjustments": None}, no_store,
                                                "230113", 2023, "midterm", PeriodBands.load(CONFIG / "status.yaml"))
    assert not evaluations.indicator_id.isin(improper.indicator_id).any()
    reasons = {x["quote"]: x["reason"] for x in left_out}
    assert {NO_NOUN, PLACE} <= set(reasons.values())



def test_a_name_that_is_only_the_base_of_a_share_names_nothing(seeds):
    """004: '…适度规模经营面积…占农户家庭承包经营面积的…': the words after 占 say what it is a share of, not what is
    measured; the figure stays in the tables with that reason and goes out to nobody."""
    ind = seeds.indicators[seeds.indicators.name == "占农户家庭承包经营面积的"]
    assert len(ind) == 1
    assert ind.name_issue.iloc[0].startswith("名称只是比例的分母") and ind.review.iloc[0] == "pending"
