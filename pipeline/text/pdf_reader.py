"""Read the text layer of a PDF plan document into raw text lines.

Stage: 编制 input (called by `pipeline.text.read.read_document`).
Input: the bytes of a PDF file.
Output: per page, its text lines top to bottom with each ruled table in place as a block framed by
'' lines (one line per row, cells joined by '\\t'); pages are separated by a line '\\f'. A PDF without
a usable text layer (a scan, or glyphs without Unicode mapping) gives []; an encrypted PDF whose
text cannot be opened or decoded raises EncryptedPdfError; a broken file raises pdfminer's error.
Lines are kept as the PDF wraps them; `pipeline.text.normalise` joins wrapped lines later.
"""
from __future__ import annotations

import io
import re

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

# Word gaps are judged relative to the glyph size, so letter-spaced Chinese titles (16-22 pt) come
# out without spurious spaces between characters; explicit space glyphs are always kept.
TEXT_SETTINGS = {"x_tolerance_ratio": 0.3}
# pdfminer writes a glyph it cannot map to Unicode as "(cid:1234)".
UNMAPPED_GLYPH = r"\(cid:\d+\)"


class EncryptedPdfError(RuntimeError):
    """An encrypted PDF whose text cannot be opened or decoded."""


def lines_from_pdf(data: bytes) -> list[str]:
    """Return the text lines of every page, tables as tab-joined rows, pages separated by '\\f'."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            encrypted = pdf.doc.encryption is not None
            pages = [_page_lines(page.dedupe_chars()) for page in pdf.pages]
    except PdfminerException as exc:
        if exc.args and isinstance(exc.args[0], PDFPasswordIncorrect):
            raise EncryptedPdfError("PDF 已加密，需要打开密码；请解除加密后重试") from exc
        raise
    if not any(pages) or _mostly_unmapped(pages):
        if any(pages) and encrypted:
            raise EncryptedPdfError("PDF 已加密，文字无法解码；请解除加密后重试")
        return []
    lines: list[str] = []
    for number, page in enumerate(pages):
        lines += ["\f", *page] if number else page
    return lines


def _page_lines(page) -> list[str]:
    """Text lines outside tables and table blocks of one page, merged in top-to-bottom order."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    text_lines = outside.extract_text_lines(return_chars=False, **TEXT_SETTINGS)
    items = [(line["top"], [line["text"]]) for line in text_lines]
    items += [(table.bbox[1], ["", *_table_rows(table), ""]) for table in tables]
    items.sort(key=lambda item: item[0])
    return [line for _, block in items for line in block]


def _inside(char: dict, boxes: list[tuple]) -> bool:
    """True when the centre of `char` lies in one of the table boxes (x0, top, x1, bottom)."""
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return any(x0 <= x < x1 and top <= y < bottom for x0, top, x1, bottom in boxes)


def _table_rows(table) -> list[str]:
    """One line per table row: cells joined by '\\t', a cell's wrapped lines joined by ' '."""
    rows = table.extract(**TEXT_SETTINGS)
    return ["\t".join((cell or "").replace("\n", " ").replace("\t", " ") for cell in row) for row in rows]


def _mostly_unmapped(pages: list[list[str]]) -> bool:
    """True when most of the text is glyphs without a Unicode mapping (the text layer is unreadable)."""
    text = "".join(line for page in pages for line in page)
    unmapped = sum(len(glyph) for glyph in re.findall(UNMAPPED_GLYPH, text))
    return unmapped > 0.5 * len(re.sub(r"\s", "", text))
