"""One received file as a unit of work: archive it, read it, check it against the month's items and record it
in the store (accepted rows, rejected cells, or the whole file refused with its reason).

The archive copy is part of the unit of work: written under a temporary name, verified by its sha256, then
renamed, before anything is recorded; a copy a crash left incomplete is found and made again on the next run.
What was done with a file decides whether it is taken again: a file accepted before changes nothing, a file
refused before (another month's folder, a locked month without a reason) is taken when it arrives where it
belongs. Files that are not read (hidden files, subfolders, links) are listed with why.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.monitor.collect import PROPERTIES_LIMIT, FileRefused, FormReturn, read_return
from pipeline.monitor.items import Expected
from pipeline.monitor.validate import ValidationRules, is_blank, validate_return
from pipeline.periods import in_year_to, month, of_month
from pipeline.schema import columns
from pipeline.store import Store, Submission
from pipeline.tables import records
from pipeline.units import Units
from pipeline.zipguard import ZipLimits, expansion_problem, read_part

if TYPE_CHECKING:
    from pipeline.monitor.run import MonthlySettings

log = logging.getLogger(__name__)
SAVED_AT = re.compile(r"<dcterms:modified[^>]*>([^<]+)</dcterms:modified>")


def intake_order(folder: Path) -> list[Path]:
    """The files of a returns folder in the order they are taken in, so that of two returns of one unit the
    later one supersedes: by when the unit saved the form (the workbook's own 'modified' property, which Excel
    writes on saving and copying a file does not change), then by file name. A file's modification time on disk
    is not used: copying a folder can invert it. Files of an earlier run are older than any of this run. What
    is not taken in is listed by `skipped_files`."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if not _skip_reason(p)]
    return sorted(files, key=lambda p: (saved_at(p), p.name))


def skipped_files(folder: Path) -> list[tuple[str, str]]:
    """(name, why) of every entry of a returns folder that is not read: a hidden or temporary file, a subfolder,
    a link (never followed: it may point anywhere), anything not a plain file."""
    if not folder.is_dir():
        return []
    return [(p.name, why) for p in sorted(folder.iterdir()) if (why := _skip_reason(p))]


def _skip_reason(path: Path) -> str:
    """Why a folder entry is not read ('' when it is a returned file to read)."""
    if path.is_symlink():
        return "是符号链接（快捷方式），未跟随读取；请把填报表文件本身放入本月文件夹"
    if path.name.startswith("~$"):
        return "是 Excel 打开文件时生成的临时文件，未读取；关闭 Excel 后它会消失"
    if path.name.startswith("."):
        return "是以“.”开头的隐藏文件，未读取；填报表请勿以“.”开头命名"
    if path.is_dir():
        return "是子文件夹，其中的文件未读取；请把填报表直接放在本月文件夹中"
    if not path.is_file():
        return "不是普通文件，未读取"
    return ""


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in blocks (a file of any size costs no more memory than a block)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def archive_copy(path: Path, sha: str, folder: Path) -> Path:
    """The file's archive copy `<sha256><suffix>` in `folder`, made if missing or not intact: written under a
    temporary name, verified by its sha256, then renamed (so an archive file is always complete). An OSError
    when the copy cannot be made or verified."""
    archive = folder / f"{sha}{path.suffix.lower()}"
    if archive.exists() and file_sha256(archive) == sha:
        return archive
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{sha}.part"
    with open(path, "rb") as source, open(temporary, "wb") as target:
        shutil.copyfileobj(source, target, 1 << 20)
        target.flush()
        os.fsync(target.fileno())
    if file_sha256(temporary) != sha:
        temporary.unlink(missing_ok=True)
        raise OSError(f"存档副本与原文件不一致（{path.name}），未记录；请重新运行")
    os.replace(temporary, archive)
    return archive


def repair_archive(folder: Path) -> list[str]:
    """Remove the temporary copies an interrupted run left in the archive folder; return their names (each file
    they were copies of is still unrecorded, so it is archived again when it is read)."""
    if not folder.is_dir():
        return []
    left = sorted(folder.glob(".*.part"))
    for part in left:
        part.unlink()
    return [p.name for p in left]


def saved_at(path: Path) -> str:
    """When the workbook says it was last saved (ISO text, UTC), or '' for a file that does not say."""
    try:
        with zipfile.ZipFile(path) as archive:  # a hostile file's oversized part says nothing: read later, refused
            core = read_part(archive, "docProps/core.xml", PROPERTIES_LIMIT).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return ""
    found = SAVED_AT.search(core)
    return found.group(1).strip() if found else ""


def collect_file(path: Path, settings: MonthlySettings, expected: Expected, store: Store,
                 checks: tuple[ValidationRules, Units, ZipLimits], template_version: str, now: datetime,
                 earlier: Mapping[str, pd.DataFrame]) -> str:
    """Archive, read, check and record one received file (one transaction); return what happened.
    `checks`: the validation thresholds, the units file (whole-number units) and the limits of a file's expanded
    size; `earlier`: the accepted observations of other months, by district (every district of `expected`)."""
    sha = file_sha256(path)
    archive = archive_copy(path, sha, settings.catalog.path("received"))  # also remakes one lost or damaged since
    before = store.submission(sha)
    if before is not None and before["status"] != "refused":
        return f"已处理过（内容相同，{before['period']} 已接收），未重复记录"
    received = now.strftime("%Y-%m-%dT%H:%M:%S")
    rules, units, limits = checks
    ret, problem = _read(path, rules, limits)
    if not problem:
        problem = _form_problem(ret, settings.period, expected, template_version)
    if not problem and store.is_locked(settings.period) and not settings.reason:
        problem = (f"{settings.period} 已锁定，“{ret.unit}”的报送须说明理由"
                   "（make monthly PERIOD=… REASON=\"…\"），本次未采用")
    if problem:
        if before is not None and before["period"] == settings.period and before["reason"] == problem:
            return f"已处理过（内容相同，此前已退回：{problem}），未重复记录"
        store.record(_refused(sha, ret, path.name, str(archive), settings.period, problem, received))
        log.warning("%s：%s", path.name, problem)
        return f"退回：{problem}"
    unit_rows = expected.of_unit(ret.district_code, ret.unit)
    history = earlier[ret.district_code]  # _form_problem refused a district without items
    last_year = of_month(history, month(settings.period) - 12)
    history = in_year_to(history, settings.period, include=False)
    in_force = store.in_force(ret.district_code, ret.period, set(unit_rows.item_id))
    observations, rejections = validate_return(ret, unit_rows, history, rules, received, last_year, units=units,
                                               in_force={r["item_id"]: r for r in records(in_force)})
    outcome = store.record(Submission(sha, ret.district_code, ret.unit, ret.period, path.name, str(archive),
                                      ret.submitted_by or ret.unit, received, observations, rejections,
                                      correction_reason=settings.reason if store.is_locked(settings.period) else ""))
    verb = "更新此前报送" if outcome == "superseding" else "已接收"
    return f"{verb}：接收 {len(observations)} 行，退回 {len(rejections)} 处"


def _read(path: Path, rules: ValidationRules, limits: ZipLimits) -> tuple[FormReturn | None, str]:
    """The return in a file, or why it cannot be read: too large once expanded (refused before it is opened),
    damaged, not a form, or a form with nothing filled in (空表)."""
    try:
        if path.stat().st_size <= rules.max_file_mb * 1024 * 1024:
            problem = expansion_problem(path, limits)
            if problem:
                return None, f"{problem}；请只提交下发的填报表"
        ret = read_return(path, rules.max_file_mb)
    except FileRefused as exc:
        return None, exc.reason
    if all(is_blank(row) for row in ret.rows):
        return ret, "表中没有填写任何数值（空表），未采用；此前报送的数值继续有效。请填写后重新报送"
    return ret, ""


def _refused(sha: str, ret: FormReturn | None, source_file: str, archived: str, period: str, reason: str,
             received: str) -> Submission:
    """A whole file refused (unreadable, another month or unit, a locked month), with its one rejections row."""
    district, unit = (ret.district_code, ret.unit) if ret else ("", "")
    row = {"district_code": district, "unit": unit, "period": period, "source_file": source_file, "sheet": "",
           "cell": "", "item_id": "", "item": "（整个文件）", "raw_value": "", "reason": reason,
           "rule": "file_refused", "received_at": received}
    return Submission(sha, district, unit, period, source_file, archived, ret.submitted_by if ret else "", received,
                      pd.DataFrame(), pd.DataFrame([row], columns=columns("rejections", supplied=True)),
                      refused_reason=reason)


def _form_problem(ret, period: str, expected: Expected, template_version: str) -> str:
    """Why a readable form cannot be taken as this month's return of its unit ('' when it can): another template
    or month, a unit without items, hidden form details edited (the district or unit of its _meta sheet against
    the workbook's own properties and the district its rows belong to), rows of another unit."""
    edited = [f"{label}“{ret.properties[name]}”改为“{getattr(ret, name)}”"
              for name, label in (("district_code", "区划代码"), ("unit", "填报单位"), ("period", "期间"),
                                  ("template_version", "模板版本"))
              if name in ret.properties and ret.properties[name] != getattr(ret, name)]
    if edited:
        return f"表内隐藏的表格信息被修改（{'，'.join(edited)}），整表未采用；请使用下发的填报表"
    if ret.template_version != template_version:
        return f"填报表模板版本为“{ret.template_version or '无'}”，当前为“{template_version}”，请使用本月下发的填报表"
    if ret.period != period:
        return f"这是 {ret.period or '未标明期间'} 的填报表，本次收集的是 {period}，请报送本月的填报表"
    keys = {row.key for row in ret.rows if row.key}
    districts = {expected.district_of[key] for key in keys if key in expected.district_of}
    if districts and ret.district_code not in districts:
        return (f"表中各行属于区划 {'、'.join(sorted(districts))}，但表格信息写的是 {ret.district_code}："
                "隐藏的表格信息被修改，整表未采用；请使用下发的填报表")
    if expected.of_unit(ret.district_code, ret.unit).empty:
        return f"“{ret.unit}”（区划代码 {ret.district_code}）本月没有需要填报的指标或项目，请核对填报单位"
    others = [expected.lead_of[key] for key in keys if expected.lead_of.get(key, ret.unit) != ret.unit]
    if keys and len(others) > len(keys) / 2:
        return f"表中多数行属于“{'、'.join(sorted(set(others)))}”，不是“{ret.unit}”的填报表，请核对后报送"
    return ""
