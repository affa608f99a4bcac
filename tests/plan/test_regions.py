"""The area a document is of, from inputs/config/divisions.csv: its title first, the most specific area named."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("title, text, name, level", [
    ("2023年哈尔滨市松北区(哈尔滨新区江北一体发展区)国民经济和社会发展统计公报", "", "松北区", "区县"),
    ("(湖北省)鄂州市梁子湖区国民经济和社会发展十四五规划", "", "梁子湖区", "区县"),
    ("关于重庆市2021年国民经济和社会发展计划执行情况及2022年计划草案的报告", "", "重庆市", "省"),
    ("六安市农业农村局2022年全市农业农村工作要点", "", "六安市", "市"),
    # 呼兰区 2014 yearbook: the county lies in the city it names; 日照 news: four counties once each, and the city
    ("概况", "呼兰区位于哈尔滨市中心城区北部，2014年辖7个镇", "呼兰区", "区县"),
    ("前三季度我市县域一般公共预算收入增速居全省首位",
     "东港区、岚山区、莒县、五莲县地区生产总值在全省的排名……日照报业全媒体记者", "日照市", "市"),
])
def test_the_area_named(config, title, text, name, level):
    region = config.divisions.find(title, text)
    assert (region.name, region.level) == (name, level)


def test_common_words_are_not_areas_and_a_state_document_is_national(config):
    assert config.divisions.find("推进中心城区和城郊区建设", "") is None  # 城区, 郊区 are divisions of 山西
    assert config.divisions.level(None, "国务院关于印发“十四五”数字经济发展规划的通知") == "国家"


@pytest.mark.parametrize("text", ["确保社会大局和谐稳定、长治久安", "大力发展朝阳产业", "弘扬延安精神",
                                  "建设美丽新乡村", "与阿里巴巴集团签订合作协议"])
def test_a_short_name_inside_a_word_is_not_an_area(config, text):
    assert config.divisions.find("", text) is None


def test_of_areas_sharing_a_name_the_one_whose_city_is_named(config):
    assert config.divisions.find("长春市朝阳区2023年国民经济和社会发展统计公报", "").code == "220104"
    assert config.divisions.find("北京市朝阳区2023年国民经济和社会发展统计公报", "").code == "110105"


def test_an_autonomous_county_is_found_by_the_name_it_is_printed_by(config):
    """漾濞彝族自治县 is printed 漾濞县 (a practice text's file name); a banner named by its people keeps them."""
    assert config.divisions.find("2023_漾濞县_政府工作报告_节选", "").code == "532922"
    assert config.divisions.find("鄂伦春旗2023年政府工作报告", "").code == "150723"


@pytest.mark.parametrize("text", ["围绕“核桃产业振兴示范县、森林大理建设示范县”", "大力发展现代县域经济",
                                  "全面振兴县域经济"])
def test_a_county_name_inside_another_word_is_not_the_county(config, text):
    """范县 in 示范县, 代县 in 现代县域, 兴县 in 振兴县域 (漾濞县's work report names only its 示范县 titles)."""
    assert config.divisions.find("", text) is None


def test_a_longer_county_name_before_its_committee_and_a_province_before_县乡(config):
    """巴彦县 in '中共巴彦县委员会关于…的建议' is the county (only a two-character name can lie inside 县委); 彭水县 is
    彭水苗族土家族自治县 (its name is not cut at 水); '河南县乡道路' names the province, not 河南县 of 青海."""
    find = config.divisions.find
    assert find("中共巴彦县委员会关于制定国民经济和社会发展第十四个五年规划的建议", "").name == "巴彦县"
    assert find("彭水县2023年政府工作报告", "").code == "500243"
    assert find("关于加快推进农村公路建设的实施意见", "河南县乡道路建设").name == "河南省"
