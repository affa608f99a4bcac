"""The contract tables as read back: `records` gives the same rows as pandas' to_dict, faster."""
from __future__ import annotations

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
