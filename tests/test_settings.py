"""Thresholds from inputs/config/status.yaml: loaded per section; a typo or a missing section is named."""
from __future__ import annotations

import pytest

from pipeline.evaluate.progress import PeriodBands
from pipeline.monitor.status import Bands
from pipeline.monitor.validate import ValidationRules
from tests.conftest import CONFIG


def test_the_bundled_thresholds_load_into_each_section():
    assert Bands.load(CONFIG / "status.yaml").lag_after_warning_months == 2
    assert ValidationRules.load(CONFIG / "status.yaml").scale_factor == 10000
    assert PeriodBands.load(CONFIG / "status.yaml").normal == 0.95


def test_a_misspelt_setting_or_a_missing_section_names_the_file_and_section(tmp_path):
    text = (CONFIG / "status.yaml").read_text(encoding="utf-8")
    typo = tmp_path / "status.yaml"
    typo.write_text(text.replace("scale_factor:", "scale_factr:"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"status\.yaml：“validation”一节中有未知的设置 scale_factr；可用的设置："):
        ValidationRules.load(typo)
    missing = tmp_path / "empty.yaml"
    missing.write_text("monthly:\n  ahead: 0.1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"empty\.yaml：缺少“five_year”一节"):
        PeriodBands.load(missing)
