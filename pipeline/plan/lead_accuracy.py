"""How well lead units are assigned, against hand-checked samples (tests/gold/lead_units*.csv, the practice
lists of tests/corpus/leads): precision and coverage, what each kind of evidence proposes, and what each threshold
would give (`make accuracy`).
"""
from __future__ import annotations

import pandas as pd

from pipeline.plan.lead_model import PENDING
from pipeline.plan.responsibility import assignable

JUDGED = ["item_type", "basis", "confidence", "given", "right", "proposed", "proposal_right", "assignable",
          "has_unit"]  # see judged_leads


def judged_leads(responsibilities: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """The hand-checked items (tests/gold/lead_units.csv: item_type, item_id, acceptable_units — '|'-joined units an
    official would accept, or 待确认 where none can be told from the text) still extracted, each with its evidence
    (basis, confidence), whether it was given a lead unit and whether that unit, and the proposal behind it whether
    assigned or not, is acceptable; whether a threshold at or below its confidence would assign the proposal
    (`assignable`), and whether people gave the item a unit at all."""
    rows = responsibilities.drop_duplicates(["item_type", "item_id"], keep="last")
    rows = rows.assign(assignable=assignable(rows)).set_index(["item_type", "item_id"])
    out = []
    for item_type, item_id, acceptable in zip(gold.item_type, gold.item_id, gold.acceptable_units, strict=True):
        if (item_type, item_id) not in rows.index:
            continue  # the item is no longer extracted
        row = rows.loc[(item_type, item_id)]
        units = acceptable.split("|")
        out.append({"item_type": item_type, "basis": row.basis, "confidence": float(row.confidence),
                    "given": bool(row.lead_unit), "right": bool(row.lead_unit) and row.lead_unit in units,
                    "proposed": bool(row.proposed_unit), "proposal_right": bool(row.proposed_unit)
                    and row.proposed_unit in units, "assignable": bool(row.assignable), "has_unit": units != [PENDING]})
    return pd.DataFrame(out, columns=JUDGED)


def lead_scores(frame: pd.DataFrame) -> pd.DataFrame:
    """How well lead units are assigned, from items judged by `judged_leads`. Precision is over the items given a
    lead unit (one given to a 待确认 item is wrong); coverage is the share of the checked items given one, and
    coverage_with_unit the share of those people gave a unit (not 待确认: a fragment, a body outside the list) that
    were given one. Per item type and overall; empty when nothing was judged."""
    if frame.empty:
        return pd.DataFrame()
    return pd.DataFrame([{"item_type": label, **_given_scores(part, part.given)}
                         for label, part in [*frame.groupby("item_type", sort=True), ("全部", frame)]])


def threshold_scores(frame: pd.DataFrame, levels: list[float]) -> pd.DataFrame:
    """What each threshold (assign_at) would give the items judged by `judged_leads`: every proposal a threshold at
    or below its confidence assigns (`assignable`), scored as `lead_scores` scores what was given, so that the office
    sets assign_at knowing what it trades."""
    could = frame.assignable.astype(bool)
    confidence = frame.confidence.astype(float)
    return pd.DataFrame([{"assign_at": level, **_given_scores(frame, could & (confidence >= level),
                                                             frame.proposal_right.astype(bool))}
                         for level in levels])


def _given_scores(part: pd.DataFrame, given: pd.Series, right: pd.Series | None = None) -> dict:
    """checked, given, right, precision, coverage and coverage_with_unit of items given a unit where `given`,
    right where `right` (by default the judged unit's being acceptable)."""
    given = given.astype(bool)
    right = given & (part.right if right is None else right).astype(bool)
    with_unit = part.has_unit.astype(bool)
    given_n, units_n = int(given.sum()), int(with_unit.sum())
    return {"checked": len(part), "given": given_n, "right": int(right.sum()),
            "precision": right.sum() / given_n if given_n else float("nan"),
            "coverage": given_n / len(part) if len(part) else float("nan"),
            "coverage_with_unit": (given & with_unit).sum() / units_n if units_n else float("nan")}


def evidence_scores(judged: pd.DataFrame) -> pd.DataFrame:
    """How often each kind of evidence proposes an acceptable unit, per item type, beside the median confidence of
    its proposals: review.yaml's level where the rules decide, the model's probability where the model of checked
    items does (lead_model.py). Over the items with a proposal. The units the model gives against the rules (basis
    `learned`) are measured per tenth of confidence ('learned 0.8'), so that each band can be compared with what it
    claims."""
    proposed = judged[judged.proposed.astype(bool)]
    band = [f"{min(int(c * 10), 9) / 10:.1f}" for c in proposed.confidence.astype(float)]
    basis = [f"learned {b}" if basis == "learned" else basis for basis, b in zip(proposed.basis, band, strict=True)]
    out = [{"item_type": item_type, "basis": label, "confidence": part.confidence.median(), "proposals": len(part),
            "acceptable": int(part.proposal_right.sum()), "measured": part.proposal_right.mean()}
           for (item_type, label), part in proposed.groupby([proposed.item_type, pd.Series(basis, index=proposed.index,
                                                                                          dtype=object)], sort=True)]
    return pd.DataFrame(out, columns=["item_type", "basis", "confidence", "proposals", "acceptable", "measured"])
