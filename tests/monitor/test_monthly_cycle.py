"""The monthly cycle on SAMPLE returns: planted errors caught once each, nothing lost, re-runs change nothing."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.cycle import run_monthly
from pipeline.forms.layout import FIRST_ROW, META_SHEET, REMARK_COL, SHEET, meta_cell
from pipeline.monitor.collect import read_return
from pipeline.monitor.validate import ValidationRules, validate_return
from pipeline.render.styles import StyleSheet
from pipeline.statuses import Statuses
from pipeline.store import Store, Submission
from pipeline.units import Units
from tests.conftest import CONFIG, ROOT
from tests.monitor.conftest import NOW, edit_entry_sheet, settings

STATUSES = Statuses.load(ROOT / "templates" / "workbook_style.yaml")


def _store(cycle) -> Store:
    return Store.sqlite(cycle["outputs"] / "store" / "monitor_SAMPLE.sqlite")


def test_each_planted_error_is_rejected_once_with_its_cell_and_rule(cycle):
    rejections = pd.read_csv(cycle["outputs"] / "monitor" / "2025-06_SAMPLE" / "rejections.csv", dtype=str,
                             keep_default_na=False)
    got = sorted(zip(rejections.source_file, rejections.cell, rejections.rule, strict=True))
    want = sorted(zip(cycle["planted"].source_file, cycle["planted"].cell, cycle["planted"].rule, strict=True))
    assert got == want
    reasons = dict(zip(zip(rejections.source_file, rejections.cell, strict=True), rejections.reason, strict=True))
    planted = cycle["planted"]
    where = dict(zip(planted.what, zip(planted.source_file, planted.cell, strict=True), strict=True))
    number, formula = where["数值前加“约”"], where["公式无计算结果"]  # (file, cell): errors may be in several forms
    assert reasons[number].startswith(f"{number[1]}：“约12.5”不是数字，请填写数值（单位：")
    assert "公式" in reasons[formula] and "没有计算结果" in reasons[formula]


def test_every_other_value_is_in_the_store_and_totals_match_the_files(cycle):
    store = _store(cycle)
    june = store.accepted()
    june = june[june.period == "2025-06"]
    folder = cycle["returns"] / "2025-06"
    rejected = pd.read_csv(cycle["outputs"] / "monitor" / "2025-06_SAMPLE" / "rejections.csv", dtype=str,
                           keep_default_na=False)
    submissions = store.table("submissions")
    current = submissions[submissions.period == "2025-06"].set_index("source_file")
    for path in sorted(folder.glob("*_SAMPLE.xlsx")):
        if path.name in set(rejected.source_file[rejected.rule == "file_refused"]):
            continue
        ret = read_return(path, 20)
        if current.loc[path.name, "status"] != "accepted":
            continue  # superseded by its corrected return
        mine = june[june.source_file == path.name]
        refused = set(rejected.cell[rejected.source_file == path.name])
        rows = [r for r in ret.rows if f"L{r.row}" not in refused]  # a row refused by its key gives nothing
        # the cell is the unit: a row is taken when any of its cells is filled and not refused
        taken = [r for r in rows if any(c.address not in refused and c.raw not in (None, "") for c in r.cells.values())]
        assert len(mine) == len(taken), path.name
        expected = sum(float(r.cells["to_date"].raw) for r in rows if r.cells["to_date"].address not in refused
                       and isinstance(r.cells["to_date"].raw, int | float))
        assert mine.cumulative_to_date.sum() == pytest.approx(expected), path.name


def test_a_corrected_return_supersedes_and_the_first_is_kept(cycle):
    submissions = _store(cycle).table("submissions")
    june = submissions[submissions.period == "2025-06"]
    corrected = june[june.source_file.str.contains("_更正_")].iloc[0]
    first = june[june.superseded_by == corrected.sha256].iloc[0]
    assert (first.status, corrected.status) == ("superseded", "accepted")
    obs = _store(cycle).table("observations")
    assert (obs[obs.sha256 == first.sha256].status == "superseded").all()
    assert (obs[obs.sha256 == corrected.sha256].status == "accepted").all()


def test_received_files_are_archived_as_received(cycle):
    submissions = _store(cycle).table("submissions")
    for row in submissions.itertuples():
        archived = cycle["outputs"] / "store" / "received" / (row.sha256 + "." + row.source_file.rsplit(".", 1)[-1])
        assert archived.read_bytes() == (cycle["returns"] / row.period / row.source_file).read_bytes()


def test_running_a_month_twice_changes_nothing(cycle):
    store = _store(cycle)
    before = {name: store.table(name) for name in ("submissions", "observations", "rejections")}
    assert run_monthly(settings(cycle["outputs"], "2025-06", cycle["returns"] / "2025-06"), NOW) == 0
    for name, frame in before.items():
        pd.testing.assert_frame_equal(store.table(name), frame)


def test_a_run_killed_halfway_leaves_the_store_as_before_that_file(cycle, tmp_path, monkeypatch):
    from tests.test_store import fail_on_values

    store = Store.sqlite(tmp_path / "store.sqlite")
    path = sorted((cycle["returns"] / "2025-05").glob("230113_农业农村局_SAMPLE.xlsx"))[0]
    ret = read_return(path, 20)
    items = pd.DataFrame({"item_id": [r.key for r in ret.rows], "item_type": "indicator",
                          "name": [r.name for r in ret.rows], "unit": "亿元", "annual_target": 100.0,
                          "target_text": "100"})
    obs, rej = validate_return(ret, items, pd.DataFrame(columns=["item_id", "period", "cumulative_to_date"]),
                               ValidationRules.load(CONFIG / "status.yaml"), "2025-06-05T10:00:00",
                               units=Units.load(CONFIG / "units.yaml"))
    submission = Submission(ret.sha256, ret.district_code, ret.unit, ret.period, path.name, str(path), "x",
                            "2025-06-05T10:00:00", obs, rej)
    fail_on_values(monkeypatch)
    with pytest.raises(RuntimeError):
        store.record(submission)
    assert store.table("submissions").empty and store.table("observations").empty
    assert store.record(submission) == "accepted" and len(store.table("observations")) == len(obs)


def test_a_formula_with_a_cached_value_is_taken_at_that_value(cycle, tmp_path):
    source = cycle["returns"] / "2025-05" / "230113_农业农村局_SAMPLE.xlsx"
    before = read_return(source, 20)
    first = next(r for r in before.rows if isinstance(r.cells["to_date"].raw, float))
    address, value = first.cells["to_date"].address, first.cells["to_date"].raw
    path = tmp_path / "公式.xlsx"  # as Excel saves =A1+0: formula and cached value
    edit_entry_sheet(source, path, [(rf'(<c r="{address}"[^>]*>)<v>'.encode(), rb"\1<f>A1+0</f><v>")])
    after = read_return(path, 20)
    cell = next(r for r in after.rows if r.key == first.key).cells["to_date"]
    assert (cell.address, cell.formula, cell.raw) == (address, "=A1+0", value)


def test_a_formula_without_a_cached_value_is_kept_as_a_formula(cycle, tmp_path):
    path = tmp_path / "cached.xlsx"
    planted = cycle["planted"]
    source = planted.source_file[planted.rule == "formula_without_value"].iloc[0]
    shutil.copyfile(cycle["returns"] / "2025-06" / source, path)
    ret = read_return(path, 20)
    formula = [r for r in ret.rows if r.cells["to_date"].formula]
    assert len(formula) == 1 and formula[0].cells["to_date"].raw is None  # openpyxl saved no cached value
    wb = load_workbook(path)
    assert wb[SHEET][formula[0].cells["to_date"].address].value.startswith("=")


def test_the_monitoring_workbooks_list_every_rejection_and_say_sample(cycle):
    folder = cycle["outputs"] / "workbooks" / "2025-06_SAMPLE"
    district = load_workbook(folder / "230113_双城区_月度监测_2025-06_SAMPLE.xlsx")
    assert "样例数据 SAMPLE" in district["指标监测"]["A1"].value
    returned = district["退回清单"]
    cells = [row[4].value for row in returned.iter_rows(min_row=4) if isinstance(row[0].value, int)]
    rejections = pd.read_csv(cycle["outputs"] / "monitor" / "2025-06_SAMPLE" / "rejections.csv", dtype=str,
                             keep_default_na=False)
    mine = rejections[rejections.district_code.isin(["230113", ""])]
    assert sorted(c or "" for c in cells) == sorted(mine.cell)
    assert (folder / "哈尔滨市_月度监测汇总_2025-06_SAMPLE.xlsx").exists()


def _one_return(cycle, tmp_path):
    """Fresh outputs with the plan tables, and June's folder holding one unit's SAMPLE return."""
    outputs = tmp_path / "outputs"
    shutil.copytree(cycle["outputs"] / "tables", outputs / "tables")
    june = tmp_path / "2025-06"
    june.mkdir()
    original = cycle["returns"] / "2025-06" / "230104_发改局_SAMPLE.xlsx"
    shutil.copyfile(original, june / original.name)
    return outputs, june, original


def test_a_locked_month_takes_a_changed_return_only_with_a_reason(cycle, tmp_path):
    outputs, june, original = _one_return(cycle, tmp_path)
    def run(**changes) -> int:
        base = settings(outputs, "2025-06", june, f"sqlite:///{tmp_path}/s.sqlite")
        return run_monthly(dataclasses.replace(base, **changes), NOW)

    assert run(lock=True) == 0
    wb = load_workbook(original)
    wb[SHEET].cell(FIRST_ROW + 1, REMARK_COL + 1).value = "更正"
    wb.save(june / "230104_发改局_更正_SAMPLE.xlsx")
    run()
    store = Store(f"sqlite:///{tmp_path}/s.sqlite")
    subs = store.table("submissions").set_index("source_file")
    assert subs.loc["230104_发改局_更正_SAMPLE.xlsx", "status"] == "refused"
    assert "已锁定" in subs.loc["230104_发改局_更正_SAMPLE.xlsx", "reason"]
    (june / "230104_发改局_更正_SAMPLE.xlsx").rename(june / "230104_发改局_更正2_SAMPLE.xlsx")
    wb[SHEET].cell(FIRST_ROW + 2, REMARK_COL + 1).value = "再次更正"
    wb.save(june / "230104_发改局_更正2_SAMPLE.xlsx")
    run(reason="统计口径调整，经区发改局同意")
    subs = store.table("submissions").set_index("source_file")
    assert subs.loc["230104_发改局_更正2_SAMPLE.xlsx", "status"] == "accepted"
    assert subs.loc[original.name, "status"] == "superseded"
    assert "锁定后更正，理由：统计口径调整" in subs.loc[original.name, "reason"]


def test_a_manual_judgement_needs_a_reason_and_an_approver(cycle):
    from pipeline.monitor.overrides import apply_overrides

    status = pd.read_csv(cycle["outputs"] / "monitor" / "2025-06_SAMPLE" / "status.csv", dtype=str,
                         keep_default_na=False)
    item = status.item_id.iloc[0]
    overrides = pd.DataFrame({"period": ["2025-06", "2025-06", "2025-06"], "item_id": [item, item, "ind-x"],
                              "status": ["正常", "正常", "正常"],
                              "reason": ["受疫情影响，一季度数据延后统计", "", "理由"],
                              "approved_by": ["区发改局局长", "局长", "局长"]})
    judged = apply_overrides(status, overrides, "2025-06", "overrides.csv", STATUSES).set_index("item_id")
    assert judged.loc[item, "status"] == "人工研判"
    assert judged.loc[item, "method"].endswith("理由：受疫情影响，一季度数据延后统计；批准：区发改局局长）")
    assert judged.method.str.count("人工研判").sum() == 1


def _sent_as(cycle, tmp_path, field: str, value: str, hidden_only: bool = False) -> tuple[Path, Path]:
    """Fresh outputs with the plan tables, and June's folder holding one real return whose field `field` says
    `value` (what a clerk's copy of another form, or an old one, says: its _meta sheet and the workbook's own
    properties; `hidden_only`: the _meta sheet alone, as someone editing the hidden sheet leaves it)."""
    outputs = tmp_path / "outputs"
    shutil.copytree(cycle["outputs"] / "tables", outputs / "tables")
    june = tmp_path / "2025-06"
    june.mkdir()
    wb = load_workbook(cycle["returns"] / "2025-06" / "230113_农业农村局_SAMPLE.xlsx")
    wb[META_SHEET][meta_cell(field)] = value
    if not hidden_only:
        next(p for p in wb.custom_doc_props.props if p.name == field).value = value
    wb.save(june / "230113_SAMPLE.xlsx")
    run_monthly(settings(outputs, "2025-06", june, f"sqlite:///{tmp_path}/s.sqlite"), NOW)
    return outputs, tmp_path / "s.sqlite"


@pytest.mark.parametrize("field, value, said", [("district_code", "230108", "区划代码“230113”改为“230108”"),
                                               ("lead_unit", "商务局", "填报单位“农业农村局”改为“商务局”"),
                                               ("period", "2025-05", "期间“2025-06”改为“2025-05”")])
def test_a_form_whose_hidden_details_were_edited_is_refused_whole(cycle, tmp_path, field, value, said):
    """The _meta sheet edited to another district, unit or month: the workbook's own properties still say what
    the form was made for, so the file is refused whole and nothing of it is taken."""
    _, store = _sent_as(cycle, tmp_path, field, value, hidden_only=True)
    store = Store(f"sqlite:///{store}")
    assert store.table("submissions").status.tolist() == ["refused"]
    assert store.table("submissions").reason.iloc[0] == \
        f"表内隐藏的表格信息被修改（{said}），整表未采用；请使用下发的填报表"
    assert store.table("observations").empty


def test_a_form_sent_under_another_units_name_is_refused(cycle, tmp_path):
    _, store = _sent_as(cycle, tmp_path, "lead_unit", "商务局")
    subs = Store(f"sqlite:///{store}").table("submissions")
    assert subs.status.tolist() == ["refused"]
    assert subs.reason.iloc[0] == "表中多数行属于“农业农村局”，不是“商务局”的填报表，请核对后报送"


@pytest.mark.parametrize("field, value, reason", [
    ("template_version", "PCP-FORM-2019.1",
     "填报表模板版本为“PCP-FORM-2019.1”，当前为“{version}”，请使用本月下发的填报表"),
    ("template_version", "", "填报表模板版本为“无”，当前为“{version}”，请使用本月下发的填报表"),
    ("period", "2025-05", "这是 2025-05 的填报表，本次收集的是 2025-06，请报送本月的填报表"),
    ("lead_unit", "档案馆", "“档案馆”（区划代码 230113）本月没有需要填报的指标或项目，请核对填报单位"),
])
def test_a_form_of_another_template_month_or_unit_is_refused_as_a_whole(cycle, tmp_path, field, value, reason):
    outputs, store = _sent_as(cycle, tmp_path, field, value)
    version = StyleSheet.load(ROOT / "templates" / "workbook_style.yaml").form_template_version
    rejections = pd.read_csv(outputs / "monitor" / "2025-06_SAMPLE" / "rejections.csv", dtype=str,
                             keep_default_na=False)
    assert rejections[["source_file", "sheet", "cell", "rule", "reason"]].values.tolist() == [
        ["230113_SAMPLE.xlsx", "", "", "file_refused", reason.format(version=version)]]
    assert Store(f"sqlite:///{store}").table("observations").empty  # nothing of the file is taken


def test_status_figures_in_the_workbook_agree_with_a_hand_computation(cycle):
    status = pd.read_csv(cycle["outputs"] / "monitor" / "2025-06_SAMPLE" / "status.csv", dtype=str,
                         keep_default_na=False)
    row = status[(status.district_code == "230113") & (status.unit == "万人")].iloc[0]  # 城镇新增就业人数 0.8万人
    target, cumulative = float(row.annual_target), float(row.cumulative_to_date)
    completion, expected = cumulative / target, 6 / 12
    hand = "已完成" if completion >= 1 else "超前" if completion - expected >= 0.1 else \
        "正常" if completion - expected >= 0 else "预警" if completion - expected >= -0.3 else "滞后"  # 约束性
    may = pd.read_csv(cycle["outputs"] / "monitor" / "2025-05_SAMPLE" / "status.csv", dtype=str, keep_default_na=False)
    if hand == "预警" and may.set_index("item_id").loc[row.item_id, "status"] == "预警":
        hand = "滞后"  # 预警 two months running
    folder = cycle["outputs"] / "workbooks" / "2025-06_SAMPLE"
    ws = load_workbook(folder / "230113_双城区_月度监测_2025-06_SAMPLE.xlsx")["指标监测"]
    line = next(r for r in ws.iter_rows(min_row=4) if r[1].value == row["name"])
    values = {ws.cell(3, c.column).value: c for c in line}
    assert values["序时进度"].value == pytest.approx(expected)
    assert values["完成进度"].value == pytest.approx(completion)
    assert values["状态"].value == hand
    assert f"完成 {cumulative:g}/{target:g}" in values["状态"].comment.text


def test_an_unreadable_overrides_file_is_named_and_the_month_is_still_written(cycle, tmp_path, caplog):
    outputs, june, _ = _one_return(cycle, tmp_path)
    overrides = tmp_path / "overrides.csv"  # saved by Excel on Chinese Windows: GBK
    overrides.write_bytes("period,item_id,status,reason,approved_by\n2025-06,x,正常,理由,发改局\n".encode("gbk"))
    base = settings(outputs, "2025-06", june, f"sqlite:///{tmp_path}/s.sqlite")
    assert run_monthly(dataclasses.replace(base, overrides=overrides), NOW) == 0
    assert any(r.levelname == "ERROR" and r.getMessage().startswith("overrides.csv：不是 UTF-8 编码")
               for r in caplog.records)
    status = pd.read_csv(outputs / "monitor" / "2025-06_SAMPLE" / "status.csv", dtype=str)
    assert len(status) and "人工研判" not in set(status.status)


def test_a_manual_judgement_with_a_misspelt_period_or_column_is_named_not_dropped_silently(cycle, caplog):
    from pipeline.monitor.overrides import apply_overrides

    status = pd.read_csv(cycle["outputs"] / "monitor" / "2025-06_SAMPLE" / "status.csv", dtype=str,
                         keep_default_na=False)
    item = status.item_id.iloc[0]
    line = {"item_id": [item], "status": ["正常"], "reason": ["受疫情影响，一季度数据延后统计"],
            "approved_by": ["局长"]}
    judged = apply_overrides(status, pd.DataFrame({"period": ["2025-6"], **line}), "2025-06", "overrides.csv", STATUSES)
    assert "人工研判" not in set(judged.status)
    assert "overrides.csv 第 2 行未采用：期间“2025-6”格式不对，应为 YYYY-MM（如 2025-06）" in caplog.messages
    judged = apply_overrides(status, pd.DataFrame({"month": ["2025-06"], **line}), "2025-06", "overrides.csv", STATUSES)
    assert "人工研判" not in set(judged.status)
    assert any(m.startswith("overrides.csv 未采用：缺少列 period") for m in caplog.messages)


def test_no_indicator_is_judged_twice_and_only_running_totals_are_paced_by_months(cycle):
    status = pd.read_csv(cycle["outputs"] / "monitor" / "2025-06_SAMPLE" / "status.csv", dtype=str,
                         keep_default_na=False)
    plan = pd.read_csv(cycle["outputs"] / "tables" / "indicators.csv", dtype=str, keep_default_na=False)
    judged = status[status.item_type == "indicator"].merge(plan, left_on="item_id", right_on="indicator_id")
    assert len(judged) and not judged.duplicated(["doc_id", "indicator_key"]).any()
    by_months = judged.method.str.contains("序时进度 6/12")
    assert by_months.any() and set(judged.measure_type[by_months]) == {"flow"}
    assert set(judged.frequency) == {"monthly", "quarterly"}  # June asks no annual indicator


def test_a_formula_written_on_a_form_is_escaped_in_the_month_csv_and_read_back_as_written(cycle):
    """The planted formula (=G6*2) is kept as the rejected raw value: in rejections.csv it begins with an
    apostrophe (a spreadsheet opening the file shows text, runs nothing); the pipeline reads back the formula."""
    import csv

    from pipeline.tables import read_csv_text

    path = cycle["outputs"] / "monitor" / "2025-06_SAMPLE" / "rejections.csv"
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert not [v for row in rows for v in row.values() if v.startswith(("=", "+", "@"))]
    written = [row["raw_value"] for row in rows if row["rule"] == "formula_without_value"]
    assert written and all(v.startswith("'=") for v in written)
    read = read_csv_text(path)
    assert sorted(read.raw_value[read.rule == "formula_without_value"]) == sorted(v[1:] for v in written)
