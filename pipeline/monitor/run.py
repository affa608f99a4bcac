"""实施 runner: `make monthly PERIOD=YYYY-MM` — collect, validate, store, status, monitoring workbooks.

Inputs: the returned forms in a folder (default inputs/monthly/YYYY-MM/), the plan tables of outputs/tables,
inputs/config/status.yaml. Outputs: the store (outputs/store/monitor.sqlite unless a URL is configured), every
received file archived as received (outputs/store/received/<sha256><suffix>), outputs/monitor/<period>/
status.csv, rejections.csv and timeliness.csv, and the monitoring workbooks. Runs on SAMPLE returns keep
their own store (monitor_SAMPLE.sqlite) and write to outputs/monitor/<period>_SAMPLE/.
"""
from __future__ import annotations

import logging
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipeline.adjust.adjustments import targets_in_force
from pipeline.adjust.run import read_adjustments
from pipeline.monitor.collect import FileRefused, read_return
from pipeline.monitor.status import RATE_UNITS, Bands, monthly_status
from pipeline.store import Store, Submission
from pipeline.monitor.validate import REJECTION_FIELDS, ValidationRules, validate_return
from pipeline.progress import progress
from pipeline.render.cells import check_period, number_text
from pipeline.render.styles import StyleSheet
from pipeline.settings import load_section
from pipeline.tables import (
    indicator_names,
    named_indicators,
    read_office_csv,
    read_table,
    records,
    split_by,
    write_table,
)
from pipeline.units import Units

log = logging.getLogger(__name__)
STATUS_COLUMNS = ["district_code", "item_type", "item_id", "name", "unit", "lead_unit", "attribute", "annual_target",
                  "target_text", "month_value", "cumulative_to_date", "expected_share", "completion", "delta",
                  "status", "method", "source_file", "cell"]

# The observation fields a status needs (the store's history is large at scale: rows are built of these only)
STATUS_FIELDS = ["item_id", "period", "value", "cumulative_to_date", "source_file", "cell", "reason"]
PROJECT_FIELDS = ["item_id", "period", "value", "cumulative_to_date", "progress", "issues", "source_file", "cell"]


@dataclass(frozen=True)
class MonthlySettings:
    """Where things are and the rules, for one monthly run."""

    period: str
    returns_dir: Path
    outputs: Path
    config_dir: Path
    templates: Path
    store_url: str = ""
    sample: bool = False
    lock: bool = False          # lock the month after this run (the office has accepted it)
    reason: str = ""            # why returns change a locked month
    overrides: Path | None = None  # inputs/overrides.csv: manual status judgements (人工研判)


@dataclass(frozen=True)
class Reporting:
    """When a month's returns are due (day of the next month) and who locks a month: inputs/config/status.yaml
    (reporting), their one source."""

    deadline_day: int
    locked_by: str

    @classmethod
    def load(cls, path: Path | str) -> Reporting:
        return load_section(cls, path, "reporting")


def unit_items(tables: dict[str, pd.DataFrame], period: str) -> pd.DataFrame:
    """Every indicator and project a unit answers for in `period` (plans in force), with its annual target."""
    docs = tables["documents"]
    year = int(period[:4])
    start, end = pd.to_numeric(docs.period_start, errors="coerce"), pd.to_numeric(docs.period_end, errors="coerce")
    current = set(docs.doc_id[(start <= year) & (year <= end)])
    duty = tables["responsibilities"]
    duty = duty[duty.lead_unit != ""][["item_type", "item_id", "lead_unit"]]
    ind, _ = named_indicators(tables["indicators"][tables["indicators"].doc_id.isin(current)])
    ind = targets_in_force(ind, tables.get("adjustments"), period)  # the version in force that month
    target = pd.to_numeric(ind.target_value, errors="coerce")
    shown = [text if not by else f"{old}（调整为{number_text(value)}）"  # as the reports print it: '43（调整为45）'
             for text, old, by, value in zip(ind.target_text, ind.original_target_text, ind.adjusted_by, target,
                                             strict=True)]
    notes = [f"目标为{by}，原目标 {old}" if by else ""
             for old, by in zip(ind.original_target_text, ind.adjusted_by, strict=True)]
    ind = pd.DataFrame({"item_type": "indicator", "item_id": ind.indicator_id, "district_code": ind.district_code,
                        "name": indicator_names(ind), "unit": ind.unit,
                        "annual_target": target, "target_text": shown, "target_note": notes,
                        "attribute": ind.attribute})
    prj = tables["projects"][tables["projects"].doc_id.isin(current)]
    prj = pd.DataFrame({"item_type": "project", "item_id": prj.project_id, "district_code": prj.district_code,
                        "name": prj.name, "unit": "亿元", "annual_target": float("nan"),
                        "target_text": prj.investment_text, "attribute": ""})
    return pd.concat([ind, prj], ignore_index=True).merge(duty, on=["item_type", "item_id"])


@dataclass(frozen=True)
class Expected:
    """The month's items (see `unit_items`) indexed once per run for the per-form checks."""

    items: pd.DataFrame
    by_unit: Mapping[tuple[str, str], pd.DataFrame]  # (district_code, lead_unit) → that unit's rows
    lead_of: Mapping[str, str]                        # item_id → lead unit

    @classmethod
    def of(cls, items: pd.DataFrame) -> Expected:
        by_unit = {key: rows for key, rows in items.groupby(["district_code", "lead_unit"], sort=False)}
        return cls(items, by_unit, dict(zip(items.item_id, items.lead_unit, strict=True)))

    def of_unit(self, district_code: str, unit: str) -> pd.DataFrame:
        """The rows a unit answers for (none when it has none)."""
        return self.by_unit.get((district_code, unit), self.items.iloc[0:0])


def run_monthly(settings: MonthlySettings, now: datetime | None = None) -> int:
    """Process every returned form of the month; write status and workbooks. Exit status 0 unless the plan
    tables are missing."""
    now = now or datetime.now()
    tables_dir = settings.outputs / "tables"
    if not (tables_dir / "indicators.csv").exists():
        log.error("缺少编制阶段的表格（%s），请先运行 make plan", tables_dir)
        return 1
    tables = {n: read_table(tables_dir / f"{n}.csv") for n in ("documents", "indicators", "projects",
                                                                "responsibilities")}
    tables["adjustments"] = read_adjustments(settings.outputs)
    items = unit_items(tables, settings.period)
    rules = ValidationRules.load(settings.config_dir / "status.yaml")
    units = Units.load(settings.config_dir / "units.yaml")
    styles = StyleSheet.load(settings.templates / "workbook_style.yaml")
    store = Store(settings.store_url) if settings.store_url else Store.sqlite(
        settings.outputs / "store" / ("monitor_SAMPLE.sqlite" if settings.sample else "monitor.sqlite"))
    files = sorted((p for p in settings.returns_dir.iterdir() if p.is_file() and not p.name.startswith(".")),
                   key=lambda p: (p.stat().st_mtime, p.name)) if settings.returns_dir.is_dir() else []
    if not files:
        log.warning("%s 没有收到任何填报表", settings.returns_dir)
    accepted = store.accepted()
    earlier = accepted[accepted.period != settings.period]  # history: other months only, read once
    earlier_by_district = {code: earlier.iloc[0:0] for code in items.district_code.unique()} | split_by(
        earlier, "district_code")
    expected = Expected.of(items)
    for path in progress(files, f"读取 {settings.period} 填报表"):
        outcome = collect_file(path, settings, expected, store, (rules, units), styles.form_template_version, now,
                               earlier_by_district)
        log.log(logging.DEBUG if outcome.endswith("退回 0 处") else logging.INFO, "%s：%s", path.name, outcome)
    write_month(settings, items, tables["projects"], store, styles, now)
    reporting = Reporting.load(settings.config_dir / "status.yaml")
    if settings.lock and store.lock(settings.period, now.strftime("%Y-%m-%dT%H:%M:%S"), reporting.locked_by):
        log.info("%s 已锁定：此后更改的报送须说明理由，并作为取代记录保存", settings.period)
    return 0


def collect_file(path: Path, settings: MonthlySettings, expected: Expected, store: Store,
                 checks: tuple[ValidationRules, Units], template_version: str, now: datetime,
                 earlier: Mapping[str, pd.DataFrame]) -> str:
    """Archive, read, check and record one received file (one transaction); return what happened.
    `checks`: the validation thresholds and the units file (whole-number units);
    `earlier`: the accepted observations of other months, by district (every district of `expected`)."""
    import hashlib

    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    if store.has(sha):
        return "已处理过（内容相同），未重复记录"
    archive = settings.outputs / "store" / "received" / f"{sha}{path.suffix.lower()}"
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
    if problem:
        rejection = pd.DataFrame([_file_rejection(ret.district_code if ret else "", ret.unit if ret else "",
                                                  settings.period, path.name, problem, received)],
                                 columns=REJECTION_FIELDS)
        store.record(Submission(sha, ret.district_code if ret else "", ret.unit if ret else "", settings.period,
                                path.name, str(archive), ret.submitted_by if ret else "", received,
                                pd.DataFrame(), rejection, refused_reason=problem))
        log.warning("%s：%s", path.name, problem)
        return f"退回：{problem}"
    if store.is_locked(settings.period) and store.has_accepted(ret.district_code, ret.unit, ret.period) \
            and not settings.reason:
        problem = (f"{settings.period} 已锁定，“{ret.unit}”的更正报送须说明理由"
                   "（make monthly PERIOD=… REASON=\"…\"），本次未采用")
        store.record(Submission(sha, ret.district_code, ret.unit, settings.period, path.name, str(archive),
                                ret.submitted_by, received, pd.DataFrame(), pd.DataFrame(
                                    [_file_rejection(ret.district_code, ret.unit, settings.period, path.name,
                                                     problem, received)], columns=REJECTION_FIELDS),
                                refused_reason=problem))
        log.warning("%s：%s", path.name, problem)
        return f"退回：{problem}"
    unit_rows = expected.of_unit(ret.district_code, ret.unit)
    history = earlier[ret.district_code]  # _form_problem refused a district without items
    same_month_last_year = f"{int(settings.period[:4]) - 1}{settings.period[4:]}"
    last_year = history[history.period == same_month_last_year]
    history = history[(history.period < settings.period) & history.period.str.startswith(settings.period[:4])]
    observations, rejections = validate_return(ret, unit_rows, history, rules, received, last_year, units=units)
    outcome = store.record(Submission(sha, ret.district_code, ret.unit, ret.period, path.name, str(archive),
                                      ret.submitted_by or ret.unit, received, observations, rejections,
                                      correction_reason=settings.reason if store.is_locked(settings.period) else ""))
    verb = "取代此前报送" if outcome == "superseding" else "已接收"
    return f"{verb}：接收 {len(observations)} 行，退回 {len(rejections)} 处"


def _file_rejection(district_code: str, unit: str, period: str, source_file: str, reason: str,
                    received: str) -> dict:
    """A rejections row for a whole file."""
    return {"district_code": district_code, "unit": unit, "period": period, "source_file": source_file, "sheet": "",
            "cell": "", "item_id": "", "item": "（整个文件）", "raw_value": "", "reason": reason,
            "rule": "file_refused", "received_at": received}


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


def write_month(settings: MonthlySettings, items: pd.DataFrame, projects: pd.DataFrame, store: Store,
                styles: StyleSheet, now: datetime) -> dict[str, Path]:
    """Status, rejections and timeliness of the month as tables (and the monitoring workbooks)."""
    out = settings.outputs / "monitor" / (f"{settings.period}_SAMPLE" if settings.sample else settings.period)
    bands = Bands.load(settings.config_dir / "status.yaml")
    accepted = store.accepted()
    status = compute_status(items, accepted, settings.period, bands)
    overrides = settings.overrides or settings.config_dir.parent / "overrides.csv"
    if overrides.exists():
        try:
            judgements = read_office_csv(overrides)
        except ValueError as exc:  # the returns are stored already; the month's tables are written without it
            log.error("%s；本月状态未采用人工研判", exc)
        else:
            status = apply_overrides(status, judgements, settings.period, overrides.name)
    rejections = store.table("rejections")
    rejections = rejections[(rejections.period == settings.period) & (rejections.status == "open")]
    deadline_day = Reporting.load(settings.config_dir / "status.yaml").deadline_day
    timeliness = compute_timeliness(items, store.table("submissions"), settings.period, deadline_day, now)
    history = accepted[accepted.period.str.startswith(settings.period[:4]) & (accepted.period <= settings.period)]
    history = history[["district_code", "item_id", "period", "cumulative_to_date"]]
    ledger = project_ledger(items, projects, accepted, settings.period)
    written = {"status": write_table(status, out / "status.csv"),
               "rejections": write_table(rejections.drop(columns=["id"]), out / "rejections.csv"),
               "timeliness": write_table(timeliness, out / "timeliness.csv"),
               "projects": write_table(ledger, out / "projects.csv")}
    written.update(render_month(settings, status, history, ledger, rejections, timeliness, styles, now))
    log.info("本月指标状态：%s", status[status.item_type == "indicator"].status.value_counts().to_dict())
    log.info("退回 %d 处；报送 %s", len(rejections), timeliness.state.value_counts().to_dict())
    return written


def _only(observations: pd.DataFrame, fields: list[str]) -> pd.DataFrame:
    """The given fields of the observations, those it has."""
    return observations[[f for f in fields if f in observations]]


def compute_status(items: pd.DataFrame, accepted: pd.DataFrame, period: str, bands: Bands) -> pd.DataFrame:
    """One status row per indicator and project in force: an indicator's cumulative against its annual
    target; a project by what its unit reports (see `project_status`)."""
    month = int(period[5:7])
    this_year = accepted[accepted.period.str.startswith(period[:4]) & (accepted.period <= period)]
    by_item: dict[str, list[dict]] = {}
    for record in records(_only(this_year.sort_values("period", kind="stable"), STATUS_FIELDS)):
        by_item.setdefault(record["item_id"], []).append(record)
    rows = []
    for item in items[items.item_type == "indicator"].itertuples():
        mine = by_item.get(item.item_id, [])
        now = next((r for r in reversed(mine) if r["period"] == period), None)
        cumulative = now["cumulative_to_date"] if now else None
        warnings_before = 0
        for earlier in reversed([r for r in mine if r["period"] < period]):
            past = monthly_status(item.annual_target, earlier["cumulative_to_date"], int(earlier["period"][5:7]),
                                  bands, item.attribute == "约束性", rate=item.unit in RATE_UNITS)
            if past.status != "预警":
                break
            warnings_before += 1
        result = monthly_status(item.annual_target, cumulative, month, bands, item.attribute == "约束性",
                                warnings_before, rate=item.unit in RATE_UNITS)
        source = f"；来源 {now['source_file']}!{now['cell']}" if now else ""
        note = getattr(item, "target_note", "")  # an adjusted target: which version, the plan's own target
        source += f"；{note}" if isinstance(note, str) and note else ""
        if now and isinstance(now.get("reason"), str) and now["reason"]:  # NULL from a database reads as NaN
            source += f"；{now['reason']}"  # a plausibility warning noted when the value was accepted
        rows.append({"district_code": item.district_code, "item_type": "indicator", "item_id": item.item_id,
                     "name": item.name, "unit": item.unit, "lead_unit": item.lead_unit, "attribute": item.attribute,
                     "annual_target": item.annual_target, "target_text": item.target_text,
                     "month_value": now["value"] if now else None, "cumulative_to_date": cumulative,
                     "expected_share": result.expected_share, "completion": result.completion,
                     "delta": result.delta, "status": result.status, "method": result.method + source,
                     "source_file": now["source_file"] if now else "", "cell": now["cell"] if now else ""})
    rows += project_status(items, this_year, period)
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


def project_status(items: pd.DataFrame, this_year: pd.DataFrame, period: str) -> list[dict]:
    """Projects: 已完成 once reported 竣工投产; otherwise 无数据, because the plans give no 本年计划投资 to
    measure 序时进度 against — said in the method, so nobody reads it as on schedule."""
    rows = []
    current: dict[str, dict] = {}
    for record in records(_only(this_year[this_year.period == period], PROJECT_FIELDS)):
        current[record["item_id"]] = record  # the last row of the item this month
    for item in items[items.item_type == "project"].itertuples():
        last = current.get(item.item_id)
        progress = last["progress"] if last is not None else ""
        done = last["cumulative_to_date"] if last is not None else None
        if last is None:
            status, method = "无数据", "本月无报送"
        elif progress == "竣工投产":
            status, method = "已完成", f"形象进度：{progress}"
        else:
            status = "无数据"
            method = f"形象进度：{progress or '未填'}"
            if done is not None and done == done:
                method += f"；本年完成投资 {done:g} 亿元；规划未给出本年计划投资，无法计算序时进度"
        rows.append({"district_code": item.district_code, "item_type": "project", "item_id": item.item_id,
                     "name": item.name, "unit": "亿元", "lead_unit": item.lead_unit, "attribute": "",
                     "annual_target": float("nan"), "target_text": item.target_text,
                     "month_value": last["value"] if last is not None else None, "cumulative_to_date": done,
                     "expected_share": None, "completion": None, "delta": None, "status": status, "method": method,
                     "source_file": last["source_file"] if last is not None else "",
                     "cell": last["cell"] if last is not None else ""})
    return rows


def compute_timeliness(items: pd.DataFrame, submissions: pd.DataFrame, period: str, deadline_day: int,
                       now: datetime) -> pd.DataFrame:
    """已报 / 逾期未报 / 未报 for every unit that has items this month: a month's return is due by the end of
    day `deadline_day` of the next month (December's in January), overdue from the day after."""
    year, month = int(period[:4]), int(period[5:7])
    deadline = datetime(year + (month == 12), month % 12 + 1, deadline_day).date()
    units = items[["district_code", "lead_unit"]].drop_duplicates().sort_values(["district_code", "lead_unit"])
    got = submissions[(submissions.period == period) & (submissions.status != "refused")]
    by_unit = {key: group for key, group in got.groupby(["district_code", "unit"], sort=False)}
    rows = []
    for unit in units.itertuples():
        mine = by_unit.get((unit.district_code, unit.lead_unit), got.iloc[0:0]).sort_values("received_at")
        if len(mine):
            state, received, source = "已报", mine.received_at.iloc[-1], mine.source_file.iloc[-1]
        else:
            state, received, source = ("逾期未报" if now.date() > deadline else "未报"), "", ""
        rows.append({"district_code": unit.district_code, "unit": unit.lead_unit, "state": state,
                     "received_at": received, "source_file": source, "returns": len(mine)})
    return pd.DataFrame(rows, columns=["district_code", "unit", "state", "received_at", "source_file", "returns"])


def project_ledger(items: pd.DataFrame, projects: pd.DataFrame, accepted: pd.DataFrame, period: str) -> pd.DataFrame:
    """重点项目台账: each project in force with what its unit reported this year (亿元, 形象进度, 存在问题)."""
    by_id = {p["project_id"]: p for p in records(projects)}
    rows = []
    this_year = accepted[accepted.period.str.startswith(period[:4]) & (accepted.period <= period)]
    latest: dict[str, dict] = {}
    for record in records(_only(this_year.sort_values("period", kind="stable"), PROJECT_FIELDS)):
        latest[record["item_id"]] = record  # the item's row of the latest month
    for item in items[items.item_type == "project"].itertuples():
        last, project = latest.get(item.item_id), by_id[item.item_id]
        rows.append({"district_code": item.district_code, "project_id": item.item_id, "name": item.name,
                     "column_title": project["column_title"], "investment_yi": pd.to_numeric(
                         project["investment_yi"], errors="coerce"), "year_plan": float("nan"),
                     "year_done": last["cumulative_to_date"] if last is not None else float("nan"),
                     "total_done": float("nan"), "progress": last["progress"] if last is not None else "",
                     "issues": last["issues"] if last is not None else "", "lead_unit": item.lead_unit})
    return pd.DataFrame(rows, columns=["district_code", "project_id", "name", "column_title", "investment_yi",
                                       "year_plan", "year_done", "total_done", "progress", "issues", "lead_unit"])


def render_month(settings: MonthlySettings, status: pd.DataFrame, history: pd.DataFrame, ledger: pd.DataFrame,
                 rejections: pd.DataFrame, timeliness: pd.DataFrame, styles: StyleSheet,
                 now: datetime) -> dict[str, Path]:
    """The monitoring workbooks of the month: one per district and the city summary."""
    from pipeline.render.city_monitor import render_city_monitor
    from pipeline.render.monitor_workbook import render_monitor_workbook

    districts = read_table(settings.config_dir / "districts.csv")
    names = dict(zip(districts.district_code, districts.district, strict=True))
    tag = "_SAMPLE" if settings.sample else ""
    folder = settings.outputs / "workbooks" / f"{settings.period}{tag}"
    written = {}
    frames = {"status": status, "history": history, "ledger": ledger, "rejections": rejections,
              "timeliness": timeliness}
    own = {name: split_by(frame, "district_code") for name, frame in frames.items()}

    def mine(name: str, code: str) -> pd.DataFrame:
        return own[name].get(code, frames[name].iloc[0:0])

    for code in sorted(set(status.district_code) | set(timeliness.district_code)):
        name = names.get(code, code)
        written[f"monitor_{code}"] = render_monitor_workbook(
            folder / f"{code}_{name}_月度监测_{settings.period}{tag}.xlsx", code, name, settings.period,
            mine("status", code), mine("history", code), mine("ledger", code),
            pd.concat([mine("rejections", code), mine("rejections", "")]).sort_index(),  # "": district unknown
            mine("timeliness", code), styles, now, sample=settings.sample)
    city = districts.city.iloc[0] if len(districts) else "全市"
    used = districts[districts.district_code.isin(set(status.district_code) | set(timeliness.district_code))]
    written["monitor_city"] = render_city_monitor(
        folder / f"{city}_月度监测汇总_{settings.period}{tag}.xlsx", settings.period, status, timeliness,
        used[["district_code", "district"]], styles, now, sample=settings.sample)
    log.info("月度监测工作簿：%s", folder)
    return written


STATUSES = ("已完成", "超前", "正常", "预警", "滞后", "无数据")
OVERRIDE_COLUMNS = ("period", "item_id", "status", "reason", "approved_by")  # inputs/overrides.csv


def apply_overrides(status: pd.DataFrame, overrides: pd.DataFrame, period: str, source: str) -> pd.DataFrame:
    """Manual judgements (人工研判): a status set by the office with a reason and an approver. A line that
    names an unknown item, an unknown status, or lacks a reason or an approver is refused in the log."""
    status = status.copy()
    missing = [c for c in OVERRIDE_COLUMNS if c not in overrides.columns]
    if missing:
        log.error("%s 未采用：缺少列 %s（表头应为 %s）", source, "、".join(missing), ",".join(OVERRIDE_COLUMNS))
        return status
    for number, line in enumerate(records(overrides), start=2):
        try:
            check_period(line["period"])
        except ValueError as exc:
            log.error("%s 第 %d 行未采用：%s", source, number, exc)
            continue
        if line["period"] != period:
            continue
        problems = [text for bad, text in (
            (line.get("item_id") not in set(status.item_id), f"编号“{line.get('item_id')}”不在本月监测的指标中"),
            (line.get("status") not in STATUSES, f"状态“{line.get('status')}”不是 {'、'.join(STATUSES)} 之一"),
            (not line.get("reason"), "缺少研判理由"), (not line.get("approved_by"), "缺少批准人"))
            if bad]
        if problems:
            log.error("%s 第 %d 行未采用：%s", source, number, "；".join(problems))
            continue
        at = status.index[status.item_id == line["item_id"]]
        status.loc[at, "method"] = status.loc[at, "method"] + (
            f"；人工研判：{line['status']}（计算结果 {status.loc[at, 'status'].iloc[0]}；理由：{line['reason']}；"
            f"批准：{line['approved_by']}）")
        status.loc[at, "status"] = "人工研判"
    return status
