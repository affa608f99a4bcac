"""Which return is newer is decided by when its unit saved it, not by the file's time on disk."""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from pipeline.cycle import run_monthly
from pipeline.forms.layout import SHEET
from pipeline.monitor.collect import read_return
from pipeline.monitor.intake import intake_order, saved_at
from pipeline.store import Store
from pipeline.tables import read_csv_text
from tests.conftest import ROOT, zip_bomb
from tests.monitor.conftest import NOW, numbered_rows, settings


def _saved(source: Path, path: Path, when: str) -> Path:
    """A copy of a returned form whose workbook says it was last saved at `when` (as Excel writes it)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "docProps/core.xml":
                data, count = re.subn(rb"(<dcterms:modified[^>]*>)[^<]+(</dcterms:modified>)",
                                      rb"\g<1>" + when.encode() + rb"\g<2>", data)
                assert count == 1
            new.writestr(info, data)
    return path


def test_the_later_saved_return_is_taken_in_last_whatever_the_disk_times(cycle, tmp_path):
    source = cycle["returns"] / "2025-05" / "230113_农业农村局_SAMPLE.xlsx"
    folder = tmp_path / "returns"
    folder.mkdir()
    first = _saved(source, folder / "b_农业农村局.xlsx", "2025-06-03T08:00:00Z")
    correction = _saved(source, folder / "a_农业农村局_更正.xlsx", "2025-06-04T09:30:00Z")
    os.utime(correction, (1_700_000_000, 1_700_000_000))  # a copied folder: the correction looks older on disk
    os.utime(first, (1_800_000_000, 1_800_000_000))
    (folder / "not_a_workbook.csv").write_text("x", encoding="utf-8")
    assert saved_at(correction) == "2025-06-04T09:30:00Z" and saved_at(folder / "not_a_workbook.csv") == ""
    assert intake_order(folder) == [folder / "not_a_workbook.csv", first, correction]


def test_returns_saved_at_the_same_moment_go_by_name_and_a_missing_folder_has_none(cycle, tmp_path):
    source = cycle["returns"] / "2025-05" / "230113_农业农村局_SAMPLE.xlsx"
    folder = tmp_path / "returns"
    folder.mkdir()
    paths = [_saved(source, folder / name, "2025-06-03T08:00:00Z") for name in ("2.xlsx", "1.xlsx")]
    assert intake_order(folder) == sorted(paths)
    assert intake_order(tmp_path / "nowhere") == []


def test_document_properties_blown_up_past_the_limit_are_not_read(cycle, tmp_path):
    source = cycle["returns"] / "2025-05" / "230113_农业农村局_SAMPLE.xlsx"
    path = tmp_path / "bloated.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "docProps/core.xml":
                data = data.replace(b"</cp:coreProperties>", b"<!--" + b"x" * 2_000_000 + b"--></cp:coreProperties>")
            new.writestr(info, data)
    assert saved_at(path) == "" and saved_at(source) != ""


# --- faults: the cell is the unit of update, and nothing good is ever lost (issue 18) ---------------------------

def _office(cycle, tmp_path) -> Path:
    """Fresh outputs holding the plan tables (a store of its own, under outputs/store)."""
    outputs = tmp_path / "outputs"
    shutil.copytree(cycle["outputs"] / "tables", outputs / "tables")
    return outputs


def _clean_form(cycle) -> Path:
    """A June SAMPLE return of 双城区 without planted errors, holding several figures."""
    planted = set(cycle["planted"].source_file)
    june = cycle["returns"] / "2025-06"
    return next(p for p in sorted(june.glob("230113_*_SAMPLE.xlsx"))
                if p.name not in planted and len(numbered_rows(read_return(p, 20))) >= 3)


def _run(outputs: Path, folder: Path, period: str = "2025-06", **changes) -> int:
    return run_monthly(dataclasses.replace(settings(outputs, period, folder), **changes), NOW)


def _store(outputs: Path) -> Store:
    return Store.sqlite(outputs / "store" / "monitor_SAMPLE.sqlite")


def _in_force(outputs: Path) -> pd.DataFrame:
    return _store(outputs).accepted().set_index("item_id")


def _folder(tmp_path: Path, name: str, *files: Path) -> Path:
    folder = tmp_path / name
    folder.mkdir(parents=True)
    for f in files:
        shutil.copyfile(f, folder / f.name)
    return folder


def _edited(source: Path, path: Path, cells: dict[str, object]) -> Path:
    """The return with cells of its entry sheet set, saved as a clerk's Excel would."""
    wb = load_workbook(source)
    for address, value in cells.items():
        wb[SHEET][address] = value
    wb.save(path)
    return path


def test_a_blank_form_sent_after_a_real_return_is_refused_as_empty_and_takes_nothing_out_of_force(cycle, tmp_path):
    outputs, form = _office(cycle, tmp_path), _clean_form(cycle)
    assert _run(outputs, _folder(tmp_path, "first", form)) == 0
    before = _in_force(outputs)
    rows = read_return(form, 20).rows
    (tmp_path / "blank").mkdir()
    blank = _edited(form, tmp_path / "blank" / form.name.replace("SAMPLE", "空白_SAMPLE"),
                    {cell.address: None for row in rows for cell in row.cells.values()})
    assert _run(outputs, blank.parent) == 0
    subs = _store(outputs).table("submissions").set_index("source_file")
    assert subs.loc[blank.name, "status"] == "refused"
    assert subs.loc[blank.name, "reason"].startswith("表中没有填写任何数值（空表）")
    assert subs.loc[form.name, "status"] == "accepted"
    pd.testing.assert_frame_equal(_in_force(outputs), before)


def test_a_correction_with_one_bad_cell_keeps_that_items_earlier_value_and_takes_the_rest(cycle, tmp_path):
    outputs, form = _office(cycle, tmp_path), _clean_form(cycle)
    assert _run(outputs, _folder(tmp_path, "first", form)) == 0
    before = _in_force(outputs)
    good, bad = numbered_rows(read_return(form, 20))[:2]
    new_value = good.cells["to_date"].raw + 1
    (tmp_path / "fix").mkdir()
    correction = _edited(form, tmp_path / "fix" / form.name.replace("SAMPLE", "更正_SAMPLE"),
                         {good.cells["to_date"].address: new_value, bad.cells["to_date"].address: "约5"})
    assert _run(outputs, correction.parent) == 0
    now = _in_force(outputs)
    assert now.loc[good.key, "cumulative_to_date"] == new_value and now.loc[good.key, "source_file"] == correction.name
    assert now.loc[bad.key, "cumulative_to_date"] == before.loc[bad.key, "cumulative_to_date"]
    assert now.loc[bad.key, "source_file"] == form.name  # the earlier good value, still in force
    rejections = _store(outputs).table("rejections")
    said = rejections[(rejections.source_file == correction.name) & (rejections.item_id == bad.key)]
    assert len(said) == 1 and said.rule.iloc[0] == "not_a_number"
    assert said.reason.iloc[0].startswith(f"{bad.cells['to_date'].address}：“约5”不是数字")
    assert said.reason.iloc[0].endswith("；此前报送的数值继续有效")
    assert f"年初至今累计={form.name}!{bad.cells['to_date'].address}（沿用）" in now.loc[bad.key, "sources"]
    old = _store(outputs).table("observations")
    old = old[(old.source_file == form.name) & (old.item_id == good.key)]
    assert old[["status", "superseded_by"]].values.tolist() == [["superseded", _store(outputs).table(
        "submissions").set_index("source_file").loc[correction.name, "sha256"]]]


def test_a_cell_left_empty_keeps_its_earlier_value_and_the_clear_word_clears_it(cycle, tmp_path):
    outputs, form = _office(cycle, tmp_path), _clean_form(cycle)
    assert _run(outputs, _folder(tmp_path, "first", form)) == 0
    before = _in_force(outputs)
    kept, cleared = numbered_rows(read_return(form, 20))[:2]
    (tmp_path / "fix").mkdir()
    correction = _edited(form, tmp_path / "fix" / form.name.replace("SAMPLE", "更正_SAMPLE"),
                         {kept.cells["to_date"].address: None, kept.cells["remark"].address: "只改备注",
                          cleared.cells["to_date"].address: "清除"})
    assert _run(outputs, correction.parent) == 0
    now = _in_force(outputs)
    assert now.loc[kept.key, "cumulative_to_date"] == before.loc[kept.key, "cumulative_to_date"]
    assert now.loc[kept.key, "remark"] == "只改备注"
    assert (now.loc[kept.key, "source_file"], now.loc[kept.key, "cell"]) == (form.name, kept.cells["to_date"].address)
    assert f"年初至今累计={form.name}!{kept.cells['to_date'].address}（沿用）" in now.loc[kept.key, "sources"]
    assert f"备注={correction.name}!{kept.cells['remark'].address}" in now.loc[kept.key, "sources"]
    assert pd.isna(now.loc[cleared.key, "cumulative_to_date"])
    cleared_at = f"{correction.name}!{cleared.cells['to_date'].address}"
    assert f"年初至今累计={cleared_at}（已清除）" in now.loc[cleared.key, "sources"]


def test_a_kept_value_says_where_it_came_from_even_when_its_files_name_holds_the_separator(cycle, tmp_path):
    """A clerk named the first return '…；第一次…' ('；' also separates the parts of `sources`): a later return that
    leaves 累计 empty keeps it, and the value in force still names that file and cell, not a piece of its name."""
    outputs, form = _office(cycle, tmp_path), _clean_form(cycle)
    (tmp_path / "first").mkdir()
    first = tmp_path / "first" / form.name.replace("SAMPLE", "第一次；SAMPLE")
    shutil.copyfile(form, first)
    assert _run(outputs, first.parent) == 0
    kept = numbered_rows(read_return(first, 20))[0]
    (tmp_path / "fix").mkdir()
    correction = _edited(first, tmp_path / "fix" / form.name.replace("SAMPLE", "更正_SAMPLE"),
                         {kept.cells["to_date"].address: None, kept.cells["remark"].address: "只改备注"})
    assert _run(outputs, correction.parent) == 0
    now = _in_force(outputs)
    assert (now.loc[kept.key, "source_file"], now.loc[kept.key, "cell"]) == (first.name, kept.cells["to_date"].address)
    assert f"年初至今累计={first.name}!{kept.cells['to_date'].address}（沿用）" in now.loc[kept.key, "sources"]


def test_a_file_refused_in_another_months_folder_is_taken_when_it_arrives_in_its_own(cycle, tmp_path):
    outputs, form = _office(cycle, tmp_path), _clean_form(cycle)
    assert _run(outputs, _folder(tmp_path, "2025-05", form), "2025-05") == 0
    subs = _store(outputs).table("submissions")
    assert subs.status.tolist() == ["refused"] and subs.period.tolist() == ["2025-05"]
    assert _run(outputs, _folder(tmp_path, "2025-06", form)) == 0
    subs = _store(outputs).table("submissions")
    assert subs[["status", "period"]].values.tolist() == [["accepted", "2025-06"]]
    assert not _store(outputs).accepted().empty
    refusal = _store(outputs).table("rejections")
    refusal = refusal[refusal.rule == "file_refused"]
    assert refusal[["period", "status"]].values.tolist() == [["2025-05", "superseded"]]  # the refusal is kept
    assert refusal.reason.iloc[0].startswith("这是 2025-06 的填报表")
    again = _store(outputs).table("observations")
    assert _run(outputs, tmp_path / "2025-06") == 0  # the same file again: nothing changes
    pd.testing.assert_frame_equal(_store(outputs).table("observations"), again)


def test_a_locked_month_takes_even_a_units_first_return_only_with_a_reason(cycle, tmp_path):
    outputs, form = _office(cycle, tmp_path), _clean_form(cycle)
    assert _run(outputs, _folder(tmp_path, "empty"), lock=True) == 0
    folder = _folder(tmp_path, "late", form)
    assert _run(outputs, folder) == 0
    subs = _store(outputs).table("submissions")
    assert subs.status.tolist() == ["refused"] and "已锁定" in subs.reason.iloc[0]
    assert _run(outputs, folder) == 0 and len(_store(outputs).table("rejections")) == 1  # refused again: no change
    assert _run(outputs, folder, reason="单位迟报，经局长同意补录") == 0
    subs = _store(outputs).table("submissions")
    assert subs[["status", "reason"]].values.tolist() == [["accepted", "锁定后报送，理由：单位迟报，经局长同意补录"]]
    assert not _store(outputs).accepted().empty


def test_files_that_are_not_read_are_listed_with_why_and_a_link_is_never_followed(cycle, tmp_path):
    outputs, form = _office(cycle, tmp_path), _clean_form(cycle)
    folder = _folder(tmp_path, "2025-06")
    shutil.copyfile(form, folder / f".{form.name}")
    shutil.copyfile(form, folder / f"~${form.name}")
    (folder / "旧表").mkdir()
    shutil.copyfile(form, folder / "旧表" / form.name)
    (folder / "链接.xlsx").symlink_to(form)
    assert _run(outputs, folder) == 0
    assert _store(outputs).table("submissions").empty  # none of them was read
    listed = read_csv_text(outputs / "monitor" / "2025-06_SAMPLE" / "rejections.csv")
    assert sorted(zip(listed.source_file, listed.rule, strict=True)) == sorted(
        (name, "file_skipped") for name in (f".{form.name}", f"~${form.name}", "旧表", "链接.xlsx"))
    why = dict(zip(listed.source_file, listed.reason, strict=True))
    assert why["链接.xlsx"].startswith("是符号链接") and why["旧表"].startswith("是子文件夹")


def test_a_returns_folder_that_does_not_exist_is_an_error_before_the_store_is_touched(plan_outputs, tmp_path):
    from pipeline.cli import main

    outputs = tmp_path / "outputs"
    shutil.copytree(plan_outputs / "tables", outputs / "tables")
    assert main(["monthly", "--period", "2025-06", "--returns", str(tmp_path / "nowhere"), "--outputs",
                 str(outputs), "--sample"]) == 2
    assert main(["monthly", "--period", "2025-6", "--returns", str(tmp_path), "--outputs", str(outputs)]) == 2
    assert not (outputs / "store").exists() and not (outputs / "monitor").exists()


# --- faults across processes: kill -9, two runs at once, a zip bomb under a memory limit ------------------------

RUNNER = """
import os, resource, shutil, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
if {memory_mb}:
    resource.setrlimit(resource.RLIMIT_AS, ({memory_mb} << 20, {memory_mb} << 20))
if {stall}:
    def stalled(source, target, length=0):  # the archive copy stops halfway, as a machine that goes down would
        target.write(source.read(2048)); target.flush(); print("COPYING", flush=True); time.sleep(120)
    shutil.copyfileobj = stalled
from tests.monitor.conftest import NOW, settings
from pipeline.cycle import run_monthly
sys.exit(run_monthly(settings(Path({outputs!r}), "2025-06", Path({folder!r})), NOW))
"""


def _runner(outputs: Path, folder: Path, memory_mb: int = 0, stall: bool = False) -> subprocess.Popen:
    """`make monthly` for June in a process of its own (the store of `outputs`)."""
    code = RUNNER.format(root=str(ROOT), outputs=str(outputs), folder=str(folder), memory_mb=memory_mb, stall=stall)
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)


def test_an_archive_copy_killed_midway_is_found_and_made_again_on_the_next_run(cycle, tmp_path):
    outputs, form = _office(cycle, tmp_path), _clean_form(cycle)
    folder = _folder(tmp_path, "2025-06", form)
    run = _runner(outputs, folder, stall=True)
    assert run.stdout.readline().strip() == "COPYING"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    received = outputs / "store" / "received"
    assert [p.name.endswith(".part") for p in received.iterdir()] == [True]  # an incomplete copy, never renamed
    assert _store(outputs).table("submissions").empty  # nothing was recorded without its archive
    assert _run(outputs, folder) == 0
    sha = hashlib.sha256(form.read_bytes()).hexdigest()
    assert [p.name for p in received.iterdir()] == [f"{sha}.xlsx"]
    assert hashlib.sha256((received / f"{sha}.xlsx").read_bytes()).hexdigest() == sha
    assert _store(outputs).table("submissions").status.tolist() == ["accepted"]


def test_a_damaged_archive_copy_is_made_again_when_its_file_is_seen(cycle, tmp_path):
    outputs, form = _office(cycle, tmp_path), _clean_form(cycle)
    folder = _folder(tmp_path, "2025-06", form)
    assert _run(outputs, folder) == 0
    sha = hashlib.sha256(form.read_bytes()).hexdigest()
    archived = outputs / "store" / "received" / f"{sha}.xlsx"
    archived.write_bytes(archived.read_bytes()[:100])  # a disk error, an old crash
    assert _run(outputs, folder) == 0
    assert hashlib.sha256(archived.read_bytes()).hexdigest() == sha


def test_two_runs_at_once_on_one_store_record_each_file_once_without_a_traceback(cycle, tmp_path):
    outputs = _office(cycle, tmp_path)
    planted = set(cycle["planted"].source_file)
    forms = [p for p in sorted((cycle["returns"] / "2025-06").glob("*.xlsx")) if p.name not in planted][:6]
    folder = _folder(tmp_path, "2025-06", *forms)
    runs = [_runner(outputs, folder), _runner(outputs, folder)]
    results = [(run.wait(timeout=600), run.stderr.read()) for run in runs]
    assert [code for code, _ in results] == [0, 0]
    assert not [err for _, err in results if "Traceback" in err]
    subs = _store(outputs).table("submissions")
    assert sorted(subs.source_file) == sorted(p.name for p in forms)
    accepted = _store(outputs).accepted()
    assert not accepted.duplicated(["district_code", "item_id", "period"]).any()


def test_a_form_expanding_to_six_gigabytes_is_refused_before_opening_under_a_memory_limit(cycle, tmp_path):
    outputs, form = _office(cycle, tmp_path), _clean_form(cycle)
    folder = _folder(tmp_path, "2025-06", form)
    bomb = zip_bomb(form, folder / "230113_炸弹.xlsx", "xl/worksheets/sheet1.xml")
    assert bomb.stat().st_size < 20 << 20  # small enough to pass the size check: only its expansion gives it away
    run = _runner(outputs, folder, memory_mb=1536)
    code, err = run.wait(timeout=600), run.stderr.read()
    assert code == 0 and "MemoryError" not in err and "Traceback" not in err
    subs = _store(outputs).table("submissions").set_index("source_file")
    assert subs.loc[bomb.name, "status"] == "refused"
    assert re.match(r"文件解压后约 61\d\d MB，超过上限 \d+ MB，未打开.*请只提交下发的填报表$",
                    subs.loc[bomb.name, "reason"])
    assert subs.loc[form.name, "status"] == "accepted"  # the bad file stopped nothing else


def test_a_file_whose_reading_fails_unexpectedly_is_listed_and_stops_nothing_else(cycle, tmp_path, monkeypatch):
    import pipeline.monitor.intake as intake

    outputs, form = _office(cycle, tmp_path), _clean_form(cycle)
    folder = _folder(tmp_path, "2025-06", form)
    odd = shutil.copyfile(form, folder / "0_出错.xlsx")
    real = intake.read_return

    def failing(path, max_mb):
        if path.name == odd.name:
            raise RecursionError("a parser given something it cannot handle")
        return real(path, max_mb)

    monkeypatch.setattr(intake, "read_return", failing)
    assert _run(outputs, folder) == 0
    subs = _store(outputs).table("submissions")
    assert subs.source_file.tolist() == [form.name] and subs.status.tolist() == ["accepted"]
    listed = read_csv_text(outputs / "monitor" / "2025-06_SAMPLE" / "rejections.csv").set_index("source_file")
    assert listed.loc[odd.name, "reason"] == "处理时出错（RecursionError），未记录；请检查该文件后重新运行"
