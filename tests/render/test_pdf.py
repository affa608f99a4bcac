"""A plan workbook and a monthly form printed to PDF by LibreOffice, where it is installed (Debian packages
libreoffice-calc-nogui and fonts-noto-cjk; poppler-utils for the text check)."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from pipeline.render.entry_forms import build_entry_forms
from pipeline.render.plan_workbook import render_plan_workbook
from pipeline.units import Units
from tests.render import GENERATED_AT, ROOT, indicators, projects, responsibilities, styles, tables

TIMEOUT = 120


@pytest.fixture(scope="module")
def office() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip("未安装 LibreOffice：跳过 PDF 检查")
    return found


@pytest.fixture(scope="module")
def pdfs(office, tmp_path_factory):
    """Both files converted in one LibreOffice run, with a throw-away profile and the CJK font aliases."""
    work = tmp_path_factory.mktemp("pdf")
    plan = render_plan_workbook(work, "230113", "双城区", styles=styles(), generated_at=GENERATED_AT, **tables())
    form = build_entry_forms(work / "forms", "2025-06", "230113", "双城区", indicators(), projects(),
                             responsibilities(), styles(), "PCP-FORM-2026.1",
                             Units.load(ROOT / "inputs" / "config" / "units.yaml"))[0]
    home = work / "home"
    (home / ".config" / "fontconfig").mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "fontconfig-cjk.conf", home / ".config" / "fontconfig" / "fonts.conf")
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    subprocess.run([office, "--headless", f"-env:UserInstallation={(home / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(work / "out"), str(plan), str(form)],
                   env=env, timeout=TIMEOUT, check=True, capture_output=True)
    return [work / "out" / f"{path.stem}.pdf" for path in (plan, form)]


def test_pdfs_exist_and_are_not_empty(pdfs):
    for pdf in pdfs:
        assert pdf.exists() and pdf.stat().st_size > 1000, pdf
        assert pdf.read_bytes().startswith(b"%PDF")


def test_pdf_text_is_chinese_and_paged(pdfs):
    if not shutil.which("pdftotext"):
        pytest.skip("未安装 poppler-utils：跳过 PDF 文字检查")
    plan, form = (subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                 timeout=TIMEOUT, check=True).stdout for pdf in pdfs)
    assert "双城区“十四五”规划主要指标分解表" in plan and "重点项目分解表" in plan
    assert "第 1 页，共 5 页" in plan  # one page per sheet, numbered in the footer
    assert "规划实施情况月度填报表" in form and "第 1 页，共 1 页" in form
