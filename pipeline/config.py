"""Configuration loaded once from inputs/config/ and passed down (no module-level state)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.extract.rules import ExtractRules
from pipeline.plan.documents import DocTypeRules
from pipeline.plan.responsibility import Rules
from pipeline.tables import read_csv_text
from pipeline.text.normalise import TextRules


@dataclass(frozen=True)
class Config:
    """Everything the stages read from inputs/config/: text, extraction and document-type rules, districts,
    the indicator catalogue, the gazetteer, and the responsibility rules with the departments."""

    config_dir: Path
    text_rules: TextRules
    doc_types: DocTypeRules
    districts: pd.DataFrame
    extract_rules: ExtractRules
    catalogue: pd.DataFrame
    places: pd.DataFrame
    responsibility: Rules

    @classmethod
    def load(cls, config_dir: Path | str) -> Config:
        config_dir = Path(config_dir)
        return cls(config_dir, TextRules.load(config_dir / "text.yaml"),
                   DocTypeRules.load(config_dir / "doc_types.yaml"), read_csv_text(config_dir / "districts.csv"),
                   ExtractRules.load(config_dir / "extract.yaml"), read_csv_text(config_dir / "indicators.csv"),
                   read_csv_text(config_dir / "places.csv"), Rules.load(config_dir))
