"""Shared fixtures: the repository's inputs, one extraction of the seed documents, one SAMPLE monthly cycle."""
from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest

from pipeline.catalog import DataCatalog
from pipeline.config import Config
from pipeline.plan.documents import load_manifest
from pipeline.plan.run import Extraction, extract_documents, plan_files, write_extraction
from pipeline.tables import read_csv_text

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "inputs" / "plans"
CONFIG = ROOT / "inputs" / "config"
GOLD = ROOT / "tests" / "gold"
CORPUS = ROOT / "tests" / "corpus"


@pytest.fixture(scope="session")
def config() -> Config:
    return Config.load(CONFIG)


@pytest.fixture(scope="session")
def seeds(config: Config) -> Extraction:
    """The five seed documents read with their manifest, as `make plan` reads them."""
    return extract_documents(plan_files(PLANS), load_manifest(PLANS / "documents.csv"), config)


@pytest.fixture(scope="session")
def corpus(config: Config) -> Extraction:
    """The practice corpus (tests/corpus): real texts of other places, read as unlisted documents are."""
    texts = sorted(CORPUS.glob("*.txt"))
    return extract_documents(texts, load_manifest(None), config)


def tables_of(extraction: Extraction) -> dict[str, pd.DataFrame]:
    """The plan tables of an extraction by name, as the evaluation and monitoring stages load them."""
    return {name: getattr(extraction, name) for name in ("documents", "sections", "indicators", "achievements",
                                                          "projects", "tasks", "responsibilities")}


def corpus_rows(extraction: Extraction, table: str, source_file: str) -> pd.DataFrame:
    """The rows of one table that came from one practice text."""
    doc_id = extraction.documents.set_index("source_file").doc_id[source_file]
    frame = getattr(extraction, table)
    return frame[frame.doc_id == doc_id]


@pytest.fixture(scope="session")
def plan_outputs(seeds, tmp_path_factory) -> Path:
    """The plan tables of the seeds, as `make plan` writes them."""
    out = tmp_path_factory.mktemp("outputs")
    write_extraction(seeds, DataCatalog(outputs=out))
    return out


@pytest.fixture(scope="session")
def cycle(plan_outputs, tmp_path_factory):
    """SAMPLE returns for 2025-05 and 2025-06, collected month by month into a SQLite store (the monthly tests
    read it; the evaluation tests evaluate 2025 on it)."""
    from pipeline.cycle import run_monthly
    from pipeline.samples import generate_samples, planted_errors_file
    from tests.monitor.conftest import NOW, catalog_of, settings

    returns = tmp_path_factory.mktemp("returns")
    generate_samples(catalog_of(plan_outputs), 2025, [5, 6], returns)
    for period in ("2025-05", "2025-06"):
        assert run_monthly(settings(plan_outputs, period, returns / period), NOW) == 0
    planted = read_csv_text(planted_errors_file(returns / "2025-06"))
    return {"outputs": plan_outputs, "returns": returns, "planted": planted}


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


def zip_bomb(source: Path, path: Path, part: str, gib: int = 6) -> Path:
    """A real Office file (xlsx, docx) with its part `part` replaced by zeros that expand to `gib` GiB, deflated,
    in two parts under 4 GiB each (no zip64); the directory states the sizes, as a real zip bomb's does."""
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = block.compress(b"\0" * (1 << 20)) + block.flush(zlib.Z_FULL_FLUSH)  # 1 MiB of zeros, not final
    parts = []
    with zipfile.ZipFile(source) as form:
        for info in form.infolist():
            if info.filename != part:
                data = form.read(info)
                parts.append((info.filename, 0, data, len(data), zlib.crc32(data)))
    per_part = gib * 1024 // 2
    body = chunk * per_part + b"\x03\x00"  # … then one final empty block
    for n in (1, 2):
        parts.append((part if n == 1 else f"{part}.more", 8, body, per_part << 20, 0))
    out, directory = bytearray(), bytearray()
    for name, method, data, size, crc in parts:
        encoded, offset = name.encode(), len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size, len(encoded),
                           0) + encoded + data
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data), size,
                                 len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    out += directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), len(out), 0)
    path.write_bytes(bytes(out))
    return path
