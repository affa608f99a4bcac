"""The evaluation workbook read back: one row per indicator, 无数据 kept, gaps listed, house print setup."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
from openpyxl import load_workbook

from pipeline.evaluate.context import build_context
from pipeline.evaluate.progress import PeriodBands
from pipeline.render.evaluation_workbook import render_evaluation_workbook
from pipeline.render.styles import StyleSheet
from pipeline.statuses import Statuses
from tests.conftest import CONFIG, ROOT, tables_of


def test_evaluation_workbook_of_pingfang(seeds, tmp_path):
    tables = tables_of(seeds)
    store = pd.DataFrame(columns=["item_id", "period", "cumulative_to_date", "source_file", "cell", "progress"])
    context, rows = build_context(tables, store, "230108", "平房区", 2019, "final",
                                  PeriodBands.load(CONFIG / "status.yaml"),
                                  Statuses.load(ROOT / "templates" / "workbook_style.yaml"), datetime(2026, 1, 5))
    path = render_evaluation_workbook(tmp_path / "e.xlsx", context, StyleSheet.load(ROOT / "templates" /
                                                                                   "workbook_style.yaml"))
    wb = load_workbook(path)
    assert wb.sheetnames == ["主要指标评估", "其他量化目标", "数据缺口", "说明"]
    ws = wb["主要指标评估"]
    assert ws["A1"].value == "平房区2019年规划总结评估·主要指标" and ws["A1"].font.name == "黑体"
    # 平房区's review prints no indicator table: 表1 holds the catalogue indicators of its text, the rest go by chapter
    main, annex = rows[rows.listed_in == "main"], rows[rows.listed_in == "annex"]
    assert len(main) and len(annex) and len(main) + len(annex) == len(rows)
    body = [[c.value for c in r] for r in ws.iter_rows(min_row=4, max_row=3 + len(main))]
    assert [r[1] or "" for r in body] == list(main.name) and ws.max_row == 3 + len(main)
    other = wb["其他量化目标"]
    assert [r[2].value for r in other.iter_rows(min_row=4)] == list(annex.name)
    assert {r.chapter for r in annex.itertuples()} == {other.cell(r, 1).value for r in range(4, other.max_row + 1)
                                                      if other.cell(r, 1).value}
    statuses = {r[1]: (r[6], r[10]) for r in body}
    assert statuses["城镇登记失业率"] == (1.5, "正常")
    assert sum(1 for r in body if r[6] == "无数据") == (main.status == "无数据").sum()
    assert wb["数据缺口"].max_row == 3 + len(context["gaps"])
    assert ws.page_setup.paperSize == 9 and ws.print_title_rows == "$1:$3"
    # 说明 explains each noted column of the sheet in the words of the table contract (tables.yml)
    from pipeline.schema import column_notes

    headers = {c.value for c in ws[3]}
    about = {r[0].value: r[1].value for r in wb["说明"].iter_rows(min_row=2) if r[0].value}
    notes = column_notes("evaluations")
    assert len(notes) >= 6 and all(label in headers for label, _ in notes)
    assert all(about[f"“{label}”列"] == note for label, note in notes)
