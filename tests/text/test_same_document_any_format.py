"""One seed document saved as GB18030, UTF-16, .docx, .html (with site chrome) and .pdf yields the same outline."""
from __future__ import annotations

import pytest

from pipeline.plan.documents import load_manifest
from pipeline.plan.run import extract_documents
from tests.conftest import seed_path
from tests.text.formats import seed_lines, write_docx, write_html, write_pdf

KEY = ["section_id", "level", "kind", "number", "title_norm", "parent_id"]
CASES = ("gb18030.txt", "utf-16.txt", "docx", "html", "pdf")


def _save(prefix: str, form: str, folder):
    """Write seed `prefix` in `form` ('gb18030.txt', 'utf-16.txt', 'docx', 'html', 'pdf')."""
    lines = seed_lines(prefix)
    if form.endswith(".txt"):
        path = folder / f"{prefix}-{form}"
        path.write_bytes("\n".join(lines).encode(form.removesuffix(".txt")))
        return path
    if form == "docx":
        return write_docx(lines, folder / f"{prefix}.docx")
    if form == "html":  # one page in a Chinese legacy encoding, as many government sites still serve
        return write_html(lines, folder / f"{prefix}.html", encoding="gb18030" if prefix == "000" else "utf-8")
    write_pdf(lines, folder / f"{prefix}.pdf")
    return folder / f"{prefix}.pdf"


def _outline(path, config, doc_id):
    manifest = load_manifest(None)
    result = extract_documents([path], manifest, config)
    assert not result.errors
    sections = result.sections.copy()
    # the id is derived from the document; give every copy the same one to compare the outline itself
    sections["section_id"] = sections.section_id.str.replace(result.documents.doc_id.iloc[0], doc_id)
    sections["parent_id"] = sections.parent_id.str.replace(result.documents.doc_id.iloc[0], doc_id)
    return sections[KEY].reset_index(drop=True)


@pytest.mark.parametrize("prefix", ["004", "000", "002"])
@pytest.mark.parametrize("form", CASES)
def test_the_same_document_in_another_format_yields_the_same_sections(tmp_path, config, prefix, form):
    original = _outline(seed_path(prefix), config, "D")
    other = _outline(_save(prefix, form, tmp_path), config, "D")
    assert len(original) > 30
    assert other.to_dict("records") == original.to_dict("records")
