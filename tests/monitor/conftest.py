"""Helpers of the monthly tests; the cycle on SAMPLE returns (May and June 2025) is `cycle` in tests/conftest.py."""
from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

from pipeline.catalog import DataCatalog
from pipeline.monitor.run import MonthlySettings
from tests.conftest import CONFIG, ROOT

NOW = datetime(2025, 7, 20, 9, 0, 0)


def settings(outputs: Path, period: str, returns: Path, store: str = "") -> MonthlySettings:
    return MonthlySettings(period, catalog_of(outputs, sample=True), returns, store)


def catalog_of(outputs: Path, sample: bool = False) -> DataCatalog:
    """The catalogue of a test run: the repository's inputs, configuration and templates, outputs in `outputs`."""
    return DataCatalog(ROOT / "inputs", outputs, ROOT / "templates", sample, CONFIG)


def edit_entry_sheet(source: Path, path: Path, edits: list[tuple[bytes, bytes]]) -> None:
    """Copy a returned form, rewriting cells of its entry sheet's XML as Excel would have saved them."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                for pattern, replacement in edits:
                    data, count = re.subn(pattern, replacement, data)
                    assert count == 1, pattern
            new.writestr(info, data)


def numbered_rows(ret, field: str = "to_date") -> list:
    """The rows of a read form whose `field` holds a number."""
    return [r for r in ret.rows if isinstance(r.cells[field].raw, float)]
