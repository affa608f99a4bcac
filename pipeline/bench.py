"""`make bench`: speed figures on this machine (medians over repeated runs), printed, never pass/fail.

Measures: the whole `make` cycle once installed; extraction throughput end to end and per stage over the
seed documents repeated to about BENCH_MB megabytes; reading returned forms with the project's reader
against openpyxl (normal mode); the plan workbooks against plain xlsxwriter writing the same workbooks;
seconds per evaluation report; the monthly run month by month at city, province and national scale with
peak memory (BENCH_SCALES picks which; national takes several minutes). Targets are in issue #9; this
prints what is measured.
"""
from __future__ import annotations

import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pandas as pd
import xlsxwriter
from openpyxl import load_workbook

from pipeline import schema
from pipeline.catalog import DataCatalog
from pipeline.config import Config
from pipeline.extract.places import Gazetteer
from pipeline.extract.projects import extract_box_projects, extract_text_projects, listed_projects
from pipeline.extract.prose import extract_prose_quantities
from pipeline.extract.table import extract_table_indicators
from pipeline.forms import layout
from pipeline.periods import covers
from pipeline.periods import month as month_of
from pipeline.plan.documents import infer_metadata, load_manifest
from pipeline.plan.run import extract_documents, plan_files
from pipeline.text.normalise import normalise
from pipeline.text.outline import outline, section_finder
from pipeline.text.read import read_document
from pipeline.zipguard import ZipLimits


def _median_time(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _paired_medians(first, second, repeats: int) -> tuple[float, float]:
    """Median seconds of two runs timed in turn (first, second, first, …), so a ratio of the two is not
    skewed by the machine getting busier or quieter between them."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for run, spent in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            run()
            spent.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def corpus(plans: Path, folder: Path, megabytes: float) -> tuple[list[Path], pd.DataFrame]:
    """The seed documents copied under new names until they hold about `megabytes` of text, and their manifest:
    each copy listed as documents.csv lists its seed, under an id of its own (as an office lists its documents;
    copies of one text would otherwise all claim one inferred id). Seeds the manifest does not list stay unlisted."""
    seeds = plan_files(plans)
    listed = load_manifest(plans / "documents.csv").set_index("source_file", drop=False)
    files, rows, size, k = [], [], 0, 0
    while size < megabytes * 1024 * 1024:
        for seed in seeds:
            target = folder / f"{k:03d}_{seed.name}"
            target.write_bytes(seed.read_bytes())
            files.append(target)
            if seed.name in listed.index:
                row = listed.loc[seed.name].to_dict()
                rows.append(dict(row, doc_id=f"{row['doc_id']}-{k:03d}", source_file=target.name))
            size += target.stat().st_size
        k += 1
    return files, pd.DataFrame(rows, columns=listed.columns)


def bench_cycle(root: Path, repeats: int) -> list[str]:
    """Seconds of the whole `make` cycle on the bundled inputs once installed (编制, 调整, 实施 on SAMPLE
    returns, 评估), each run into a fresh outputs folder so nothing is reused."""
    def cycle() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["make", "--no-print-directory", "all", f"OUT={tmp}"], cwd=root, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    return [f"完整 make 周期（已安装；make all，输出到新的临时目录）：{_median_time(cycle, repeats):.1f} s"]


def bench_extraction(plans: Path, config: Config, megabytes: float, repeats: int) -> list[str]:
    """Throughput end to end (the copies listed in a manifest) and per stage (read, normalise, metadata inferred
    as for an unlisted file, outline, indicators, projects)."""
    with tempfile.TemporaryDirectory() as tmp:
        files, manifest = corpus(plans, Path(tmp), megabytes)
        size = sum(f.stat().st_size for f in files)
        chars = sum(len(f.read_text(encoding="utf-8")) for f in files)
        end_to_end = _median_time(lambda: extract_documents(files, manifest, config), repeats)
        stages: dict[str, list[float]] = defaultdict(list)
        for _ in range(repeats):
            spent: dict[str, float] = defaultdict(float)
            for path in files:
                t = time.perf_counter()
                raw = read_document(path)
                spent["read"] += time.perf_counter() - t
                t = time.perf_counter()
                doc = normalise(raw.lines, config.text_rules)
                spent["normalise"] += time.perf_counter() - t
                t = time.perf_counter()
                infer_metadata(raw, doc, config.districts, config.doc_types, config.divisions)
                spent["metadata"] += time.perf_counter() - t
                t = time.perf_counter()
                row = {"doc_id": path.stem, "district_code": "230113", "period_start": "2021", "period_end": "2025",
                       "doc_type": "five_year_plan"}
                sections = outline(doc, row["doc_id"])
                find = section_finder(sections)
                spent["outline"] += time.perf_counter() - t
                t = time.perf_counter()
                extract_table_indicators(doc, row, find, config.extract_rules)
                extract_prose_quantities(doc, sections, row, find, config.extract_rules)
                spent["indicators"] += time.perf_counter() - t
                t = time.perf_counter()
                gazetteer = Gazetteer.of(config.places, "230113")
                extract_box_projects(doc, sections, row, gazetteer)
                extract_text_projects(doc, sections, row, gazetteer, find, set(), listed_projects(doc))
                spent["projects"] += time.perf_counter() - t
            for stage, seconds in spent.items():
                stages[stage].append(seconds)
    lines = [f"抽取（端到端）：{len(files)} 个文件，{size / 1e6:.1f} MB（{chars / 1e6:.2f} M 字符），"
             f"{end_to_end:.2f} s → {size / 1e6 / end_to_end:.2f} MB/s，{chars / end_to_end:,.0f} 字符/s"]
    for stage in ("read", "normalise", "metadata", "outline", "indicators", "projects"):
        seconds = statistics.median(stages[stage])
        lines.append(f"  分阶段 {stage:<10} {seconds:6.2f} s → {chars / seconds:>12,.0f} 字符/s")
    return lines


def bench_reader(folder: Path, repeats: int) -> list[str]:
    """Rows per second reading one month's returned forms (as the units sent them, some holding formulas):
    the project's reader against openpyxl's normal mode on the same files."""
    from pipeline.monitor.collect import FileRefused, read_return

    forms, rows, with_formulas = [], 0, 0
    for path in sorted(folder.glob("*.xlsx")):
        try:
            form = read_return(path, 100)
        except FileRefused:
            continue
        forms.append(path)
        rows += len(form.rows)
        with_formulas += any(cell.formula for row in form.rows for cell in row.cells.values())

    def ours() -> None:
        for path in forms:
            read_return(path, 100)

    def plain() -> None:
        for path in forms:
            for _ in load_workbook(path)[layout.SHEET].iter_rows(values_only=True):
                pass

    mine, theirs = _paired_medians(ours, plain, repeats)
    return [f"读取填报表：{folder.name} 的 {len(forms)} 份（{with_formulas} 份含公式），{rows} 行；"
            f"本项目 {rows / mine:,.0f} 行/s，openpyxl 普通模式 {rows / theirs:,.0f} 行/s，比值 {theirs / mine:.2f}"]


def bench_writer(outputs: Path, templates: Path, repeats: int) -> list[str]:
    """Cells per second of the formatted plan workbooks against plain xlsxwriter writing the same workbooks
    as read back from ours: every cell with a value or a format, the merged ranges, comments and row
    heights, with the same fonts, fills, borders, alignment and number formats."""
    from pipeline.render.run import PLAN_TABLES, write_plan_workbooks
    from pipeline.render.styles import StyleSheet

    catalog = DataCatalog(outputs=outputs, templates=templates)
    tables = {n: catalog.load(n) for n in PLAN_TABLES}
    styles = StyleSheet.load(catalog.path("workbook_style"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_plan_workbooks(out / "workbooks", tables, styles, datetime(2026, 1, 1))
        books = [_workbook_content(path) for path in sorted((out / "workbooks").glob("*.xlsx"))]
        cells = sum(len(sheet["cells"]) + len(sheet["merges"]) for book in books for sheet in book[1])
        ours, theirs = _paired_medians(
            lambda: write_plan_workbooks(out / "workbooks", tables, styles, datetime(2026, 1, 1)),
            lambda: [_write_plain(out / f"plain_{name}", sheets) for name, sheets in books], repeats)
    return [f"写工作簿：{cells:,} 个单元格（含有格式的空格、合并区域），本项目 {cells / ours:,.0f} 格/s，"
            f"纯 xlsxwriter {cells / theirs:,.0f} 格/s，比值 {theirs / ours:.2f}"]


def _workbook_content(path: Path) -> tuple[str, list[dict]]:
    """What a written workbook holds, read back with openpyxl, as plain values for `_write_plain`."""
    def style(c) -> tuple:
        side = c.border.left.style or c.border.top.style
        fill = c.fill.fgColor.rgb if c.fill.fill_type == "solid" and isinstance(c.fill.fgColor.rgb, str) else None
        color = c.font.color.rgb if c.font.color is not None and isinstance(c.font.color.rgb, str) else None
        return (c.number_format, c.font.name, bool(c.font.b), c.font.sz, color, fill, bool(side),
                c.alignment.horizontal, c.alignment.vertical, bool(c.alignment.wrap_text))

    sheets = []
    for ws in load_workbook(path).worksheets:
        merged = {(r, col) for m in ws.merged_cells.ranges for r in range(m.min_row, m.max_row + 1)
                  for col in range(m.min_col, m.max_col + 1)}
        sheets.append({
            "name": ws.title,
            "cells": [(c.row - 1, c.column - 1, c.value, style(c)) for row in ws.iter_rows() for c in row
                      if (c.row, c.column) not in merged and (c.value is not None or c.has_style)],
            "merges": [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1, ws.cell(m.min_row, m.min_col).value,
                        style(ws.cell(m.min_row, m.min_col))) for m in ws.merged_cells.ranges],
            "comments": [(c.row - 1, c.column - 1, c.comment.text) for row in ws.iter_rows() for c in row if c.comment],
            "heights": [(r - 1, d.height) for r, d in ws.row_dimensions.items() if d.height]})
    return path.name, sheets


def _write_plain(path: Path, sheets: list[dict]) -> None:
    """The same content written straight with xlsxwriter: no tables, no layout decisions."""
    wb = xlsxwriter.Workbook(path)
    formats: dict[tuple, object] = {}

    def fmt(key: tuple):
        if key not in formats:
            number_format, font, bold, size, color, fill, border, horizontal, vertical, wrap = key
            formats[key] = wb.add_format({k: v for k, v in {
                "num_format": number_format, "font_name": font, "bold": bold, "font_size": size or 11,
                "font_color": f"#{color[-6:]}" if color else None, "bg_color": f"#{fill[-6:]}" if fill else None,
                "border": 1 if border else 0, "align": horizontal,
                "valign": {"center": "vcenter"}.get(vertical, vertical), "text_wrap": wrap}.items() if v is not None})
        return formats[key]

    for sheet in sheets:
        ws = wb.add_worksheet(sheet["name"])
        for r, col, value, key in sheet["cells"]:
            if value is None:
                ws.write_blank(r, col, None, fmt(key))
            elif isinstance(value, int | float):
                ws.write_number(r, col, value, fmt(key))
            else:
                ws.write_string(r, col, str(value), fmt(key))
        for first_row, first_col, last_row, last_col, value, key in sheet["merges"]:
            ws.merge_range(first_row, first_col, last_row, last_col, "" if value is None else str(value), fmt(key))
        for r, col, text in sheet["comments"]:
            ws.write_comment(r, col, text)
        for r, height in sheet["heights"]:
            ws.set_row(r, height)
    wb.close()


def bench_report(outputs: Path, config_dir: Path, templates: Path, repeats: int) -> list[str]:
    """Seconds per evaluation report (Word, HTML and Markdown, with charts) for 双城区, 2025."""
    from pipeline.evaluate.context import build_context
    from pipeline.evaluate.progress import PeriodBands
    from pipeline.render.report import render_reports
    from pipeline.statuses import Statuses

    statuses = Statuses.load(templates / "workbook_style.yaml")
    catalog = DataCatalog(outputs=outputs)
    tables = {n: catalog.load(n) for n in ("documents", "indicators", "achievements", "projects", "tasks",
                                           "responsibilities")}
    store = pd.DataFrame(columns=["item_id", "period", "cumulative_to_date", "source_file", "cell", "progress"])
    context, _ = build_context(tables, store, "230113", "双城区", 2025, "final",
                               PeriodBands.load(config_dir / "status.yaml"), statuses, datetime(2026, 1, 1))
    with tempfile.TemporaryDirectory() as tmp:
        seconds = _median_time(lambda: render_reports(dict(context), templates, Path(tmp), "bench", statuses), repeats)
    return [f"评估报告：{len(context['indicators'])} 项指标，每份（.docx+.html+.md 含图表）{seconds:.2f} s"]


def run_bench(inputs: Path, outputs: Path, templates: Path) -> int:
    """Print every figure; needs the plan tables (make plan) and a SAMPLE form (make samples)."""
    logging.disable(logging.WARNING)
    megabytes = float(os.environ.get("BENCH_MB", "10"))
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    config = Config.load(inputs / "config")
    print(f"机器：{platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}；"
          f"每项取 {repeats} 次的中位数")
    for line in bench_cycle(inputs.resolve().parent, repeats):
        print(line)
    for line in bench_extraction(inputs / "plans", config, megabytes, repeats):
        print(line)
    months = sorted(p for p in (outputs / "samples" / "monthly").glob("*") if p.is_dir())
    for month in months:
        for line in bench_reader(month, repeats):
            print(line)
    for line in bench_writer(outputs, templates, repeats):
        print(line)
    print(bench_form_at_limit(inputs / "config"))
    for line in bench_report(outputs, inputs / "config", templates, repeats):
        print(line)
    for name in os.environ.get("BENCH_SCALES", "city province national").split():
        for line in bench_monthly_scale(name, inputs, outputs, templates):
            print(line)
    return 0


FORM_AT_LIMIT = """
import resource, sys
from pathlib import Path
from pipeline.monitor.collect import read_return
rows = len(read_return(Path(sys.argv[1]), 1e6).rows)
print(rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def bench_form_at_limit(config_dir: Path) -> str:
    """Peak memory of reading the largest form the limits let through (inputs/config/files.yaml, forms: its
    parts expand to just under max_expanded_mb), in a process of its own: what one file may cost a run."""
    limits = ZipLimits.load(config_dir / "files.yaml", "forms")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "form.xlsx"
        rows = int(limits.max_expanded_mb * 2800)  # about 340 bytes of sheet XML per row
        while True:
            _wide_form(path, rows)
            with zipfile.ZipFile(path) as archive:
                expanded = sum(part.file_size for part in archive.infolist()) / (1 << 20)
            if expanded <= limits.max_expanded_mb:
                break
            rows = int(rows * 0.9 * limits.max_expanded_mb / expanded)
        done = subprocess.run([sys.executable, "-c", FORM_AT_LIMIT, str(path)], capture_output=True, text=True,
                              check=True, cwd=Path(__file__).resolve().parents[1])
        read, peak = done.stdout.split()
    return (f"上限内最大的填报表：解压后 {expanded:.0f} MB（上限 {limits.max_expanded_mb:g} MB），{int(read):,} 行，"
            f"读取峰值内存 {float(peak):,.0f} MB（单独进程，含 Python 本身）")


def _wide_form(path: Path, rows: int) -> None:
    """A form of `rows` filled rows (every value cell and some text), written row by row."""
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet(layout.SHEET)
    for r in range(layout.FIRST_ROW, layout.FIRST_ROW + rows):
        ws.write_string(r, layout.NAME_COL, f"指标{r}")
        ws.write_number(r, layout.MONTH_COL, r * 1.5)
        ws.write_number(r, layout.TO_DATE_COL, r * 3.5)
        ws.write_string(r, layout.ISSUES_COL, "存在问题的文字说明" * 3)
        ws.write_string(r, layout.KEY_COL, f"ind-{r:010d}")
    meta = wb.add_worksheet(layout.META_SHEET)
    for r, (label, value) in enumerate(layout.meta_lines({"template_version": "bench", "period": "2025-06",
                                                           "district_code": "900000", "lead_unit": "单位"})):
        meta.write_string(r, layout.META_LABEL_COL, label)
        meta.write_string(r, layout.META_VALUE_COL, value)
    wb.close()


SCALES = {  # name: (districts, units per district, indicators per unit, projects, months run)
    "province": (13, 10, 40, 3000, range(1, 13)),
    "national": (285, 10, 40, 3000, range(11, 13)),
}
CITY_MONTHS = range(1, 13)
IDS = ("doc_id", "indicator_id", "project_id", "item_id")  # made unique per district in a copied plan


def city_plan(source: Path, outputs: Path, districts: pd.DataFrame, year: int) -> str:
    """Plan tables for the city's districts made from the real plan tables of `make plan`: each district
    takes the tables of a district whose five-year plan is in force in `year` (its own when it has one),
    under its own code and ids; returns what was copied from where."""
    tables = {n: schema.read_table(n, source / f"{n}.csv") for n in ("documents", "indicators", "projects",
                                                                      "responsibilities")}
    docs = tables["documents"]
    in_force = docs[(docs.doc_type == "five_year_plan") & covers(docs, year)]
    donors = sorted(set(in_force.district_code))
    plan: dict[str, list[pd.DataFrame]] = {name: [] for name in tables}
    copied = []
    for k, (code, name) in enumerate(zip(districts.district_code, districts.district, strict=True)):
        donor = code if code in donors else donors[k % len(donors)]
        keep = set(in_force.doc_id[in_force.district_code == donor])
        for table, frame in tables.items():
            rows = frame[frame.district_code == donor]
            rows = rows[rows.doc_id.isin(keep)] if "doc_id" in rows else rows
            rows = rows.assign(district_code=code, **{column: f"{code}-" + rows[column] for column in IDS
                                                      if column in rows})
            plan[table].append(rows.assign(district=name) if table == "documents" else rows)
        copied.append(f"{name}←{dict(zip(districts.district_code, districts.district, strict=True))[donor]}")
    for table, frames in plan.items():
        DataCatalog(outputs=outputs).save(table, pd.concat(frames, ignore_index=True))
    return "、".join(copied)


def synthetic_plan(outputs: Path, districts: int, units: int, indicators: int, projects: int) -> None:
    """Plan tables for a generated province: `districts` × `units` reporting units, each leading
    `indicators` indicators, and `projects` projects spread over the units (all clearly synthetic)."""
    docs, inds, prjs, duty = [], [], [], []
    unit_names = [f"单位{u:02d}" for u in range(units)]
    for d in range(districts):
        code = f"9{d:05d}"
        docs.append(dict.fromkeys(schema.columns("documents"), "") | {
            "doc_id": f"{code}-fyp-2021", "district_code": code, "district": f"测试县{d:03d}",
            "doc_type": "five_year_plan", "title": f"测试县{d:03d}规划（基准测试生成）", "period_start": "2021",
            "period_end": "2025", "source_file": "generated", "sha256": "0" * 64, "format": "txt",
            "metadata_source": "inferred"})
        for u, unit in enumerate(unit_names):
            for i in range(indicators):
                iid = f"ind-{d:03d}{u:02d}{i:03d}"
                inds.append(dict.fromkeys(schema.columns("indicators"), "") | {
                    "indicator_id": iid, "doc_id": f"{code}-fyp-2021", "district_code": code,
                    "name": f"生成指标{u:02d}-{i:03d}", "unit": "亿元" if i % 3 else "%",
                    "target_value": 10 + i, "target_text": str(10 + i), "kind": "level", "source": "table",
                    "cumulative": "0", "line": 1, "quote": "生成", "indicator_key": f"{code}:{iid}",
                    "measure_type": "flow" if i % 3 else "rate", "frequency": "monthly",  # asked every month
                    "aggregation": "sum" if i % 3 else "none", "measure_source": "inferred", "statements": 1,
                    "confidence": 1.0, "confidence_reason": "基准测试生成"})
                duty.append(_duty("indicator", iid, code, unit))
    for p in range(projects):
        d, u = p % districts, (p // districts) % units
        code, pid = f"9{d:05d}", f"prj-{p:06d}"
        prjs.append(dict.fromkeys(schema.columns("projects"), "") | {
            "project_id": pid, "doc_id": f"{code}-fyp-2021", "district_code": code, "name": f"生成项目{p:05d}",
            "investment_yi": 1 + p % 7, "line": 1, "quote": "生成", "confidence": 1.0,
            "confidence_reason": "基准测试生成"})
        duty.append(_duty("project", pid, code, unit_names[u]))
    catalog = DataCatalog(outputs=outputs)
    for name, rows in (("documents", docs), ("indicators", inds), ("projects", prjs), ("responsibilities", duty)):
        catalog.save(name, pd.DataFrame(rows, columns=schema.columns(name)))


def _duty(item_type: str, item_id: str, code: str, unit: str) -> dict:
    """A generated item's lead unit, as if its own words had named it."""
    return {"item_type": item_type, "item_id": item_id, "district_code": code, "lead_unit": unit, "co_units": "",
            "area": "", "rule_id": "K01", "basis": "own_words", "confidence": 0.85, "proposed_unit": unit,
            "reason": "基准测试生成"}


def synthetic_returns(outputs: Path, folder: Path, period: str, template_version: str) -> int:
    """Filled returns for every unit of the generated plan (the form's layout, values from the target)."""
    from pipeline.monitor.items import unit_items

    catalog = DataCatalog(outputs=outputs)
    tables = {n: catalog.load(n) for n in ("documents", "indicators", "projects", "responsibilities")}
    items = unit_items(tables, period)
    month = month_of(period).month
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for (code, unit), rows in items.groupby(["district_code", "lead_unit"]):
        wb = xlsxwriter.Workbook(folder / f"{code}_{unit}.xlsx")
        ws = wb.add_worksheet(layout.SHEET)
        for r, item in enumerate(rows.itertuples(), start=layout.FIRST_ROW):
            ws.write_string(r, layout.NAME_COL, item.name)
            planned = item.total_investment if item.total_investment == item.total_investment else 5.0  # a project
            target = item.annual_target if item.annual_target == item.annual_target else planned
            ws.write_number(r, layout.TO_DATE_COL, round(target * (0.9 if item.unit == "%" else month / 12), 2))
            ws.write_string(r, layout.KEY_COL, item.item_id)
        meta = wb.add_worksheet(layout.META_SHEET)
        lines = layout.meta_lines({"template_version": template_version, "period": period, "district_code": code,
                                   "lead_unit": unit})
        for r, (label, value) in enumerate(lines):
            meta.write_string(r, layout.META_LABEL_COL, label)
            meta.write_string(r, layout.META_VALUE_COL, value)
        wb.close()
        count += 1
    return count


def _monthly_scale_worker(name: str, inputs: str, outputs: str, templates: str, queue) -> None:
    """Build the plan of a scale, then run its months one after another, each on the returns of every
    unit (run in a fresh process so the peak memory is this run's own)."""
    import resource

    from pipeline.cycle import run_monthly
    from pipeline.monitor.run import MonthlySettings
    from pipeline.render.styles import StyleSheet

    logging.disable(logging.WARNING)
    version = StyleSheet.load(Path(templates) / "workbook_style.yaml").form_template_version
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        if name == "city":
            districts = pd.read_csv(Path(inputs) / "config" / "districts.csv", dtype=str, keep_default_na=False)
            copied = city_plan(Path(outputs) / "tables", out, districts, 2025)
            months = CITY_MONTHS
            about = f"city：{len(districts)} 区，真实规划表（{copied}）"
        else:
            districts_n, units, indicators, projects, months = SCALES[name]
            synthetic_plan(out, districts_n, units, indicators, projects)
            about = f"{name}：{districts_n} 区 × {units} 单位 × {indicators} 指标，{projects} 个项目（生成）"
        seconds, forms = [], 0
        for month in months:
            period = f"2025-{month:02d}"
            forms = synthetic_returns(out, out / "returns" / period, period, version)
            settings = MonthlySettings(period, DataCatalog(Path(inputs), out, Path(templates)),
                                       out / "returns" / period)
            start = time.perf_counter()
            run_monthly(settings, datetime(2026, 1, 20))
            seconds.append(time.perf_counter() - start)
        last = out / "monitor" / period
        outcome = (len(pd.read_csv(last / "status.csv")), len(pd.read_csv(last / "rejections.csv")))
    queue.put((about, forms, outcome, list(months), seconds,
               resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def bench_monthly_scale(name: str, inputs: Path, outputs: Path, templates: Path) -> list[str]:
    """Wall time of each month's run (collect, validate, store, status, workbooks) and peak memory."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    worker = ctx.Process(target=_monthly_scale_worker, args=(name, str(inputs), str(outputs), str(templates),
                                                             queue))
    worker.start()
    about, forms, (items, rejected), months, seconds, peak_mb = queue.get()
    worker.join()
    return [f"月度运行（{about}；每月 {forms} 份填报表、{items:,} 项，末月退回 {rejected} 处；"
            f"依次运行 {months[0]}–{months[-1]} 月）："
            f"第 {months[-1]} 月 {seconds[-1]:.1f} s，各月中位数 {statistics.median(seconds):.1f} s，"
            f"最慢 {max(seconds):.1f} s；峰值内存 {peak_mb:,.0f} MB"]
