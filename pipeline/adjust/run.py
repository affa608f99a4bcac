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
from pipeline.catalog import DataCatalog
from pipeline.schema import columns
from pipeline.store import Store
from pipeline.tables import read_office_csv

log = logging.getLogger(__name__)


def run_adjust(catalog: DataCatalog, adjustments_file: Path | None = None, store_url: str = "",
               now: datetime | None = None) -> int:
    """Check and apply; exit status 1 when any line was rejected (the valid ones still apply)."""
    now = now or datetime.now()
    adjustments_file = adjustments_file or catalog.path("adjustments_file")
    if not adjustments_file.exists():
        log.info("没有调整文件（%s），规划保持第 1 版", adjustments_file)
        return 0
    tables = {n: catalog.load(n) for n in ("indicators", "documents")}
    try:
        lines = read_office_csv(adjustments_file)
    except ValueError as exc:
        log.error("%s；未作任何调整", exc)
        return 1
    store = Store(store_url) if store_url else Store.sqlite(catalog.path("store"))
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
    catalog.save("adjustments", store.table("adjustments"))  # every change of every version, for the later stages
    catalog.save("rejected_lines", pd.DataFrame([(r.line, r.text, r.reason) for r in rejections],
                                                columns=columns("rejected_lines")))
    return 1 if rejections else 0
