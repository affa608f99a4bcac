"""SAMPLE monthly returns for demonstrations and tests: the blank forms filled with plausible values.

Stage: 实施 (demo data). Input: the plan tables and the blank-form renderer. Output: for each month,
<out>/<period>/<code>_<unit>_SAMPLE.xlsx — values drawn from each indicator's target with a fixed random
seed, so the same call gives the same files — and, in the last month, a handful of the typical errors a
clerk makes, listed in <out>/<period>_SAMPLE_planted_errors.csv. Every file and title says SAMPLE: these
are not real figures.
"""
from __future__ import annotations

import hashlib
import random
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from pipeline.catalog import DataCatalog
from pipeline.forms.layout import (
    ATTAINMENT_COL,
    FIRST_ROW,
    KEY_COL,
    META_SHEET,
    MONTH_COL,
    NAME_COL,
    PROGRESS_COL,
    REMARK_COL,
    SHEET,
    TARGET_COL,
    TO_DATE_COL,
    UNIT_COL,
    adds_up,
    column_letter,
    meta_cell,
)
from pipeline.monitor.status import RATE_UNITS
from pipeline.numbers import as_number
from pipeline.periods import asked, in_force
from pipeline.periods import month as month_of
from pipeline.render.entry_forms import build_entry_forms
from pipeline.render.styles import StyleSheet
from pipeline.tables import indicator_names, write_csv
from pipeline.units import Units

PLANTED_COLUMNS = ["source_file", "cell", "rule", "what"]


def _rng(*parts: object) -> random.Random:
    """A random generator seeded from content, so the samples are the same on every machine."""
    return random.Random(int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12], 16))


def sample_value(item_id: str, target: float | None, unit: str, month: int, measure: str = "flow") -> float:
    """The value a unit would report after `month`, by the indicator's measure type: a flow's (or a plan total's)
    running total, a share of the annual target growing month by month; a stock's level, near its target whatever
    the month; a rate's or growth rate's value to date, near the target.

    >>> sample_value("x", 12.0, "亿元", 6) == sample_value("x", 12.0, "亿元", 6)
    True
    >>> 0 < sample_value("x", 12.0, "亿元", 3) < sample_value("x", 12.0, "亿元", 6)
    True
    >>> sample_value("x", 23.3, "万公顷", 3, "stock") == sample_value("x", 23.3, "万公顷", 9, "stock")
    True
    """
    pace = 0.75 + 0.45 * _rng(item_id).random()  # how fast this item runs against its target, fixed over months
    base = target if target and target > 0 else 10.0
    if measure == "stock":
        return round(base * (0.9 + 0.12 * pace), 2)
    if unit in RATE_UNITS or measure in ("rate", "growth"):
        value = round(base * (0.8 + 0.3 * pace) + 0.1 * _rng(item_id, month).random(), 2)
        return min(value, 100.0) if unit == "%" and base <= 100 else value  # a share cannot pass 100%
    return round(base * pace * month / 12, 2)


def generate_samples(catalog: DataCatalog, year: int, months: list[int], out_dir: Path | None = None,
                     plant: bool = True) -> list[Path]:
    """Write SAMPLE returns for each month into <out_dir>/<period>/ (default: the catalogue's sample_returns;
    cleared first), the typical errors planted in the last month unless not `plant`; return the files."""
    tables = {n: catalog.load(n) for n in ("documents", "indicators", "projects", "responsibilities")}
    styles = StyleSheet.load(catalog.path("workbook_style"))
    units = Units.load(catalog.config("units.yaml"))
    out_dir = out_dir or catalog.path("sample_returns")
    targets = _targets(tables, units)
    current = in_force(tables["documents"], year)
    written: list[Path] = []
    for month in months:
        period = f"{year}-{month:02d}"
        folder = out_dir / period
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        with tempfile.TemporaryDirectory() as tmp:
            blanks = []
            ind = asked(tables["documents"], tables["indicators"], period)
            prj = tables["projects"][tables["projects"].doc_id.isin(current)]
            for code in sorted(set(tables["documents"].district_code[tables["documents"].doc_id.isin(current)])):
                district = tables["documents"].loc[tables["documents"].district_code == code, "district"].iloc[0]
                blanks += build_entry_forms(Path(tmp), period, code, district, ind, prj,
                                            tables["responsibilities"],
                                            styles, styles.form_template_version, units)
            for blank in blanks:
                written.append(_fill(blank, folder / blank.name.replace(".xlsx", "_SAMPLE.xlsx"), targets, month))
        if plant and month == months[-1]:
            ind = tables["indicators"]
            monthly_totals = set(ind.indicator_id[(ind.measure_type == "flow") & (ind.frequency == "monthly")])
            written += plant_errors(folder, period, monthly_totals)
    return written


def _targets(tables: dict[str, pd.DataFrame], units: Units) -> dict[str, tuple[float | None, str, bool, str]]:
    """item_id → (annual target, unit, counted in whole numbers, measure type) for indicators and projects."""
    ind = tables["indicators"]
    names = indicator_names(ind)
    out = {i: (pd.to_numeric(v, errors="coerce"), u, units.is_whole_number(u, n, as_number(v)), m)
           for i, v, u, n, m in zip(ind.indicator_id, ind.target_value, ind.unit, names, ind.measure_type, strict=True)}
    prj = tables["projects"]
    out.update({i: (pd.to_numeric(v, errors="coerce"), "亿元", False, "flow")
                for i, v in zip(prj.project_id, prj.investment_yi, strict=True)})
    return out


def _fill(blank: Path, target_path: Path, targets: dict, month: int) -> Path:
    """Fill one blank form's value cells; mark the workbook as SAMPLE."""
    wb = load_workbook(blank)
    ws = wb[SHEET]
    ws.cell(1, 1).value = f"{ws.cell(1, 1).value}（样例数据 SAMPLE）"
    for r in range(FIRST_ROW + 1, ws.max_row + 1):
        key = ws.cell(r, KEY_COL + 1).value
        if not key:
            continue
        target, unit, whole, measure = targets.get(key, (None, "", False, "flow"))
        target = None if target is None or pd.isna(target) else float(target)
        if target is None and str(key).startswith("ind-"):  # a target in words: the unit judges attainment
            ws.cell(r, ATTAINMENT_COL + 1).value = "已达标" if _rng(key).random() > 0.3 else "未达标"
            continue
        to_date = sample_value(key, target, unit, month, measure)
        total = adds_up(measure) and unit not in RATE_UNITS  # else 本月 is the level itself
        before = sample_value(key, target, unit, month - 1, measure) if month > 1 and total else 0.0
        if whole:  # a count (个, 户 …) is reported in whole numbers, as the form asks
            to_date, before = float(round(to_date)), float(round(before))
        ws.cell(r, TO_DATE_COL + 1).value = to_date
        if total:  # a level's row asks only the figure to date; its 本月 cell is locked
            ws.cell(r, MONTH_COL + 1).value = round(to_date - before, 2)
        if str(key).startswith("prj-"):
            stages = ("前期工作", "在建", "在建", "主体完工")
            ws.cell(r, PROGRESS_COL + 1).value = stages[min(month // 4, 3)]
    wb.properties.title = "样例数据 SAMPLE"
    wb.properties.lastModifiedBy = f"样例填报人（{blank.stem.split('_', 1)[-1]}）"
    wb.save(target_path)
    return target_path


PLANTED_CELLS = 6  # cells with an error each, in rows that ask a figure against a target in figures


def plant_errors(folder: Path, period: str, monthly_totals: set[str]) -> list[Path]:
    """Plant the typical errors into this month's SAMPLE returns and list them (file, cell, rule); `monthly_totals`
    are the indicators reported every month as a running total (a fall against last month's is an error only
    there), planted first, in the forms that have most of them (the next forms when one has too few rows)."""
    counts = {p: _rows_in(p, monthly_totals) for p in folder.glob("*_SAMPLE.xlsx")}
    files = sorted(counts, key=lambda p: (-counts[p][0], -counts[p][1], p.name))
    planted: list[dict] = []
    extra: list[Path] = []
    first = files[0]
    books, slots = {}, []
    for path in files:
        books[path] = load_workbook(path)
        ws = books[path][SHEET]
        keyed = [r for r in range(FIRST_ROW + 1, ws.max_row + 1) if ws.cell(r, KEY_COL + 1).value]
        if path == first:
            last = keyed.pop()  # the row deleted below: under every planted cell, so their addresses hold
        # rows with a figure for a target (a text target's row asks 达标情况 instead); running totals first: a
        # fallen cumulative or a 万元 slip shows on amounts that add up, not on levels or rates
        rows = sorted((r for r in keyed if _figure_target(ws.cell(r, TARGET_COL + 1).value)
                       and str(ws.cell(r, KEY_COL + 1).value).startswith("ind-")),
                      key=lambda r: (ws.cell(r, KEY_COL + 1).value not in monthly_totals,
                                     ws.cell(r, UNIT_COL + 1).value in RATE_UNITS, r))
        slots += [(path, r, ws.cell(r, KEY_COL + 1).value in monthly_totals,
                   ws.cell(r, UNIT_COL + 1).value not in RATE_UNITS) for r in rows]
        if len(slots) >= PLANTED_CELLS:
            break
    second = next(p for p in files if p not in books)  # copied below as last month's form and a corrected return
    col = column_letter(TO_DATE_COL)
    errors = ((-1.0, "cumulative_fell", "累计数比上月少"),
              ("×10000", "unit_scale", "数量级错填（×10000，如按万元填写亿元栏）"),
              ("约12.5", "not_a_number", "数值前加“约”"), ("—", "not_a_number", "填了破折号"),
              ("=", "formula_without_value", "公式无计算结果"), (None, "required_empty", "必填的累计数未填"))
    for value, rule, what in errors:
        # a fall and a 万元 slip show on a running total of an amount; the others on any figure
        fits = [s for s in slots if rule not in ("cumulative_fell", "unit_scale") or (s[2] and s[3])]
        if not fits:
            continue
        path, row, *_ = fits[0]
        slots.remove(fits[0])
        ws = books[path][SHEET]
        if value == "×10000":
            value = round(float(ws[f"{col}{row}"].value) * 10000, 2)
        elif value == "=":
            value = f"={col}{FIRST_ROW + 1 if row != FIRST_ROW + 1 else FIRST_ROW + 2}*2"
        ws[f"{col}{row}"] = value
        planted.append({"source_file": path.name, "cell": f"{col}{row}", "rule": rule, "what": what})
    ws = books[first][SHEET]
    deleted_key = ws.cell(last, KEY_COL + 1).value
    ws.delete_rows(last)
    planted.append({"source_file": first.name, "cell": "", "rule": "deleted_row",
                    "what": f"删除了一行（{deleted_key}）"})
    new_row = ws.max_row + 1
    ws.cell(new_row, NAME_COL + 1).value = "自行增加的指标"
    ws.cell(new_row, KEY_COL + 1).value = "ind-0000000000"
    ws.cell(new_row, TO_DATE_COL + 1).value = 5
    planted.append({"source_file": first.name, "cell": f"{column_letter(KEY_COL)}{new_row}", "rule": "unknown_row",
                    "what": "增加了一行"})
    for path, wb in books.items():
        wb.save(path)
    # a form for another period, a CSV, a corrupt file, and a later corrected return of the same unit
    other = folder / second.name.replace("_SAMPLE", "_上月表_SAMPLE")
    wb = load_workbook(second)
    wb[META_SHEET][meta_cell("period")] = str(month_of(period) - 1)
    wb.save(other)
    csv_file = folder / "230113_统计局_SAMPLE.csv"
    csv_file.write_text("指标,数值\n地区生产总值,239.8\n", encoding="utf-8")
    broken = folder / "230104_财政局_损坏_SAMPLE.xlsx"
    broken.write_bytes(second.read_bytes()[:2000])
    for path, what in ((other, "上月的填报表"), (csv_file, "CSV 文件"), (broken, "损坏的文件")):
        planted.append({"source_file": path.name, "cell": "", "rule": "file_refused", "what": what})
        extra.append(path)
    resent = folder / second.name.replace("_SAMPLE", "_更正_SAMPLE")
    wb = load_workbook(second)
    ws = wb[SHEET]
    ws.cell(FIRST_ROW + 1, REMARK_COL + 1).value = "更正后重报"
    wb.save(resent)
    extra.append(resent)
    write_csv(pd.DataFrame(planted, columns=PLANTED_COLUMNS), planted_errors_file(folder))
    return extra


def planted_errors_file(folder: Path) -> Path:
    """Where the list of planted errors of a month's SAMPLE returns is kept (beside the folder, not in it)."""
    return folder.parent / f"{folder.name}_SAMPLE_planted_errors.csv"


def _rows_in(path: Path, keys: set[str]) -> tuple[int, int]:
    """(how many rows of a form ask for one of `keys`, how many ask a figure against a target in figures)."""
    ws = load_workbook(path, read_only=True)[SHEET]
    asked = [row for row in ws.iter_rows(min_row=FIRST_ROW + 1, values_only=True)
             if len(row) > KEY_COL and row[KEY_COL]]
    return sum(row[KEY_COL] in keys for row in asked), sum(_figure_target(row[TARGET_COL]) for row in asked)


def _figure_target(printed: object) -> bool:
    """Whether a form's target cell states a figure (a text target's row asks 达标情况 instead)."""
    return bool(re.search(r"\d", str(printed or "")))
