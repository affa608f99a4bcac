"""The contract tables as read back: `records` gives the same rows as pandas' to_dict, faster."""
from __future__ import annotations

import csv

import pandas as pd

from pipeline.catalog import DataCatalog
from pipeline.plan.run import write_extraction
from pipeline.tables import read_csv_text, records


def test_records_equal_pandas_rows_on_the_seed_tables(seeds, tmp_path):
    write_extraction(seeds, DataCatalog(outputs=tmp_path))
    for name in ("documents", "indicators", "projects", "responsibilities"):
        frame = read_csv_text(tmp_path / "tables" / f"{name}.csv")
        assert len(frame) > 0
        assert records(frame) == frame.to_dict("records"), name
        assert records(frame.iloc[0:0]) == []


def test_text_a_spreadsheet_would_run_is_escaped_in_csv_and_read_back_unchanged(tmp_path):
    """OWASP CSV injection: =, +, -, @, tab and CR at the start of text; a plain signed figure stays a figure."""
    from pipeline.tables import write_csv

    texts = ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\t=1", "'=已转义", "-0.8%", "+5", "粮食", ""]
    path = write_csv(pd.DataFrame({"text": texts, "value": [1.5] * len(texts)}), tmp_path / "t.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        raw = [row[0] for row in csv.reader(f)][1:]
    assert raw[:6] == ["'" + t for t in texts[:6]] and raw[6:] == texts[6:]
    assert read_csv_text(path).text.tolist() == texts
