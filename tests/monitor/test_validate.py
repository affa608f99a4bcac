"""Validation of a returned form's cells: a percentage typed with Excel's % format is caught, not taken."""
from __future__ import annotations

import pandas as pd

from pipeline.monitor.collect import read_return
from pipeline.monitor.validate import ValidationRules, validate_return
from tests.conftest import CONFIG
from tests.monitor.conftest import edit_entry_sheet


def test_a_percentage_typed_with_excels_percent_format_is_rejected_with_what_to_type(cycle, tmp_path):
    status = pd.read_csv(cycle["outputs"] / "monitor" / "2025-05_SAMPLE" / "status.csv", dtype={"district_code": str})
    rate = status[(status.district_code == "230113") & (status.unit == "%") & status.annual_target.notna()
                  & status.cumulative_to_date.notna()].iloc[0]
    source = cycle["returns"] / "2025-05" / f"230113_{rate.lead_unit}_SAMPLE.xlsx"
    typed = read_return(source, 20)
    cell = next(r for r in typed.rows if r.key == rate.item_id).cells["to_date"]
    path = tmp_path / "百分比.xlsx"  # the clerk typed "12.5%" in a plain cell: Excel stores 0.125
    edit_entry_sheet(source, path, [(rf'(<c r="{cell.address}"[^>]*><v>)[^<]*'.encode(),
                                     rf"\g<1>{cell.raw / 100!r}".encode())])
    items = status[(status.district_code == "230113") & (status.lead_unit == rate.lead_unit)]
    no_history = pd.DataFrame(columns=["item_id", "period", "cumulative_to_date"])
    accepted, rejected = validate_return(read_return(path, 20), items, no_history,
                                         ValidationRules.load(CONFIG / "status.yaml"), "2025-07-20T09:00:00")
    assert rate.item_id not in set(accepted.item_id)
    refused = rejected.set_index("cell").loc[cell.address]
    assert refused.rule == "percent_scale" and f"请直接填写数值 {cell.raw:g}" in refused.reason
    assert len(rejected) == 1  # the other rows of the form are taken as before
