"""Extraction meets the accuracy bar on the hand-checked seeds, and the scoring itself is right."""
from __future__ import annotations

import pandas as pd

from pipeline.extract.accuracy import load_gold, match, predictions, scores
from tests.conftest import GOLD


def test_precision_and_recall_on_the_hand_checked_seeds(seeds):
    labelled = match(predictions(seeds.statements, seeds.achievements), load_gold(GOLD))
    overall = scores(labelled).iloc[0]
    assert overall.tp > 500
    assert overall.precision >= 0.95 and overall.recall >= 0.90, overall.to_dict()


def test_matching_is_one_to_one_and_doubtful_rows_count_neither_way():
    gold = pd.DataFrame({"doc_id": ["d", "d", "d"], "line": ["1", "1", "2"], "class": ["target"] * 3,
                         "value": ["5", "5", "3"], "unit": ["%", "%", "个"], "qualifier": ["", "", "?"],
                         "quote": ["a", "b", "c"]})
    predicted = pd.DataFrame({"doc_id": ["d", "d", "d"], "line": [1, 2, 9], "class": ["target"] * 3,
                              "value": [5.0, 3.0, 1.0], "unit": ["%", "个", "个"], "quote": ["a", "c", "x"]})
    labels = match(predicted, gold).label.tolist()
    assert sorted(labels) == ["doubtful", "fn", "fp", "tp"]
    s = scores(match(predicted, gold)).iloc[0]
    assert (s.tp, s.fp, s.fn, s.precision, s.recall) == (1, 1, 1, 0.5, 0.5)
