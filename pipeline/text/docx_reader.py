"""Read a .docx plan document into raw text lines.

Stage: 编制 input (called by `pipeline.text.read.read_document`).
Input: the bytes of a .docx file.
Output: body text in document order, one line per paragraph (a soft line break inside a paragraph
starts a new line); each table is a block framed by '' lines, one line per row with the cells
joined by '\\t'. Headers, footers, footnotes and text boxes are not body text and are skipped.
"""
from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table

# Runs of a paragraph, including those wrapped in hyperlinks, tracked insertions, smart tags, fields
# and inline content controls; not text moved away (w:moveFrom) nor text boxes drawn in the line.
_RUNS_XPATH = ".//w:r[not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"


def lines_from_docx(data: bytes) -> list[str]:
    """Return the body's paragraphs and table rows of a .docx file, in document order."""
    document = Document(io.BytesIO(data))
    lines: list[str] = []
    _block_lines(document.element.body, document, lines)
    return lines


def _block_lines(container, parent, lines: list[str]) -> None:
    """Append the lines of the w:p, w:tbl and content-control (w:sdt) children of `container`."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            lines.extend(_paragraph_text(child).split("\n"))
        elif child.tag == qn("w:tbl"):
            lines.append("")
            lines.extend(_table_rows(Table(child, parent)))
            lines.append("")
        elif child.tag == qn("w:sdt"):
            for content in child.iterchildren(qn("w:sdtContent")):
                _block_lines(content, parent, lines)


def _paragraph_text(p) -> str:
    """Text of one w:p element exactly as written; tabs as '\\t', soft line breaks as '\\n'."""
    return "".join(run.text for run in p.xpath(_RUNS_XPATH))


def _table_rows(table: Table) -> list[str]:
    """One tab-joined line per row; a merged cell appears once, a vertical-merge continuation as ''."""
    rows = []
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            if cell._tc is previous:
                continue
            previous = cell._tc
            own = cell._tc.getparent() is row._tr
            cells.append(_cell_text(cell._tc) if own else "")
        rows.append("\t".join(cells))
    return rows


def _cell_text(tc) -> str:
    """A cell's non-empty paragraphs (nested tables included) joined by ' ', on one line."""
    texts = (_paragraph_text(p) for p in tc.iter(qn("w:p")))
    return " ".join(t for t in texts if t).replace("\t", " ").replace("\n", " ")
