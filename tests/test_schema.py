"""Every table `make plan` writes keeps the contract declared in pipeline/schema/tables.yml."""
from __future__ import annotations

from pipeline.catalog import DataCatalog
from pipeline.plan.run import plan_files, run_extract
from pipeline.schema import check_table, load_contract
from pipeline.tables import read_csv_text
from tests.conftest import ROOT


def test_plan_tables_keep_the_contract(tmp_path):
    catalog = DataCatalog(ROOT / "inputs", tmp_path)
    assert run_extract(plan_files(catalog.path("plans")), catalog, catalog.path("manifest")) == 0
    contract = load_contract()
    tables = {p.stem: read_csv_text(p) for p in sorted((tmp_path / "tables").glob("*.csv"))}
    assert set(tables) == {"documents", "sections", "indicators", "achievements", "findings", "projects", "tasks",
                           "responsibilities"}
    assert (tmp_path / "tables" / "documents.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    problems = [p for name, frame in tables.items() for p in check_table(name, frame, tables, contract)]
    assert problems == []
    assert len(tables["documents"]) == 5 and len(tables["sections"]) > 400


def test_the_contract_check_finds_broken_rows():
    contract = load_contract()
    import pandas as pd
    docs = pd.DataFrame({c: ["x", "x"] for c in contract["documents"]["columns"]})
    sections = pd.DataFrame({c: ["1"] for c in contract["sections"]["columns"]}).assign(kind="paragraph", doc_id="y")
    problems = check_table("documents", docs, {}, contract) + check_table(
        "sections", sections, {"documents": docs, "sections": sections}, contract)
    assert any("documents.doc_id: duplicated" in p for p in problems)
    assert any("documents.doc_type: values not accepted ['x']" in p for p in problems)
    assert any("sections.kind: values not accepted ['paragraph']" in p for p in problems)
    assert any("sections.doc_id: 1 values not in documents.doc_id" in p for p in problems)
