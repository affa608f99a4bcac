"""How a workbook or report prints: a cell's number under its Excel number format, and the text LibreOffice
prints to PDF (soffice, then pdftotext), with the numbers of the source that the print split or lost.

The number formatting here is written from Excel's rules for the codes the house style uses (sections split by
';', quoted and backslash-escaped literals, '#,##0' with decimals, '%'), not from pipeline code, so that a test
reading a format back checks what an official sees.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import openpyxl
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300
# A number as printed: not part of a word or a hex digest ('b39c97'), a sign only where no digit precedes it
NUMBER = re.compile(r"(?<![0-9A-Za-z.,])(?:-(?=\d))?\d[\d,]*(?:\.\d+)?(?![0-9A-Za-z])")
LAYOUT_MARKS = str.maketrans("", "", "\u200b")  # the break points the Word template puts in formulas


def printed(value: float, number_format: str) -> str:
    """The text a number shows under an Excel number format of the kinds the workbooks use.

    >>> printed(18, '#,##0"以上"'), printed(150, '"["#,##0"]"'), printed(-0.8, '"下降"0.0;"下降"0.0')
    ('18以上', '[150]', '下降0.8')
    >>> printed(5920.805, "#,##0.00"), printed(1.2667, "0.0%"), printed(-40.3, "#,##0.0"), printed(7, '0"a"\\\\""b"')
    ('5,920.81', '126.7%', '-40.3', '7a"b')
    """
    sections = _sections(number_format)
    negative = value < 0 and len(sections) > 1
    section = sections[1] if negative else sections[0]
    sign = "-" if value < 0 and not negative else ""
    out, digits, per_cent = [], "", False
    for token in re.finditer(r'"([^"]*)"|\\(.)|([#0,.]+)|(%)|(.)', section):
        quoted, escaped, code, percent, other = token.groups()
        if code is not None:
            digits = code
            out.append(None)  # where the number goes
        elif percent:
            out.append("%")
            per_cent = True
        else:
            out.append(quoted if quoted is not None else escaped if escaped is not None else other)
    scale = 100 if per_cent else 1
    decimals = len(digits.partition(".")[2])
    number = Decimal(repr(abs(value) * scale)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    shown = f"{number:,.{decimals}f}" if "," in digits else f"{number:.{decimals}f}"
    return sign + "".join(shown if part is None else part for part in out)


def _sections(number_format: str) -> list[str]:
    """The ';'-separated sections of a number format (a ';' inside quotes is text)."""
    sections, current, quoted = [], "", False
    for char in number_format:
        quoted = not quoted if char == '"' else quoted
        if char == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += char
    return [*sections, current]


def office() -> str | None:
    """LibreOffice's command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_office(writer: bool = False) -> str:
    """LibreOffice's command (with Writer, for the reports, when `writer`) and pdftotext; else skip the test with
    the reason (`make system-deps` installs them)."""
    import pytest

    found = office()
    if not found:
        pytest.skip("未安装 LibreOffice：跳过打印检查（make system-deps）")
    if writer and not (Path(os.path.realpath(found)).parent / "libswlo.so").exists():
        pytest.skip("未安装 LibreOffice Writer（libreoffice-writer-nogui）：跳过打印检查")
    if not shutil.which("pdftotext"):
        pytest.skip("未安装 poppler-utils：跳过打印检查")
    return found


def to_pdf(files: list[Path], out_dir: Path) -> list[Path]:
    """Print `files` to PDF in one LibreOffice run, with a throw-away profile and the house CJK font aliases."""
    home = out_dir / "home"
    (home / ".config" / "fontconfig").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "templates" / "fontconfig-cjk.conf", home / ".config" / "fontconfig" / "fonts.conf")
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    subprocess.run([office(), "--headless", f"-env:UserInstallation={(home / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(out_dir / "pdf"), *map(str, files)],
                   env=env, timeout=TIMEOUT, check=True, capture_output=True)
    return [out_dir / "pdf" / f"{path.stem}.pdf" for path in files]


def pdf_text(pdf: Path) -> str:
    """The PDF's text laid out as printed (pdftotext -layout)."""
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          timeout=TIMEOUT, check=True).stdout


def workbook_numbers(path: Path) -> Counter:
    """Every number a workbook prints, as printed: number cells under their format, numbers within text cells
    (visible sheets and columns only)."""
    found: Counter = Counter()
    for ws in openpyxl.load_workbook(path).worksheets:
        if ws.sheet_state != "visible":
            continue
        hidden = {get_column_letter(i) for d in ws.column_dimensions.values() if d.hidden
                  for i in range(d.min or 1, (d.max or d.min or 1) + 1)}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None or cell.column_letter in hidden:
                    continue
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    found.update(NUMBER.findall(printed(float(cell.value), cell.number_format)))
                elif isinstance(cell.value, str):
                    found.update(NUMBER.findall(cell.value))
    return found


def report_numbers(path: Path) -> Counter:
    """Every number in the tables of a Word report."""
    tables = docx.Document(str(path)).tables
    return Counter(number for table in tables for row in table.rows for cell in row.cells
                   for number in NUMBER.findall(cell.text.translate(LAYOUT_MARKS)))


def broken_numbers(numbers: Counter, text: str) -> dict[str, tuple[int, int]]:
    """The numbers (two digits or more) the printed text holds whole fewer times than the source has them:
    number → (in the source, whole in print). A number split across lines ('5,920.8' / '1') is one of them."""
    whole = Counter(NUMBER.findall(text.translate(LAYOUT_MARKS)))
    return {number: (count, whole[number]) for number, count in numbers.items()
            if len(re.sub(r"\D", "", number)) >= 2 and whole[number] < count}


def lone_lines(text: str, words: tuple[str, ...] = ("（%）", "(%)")) -> list[str]:
    """Printed lines that hold only a unit in brackets ('（%）' left alone by a wrapped header or name)."""
    return [line for line in text.splitlines() if line.strip() in words]
