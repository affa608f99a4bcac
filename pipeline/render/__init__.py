"""Renderers: workbooks written from the tables (DataFrames) and the house style; they never parse documents.

`render_plan_workbook` (a district's 规划任务分解 workbook), `render_city_summary` (targets of every district
side by side) and `build_entry_forms` (blank monthly forms, one per lead unit) all open their workbooks through
`styles.new_workbook`, which sets the safe options and builds the formats of templates/workbook_style.yaml.
"""
from pipeline.render.city_summary import render_city_summary
from pipeline.render.entry_forms import build_entry_forms
from pipeline.render.plan_workbook import render_plan_workbook
from pipeline.render.styles import Formats, StyleSheet, new_workbook

__all__ = ["Formats", "StyleSheet", "build_entry_forms", "new_workbook", "render_city_summary",
           "render_plan_workbook"]
