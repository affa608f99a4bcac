"""评估 runner: `make evaluate YEAR=2025 KIND=final [DISTRICT=230113]`.

Inputs: the plan tables (outputs/tables), the store's accepted observations (the SAMPLE store with
--sample), inputs/config/status.yaml, the report templates. Outputs per district under
outputs/reports/<year>_<kind>[_SAMPLE]/: the report (.docx, .html, .md), its charts, an evaluation workbook
and evaluations.csv; outputs/tables/evaluations.csv keeps every evaluation made (one row per indicator, district,
year and kind, the latest run replacing the earlier one).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipeline.adjust.run import read_adjustments
from pipeline.evaluate.context import EVALUATION_COLUMNS, KIND_NAMES, build_context
from pipeline.evaluate.progress import PeriodBands
from pipeline.store import Store
from pipeline.render.evaluation_workbook import render_evaluation_workbook
from pipeline.render.report import render_reports
from pipeline.render.styles import StyleSheet
from pipeline.statuses import Statuses
from pipeline.tables import read_table, write_table

log = logging.getLogger(__name__)
TABLES = ("documents", "indicators", "achievements", "projects", "tasks", "responsibilities")


@dataclass(frozen=True)
class EvaluationSettings:
    """One evaluation run."""

    year: int
    kind: str
    outputs: Path
    config_dir: Path
    templates: Path
    district: str = ""
    sample: bool = False
    store_url: str = ""


def run_evaluate(settings: EvaluationSettings, now: datetime | None = None) -> int:
    """Evaluate every district with a plan covering the year (or the one asked for); exit 1 when none."""
    now = now or datetime.now()
    if settings.kind not in KIND_NAMES:
        log.error("KIND 应为 annual、midterm 或 final，收到“%s”", settings.kind)
        return 2
    tables = {n: read_table(settings.outputs / "tables" / f"{n}.csv") for n in TABLES}
    tables["adjustments"] = read_adjustments(settings.outputs)
    observations = _observations(settings)
    bands = PeriodBands.load(settings.config_dir / "status.yaml")
    statuses = Statuses.load(settings.templates / "workbook_style.yaml")
    documents = tables["documents"]
    codes = [settings.district] if settings.district else sorted(set(documents.district_code) - {""})
    tag = "_SAMPLE" if settings.sample else ""
    folder = settings.outputs / "reports" / f"{settings.year}_{settings.kind}{tag}"
    made = 0
    all_rows = []
    for code in codes:
        names = documents.loc[documents.district_code == code, "district"]
        district = names.iloc[0] if len(names) else code
        try:
            context, rows = build_context(tables, observations, code, district, settings.year, settings.kind, bands,
                                          statuses, now, settings.sample)
        except ValueError as exc:
            log.warning("%s", exc)
            continue
        base = f"{code}_{district}_{settings.year}年{KIND_NAMES[settings.kind]}{tag}"
        written = write_outputs(context, rows, folder, base, settings, tables["adjustments"])
        all_rows.append(rows)
        made += 1
        counts = "，".join(f"{k}{v}" for k, v in context["summary"]["counts"].items() if v)
        log.info("%s：%d 项指标（%s）；输出 %s", base, context["summary"]["total"], counts,
                 "、".join(p.name for p in written.values()))
    if not made:
        log.error("没有可评估的规划（%d 年，%s）", settings.year, settings.district or "所有区")
        return 1
    _keep(pd.concat(all_rows, ignore_index=True), settings.outputs / "tables" / "evaluations.csv")
    return 0


def _observations(settings: EvaluationSettings) -> pd.DataFrame:
    """Accepted observations of the store, or none when there is no store yet."""
    path = settings.outputs / "store" / ("monitor_SAMPLE.sqlite" if settings.sample else "monitor.sqlite")
    if settings.store_url:
        return Store(settings.store_url).accepted()
    if not path.exists():
        log.info("尚无月度数据库（%s）：实际值只来自文件中的报告", path)
        return pd.DataFrame(columns=["item_id", "period", "cumulative_to_date", "source_file", "cell", "progress"])
    return Store.sqlite(path).accepted()


def write_outputs(context: dict, rows: pd.DataFrame, folder: Path, base: str,
                  settings: EvaluationSettings, adjustments: pd.DataFrame | None = None) -> dict[str, Path]:
    """The report files, charts, evaluation workbook, the evaluations rows and the context itself (JSON)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {"evaluations": write_table(rows, folder / f"{base}_evaluations.csv")}
    context_path = folder / f"{base}_context.json"
    context_path.write_text(json.dumps(context, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    written["context"] = context_path
    styles = StyleSheet.load(settings.templates / "workbook_style.yaml")
    written["workbook"] = render_evaluation_workbook(folder / f"{base}.xlsx", context, styles, adjustments)
    if context["adjustments"]:  # the cycle closes: proposals go back to the office as a draft adjustments file
        from pipeline.adjust.run import draft_from_context

        written["draft_adjustments"] = draft_from_context(context, folder / f"{base}_调整建议_draft.csv")
    written.update(render_reports(context, settings.templates, folder, base, styles.statuses))
    return written


def _keep(rows: pd.DataFrame, path: Path) -> None:
    """Add this run's evaluations to the table, replacing the earlier run of the same district, year and kind."""
    if path.exists():
        old = read_table(path)
        key = set(zip(rows.district_code, rows.period.astype(str), rows.kind, strict=True))
        old = old[[k not in key for k in zip(old.district_code, old.period.astype(str), old.kind, strict=True)]]
        rows = pd.concat([old, rows.astype(str)], ignore_index=True)
    write_table(rows[EVALUATION_COLUMNS], path)
