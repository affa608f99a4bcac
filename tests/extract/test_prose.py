"""Targets and achievements in the prose of the seeds: the cases the office relies on, quoted exactly."""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline.extract.prose import find_mentions
from tests.conftest import corpus_rows


def _one(frame: pd.DataFrame, doc_id: str, quote_part: str, value: float) -> pd.Series:
    rows = frame[(frame.doc_id == doc_id) & frame.quote.str.contains(quote_part, regex=False)]
    rows = rows[rows.iloc[:, list(frame.columns).index("target_value" if "target_value" in frame else "value")]
                == value]
    assert len(rows) == 1, (quote_part, value, rows)
    return rows.iloc[0]


def test_annual_expected_targets_of_001_several_in_one_sentence(seeds):
    t = seeds.statements[(seeds.statements.doc_id == "230102-ap-2023") & (seeds.statements.line == 7)]
    values = [None if pd.isna(v) else v for v in t.target_value]
    got = list(zip(t.name, values, t.unit, t.qualifier, t.kind, t.canonical, t.target_year, strict=True))
    assert got == [
        ("地区生产总值", 6.0, "%", "左右", "growth", "gdp_growth", 2023),
        ("公共财政预算收入", 23.9, "亿元", "计划", "level", "general_budget_revenue", 2023),
        ("规模以上工业增加值", 6.5, "%", "左右", "growth", "industrial_value_added_growth", 2023),
        ("固定资产投资", 8.5, "%", "", "growth", "fixed_asset_investment_growth", 2023),
        ("社会消费品零售总额", 7.0, "%", "", "growth", "retail_sales_growth", 2023),
        ("城乡居民人均可支配收入", None, "", "同步", "text", "disposable_income_growth", 2023),
    ]


@pytest.mark.parametrize("doc_id, quote, value, unit, qualifier, kind", [
    ("230102-ap-2023", "力争全年新增规上工业企业10户以上", 10.0, "户", "力争|新增|以上", "count"),
    ("230102-ap-2023", "计划实施总建筑面积280万平方米", 280.0, "万平方米", "计划", "level"),
    ("230104-fyp-2021", "集中打造3-5个", 3.0, "个", "范围3-5", "count"),
    ("230113-fyp-2021", "重点打造十个", 10.0, "个", "", "count"),
    ("230113-fyp-2021", "规模以上工业增加值年均增长5%以上", 5.0, "%", "以上", "growth"),
    ("230113-fyp-2021", "全区累计新增生态高标准农田50万亩以上", 50.0, "万亩", "累计|新增|以上", "cumulative"),
])
def test_prose_targets(seeds, doc_id, quote, value, unit, qualifier, kind):
    row = _one(seeds.statements, doc_id, quote, value)
    assert (row.source, row.unit, row.qualifier, row.kind) == ("prose", unit, qualifier, kind)


@pytest.mark.parametrize("doc_id, quote, value, unit, qualifier, year, canonical", [
    ("230108-wr-2020", "完成一般公共预算收入18.1亿元", 18.1, "亿元", "", 2019, "general_budget_revenue"),
    ("230108-wr-2020", "预计地区生产总值同比增长7%以上", 7.0, "%", "预计|以上", 2019, "gdp_growth"),
    ("230113-fyp-2021", "实现地区生产总值239.8亿元", 239.8, "亿元", "", 2020, "gdp"),
    ("230104-fyp-2021", "地区生产总值由336.2亿元预计增加到416.7亿元", 416.7, "亿元", "预计|增加到", 2020, "gdp"),
])
def test_achievements(seeds, doc_id, quote, value, unit, qualifier, year, canonical):
    row = _one(seeds.achievements, doc_id, quote, value)
    assert (row.unit, row.qualifier, row.year, row.canonical) == (unit, qualifier, year, canonical)


def test_starting_figures_are_baselines_and_thresholds_and_names_are_not_quantities(seeds):
    a = seeds.achievements[seeds.achievements.doc_id == "230104-fyp-2021"]
    start = a[a.value == 336.2]  # '由336.2亿元预计增加到416.7亿元': where the change started
    assert start.role.tolist() == ["baseline"] and start.name.tolist() == ["地区生产总值"]
    assert a[a.value == 416.7].role.tolist() == ["estimate"]  # 预计
    t = seeds.statements[seeds.statements.doc_id == "230104-fyp-2021"]
    assert not t.target_text.str.startswith(("5岁", "35蒸吨")).any()  # '5岁以下儿童' says who is meant
    assert t[t.quote.str.contains("控制在18/10万", regex=False)].unit.tolist() == ["/10万", "‰"]
    wr = seeds.achievements[seeds.achievements.doc_id == "230108-wr-2020"]
    assert not wr.quote.str.contains("“433”").any()


def test_every_quote_is_cut_from_its_source_and_every_line_holds_it(seeds):
    for frame in (seeds.statements, seeds.achievements):
        for row in frame.itertuples():
            raw = seeds.raw[row.doc_id]
            assert row.quote in raw.text, row.quote
            first = raw.lines[row.line - 1].strip()  # a blank line would be "in" any quote: it must hold text
            assert first and (first in row.quote or any(part.strip() and part.strip() in first
                                                        for part in row.quote.split("\n"))), \
                (row.doc_id, row.line, row.quote)


def test_common_indicators_get_their_catalogue_key_in_every_document(seeds):
    rows = pd.concat([seeds.statements.assign(v=seeds.statements.target_value),
                      seeds.achievements.assign(v=seeds.achievements.value)])
    gdp_growth = rows[rows.name_norm.isin(["地区生产总值", "地区生产总值增长率"]) & (rows.kind == "growth")]
    assert set(gdp_growth.doc_id) >= {"230102-ap-2023", "230108-wr-2020", "230113-fyp-2021", "230104-fyp-2021"}
    assert set(gdp_growth.canonical) == {"gdp_growth"}
    revenue = rows[rows.name_norm.str.contains("一般公共预算收入|公共财政预算收入", regex=True)]
    assert set(revenue.doc_id) >= {"230102-ap-2023", "230108-wr-2020", "230113-fyp-2021", "230104-fyp-2021"}
    assert revenue.canonical.str.startswith("general_budget_revenue").all()


def test_a_denominator_or_a_change_in_points_is_not_taken_for_the_catalogue_indicator(seeds):
    """004: '每万常住人口全科医生 2.5 人' is not 常住人口 (万人); '全社会物流总费用占GDP比重…下降1个百分点' is not
    地区生产总值 (亿元); 004's own GDP and population rows keep their keys."""
    t = seeds.statements[seeds.statements.doc_id == "230113-fyp-2021"]
    doctors = t[t.quote.str.contains("每万常住人口全科医生", regex=False)]
    logistics = t[t.quote.str.contains("全社会物流总费用占GDP比重", regex=False)]
    assert len(doctors) == len(logistics) == 1 and logistics.unit.iloc[0] == "个百分点"
    assert (doctors.canonical.iloc[0], logistics.canonical.iloc[0]) == ("", "")
    assert "gdp_growth" in set(t.canonical) and "urban_new_jobs" in set(t.canonical)


def test_mentions_in_a_sentence_from_seed_002(config):
    sentence = "预计地区生产总值同比增长7%以上,规上工业增加值同比增长10%以上,固定资产投资同比增长10%以上。"
    from pipeline.text.normalise import normalise_line
    found = find_mentions(normalise_line(sentence)[0], config.extract_rules)
    assert [(m.value, m.unit, m.qualifier, m.verb) for m in found] == [
        (7.0, "%", "预计|以上", "增长"), (10.0, "%", "以上", "增长"), (10.0, "%", "以上", "增长")]


def test_a_number_with_thousands_separators_is_read_whole(config):
    # 001 line 7 as an office might print it with separators ("实现地区生产总值239.8亿元" → "1,239.8亿元")
    from pipeline.text.normalise import normalise_line

    text = normalise_line("实现地区生产总值1,239.8亿元，新增就业12,500人")[0]
    found = [(m.value, m.unit, text[m.start:m.end]) for m in find_mentions(text, config.extract_rules)]
    assert found == [(1239.8, "亿元", "1,239.8亿元"), (12500.0, "人", "12,500人")]


@pytest.mark.parametrize("quote, target_text", [
    ("单位 GDP 二氧化碳排放降幅完\n\n成市下达指标", "完成市下达指标"),  # seed 004 lines 807-809
    ("每千常住人口医疗卫生机构床位10\n\n张", "10张"),  # seed 004 lines 1022-1024
])
def test_a_target_cut_by_a_page_break_is_whole_and_its_quote_stays_raw(seeds, quote, target_text):
    rows = seeds.statements[(seeds.statements.doc_id == "230113-fyp-2021") & (seeds.statements.quote == quote)]
    assert rows.target_text.tolist() == [target_text]
    assert quote in seeds.raw["230113-fyp-2021"].text


# Roles, signs and references on real texts of the practice corpus (tests/corpus), each checked by hand there.

def _figures(corpus, source_file: str, line: int) -> list[tuple]:
    a = corpus_rows(corpus, "achievements", source_file)
    t = corpus_rows(corpus, "statements", source_file)
    return sorted([(r.role, r.value, r.unit, r.kind) for r in a[a.line == line].itertuples()]
                  + [("target", r.target_value, r.unit, r.kind) for r in t[t.line == line].itertuples()])


def test_a_fall_reported_against_last_year_is_negative(corpus):
    # 松北区 2023 bulletin, line 13: '全年完成农林牧渔业总产值14.6亿元,比上年下降1.6%。'
    assert _figures(corpus, "2023_松北区_统计公报_节选.txt", 13) == [
        ("actual", -1.6, "%", "growth"), ("actual", 14.6, "亿元", "level")]


def test_a_fall_of_a_reduction_indicator_stays_positive(seeds):
    row = _one(seeds.achievements, "230104-fyp-2021", "万元GDP能耗累计下降13.9%", 13.9)
    assert (row.value, row.kind, row.role) == (13.9, "cumulative", "actual")  # not a growth of −13.9


def test_results_in_a_plan_report_are_actuals_and_its_bracketed_targets_targets(corpus):
    # 东安县: '全年实现地区生产总值增长5.9%,高于全市0.8个百分点,排名全市第1位(预期目标为8.5%以上)'
    got = [figure[:3] for figure in _figures(corpus, "2022_东安县_计划执行情况报告_节选.txt", 17)]
    assert ("actual", 5.9, "%") in got and ("target", 8.5, "%") in got and ("target", 5.9, "%") not in got


def test_a_sentence_on_the_year_reported_is_an_actual_without_a_review_heading(corpus):
    # 科右中旗 2022 report, line 12: '第一产业增加值完成35亿元,同比增长4.5%' (its section title names no review)
    got = _figures(corpus, "2022_科右中旗_计划执行情况报告_节选.txt", 12)
    assert ("actual", 35.0, "亿元", "level") in got and not [g for g in got if g[0] == "target"]


@pytest.mark.parametrize("source_file, line, dropped", [
    ("2016_十堰市_十三五规划纲要中期评估报告_节选.txt", 8, [15.0, 19.0]),  # '约束性指标15项', '预期性指标19项'
    ("2016_青冈县_年鉴_概况.txt", 4, [120.0, 70.0]),  # '距省会哈尔滨市120千米', '全境南北总长70千米'
])
def test_counts_of_criteria_and_descriptions_of_the_place_are_references(corpus, source_file, line, dropped):
    assert not {value for _, value, _, _ in _figures(corpus, source_file, line)} & set(dropped)


def test_a_policy_of_thirty_articles_is_not_a_figure(seeds):
    t = seeds.statements[(seeds.statements.doc_id == "230108-wr-2020") & (seeds.statements.line == 105)]
    assert 30.0 not in t.target_value.tolist()  # '落实兑现哈尔滨新区鼓励产业发展30条政策'


def test_a_printed_minus_is_kept(corpus):
    # 凤庆县 2021: '全年出生率为8.06‰;死亡率为8.92‰;自然增长率为-0.86‰。'
    assert ("actual", -0.86, "‰", "growth") in _figures(corpus, "2021_凤庆县_统计公报_节选.txt", 7)


def test_every_figure_of_a_change_stated_for_a_list_is_named_by_its_subject(seeds):
    # 000 line 131: '城乡居民可支配收入分别由30308元、14472元预计增加到39931元和21618元'
    a = seeds.achievements[(seeds.achievements.doc_id == "230104-fyp-2021") & (seeds.achievements.line == 131)
                           & seeds.achievements.unit.eq("元")]
    assert sorted(zip(a.value, a.role, a.name, strict=True)) == [
        (14472.0, "baseline", "城乡居民可支配收入"), (21618.0, "estimate", "城乡居民可支配收入"),
        (30308.0, "baseline", "城乡居民可支配收入"), (39931.0, "estimate", "城乡居民可支配收入")]
    # 002 line 65: '高考600分以上从12人跃升至26人'
    b = seeds.achievements[(seeds.achievements.doc_id == "230108-wr-2020") & (seeds.achievements.line == 65)
                           & seeds.achievements.quote.str.contains("高考")]
    assert sorted(zip(b.value, b.role, b.name, strict=True)) == [
        (12.0, "baseline", "高考600分以上"), (26.0, "actual", "高考600分以上")]


@pytest.mark.parametrize("doc_id, quote_part, value, name", [
    ("230113-fyp-2021", "农膜回收率80%", 80.0, "农膜回收率"),  # '畜禽粪污综合利用率保持90%、农膜回收率80%以上'
    ("230102-ap-2023", "精品绿化示范管理街路4条", 4.0, "精品绿化示范管理街路"),  # '…景观3处、精品绿化示范管理街路4条'
])
def test_a_figure_listed_after_another_is_named_by_the_words_after_the_enumeration_comma(seeds, doc_id, quote_part,
                                                                                          value, name):
    assert _one(seeds.statements, doc_id, quote_part, value)["name"] == name


@pytest.mark.parametrize("doc_id, quote_part, value, name, quote_end", [
    ("230113-fyp-2021", "新建至少 1 个", 1.0, "万头标准化奶牛养殖场", "新建至少 1 个万头标准化奶牛养殖场"),
    ("230113-fyp-2021", "推出 2-3 个", 2.0, "艺术精品", "反映时代精神的艺术精品"),
    ("230113-fyp-2021", "每个街道至少建有1个", 1.0, "社区养老服务机构", "具备综合功能的社区养老服务机构"),
    ("230104-fyp-2021", "为全区90%以上", 90.0, "居民建立电子健康档案", "为全区90%以上居民建立电子健康档案"),
    ("230102-ap-2023", "培养20名", 20.0, "骨干校长", "培养20名骨干校长"),
    ("230108-rv-2016", "完成区域内2-3家", 2.0, "三级甲等综合医院布局", "2-3家三级甲等综合医院布局"),
    ("230108-wr-2020", "推动2个千米派出所、2个", 2.0, "警务工作站建成使用", "2个警务工作站建成使用"),
])
def test_a_count_whose_words_before_name_nothing_is_named_by_what_it_counts(seeds, doc_id, quote_part, value, name,
                                                                             quote_end):
    """'新建至少1个万头标准化奶牛养殖场': the words before the count are a verb; what is counted follows it, from the
    clause's last 的, and the quote runs to the end of those words."""
    row = _one(seeds.statements, doc_id, quote_part, value)
    assert row["name"] == name and row["quote"].endswith(quote_end)


def test_a_figure_listed_by_its_level_alone_counts_the_same_thing_at_that_level(seeds):
    # 002: '认证国家级农业龙头企业2家、省级2家、市级5家'
    a = seeds.achievements[(seeds.achievements.doc_id == "230108-wr-2020")
                           & seeds.achievements.quote.str.contains("龙头企业2家")]
    assert sorted(zip(a.value, a.name, strict=True)) == [
        (2.0, "认证国家级农业龙头企业"), (2.0, "认证省级农业龙头企业"), (5.0, "认证市级农业龙头企业")]


def test_a_bracketed_target_is_named_by_its_clause_and_every_figure_keeps_an_id_of_its_own(corpus):
    # 东安县 line 17: '规模工业增加值增长9.5%,高于全市1.2个百分点,排名全市第1位(预期目标为10%以上);
    # 固定资产投资增长14.2%,高于全市5.2个百分点,排名全市第1位(预期目标为10%以上)': the same printed words twice
    s = corpus_rows(corpus, "statements", "2022_东安县_计划执行情况报告_节选.txt")
    targets = s[s.line == 17]
    assert sorted(zip(targets.target_value, targets.name, strict=True)) == [
        (8.5, "地区生产总值"), (10.0, "固定资产投资"), (10.0, "规模工业增加值"), (10.5, "社会消费品零售总额")]
    for table, key in (("statements", "statement_id"), ("achievements", "achievement_id"), ("projects", "project_id"),
                       ("tasks", "task_id")):
        ids = getattr(corpus, table)[key]
        assert not ids.duplicated().any(), table


def test_a_list_announced_as_targets_in_a_news_page_is_of_targets(config):
    """龙岗区 2022 (tests/corpus/leads), news of the work report: '今年，龙岗区…定下这些具体目标：' and then one
    target a line ('全年完成固定资产投资超1400亿元'): a page of news states results, but these lines are
    commitments."""
    from pipeline.plan.documents import load_manifest
    from pipeline.plan.run import extract_documents
    from tests.conftest import CORPUS

    text = CORPUS / "leads" / "2022_龙岗区_政府工作报告新闻_节选.txt"
    result = extract_documents([text], load_manifest(None), config)
    assert result.achievements.empty
    targets = result.statements.set_index("name")
    assert (targets.at["固定资产投资", "target_value"], targets.at["固定资产投资", "target_year"]) == (1400.0, 2022)
    assert len(result.statements) >= 20


def test_a_news_page_under_a_heading_naming_the_years_shishi_list_states_targets(config):
    """南海区 2024 (tests/corpus/leads): '…票决产生了2024年度南海区十大民生实事', then the heading '十大民生实事项目'
    and one 实事 a line ('10个滨江生态公园建设'): work the year will do, not results; only the count of candidates
    before the heading ('筛选出12项') is a result."""
    from pipeline.plan.documents import load_manifest
    from pipeline.plan.run import extract_documents
    from tests.conftest import CORPUS

    text = CORPUS / "leads" / "2024_南海区_民生实事项目_节选.txt"
    result = extract_documents([text], load_manifest(None), config)
    targets = result.statements.set_index("name")
    assert targets.at["滨江生态公园建设", "target_text"] == "10个"
    assert targets.at["入住公共租赁住房", "target_text"] == "5万人"
    assert len(result.statements) >= 8 and (result.statements.line.astype(int) > 3).all()
    assert result.achievements.line.astype(int).tolist() == [2]


def test_a_count_named_after_it_stops_at_the_next_item_and_its_quote_at_the_figure_named_before_it(config):
    """'新建至少2个综合体、改造老旧小区': the count is of 综合体, not of 综合体、改造老旧小区; in '建设幼儿园5所、改扩建
    幼儿园3所' the 5所 are named before the figure, so its quote ends at the figure, not in the next item."""
    from pipeline.extract.prose import _counted, _name, _named_to

    rules = config.extract_rules
    assert _counted("个综合体、改造老旧小区"[1:], rules) == "综合体"
    assert _counted("全域旅游目的地示范村", rules) == "全域旅游目的地示范村"
    text = "到2025年，建设幼儿园5所、改扩建幼儿园3所。"
    first = find_mentions(text, rules)[0]
    name = _name(text, first, None, "", rules)
    assert (name, text[:_named_to(text, first.end, name)]) == ("幼儿园", "到2025年，建设幼儿园5所")
