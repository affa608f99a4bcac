"""调整 runner: `make adjust` — check inputs/adjustments.csv, record the valid changes as a new plan version.

Inputs: inputs/adjustments.csv, the plan tables, the store. Outputs: a new plan version in the store (when
there are new valid changes), outputs/tables/adjustments.csv (every change of every version, for the later
stages and the audit sheets) and outputs/adjust/rejected_lines.csv. Applying the same file again records
nothing: changes are recognised by what they say.
"""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipeline.adjust.adjustments import check_adjustments
from pipeline.store import Store
from pipeline.tables import read_office_csv, read_table, write_table

log = logging.getLogger(__name__)


def store_of(outputs: Path, url: str = "") -> Store:
    """The store the plan versions live in (the monitoring store)."""
    return Store(url) if url else Store.sqlite(outputs / "store" / "monitor.sqlite")


def run_adjust(adjustments_file: Path, outputs: Path, store_url: str = "", now: datetime | None = None,
               templates: Path | None = None) -> int:
    """Check and apply; exit status 1 when any line was rejected (the valid ones still apply)."""
    now = now or datetime.now()
    if not adjustments_file.exists():
        log.info("没有调整文件（%s），规划保持第 1 版", adjustments_file)
        return 0
    tables = {n: read_table(outputs / "tables" / f"{n}.csv") for n in ("indicators", "documents")}
    try:
        lines = read_office_csv(adjustments_file)
    except ValueError as exc:
        log.error("%s；未作任何调整", exc)
        return 1
    store = store_of(outputs, store_url)
    applied = store.table("adjustments")
    changes, rejections = check_adjustments(lines, tables["indicators"], tables["documents"], applied)
    for rejection in rejections:
        log.error("%s", rejection)
    if len(changes):
        recorder = changes.recorded_by.iloc[0] or "发改局"
        version = store.record_version(changes, now.strftime("%Y-%m-%dT%H:%M:%S"), recorder, adjustments_file.name)
        log.info("已记录第 %d 版规划：%d 项调整（%s）", version, len(changes), "、".join(changes.name))
    else:
        log.info("没有新的调整，未产生新版本")
    export_adjustments(store, outputs)
    if templates is not None:  # the plan workbooks gain their 调整记录 sheet
        from pipeline.render.run import PLAN_TABLES, render_plan_workbooks
        from pipeline.render.styles import StyleSheet

        plan_tables = {n: read_table(outputs / "tables" / f"{n}.csv") for n in PLAN_TABLES}
        render_plan_workbooks(outputs, plan_tables, StyleSheet.load(templates / "workbook_style.yaml"), now)
    write_table(pd.DataFrame([(r.line, r.text, r.reason) for r in rejections], columns=["line", "text", "reason"]),
                outputs / "adjust" / "rejected_lines.csv")
    return 1 if rejections else 0


def export_adjustments(store: Store, outputs: Path) -> Path:
    """Every change of every version as outputs/tables/adjustments.csv (the stages read the tables)."""
    return write_table(store.table("adjustments"), outputs / "tables" / "adjustments.csv")


def read_adjustments(outputs: Path) -> pd.DataFrame:
    """The applied changes, or an empty table when the plan was never adjusted."""
    path = outputs / "tables" / "adjustments.csv"
    if not path.exists():
        return pd.DataFrame(columns=["indicator_id", "field", "new_value", "new_text", "effective_from",
                                     "approved_by", "version"])
    table = read_table(path)
    return table.assign(new_value=pd.to_numeric(table.new_value), version=pd.to_numeric(table.version))


def draft_from_context(context: dict, path: Path) -> Path:
    """The evaluation's 调整建议 as a draft adjustments file: the office fills in the new value, the date,
    the reason and the 文号, then feeds it back to `make adjust`."""
    rows = [{"indicator": a["indicator_id"], "field": "target_value", "new_value": "", "effective_from": "",
             "reason": f"（待填写；{a['name']}：{a['reason']}）", "approved_by": "", "recorded_by": ""}
            for a in context["adjustments"]]
    return write_table(pd.DataFrame(rows, columns=["indicator", "field", "new_value", "effective_from", "reason",
                                                   "approved_by", "recorded_by"]), path)
