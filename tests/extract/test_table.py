"""Seed 004's 主要指标表 cell by cell, the same table from .docx and .html, and 000's missing table."""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline.plan.documents import load_manifest
from pipeline.plan.run import extract_documents
from tests.conftest import GOLD, corpus_rows
from tests.text.formats import seed_lines, write_docx, write_html

COLUMNS = ["item_no", "category", "name", "unit", "sub_item", "baseline_text", "target_text", "growth_text",
           "attribute", "cumulative", "kind"]


def _table_rows(indicators: pd.DataFrame, doc_id: str) -> pd.DataFrame:
    rows = indicators[(indicators.doc_id == doc_id) & (indicators.source == "table")]
    return rows[COLUMNS].astype(str).reset_index(drop=True)


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    gold = pd.read_csv(GOLD / "indicator_table_004.csv", dtype=str, keep_default_na=False)
    return gold.rename(columns={"baseline_value": "baseline_text"})[COLUMNS]


def test_004_table_rows_are_read_cell_by_cell_as_printed(seeds, expected):
    found = _table_rows(seeds.statements, "230113-fyp-2021")
    assert len(found) == 22 and found.item_no.nunique() == 21
    pd.testing.assert_frame_equal(found, expected)


def test_004_table_values_years_and_qualifiers(seeds):
    rows = seeds.statements[(seeds.statements.source == "table")].set_index(["item_no", "sub_item"])
    gdp = rows.loc[("1", "")]
    assert (gdp.baseline_year, gdp.baseline_value, gdp.target_year, gdp.target_value, gdp.qualifier) == \
        (2020, 0.2, 2025, 5.0, "以上")
    assert gdp.canonical == "gdp_growth"
    assert gdp.quote == "经济发展 (6 个)\t1. 地区生产总值增长率 (%)\t\t0.2\t\t5 以上\t预期性"
    grain = rows.loc[("20", "")]
    assert (grain.target_value, grain.growth_text, grain.growth_value, grain.attribute) == (43.0, "1.5%", 1.5, "约束性")
    trade = rows.loc[("8", "")]
    assert (trade.target_value, trade.cumulative, trade.kind) == (150.0, 1, "cumulative")
    assert pd.isna(rows.loc[("11", ""), "baseline_value"]) and pd.isna(rows.loc[("15", ""), "target_value"])


def test_gaps_in_the_table_are_findings_not_inventions(seeds):
    f = seeds.findings[seeds.findings.doc_id == "230113-fyp-2021"]
    details = " ".join(f.detail)
    assert "指标 3“规模以上工业增加值增长率”的属性为空" in details
    assert "指标 9“人均可支配收入增长率”（农村）的目标值为空" in details
    assert "指标 11“每千人口拥有执业 (助理) 医师数”的基期值为空" in details
    assert f[f.kind == "table_note"].quote.tolist() == ["注：带 [ ] 为累计数据。"]
    assert not (f.kind == "category_count_mismatch").any()


def test_000_announces_a_table_that_is_missing_and_keeps_its_note(seeds):
    f = seeds.findings[seeds.findings.doc_id == "230104-fyp-2021"].set_index("kind")
    assert f.loc["missing_table", "quote"] == "“十四五”时期经济社会发展主要指标"
    assert f.loc["missing_table", "line"] == 217
    note = "注:带[ ]为累计数据;带*为截至2019年数据;带**数据具体数值根据市政府确定数值调整。"
    assert f.loc["table_note", "quote"] == note
    assert not ((seeds.statements.doc_id == "230104-fyp-2021") & (seeds.statements.source == "table")).any()


@pytest.mark.parametrize("writer", [write_docx, write_html], ids=["docx", "html"])
def test_the_same_table_in_docx_and_html_gives_the_same_rows(tmp_path, config, expected, writer):
    lines = seed_lines("004", 1, 5) + [""] + seed_lines("004", 331, 370)
    path = writer(lines, tmp_path / f"004-table.{writer.__name__.removeprefix('write_')}")
    result = extract_documents([path], load_manifest(None), config)
    doc_id = result.documents.doc_id.iloc[0]
    pd.testing.assert_frame_equal(_table_rows(result.statements, doc_id), expected)


def test_a_table_heading_that_ends_the_document_is_a_missing_table(config):
    from pipeline.extract.table import extract_table_indicators
    from pipeline.text.normalise import normalise
    from pipeline.text.outline import outline, section_finder

    # 000 line 217, with the document cut off after it
    lines = ["二、“十四五”时期经济社会发展主要目标", "“十四五”时期经济社会发展主要指标"]
    doc = normalise(lines, config.text_rules)
    rows, _, findings = extract_table_indicators(doc, {"doc_id": "230104-fyp-2021", "period_end": "2025"},
                                              section_finder(outline(doc, "230104-fyp-2021")), config.extract_rules)
    assert rows == [] and [(f["kind"], f["line"]) for f in findings] == [("missing_table", 2)]


def test_a_table_printed_with_full_width_digits_gives_the_same_values(tmp_path, config, expected):
    # 004's table as a typesetter may print it: ２０２０年, ２３９.８, ％ (full-width forms)
    wide = str.maketrans({**{chr(c): chr(c + 0xFEE0) for c in range(ord("0"), ord("9") + 1)}, "%": "％"})
    lines = seed_lines("004", 1, 5) + [""] + [line.translate(wide) for line in seed_lines("004", 331, 370)]
    path = tmp_path / "004-wide.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = extract_documents([path], load_manifest(None), config)
    doc_id = result.documents.doc_id.iloc[0]
    found = result.statements[(result.statements.doc_id == doc_id) & (result.statements.source == "table")]
    seed = pd.read_csv(GOLD / "indicator_table_004.csv", dtype=str, keep_default_na=False)
    assert len(found) == len(seed) == 22
    assert list(found.kind) == list(expected.kind)  # the unit read as % again: shares stay shares
    assert list(found.target_text) == [t.translate(wide) for t in expected.target_text]  # as printed


def test_a_review_table_gives_actuals_and_baselines_not_targets(corpus):
    # 弋江区 纲要: '指 标 | 2015年 完成 | 2020年 完成 | “十三五”年均增长(%) | 指标属性 |'
    source = "2021_弋江区_十四五规划纲要_节选.txt"
    reported = corpus_rows(corpus, "achievements", source)
    gdp = reported[reported.line == 5]
    assert sorted(zip(gdp.role, gdp.value, gdp.unit, gdp.year.astype(str), strict=True)) == [
        ("actual", 9.3, "%", "2020"), ("actual", 469.5, "亿元", "2020"), ("baseline", 300.41, "亿元", "2015")]
    assert corpus_rows(corpus, "statements", source).query("source == 'table'").empty


def test_bounds_in_a_target_table_are_read_with_their_sign(corpus):
    # 旺苍县 林业 专栏一: '3 | 森林蓄积量 | 万立方米 | ≥1606 | ≥1710 | 约束性 |'
    targets = corpus_rows(corpus, "statements", "2021_旺苍县_林业发展十四五规划_解读节选.txt")
    row = targets[targets.line == 16].iloc[0]
    assert (row.baseline_value, row.target_value, row.qualifier, row.target_year) == (1606.0, 1710.0, "≥", 2025)
