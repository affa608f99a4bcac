"""One indicator, one identity: a plan's table row and the prose restating it are one indicator with its behaviour."""
from __future__ import annotations

import pytest

from pipeline.extract.accuracy import key_scores
from pipeline.extract.identity import MeasureRules
from pipeline.tables import read_csv_text
from tests.conftest import CONFIG, GOLD


def test_each_key_is_one_indicator_of_its_plan_and_every_statement_is_kept(seeds):
    ind, stated = seeds.indicators, seeds.statements
    assert not ind.duplicated(["doc_id", "indicator_key"]).any()
    assert set(stated.indicator_id) == set(ind.indicator_id)  # every statement states an indicator of its plan
    assert ind.statements.sum() == len(stated) and len(ind) < len(stated)


def test_the_table_row_wins_and_the_prose_restating_it_supports_it(seeds):
    fyp = seeds.indicators[seeds.indicators.doc_id == "230113-fyp-2021"].set_index("indicator_key")
    gdp = fyp.loc["gdp_growth"]
    assert (gdp.source, gdp.target_value, gdp.statements) == ("table", 5.0, 2)
    support = seeds.statements[seeds.statements.indicator_id == gdp.indicator_id]  # '地区生产总值年均增长5%以上'
    assert sorted(support.source) == ["prose", "table"] and "年均增长5%" in support.quote.iloc[-1]
    assert support.loc[support.source == "table", "statement_id"].item() == gdp.indicator_id


def test_behaviour_comes_from_the_catalogue_or_is_inferred_and_marked(seeds):
    fyp = seeds.indicators[seeds.indicators.doc_id == "230113-fyp-2021"].set_index("indicator_key")
    assert tuple(fyp.loc["arable_land", ["measure_type", "frequency", "measure_source"]]) == (
        "stock", "annual", "catalogue")
    assert tuple(fyp.loc["gdp_growth", ["measure_type", "frequency"]]) == ("growth", "quarterly")
    firms = fyp.loc["230113:规模以上食品企业:户"]  # not in the catalogue: a number at a date, to be confirmed
    assert (firms.measure_type, firms.frequency, firms.measure_source) == ("stock", "annual", "inferred")
    income = fyp.loc["230113:主营收入:亿元"]  # an amount of the year
    assert (income.measure_type, income.frequency, income.measure_source) == ("flow", "monthly", "inferred")
    cumulative = fyp[fyp.cumulative.astype(str) == "1"]
    assert len(cumulative) and set(cumulative.measure_type) == {"cumulative"}


def test_a_nameless_target_is_never_merged_with_another(seeds):
    nameless = seeds.statements[seeds.statements.name.str.strip() == ""]
    assert len(nameless) and nameless.indicator_key.is_unique
    assert set(nameless.indicator_id) == set(nameless.statement_id)


def test_measures_yaml_without_a_default_for_every_type_is_refused(tmp_path):
    text = (CONFIG / "measures.yaml").read_text(encoding="utf-8").replace("growth: quarterly, ", "")
    (tmp_path / "measures.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="defaults.frequency"):
        MeasureRules.load(tmp_path / "measures.yaml")


def test_catalogue_keys_agree_with_the_hand_checked_ones(seeds):
    # tests/gold/indicator_keys.csv: every target statement of the seeds keyed by hand from its quote
    score = key_scores(seeds.statements, read_csv_text(GOLD / "indicator_keys.csv")).iloc[0]
    assert score.unchecked == 0 and score.checked == len(seeds.statements)
    assert score.precision >= 0.95 and score.recall >= 0.9


def test_measures_yaml_with_a_default_that_is_no_table_is_refused(tmp_path):
    text = (CONFIG / "measures.yaml").read_text(encoding="utf-8")
    start = text.index("  frequency: {")
    text = text[:start] + "  frequency: monthly\n" + text[text.index("\n", start) + 1:]
    (tmp_path / "measures.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="defaults.frequency 应为"):
        MeasureRules.load(tmp_path / "measures.yaml")
