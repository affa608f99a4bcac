"""Extraction across a document: what a glossary (名词解释) says is explained, not planned."""
from __future__ import annotations

from pipeline.plan.documents import load_manifest
from pipeline.plan.run import extract_documents
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
