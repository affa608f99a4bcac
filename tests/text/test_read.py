"""Reading .txt in every Chinese encoding, and one clear error per unreadable file."""
from __future__ import annotations

import logging
import os

import pytest

from pipeline.catalog import DataCatalog
from pipeline.plan.run import run_extract
from pipeline.text.read import DocumentError, read_document
from tests.conftest import CONFIG, seed_path

SEED = seed_path("004")
TEXT = SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"),
    ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
])
def test_text_in_every_encoding_reads_the_same(tmp_path, encoding, expected):
    # GBK cannot hold every character of the seed; the bytes it can hold are the test
    text = TEXT.encode("gbk", errors="ignore").decode("gbk") if encoding == "gbk" else TEXT
    path = tmp_path / f"004-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_document(path)
    assert (doc.encoding, doc.lines) == (expected, tuple(text.split("\n")))


def test_windows_line_endings_are_read_as_lines(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("gb18030"))
    assert read_document(path).lines == tuple(TEXT.split("\n"))


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "文件为空"),
    ("blank.txt", b" \n\r\n\t\n", "文件为空"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "不是文本文件"),
    ("old-word.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版 Office"),
    ("truncated.docx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + b"\x00" * 40, "已损坏或不完整"),
    ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n", "PDF"),
])
def test_unreadable_files_get_one_clear_error_naming_the_file(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as err:
        read_document(path)
    assert str(err.value).startswith(f"{name}：") and reason in str(err.value)


def test_a_missing_or_unopenable_file_is_named(tmp_path):
    with pytest.raises(DocumentError, match="^gone.txt：无法读取文件"):
        read_document(tmp_path / "gone.txt")
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling.txt")
    with pytest.raises(DocumentError, match="^dangling.txt：无法读取文件"):
        read_document(tmp_path / "dangling.txt")


def test_bad_files_are_reported_and_the_good_ones_still_processed(tmp_path, caplog):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02\x03" * 100)
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    with caplog.at_level(logging.ERROR):
        status = run_extract([bad, SEED, empty], DataCatalog(outputs=tmp_path / "out", config_dir=CONFIG))
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert status == 0
    assert len(errors) == 2 and "bad.txt" in errors[0] and "empty.docx" in errors[1]
    documents = (tmp_path / "out" / "tables" / "documents.csv").read_text(encoding="utf-8-sig")
    assert "230113-fyp-2021" in documents and "bad.txt" not in documents


def test_the_run_fails_only_when_nothing_could_be_read(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-garbage")
    assert run_extract([bad], DataCatalog(outputs=tmp_path / "out", config_dir=CONFIG)) == 1


def test_a_word_file_expanding_to_gigabytes_is_refused_before_it_is_opened(tmp_path):
    """A plan as .docx (lines of 004) whose document part expands to 6 GiB: refused by its directory, unread."""
    from pipeline.zipguard import ZipLimits
    from tests.conftest import zip_bomb
    from tests.text.formats import seed_lines, write_docx

    plan = write_docx(seed_lines("004", 1, 40), tmp_path / "plan.docx")
    bomb = zip_bomb(plan, tmp_path / "炸弹规划.docx", "word/document.xml")
    limits = ZipLimits.load(CONFIG / "files.yaml", "documents")
    with pytest.raises(DocumentError, match=r"^炸弹规划.docx：文件解压后约 61\d\d MB，超过上限 \d+ MB，未打开"):
        read_document(bomb, limits)
    assert read_document(plan, limits).lines  # the real one reads
