"""评估 runner: `make evaluate YEAR=2025 KIND=final [DISTRICT=230113]`.

Inputs: the plan tables, the store's accepted observations (the SAMPLE store on SAMPLE runs),
inputs/config/status.yaml. Outputs per district in the catalogue's reports folder (<year>_<kind>[_SAMPLE]/): the
evaluations rows, the report context (JSON) the report and workbook are rendered from (pipeline/render/run.py), and a
draft adjustments file; outputs/tables/evaluations.csv keeps every evaluation made (one row per indicator, district,
year and kind, the latest run replacing the earlier one).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipeline import schema
from pipeline.catalog import DataCatalog
from pipeline.evaluate.context import KIND_NAMES, build_context
from pipeline.evaluate.progress import PeriodBands
from pipeline.statuses import Statuses
from pipeline.store import Store
from pipeline.tables import write_csv
from pipeline.units import Units

log = logging.getLogger(__name__)
TABLES = ("documents", "sections", "indicators", "achievements", "projects", "tasks", "responsibilities")


@dataclass(frozen=True)
class EvaluationSettings:
    """One evaluation run."""

    year: int
    kind: str
    catalog: DataCatalog
    district: str = ""
    store_url: str = ""


@dataclass(frozen=True)
class Evaluation:
    """One district's evaluation, for the renderers: the report context, where its files go and under what name."""

    context: dict
    folder: Path
    base: str
    written: dict[str, Path]


def run_evaluate(settings: EvaluationSettings, now: datetime | None = None) -> tuple[int, list[Evaluation]]:
    """Evaluate every district with a plan covering the year (or the one asked for); exit status 1 when none."""
    now = now or datetime.now()
    catalog = settings.catalog
    if settings.kind not in KIND_NAMES:
        log.error("KIND 应为 annual、midterm 或 final，收到“%s”", settings.kind)
        return 2, []
    tables = {n: catalog.load(n) for n in TABLES}
    tables["adjustments"] = catalog.load_or_empty("adjustments")
    observations = _observations(settings)
    bands = PeriodBands.load(catalog.config("status.yaml"))
    statuses = Statuses.load(catalog.path("workbook_style"))
    units = Units.load(catalog.config("units.yaml"))
    documents = tables["documents"]
    codes = [settings.district] if settings.district else sorted(set(documents.district_code) - {""})
    folder = catalog.path("reports", year=settings.year, kind=settings.kind)
    made, all_rows = [], []
    for code in codes:
        names = documents.loc[documents.district_code == code, "district"]
        district = names.iloc[0] if len(names) else code
        try:
            context, rows = build_context(tables, observations, code, district, settings.year, settings.kind, bands,
                                          statuses, now, catalog.sample, units)
        except ValueError as exc:
            log.warning("%s", exc)
            continue
        base = f"{code}_{district}_{settings.year}年{KIND_NAMES[settings.kind]}{catalog.tag}"
        made.append(Evaluation(context, folder, base, write_outputs(context, rows, folder, base,
                                                                  catalog.vocabularies)))
        all_rows.append(rows)
    if not made:
        log.error("没有可评估的规划（%d 年，%s）", settings.year, settings.district or "所有区")
        return 1, []
    _keep(catalog, pd.concat(all_rows, ignore_index=True))
    return 0, made


def _observations(settings: EvaluationSettings) -> pd.DataFrame:
    """Accepted observations of the store, or none when there is no store yet."""
    if settings.store_url:
        return Store(settings.store_url).accepted()
    path = settings.catalog.path("store")
    if not path.exists():
        log.info("尚无月度数据库（%s）：实际值只来自文件中的报告", path)
        return schema.empty("observations")
    return Store.sqlite(path).accepted()


def write_outputs(context: dict, rows: pd.DataFrame, folder: Path, base: str,
                  vocabularies: dict[str, tuple[str, ...]]) -> dict[str, Path]:
    """The evaluation's data beside its report: the evaluations rows, the context itself (JSON, what the report
    is rendered from) and, when it proposes changes, a draft adjustments file for the office."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {"evaluations": schema.write_table("evaluations", rows, folder / f"{base}_evaluations.csv",
                                                 vocabularies)}
    context_path = folder / f"{base}_context.json"
    context_path.write_text(json.dumps(context, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    written["context"] = context_path
    if context["adjustments"]:  # the cycle closes: proposals go back to the office as a draft adjustments file
        written["draft_adjustments"] = draft_from_context(context, folder / f"{base}_调整建议_draft.csv")
    return written


def draft_from_context(context: dict, path: Path) -> Path:
    """The evaluation's 调整建议 as a draft adjustments file: the office fills in the new value, the date,
    the reason and the 文号, then feeds it back to `make adjust`."""
    rows = [{"indicator": a["indicator_id"], "field": "target_value", "new_value": "", "effective_from": "",
             "reason": f"（待填写；{a['name']}：{a['reason']}）", "approved_by": "", "recorded_by": ""}
            for a in context["adjustments"]]
    return write_csv(pd.DataFrame(rows, columns=["indicator", "field", "new_value", "effective_from", "reason",
                                                 "approved_by", "recorded_by"]), path)


def _keep(catalog: DataCatalog, rows: pd.DataFrame) -> None:
    """Add this run's evaluations to the table, replacing the earlier run of the same district, year and kind."""
    if catalog.exists("evaluations"):
        old = catalog.load("evaluations")
        key = set(zip(rows.district_code, rows.period.astype(str), rows.kind, strict=True))
        old = old[[k not in key for k in zip(old.district_code, old.period.astype(str), old.kind, strict=True)]]
        rows = pd.concat([old, rows], ignore_index=True)
    catalog.save("evaluations", rows)
