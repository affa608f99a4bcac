"""The generated province of `make bench`: what it stores does not depend on the order the forms arrive."""
from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from pipeline.bench import synthetic_plan, synthetic_returns
from pipeline.catalog import DataCatalog
from pipeline.cycle import run_monthly
from pipeline.monitor.run import MonthlySettings
from pipeline.render.styles import StyleSheet
from pipeline.store import Store

ROOT = Path(__file__).resolve().parents[1]
VOLATILE = ["id", "received_at", "submission_id"]


def _province(out: Path) -> Path:
    """A small generated province (2 districts × 3 units × 4 indicators, 12 projects) and its June forms."""
    version = StyleSheet.load(ROOT / "templates" / "workbook_style.yaml").form_template_version
    synthetic_plan(out, 2, 3, 4, 12)
    synthetic_returns(out, out / "returns" / "2025-06", "2025-06", version)
    return out


def _run(source: Path, out: Path, reverse: bool) -> dict[str, pd.DataFrame]:
    shutil.copytree(source, out)
    folder = out / "returns" / "2025-06"
    files = sorted(folder.iterdir(), reverse=reverse)
    for second, path in enumerate(files):  # mtimes in either order: arrival does not depend on them
        os.utime(path, (1_700_000_000 + second, 1_700_000_000 + second))
    settings = MonthlySettings("2025-06", DataCatalog(ROOT / "inputs", out, ROOT / "templates"), folder)
    assert run_monthly(settings, datetime(2025, 7, 20)) == 0
    db = Store.sqlite(out / "store" / "monitor.sqlite")
    store = {name: db.table(name).drop(columns=VOLATILE, errors="ignore")
             for name in ("observations", "rejections")}
    store = {name: table.sort_values(["item_id", "cell"]).reset_index(drop=True) for name, table in store.items()}
    # the status table as written, row order included, and every cell of every monitoring workbook
    books = {path.name: [(ws.title, list(ws.iter_rows(values_only=True))) for ws in load_workbook(path).worksheets]
             for path in sorted((out / "workbooks" / "2025-06").glob("*.xlsx"))}
    return {**store, "status": pd.read_csv(out / "monitor" / "2025-06" / "status.csv", dtype=str), "books": books}


def test_store_status_and_workbooks_do_not_depend_on_arrival_order(tmp_path):
    source = _province(tmp_path / "source")
    first, second = _run(source, tmp_path / "a", False), _run(source, tmp_path / "b", True)
    assert len(first["observations"]) == 2 * 3 * 4 + 12  # every indicator and project accepted
    books, other_books = first.pop("books"), second.pop("books")
    assert len(books) == 2 + 1  # a workbook per district and the summary
    assert books == other_books  # every cell of every sheet
    for name in first:
        pd.testing.assert_frame_equal(first[name], second[name], obj=name)


def test_the_city_scale_copies_real_plan_tables_to_every_district(seeds, tmp_path):
    from pipeline.bench import city_plan
    from pipeline.plan.run import write_extraction
    from pipeline.tables import read_csv_text

    write_extraction(seeds, DataCatalog(outputs=tmp_path / "real"))
    districts = pd.read_csv(ROOT / "inputs" / "config" / "districts.csv", dtype=str, keep_default_na=False)
    copied = city_plan(tmp_path / "real" / "tables", tmp_path / "city", districts, 2025)
    real = {n: read_csv_text(tmp_path / "real" / "tables" / f"{n}.csv") for n in ("documents", "indicators")}
    city = {n: read_csv_text(tmp_path / "city" / "tables" / f"{n}.csv") for n in ("documents", "indicators",
                                                                                "responsibilities")}
    assert set(city["documents"].district_code) == set(districts.district_code)
    assert "双城区←双城区" in copied and "道外区←道外区" in copied  # their own plans in force in 2025
    assert city["indicators"].indicator_id.is_unique
    in_force = real["documents"][real["documents"].doc_type == "five_year_plan"].doc_id
    donor = real["indicators"][real["indicators"].doc_id.isin(in_force)]
    mine = city["indicators"][city["indicators"].district_code == "230113"]
    assert len(mine) == (donor.district_code == "230113").sum() > 0
    assert list(mine.quote) == list(donor[donor.district_code == "230113"].quote)  # the real text, as printed
    assert set(city["responsibilities"].item_id) >= set(city["indicators"].indicator_id) - {""}
