"""Whether an Office file (xlsx, docx: a zip of XML parts) may be opened without exhausting memory.

A 6 MB workbook can hold parts that expand to gigabytes (a 'zip bomb'); parsing it would stop the whole run with
MemoryError. The zip's own directory says how large each part is when expanded, so such a file is refused before
any part is read, by its total expanded size and by how far a part expands (limits in inputs/config/files.yaml).
A directory that understates a part's size is caught while reading it (`read_part`).
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.settings import load_section, require_positive

MB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    """How far an Office file may expand: its parts together, and one part against its compressed size."""

    max_expanded_mb: float
    max_ratio: float

    def __post_init__(self) -> None:
        require_positive(self)

    @classmethod
    def load(cls, path: Path | str, kind: str) -> ZipLimits:
        """The limits of one kind of file (inputs/config/files.yaml: forms, documents)."""
        return load_section(cls, path, kind)


def expansion_problem(path: Path, limits: ZipLimits) -> str:
    """Why the zip at `path` must not be opened ('' when it may): its parts would expand past the limits.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with zipfile.ZipFile(folder / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("xl/worksheets/sheet1.xml", b"0" * 5_000_000)
    >>> expansion_problem(folder / "bomb.xlsx", ZipLimits(max_expanded_mb=200, max_ratio=100)).split("（")[0]
    '文件内部件“xl/worksheets/sheet1.xml”压缩比异常'
    >>> expansion_problem(folder / "bomb.xlsx", ZipLimits(max_expanded_mb=2, max_ratio=10_000)).split("，未")[0]
    '文件解压后约 5 MB，超过上限 2 MB'
    >>> expansion_problem(folder / "bomb.xlsx", ZipLimits(max_expanded_mb=200, max_ratio=10_000))
    ''
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return ""  # not a zip at all: the reader says what it is
    total = sum(p.file_size for p in parts)
    if total > limits.max_expanded_mb * MB:
        return (f"文件解压后约 {total / MB:.0f} MB，超过上限 {limits.max_expanded_mb:g} MB，未打开"
                "（可能是恶意构造的文件）")
    for part in parts:
        if part.file_size > MB and part.file_size > limits.max_ratio * max(part.compress_size, 1):
            return (f"文件内部件“{part.filename}”压缩比异常（{part.compress_size} 字节解压为 "
                    f"{part.file_size / MB:.0f} MB，超过 {limits.max_ratio:g} 倍），未打开（可能是恶意构造的文件）")
    return ""


def read_part(archive: zipfile.ZipFile, name: str, limit_bytes: int) -> bytes:
    """One part of an open zip, read no further than `limit_bytes` (a directory may understate a part's size);
    a ValueError when the part is larger."""
    with archive.open(name) as part:
        data = part.read(limit_bytes + 1)
    if len(data) > limit_bytes:
        raise ValueError(f"{name} 超过 {limit_bytes // MB} MB")
    return data
