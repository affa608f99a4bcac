"""The render stage: every workbook, form and report, from the tables the stages before wrote.

编制: the plan workbooks, the city summary and the blank monthly entry forms (from the plan tables alone, so it
can run by itself); 实施: the month's monitoring workbooks; 评估: the reports and evaluation workbooks from
each evaluation's context. Where each goes: the catalogue (pipeline/schema/catalog.yml).
"""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipeline.catalog import DataCatalog
from pipeline.periods import asked, default_month, in_force
from pipeline.plan.confidence import ItemRules
from pipeline.plan.review import sheet_rows
from pipeline.render.city_monitor import render_city_monitor
from pipeline.render.city_summary import render_city_summary
from pipeline.render.entry_forms import build_entry_forms
from pipeline.render.evaluation_workbook import render_evaluation_workbook
from pipeline.render.monitor_workbook import render_monitor_workbook
from pipeline.render.plan_workbook import write_plan_workbook
from pipeline.render.report import render_reports
from pipeline.render.review_workbook import load_words, render_review_workbook
from pipeline.render.sheet_layout import chinese_date
from pipeline.render.styles import StyleSheet
from pipeline.render.table_rows import of_district, rows_by_district
from pipeline.tables import plans_with_duties, read_csv_text, split_by
from pipeline.units import Units

log = logging.getLogger(__name__)
PLAN_TABLES = ("documents", "indicators", "projects", "tasks", "responsibilities", "findings")


def render_plan_workbooks(catalog: DataCatalog, generated_at: datetime) -> list[Path]:
    """The 规划任务分解 workbook of every district from the plan tables, with the 调整记录 sheet once the plan
    has been adjusted."""
    tables = {name: catalog.load(name) for name in PLAN_TABLES}
    return write_plan_workbooks(catalog.path("workbooks"), tables, StyleSheet.load(catalog.path("workbook_style")),
                                generated_at, _audit(catalog))


def _audit(catalog: DataCatalog) -> pd.DataFrame | None:
    """Every approved change of the plans, or None before the first 调整 (no 调整记录 sheet then)."""
    return catalog.load("adjustments") if catalog.exists("adjustments") else None


def _city(districts: pd.DataFrame) -> str:
    """The city the districts belong to (districts.csv), named in the summaries' file names."""
    return districts.city.iloc[0] if len(districts) else "全市"


def write_plan_workbooks(folder: Path, tables: dict[str, pd.DataFrame], styles: StyleSheet, generated_at: datetime,
                         audit: pd.DataFrame | None = None) -> list[Path]:
    """Write the plan workbook of every district of the tables into `folder`; return their paths."""
    split = {name: rows_by_district(tables[name]) for name in PLAN_TABLES}
    paths = []
    for code in sorted(set(split["documents"]) - {""}):
        district = split["documents"][code][0]["district"]
        paths.append(write_plan_workbook(folder, code, district,
                                         {name: rows.get(code, []) for name, rows in split.items()}, styles,
                                         generated_at, None if audit is None else of_district(audit, code)))
    return paths


def render_plan_outputs(catalog: DataCatalog, period: str | None, generated_at: datetime) -> dict[str, list[Path]]:
    """Write every 编制 workbook and form from the plan tables; return the paths by kind. Forms ask only about
    the plans in force in `period` (default: see `periods.default_month`)."""
    tables = {name: catalog.load(name) for name in PLAN_TABLES}
    styles = StyleSheet.load(catalog.path("workbook_style"))
    catalogue = read_csv_text(catalog.config("indicators.csv"))
    units = Units.load(catalog.config("units.yaml"))
    districts = read_csv_text(catalog.config("districts.csv"))
    documents = tables["documents"]
    period = period or default_month(documents, generated_at, plans_with_duties(tables))
    current = in_force(documents, period)
    log.info("填报表期间 %s：按当期有效的规划（%s）生成", period, "、".join(sorted(current)) or "无")
    written: dict[str, list[Path]] = {"workbooks": [], "forms": []}
    written["workbooks"] = write_plan_workbooks(catalog.path("workbooks"), tables, styles, generated_at,
                                                _audit(catalog))
    indicators = asked(documents, tables["indicators"], period)
    projects = tables["projects"][tables["projects"].doc_id.isin(current)]
    for stale in (catalog.path("forms") / period).glob("*.xlsx"):  # a unit that no longer answers gets no old form
        stale.unlink()
    for code in sorted(set(documents.district_code) - {""}):
        district = documents.loc[documents.district_code == code, "district"].iloc[0]
        if len(of_district(indicators, code)) + len(of_district(projects, code)):
            written["forms"] += build_entry_forms(catalog.path("forms"), period, code, district,
                                                  indicators, projects,
                                                  tables["responsibilities"], styles, styles.form_template_version,
                                                  units)
    if not written["forms"]:
        log.warning("填报表期间 %s 没有需要各单位填报的指标或项目（当期有效的规划：%s），未生成空白填报表；"
                    "可用 make plan PERIOD=YYYY-MM 指定规划期内的月份", period, "、".join(sorted(current)) or "无")
    written["review"] = write_review_workbooks(catalog, tables, styles, generated_at)
    written["workbooks"].append(render_city_summary(
        catalog.path("workbooks") / f"{_city(districts)}_各区规划主要指标对比.xlsx", documents, tables["indicators"],
        catalogue, units, styles, generated_at))
    for kind, paths in written.items():
        log.info("输出 %s：%d 个文件（%s）", kind, len(paths), paths[0].parent if paths else "-")
    return written


def write_review_workbooks(catalog: DataCatalog, tables: dict[str, pd.DataFrame], styles: StyleSheet,
                           generated_at: datetime) -> list[Path]:
    """The review workbook (审核表) of every district, from the plan tables with the office's decisions in force."""
    config = catalog.path("config")
    publish_at = ItemRules.load(config / "review.yaml").publish_at
    departments = read_csv_text(config / "departments.csv")
    decisions = catalog.load_or_empty("decisions")
    rows = sheet_rows(tables, decisions, publish_at)
    words = load_words(catalog.path("review_words"))
    folder = catalog.path("review_workbooks")
    folder.mkdir(parents=True, exist_ok=True)
    documents = tables["documents"]
    paths = []
    for code in sorted(set(documents.district_code) - {""}):
        district = documents.loc[documents.district_code == code, "district"].iloc[0]
        units = departments.unit[departments.district_code == code].tolist()
        paths.append(render_review_workbook(folder / f"{code}_{district}_审核表.xlsx", code, district,
                                            rows[rows.district_code == code], units, styles,
                                            chinese_date(generated_at), words))
    return paths


def render_month(catalog: DataCatalog, month, generated_at: datetime) -> dict[str, Path]:
    """The monitoring workbooks of a month (`monitor.run.Month`): one per district and the city summary."""
    styles = StyleSheet.load(catalog.path("workbook_style"))
    districts = read_csv_text(catalog.config("districts.csv"))
    names = dict(zip(districts.district_code, districts.district, strict=True))
    period, tag = month.period, catalog.tag
    folder = catalog.path("month_workbooks", period=period)
    written = {}
    frames = {"status": month.status, "history": month.history, "ledger": month.ledger,
              "rejections": month.rejections, "timeliness": month.timeliness}
    own = {name: split_by(frame, "district_code") for name, frame in frames.items()}

    def mine(name: str, code: str) -> pd.DataFrame:
        return own[name].get(code, frames[name].iloc[0:0])

    shown = set(month.status.district_code) | set(month.timeliness.district_code)
    for code in sorted(shown):
        name = names.get(code, code)
        written[f"monitor_{code}"] = render_monitor_workbook(
            folder / f"{code}_{name}_月度监测_{period}{tag}.xlsx", code, name, period,
            mine("status", code), mine("history", code), mine("ledger", code),
            pd.concat([mine("rejections", code), mine("rejections", "")]).sort_index(),  # "": district unknown
            mine("timeliness", code), styles, generated_at, sample=catalog.sample)
    used = districts[districts.district_code.isin(shown)]
    written["monitor_city"] = render_city_monitor(
        folder / f"{_city(districts)}_月度监测汇总_{period}{tag}.xlsx", period, month.status, month.timeliness,
        used[["district_code", "district"]], styles, generated_at, sample=catalog.sample)
    log.info("月度监测工作簿：%s", folder)
    return written


def render_evaluations(catalog: DataCatalog, evaluations: list) -> list[dict[str, Path]]:
    """Each evaluation's workbook and report files (`evaluate.run.Evaluation`), beside its data."""
    styles = StyleSheet.load(catalog.path("workbook_style"))
    adjustments = catalog.load_or_empty("adjustments")
    written = []
    for evaluation in evaluations:
        folder, base, context = evaluation.folder, evaluation.base, evaluation.context
        files = {"workbook": render_evaluation_workbook(folder / f"{base}.xlsx", context, styles, adjustments)}
        written.append(files | render_reports(context, catalog.templates, folder, base, styles.statuses))
    return written
