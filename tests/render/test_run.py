"""The render stage's runner: blank forms for the plans in force, and a word when there is nothing to send."""
from __future__ import annotations

import logging
import shutil
from datetime import datetime

from pipeline.render.run import render_plan_outputs
from tests.monitor.conftest import catalog_of


def test_no_forms_for_a_month_no_plan_covers_is_said_not_silent(plan_outputs, tmp_path, caplog):
    shutil.copytree(plan_outputs / "tables", tmp_path / "tables")
    with caplog.at_level(logging.WARNING):
        written = render_plan_outputs(catalog_of(tmp_path), "2030-06", datetime(2026, 12, 7))
    assert written["forms"] == [] and len(written["workbooks"]) == 5  # the plan workbooks and the city summary
    assert any("填报表期间 2030-06 没有需要各单位填报的指标或项目" in r.getMessage() for r in caplog.records)


def test_the_default_month_stays_on_the_plans_in_force_after_a_later_document_without_duties(plan_outputs, tmp_path,
                                                                                            caplog):
    import pandas as pd

    shutil.copytree(plan_outputs / "tables", tmp_path / "tables")
    catalog = catalog_of(tmp_path)
    docs = catalog.load("documents")
    later = docs[docs.doc_id == "230108-wr-2020"].assign(doc_id="230108-wr-2026", period_start="2026",
                                                         period_end="2026", source_file="2026.txt")
    catalog.save("documents", pd.concat([docs, later], ignore_index=True))  # a 2026 report, nothing assigned yet
    with caplog.at_level(logging.INFO):
        written = render_plan_outputs(catalog, None, datetime(2026, 12, 7))
    assert {p.parent.name for p in written["forms"]} == {"2025-12"} and len(written["forms"]) > 30
