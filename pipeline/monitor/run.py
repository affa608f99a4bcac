"""实施 runner: `make monthly PERIOD=YYYY-MM` — collect, validate, store, and the month's status tables.

Inputs: the returned forms in a folder (default inputs/monthly/YYYY-MM/), the plan tables, inputs/config/status.yaml.
Outputs (paths from the catalogue, pipeline/schema/catalog.yml): the store, every received file archived as
received, and the month's status, rejections, timeliness and project ledger tables; the monitoring workbooks are
rendered from them (pipeline/render/run.py). Runs on SAMPLE returns keep their own store and outputs.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipeline.catalog import DataCatalog
from pipeline.forms.layout import template_version
from pipeline.monitor.intake import collect_file, intake_order, repair_archive, skipped_files
from pipeline.monitor.items import Expected, unit_items
from pipeline.monitor.ledger import project_ledger
from pipeline.monitor.overrides import apply_overrides
from pipeline.monitor.status import Bands, compute_status
from pipeline.monitor.timeliness import Reporting, compute_timeliness
from pipeline.monitor.validate import ValidationRules
from pipeline.periods import in_year_to, month
from pipeline.progress import progress
from pipeline.runlock import RunLimits, exclusive
from pipeline.statuses import Statuses
from pipeline.store import Store
from pipeline.tables import read_office_csv, split_by
from pipeline.units import Units
from pipeline.zipguard import ZipLimits

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MonthlySettings:
    """The month, where things are, and how this run treats a locked month."""

    period: str
    catalog: DataCatalog
    returns_dir: Path | None = None  # default: the catalogue's inputs/monthly/<period>
    store_url: str = ""
    lock: bool = False          # lock the month after this run (the office has accepted it)
    reason: str = ""            # why returns change a locked month
    overrides: Path | None = None  # manual status judgements (人工研判); default: the catalogue's

    @property
    def returns(self) -> Path:
        return self.returns_dir or self.catalog.path("returns", period=self.period)

    def store(self) -> Store:
        """The store of this run (SQLite where the catalogue puts it, unless a URL is given)."""
        return Store(self.store_url) if self.store_url else Store.sqlite(self.catalog.path("store"))


@dataclass(frozen=True)
class Month:
    """What a month's run leaves for the renderers: its tables, and the year's history to date."""

    period: str
    status: pd.DataFrame
    history: pd.DataFrame
    ledger: pd.DataFrame
    rejections: pd.DataFrame
    timeliness: pd.DataFrame


def run_monthly(settings: MonthlySettings, now: datetime | None = None) -> Month | None:
    """Process every returned form of the month and write the month's tables; None when the plan tables or the
    returns folder are missing, or another run holds the store past the wait (nothing is stored then). A second
    run on the same store waits for the first, then skips what the first recorded."""
    now = now or datetime.now()
    catalog = settings.catalog
    month(settings.period)  # a malformed month is refused before anything is read or stored
    if not catalog.exists("indicators"):
        log.error("缺少编制阶段的表格（%s），请先运行 make plan", catalog.path("indicators").parent)
        return None
    if problem := returns_problem(settings):
        log.error("%s", problem)
        return None
    try:
        with exclusive(catalog.path("store").with_suffix(".lock"),
                       RunLimits.load(catalog.config("files.yaml")).lock_wait_s):
            return _run_monthly(settings, now)
    except TimeoutError as exc:
        log.error("%s", exc)
        return None


def returns_problem(settings: MonthlySettings) -> str:
    """Why the month's returns folder cannot be read ('' when it can): a folder that does not exist is a mistyped
    path, not a month in which no unit reported."""
    if settings.returns.is_dir():
        return ""
    return f"收集文件夹 {settings.returns} 不存在，未处理；请核对路径（本月尚未收到填报表时，请先建立该文件夹）"


def _run_monthly(settings: MonthlySettings, now: datetime) -> Month:
    """The month's run, holding the store."""
    catalog = settings.catalog
    tables = {n: catalog.load(n) for n in ("documents", "indicators", "projects", "responsibilities")}
    tables["adjustments"] = catalog.load_or_empty("adjustments")
    items = unit_items(tables, settings.period)
    status_file = catalog.config("status.yaml")
    checks = (ValidationRules.load(status_file), Units.load(catalog.config("units.yaml")),
              ZipLimits.load(catalog.config("files.yaml"), "forms"))
    bands, reporting = Bands.load(status_file), Reporting.load(status_file)
    version = template_version(catalog.path("workbook_style"))
    store = settings.store()
    left = repair_archive(catalog.path("received"))
    if left:
        log.warning("上次运行中断，留下 %d 个不完整的存档副本，已删除（对应的文件本次重新存档）：%s",
                    len(left), "、".join(left))
    files = intake_order(settings.returns)
    skipped = skipped_files(settings.returns)
    for name, why in skipped:
        log.warning("%s：%s", name, why)
    if not files:
        log.warning("%s 没有收到任何填报表", settings.returns)
    accepted = store.accepted()
    earlier = accepted[accepted.period != settings.period]  # history: other months only, read once
    earlier_by_district = {code: earlier.iloc[0:0] for code in items.district_code.unique()} | split_by(
        earlier, "district_code")
    expected = Expected.of(items)
    for path in progress(files, f"读取 {settings.period} 填报表"):
        try:
            outcome = collect_file(path, settings, expected, store, checks, version, now, earlier_by_district)
        except Exception as exc:  # noqa: BLE001 - one file, however hostile, must not stop the others
            log.error("%s：处理时出错（%s），本文件未记录，其他文件照常处理；请检查该文件后重新运行",
                      path.name, type(exc).__name__)
            log.debug("%s 的出错经过", path.name, exc_info=True)  # the traceback, for the log file only
            skipped.append((path.name, f"处理时出错（{type(exc).__name__}），未记录；请检查该文件后重新运行"))
            continue
        log.log(logging.DEBUG if outcome.endswith("退回 0 处") else logging.INFO, "%s：%s", path.name, outcome)
    result = write_month(settings, items, tables["projects"], store, now, (bands, reporting.deadline_day), skipped)
    if settings.lock and store.lock(settings.period, now.strftime("%Y-%m-%dT%H:%M:%S"), reporting.locked_by):
        log.info("%s 已锁定：此后更改的报送须说明理由，并作为取代记录保存", settings.period)
    return result


def write_month(settings: MonthlySettings, items: pd.DataFrame, projects: pd.DataFrame, store: Store,
                now: datetime, rules: tuple[Bands, int], skipped: list[tuple[str, str]] = ()) -> Month:
    """Status, rejections, timeliness and the project ledger of the month, written as tables; `rules`: the
    status bands and the reporting deadline day (inputs/config/status.yaml); `skipped`: (name, why) of the files
    of the folder not read, listed among the month's rejections."""
    catalog, period = settings.catalog, settings.period
    bands, deadline_day = rules
    accepted = store.accepted()
    status = compute_status(items, accepted, period, bands)
    overrides = settings.overrides or catalog.path("overrides")
    if overrides.exists():
        try:
            judgements = read_office_csv(overrides)
        except ValueError as exc:  # the returns are stored already; the month's tables are written without it
            log.error("%s；本月状态未采用人工研判", exc)
        else:
            status = apply_overrides(status, judgements, period, overrides.name,
                                     Statuses.load(catalog.path("workbook_style")))
    rejections = store.table("rejections")
    rejections = rejections[(rejections.period == period) & (rejections.status == "open")]
    if skipped:
        received = now.strftime("%Y-%m-%dT%H:%M:%S")
        rejections = pd.concat([rejections, pd.DataFrame(
            [{"id": 0, "sha256": "", "district_code": "", "unit": "", "period": period, "source_file": name,
              "sheet": "", "cell": "", "item_id": "", "item": "（未读取的文件）", "raw_value": "", "reason": why,
              "rule": "file_skipped", "received_at": received, "status": "open"} for name, why in skipped])],
            ignore_index=True)
    timeliness = compute_timeliness(items, store.table("submissions"), period, deadline_day, now)
    history = in_year_to(accepted, period)[["district_code", "item_id", "period", "cumulative_to_date"]]
    ledger = project_ledger(items, projects, accepted, period)
    catalog.save("status", status, period=period)
    catalog.save("month_rejections", rejections.drop(columns=["id"]), period=period)
    catalog.save("timeliness", timeliness, period=period)
    catalog.save("ledger", ledger, period=period)
    log.info("本月指标状态：%s", status[status.item_type == "indicator"].status.value_counts().to_dict())
    log.info("退回 %d 处；报送 %s", len(rejections), timeliness.state.value_counts().to_dict())
    return Month(period, status, history, ledger, rejections, timeliness)
