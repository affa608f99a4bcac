"""The command line matches the make targets and runs a stage end to end."""
from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT, seed_path


def _run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True)


def test_help_lists_the_stage_commands():
    result = _run("--help")
    assert result.returncode == 0
    listed = re.findall(r"^ {4}(\w+) ", result.stdout, re.M)  # the subcommands, one per help line
    assert listed == ["plan", "extract", "monthly", "samples", "evaluate", "adjust", "bench", "accuracy"]


def test_extract_runs_on_any_files_and_logs_what_it_inferred(tmp_path):
    result = _run("extract", str(seed_path("002")), str(seed_path("001")), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "002_5ab75828c8187271.txt 未列入 documents.csv，已推断" in result.stderr
    assert (tmp_path / "tables" / "sections.csv").exists()
    assert (tmp_path / "staging" / "230108-wr-2020.raw.txt").read_text(encoding="utf-8") == \
        seed_path("002").read_text(encoding="utf-8")
    assert "已推断" in (tmp_path / "logs" / "extract.log").read_text(encoding="utf-8")


def test_extract_exits_non_zero_when_nothing_can_be_read(tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    result = _run("extract", str(bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "scan.pdf：" in result.stderr
