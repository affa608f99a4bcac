"""The office's review of what the machine proposes: every extracted item as a review row, the decisions read back
from the review workbooks in inputs/review/, and the plan tables with those decisions applied.

Stage: 编制 (plan). Input: the plan tables of an extraction, inputs/config/departments.csv, review.yaml and the
review workbooks the office returns (layout: pipeline/forms/review_layout.py). Output: the `decisions` table (every
decision with who, when, file and cell, and whether it is applied), `review_rejections` (every cell refused, with
the reason a clerk can act on) and the tables with the decisions in force: a removed item (剔除) stays in its table
marked `removed` and goes out nowhere; a corrected name, unit or lead unit replaces the machine's everywhere, the
printed name kept in `printed_name`; an item nobody confirmed and the machine is unsure of is `pending` (待确认).
Decisions are keyed on the document, the line and what the item is anchored on (review_key), not on the
extractor's name for it, so an improved extractor keeps them; one whose item is gone is listed, never dropped.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from pipeline.forms.review_layout import (
    ADOPT,
    COLUMNS,
    CORRECTS,
    FIRST_ROW,
    HEADER_ROW,
    REMOVE,
    SHEET,
    WRITTEN_SHEET,
    check_code,
    column_of,
    review_key,
)
from pipeline.numbers import as_text
from pipeline.plan.responsibility import release_held
from pipeline.schema import columns
from pipeline.tables import ITEM_IDS, ITEM_NAMES, ITEM_TABLES, machine_review
from pipeline.zipguard import ZipLimits, expansion_problem

log = logging.getLogger(__name__)
SAME_NAME = 0.5  # how alike (difflib's ratio) a name must be to the one the office saw to take its decision
MEASURE_WORDS = {"flow": "流量（年内累计）", "stock": "存量（期末值）", "rate": "比率", "growth": "增速",
                 "cumulative": "规划期累计"}
UNSIGNED = "（未署名）"


def item_rows(tables: Mapping[str, pd.DataFrame], publish_at: float) -> pd.DataFrame:
    """One row per extracted item (indicator, project, task) with its review key, the machine's proposal, the quote
    and its source line, the item's and the lead unit's confidence with their reasons, and its review status;
    least certain first."""
    duty = tables["responsibilities"].set_index(["item_type", "item_id"])
    rows = []
    for item_type, table in ITEM_TABLES.items():
        for r in tables[table].to_dict("records"):
            item_id = r[ITEM_IDS[item_type]]
            d = duty.loc[(item_type, item_id)] if (item_type, item_id) in duty.index else None
            rows.append(_item_row(item_type, item_id, r, d))
    frame = pd.DataFrame(rows, columns=ITEM_COLUMNS)
    frame["key"] = _unique(frame.key)
    frame["review"] = [s or machine_review(c, publish_at) for s, c in zip(frame.review, frame.item_confidence,
                                                                           strict=True)]
    return frame.sort_values(["confidence", "doc_id", "line"], kind="stable").reset_index(drop=True)


ITEM_COLUMNS = ["key", "item_type", "item_id", "doc_id", "district_code", "line", "name", "unit", "category",
                "measure", "target", "lead", "co", "proposed_lead", "area", "quote", "item_confidence",
                "item_reason", "lead_confidence", "lead_reason", "confidence", "review", "printed_name"]


def _item_row(item_type: str, item_id: str, r: Mapping, duty) -> dict:
    """The review row of one item from its table row and its responsibilities row."""
    name = as_text(r.get(ITEM_NAMES[item_type]))
    printed = as_text(r.get("printed_name")) or name  # the key holds to what the extractor found, not a correction
    if item_type == "indicator":
        anchor = f"{as_text(r.get('target_text'))}{as_text(r.get('sub_item'))}"
        category, measure = as_text(r.get("category")), MEASURE_WORDS.get(as_text(r.get("measure_type")), "")
        target, unit = as_text(r.get("target_text")), as_text(r.get("unit"))
        name = name + (f"（{as_text(r.get('sub_item'))}）" if as_text(r.get("sub_item")) else "")
    elif item_type == "project":
        anchor, category, measure = printed, as_text(r.get("column_title")), ""
        target, unit = as_text(r.get("investment_text")), ""
    else:
        anchor, category, measure, target, unit = printed, as_text(r.get("number")), "", as_text(r.get("year")), ""
    item_confidence = float(r.get("confidence") or 0.0)
    lead_confidence = float(duty["confidence"]) if duty is not None and pd.notna(duty["confidence"]) else 0.0
    return {"key": review_key(item_type, r["doc_id"], as_text(r.get("line")), anchor), "item_type": item_type,
            "item_id": item_id, "doc_id": r["doc_id"], "district_code": as_text(r.get("district_code")),
            "line": as_text(r.get("line")), "name": name, "unit": unit, "category": category, "measure": measure,
            "target": target, "lead": as_text(duty["lead_unit"]) if duty is not None else "",
            "co": as_text(duty["co_units"]) if duty is not None else "",
            "proposed_lead": as_text(duty["proposed_unit"]) if duty is not None else "",
            "area": as_text(duty["area"]) if duty is not None else "", "quote": as_text(r.get("quote")),
            "item_confidence": item_confidence, "item_reason": as_text(r.get("confidence_reason")),
            "lead_confidence": lead_confidence, "lead_reason": as_text(duty["reason"]) if duty is not None else "",
            "confidence": min(item_confidence, lead_confidence), "review": as_text(r.get("review")),
            "printed_name": as_text(r.get("printed_name"))}


def _unique(keys: pd.Series) -> list[str]:
    """Keys made unique in order: a second item of the same line and anchor gets '#2'."""
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return out


def sheet_rows(tables: Mapping[str, pd.DataFrame], decisions: pd.DataFrame, publish_at: float) -> pd.DataFrame:
    """The rows of the review workbooks, from the tables with the decisions in force: each item's machine proposal
    (the name and unit as extracted, the unit the evidence points to) beside what is in force, with the 采用 and
    备注 in force and where the item stands in its document; least certain first."""
    rows = item_rows(tables, publish_at)
    duty = tables["responsibilities"].set_index(["item_type", "item_id"])
    by_office = {k for k, b in zip(duty.index, duty.basis, strict=True) if b == "office"}
    applied = decisions[decisions.status == "applied"]
    said = {(t, i, f): v for t, i, f, v in zip(applied.item_type, applied.item_id, applied.field, applied.value,
                                                strict=True)}
    printed_units = dict(zip(tables["indicators"].indicator_id, tables["indicators"].get(
        "printed_unit", pd.Series("", index=tables["indicators"].index)), strict=True))
    titles = dict(zip(tables["documents"].doc_id, tables["documents"].title, strict=True))
    pairs = list(zip(rows.item_type, rows.item_id, strict=True))
    return rows.assign(
        unit_proposed=[as_text(printed_units.get(i)) or u for (_, i), u in zip(pairs, rows.unit, strict=True)],
        co_proposed=["" if p in by_office else c for p, c in zip(pairs, rows.co, strict=True)],
        adopt_in_force=[said.get((*p, "adopt"), "") for p in pairs],
        remark_in_force=[said.get((*p, "remark"), "") for p in pairs],
        source=[f"{as_text(titles.get(d, d))[:24]} 第{line}行" for d, line in zip(rows.doc_id, rows.line, strict=True)])


# ---------------------------------------------------------------- reading a returned workbook

def read_review_workbook(path: Path, units: Mapping[str, set[str]], limits: ZipLimits | None = None
                         ) -> tuple[list[dict], list[dict]]:
    """(decisions, rejections) of one returned review workbook. A decision is an editable cell the office changed
    from what was written (采用/剔除, 名称, 单位, 牵头单位, 配合单位, 备注). Refused, each with sheet, cell and reason:
    a row whose key was edited, a row whose proposal (a locked column) was changed, a 采用 cell that is neither 采用
    nor 剔除, a unit not among the district's (`units`: district → its units). The other cells are still taken."""
    rejections: list[dict] = []

    def refuse(sheet: str, cell: str, key: str, raw: object, reason: str) -> None:
        rejections.append({"source_file": path.name, "sheet": sheet, "cell": cell, "key": key,
                           "raw_value": "" if raw is None else str(raw),
                           "reason": f"{cell}：{reason}" if cell else reason})

    too_large = expansion_problem(path, limits) if limits is not None else ""
    if too_large:
        refuse("", "", "", "", f"{too_large}；请用下发的审核表填写后再放入 inputs/review/")
        return [], rejections
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        refuse("", "", "", "", f"无法打开（{type(exc).__name__}），请用下发的审核表填写后再放入 inputs/review/")
        return [], rejections
    if SHEET not in wb.sheetnames or WRITTEN_SHEET not in wb.sheetnames:
        refuse("", "", "", "", f"不是审核表（缺少“{SHEET}”或隐藏的“{WRITTEN_SHEET}”工作表）")
        return [], rejections
    district, written = _written(wb[WRITTEN_SHEET])
    who = as_text(wb.properties.lastModifiedBy) or as_text(wb.properties.creator) or UNSIGNED
    when = wb.properties.modified or datetime.fromtimestamp(path.stat().st_mtime)
    ws = wb[SHEET]
    headers = [as_text(c.value) for c in ws[HEADER_ROW + 1]]
    expected = [c.header for c in COLUMNS]
    if headers[:len(expected)] != expected:
        refuse(SHEET, f"A{HEADER_ROW + 1}", "", "", "表头与下发的审核表不同（列被增删或移动），整表未采用")
        return [], rejections
    decisions = []
    for cells in ws.iter_rows(min_row=FIRST_ROW + 1, max_col=len(COLUMNS)):
        value = {c.field: cells[column_of(c.field)].value for c in COLUMNS}
        address = {c.field: cells[column_of(c.field)].coordinate for c in COLUMNS}
        key = as_text(value["key"])
        if not key and not any(as_text(value[f]) for f in ("adopt", "name", "lead", "co", "remark")):
            continue
        if key not in written or check_code(key) != as_text(value["check"]):
            refuse(SHEET, address["key"], key, key, "编号被改动或不是下发时的编号，本行未采用；请勿修改编号列")
            continue
        was = written[key]
        changed = [f for f in CORRECTS.values() if as_text(value[f]) != was[f]]
        if changed:
            field = changed[0]
            refuse(SHEET, address[field], key, value[field],
                   f"“{_header(field)}”是锁定列，内容被改动（原为“{was[field]}”），本行未采用；请在“{_header(_corrector(field))}”列修改")
            continue
        row_decisions = []
        adopt = as_text(value["adopt"])
        if adopt not in ("", ADOPT, REMOVE):
            refuse(SHEET, address["adopt"], key, value["adopt"], f"“采用”只能填“{ADOPT}”或“{REMOVE}”")
        elif adopt != was["adopt"]:
            row_decisions.append(("adopt", adopt))
        for field in ("name", "unit", "lead", "co", "remark"):
            text = as_text(value[field]).strip()
            if text == was.get(field, ""):
                continue
            bad = _unknown_units(text, units.get(district, set())) if field in ("lead", "co") else []
            if field == "unit" and _item_letter(key) != "i":
                refuse(SHEET, address[field], key, value[field], "项目和任务没有计量单位，本格不予采用")
            elif field == "lead" and "|" in text.replace("、", "|"):
                refuse(SHEET, address[field], key, value[field], "牵头单位只能填一个单位")
            elif bad:
                refuse(SHEET, address[field], key, value[field],
                       f"“{'、'.join(bad)}”不在本区单位名单（inputs/config/departments.csv）中，请从下拉列表选择")
            else:
                row_decisions.append((field, _units(text) if field == "co" else text))
        if adopt == ADOPT != was["adopt"]:  # 采用 adopts the row as shown, whatever the machine says later
            taken = {f for f, _ in row_decisions}
            known = units.get(district, set())
            row_decisions += [(f, _units(as_text(value[f])) if f == "co" else as_text(value[f]).strip())
                              for f in ("name", "unit", "lead", "co") if f not in taken and as_text(value[f]).strip()
                              and not (f == "unit" and _item_letter(key) != "i")
                              and not (f in ("lead", "co") and _unknown_units(as_text(value[f]), known))]
        decisions += [{"key": key, "proposed_name": was.get("proposed_name", ""), "district_code": district,
                       "field": field, "value": new,
                       "decided_by": who, "decided_at": when.strftime("%Y-%m-%d %H:%M:%S"),
                       "source_file": path.name, "sheet": SHEET, "cell": address[field]}
                      for field, new in row_decisions]
    return decisions, rejections


def _written(ws) -> tuple[str, dict[str, dict[str, str]]]:
    """(district code, key → the proposal and editable cells as written) from the hidden _原值 sheet."""
    rows = list(ws.iter_rows(values_only=True))
    district = as_text(rows[0][1]) if rows and len(rows[0]) > 1 else ""
    fields = [as_text(v) for v in rows[1]] if len(rows) > 1 else []
    written = {}
    for values in rows[2:]:
        record = {f: as_text(v) for f, v in zip(fields, values, strict=False)}
        if record.get("key"):
            written[record["key"]] = record
    return district, written


def _header(field: str) -> str:
    return COLUMNS[column_of(field)].header


def _corrector(locked: str) -> str:
    return next(editable for editable, proposal in CORRECTS.items() if proposal == locked)


def _key_parts(key: str) -> tuple[str, str, str]:
    """(document, kind letter i/p/t, line) of a review key ('230113-fyp-2021:i465:4ff393', see review_key)."""
    doc, _, rest = key.rpartition(":")[0].rpartition(":")
    return doc, rest[:1], rest[1:]


def _item_letter(key: str) -> str:
    """The kind of item a review key is of: i(ndicator), p(roject) or t(ask)."""
    return _key_parts(key)[1]


def _units(text: str) -> str:
    """Units as the tables join them: '民政局、卫健局' → '民政局|卫健局'."""
    return "|".join(u.strip() for u in text.replace("、", "|").replace("，", "|").split("|") if u.strip())


def _unknown_units(text: str, known: set[str]) -> list[str]:
    return [u for u in _units(text).split("|") if u and u not in known]


def read_decisions(folder: Path, units: Mapping[str, set[str]], limits: ZipLimits | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(decisions, rejections) of every review workbook in `folder`, decisions in the order they were made (the
    workbook's save time, then its name); none when the folder does not exist. A file that is no review workbook
    is refused whole; nothing in the folder is changed."""
    decisions, rejections = [], []
    paths = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith(("~$", "."))) if folder.is_dir() else []
    for path in paths:
        made, refused = read_review_workbook(path, units, limits)
        decisions += made
        rejections += refused
        for r in refused:
            log.warning("审核表 %s：%s", path.name, r["reason"])
    frame = pd.DataFrame(decisions, columns=[c for c in columns("decisions") if c not in ("status", "item_type",
                                                                                        "item_id", "note")])
    frame = frame.sort_values(["decided_at", "source_file"], kind="stable").reset_index(drop=True)
    return frame, pd.DataFrame(rejections, columns=columns("review_rejections"))


# ---------------------------------------------------------------- applying the decisions

def apply_decisions(tables: dict[str, pd.DataFrame], decisions: pd.DataFrame, publish_at: float
                    ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """(the tables with the decisions in force, the decisions with their item and status). The latest decision of
    each item and field wins; one whose key no item has any more is matched by document, kind and line when one item
    stands there whose extracted name is like the one the office saw (`proposed_name`: a better extractor's name for
    the same thing), else kept as `orphaned` (listed for the office, never dropped)."""
    tables = {name: frame.copy() for name, frame in tables.items()}
    for item_type, table in ITEM_TABLES.items():
        tables[table] = tables[table].assign(review="", printed_name="", **(
            {"printed_unit": ""} if item_type == "indicator" else {}))
    items = item_rows(tables, publish_at)
    by_key = {k: (t, i) for k, t, i in zip(items.key, items.item_type, items.item_id, strict=True)}
    by_place: dict[tuple[str, str, str], list[tuple[str, str, str]]] = {}
    for t, i, d, line, name, printed in zip(items.item_type, items.item_id, items.doc_id, items.line, items.name,
                                            items.printed_name, strict=True):
        by_place.setdefault((d, t[0], line), []).append((t, i, printed or name))
    out = decisions.assign(item_type="", item_id="", status="", note="")
    latest: dict[tuple[str, str, str], int] = {}
    for n, key in enumerate(out.key):
        found, note = by_key.get(key), ""
        if found is None:
            seen = as_text(out.proposed_name[n])
            place = [(t, i) for t, i, name in by_place.get(_key_parts(key), [])
                     if SequenceMatcher(None, seen, name).ratio() >= SAME_NAME]
            found, note = (place[0], "编号已变，按原文位置和名称对应") if len(place) == 1 else (None, "")
        if found is None:
            out.loc[n, ["status", "note"]] = ["orphaned", "所指条目在本次提取中已不存在，决定保留备查"]
            continue
        out.loc[n, ["item_type", "item_id", "note"]] = [found[0], found[1], note]
        previous = latest.get((*found, out.field[n]))
        if previous is not None:
            out.loc[previous, "status"] = "superseded"
        latest[(*found, out.field[n])] = n
        out.loc[n, "status"] = "applied"
    decided = {(t, i) for t, i, _ in latest}  # any decision confirms the item, unless the last 采用 is 剔除
    removed = {(t, i) for (t, i, f), n in latest.items() if f == "adopt" and out.value[n] == REMOVE}
    tables["responsibilities"] = release_held(tables["responsibilities"], decided - removed)
    for (item_type, item_id, field), n in latest.items():
        _apply(tables, item_type, item_id, field, out.value[n], out.loc[n])
    for item_type, table in ITEM_TABLES.items():
        frame = tables[table]
        frame["review"] = ["removed" if (item_type, i) in removed else "confirmed" if (item_type, i) in decided
                           else machine_review(c, publish_at)
                           for i, c in zip(frame[ITEM_IDS[item_type]], frame.confidence, strict=True)]
    return tables, out[columns("decisions")]


def _apply(tables: dict[str, pd.DataFrame], item_type: str, item_id: str, field: str, value: str,
           decision: pd.Series) -> None:
    """Put one decision on a name, unit or unit of responsibility in force in the tables (采用/剔除 and 备注 are
    recorded, and decide the review status)."""
    frame = tables[ITEM_TABLES[item_type]]
    at = frame.index[frame[ITEM_IDS[item_type]] == item_id]
    if field == "name" and value:
        column = ITEM_NAMES[item_type]
        if item_type == "indicator":  # the sub-item stays its own column (城镇, 农村): the name shown is name（sub）
            value = value.removesuffix(f"（{as_text(frame.loc[at, 'sub_item'].iloc[0])}）") or value
            frame.loc[at, "name_issue"] = ""  # the office's name names it
        if as_text(frame.loc[at, column].iloc[0]) != value:
            frame.loc[at, "printed_name"] = frame.loc[at, column]
            frame.loc[at, column] = value
    elif field == "unit" and item_type == "indicator" and as_text(frame.loc[at, "unit"].iloc[0]) != value:
        frame.loc[at, "printed_unit"] = frame.loc[at, "unit"]
        frame.loc[at, "unit"] = value
    elif field in ("lead", "co"):
        duty = tables["responsibilities"]
        row = duty.index[(duty.item_type == item_type) & (duty.item_id == item_id)]
        duty.loc[row, "lead_unit" if field == "lead" else "co_units"] = value
        lead = as_text(duty.loc[row, "lead_unit"].iloc[0])  # a unit leads or helps, not both
        duty.loc[row, "co_units"] = "|".join(u for u in as_text(duty.loc[row, "co_units"].iloc[0]).split("|")
                                             if u and u != lead)
        if field == "lead" and not value:
            duty.loc[row, ["rule_id", "basis", "confidence"]] = ["unassigned", "office", 1.0]
        else:
            duty.loc[row, ["rule_id", "basis", "confidence"]] = ["office", "office", 1.0]
        duty.loc[row, "reason"] = (f"审核表 {decision.source_file}（{decision.decided_by}，{decision.decided_at}）"
                                   f"{'确定牵头单位' if field == 'lead' else '确定配合单位'}")


def review_stage(tables: dict[str, pd.DataFrame], folder: Path, departments: pd.DataFrame, publish_at: float,
                 limits: ZipLimits | None = None) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame]:
    """(the tables with the office's decisions in force, the decisions, the refused cells) from the review workbooks
    in `folder` (inputs/review/); `departments` gives each district's units; `limits` how far a workbook may
    expand."""
    units = {code: set(frame.unit) for code, frame in departments.groupby("district_code")}
    decisions, rejections = read_decisions(folder, units, limits)
    applied, decisions = apply_decisions(tables, decisions, publish_at)
    counts = decisions.status.value_counts()
    if len(decisions):
        log.info("审核决定 %d 项（生效 %d，被后来的决定取代 %d，所指条目已不存在 %d）", len(decisions),
                 counts.get("applied", 0), counts.get("superseded", 0), counts.get("orphaned", 0))
    if len(rejections):
        log.warning("审核表中 %d 处未采用，见 outputs/review/审核表退回清单.csv", len(rejections))
    return applied, decisions, rejections

