"""The lead-unit model learns from the checked items of inputs/config/lead_examples.csv: it is measured on items it
never saw, it names the checked item its choice is like, and it refuses examples that would teach a unit the office
does not have."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from pipeline.extract.places import Gazetteer
from pipeline.plan.lead_model import PENDING, LearnSettings, load_examples, train, training_rows
from pipeline.plan.responsibility import FIXED, Rules, assign
from pipeline.tables import read_csv_text
from tests.conftest import CONFIG

EXAMPLES = CONFIG / "lead_examples.csv"


def _judge_unseen(rules: Rules, sample: str) -> pd.DataFrame:
    """The examples of one sample judged by a model trained on all the others."""
    held = rules.examples[rules.examples["sample"] == sample]
    frame = held[["item_type", "own", "context", "proposed", "basis"]]
    return rules.trained(frozenset({sample})).learned.judge(frame).join(held[["acceptable_units", "basis"]])


def test_on_a_set_it_never_saw_most_units_it_gives_are_acceptable(config):
    """练习清单:第10组 (491 items of three cities' work reports, judged by readers who saw no output): a model trained
    without them gives a unit to most where the rules' evidence is words, and nine in ten of those are acceptable."""
    judged = _judge_unseen(config.responsibility, "练习清单:第10组")
    judged = judged[~judged.basis.isin(FIXED)]
    given = judged[(judged.unit != PENDING) & (judged.probability >= config.responsibility.confidence.assign_at)]
    right = [u in ok.split("|") for u, ok in zip(given.unit, given.acceptable_units, strict=True)]
    assert len(judged) >= 400 and len(given) / len(judged) >= 0.5
    assert sum(right) / len(given) >= 0.88


def test_its_confidence_means_what_it_says_on_unseen_items(config):
    """On the seeds' first sample, unseen: the units given at a higher probability are right more often, and those
    at the threshold or above are right at least as often as the threshold claims."""
    judged = _judge_unseen(config.responsibility, "种子:lead_units")
    judged = judged[(judged.unit != PENDING) & ~judged.basis.isin(FIXED)]
    judged = judged.assign(right=[u in ok.split("|") for u, ok in zip(judged.unit, judged.acceptable_units,
                                                                      strict=True)])
    assign_at = config.responsibility.confidence.assign_at
    above, below = judged[judged.probability >= assign_at], judged[judged.probability < assign_at]
    assert len(above) >= 100 and len(below) >= 10
    assert above.right.mean() >= assign_at and above.right.mean() > below.right.mean()


def test_the_same_examples_train_the_same_model(config):
    """Training is deterministic: the same rows and settings, trained afresh, judge alike (a second `make plan`
    gives the same tables)."""
    rules = config.responsibility
    kept = rules.examples[rules.examples["sample"].isin({"种子:lead_units_blind4", "练习清单:第6组"})]
    rows = training_rows(kept, list(zip(kept.basis, kept.proposed, strict=True)))
    probe = rules.examples[rules.examples["sample"] == "练习语料"][["item_type", "own", "context", "proposed",
                                                                   "basis"]]
    first = train.__wrapped__(rows, rules.learn).judge(probe)
    again = train.__wrapped__(rows, rules.learn).judge(probe)
    pd.testing.assert_frame_equal(first, again)


def test_the_reason_names_a_checked_item_given_the_same_unit(config):
    """A district library: the reason cites the checked item most like it among those given the same unit (a
    new city reading room, 文旅局's), beside the rules' words."""
    items = pd.DataFrame({"item_id": ["p"], "district_code": ["230113"], "canonical": [""],
                          "own": ["新建区图书馆"], "text": ["新建区图书馆"], "context": ["公共文化服务"]})
    row = assign(items, "project", config.responsibility, Gazetteer.of(config.places, "230113")).iloc[0]
    examples = config.responsibility.examples
    assert row.reason.startswith("与已核对的相似条目一致")
    like = row.reason.split("“")[1].split("”")[0]
    units = examples.acceptable_units[examples.name == like].str.split("|").str[0]
    assert row.proposed_unit in set(units)


def test_a_unit_named_in_the_text_is_not_overruled(config):
    """Explicit text always wins: the model decides only where the evidence is words."""
    items = pd.DataFrame({"item_id": ["x"], "district_code": ["230113"], "canonical": [""],
                          "own": ["汉阳食用菌加工基地"], "text": ["由区水务局牵头，推进汉阳食用菌加工基地建设"],
                          "context": [""]})
    row = assign(items, "project", config.responsibility, Gazetteer.of(config.places, "230113")).iloc[0]
    assert (row.lead_unit, row.basis) == ("水务局", "explicit")


def test_without_the_setting_the_rules_alone_decide(tmp_path, config):
    for name in ("departments.csv", "responsibility_rules.csv", "review.yaml"):
        (tmp_path / name).write_text((CONFIG / name).read_text(encoding="utf-8"), encoding="utf-8")
    text = (tmp_path / "review.yaml").read_text(encoding="utf-8")
    start = text.index("  learned:")
    end = text.index("\n  # ", start)
    (tmp_path / "review.yaml").write_text(text[:start] + text[end + 1:], encoding="utf-8")
    rules = Rules.load(tmp_path)
    assert rules.learned is None and rules.examples is None
    items = pd.DataFrame({"item_id": ["p"], "district_code": ["230113"], "canonical": [""],
                          "own": ["义务教育学校建设"], "text": [""], "context": [""]})
    row = assign(items, "project", rules, Gazetteer.of(config.places, "230113")).iloc[0]
    assert (row.lead_unit, row.basis) == ("教育局", "own_words")


@pytest.mark.parametrize(("column", "value", "said"), [
    ("acceptable_units", "粮食局", "第 2 行 acceptable_units 含不在 departments.csv 中的单位：粮食局"),
    ("acceptable_units", "", "第 2 行 acceptable_units 含不在 departments.csv 中的单位：（空）"),
    ("item_type", "program", "第 2 行 item_type “program”不是 indicator、project 或 task"),
])
def test_an_example_that_would_teach_an_unknown_unit_or_type_is_refused_by_line(tmp_path, config, column, value,
                                                                                said):
    frame = read_csv_text(EXAMPLES).head(3)
    frame.loc[0, column] = value
    frame.to_csv(tmp_path / "lead_examples.csv", index=False)
    with pytest.raises(ValueError, match=f"lead_examples.csv：{said}"):
        load_examples(tmp_path / "lead_examples.csv", set(config.responsibility.departments.unit))


def test_examples_without_a_column_and_odd_settings_are_refused(tmp_path, config):
    read_csv_text(EXAMPLES).head(3).drop(columns=["context"]).to_csv(tmp_path / "lead_examples.csv", index=False)
    with pytest.raises(ValueError, match="lead_examples.csv：缺少列 context"):
        load_examples(tmp_path / "lead_examples.csv", set(config.responsibility.departments.unit))
    for odd in ({"examples": "x.csv"}, {"examples": "x.csv", "strength": "high", "title_weight": 0.3,
                                        "rule_weight": 0.5}):
        with pytest.raises(ValueError, match="review.yaml：responsibility.learned"):
            LearnSettings.from_config(odd, CONFIG / "review.yaml")
    settings = dataclasses.replace(config.responsibility.learn, strength=0)
    with pytest.raises(ValueError, match="strength 须大于 0"):
        LearnSettings.from_config(dataclasses.asdict(settings), CONFIG / "review.yaml")


def test_a_missing_examples_file_leaves_the_rules_to_decide_and_says_so(tmp_path, caplog):
    for name in ("departments.csv", "responsibility_rules.csv", "review.yaml"):
        (tmp_path / name).write_text((CONFIG / name).read_text(encoding="utf-8"), encoding="utf-8")
    rules = Rules.load(tmp_path)
    assert rules.learned is None and "lead_examples.csv 不存在，牵头单位仅按规则判断" in caplog.text


def test_the_offices_lead_units_and_removals_become_examples(seeds):
    """`make lead-examples` keeps the office's checks of the last `make plan` as examples: a lead unit it set is an
    acceptable unit, an item it removed or whose lead unit it cleared is 待确认; its latest decision counts."""
    from pipeline.cycle import office_examples

    ind = seeds.indicators[seeds.indicators.name == "建成区路网密度"].iloc[0]
    prj = seeds.projects[seeds.projects.name == "老村长"].iloc[0]
    decisions = pd.DataFrame({
        "key": ["k1", "k2", "k3", "k4"], "proposed_name": ["建成区路网密度", "建成区路网密度", "老村长", "老村长"],
        "field": ["lead", "lead", "adopt", "lead"], "value": ["住建局", "交通运输局", "剔除", "商务局"],
        "decided_at": ["2026-01-01 09:00:00", "2026-01-02 09:00:00", "2026-01-01 09:00:00", "2026-01-02 09:00:00"],
        "source_file": ["230113_双城区_审核表.xlsx"] * 4, "status": ["superseded", "applied", "applied", "applied"],
        "item_type": ["indicator", "indicator", "project", "project"],
        "item_id": [ind.indicator_id, ind.indicator_id, prj.project_id, prj.project_id]})
    examples = office_examples(seeds, decisions).set_index("name")
    assert examples.at["建成区路网密度", "acceptable_units"] == "交通运输局"
    assert examples.at["老村长", "acceptable_units"] == PENDING
    assert set(examples["sample"]) == {"审核表:230113_双城区_审核表.xlsx"}
    assert examples.at["建成区路网密度", "own"].startswith("建成区路网密度")


def test_a_unit_the_model_holds_keeps_the_rules_confidence_and_goes_out_when_the_office_confirms(seeds, config):
    """Where the model finds an item like those no unit can be given, a unit the rules gave is held as for an item in
    doubt, with the rules' confidence: what the office's confirmation assigns is still at or above the threshold,
    with its rule's co-units."""
    from pipeline.plan.responsibility import HELD, release_held

    r = seeds.responsibilities
    held = r[r.reason.str.startswith(HELD + "已核对的相似条目多为待确认")]
    assign_at = config.responsibility.confidence.assign_at
    assert len(held) >= 10 and (held.confidence >= assign_at).all() and (held.lead_unit == "").all()
    released = release_held(held, set(zip(held.item_type, held.item_id, strict=True)))
    assert (released.lead_unit == held.proposed_unit).all() and (released.confidence >= assign_at).all()


def test_a_unit_the_model_gives_with_a_rule_has_that_rules_co_units(seeds, config):
    """The co-units are the rule's whether the rules or the model assigned its unit (K02: 工信局 with 发改局)."""
    rules = {rule.rule_id: rule for rule in config.responsibility.rules}
    r = seeds.responsibilities
    by_model = r[(r.lead_unit != "") & r.reason.str.startswith("与已核对的相似条目一致") & r.rule_id.isin(rules)]
    assert len(by_model) >= 100
    for rule_id, lead, co in zip(by_model.rule_id, by_model.lead_unit, by_model.co_units, strict=True):
        assert co == "|".join(u for u in rules[rule_id].co_units.split("|") if u and u != lead)
    assert any(co for co in by_model.co_units)


def test_an_examples_error_names_the_line_its_row_starts_on(tmp_path, config):
    """A quoted text may run over several lines: the line named is the file's, not the row's count."""
    frame = read_csv_text(EXAMPLES).head(3)
    frame.loc[0, "text"] = "第一行\n第二行\n第三行"
    frame.loc[1, "acceptable_units"] = "粮食局"
    frame.to_csv(tmp_path / "lead_examples.csv", index=False)
    with pytest.raises(ValueError, match="第 5 行 acceptable_units"):
        load_examples(tmp_path / "lead_examples.csv", set(config.responsibility.departments.unit))


def test_an_examples_file_saved_in_gbk_or_empty_is_refused_naming_it(tmp_path, config):
    units = set(config.responsibility.departments.unit)
    read_csv_text(EXAMPLES).head(3).to_csv(tmp_path / "lead_examples.csv", index=False, encoding="gbk")
    with pytest.raises(ValueError, match="lead_examples.csv：不是 UTF-8 编码"):
        load_examples(tmp_path / "lead_examples.csv", units)
    (tmp_path / "lead_examples.csv").write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="lead_examples.csv：文件是空的"):
        load_examples(tmp_path / "lead_examples.csv", units)


@pytest.mark.parametrize("odd", [
    {"examples": "x.csv", "strength": float("nan"), "title_weight": 0.3, "rule_weight": 0.5},
    {"examples": "x.csv", "strength": True, "title_weight": 0.3, "rule_weight": 0.5},
    {"examples": "", "strength": 30, "title_weight": 0.3, "rule_weight": 0.5},
    {"examples": "x.csv", "strength": 30, "title_weight": 0.3, "rule_weight": 0.5, "ruleweight": 5},
])
def test_odd_learned_settings_are_refused_naming_the_file(odd):
    with pytest.raises(ValueError, match="review.yaml：responsibility.learned"):
        LearnSettings.from_config(odd, CONFIG / "review.yaml")


def test_examples_of_one_kind_teach_nothing_and_the_rules_decide(config, caplog):
    rules = config.responsibility
    only = rules.examples["sample"].where(rules.examples.acceptable_units == PENDING, "其他")
    alone = dataclasses.replace(rules, examples=rules.examples.assign(sample=only)).trained(frozenset({"其他"}))
    assert alone.learned is None and "不足两类牵头单位" in caplog.text


def test_a_broken_examples_file_does_not_stop_its_rewriting(tmp_path):
    """`make lead-examples` reads the configuration without the examples it rewrites."""
    import shutil

    from pipeline.config import Config

    shutil.copytree(CONFIG, tmp_path / "config")
    frame = read_csv_text(EXAMPLES).head(3)
    frame.loc[0, "acceptable_units"] = "粮食局"
    frame.to_csv(tmp_path / "config" / "lead_examples.csv", index=False)
    with pytest.raises(ValueError, match="粮食局"):
        Config.load(tmp_path / "config")
    rules = Config.load(tmp_path / "config", learned=False).responsibility
    assert rules.learned is None and rules.learn.examples == "lead_examples.csv"


def test_a_proposal_is_assignable_at_a_threshold_unless_nothing_the_threshold_decides_would_give_it(seeds, config):
    """`assignable` tells which proposals a lower assign_at would assign (`make accuracy` shows each threshold's
    trade): every unit given, and every proposal left below the threshold; not one held until the office confirms
    its item, one the model finds like items no unit can be given, nor one without a unit (the Party's work, an
    outside body). Each confidence is the one compared with the threshold: what was given is at or above it, what
    is assignable but not given below it."""
    from pipeline.plan.responsibility import HELD, LIKE_PENDING, assignable

    r = seeds.responsibilities
    could = assignable(r)
    given = r.lead_unit != ""
    assign_at = config.responsibility.confidence.assign_at
    assert could[given].all() and (r.confidence[given] >= assign_at).all()
    below = could & ~given
    assert below.sum() >= 50 and (r.confidence[below] < assign_at).all()
    for never in (r.reason.str.startswith(HELD), r.reason.str.startswith(LIKE_PENDING), r.basis.isin(["party",
                                                                                                       "outside"])):
        assert never.sum() >= 3 and not could[never].any()
