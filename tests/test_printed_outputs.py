"""Everything `make` wrote, printed as an official prints it: LibreOffice → PDF → text (pdftotext).

Runs on the outputs of the bundled cycle (`make`, which CI runs before `make test`); skips with the reason when
`make` has not run or LibreOffice/poppler are missing (`make system-deps` installs them).
"""
from __future__ import annotations

import re
import shutil
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

from tests.render.printed import pdf_text, require_office, to_pdf

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ROOT / "outputs"
PRINTED = ("workbooks", "reports", "forms")  # what an official opens; samples/ and store/ are copies of forms
PROCESSES = 2
# Words a printed table must never show: empty values leaking through as Python/pandas text, a nameless row.
LEAKED = re.compile(r"(?<![A-Za-z])(nan|NaN|None)(?![A-Za-z])")
CJK = "\u4e00-\u9fff"
NUMBER = re.compile(r"(?<![\d.,])[-−+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?(?![\d.,]?\d)")


def _printable_files() -> list[Path]:
    return sorted(path for folder in PRINTED for path in (OUTPUTS / folder).rglob("*")
                  if path.suffix in (".xlsx", ".docx") and not path.name.startswith("~$"))


@pytest.fixture(scope="module")
def sources() -> list[Path]:
    files = _printable_files()
    if not files:
        pytest.skip("outputs/ 中没有工作簿或报告：先运行 make（README 的第一条命令）")
    return files


@pytest.fixture(scope="module")
def printed(sources, tmp_path_factory) -> dict[Path, Path]:
    """Every workbook and report converted to PDF by LibreOffice (two processes, each with its own profile)."""
    require_office(writer=True)
    work = tmp_path_factory.mktemp("printed")
    copies = {}
    for index, source in enumerate(sources):  # file names repeat across folders: convert each under its own name
        copies[source] = work / "in" / f"{index:04d}{source.suffix}"
        copies[source].parent.mkdir(exist_ok=True)
        shutil.copy(source, copies[source])
    batches = [list(copies.values())[n::PROCESSES] for n in range(PROCESSES)]
    with ThreadPoolExecutor(PROCESSES) as pool:
        done = list(pool.map(lambda n: to_pdf(batches[n], work / f"run{n}"), range(PROCESSES)))
    pdfs = dict(zip([copy for batch in batches for copy in batch], [pdf for run in done for pdf in run], strict=True))
    names = {source: pdfs[copy] for source, copy in copies.items()}
    missing = [str(source) for source, pdf in names.items() if not pdf.exists()]
    assert not missing, f"LibreOffice 未能转换：{missing}"
    return names


@pytest.fixture(scope="module")
def texts(printed) -> dict[Path, str]:
    return {source: pdf_text(pdf) for source, pdf in printed.items()}


def test_every_output_prints(printed, sources):
    assert len(printed) == len(sources)
    for source, pdf in printed.items():
        assert pdf.read_bytes().startswith(b"%PDF"), source


def test_no_empty_value_or_nameless_row_is_printed(texts):
    problems = []
    for source, text in texts.items():
        for number, line in enumerate(text.splitlines(), start=1):
            if LEAKED.search(line) or line.strip().startswith("（%）") or "0项，0项" in line or "###" in line:
                problems.append(f"{source.relative_to(OUTPUTS)} 第{number}行：{line.strip()[:80]}")
    assert not problems, "\n".join(problems[:40])


def test_no_number_is_split_across_lines(sources, texts):
    """A number broken over two printed lines ('5,920.8' / '1') is a figure nobody can read: every cell that holds
    a figure as text prints it whole (as often as the file holds it), and no numeric cell wraps (a too-narrow one
    prints ###, caught above)."""
    problems = []
    for source in sources:
        printed = Counter(match.group() for match in NUMBER.finditer(texts[source]))
        written = Counter(text.strip() for _, text in _written_texts(source) if NUMBER.fullmatch(text.strip()))
        problems += [f"{source.relative_to(OUTPUTS)}：“{number}”写了 {count} 次，整行打印 {printed[number]} 次"
                     for number, count in written.items() if printed[number] < count]
        if source.suffix == ".xlsx":
            problems += [f"{source.relative_to(OUTPUTS)} {where}：数值单元格自动换行"
                         for where in _wrapped_numbers(source)]
    assert not problems, "\n".join(problems[:40])


def _wrapped_numbers(source: Path) -> list[str]:
    """The numeric cells of a workbook's visible sheets that wrap their text (and do not shrink to fit)."""
    book = openpyxl.load_workbook(source)
    return [f"{sheet.title}!{cell.coordinate}" for sheet in book.worksheets if sheet.sheet_state == "visible"
            for row in sheet.iter_rows() for cell in row
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
            and len(str(cell.value)) > 2 and cell.alignment.wrap_text and not cell.alignment.shrink_to_fit]


def test_the_qualifiers_of_the_indicator_table_are_printed_in_the_target(texts):
    """004's 主要指标表 prints 5以上, 30左右, [150]: the plan workbook of its district prints them so too."""
    documents = pd.read_csv(OUTPUTS / "tables" / "documents.csv", dtype=str, keep_default_na=False)
    indicators = pd.read_csv(OUTPUTS / "tables" / "indicators.csv", dtype=str, keep_default_na=False)
    document = documents[documents["source_file"].str.startswith("004_")].iloc[0]
    table = indicators[(indicators["doc_id"] == document["doc_id"]) & (indicators["source"] == "table")
                       & ((indicators["qualifier"] != "") | (indicators["cumulative"] == "1"))]
    assert len(table) >= 8  # 6 × 以上, 30左右, [150]
    workbook = next(source for source in texts
                    if source.name == f"{document['district_code']}_{document['district']}_规划任务分解.xlsx")
    printed = re.sub(r"\s+", "", texts[workbook])
    for text in table["target_text"]:
        assert re.sub(r"\s+", "", text) in printed, text


def _written_texts(source: Path) -> list[tuple[str, str]]:
    """(where, text) of every text cell of a workbook or paragraph and table cell of a report."""
    if source.suffix == ".xlsx":
        book = openpyxl.load_workbook(source, read_only=True)
        return [(f"{sheet.title}!{cell.coordinate}", cell.value) for sheet in book.worksheets
                if sheet.sheet_state == "visible" for row in sheet.iter_rows() for cell in row
                if isinstance(cell.value, str) and hasattr(cell, "coordinate")]
    document = docx.Document(source)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [("正文", p.text) for p in document.paragraphs] + [("表格", text) for text in cells]


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    """Every normalised paragraph of every document `make plan` read (page breaks inside sentences joined)."""
    staged = sorted((OUTPUTS / "staging").glob("*.txt"))
    return [line.split("\t", 1)[1] for path in staged if not path.name.endswith(".raw.txt")
            for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line]


def test_no_page_break_debris_in_any_cell(sources, paragraphs):
    """A line break inside a cell where the document runs on in one paragraph is page-break debris ('总\\n部基地')."""
    joined = "\n".join(paragraphs)
    debris = re.compile(rf"([{CJK}]+)\n+(?=([{CJK}]+))")
    problems = []
    for source in sources:
        for where, text in _written_texts(source):
            for before, after in (match.groups() for match in debris.finditer(text)):
                if f"{before[-6:]}{after[:6]}" in joined:
                    problems.append(f"{source.relative_to(OUTPUTS)} {where}：{before[-6:]}⏎{after[:6]}")
    assert not problems, "\n".join(problems[:40])
