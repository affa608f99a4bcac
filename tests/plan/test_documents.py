"""Document metadata: the manifest, and what is inferred for documents it does not list."""
from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.plan.documents import load_manifest
from pipeline.plan.run import extract_documents, plan_files
from tests.conftest import CORPUS, PLANS, ROOT, corpus_rows

SHARED_SEEDS = PLANS.parents[2] / "shared" / "seeds"


def test_manifest_rows_become_documents_with_the_hash_of_the_raw_bytes(seeds):
    docs = seeds.documents.set_index("doc_id")
    assert list(docs.index) == ["230104-fyp-2021", "230102-ap-2023", "230108-wr-2020", "230108-rv-2016",
                                "230113-fyp-2021"]
    for row in docs.itertuples():
        assert row.sha256 == hashlib.sha256((PLANS / row.source_file).read_bytes()).hexdigest()
        assert row.metadata_source == "manifest"
    assert docs.loc["230113-fyp-2021", ["district_code", "doc_type", "period_start", "period_end"]].tolist() \
        == ["230113", "five_year_plan", "2021", "2025"]


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_seed_documents_are_byte_identical_to_the_originals():
    for original in sorted(SHARED_SEEDS.glob("*.txt")):
        assert (PLANS / original.name).read_bytes() == original.read_bytes(), original.name


def test_unlisted_documents_are_inferred_from_title_and_text(config, caplog):
    empty = pd.DataFrame(columns=load_manifest(None).columns)
    with caplog.at_level(logging.INFO):
        result = extract_documents(plan_files(PLANS), empty, config)
    docs = result.documents.set_index("source_file")
    inferred = docs[["doc_id", "district_code", "doc_type", "period_start", "period_end", "published"]]
    assert inferred.loc["004_f77e359f427d9ef6.txt"].tolist() == ["230113-fyp-2021", "230113", "five_year_plan",
                                                                  "2021", "2025", "2021-06"]
    assert inferred.loc["002_5ab75828c8187271.txt"].tolist() == ["230108-wr-2020", "230108", "work_report",
                                                                  "2020", "2020", "2020-01-17"]
    assert inferred.loc["001_b39c97ba8610aaf9.txt"].tolist() == ["230102-ap-2023", "230102", "annual_plan",
                                                                  "2023", "2023", ""]
    assert docs.loc["004_f77e359f427d9ef6.txt", "title"] == \
        "哈尔滨市双城区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"
    assert set(docs.metadata_source) == {"inferred"}
    said = [r.getMessage() for r in caplog.records if "已推断" in r.getMessage()]
    assert len(said) == 5 and any("区：双城区（标题含“双城区”）" in m for m in said)


def test_a_document_added_beside_the_listed_ones_is_inferred_and_the_listed_keep_their_rows(tmp_path, config):
    for path in plan_files(PLANS):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "双城区十四五规划-副本.txt").write_bytes((PLANS / "004_f77e359f427d9ef6.txt").read_bytes())
    result = extract_documents(plan_files(tmp_path), load_manifest(PLANS / "documents.csv"), config)
    copy = result.documents[result.documents.source_file == "双城区十四五规划-副本.txt"].iloc[0]
    assert copy.metadata_source == "inferred"
    assert copy.doc_id == "230113-fyp-2021-" + copy.sha256[:6]  # the listed 004 keeps the plain id
    assert (result.documents.metadata_source == "manifest").sum() == 5


@pytest.mark.parametrize("text, problem", [
    ("doc_id,district_code\n", "缺少列"),
    ("doc_id,district_code,district,doc_type,title,period_start,period_end,published,source_file\n"
     "a,230102,道里区,annual_plan,t,2023,2023,,x.txt\na,230102,道里区,annual_plan,t,2023,2023,,y.txt\n", "doc_id 重复"),
])
def test_a_broken_manifest_is_refused_with_the_reason(tmp_path, text, problem):
    path = tmp_path / "documents.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=f"^documents.csv：{problem}"):
        load_manifest(Path(path))


def test_a_statistical_bulletin_yields_actuals_of_its_year_and_no_targets(config, caplog):
    """A district's 统计公报 (a cut of a real one, tests/corpus/README.md): genre, district and year from its
    title, every figure an actual of 2023 — none a target."""
    bulletin = ROOT / "tests" / "corpus" / "2023_松北区_统计公报_节选.txt"
    with caplog.at_level(logging.INFO):
        result = extract_documents([bulletin], pd.DataFrame(columns=load_manifest(None).columns), config)
    doc = result.documents.iloc[0]
    assert (doc.doc_type, doc.district_code, doc.period_start, doc.doc_id, doc.published) == (
        "statistical_bulletin", "230109", "2023", "230109-sb-2023", "2024-07-06")
    assert doc.title == "2023年哈尔滨市松北区(哈尔滨新区江北一体发展区)国民经济和社会发展统计公报"  # not the bureau
    assert any("类型：statistical_bulletin（标题含“统计公报”）" in r.getMessage() for r in caplog.records)
    assert result.statements.empty
    actuals = result.achievements
    assert set(actuals.year.astype(str)) == {"2023"}
    found = set(zip(actuals.name, actuals.value, actuals.unit, strict=True))
    assert {("地区生产总值", 600.1, "亿元"), ("年末户籍人口", 36.6, "万人"), ("城镇人口", 23.2, "万人"),
            ("户籍人口城镇化率", 63.4, "%"), ("户籍人口城镇化率", 1.6, "个百分点"),
            ("城镇新增就业人数", 2598, "人"), ("年末登记失业人数", 1326, "人"),
            ("农林牧渔业总产值", 14.6, "亿元")} <= found
    assert {value for name, value, unit in found if unit == "亿元"} == {600.1, 8.2, 218.1, 373.8, 14.6}


def test_a_document_of_a_district_not_configured_is_kept_and_the_office_told_the_line_to_add(config, caplog):
    import dataclasses

    without = dataclasses.replace(config, districts=config.districts[config.districts.district != "松北区"])
    bulletin = ROOT / "tests" / "corpus" / "2023_松北区_统计公报_节选.txt"
    with caplog.at_level(logging.WARNING):
        result = extract_documents([bulletin], pd.DataFrame(columns=load_manifest(None).columns), without)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(m.startswith("2023_松北区_统计公报_节选.txt：所属的区不在 inputs/config/districts.csv 中")
               and m.endswith("请在该文件中加一行：230109,松北区,哈尔滨市,别名") for m in warned)
    assert result.documents.district_code.tolist() == [""] and len(result.achievements) > 10  # nothing dropped


# Metadata of real pages (the practice corpus; each expectation is in tests/corpus/documents_*.csv).

def _document(corpus, source_file: str) -> dict:
    return corpus.documents.set_index("source_file").loc[source_file].to_dict()


def test_a_web_page_gives_its_real_title_date_and_area_not_its_chrome(corpus):
    # 黎平县: '搜索' '导航' '统计公报' '当前位置:首页 > …' above the title, '文章来源:… 发布时间:2019-11-11' below
    doc = _document(corpus, "2018_黎平县_统计公报_网页节选.txt")
    assert (doc["title"], doc["doc_type"], doc["period_start"], doc["published"], doc["region"], doc["level"],
            doc["region_code"]) == ("黎平县2018年国民经济和社会发展统计公报", "statistical_bulletin", "2018",
                                    "2019-11-11", "黎平县", "区县", "522631")


def test_a_transmittal_notice_gives_the_title_of_the_document_it_transmits(corpus):
    doc = _document(corpus, "2025_平利县_国民经济和社会发展计划_节选.txt")
    assert (doc["title"], doc["doc_type"], doc["period_start"]) == (
        "平利县2025年国民经济和社会发展计划", "annual_plan", "2025")


def test_years_in_chinese_numerals_and_an_execution_report_dated_by_the_year_it_plans(corpus):
    assert _document(corpus, "2023_子洲县_统计公报_网页节选.txt")["period_start"] == "2023"  # 二〇二三年
    assert _document(corpus, "2022_东安县_计划执行情况报告_节选.txt")["period_start"] == "2023"  # …与2023年…草案


def test_a_text_in_traditional_characters_is_read_and_quoted_as_printed(corpus):
    doc = _document(corpus, "2021_澳門特別行政區_施政報告_施政工作回顧節選.txt")
    assert (doc["title"], doc["doc_type"], doc["region"], doc["level"]) == (
        "二○二一年財政年度施政報告", "work_report", "澳门特别行政区", "省")
    source = "2021_澳門特別行政區_施政報告_施政工作回顧節選.txt"
    figures = corpus_rows(corpus, "achievements", source)
    assert figures.quote.tolist() == ["相當於2019年本地生產總值的12%"]  # as printed; the unit read as 亿… is derived
    raw = (CORPUS / source).read_text(encoding="utf-8")
    assert all(q in raw for q in corpus_rows(corpus, "statements", source).quote)


def test_a_news_headline_reporting_a_work_report_is_news(corpus):
    assert _document(corpus, "2017_威海市_政府工作报告新闻_节选.txt")["doc_type"] == "news"


def test_a_document_type_file_missing_a_setting_is_refused_naming_it(tmp_path):
    import yaml

    from pipeline.plan.documents import DocTypeRules
    from tests.conftest import CONFIG
    settings = yaml.safe_load((CONFIG / "doc_types.yaml").read_text(encoding="utf-8"))
    del settings["short_name_followers"]
    (tmp_path / "doc_types.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="缺少设置 short_name_followers"):
        DocTypeRules.load(tmp_path / "doc_types.yaml")


def test_a_list_under_a_title_is_not_part_of_it_and_a_lead_in_is_no_title(config):
    """长宁区 2024 (tests/corpus/leads): '2024年长宁区政府为民办实事项目', then '1' and its items, each short and
    unpunctuated; 漾濞县 2023 names no county but in '州委…全会和县委…全会' (not 和县) and its 示范县 titles."""
    folder = CORPUS / "leads"
    result = extract_documents([folder / "2024_长宁区_为民办实事项目_节选.txt",
                                folder / "2023_漾濞县_政府工作报告_节选.txt"], load_manifest(None), config)
    docs = result.documents.set_index("source_file")
    assert docs.at["2024_长宁区_为民办实事项目_节选.txt", "title"] == "2024年长宁区政府为民办实事项目"
    assert docs.at["2024_长宁区_为民办实事项目_节选.txt", "region"] == "长宁区"
    assert docs.at["2023_漾濞县_政府工作报告_节选.txt", "region"] == ""
