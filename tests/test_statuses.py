"""The status words and their tones come from one file (templates/workbook_style.yaml, statuses and tones): every
word the status computations can give is declared there, and a tone changed in a copy of the file changes the
colour in a rendered workbook, in the report's HTML and in the status chart alike (nothing bypasses the file)."""
from __future__ import annotations

import ast
import itertools
import math
import re
from pathlib import Path

import openpyxl
import pytest

from pipeline.evaluate import progress
from pipeline.evaluate.progress import PeriodBands, evaluate
from pipeline.monitor import status
from pipeline.monitor.status import Bands, Pace, monthly_status
from pipeline.render.styles import StyleSheet
from pipeline.statuses import Statuses
from tests.conftest import CONFIG, ROOT

STYLE = ROOT / "templates" / "workbook_style.yaml"
STATUSES = Statuses.load(STYLE)


def _status_literals(module) -> set[str]:
    """Every string literal a module gives as a status: the `status` field of a dataclass built there (by position
    or keyword), a value assigned to a variable named `status`, and what a function named *status* that returns a
    str returns."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    fields = {node.name: [f.target.id for f in node.body if isinstance(f, ast.AnnAssign)]
              for node in tree.body if isinstance(node, ast.ClassDef)}
    given: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and "status" in fields.get(node.func.id, []):
            at = fields[node.func.id].index("status")
            given += [node.args[at]] if len(node.args) > at else [k.value for k in node.keywords if k.arg == "status"]
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "status" for t in node.targets):
            given.append(node.value)
        elif isinstance(node, ast.FunctionDef) and "status" in node.name and ast.unparse(node.returns) == "str":
            given += [n.value for n in ast.walk(node) if isinstance(n, ast.Return) and n.value is not None]
    return {n.value for expr in given for n in ast.walk(expr)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _monthly_results() -> set[str]:
    """The statuses monthly_status gives over a grid of targets, values, months and flags."""
    bands = Bands.load(CONFIG / "status.yaml")
    paces = (None, Pace(1.0, "比率"), Pace(1.0, "控制", ceiling=True), Pace(0.5, "存量", start=20.0))
    grid = itertools.product((100.0, None, 0.0, math.nan), (None, math.nan, 0.0, 10.0, 30.0, 45.0, 65.0, 100.0, 130.0),
                             (1, 6, 12), (False, True), (0, 1), paces)
    return {monthly_status(target, value, month, bands, binding, before, paced).status
            for target, value, month, binding, before, paced in grid}


def _period_results() -> set[str]:
    """The statuses evaluate gives over a grid of kinds, baselines, targets, actuals, qualifiers and flags."""
    bands = PeriodBands.load(CONFIG / "status.yaml")
    grid = itertools.product(("level", "growth", "cumulative", "reduction", "share", "count"), (None, 20.0, 40.0),
                             (None, 10.0, 40.0, 43.0), (None, -150.0, 5.0, 14.0, 41.0, 41.5, 43.0, 50.0),
                             ("", "以内"), (False, True))
    return {evaluate(kind, baseline, 2020, target, 2025, actual, 2023, bands, qualifier, binding).status
            for kind, baseline, target, actual, qualifier, binding in grid}


@pytest.mark.parametrize(("module", "results"), [(status, _monthly_results), (progress, _period_results)])
def test_every_status_a_computation_can_give_is_declared_in_the_file(module, results):
    literals = _status_literals(module)
    given = results()
    # the scan of the source finds every status the function gives on a wide grid (it misses none) …
    assert given <= literals and len(given) >= 5, (given, literals)
    # … and every word it finds is a word of the file that a computation may give (not 人工研判)
    assert literals <= set(STATUSES.computed), literals - set(STATUSES.computed)


@pytest.mark.parametrize(("old", "new"), [("滞后: {tone: red, on_track: false, alert: 1, manual: false}",
                                           "滞后: {tone: red, on_track: false, alert: 1, manual: false, extra: 1}"),
                                          ("滞后: {tone: red, on_track: false, alert: 1, manual: false}",
                                           "滞后: {tone: red, on_track: false, alert: 1}"),
                                          ("滞后: {tone: red", "滞后: {tone: violet")])
def test_a_bad_status_entry_names_the_file_and_the_word(tmp_path, old, new):
    text = STYLE.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "style.yaml").write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ValueError, match=r"style\.yaml.*滞后"):
        Statuses.load(tmp_path / "style.yaml")


# ---------------------------------------------------------------- one tone, changed once, everywhere

FILL, FONT, CHART = "#123456", "#654321", "#ABCDEF"


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> StyleSheet:
    """The house style with the tone of 滞后 given other colours (fill, font and chart)."""
    text = STYLE.read_text(encoding="utf-8")
    tone = STATUSES.tone_names()["滞后"]
    line = re.search(rf"^  {tone}: \{{.*\}}$", text, re.M).group()
    path = tmp_path_factory.mktemp("style") / "workbook_style.yaml"
    path.write_text(text.replace(line, f'  {tone}: {{fill: "{FILL}", font: "{FONT}", chart: "{CHART}"}}'),
                    encoding="utf-8")
    return StyleSheet.load(path)


def test_a_changed_tone_colours_the_monitoring_workbook(changed, tmp_path):
    from pipeline.render.monitor_workbook import render_monitor_workbook
    from tests.render import test_monitor_workbook as monitor

    frames = {name: monitor._frame(getattr(monitor, name.upper()))
              for name in ("status", "history", "projects", "rejections", "timeliness")}
    path = render_monitor_workbook(tmp_path / "m.xlsx", "230113", "双城区", "2025-06", styles=changed,
                                   generated_at=monitor.GENERATED_AT, **frames)
    ws = openpyxl.load_workbook(path)["指标监测"]
    rule = next(r for cf in ws.conditional_formatting for r in cf.rules if r.formula == ['"滞后"'])
    assert (rule.dxf.fill.bgColor.rgb[-6:], rule.dxf.font.color.rgb[-6:]) == (FILL[1:], FONT[1:])


def test_a_changed_tone_colours_the_report_and_its_status_chart(changed, tmp_path, cjk_font):
    from matplotlib import image

    from pipeline.render.report import render_reports
    from tests.render.report_context import report_context

    context = report_context("midterm")
    assert any(i["status"] == "滞后" for i in context["indicators"])
    paths = render_reports(context, ROOT / "templates", tmp_path, "r", changed.statuses)
    html = paths["html"].read_text(encoding="utf-8")
    assert f'<td style="background: {FILL}">滞后</td>' in html
    pixels = {tuple(round(c * 255) for c in p[:3]) for p in image.imread(paths["charts"] / "status.png").reshape(-1, 4)}
    house = STATUSES.tone("滞后").chart
    assert tuple(int(CHART[i:i + 2], 16) for i in (1, 3, 5)) in pixels
    assert tuple(int(house[i:i + 2], 16) for i in (1, 3, 5)) not in pixels
