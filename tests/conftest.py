"""Shared fixtures: the repository's inputs and one extraction of the seed documents."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import Config
from pipeline.plan.documents import load_manifest
from pipeline.plan.run import Extraction, extract_documents, plan_files

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "inputs" / "plans"
CONFIG = ROOT / "inputs" / "config"
GOLD = ROOT / "tests" / "gold"


@pytest.fixture(scope="session")
def config() -> Config:
    return Config.load(CONFIG)


@pytest.fixture(scope="session")
def seeds(config: Config) -> Extraction:
    """The five seed documents read with their manifest, as `make plan` reads them."""
    return extract_documents(plan_files(PLANS), load_manifest(PLANS / "documents.csv"), config)


@pytest.fixture(scope="session")
def gold_sections() -> pd.DataFrame:
    return pd.read_csv(GOLD / "sections.csv", dtype=str, keep_default_na=False)


def seed_path(prefix: str) -> Path:
    """The seed document whose file name starts with `prefix` ('004')."""
    return next(PLANS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def cjk_font():
    """The CJK font the charts are drawn in; tests that expect charts skip, with the reason, where none is installed."""
    from pipeline.render import charts

    try:
        return charts.chart_font()
    except charts.ChartFontMissing as exc:
        pytest.skip(str(exc))
