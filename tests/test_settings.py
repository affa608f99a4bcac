"""Thresholds from inputs/config/status.yaml: loaded per section; a typo or a missing section is named."""
from __future__ import annotations

import pytest

from pipeline.evaluate.progress import PeriodBands
from pipeline.monitor.status import Bands
from pipeline.monitor.validate import ValidationRules
from pipeline.settings import SettingsError
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


@pytest.mark.parametrize("line, said", [
    ("  max_expanded_mb: 30 ", r"“forms”一节的“max_expanded_mb”应为数值，现为“30MB”"),
    ("  max_expanded_mb: 0 ", r"“forms”一节：“max_expanded_mb”为 0，须大于 0"),
])
def test_a_limit_that_is_no_number_or_not_above_zero_is_named_before_anything_runs(tmp_path, line, said):
    """files.yaml with max_expanded_mb '30MB' (would fail only when first compared, on the first form) or 0 (would
    refuse every form): refused when loaded, naming the file, section and setting."""
    from pipeline.zipguard import ZipLimits

    text = (CONFIG / "files.yaml").read_text(encoding="utf-8")
    assert "  max_expanded_mb: 30 " in text
    bad = tmp_path / "files.yaml"
    bad.write_text(text.replace("  max_expanded_mb: 30 ", "  max_expanded_mb: 30MB " if "应为" in said
                                else "  max_expanded_mb: 0 ", 1), encoding="utf-8")
    with pytest.raises(SettingsError, match=r"files\.yaml：" + said):
        ZipLimits.load(bad, "forms")
    with pytest.raises(SettingsError, match="设置文件不存在"):
        ZipLimits.load(tmp_path / "nofile.yaml", "forms")


def test_the_command_line_says_what_is_wrong_with_a_settings_file_without_a_traceback(plan_outputs, tmp_path, capsys):
    """`make monthly` with a files.yaml whose limit is 0: exit 2, one line naming the setting, nothing run."""
    import shutil

    from pipeline.cli import main

    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    text = (config / "files.yaml").read_text(encoding="utf-8")
    (config / "files.yaml").write_text(text.replace("  max_ratio: 500 ", "  max_ratio: 0 ", 1), encoding="utf-8")
    returns = tmp_path / "returns"
    returns.mkdir()
    shutil.copytree(plan_outputs / "tables", tmp_path / "outputs" / "tables")
    code = main(["monthly", "--period", "2025-06", "--config", str(config), "--returns", str(returns),
                 "--outputs", str(tmp_path / "outputs"), "--sample"])
    assert code == 2
    said = capsys.readouterr().err  # the command's own log handler writes to stderr
    assert "设置有误，本次未运行" in said and "files.yaml：“forms”一节：“max_ratio”为 0，须大于 0" in said
    assert "Traceback" not in said
    assert not list((tmp_path / "outputs").glob("store/*.sqlite"))  # no store opened, no month written
    assert not (tmp_path / "outputs" / "monitor").exists()
