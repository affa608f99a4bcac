"""The practice corpus (tests/corpus): metadata inferred as hand-checked, and a bulletin's figures all actuals."""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline.catalog import DataCatalog
from pipeline.config import Config
from pipeline.cycle import corpus_accuracy
from pipeline.plan.documents import load_manifest
from pipeline.plan.run import extract_documents
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "corpus"
EXPECTED = pd.read_csv(CORPUS / "documents.csv", dtype=str, keep_default_na=False)


def test_every_practice_text_gets_its_genre_district_year_and_title():
    scores = corpus_accuracy(DataCatalog(ROOT / "inputs"), CORPUS)
    assert scores.set_index("field").right.to_dict() == dict.fromkeys(
        ["doc_type", "district", "period_start", "title"], len(EXPECTED))


@pytest.mark.parametrize("row", [r for r in EXPECTED.to_dict("records") if r["doc_type"] == "statistical_bulletin"],
                         ids=lambda r: r["source_file"])
def test_a_bulletin_states_actuals_of_its_year_only(row):
    result = extract_documents([CORPUS / row["source_file"]], load_manifest(None),
                               Config.load(ROOT / "inputs" / "config"))
    assert result.indicators.empty and len(result.achievements) >= 10
    assert set(result.achievements.year.astype(str)) == {row["period_start"]}
