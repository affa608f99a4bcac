"""The office confirms: a review workbook per district, filled as an office would and read back — the decisions
reach every output, last across runs and extractor changes, and a bad workbook is refused cell by cell."""
from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

from pipeline.forms.review_layout import FIRST_ROW, HEADER_ROW, SHEET
from pipeline.monitor.items import unit_items
from pipeline.plan.review import read_decisions, review_stage, sheet_rows
from pipeline.render.entry_forms import form_rows
from pipeline.render.review_workbook import load_words, render_review_workbook
from pipeline.schema import columns
from pipeline.units import Units
from tests.conftest import CONFIG, ROOT, tables_of
from tests.render import styles

DISTRICT, NAME = "230113", "双城区"
REMOVED = 5


@pytest.fixture(scope="module")
def machine(seeds):
    """The seed tables as extracted, before any decision."""
    return tables_of(seeds)


def _workbook(tables, folder, config, decisions=None):
    """The district's review workbook as `make plan` writes it."""
    rows = sheet_rows(tables, decisions if decisions is not None else pd.DataFrame(columns=columns("decisions")),
                      config.items.publish_at)
    units = config.responsibility.departments
    path = folder / f"{DISTRICT}_{NAME}_审核表.xlsx"
    return render_review_workbook(path, DISTRICT, NAME, rows[rows.district_code == DISTRICT],
                                  units.unit[units.district_code == DISTRICT].tolist(), styles(), "2026年12月7日",
                                  load_words(ROOT / "templates" / "review_workbook.yaml"))


def _columns(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[HEADER_ROW + 1]}


def _fill(path, target, edits, who="王科长（规划科）"):
    """Save a copy of a review workbook with `edits`: (row chooser, header, value) applied to the first row chosen."""
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    col = _columns(ws)
    rows = [r for r in range(FIRST_ROW + 1, ws.max_row + 1) if ws.cell(r, col["编号"]).value]
    done = []
    for choose, header, value in edits:
        row = next(r for r in rows if choose({h: ws.cell(r, c).value for h, c in col.items()}) and (r, header)
                   not in done)
        ws.cell(row, col[header]).value = value
        done.append((row, header))
    wb.properties.lastModifiedBy = who
    wb.save(target)
    return target


def _office_edits():
    """Five projects removed, two names corrected, one lead unit changed (as the issue's check does)."""
    removed = [(lambda r: r["类型"] == "项目", "采用", "剔除")] * REMOVED
    renamed = [(lambda r: r["建议名称"] == "集约高效利用", "名称", "城市建设用地集约高效利用面积"),
               (lambda r: r["建议名称"] == "占农户家庭承包经营面积的", "名称", "适度规模经营面积占比")]
    relead = [(lambda r: r["建议名称"] == "建成区路网密度", "牵头单位", "交通运输局")]
    return removed + renamed + relead


@pytest.fixture(scope="module")
def decided(machine, config, tmp_path_factory):
    """The office's workbook in inputs/review/ and the tables after `make plan` applies it."""
    folder = tmp_path_factory.mktemp("review")
    blank = _workbook(machine, folder, config)
    inputs = folder / "inputs"
    inputs.mkdir()
    _fill(blank, inputs / "230113_审核.xlsx", _office_edits())
    tables, decisions, refused = review_stage(dict(machine), inputs, config.responsibility.departments,
                                              config.items.publish_at)
    return {"tables": tables, "decisions": decisions, "refused": refused, "inputs": inputs, "folder": folder}


def test_the_workbook_has_every_item_least_certain_first_and_only_six_columns_open(machine, config, tmp_path):
    path = _workbook(machine, tmp_path, config)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == SHEET and "说明" in wb.sheetnames
    ws = wb[SHEET]
    col = _columns(ws)
    assert {"采用", "名称", "单位", "牵头单位", "配合单位", "备注"} <= set(col)
    rows = [r for r in range(FIRST_ROW + 1, ws.max_row + 1) if ws.cell(r, col["编号"]).value]
    mine = sum(len(machine[t][machine[t].district_code == DISTRICT]) for t in ("indicators", "projects", "tasks"))
    assert len(rows) == mine
    confidence = [float(ws.cell(r, col["置信度"]).value.rstrip("%")) for r in rows]
    assert confidence == sorted(confidence)
    assert ws.protection.sheet and ws.freeze_panes == f"A{FIRST_ROW + 1}"
    indicator = next(r for r in rows if ws.cell(r, col["类型"]).value == "指标")
    open_headers = {h for h, c in col.items() if not ws.cell(indicator, c).protection.locked}
    assert open_headers == {"采用", "名称", "单位", "牵头单位", "配合单位", "备注"}
    assert ws.column_dimensions[openpyxl.utils.get_column_letter(col["编号"])].hidden
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any("剔除" in str(dv.formula1) for dv in lists) and any("_单位" in str(dv.formula1) for dv in lists)
    assert ws.page_setup.paperSize == 9


def test_the_office_decisions_reach_every_output(decided, config, tmp_path):
    tables, decisions = decided["tables"], decided["decisions"]
    assert len(decisions) == REMOVED + 3 and set(decisions.status) == {"applied"}
    assert set(decisions.decided_by) == {"王科长（规划科）"} and decisions.cell.str.match(r"^[A-Z]+\d+$").all()
    projects = tables["projects"]
    gone = projects[projects.review == "removed"]
    assert len(gone) == REMOVED
    ind = tables["indicators"]
    assert {"城市建设用地集约高效利用面积", "适度规模经营面积占比"} <= set(ind[ind.review == "confirmed"].name)
    assert set(ind.printed_name[ind.name == "城市建设用地集约高效利用面积"]) == {"集约高效利用"}
    duty = tables["responsibilities"].set_index("item_id")
    road = ind.indicator_id[ind.name == "建成区路网密度"].iloc[0]
    assert (duty.at[road, "lead_unit"], duty.at[road, "rule_id"]) == ("交通运输局", "office")
    assert "交通运输局" not in duty.at[road, "co_units"].split("|")  # it was a co-unit: it leads now, not both
    # the forms: no removed project, the corrected names asked of their units, the road density of 交通运输局
    forms = form_rows(tables["indicators"][tables["indicators"].district_code == DISTRICT],
                      projects[projects.district_code == DISTRICT],
                      tables["responsibilities"][tables["responsibilities"].district_code == DISTRICT],
                      Units.load(CONFIG / "units.yaml"))
    asked = {(unit, r.name) for unit, rows in forms.items() for r in rows}
    assert not {name for _, name in asked} & set(gone.name)
    assert ("交通运输局", "建成区路网密度") in asked
    renamed = ind.indicator_id[ind.name == "适度规模经营面积占比"].iloc[0]
    lead = duty.at[renamed, "lead_unit"]
    assert ((lead, "适度规模经营面积占比") in asked) == bool(lead)
    # its unit was held back while the item was in doubt (名称只是比例的分母); the office's name confirms the item, and
    # the held proposal goes out with it
    assert (lead, duty.at[renamed, "rule_id"]) == ("农业农村局", "K01")
    assert duty.at[renamed, "reason"].endswith("审核表确认条目后分配")
    assert not {"集约高效利用", "占农户家庭承包经营面积的"} & {n for _, n in asked}
    items = unit_items(tables, "2025-12")
    assert not items.item_id.isin(gone.project_id).any()


def test_running_again_changes_nothing(decided, machine, config):
    """`make plan` again: the same extraction, the same workbooks in inputs/review/ → the same tables."""
    again, decisions, _ = review_stage(dict(machine), decided["inputs"], config.responsibility.departments,
                                       config.items.publish_at)
    for name in ("indicators", "projects", "tasks", "responsibilities"):
        pd.testing.assert_frame_equal(again[name].reset_index(drop=True),
                                      decided["tables"][name].reset_index(drop=True))
    pd.testing.assert_frame_equal(decisions, decided["decisions"])


def test_a_workbook_written_after_the_decisions_shows_them_and_returns_nothing_new(decided, config, tmp_path):
    """The next review workbook carries the decisions in its open columns; sent back as it is, it decides nothing
    new."""
    path = _workbook(decided["tables"], tmp_path, config, decided["decisions"])
    ws = openpyxl.load_workbook(path)[SHEET]
    col = _columns(ws)
    adopt = [ws.cell(r, col["采用"]).value for r in range(FIRST_ROW + 1, ws.max_row + 1)]
    assert adopt.count("剔除") == REMOVED
    units = {c: set(f.unit) for c, f in config.responsibility.departments.groupby("district_code")}
    again = tmp_path / "again"
    again.mkdir()
    path.rename(again / path.name)
    decisions, refused = read_decisions(again, units)
    assert decisions.empty and refused.empty


def test_a_remark_in_force_is_not_taken_again_from_the_next_workbook(machine, config, tmp_path):
    """备注 is written into the next workbook like every open cell, so the hidden sheet keeps it as written too:
    sent back unchanged, that workbook decides nothing (a remark is not recorded twice, under a later name)."""
    blank = _workbook(machine, tmp_path, config)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    _fill(blank, inputs / "230113_审核.xlsx", [(lambda r: r["建议名称"] == "森林覆盖率", "备注", "已核对")])
    tables, decisions, _ = review_stage(dict(machine), inputs, config.responsibility.departments,
                                        config.items.publish_at)
    assert list(decisions.field) == ["remark"]
    again = tmp_path / "again"
    again.mkdir()
    _workbook(tables, again, config, decisions)
    units = {c: set(f.unit) for c, f in config.responsibility.departments.groupby("district_code")}
    decisions, refused = read_decisions(again, units)
    assert decisions.empty and refused.empty


def test_decisions_survive_an_extractor_that_names_items_better(decided, machine, config):
    """A better extractor names '集约高效利用7平方公里' otherwise (and so gives it another id): the decision, keyed
    on the line and the target as printed, still finds it."""
    ind = machine["indicators"].copy()
    at = ind.index[ind.name == "集约高效利用"]
    ind.loc[at, ["name", "indicator_id"]] = ["集约利用", "ind-0000000001"]
    duty = machine["responsibilities"].copy()
    duty.loc[duty.item_id == machine["indicators"].indicator_id[at[0]], "item_id"] = "ind-0000000001"
    # and a removed project the extractor now names a little longer: found again by its line and a like name
    prj = machine["projects"].copy()
    removed = decided["decisions"].item_id[decided["decisions"].field == "adopt"].iloc[0]
    old_name = prj.name[prj.project_id == removed].iloc[0]
    prj.loc[prj.project_id == removed, ["name", "project_id"]] = [f"{old_name}建设", "prj-0000000001"]
    tables, decisions, _ = review_stage({**machine, "indicators": ind, "projects": prj, "responsibilities": duty},
                                        decided["inputs"], config.responsibility.departments, config.items.publish_at)
    assert "城市建设用地集约高效利用面积" in set(tables["indicators"].name)
    assert set(decisions.status) == {"applied"}
    moved = tables["projects"][tables["projects"].project_id == "prj-0000000001"]
    assert list(moved.review) == ["removed"]
    assert decisions.note[decisions.item_id == "prj-0000000001"].iloc[0] == "编号已变，按原文位置和名称对应"


def test_a_decision_whose_item_is_gone_is_listed_not_dropped(decided, machine, config):
    projects = machine["projects"]
    gone = set(decided["decisions"].item_id[decided["decisions"].field == "adopt"])
    kept = projects[~projects.project_id.isin(sorted(gone)[:1])]
    _, decisions, _ = review_stage({**machine, "projects": kept}, decided["inputs"],
                                   config.responsibility.departments, config.items.publish_at)
    orphaned = decisions[decisions.status == "orphaned"]
    assert len(orphaned) == 1 and len(decisions) == len(decided["decisions"])
    assert orphaned.note.iloc[0].startswith("所指条目在本次提取中已不存在")


def test_a_bad_workbook_is_refused_cell_by_cell_and_the_earlier_decisions_stay(decided, machine, config):
    """A later workbook names a unit not in the list, edits a key, changes a locked proposal and writes 同意 for
    采用: each is refused with sheet, cell and reason; its good cells are taken; the first workbook's decisions
    stay in force."""
    blank = decided["folder"] / f"{DISTRICT}_{NAME}_审核表.xlsx"
    bad = _fill(blank, decided["inputs"] / "230113_审核_第二次.xlsx", [
        (lambda r: r["建议名称"] == "建成区路网密度", "牵头单位", "粮食局"),
        (lambda r: r["类型"] == "任务", "编号", "230113-fyp-2021:t1:000000"),
        (lambda r: r["类型"] == "指标" and r["建议名称"] == "人口", "建议名称", "常住人口"),
        (lambda r: r["类型"] == "指标" and r["建议名称"] == "耕地保有量", "采用", "同意"),
        (lambda r: r["类型"] == "指标" and r["建议名称"] == "森林覆盖率", "备注", "已核对"),
    ], who="李科员")
    units = {c: set(f.unit) for c, f in config.responsibility.departments.groupby("district_code")}
    assert bad.exists()
    tables, decisions, refused = review_stage(dict(machine), decided["inputs"],
                                              config.responsibility.departments, config.items.publish_at)
    mine = refused[refused.source_file == bad.name]
    assert len(mine) == 4 and (mine.sheet == SHEET).all() and mine.cell.str.match(r"^[A-Z]+\d+$").all()
    reasons = " ".join(mine.reason)
    assert "“粮食局”不在本区单位名单" in reasons and "编号被改动" in reasons
    assert "锁定列" in reasons and "“采用”只能填“采用”或“剔除”" in reasons
    assert all(r.startswith(f"{c}：") for c, r in zip(mine.cell, mine.reason, strict=True))
    road = tables["indicators"].indicator_id[tables["indicators"].name == "建成区路网密度"].iloc[0]
    duty = tables["responsibilities"].set_index("item_id")
    assert duty.at[road, "lead_unit"] == "交通运输局"  # the first workbook's decision stands
    later = decisions[decisions.source_file == bad.name]
    assert list(later.field) == ["remark"] and set(later.decided_by) == {"李科员"}
    assert len(read_decisions(decided["inputs"], units)[1]) == 4
    bad.unlink()


def test_a_file_that_is_no_review_workbook_is_refused_whole(config, tmp_path):
    (tmp_path / "说明.xlsx").write_bytes(b"not a workbook")
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "空表.xlsx")
    units = {c: set(f.unit) for c, f in config.responsibility.departments.groupby("district_code")}
    decisions, refused = read_decisions(tmp_path, units)
    assert decisions.empty and sorted(refused.source_file) == ["空表.xlsx", "说明.xlsx"]
    assert refused.reason.str.contains("无法打开|不是审核表").all()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["空表.xlsx", "说明.xlsx"]


def test_a_unit_written_for_a_project_is_refused_not_dropped(decided, config, tmp_path):
    """A project has no unit of measure: its 单位 cell is shut, and a unit typed there anyway is refused with its
    cell, not taken silently."""
    blank = decided["folder"] / f"{DISTRICT}_{NAME}_审核表.xlsx"
    ws = openpyxl.load_workbook(blank)[SHEET]
    col = _columns(ws)
    row = next(r for r in range(FIRST_ROW + 1, ws.max_row + 1) if ws.cell(r, col["类型"]).value == "项目")
    assert ws.cell(row, col["单位"]).protection.locked
    folder = tmp_path / "inputs"
    folder.mkdir()
    _fill(blank, folder / "单位.xlsx", [(lambda r: r["类型"] == "项目", "单位", "亿元")])
    units = {c: set(f.unit) for c, f in config.responsibility.departments.groupby("district_code")}
    decisions, refused = read_decisions(folder, units)
    assert decisions.empty and len(refused) == 1
    assert refused.reason.iloc[0].endswith("项目和任务没有计量单位，本格不予采用")


def test_a_review_workbook_expanding_to_gigabytes_is_refused_whole_before_it_is_opened(decided, config, tmp_path):
    from tests.conftest import zip_bomb

    folder = tmp_path / "review"
    folder.mkdir()
    blank = decided["folder"] / f"{DISTRICT}_{NAME}_审核表.xlsx"
    zip_bomb(blank, folder / "炸弹_审核表.xlsx", "xl/worksheets/sheet1.xml")
    units = {c: set(f.unit) for c, f in config.responsibility.departments.groupby("district_code")}
    decisions, refused = read_decisions(folder, units, config.forms)
    assert decisions.empty and refused.source_file.tolist() == ["炸弹_审核表.xlsx"]
    assert re.match(r"文件解压后约 61\d\d MB，超过上限 \d+ MB，未打开", refused.reason.iloc[0])


def test_a_project_named_from_a_joining_word_and_a_verb_is_a_fragment(seeds):
    """'建设和运营主题产业园' (004) gave the name 和运营主题产业园: cut from a sentence, 待确认; 和平桥 (002) begins
    with 和 as a name does, and stays a project."""
    cut = seeds.projects[seeds.projects.name == "和运营主题产业园"]
    assert len(cut) == 1 and cut.review.iloc[0] == "pending"
    assert cut.confidence_reason.iloc[0].startswith("名称以连词开头")
    bridge = seeds.projects[seeds.projects.name == "和平桥"]
    assert len(bridge) and set(bridge.review) == {"proposed"}


def test_a_name_ending_in_what_is_built_or_run_names_a_project_a_company_name_does_not(seeds):
    """哈尔滨机场国际货运枢纽, 打通“断头路” (a quoted head) and 天然林保护 end in what is built, run or done: they go
    out; 风雷电力 (a company) and 传化物流 stay 待确认 until the office says what is built."""
    review = seeds.projects.groupby("name").review.first()
    assert review[["哈尔滨机场国际货运枢纽", "打通“断头路”", "天然林保护"]].tolist() == ["proposed"] * 3
    assert review[["风雷电力", "传化物流"]].tolist() == ["pending"] * 2
