"""Plan-period status bands as the configuration file sets them (inputs/config/status.yaml, five_year)."""
from __future__ import annotations

import pytest
import yaml

from pipeline.evaluate.progress import PeriodBands, evaluate
from tests.conftest import CONFIG

# A level target of the 双城区 outline shape: baseline 0 in 2020, target 100 in 2024, judged in 2022 (τ = 0.5)
B, T0, T, T1, YEAR = 0.0, 2020, 100.0, 2024, 2022


def _status(ratio: float, bands: PeriodBands, binding: bool = False) -> str:
    """The status of an actual whose progress ratio R is `ratio` (P = R·τ)."""
    return evaluate("level", B, T0, T, T1, ratio * 0.5 * T, YEAR, bands, binding=binding).status


def _bands(shift: float, tmp_path) -> PeriodBands:
    config = yaml.safe_load((CONFIG / "status.yaml").read_text(encoding="utf-8"))
    for key in ("ahead", "normal", "warning", "binding_normal"):
        config["five_year"][key] = round(config["five_year"][key] + shift, 4)
    (tmp_path / "status.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return PeriodBands.load(tmp_path / "status.yaml")


@pytest.mark.parametrize("shift", [0.0, 0.05, -0.05])
def test_the_bands_follow_the_configuration_file(shift, tmp_path):
    """Just above and just below each edge of the file as loaded — and of the file with every edge moved."""
    bands = _bands(shift, tmp_path)
    for edge, above, below in ((bands.ahead, "超前", "正常"), (bands.normal, "正常", "预警"),
                               (bands.warning, "预警", "滞后")):
        assert (_status(edge + 0.001, bands), _status(edge - 0.001, bands)) == (above, below), edge
    assert _status(bands.binding_normal - 0.001, bands, binding=True) == "预警"
    assert _status(bands.binding_normal + 0.001, bands, binding=True) == "正常"
