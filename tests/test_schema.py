"""Every table `make plan` writes keeps the contract declared in pipeline/schema/tables.yml."""
from __future__ import annotations

import pandas as pd

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
    assert set(tables) == {"documents", "sections", "indicators", "statements", "achievements", "findings", "projects",
                           "tasks", "responsibilities", "decisions"}
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


def test_a_table_that_breaks_its_types_is_not_written_and_a_written_one_reads_back_typed(tmp_path):
    import pandas as pd
    import pytest

    from pipeline.schema import ContractError, columns, read_table, write_table

    row = dict.fromkeys(columns("rejected_lines"), "")
    with pytest.raises(ContractError, match=r"rejected_lines.line: 1 values not of type integer"):
        write_table("rejected_lines", pd.DataFrame([row | {"line": "第三行", "reason": "缺少理由"}]),
                    tmp_path / "bad.csv")
    assert not (tmp_path / "bad.csv").exists()
    path = write_table("ledger", pd.DataFrame([dict.fromkeys(columns("ledger"), "") | {
        "district_code": "230113", "project_id": "prj-1", "investment_yi": "12.5"}]), tmp_path / "ledger.csv")
    ledger = read_table("ledger", path)
    assert ledger.investment_yi.tolist() == [12.5] and ledger.year_done.isna().all()
    assert read_table("rejected_lines", write_table("rejected_lines", pd.DataFrame(
        [row | {"line": 3, "reason": "缺少理由"}]), tmp_path / "ok.csv")).line.tolist() == [3]


def test_the_catalogue_puts_sample_runs_apart_and_knows_no_path_it_does_not_declare(tmp_path):
    import pytest

    from pipeline.catalog import DataCatalog

    real, sample = DataCatalog(outputs=tmp_path), DataCatalog(outputs=tmp_path, sample=True)
    assert real.path("status", period="2025-06") == tmp_path / "monitor" / "2025-06" / "status.csv"
    assert sample.path("status", period="2025-06") == tmp_path / "monitor" / "2025-06_SAMPLE" / "status.csv"
    assert (real.path("store").name, sample.path("store").name) == ("monitor.sqlite", "monitor_SAMPLE.sqlite")
    assert sample.path("indicators") == real.path("indicators")  # the plan tables are the same for both
    with pytest.raises(KeyError, match="no entry"):
        real.path("nowhere")


def test_a_kept_table_written_before_a_column_was_added_still_reads(tmp_path):
    """evaluations.csv keeps every evaluation made; one written before listed_in and chapter were added reads with
    them empty, and a file lacking any other column is still refused."""
    import pytest

    from pipeline.schema import ContractError, columns, read_table
    from pipeline.tables import write_csv

    old = [c for c in columns("evaluations") if c not in ("listed_in", "chapter")]
    row = {c: "" for c in old} | {"district_code": "230108", "doc_id": "230108-rv-2016", "kind": "final",
                                  "indicator_id": "ind-f453b7490d", "period": "2019", "status": "正常"}
    write_csv(pd.DataFrame([row], columns=old), tmp_path / "evaluations.csv")
    read = read_table("evaluations", tmp_path / "evaluations.csv")
    assert list(read.listed_in) == [""] and list(read.chapter) == [""] and list(read.status) == ["正常"]
    write_csv(pd.DataFrame([row], columns=old).drop(columns="status"), tmp_path / "broken.csv")
    with pytest.raises(ContractError, match="status"):
        read_table("evaluations", tmp_path / "broken.csv")
