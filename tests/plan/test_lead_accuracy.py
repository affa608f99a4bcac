"""Scoring lead units against the seeds' hand-checked sample (pipeline/plan/lead_accuracy.py)."""
from __future__ import annotations

from pipeline.plan.lead_accuracy import judged_leads, lead_scores, threshold_scores
from pipeline.tables import read_csv_text
from tests.conftest import GOLD


def test_the_threshold_in_force_scores_what_was_given_and_readers_pending_items_count_apart(seeds, config):
    """On tests/gold/lead_units.csv: at assign_at the threshold table gives exactly the units the run gave; an item
    readers gave no unit (待确认) counts in coverage but not in coverage_with_unit, and a unit given to one is
    wrong."""
    gold = read_csv_text(GOLD / "lead_units.csv")
    judged = judged_leads(seeds.responsibilities, gold)
    assign_at = config.responsibility.confidence.assign_at
    overall = lead_scores(judged).set_index("item_type").loc["全部"]
    at = threshold_scores(judged, [assign_at]).iloc[0]
    assert (at.given, at.right) == (overall.given, overall.right) and overall.given >= 100
    pending = (gold.acceptable_units == "待确认").sum()
    assert pending >= 20 and (~judged.has_unit).sum() == pending
    assert not judged.right[~judged.has_unit].any()
    given_with_unit = (judged.given & judged.has_unit).sum()
    assert overall.coverage_with_unit == given_with_unit / (len(judged) - pending) > overall.coverage
