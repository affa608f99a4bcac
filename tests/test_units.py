"""The units file (inputs/config/units.yaml): every factor has its source, conversions go both ways and chain,
and a broken entry is named."""
from __future__ import annotations

import pytest

from pipeline.units import Units
from tests.conftest import CONFIG


@pytest.fixture(scope="module")
def units() -> Units:
    return Units.load(CONFIG / "units.yaml")


def test_every_conversion_says_where_its_factor_comes_from(units):
    assert units.conversions and all(c.source and c.equals > 0 for c in units.conversions)


@pytest.mark.parametrize("source, target, factor", [
    ("万亩", "万公顷", 1 / 15), ("万公顷", "万亩", 15), ("亩", "万公顷", 1 / 150000),  # 1 公顷 = 15 亩
    ("万元", "亿元", 1 / 10000), ("亿元", "万元", 10000), ("万吨", "亿斤", 0.2),  # 1 吨 = 2000 斤
    ("人", "万人", 1 / 10000)])
def test_factors_both_ways_and_chained(units, source, target, factor):
    assert units.factor(source, target).factor == pytest.approx(factor)


def test_a_conversion_limited_to_some_indicators_applies_only_to_them(units):
    assert units.factor("家", "户", "hi_tech_enterprises").factor == 1
    assert units.factor("家", "户", "") is None  # 户 also counts households
    assert units.factor("倍", "亿元", "gdp") is None and units.factor("个百分点", "%") is None


def test_counts_are_whole_numbers_amounts_and_ratios_are_not(units):
    assert all(units.is_whole_number(u, "", 3.0) for u in ("个", "户", "人", "家", "项", "座", "条"))
    assert not units.is_whole_number("万人", "城镇新增就业人数", 0.8)  # an amount in ten-thousands
    assert not units.is_whole_number("亿元", "地区生产总值", 300.0)
    assert not units.is_whole_number("张", "每千常住人口医疗卫生机构床位", 10.0)  # a ratio per head


def test_an_entry_without_its_source_is_named(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text("conversions:\n  - {unit: 万公顷, equals: 15, of: 万亩}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="conversions 第 1 项：缺少 source"):
        Units.load(path)
    path.write_text("conversions:\n  - {unit: 亿元, equals: 0, of: 万元, source: x}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="equals 应为正数"):
        Units.load(path)
