"""编制 outputs: the plan workbooks, the city summary and the blank monthly entry forms.

Reads only the tables `make plan` wrote (outputs/tables/*.csv), so it can run alone; writes
outputs/workbooks/<code>_<district>_规划任务分解.xlsx, outputs/workbooks/<city>_各区规划主要指标对比.xlsx and
outputs/forms/<period>/<code>_<unit>.xlsx.
"""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipeline.render.city_summary import render_city_summary
from pipeline.render.entry_forms import build_entry_forms
from pipeline.render.plan_workbook import write_plan_workbook
from pipeline.render.styles import StyleSheet
from pipeline.render.table_rows import of_district, rows_by_district
from pipeline.tables import read_table
from pipeline.units import Units

log = logging.getLogger(__name__)
PLAN_TABLES = ("documents", "indicators", "projects", "tasks", "responsibilities", "findings")


def in_force(documents: pd.DataFrame, year: int) -> set[str]:
    """doc_ids of the plans whose period covers `year` (the targets a monthly form asks about)."""
    start = pd.to_numeric(documents.period_start, errors="coerce")
    end = pd.to_numeric(documents.period_end, errors="coerce")
    return set(documents.doc_id[(start <= year) & (year <= end)])


def default_period(documents: pd.DataFrame, today: datetime) -> str:
    """This month when a plan covers this year; else December of the last year any plan covers."""
    if in_force(documents, today.year):
        return today.strftime("%Y-%m")
    last = pd.to_numeric(documents.period_end, errors="coerce").max()
    return f"{int(last)}-12" if pd.notna(last) else today.strftime("%Y-%m")


def render_plan_workbooks(outputs: Path, tables: dict[str, pd.DataFrame], styles: StyleSheet,
                          generated_at: datetime) -> list[Path]:
    """The 规划任务分解 workbook of every district, with the 调整记录 sheet once the plan has been adjusted."""
    adjustments = outputs / "tables" / "adjustments.csv"
    audit = read_table(adjustments) if adjustments.exists() else None
    split = {name: rows_by_district(tables[name]) for name in ("documents", "indicators", "projects", "tasks",
                                                                "responsibilities", "findings")}
    paths = []
    for code in sorted(set(split["documents"]) - {""}):
        district = split["documents"][code][0]["district"]
        paths.append(write_plan_workbook(outputs / "workbooks", code, district,
                                         {name: rows.get(code, []) for name, rows in split.items()}, styles,
                                         generated_at, None if audit is None else of_district(audit, code)))
    return paths


def render_plan_outputs(outputs: Path, config_dir: Path, templates: Path, period: str | None,
                        generated_at: datetime) -> dict[str, list[Path]]:
    """Write every 编制 workbook and form from the tables under outputs/tables; return the paths by kind.
    Forms ask only about the plans in force in `period` (default: see `default_period`)."""
    tables = {name: read_table(outputs / "tables" / f"{name}.csv") for name in PLAN_TABLES}
    styles = StyleSheet.load(templates / "workbook_style.yaml")
    catalogue = read_table(config_dir / "indicators.csv")
    units = Units.load(config_dir / "units.yaml")
    districts = read_table(config_dir / "districts.csv")
    documents = tables["documents"]
    period = period or default_period(documents, generated_at)
    current = in_force(documents, int(period[:4]))
    log.info("填报表期间 %s：按当期有效的规划（%s）生成", period, "、".join(sorted(current)) or "无")
    written: dict[str, list[Path]] = {"workbooks": [], "forms": []}
    written["workbooks"] = render_plan_workbooks(outputs, tables, styles, generated_at)
    for code in sorted(set(documents.district_code) - {""}):
        district = documents.loc[documents.district_code == code, "district"].iloc[0]
        indicators, projects = (tables[t][tables[t].doc_id.isin(current)] for t in ("indicators", "projects"))
        if len(indicators) + len(projects):
            written["forms"] += build_entry_forms(outputs / "forms", period, code, district, indicators, projects,
                                                  tables["responsibilities"], styles, styles.form_template_version,
                                                  units)
    city = districts.city.iloc[0] if len(districts) else "全市"
    written["workbooks"].append(render_city_summary(
        outputs / "workbooks" / f"{city}_各区规划主要指标对比.xlsx", documents, tables["indicators"], catalogue,
        units, styles, generated_at))
    for kind, paths in written.items():
        log.info("输出 %s：%d 个文件（%s）", kind, len(paths), paths[0].parent if paths else "-")
    return written
