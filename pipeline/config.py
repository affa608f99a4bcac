"""Configuration loaded once from inputs/config/ and passed down (no module-level state)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.extract.rules import ExtractRules
from pipeline.plan.documents import DocTypeRules
from pipeline.text.normalise import TextRules


@dataclass(frozen=True)
class Config:
    """Everything the stages read from inputs/config/: text, extraction and document-type rules, districts,
    and the indicator catalogue."""

    config_dir: Path
    text_rules: TextRules
    doc_types: DocTypeRules
    districts: pd.DataFrame
    extract_rules: ExtractRules
    catalogue: pd.DataFrame

    @classmethod
    def load(cls, config_dir: Path | str) -> Config:
        config_dir = Path(config_dir)
        districts = pd.read_csv(config_dir / "districts.csv", dtype=str, keep_default_na=False)
        catalogue = pd.read_csv(config_dir / "indicators.csv", dtype=str, keep_default_na=False)
        return cls(config_dir, TextRules.load(config_dir / "text.yaml"),
                   DocTypeRules.load(config_dir / "doc_types.yaml"), districts,
                   ExtractRules.load(config_dir / "extract.yaml"), catalogue)
