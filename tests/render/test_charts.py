"""The evaluation charts: PNG files in a CJK font, with no missing glyphs (tofu), the same bytes every time."""
from __future__ import annotations

import copy
import os
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import pytest

from pipeline.render import charts
from tests.render.report_context import STATUSES, report_context

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Every label the charts draw besides data: the words of status_chart and path_chart.
CHART_WORDS = ("主要指标完成情况（共7项）指标数（项）实际值预期路径（基期→目标）预期路径（累计）目标值（2025年）"
               "目标增速：目标：调整后目标无实际值")


@pytest.fixture(scope="module")
def font(cjk_font) -> charts.ChartFont:
    return cjk_font


@pytest.fixture(scope="module")
def context() -> dict:
    return report_context("midterm")


def _glyph_warnings(draw) -> list[str]:
    """Run `draw()` and return matplotlib's missing-glyph warnings (the sign of tofu boxes)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from font" in str(w.message)]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_font_is_an_installed_cjk_font(font):
    assert font.name in charts.PREFERRED_FONTS
    assert Path(font.path).is_file()
    assert "CJK" in Path(font.path).name or font.name in ("SimHei", "SimSun", "Microsoft YaHei") \
        or font.name.startswith("WenQuanYi")


def test_font_has_every_glyph_the_charts_draw(font, context):
    texts = [CHART_WORDS, *context["status_order"], "项"]
    texts += [f"{i['name']}{i['unit']}{i['target_text']}" for i in context["indicators"]]
    assert font.missing("".join(texts)) == ""


def test_glyph_check_catches_tofu(tmp_path):
    """The warning the tests look for is real: Chinese drawn in DejaVu Sans (no CJK glyphs) raises it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def draw():
        fig = Figure()
        FigureCanvasAgg(fig)
        fig.text(0.5, 0.5, "粮食综合生产能力", family="DejaVu Sans")
        fig.savefig(tmp_path / "tofu.png")

    assert _glyph_warnings(draw)


def test_status_chart_is_a_png_without_missing_glyphs(font, context, tmp_path):
    path = tmp_path / "status.png"
    assert _glyph_warnings(lambda: charts.status_chart(context["summary"], context["status_order"], STATUSES,
                                                       path)) == []
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    assert _png_size(path) == (int(charts.SIZE_INCHES[0] * charts.DPI), int(charts.SIZE_INCHES[1] * charts.DPI))


@pytest.mark.parametrize("name", ["地区生产总值增长率", "粮食综合生产能力", "城镇新增就业人数", "建成区路网密度"])
def test_path_chart_without_missing_glyphs(font, context, tmp_path, name):
    """A growth target (level line), two level targets (straight path) and one with no actual value."""
    indicator = next(i for i in context["indicators"] if i["name"] == name)
    path = tmp_path / "path.png"
    assert _glyph_warnings(lambda: charts.path_chart(indicator, path)) == []
    assert path.read_bytes().startswith(PNG_SIGNATURE) and path.stat().st_size > 10_000


def test_path_chart_marks_cumulative_and_adjusted_targets(font, context, tmp_path):
    indicator = {**context["indicators"][6], "kind": "cumulative", "adjusted_target": 42.0}
    path = tmp_path / "cumulative.png"
    assert _glyph_warnings(lambda: charts.path_chart(indicator, path)) == []
    assert path.exists()


def test_charts_are_deterministic_and_carry_no_date(font, context, tmp_path):
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    for path in (first, second):
        charts.status_chart(context["summary"], context["status_order"], STATUSES, path)
    assert first.read_bytes() == second.read_bytes()
    data = first.read_bytes()
    assert b"Software" not in data and b"Creation Time" not in data and b"matplotlib" not in data


def test_global_rcparams_untouched(font, context, tmp_path):
    before = (matplotlib.rcParams["font.family"], matplotlib.rcParams["font.sans-serif"])
    charts.status_chart(context["summary"], context["status_order"], STATUSES, tmp_path / "s.png")
    assert (matplotlib.rcParams["font.family"], matplotlib.rcParams["font.sans-serif"]) == before


def test_missing_cjk_font_is_a_clear_error(monkeypatch, context, tmp_path):
    monkeypatch.setattr(charts, "PREFERRED_FONTS", ("No Such CJK Font",))
    charts.chart_font.cache_clear()
    try:
        with pytest.raises(charts.ChartFontMissing) as caught:
            charts.status_chart(context["summary"], context["status_order"], STATUSES, tmp_path / "s.png")
        assert str(caught.value) == "未找到中文字体（请运行 make fonts 安装 fonts-noto-cjk），图表无法生成"
        assert not (tmp_path / "s.png").exists()
    finally:
        monkeypatch.undo()
        charts.chart_font.cache_clear()


def test_a_cjk_font_installed_after_matplotlib_cached_its_list_is_found(font, tmp_path):
    """A fresh machine: matplotlib wrote its font list before `make` installed fonts-noto-cjk (a stale cache)."""
    from matplotlib import font_manager

    cjk_files = {entry.fname for entry in font_manager.fontManager.ttflist if entry.name in charts.PREFERRED_FONTS}
    stale = copy.copy(font_manager.fontManager)
    stale.ttflist = [entry for entry in stale.ttflist if entry.fname not in cjk_files]
    font_manager.json_dump(stale, tmp_path / f"fontlist-v{font_manager.FontManager.__version__}.json")
    probe = ("from matplotlib import font_manager as fm; from pipeline.render import charts; "
             "print(sum(e.name in charts.PREFERRED_FONTS for e in fm.fontManager.ttflist)); "
             "print(charts.chart_font().name)")
    result = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "MPLCONFIGDIR": str(tmp_path)},
                            capture_output=True, text=True, timeout=120, check=True)
    listed_before, found = result.stdout.splitlines()
    assert listed_before == "0"  # the cached list really was stale in the new process
    assert found in charts.PREFERRED_FONTS
