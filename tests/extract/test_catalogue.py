"""The indicator catalogue as read from inputs/config/indicators.csv: a broken row is refused, naming it."""
from __future__ import annotations

import pytest

from pipeline.extract.catalogue import Catalogue
from pipeline.tables import read_csv_text
from tests.conftest import CONFIG


def _catalogue():
    return read_csv_text(CONFIG / "indicators.csv")


def test_the_bundled_catalogue_rolls_rates_up_from_keys_it_has():
    frame = _catalogue()
    ratios = frame[frame.aggregation == "ratio"]
    assert len(ratios) and set(ratios.numerator) | set(ratios.denominator) <= set(frame.key)
    assert Catalogue.of(frame).held_in("年末常住人口城镇化率")  # the bundled file loads


@pytest.mark.parametrize("column, value, named", [
    ("numerator", "urban_population_typo", "numerator“urban_population_typo”不是目录中的指标"),
    ("ratio_factor", "百", "ratio_factor“百”不是数字"),
])
def test_a_ratio_row_with_an_unknown_part_or_factor_is_refused(column, value, named):
    frame = _catalogue()
    row = frame.index[frame.aggregation == "ratio"][0]
    frame.loc[row, column] = value
    with pytest.raises(ValueError, match=f"indicators.csv.*{frame.key[row]} 的 {named}"):
        Catalogue.of(frame)


def test_a_one_character_synonym_is_refused():
    frame = _catalogue()
    frame.loc[0, "synonyms"] += "|值"
    with pytest.raises(ValueError, match=f"同义词至少两个字：{frame.key[0]}（值）"):
        Catalogue.of(frame)
