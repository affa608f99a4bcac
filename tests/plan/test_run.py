"""Extraction across a document: what a glossary (名词解释) says is explained, not planned."""
from __future__ import annotations

import dataclasses

import pandas as pd

from pipeline.plan.documents import load_manifest
from pipeline.plan.run import extract_documents
from pipeline.tables import read_csv_text
from tests.conftest import PLANS


def test_projects_named_inside_a_glossary_item_are_not_extracted(config, tmp_path):
    seed = (PLANS / "002_5ab75828c8187271.txt").read_text(encoding="utf-8").splitlines()
    work = seed[56]  # line 57: 哈南十七路、学城大道韩四家子路段等9条市政道路和节点项目投用 …
    # 002's own glossary (lines 121-123), with line 57's sentence as a second item: a glossary that names projects
    text = [seed[0], work, seed[120], seed[122], "2.街区路网:" + work]
    path = tmp_path / "002_glossary.txt"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    result = extract_documents([path], load_manifest(None), config)
    assert len(result.projects) and set(result.projects.line) == {2}  # the body's line, none from the glossary


def test_documents_read_in_a_pool_give_the_same_tables_as_read_one_by_one(config, seeds):
    # the seeds are five documents: above text.yaml's parallel_from (4), so the fixture read them in a pool
    one_by_one = extract_documents(sorted(PLANS.glob("*.txt")), load_manifest(PLANS / "documents.csv"),
                                   dataclasses.replace(config, text_rules=dataclasses.replace(
                                       config.text_rules, parallel_from=100)))
    for table in ("documents", "indicators", "statements", "achievements", "projects", "tasks", "responsibilities"):
        pd.testing.assert_frame_equal(getattr(one_by_one, table), getattr(seeds, table), check_dtype=False)


def test_a_file_that_cannot_be_read_is_skipped_in_a_pool_too(config, tmp_path, caplog):
    for seed in sorted(PLANS.glob("*.txt")):
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")  # five readable documents and one empty file: read in a pool
    result = extract_documents(sorted(tmp_path.glob("*.txt")), load_manifest(PLANS / "documents.csv"), config)
    assert [e.path.name for e in result.errors] == ["empty.txt"] and len(result.documents) == 5


def test_an_unlisted_copy_whose_id_is_taken_is_extracted_under_its_own(config, tmp_path):
    # 003 twice under two names, with 001 after them, none listed: four documents, so read in a pool
    seed = (PLANS / "003_71c5c5792e6ffa1b.txt").read_bytes()
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(seed)
    (tmp_path / "c.txt").write_bytes((PLANS / "001_b39c97ba8610aaf9.txt").read_bytes())
    (tmp_path / "d.txt").write_bytes(seed + b"\n")  # the same text, other bytes: other hash
    result = extract_documents(sorted(tmp_path.glob("*.txt")), load_manifest(None), config)
    ids = result.documents.set_index("source_file").doc_id
    assert ids["a.txt"].startswith("230108-") and ids["c.txt"].startswith("230102-")  # the first keeps its id
    assert ids["b.txt"].startswith(ids["a.txt"] + "-") and ids["d.txt"].startswith(ids["a.txt"] + "-")
    assert ids["d.txt"] != ids["b.txt"]  # other bytes, other hash
    for table, key in (("sections", "section_id"), ("projects", "project_id"), ("tasks", "task_id")):
        frame = getattr(result, table)
        first, last = (frame[frame.doc_id == ids[name]] for name in ("a.txt", "d.txt"))
        assert len(first) == len(last) > 0 and not set(first[key]) & set(last[key])
    assert set(result.responsibilities.item_id) >= set(result.tasks.task_id)


def test_the_tables_of_every_practice_text_keep_the_table_contract(corpus, tmp_path):
    """The 33 practice texts of other places, read as unlisted documents: every plan table they give is written
    (ids distinct, every value accepted: a unit's own work plan assigns by 'author'), so a real text never stops
    the plan."""
    from pipeline.catalog import DataCatalog
    from pipeline.plan.run import write_extraction

    written = write_extraction(corpus, DataCatalog(outputs=tmp_path))
    duties = read_csv_text(written["responsibilities"])  # written through the contract: it refuses a clash of ids
    assert len(duties) and "author" in set(duties.basis)
