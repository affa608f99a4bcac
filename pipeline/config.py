"""Configuration loaded once from inputs/config/ and passed down (no module-level state)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.extract.catalogue import Catalogue
from pipeline.extract.identity import MeasureRules
from pipeline.extract.rules import ExtractRules
from pipeline.plan.confidence import ItemRules
from pipeline.plan.documents import DocTypeRules
from pipeline.plan.regions import Divisions
from pipeline.plan.responsibility import Rules
from pipeline.tables import read_csv_text
from pipeline.text.normalise import TextRules
from pipeline.zipguard import ZipLimits


@dataclass(frozen=True)
class Config:
    """Everything the stages read from inputs/config/: text, extraction and document-type rules, districts,
    the indicator catalogue and how indicators it does not know behave, the gazetteer, the responsibility rules
    with the departments, the country's administrative divisions (which area a document is of), and how sure the
    machine is of the items it extracts (review.yaml), how far a document's parts may expand (files.yaml)."""

    config_dir: Path
    text_rules: TextRules
    doc_types: DocTypeRules
    districts: pd.DataFrame
    extract_rules: ExtractRules
    catalogue: Catalogue
    measures: MeasureRules
    places: pd.DataFrame
    responsibility: Rules
    divisions: Divisions
    items: ItemRules
    documents: ZipLimits  # how far a plan document (docx) may expand
    forms: ZipLimits  # … and a review workbook (files.yaml)

    @classmethod
    def load(cls, config_dir: Path | str, learned: bool = True) -> Config:
        """The configuration of config_dir; `learned` False leaves the lead-unit model untrained (Rules.load)."""
        config_dir = Path(config_dir)
        doc_types = DocTypeRules.load(config_dir / "doc_types.yaml")
        extract_rules = ExtractRules.load(config_dir / "extract.yaml")
        divisions = Divisions.of(read_csv_text(config_dir / "divisions.csv"), list(doc_types.national_words),
                                 list(doc_types.common_division_names), list(doc_types.short_name_followers),
                                 list(doc_types.division_inside_words), list(doc_types.ethnic_groups))
        return cls(config_dir, TextRules.load(config_dir / "text.yaml"), doc_types,
                   read_csv_text(config_dir / "districts.csv"), extract_rules,
                   Catalogue.of(read_csv_text(config_dir / "indicators.csv"), "indicators.csv",
                                extract_rules.catalogue_part_before, extract_rules.catalogue_additions_before),
                   MeasureRules.load(config_dir / "measures.yaml"), read_csv_text(config_dir / "places.csv"),
                   Rules.load(config_dir, learned), divisions, ItemRules.load(config_dir / "review.yaml"),
                   ZipLimits.load(config_dir / "files.yaml", "documents"),
                   ZipLimits.load(config_dir / "files.yaml", "forms"))
