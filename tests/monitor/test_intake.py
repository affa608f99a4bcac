"""Which return is newer is decided by when its unit saved it, not by the file's time on disk."""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from pipeline.monitor.intake import intake_order, saved_at


def _saved(source: Path, path: Path, when: str) -> Path:
    """A copy of a returned form whose workbook says it was last saved at `when` (as Excel writes it)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "docProps/core.xml":
                data, count = re.subn(rb"(<dcterms:modified[^>]*>)[^<]+(</dcterms:modified>)",
                                      rb"\g<1>" + when.encode() + rb"\g<2>", data)
                assert count == 1
            new.writestr(info, data)
    return path


def test_the_later_saved_return_is_taken_in_last_whatever_the_disk_times(cycle, tmp_path):
    source = cycle["returns"] / "2025-05" / "230113_农业农村局_SAMPLE.xlsx"
    folder = tmp_path / "returns"
    folder.mkdir()
    first = _saved(source, folder / "b_农业农村局.xlsx", "2025-06-03T08:00:00Z")
    correction = _saved(source, folder / "a_农业农村局_更正.xlsx", "2025-06-04T09:30:00Z")
    os.utime(correction, (1_700_000_000, 1_700_000_000))  # a copied folder: the correction looks older on disk
    os.utime(first, (1_800_000_000, 1_800_000_000))
    (folder / "not_a_workbook.csv").write_text("x", encoding="utf-8")
    assert saved_at(correction) == "2025-06-04T09:30:00Z" and saved_at(folder / "not_a_workbook.csv") == ""
    assert intake_order(folder) == [folder / "not_a_workbook.csv", first, correction]


def test_returns_saved_at_the_same_moment_go_by_name_and_a_missing_folder_has_none(cycle, tmp_path):
    source = cycle["returns"] / "2025-05" / "230113_农业农村局_SAMPLE.xlsx"
    folder = tmp_path / "returns"
    folder.mkdir()
    paths = [_saved(source, folder / name, "2025-06-03T08:00:00Z") for name in ("2.xlsx", "1.xlsx")]
    assert intake_order(folder) == sorted(paths)
    assert intake_order(tmp_path / "nowhere") == []


def test_document_properties_blown_up_past_the_limit_are_not_read(cycle, tmp_path):
    source = cycle["returns"] / "2025-05" / "230113_农业农村局_SAMPLE.xlsx"
    path = tmp_path / "bloated.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "docProps/core.xml":
                data = data.replace(b"</cp:coreProperties>", b"<!--" + b"x" * 2_000_000 + b"--></cp:coreProperties>")
            new.writestr(info, data)
    assert saved_at(path) == "" and saved_at(source) != ""
