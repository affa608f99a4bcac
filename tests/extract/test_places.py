"""Township-level places: the gazetteer finds known names; unknown ones are reported, not guessed."""
from __future__ import annotations

from pipeline.extract.places import Gazetteer


def test_known_places_are_found_longest_first(config):
    g = Gazetteer.of(config.places, "230113")
    text = "以位于杏山镇和万隆乡的风能发电项目为核心，重点打造清洁能源和湿地生态保护等项目，依托双城经济开发区"
    assert g.find(text) == ["杏山镇", "万隆乡", "双城经济开发区"]


def test_place_names_missing_from_the_gazetteer_are_findings(seeds):
    f = seeds.findings[(seeds.findings.kind == "new_place") & (seeds.findings.doc_id == "230113-fyp-2021")]
    assert "蔡家沟镇" in f.quote.tolist()  # in 吉林扶余, named beside 兰棱街道: a person decides
    assert not f.quote.isin(["兰棱街道", "承旭街道", "加大乡镇"]).any()
