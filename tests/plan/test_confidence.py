"""Item confidence rules (pipeline/plan/confidence.py; its doctests cover the levels)."""
from __future__ import annotations

import pytest


def test_a_review_yaml_without_a_level_is_refused_naming_it(tmp_path):
    """A review.yaml whose items.confidence lacks a level (here indicator_fragment) is refused by name on loading,
    not with a KeyError at the first item of that kind."""
    from pipeline.plan.confidence import ItemRules
    from tests.conftest import CONFIG

    text = (CONFIG / "review.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "review.yaml"
    broken.write_text("\n".join(line for line in text.splitlines() if "indicator_fragment:" not in line),
                      encoding="utf-8")
    with pytest.raises(ValueError, match="review.yaml.*indicator_fragment"):
        ItemRules.load(broken)
