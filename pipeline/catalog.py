"""Where every input and output lives (pipeline/schema/catalog.yml), and the typed reading and checked writing of
the contract tables there. Runners ask a `DataCatalog` for paths and tables instead of building them by hand;
whether a run is over SAMPLE data is decided here once. (Not the indicator catalogue: that is
inputs/config/indicators.csv.)"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from pipeline import schema
from pipeline.statuses import Statuses

SAMPLE_TAG = "_SAMPLE"


def load_entries() -> dict[str, dict]:
    """The catalogue's entries: name → {path, table}."""
    return yaml.safe_load(resources.files("pipeline.schema").joinpath("catalog.yml").read_text("utf-8"))


@dataclass(frozen=True)
class DataCatalog:
    """The folders of one run and the SAMPLE switch; every path of the cycle is derived from them."""

    inputs: Path = Path("inputs")
    outputs: Path = Path("outputs")
    templates: Path = Path("templates")
    sample: bool = False
    config_dir: Path | None = None  # another configuration folder than inputs/config (tests, --config)
    entries: dict = field(default_factory=load_entries, repr=False, compare=False)

    def path(self, name: str, **fields) -> Path:
        """The path of entry `name`, with the fields it needs ('period', 'year', 'kind', 'stage')."""
        if name == "config" and self.config_dir is not None:
            return Path(self.config_dir)
        try:
            template = self.entries[name]["path"]
        except KeyError:
            raise KeyError(f"catalog.yml declares no entry “{name}”") from None
        return Path(template.format(inputs=self.inputs, outputs=self.outputs, templates=self.templates,
                                    sample=self.tag, **{k: str(v) for k, v in fields.items()}))

    @property
    def tag(self) -> str:
        """'_SAMPLE' on runs over SAMPLE data, else '': part of every output name of such a run."""
        return SAMPLE_TAG if self.sample else ""

    def config(self, file: str) -> Path:
        """A file of the configuration folder."""
        return self.path("config") / file

    def exists(self, name: str, **fields) -> bool:
        return self.path(name, **fields).exists()

    def load(self, name: str, **fields) -> pd.DataFrame:
        """The contract table of entry `name`, typed as declared in tables.yml."""
        return schema.read_table(self._table(name), self.path(name, **fields))

    def load_or_empty(self, name: str, **fields) -> pd.DataFrame:
        """The table, or no rows (typed columns) when it was never written (a plan never adjusted)."""
        return self.load(name, **fields) if self.exists(name, **fields) else schema.empty(self._table(name))

    def save(self, name: str, frame: pd.DataFrame, **fields) -> Path:
        """Write the contract table of entry `name`, checked against tables.yml; return its path."""
        return schema.write_table(self._table(name), frame, self.path(name, **fields), self.vocabularies)

    @functools.cached_property
    def vocabularies(self) -> dict[str, tuple[str, ...]]:
        """The word lists tables.yml refers to, from the files that declare them (the status words), read once."""
        return {"statuses": Statuses.load(self.path("workbook_style")).computed}

    def _table(self, name: str) -> str:
        table = self.entries[name].get("table")
        if not table:
            raise KeyError(f"catalog.yml: “{name}” is a path, not a table")
        return table
