"""Reading returned forms: formula text from the sheet XML, shared formulas, text that only looks like one."""
from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.monitor.collect import FileRefused, read_return
from tests.monitor.conftest import edit_entry_sheet, numbered_rows


def test_a_shared_formula_is_translated_to_each_cell_it_covers_as_openpyxl_does(cycle, tmp_path):
    source = cycle["returns"] / "2025-05" / "230113_农业农村局_SAMPLE.xlsx"
    first, second = numbered_rows(read_return(source, 20))[:2]
    a, b = first.cells["to_date"], second.cells["to_date"]
    path = tmp_path / "共享公式.xlsx"
    edit_entry_sheet(source, path, [
        (rf'(<c r="{a.address}"[^>]*>)<v>'.encode(), rf'\1<f t="shared" ref="{a.address}:{b.address}" si="0">'
                                                      rf'D{first.row}*1</f><v>'.encode()),
        (rf'(<c r="{b.address}"[^>]*>)<v>'.encode(), rb'\1<f t="shared" si="0"/><v>')])
    rows = {r.key: r for r in read_return(path, 20).rows}
    got_a, got_b = rows[first.key].cells["to_date"], rows[second.key].cells["to_date"]
    assert (got_a.formula, got_b.formula) == (f"=D{first.row}*1", f"=D{second.row}*1")
    assert (got_a.raw, got_b.raw) == (a.raw, b.raw)  # the values Excel computed are kept beside the formulas
    sheet = load_workbook(path)["月度填报"]
    assert (sheet[a.address].value, sheet[b.address].value) == (got_a.formula, got_b.formula)


def test_text_that_begins_with_an_equals_sign_is_text_not_a_formula(cycle, tmp_path):
    source = cycle["returns"] / "2025-05" / "230113_农业农村局_SAMPLE.xlsx"
    first, second = numbered_rows(read_return(source, 20))[:2]
    address, other = first.cells["to_date"].address, second.cells["to_date"].address
    path = tmp_path / "文本.xlsx"
    edit_entry_sheet(source, path, [(rf'<c r="{address}"([^>]*?) t="n"><v>[^<]*</v></c>'.encode(),
                                      rf'<c r="{address}"\1 t="inlineStr"><is><t>=A1+0</t></is></c>'.encode()),
                                     (rf'(<c r="{other}"[^>]*>)<v>'.encode(), rb"\1<f>A1+0</f><v>")])
    rows = {r.key: r for r in read_return(path, 20).rows}
    assert (rows[first.key].cells["to_date"].raw, rows[first.key].cells["to_date"].formula) == ("=A1+0", "")
    assert rows[second.key].cells["to_date"].formula == "=A1+0"  # a real formula in the same sheet


def test_an_error_value_is_kept_as_typed_and_rejected_not_read_as_empty(cycle, tmp_path):
    from pipeline.monitor.validate import ValidationRules, validate_return
    from pipeline.units import Units
    from tests.conftest import CONFIG

    source = cycle["returns"] / "2025-05" / "230113_农业农村局_SAMPLE.xlsx"
    first, second = numbered_rows(read_return(source, 20))[:2]
    a, b = first.cells["to_date"], second.cells["to_date"]
    path = tmp_path / "错误值.xlsx"
    edit_entry_sheet(source, path, [  # a pasted #N/A, and a formula whose cached result is #DIV/0!
        (rf'<c r="{a.address}"([^>]*?) t="n"><v>[^<]*</v></c>'.encode(),
         rf'<c r="{a.address}"\1 t="e"><v>#N/A</v></c>'.encode()),
        (rf'<c r="{b.address}"([^>]*?) t="n"><v>[^<]*</v></c>'.encode(),
         rf'<c r="{b.address}"\1 t="e"><f>1/0</f><v>#DIV/0!</v></c>'.encode())])
    ret = read_return(path, 20)
    rows = {r.key: r for r in ret.rows}
    assert rows[first.key].cells["to_date"].raw == "#N/A"
    assert (rows[second.key].cells["to_date"].raw, rows[second.key].cells["to_date"].formula) == ("#DIV/0!", "=1/0")
    items = pd.read_csv(cycle["outputs"] / "monitor" / "2025-05_SAMPLE" / "status.csv", dtype={"district_code": str})
    items = items[(items.district_code == "230113") & (items.lead_unit == "农业农村局")]
    _, rejected = validate_return(ret, items, items.iloc[0:0].assign(period="", cumulative_to_date=0.0),
                                  ValidationRules.load(CONFIG / "status.yaml"), "2025-07-20T09:00:00",
                                  units=Units.load(CONFIG / "units.yaml"))
    reasons = dict(zip(rejected.cell, rejected.reason, strict=True))
    unit = items.set_index("item_id").at[first.key, "unit"]
    assert reasons[a.address] == f"{a.address}：“#N/A”不是数字，请填写数值（单位：{unit}）"
    assert reasons[b.address].startswith(f"{b.address}：“#DIV/0!”不是数字")


def test_a_formula_cell_without_an_address_refuses_the_file_as_damaged(cycle, tmp_path):
    source = cycle["returns"] / "2025-05" / "230113_农业农村局_SAMPLE.xlsx"
    address = numbered_rows(read_return(source, 20))[0].cells["to_date"].address
    path = tmp_path / "无地址.xlsx"
    edit_entry_sheet(source, path, [(rf'<c r="{address}"([^>]*)><v>'.encode(), rb"<c\1><f>A1+0</f><v>")])
    with pytest.raises(FileRefused, match="^无地址.xlsx：文件已损坏，无法打开"):
        read_return(path, 20)
