"""Validation of a returned form's cells: a percentage typed with Excel's % format is caught, not taken; a count
(个, 户 …) takes whole numbers only, an amount in 万人 takes decimals."""
from __future__ import annotations

import pandas as pd

from pipeline.monitor.collect import read_return
from pipeline.monitor.validate import ValidationRules, validate_return
from pipeline.units import Units
from tests.conftest import CONFIG
from tests.monitor.conftest import edit_entry_sheet

NO_HISTORY = pd.DataFrame(columns=["item_id", "period", "cumulative_to_date"])


def _validate(path, items):
    return validate_return(read_return(path, 20), items, NO_HISTORY, ValidationRules.load(CONFIG / "status.yaml"),
                           "2025-07-20T09:00:00", units=Units.load(CONFIG / "units.yaml"))


def _status(cycle, period: str = "2025-05") -> pd.DataFrame:
    return pd.read_csv(cycle["outputs"] / "monitor" / f"{period}_SAMPLE" / "status.csv", dtype={"district_code": str})


def test_a_percentage_typed_with_excels_percent_format_is_rejected_with_what_to_type(cycle, tmp_path):
    status = _status(cycle)
    rate = status[(status.district_code == "230113") & (status.unit == "%") & status.annual_target.notna()
                  & status.cumulative_to_date.notna()].iloc[0]
    source = cycle["returns"] / "2025-05" / f"230113_{rate.lead_unit}_SAMPLE.xlsx"
    typed = read_return(source, 20)
    cell = next(r for r in typed.rows if r.key == rate.item_id).cells["to_date"]
    path = tmp_path / "百分比.xlsx"  # the clerk typed "12.5%" in a plain cell: Excel stores 0.125
    edit_entry_sheet(source, path, [(rf'(<c r="{cell.address}"[^>]*><v>)[^<]*'.encode(),
                                     rf"\g<1>{cell.raw / 100!r}".encode())])
    items = status[(status.district_code == "230113") & (status.lead_unit == rate.lead_unit)]
    accepted, rejected = _validate(path, items)
    assert rate.item_id not in set(accepted.item_id)
    refused = rejected.set_index("cell").loc[cell.address]
    assert refused.rule == "percent_scale" and f"请直接填写数值 {cell.raw:g}" in refused.reason
    assert len(rejected) == 1  # the other rows of the form are taken as before


def test_a_fraction_in_a_count_row_is_rejected_naming_file_sheet_cell_and_unit(cycle, tmp_path):
    status = _status(cycle)
    count = status[(status.district_code == "230113") & (status.unit == "个") & status.annual_target.notna()
                   & status.cumulative_to_date.notna() & ~status.name.str.contains("每")].iloc[0]
    source = cycle["returns"] / "2025-05" / f"230113_{count.lead_unit}_SAMPLE.xlsx"
    cell = next(r for r in read_return(source, 20).rows if r.key == count.item_id).cells["to_date"]
    assert float(cell.raw).is_integer()  # the SAMPLE return counts in whole numbers, as the form asks
    path = tmp_path / "2.5个.xlsx"
    edit_entry_sheet(source, path, [(rf'(<c r="{cell.address}"[^>]*><v>)[^<]*'.encode(), rb"\g<1>2.5")])
    items = status[(status.district_code == "230113") & (status.lead_unit == count.lead_unit)]
    accepted, rejected = _validate(path, items)
    assert count.item_id not in set(accepted.item_id)
    refused = rejected.set_index("cell").loc[cell.address]
    assert (refused.source_file, refused.sheet, refused.rule) == ("2.5个.xlsx", "月度填报", "not_whole_number")
    assert refused.reason == f"{cell.address}：“2.5”不是整数，本行按“个”计数，请填写整数（单位：个）"
    assert len(rejected) == 1


def test_a_fraction_in_a_ten_thousand_people_row_is_an_amount_and_accepted(cycle):
    status = _status(cycle, "2025-06")
    jobs = status[(status.unit == "万人") & status.cumulative_to_date.notna()]
    assert len(jobs) and not all(float(v).is_integer() for v in jobs.cumulative_to_date)
    rejections = pd.read_csv(cycle["outputs"] / "monitor" / "2025-06_SAMPLE" / "rejections.csv", dtype=str)
    assert "not_whole_number" not in set(rejections.rule)  # the SAMPLE returns count in whole numbers
