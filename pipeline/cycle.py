"""The cycle's steps as the make targets run them: each stage, then what is rendered from its tables.

The stages (plan, monitor, adjust, evaluate) write tables and never import the renderers; this module, above
both, wires them, so the import picture runs one way: text → extract → plan → monitor/adjust/evaluate → render →
cycle → cli.
"""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from pipeline.adjust.run import run_adjust as adjust_stage
from pipeline.catalog import DataCatalog
from pipeline.evaluate.run import EvaluationSettings
from pipeline.evaluate.run import run_evaluate as evaluate_stage
from pipeline.monitor.run import MonthlySettings
from pipeline.monitor.run import run_monthly as monitor_stage
from pipeline.plan.run import plan_files, run_extract
from pipeline.render.run import render_evaluation, render_month, render_plan_outputs, render_plan_workbooks

log = logging.getLogger(__name__)


def run_plan(catalog: DataCatalog, period: str | None = None, now: datetime | None = None) -> int:
    """`make plan`: every document under inputs/plans with its manifest → the plan tables, then the plan
    workbooks, the city summary and the blank forms for `period` (YYYY-MM; see `periods.default_month`)."""
    status = run_extract(plan_files(catalog.path("plans")), catalog, catalog.path("manifest"))
    if status == 0:
        render_plan_outputs(catalog, period, now or datetime.now())
    return status


def run_monthly(settings: MonthlySettings, now: datetime | None = None) -> int:
    """`make monthly`: collect, check and store the month's returns, then its monitoring workbooks."""
    now = now or datetime.now()
    month = monitor_stage(settings, now)
    if month is None:
        return 1
    render_month(settings.catalog, month, now)
    return 0


def run_adjust(catalog: DataCatalog, adjustments_file: Path | None = None, store_url: str = "",
               now: datetime | None = None) -> int:
    """`make adjust`: record the approved changes as a new plan version; the plan workbooks gain their 调整记录."""
    now = now or datetime.now()
    adjustments_file = adjustments_file or catalog.path("adjustments_file")
    status = adjust_stage(catalog, adjustments_file, store_url, now)
    if adjustments_file.exists() and catalog.exists("adjustments"):
        render_plan_workbooks(catalog, now)
    return status


def run_evaluate(settings: EvaluationSettings, now: datetime | None = None) -> int:
    """`make evaluate`: evaluate each district, then render its report and workbook."""
    status, evaluations = evaluate_stage(settings, now)
    for evaluation in evaluations:
        written = evaluation.written | render_evaluation(settings.catalog, evaluation)
        summary = evaluation.context["summary"]
        counts = "，".join(f"{k}{v}" for k, v in summary["counts"].items() if v)
        log.info("%s：%d 项指标（%s）；输出 %s", evaluation.base, summary["total"], counts,
                 "、".join(p.name for p in written.values()))
    return status
