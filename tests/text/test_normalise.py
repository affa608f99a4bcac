"""Normalisation of the seed documents: joins, table of contents, chrome, remnants, and the raw map."""
from __future__ import annotations

import re

from pipeline.text.normalise import WIDTH_TABLE, normalise, normalise_line


def _paragraph_with(doc, needle: str):
    matches = [(i, p) for i, p in enumerate(doc.paragraphs) if needle in p.text]
    assert len(matches) == 1, needle
    return matches[0]


def test_sentences_split_by_page_breaks_are_joined_and_quoted_from_the_raw_text(seeds):
    doc = seeds.normalised["230113-fyp-2021"]
    for needle, raw in (("和美丽乡村建设", "和美\n\n丽乡村建设"),
                        ("60个，实际到位资金105亿元", "60个，实\n\n际到位资金 105 亿元"),
                        ("作出重要讲话重要指示批示", "作出重要讲\n\n\n\n话重要指示批示")):
        index, para = _paragraph_with(doc, needle)
        start = para.text.index(needle)
        assert doc.quote(index, start, start + len(needle)) == raw


def test_titles_and_headings_are_not_joined_to_what_follows(seeds):
    doc = seeds.normalised["230104-fyp-2021"]
    assert doc.paragraphs[0].text == "哈尔滨市道外区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"
    review = seeds.normalised["230108-rv-2016"]
    assert [p.text for p in review.paragraphs[:2]] == ["打造龙江产业动车组建设新区产业支撑区", "长安汽车生产线。"]


def test_every_normalised_character_points_at_its_raw_character(seeds):
    cjk_punct = {"，": ",", "：": ":", "；": ";", "？": "?", "！": "!"}
    for doc_id, doc in seeds.normalised.items():
        for para in doc.paragraphs:
            for i, ch in enumerate(para.text):
                raw = doc.raw_text[para.raw_offset(i)].translate(WIDTH_TABLE)
                assert raw == ch or cjk_punct.get(ch) == raw, (doc_id, para.first_line, i, ch, raw)


def test_table_of_contents_is_set_aside(seeds):
    doc = seeds.normalised["230113-fyp-2021"]
    assert doc.toc[0].text == "第一章继往开来，全面绘就新时代高质量发展新蓝图" and doc.toc[0].page == 10
    assert doc.toc[-1].text == "(四)加强规划监督考核" and doc.toc[-1].page == 92
    assert not any(re.search(r"(·{3,}|\.{4,})", p.text) for p in doc.paragraphs)
    toc_000 = seeds.normalised["230104-fyp-2021"].toc
    assert len(toc_000) == 56 and toc_000[0].text == "第一章全面建成小康社会，开启全面建设社会主义新道外现代化新征程"


def test_markdown_and_html_remnants_are_stripped(seeds):
    doc = seeds.normalised["230113-fyp-2021"]
    assert not any(p.text.startswith("#") or "**" in p.text or "<b>" in p.text for p in doc.paragraphs)
    assert "五、实施质量兴农、品牌强农和营销富农行动" in [p.text for p in doc.paragraphs]


def test_site_chrome_is_dropped_but_kept_in_the_raw_text(seeds):
    doc = seeds.normalised["230102-ap-2023"]
    assert doc.paragraphs[0].text == "2023年经济社会发展主要任务"
    assert not any("ICP" in p.text or "打印本页" in p.text or "电话" in p.text for p in doc.paragraphs)
    assert {line for line, why, _ in doc.dropped if why == "chrome"} == {1, 59, 61, 62, 63}
    assert "黑ICP备14006225号-1" in doc.raw_text


def test_widths_brackets_and_spaces_are_unified():
    assert normalise_line("（二）城镇新增就业人数 （万人）\t０．２７")[0] == "(二)城镇新增就业人数(万人)\t0.27"
    assert normalise_line("政 府 工 作 报 告")[0] == "政府工作报告"
    assert normalise_line("单位 GDP 能源消耗降低 (%)")[0] == "单位GDP能源消耗降低(%)"


def test_page_number_lines_and_form_feeds_are_dropped(config):
    # seed 004 lines 313-315 as a PDF reader gives them: a form feed and a page number between the halves
    first = "统筹城乡一体发展，加快补齐供水供热、物业管理、环境治理等民生领域短板，推进城乡融合发展、均衡发展和美"
    lines = [first, "\f", "- 12 -", "丽乡村建设取得明显实效。"]
    doc = normalise(lines, config.text_rules)
    assert [p.text for p in doc.paragraphs] == [first + "丽乡村建设取得明显实效。"]
    assert [why for _, why, _ in doc.dropped] == ["page_number"]


def test_a_sentence_cut_before_its_first_comma_is_joined_and_its_title_is_not(seeds):
    # seed 004 lines 407-411: '(一)打造龙江物流门户', then '推进…黑龙江快递电商总' / page break / '部基地等“省百大”…'
    doc = seeds.normalised["230113-fyp-2021"]
    index, para = _paragraph_with(doc, "黑龙江快递电商总部基地等“省百大”商贸物流项目")
    assert (para.first_line, para.last_line) == (409, 411)
    assert doc.paragraphs[index - 1].text == "(一)打造龙江物流门户"
    start = para.text.index("电商总部基地")
    assert doc.quote(index, start, start + 6) == "电商总\n\n部基地"
    assert doc.printed(index, start, start + 6) == "电商总部基地"


def test_printed_text_is_whole_across_a_page_break_and_keeps_what_each_line_prints(config):
    # seed 004 lines 807-809 as a PDF reader gives them: a form feed and a page number between the halves
    first = "到 2025 年，全区天然气利用规模占能源消费总量比重达 7%，单位 GDP 二氧化碳排放降幅完"
    lines = [first, "", "\f", "- 37 -", "成市下达指标。提升清洁能源比重"]
    doc = normalise(lines, config.text_rules)
    assert len(doc.paragraphs) == 1
    text = doc.paragraphs[0].text
    start, end = text.index("单位GDP"), text.index("指标") + 2
    assert doc.printed(0, start, end) == "单位 GDP 二氧化碳排放降幅完成市下达指标"
    assert doc.quote(0, start, end) == "单位 GDP 二氧化碳排放降幅完\n\n\f\n- 37 -\n成市下达指标"
    assert doc.printed(0, 0, len(text)) == first + "成市下达指标。提升清洁能源比重"


def test_traditional_characters_are_read_as_simplified_and_quoted_as_printed(config):
    # 澳门 2021 施政报告 (tests/corpus), its review's first sentence
    line = "下面,我先就特區政府2020年的施政作簡要回顧和總結。"
    doc = normalise([line] * 3, config.text_rules)
    assert doc.paragraphs[0].text.startswith("下面，我先就特区政府2020年的施政作简要回顾和总结")
    assert doc.quote(0, 0, 15) == "下面,我先就特區政府2020年"


def test_a_table_typed_with_bars_is_read_as_cells():
    # 弋江区 纲要 (tests/corpus) line 5, and its category row with one bar
    assert normalise_line("地区生产总值(亿元) | 300.41 | 469.5 | 9.3 | 预期性 |")[0].split("\t")[:3] == [
        "地区生产总值(亿元)", " 300.41 ", " 469.5 "]
    assert "\t" in normalise_line("一、经济发展 |")[0]


def test_a_list_printed_one_item_a_line_is_not_joined_into_one_sentence(config):
    # 长宁区 2024 为民办实事项目 (a practice text), lines 5-10: short lines without closing punctuation are items,
    # though one holds a 顿号; a short line cut from a long sentence is still joined (the page-break tests above)
    lines = ["1", "新增100张困难重残养护床位", "改建100张认知障碍照护床位、611张护理型床位",
             "完成300户居家环境适老化改造", "为456户独居老年人开展智能水表安全监测服务", "新增5家老年人助餐点"]
    doc = normalise(lines, config.text_rules)
    assert [p.text for p in doc.paragraphs][-4:] == lines[-4:]
