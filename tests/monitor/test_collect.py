"""Reading returned forms: formula text from the sheet XML, shared formulas, text that only looks like one; and
each reason a file is refused as a whole (too large, encrypted or .xls, not an Excel file, not our form,
damaged), on a real return."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.forms.layout import META_SHEET, SHEET
from pipeline.monitor.collect import FileRefused, read_return
from tests.monitor.conftest import edit_entry_sheet, numbered_rows


def _sent(cycle):
    """A real return: the SAMPLE return of May 2025 of one unit, filled in the blank form the writer wrote."""
    return cycle["returns"] / "2025-05" / "230113_农业农村局_SAMPLE.xlsx"


def _refused(path, max_mb: float = 20) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        read_return(path, max_mb)
    assert str(caught.value) == f"{path.name}：{caught.value.reason}"  # the message names the file
    return caught.value


def test_a_file_over_the_size_limit_is_refused_unread(cycle, tmp_path):
    path = tmp_path / "大.xlsx"
    path.write_bytes(_sent(cycle).read_bytes())
    size_mb = path.stat().st_size / 1024 / 1024
    limit = size_mb * 0.9
    assert _refused(path, limit).reason == (f"文件过大（{size_mb:.0f} MB，上限 {limit:g} MB），未读取；"
                                            "请只提交下发的填报表")
    assert read_return(path, size_mb * 1.1).rows  # under the limit it is read


def test_a_password_protected_or_old_xls_file_is_refused(tmp_path):
    path = tmp_path / "加密.xlsx"  # an encrypted workbook is an OLE file, as is an old .xls
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    assert _refused(path).reason == "文件设有打开密码或为旧版 .xls 格式，无法读取；请取消密码并另存为 .xlsx 后重新报送"


@pytest.mark.parametrize("name, kind", [("统计局.csv", "CSV 文本"), ("统计局.xls", "旧版 Excel"),
                                        ("统计局.pdf", "非 Excel")])
def test_a_file_that_is_no_excel_workbook_is_refused_saying_what_it_is(tmp_path, name, kind):
    path = tmp_path / name
    path.write_text("指标,数值\n地区生产总值,239.8\n", encoding="utf-8")
    assert _refused(path).reason == f"不是填报表（{kind}文件）；请用下发的 .xlsx 填报表填写后报送"


@pytest.mark.parametrize("sheet", [SHEET, META_SHEET])
def test_a_workbook_without_the_forms_sheets_is_refused(cycle, tmp_path, sheet):
    wb = load_workbook(_sent(cycle))
    wb[sheet].title = "Sheet1"  # the entry sheet, or the hidden _meta, renamed (or copied into a workbook of one's own)
    path = tmp_path / "自制表.xlsx"
    wb.save(path)
    assert _refused(path).reason == f"不是本系统下发的填报表（缺少“{SHEET}”或“{META_SHEET}”工作表）"


def test_a_damaged_workbook_is_refused(cycle, tmp_path):
    path = tmp_path / "损坏.xlsx"
    path.write_bytes(_sent(cycle).read_bytes()[:2000])  # cut off in transit
    assert re.fullmatch(r"文件已损坏，无法打开（\w+）；请重新保存后报送", _refused(path).reason)


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
    sheet = load_workbook(path)[SHEET]
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
