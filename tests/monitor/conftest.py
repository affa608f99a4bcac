"""One monthly cycle on SAMPLE returns generated from the seed plans: May and June 2025."""
from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from pipeline.monitor.run import MonthlySettings, run_monthly
from pipeline.monitor.samples import generate_samples, planted_errors_file
from pipeline.plan.run import write_extraction
from tests.conftest import CONFIG, ROOT

NOW = datetime(2025, 7, 20, 9, 0, 0)


@pytest.fixture(scope="session")
def plan_outputs(seeds, tmp_path_factory) -> Path:
    """The plan tables of the seeds, as `make plan` writes them."""
    out = tmp_path_factory.mktemp("outputs")
    write_extraction(seeds, out)
    return out


def settings(outputs: Path, period: str, returns: Path, store: str = "") -> MonthlySettings:
    return MonthlySettings(period, returns, outputs, CONFIG, ROOT / "templates", store, sample=True)


@pytest.fixture(scope="session")
def cycle(plan_outputs, tmp_path_factory):
    """SAMPLE returns for 2025-05 and 2025-06, collected month by month into a SQLite store."""
    returns = tmp_path_factory.mktemp("returns")
    generate_samples(plan_outputs, ROOT / "templates", 2025, [5, 6], returns, CONFIG)
    for period in ("2025-05", "2025-06"):
        assert run_monthly(settings(plan_outputs, period, returns / period), NOW) == 0
    planted = pd.read_csv(planted_errors_file(returns / "2025-06"), dtype=str, keep_default_na=False)
    return {"outputs": plan_outputs, "returns": returns, "planted": planted}


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
