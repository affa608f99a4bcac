"""评估 charts: PNG figures for the evaluation reports, drawn with matplotlib (Agg) in a CJK font.

Stage: 评估 (render). Input: the `summary` and `indicators` of a report context (templates/README.md).
Output: `status_chart` — bar chart of indicator counts by status; `path_chart` — an indicator's actual path
(its `history`) against the straight expected path from baseline to target, with the target year marked.

Charts are drawn on a `matplotlib.figure.Figure` with an Agg canvas (no pyplot, no global backend switch),
inside `matplotlib.rc_context` (rcParams are restored afterwards), at a fixed size and dpi and with no
date or software stamp in the PNG, so the same context gives byte-identical files.
Chinese needs a CJK font; without one `chart_font` raises `ChartFontMissing` with the message `FONT_MISSING`
(the reports then come out without charts, see `pipeline.render.report`).
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.numbers import as_number
from pipeline.statuses import Statuses

log = logging.getLogger(__name__)

FONT_MISSING = "未找到中文字体（请运行 make fonts 安装 fonts-noto-cjk），图表无法生成"
# CJK families in order of preference: Debian's fonts-noto-cjk first, then common Windows/Linux fonts.
PREFERRED_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "Source Han Serif SC",
                   "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "SimSun",
                   "Noto Sans CJK JP", "Noto Sans CJK TC")
NO_DATA_COLOUR = "#9E9E9E"  # the '无实际值' note of a path chart without values
SIZE_INCHES = (6.4, 3.6)
DPI = 150
# No Software/date entries: PNG text chunks would otherwise differ between matplotlib versions and runs.
PNG_METADATA = {"Software": None}
ACTUAL_COLOUR, EXPECTED_COLOUR, TARGET_COLOUR = "#2F5597", "#7F7F7F", "#C00000"


class ChartFontMissing(RuntimeError):
    """No CJK font is installed: the charts cannot be drawn without tofu boxes."""

    def __init__(self, message: str = FONT_MISSING) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class ChartFont:
    """The CJK font the charts are drawn in: family name, font file and the code points it covers."""

    name: str
    path: str
    charmap: frozenset[int]

    def missing(self, text: str) -> str:
        """The characters of `text` the font has no glyph for (whitespace aside)."""
        return "".join(sorted({ch for ch in text if not ch.isspace() and ord(ch) not in self.charmap}))


@functools.cache
def chart_font() -> ChartFont:
    """The first installed family of `PREFERRED_FONTS`, found through matplotlib's font manager.

    matplotlib caches its font list once per version; a CJK font installed after that (``make`` installs
    fonts-noto-cjk on a fresh machine) is missing from the cached list. So when no preferred family is listed,
    the system's font files (fontconfig's list, else the usual font folders) that the list lacks are added
    before giving up. Raises `ChartFontMissing` when none is installed.
    """
    from matplotlib import font_manager

    found = _preferred_font(font_manager)
    if found is None and _register_new_system_fonts(font_manager):
        found = _preferred_font(font_manager)
    if found is None:
        raise ChartFontMissing()
    return found


def _preferred_font(font_manager) -> ChartFont | None:
    """The first family of `PREFERRED_FONTS` in matplotlib's font list that has CJK glyphs, or None."""
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    for name in PREFERRED_FONTS:
        if name not in installed:
            continue
        path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
        charmap = frozenset(font_manager.get_font(path).get_charmap())
        if ord("指") in charmap:
            return ChartFont(name, str(path), charmap)
    return None


def _register_new_system_fonts(font_manager) -> int:
    """Add the system's font files that matplotlib's (possibly stale) cached list lacks; returns how many."""
    manager = font_manager.fontManager
    known = {entry.fname for entry in manager.ttflist}
    added = 0
    for path in sorted(set(font_manager.findSystemFonts()) - known):
        try:
            manager.addfont(path)
        except (OSError, RuntimeError, ValueError):  # an unreadable or unsupported font file: not ours to fix
            continue
        added += 1
    if added:
        log.info("matplotlib 的字体缓存未包含 %d 个已安装字体文件，已补充登记", added)
    return added


def status_chart(summary: Mapping[str, Any], status_order: Sequence[str], statuses: Statuses,
                 path: Path | str) -> Path:
    """Bar chart of the number of indicators in each status, in `status_order`, each bar in its status's tone
    (templates/workbook_style.yaml: the tones of the workbooks and reports); returns `path` (PNG)."""
    font = chart_font()
    counts = [int(summary["counts"].get(status, 0)) for status in status_order]
    with _chart_style(font):
        fig, ax = _new_figure()
        # Bars in the status tones, each labelled with its count
        bars = ax.bar(list(status_order), counts, width=0.6,
                      color=[statuses.chart_colour(status) for status in status_order])
        ax.bar_label(bars, labels=[f"{count}项" for count in counts], padding=2)
        # Title, axis and frame
        ax.set_title(_plain(f"主要指标完成情况（共{summary.get('total', sum(counts))}项）"))
        ax.set_ylabel("指标数（项）")
        ax.set_ylim(0, max([*counts, 1]) * 1.25)
        ax.yaxis.set_major_locator(_integer_locator())
        ax.spines[["top", "right"]].set_visible(False)
        return _save(fig, path)


def path_chart(indicator: Mapping[str, Any], path: Path | str) -> Path:
    """An indicator's actual values (`history`) against its expected path, with the target; returns `path`.

    The expected path is the straight line from the baseline (baseline_year, baseline) to the target
    (target_year, target); for a cumulative target it runs from 0, and for a growth or rate target (年均增长 g%)
    it is the level g itself, drawn as a horizontal line. An adjusted target is marked beside the target.
    """
    font = chart_font()
    history = sorted((int(point["year"]), float(point["value"])) for point in indicator.get("history") or []
                     if point.get("value") is not None and point.get("year") is not None)
    baseline, target = as_number(indicator.get("baseline")), as_number(indicator.get("target"))
    adjusted = as_number(indicator.get("adjusted_target"))
    start, end = _year(indicator.get("baseline_year")), _year(indicator.get("target_year"))
    kind = indicator.get("kind", "")
    with _chart_style(font):
        fig, ax = _new_figure()
        # Expected path and target
        if target is not None and end is not None:
            if kind in ("growth", "rate"):
                label = "目标增速" if kind == "growth" else "目标"
                ax.axhline(target, color=EXPECTED_COLOUR, linestyle="--", linewidth=1.2,
                           label=f"{label}：{indicator.get('target_text') or _short(target)}")
            elif start is not None and (baseline is not None or kind == "cumulative"):
                origin = 0.0 if kind == "cumulative" else baseline
                ax.plot([start, end], [origin, target], color=EXPECTED_COLOUR, linestyle="--", linewidth=1.2,
                        label="预期路径（累计）" if kind == "cumulative" else "预期路径（基期→目标）")
            ax.plot([end], [target], marker="*", markersize=13, linestyle="none", color=TARGET_COLOUR,
                    label=f"目标值 {_short(target)}（{end}年）")
            ax.axvline(end, color=TARGET_COLOUR, linestyle=":", linewidth=0.8)
        if adjusted is not None and end is not None:
            ax.plot([end], [adjusted], marker="D", markersize=7, linestyle="none", color="#7030A0",
                    label=f"调整后目标 {_short(adjusted)}")
        # Actual path, the latest value labelled
        if history:
            years, values = zip(*history, strict=True)
            ax.plot(years, values, marker="o", markersize=4, linewidth=1.8, color=ACTUAL_COLOUR, label="实际值")
            ax.annotate(_short(values[-1]), (years[-1], values[-1]), textcoords="offset points", xytext=(0, 7),
                        ha="center", fontsize=8, color=ACTUAL_COLOUR)
        else:
            ax.text(0.5, 0.5, "无实际值", transform=ax.transAxes, ha="center", va="center", color=NO_DATA_COLOUR)
        # Title, axes (one tick per year), legend
        ax.set_title(_plain(str(indicator.get("name", ""))))
        ax.set_ylabel(_plain(str(indicator.get("unit") or "")))
        years = sorted({year for year, _ in history} | {y for y in (start, end) if y is not None})
        if years:
            ticks = list(range(years[0], years[-1] + 1))
            ax.set_xticks(ticks, [str(year) for year in ticks])
            ax.set_xlim(years[0] - 0.4, years[-1] + 0.4)
        ax.spines[["top", "right"]].set_visible(False)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="best", fontsize=8, frameon=False)
        return _save(fig, path)


def _chart_style(font: ChartFont):
    """rcParams for one chart: the CJK font everywhere; the minus sign only if the font has U+2212."""
    import matplotlib

    return matplotlib.rc_context({
        "font.family": "sans-serif",
        "font.sans-serif": [font.name],
        "axes.unicode_minus": 0x2212 in font.charmap,
        "font.size": 10,
    })


def _new_figure():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _save(fig, path: Path | str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=DPI, metadata=PNG_METADATA)
    return path


def _integer_locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _year(value: Any) -> int | None:
    number = as_number(value)
    return None if number is None else int(number)


def _short(value: float) -> str:
    """43.0 → '43', 0.27 → '0.27' (labels on the chart).

    >>> _short(43.0), _short(0.27), _short(1234.5)
    ('43', '0.27', '1234.5')
    """
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _plain(text: str) -> str:
    """Text shown as written: '$' would start matplotlib's mathtext."""
    return text.replace("$", r"\$")
