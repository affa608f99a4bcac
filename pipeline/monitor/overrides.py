"""Manual judgements (人工研判) of a month's status from inputs/overrides.csv, checked line by line."""
from __future__ import annotations

import logging

import pandas as pd

from pipeline.periods import month
from pipeline.statuses import Statuses
from pipeline.tables import records

log = logging.getLogger(__name__)

OVERRIDE_COLUMNS = ("period", "item_id", "status", "reason", "approved_by")  # inputs/overrides.csv


def apply_overrides(status: pd.DataFrame, overrides: pd.DataFrame, period: str, source: str,
                    statuses: Statuses) -> pd.DataFrame:
    """Manual judgements (人工研判): a status set by the office with a reason and an approver. A line that
    names an unknown item, a status not among the computed words of `statuses` (templates/workbook_style.yaml),
    or lacks a reason or an approver is refused in the log."""
    status, words, manual = status.copy(), statuses.computed, statuses.manual[0]
    missing = [c for c in OVERRIDE_COLUMNS if c not in overrides.columns]
    if missing:
        log.error("%s 未采用：缺少列 %s（表头应为 %s）", source, "、".join(missing), ",".join(OVERRIDE_COLUMNS))
        return status
    for number, line in enumerate(records(overrides), start=2):
        try:
            month(line["period"])
        except ValueError as exc:
            log.error("%s 第 %d 行未采用：%s", source, number, exc)
            continue
        if line["period"] != period:
            continue
        problems = [text for bad, text in (
            (line.get("item_id") not in set(status.item_id), f"编号“{line.get('item_id')}”不在本月监测的指标中"),
            (line.get("status") not in words, f"状态“{line.get('status')}”不是 {'、'.join(words)} 之一"),
            (not line.get("reason"), "缺少研判理由"), (not line.get("approved_by"), "缺少批准人"))
            if bad]
        if problems:
            log.error("%s 第 %d 行未采用：%s", source, number, "；".join(problems))
            continue
        at = status.index[status.item_id == line["item_id"]]
        status.loc[at, "method"] = status.loc[at, "method"] + (
            f"；{manual}：{line['status']}（计算结果 {status.loc[at, 'status'].iloc[0]}；理由：{line['reason']}；"
            f"批准：{line['approved_by']}）")
        status.loc[at, "status"] = manual
    return status
