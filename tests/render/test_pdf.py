"""A plan workbook and a monthly form printed to PDF by LibreOffice, where it is installed (Debian packages
libreoffice-calc-nogui and fonts-noto-cjk; poppler-utils for the text check)."""
from __future__ import annotations

import pytest

from pipeline.render.entry_forms import build_entry_forms
from pipeline.render.plan_workbook import render_plan_workbook
from pipeline.units import Units
from tests.conftest import CONFIG
from tests.render import GENERATED_AT, indicators, projects, responsibilities, styles, tables
from tests.render.printed import pdf_text, require_office, to_pdf


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """Both files converted in one LibreOffice run, with a throw-away profile and the CJK font aliases."""
    require_office()
    work = tmp_path_factory.mktemp("pdf")
    plan = render_plan_workbook(work, "230113", "双城区", styles=styles(), generated_at=GENERATED_AT, **tables())
    form = build_entry_forms(work / "forms", "2025-06", "230113", "双城区", indicators(), projects(),
                             responsibilities(), styles(), "PCP-FORM-2026.1",
                             units=Units.load(CONFIG / "units.yaml"))[0]
    return to_pdf([plan, form], work)


def test_pdfs_exist_and_are_not_empty(pdfs):
    for pdf in pdfs:
        assert pdf.exists() and pdf.stat().st_size > 1000, pdf
        assert pdf.read_bytes().startswith(b"%PDF")


def test_pdf_text_is_chinese_and_paged(pdfs):
    plan, form = (pdf_text(pdf) for pdf in pdfs)
    assert "双城区“十四五”规划主要指标分解表" in plan and "重点项目分解表" in plan
    assert "第 1 页，共 5 页" in plan  # one page per sheet, numbered in the footer
    assert "规划实施情况月度填报表" in form and "第 1 页，共 1 页" in form
