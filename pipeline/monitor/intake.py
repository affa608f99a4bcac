"""One received file as a unit of work: archive it, read it, check it against the month's items and record it
in the store (accepted rows, rejected cells, or the whole file refused with its reason)."""
from __future__ import annotations

import hashlib
import logging
import re
import shutil
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.monitor.collect import FileRefused, FormReturn, read_return
from pipeline.monitor.items import Expected
from pipeline.monitor.validate import ValidationRules, validate_return
from pipeline.periods import in_year_to, month, of_month
from pipeline.schema import columns
from pipeline.store import Store, Submission
from pipeline.units import Units

if TYPE_CHECKING:
    from pipeline.monitor.run import MonthlySettings

log = logging.getLogger(__name__)
SAVED_AT = re.compile(r"<dcterms:modified[^>]*>([^<]+)</dcterms:modified>")
CORE_LIMIT = 1_000_000  # bytes: a workbook's document properties are a few hundred


def intake_order(folder: Path) -> list[Path]:
    """The files of a returns folder in the order they are taken in, so that of two returns of one unit the
    later one supersedes: by when the unit saved the form (the workbook's own 'modified' property, which Excel
    writes on saving and copying a file does not change), then by file name. A file's modification time on disk
    is not used: copying a folder can invert it. Files of an earlier run are older than any of this run."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    return sorted(files, key=lambda p: (saved_at(p), p.name))


def saved_at(path: Path) -> str:
    """When the workbook says it was last saved (ISO text, UTC), or '' for a file that does not say."""
    try:
        with zipfile.ZipFile(path) as archive:
            if archive.getinfo("docProps/core.xml").file_size > CORE_LIMIT:  # a hostile file: read later, refused
                return ""
            core = archive.read("docProps/core.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return ""
    found = SAVED_AT.search(core)
    return found.group(1).strip() if found else ""


def collect_file(path: Path, settings: MonthlySettings, expected: Expected, store: Store,
                 checks: tuple[ValidationRules, Units], template_version: str, now: datetime,
                 earlier: Mapping[str, pd.DataFrame]) -> str:
    """Archive, read, check and record one received file (one transaction); return what happened.
    `checks`: the validation thresholds and the units file (whole-number units);
    `earlier`: the accepted observations of other months, by district (every district of `expected`)."""
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    if store.has(sha):
        return "已处理过（内容相同），未重复记录"
    archive = settings.catalog.path("received") / f"{sha}{path.suffix.lower()}"
    archive.parent.mkdir(parents=True, exist_ok=True)
    if not archive.exists():
        shutil.copyfile(path, archive)
    received = now.strftime("%Y-%m-%dT%H:%M:%S")
    rules, units = checks
    try:
        ret = read_return(path, rules.max_file_mb)
        problem = _form_problem(ret, settings.period, expected, template_version)
    except FileRefused as exc:
        ret, problem = None, exc.reason
    if not problem and store.is_locked(settings.period) and not settings.reason \
            and store.has_accepted(ret.district_code, ret.unit, ret.period):
        problem = (f"{settings.period} 已锁定，“{ret.unit}”的更正报送须说明理由"
                   "（make monthly PERIOD=… REASON=\"…\"），本次未采用")
    if problem:
        store.record(_refused(sha, ret, path.name, str(archive), settings.period, problem, received))
        log.warning("%s：%s", path.name, problem)
        return f"退回：{problem}"
    unit_rows = expected.of_unit(ret.district_code, ret.unit)
    history = earlier[ret.district_code]  # _form_problem refused a district without items
    last_year = of_month(history, month(settings.period) - 12)
    history = in_year_to(history, settings.period, include=False)
    observations, rejections = validate_return(ret, unit_rows, history, rules, received, last_year, units=units)
    outcome = store.record(Submission(sha, ret.district_code, ret.unit, ret.period, path.name, str(archive),
                                      ret.submitted_by or ret.unit, received, observations, rejections,
                                      correction_reason=settings.reason if store.is_locked(settings.period) else ""))
    verb = "取代此前报送" if outcome == "superseding" else "已接收"
    return f"{verb}：接收 {len(observations)} 行，退回 {len(rejections)} 处"


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
    """Why a readable form cannot be taken as this month's return of its unit ('' when it can)."""
    if ret.template_version != template_version:
        return f"填报表模板版本为“{ret.template_version or '无'}”，当前为“{template_version}”，请使用本月下发的填报表"
    if ret.period != period:
        return f"这是 {ret.period or '未标明期间'} 的填报表，本次收集的是 {period}，请报送本月的填报表"
    if expected.of_unit(ret.district_code, ret.unit).empty:
        return f"“{ret.unit}”（区划代码 {ret.district_code}）本月没有需要填报的指标或项目，请核对填报单位"
    keys = {row.key for row in ret.rows if row.key}
    others = [expected.lead_of[key] for key in keys if expected.lead_of.get(key, ret.unit) != ret.unit]
    if keys and len(others) > len(keys) / 2:
        return f"表中多数行属于“{'、'.join(sorted(set(others)))}”，不是“{ret.unit}”的填报表，请核对后报送"
    return ""
