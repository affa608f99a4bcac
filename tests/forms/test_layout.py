"""The entry form's layout (pipeline/forms/layout.py) as the writer writes it and the reader reads it back: real
forms from the seed tables, filled with openpyxl at the layout's cells, come back at the right item keys."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from openpyxl import load_workbook

from pipeline.catalog import DataCatalog
from pipeline.forms.layout import (
    COLUMNS,
    FIRST_ROW,
    HEADER_ROW,
    KEY_COL,
    META_FIELDS,
    META_SHEET,
    SHEET,
    VALUE_FIELDS,
    column_letter,
    column_of,
    meta_cell,
)
from pipeline.monitor.collect import read_return
from pipeline.periods import in_force
from pipeline.render.entry_forms import FormRow, build_entry_forms, form_file_name, form_rows
from pipeline.render.plan_workbook import of_district
from pipeline.render.styles import StyleSheet
from pipeline.units import Units
from tests.conftest import CONFIG, ROOT

PERIOD = "2025-06"
STYLES = StyleSheet.load(ROOT / "templates" / "workbook_style.yaml")


class Form(NamedTuple):
    """A blank form as the writer wrote it: its file, whose it is, and the items it lists, in order."""

    path: Path
    district_code: str
    unit: str
    rows: list[FormRow]


@pytest.fixture(scope="module")
def forms(plan_outputs, tmp_path_factory) -> list[Form]:
    """The blank forms of June 2025 for every district with a plan in force, written from the seed tables."""
    catalog = DataCatalog(outputs=plan_outputs)
    tables = {n: catalog.load(n) for n in ("documents", "indicators", "projects", "responsibilities")}
    units = Units.load(CONFIG / "units.yaml")
    docs = tables["documents"]
    docs = docs[docs.doc_id.isin(in_force(docs, int(PERIOD[:4])))]
    out = tmp_path_factory.mktemp("forms")
    written = []
    for code, district in sorted(set(zip(docs.district_code, docs.district, strict=True))):
        ind, prj = (tables[t][tables[t].doc_id.isin(docs.doc_id)] for t in ("indicators", "projects"))
        paths = build_entry_forms(out, PERIOD, code, district, ind, prj, tables["responsibilities"], STYLES,
                                  STYLES.form_template_version, units)
        listed = form_rows(of_district(ind, code), of_district(prj, code),
                           of_district(tables["responsibilities"], code), units)
        assert sorted(paths) == sorted(out / PERIOD / form_file_name(code, unit) for unit in listed)
        written += [Form(out / PERIOD / form_file_name(code, unit), code, unit, rows) for unit, rows in listed.items()]
    assert len(written) > 10 and any(r.item_type == "project" for f in written for r in f.rows)
    return written


def _typed(number: int) -> dict[str, object]:
    """What a unit types into the value cells of its `number`-th row: a different value in every cell."""
    return {"month": number + 0.25, "to_date": 1000.0 + number, "progress": f"进度{number}",
            "attainment": f"达标{number}", "issues": f"问题{number}", "remark": f"备注{number}"}


def test_every_value_typed_at_the_layouts_cells_comes_back_at_its_item(forms, tmp_path):
    for form in forms:
        wb = load_workbook(form.path)
        ws = wb[SHEET]
        for number, _ in enumerate(form.rows):
            for field, value in _typed(number).items():
                ws.cell(FIRST_ROW + number + 1, column_of(field) + 1).value = value
        path = tmp_path / form.path.name
        wb.save(path)
        ret = read_return(path, 20)
        assert [(r.key, r.name) for r in ret.rows] == [(item.key, item.name) for item in form.rows], form.path.name
        for number, row in enumerate(ret.rows):
            sheet_row = FIRST_ROW + number + 1
            assert row.row == sheet_row
            assert {field: (cell.address, cell.raw) for field, cell in row.cells.items()} == {
                field: (f"{column_letter(column_of(field))}{sheet_row}", value)
                for field, value in _typed(number).items()}, (form.path.name, row.key)


def test_the_header_the_keys_and_the_editable_cells_are_where_the_reader_looks(forms):
    for form in forms:
        ws = load_workbook(form.path)[SHEET]
        assert [c.value for c in ws[HEADER_ROW + 1]] == [column.header for column in COLUMNS]
        assert ws.column_dimensions[column_letter(KEY_COL)].hidden
        values = {column_of(field) for field in VALUE_FIELDS}
        figures = {column_of("month"), column_of("to_date")}
        checks = [(dv.type, dv.formula1 or "", dv.sqref) for dv in ws.data_validations.dataValidation]
        for number, item in enumerate(form.rows):
            sheet_row = FIRST_ROW + number + 1
            assert ws.cell(sheet_row, KEY_COL + 1).value == item.key
            editable = {col for col in range(len(COLUMNS)) if not ws.cell(sheet_row, col + 1).protection.locked}
            asked = figures if item.adds_up else {column_of("to_date")}  # a level: one figure to date, 本月 locked
            assert asked | {column_of("issues"), column_of("remark")} <= editable <= values, (form.path.name, item)
            assert not (figures - asked) & editable
            choice = column_of("progress" if item.item_type == "project" else "attainment")
            assert choice in editable
            for col in asked:  # whole numbers or decimals, as the row's unit asks
                cell = f"{column_letter(col)}{sheet_row}"
                assert any(kind == "custom" and "ISNUMBER(" in formula and cell in where
                           for kind, formula, where in checks), cell  # a number (or 清除), as the row's unit asks
            assert any(kind == "list" and f"{column_letter(choice)}{sheet_row}" in where for kind, _, where in checks)
        assert ws.max_row == FIRST_ROW + len(form.rows)  # nothing below the items


def test_the_meta_sheet_read_back_says_whose_form_it_is(forms):
    for form in forms:
        ret = read_return(form.path, 20)
        assert (ret.template_version, ret.period, ret.district_code, ret.unit) == (
            STYLES.form_template_version, PERIOD, form.district_code, form.unit)
        wb = load_workbook(form.path)
        assert wb[META_SHEET].sheet_state == "hidden" and wb.sheetnames == [SHEET, META_SHEET]
        said = {field.name: getattr(ret, "unit" if field.name == "lead_unit" else field.name) for field in META_FIELDS}
        assert {p.name: p.value for p in wb.custom_doc_props.props} == said
        # where the SAMPLE generator and the tests change a field: the value's cell, its label beside it
        assert {field.name: (wb[META_SHEET][meta_cell(field.name)].offset(column=-1).value,
                             wb[META_SHEET][meta_cell(field.name)].value) for field in META_FIELDS} == {
            field.name: (field.label, said[field.name]) for field in META_FIELDS}
