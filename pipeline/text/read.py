"""Read one plan document (.txt in any Chinese encoding, .docx, .pdf, .html) into raw text lines.

Stage: 编制 input. The raw lines are kept as read (no normalisation) so that every quote can be
found again in them; `pipeline.text.normalise` works on a copy.
"""
from __future__ import annotations

import codecs
import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.zipguard import ZipLimits, expansion_problem

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}


class DocumentError(ValueError):
    """A document that cannot be read; the message names the file and says what is wrong."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}：{reason}")

    def __reduce__(self):
        return DocumentError, (self.path, self.reason)  # rebuilt whole when a worker process sends it back


@dataclass(frozen=True)
class RawDocument:
    """A document's text as read: one entry per line, plus how it was read."""

    path: Path
    format: str
    encoding: str
    lines: tuple[str, ...]
    sha256: str

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def sniff_format(path: Path, data: bytes) -> str:
    """Tell the format from the bytes first and the file name second (a .txt may hold HTML)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) and suffix not in TEXT_SUFFIXES:
        return "html"
    return "txt"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text bytes: BOMs first, then strict UTF-8, UTF-16 without BOM, GB18030, and a detector.

    >>> decode_text("规划".encode("gb18030"))
    ('规划', 'gb18030')
    >>> decode_text("\\ufeff规划".encode("utf-8"))
    ('规划', 'utf-8-sig')
    >>> decode_text("十四五规划纲要".encode("utf-16-le"))
    ('十四五规划纲要', 'utf-16-le')
    """
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec), codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if len(data) % 2 == 0:
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _plausible_chinese(text):
                return text, codec
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnicodeDecodeError("unknown", data[:1], 0, 1, "no Chinese text encoding fits")
    return str(best), codecs.lookup(best.encoding).name


def _plausible_chinese(text: str) -> bool:
    """True when nearly every character is Chinese, ASCII, or CJK/full-width punctuation."""
    sample = text[:4000]
    ok = sum(1 for c in sample if c.isascii() or "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"
             or "\u2000" <= c <= "\u206f" or "\uff00" <= c <= "\uffef")
    return bool(sample) and ok / len(sample) > 0.95


def _looks_binary(text: str) -> bool:
    """True when decoded text is mostly control characters (an image or archive read as text)."""
    sample = text[:4096]
    if not sample:
        return False
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\r\n\f") or c == "\ufffd")
    return bad / len(sample) > 0.02


def read_document(path: Path | str, limits: ZipLimits | None = None) -> RawDocument:
    """Read any supported document into raw lines; raise DocumentError naming the file otherwise. A Word file
    whose parts would expand past `limits` is refused before it is opened."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"无法读取文件（{exc.strerror or exc}）") from exc
    if not data.strip():
        raise DocumentError(path, "文件为空")
    fmt = sniff_format(path, data)
    encoding = ""
    if fmt == "ole":
        raise DocumentError(path, "旧版 Office（.doc/.xls）格式或加密文件，请另存为 .docx 后重试")
    if fmt == "docx":
        from pipeline.text.docx_reader import lines_from_docx

        too_large = expansion_problem(path, limits) if limits is not None else ""
        if too_large:
            raise DocumentError(path, f"{too_large}；请核实文件来源，或另存为新文件后重试")

        lines = _guarded(path, "Word 文档", lambda: lines_from_docx(data))
    elif fmt == "pdf":
        from pipeline.text.pdf_reader import lines_from_pdf

        lines = _guarded(path, "PDF 文件", lambda: lines_from_pdf(data))
    else:
        try:
            text, encoding = decode_text(data)
        except UnicodeDecodeError as exc:
            if b"\x00" in data:
                raise DocumentError(path, "不是文本文件（含二进制字节），无法作为规划文档读取") from exc
            raise DocumentError(path, "无法识别文本编码（不是 UTF-8、GB18030/GBK 或 UTF-16）") from exc
        if _looks_binary(text):
            raise DocumentError(path, "不是文本文件（含大量二进制字节），无法作为规划文档读取")
        if fmt == "html":
            from pipeline.text.html_reader import lines_from_html

            lines = _guarded(path, "网页文件", lambda: lines_from_html(text))
        else:
            lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any(line.strip() for line in lines):
        raise DocumentError(path, "文件中没有可读的文字（扫描件或图片需先做文字识别）")
    return RawDocument(path, fmt, encoding, tuple(lines), hashlib.sha256(data).hexdigest())


def _guarded(path: Path, what: str, read):
    """Run a format reader; turn its failure on a broken file into one DocumentError."""
    try:
        return read()
    except DocumentError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise DocumentError(path, f"{what}已损坏或不完整，无法打开（{type(exc).__name__}）") from exc
    except Exception as exc:  # noqa: BLE001 - third-party parsers raise many private types
        raise DocumentError(path, f"{what}无法解析（{type(exc).__name__}: {exc}）") from exc
