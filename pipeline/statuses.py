"""The status words of monitoring and evaluation and the tones they are shown in, read from one file.

Stage: shared (实施, 评估, render). Input: the `statuses` and `tones` sections of templates/workbook_style.yaml,
their one source: each status word in display order with its tone, whether it counts as on track, whether (and
how seriously) it is an alert, whether only the office sets it (人工研判); each tone's fill and font colour (the
workbooks' cells, the reports' status cells) and chart colour (the bars of the evaluation charts).
Output: a frozen `Statuses`. The computations (monitor/status.py, evaluate/progress.py) return the words as
literals; tests/test_statuses.py checks that every word they can return is declared in the file.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml


@dataclass(frozen=True)
class Tone:
    """A colour family, '#RRGGBB' each: a cell's fill and font colour, and the colour of a chart's bar."""

    fill: str
    font: str
    chart: str


@dataclass(frozen=True)
class Status:
    """One status word: its tone (None: shown uncoloured), whether it counts as on track, its rank as an alert
    (1 the most serious; 0 not an alert) and whether only the office's own judgement sets it."""

    word: str
    tone: str | None
    on_track: bool
    alert: int
    manual: bool


@dataclass(frozen=True)
class Statuses:
    """The status words in display order and the tones by name (templates/workbook_style.yaml)."""

    statuses: tuple[Status, ...]
    tones: Mapping[str, Tone]

    @classmethod
    def load(cls, path: Path | str) -> Statuses:
        """The `statuses` and `tones` sections of the YAML file at `path`."""
        return cls.from_sections(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}, path)

    @classmethod
    def from_sections(cls, raw: Mapping[str, Any], source: Path | str) -> Statuses:
        """Build from a loaded style sheet; a missing section or setting, an unknown setting or a tone that is
        not declared is a ValueError naming the file (`source`) and the word."""
        statuses = _section(raw, "statuses", source)
        tones = {name: Tone(**_settings(spec, Tone, f"tones: {name}", source))
                 for name, spec in _section(raw, "tones", source).items()}
        words = tuple(Status(str(word), **_settings(spec, Status, f"statuses: {word}", source))
                      for word, spec in statuses.items())
        unknown = [f"“{s.word}”的色调“{s.tone}”" for s in words if s.tone is not None and s.tone not in tones]
        if unknown:
            raise ValueError(f"{source}：状态{'、'.join(unknown)}未在 tones 中定义（可用：{'、'.join(tones)}）")
        return cls(words, MappingProxyType(tones))

    @property
    def words(self) -> tuple[str, ...]:
        """Every status word, in display order (人工研判 included)."""
        return tuple(s.word for s in self.statuses)

    @property
    def computed(self) -> tuple[str, ...]:
        """The words a computation gives, in display order: those an evaluation shows and counts, and those a
        manual judgement (inputs/overrides.csv) may choose."""
        return tuple(s.word for s in self.statuses if not s.manual)

    @property
    def manual(self) -> tuple[str, ...]:
        """The words only the office's own judgement sets (人工研判)."""
        return tuple(s.word for s in self.statuses if s.manual)

    @property
    def on_track(self) -> tuple[str, ...]:
        """The words that count as on track (已完成, 超前, 正常)."""
        return tuple(s.word for s in self.statuses if s.on_track)

    @property
    def alerts(self) -> tuple[str, ...]:
        """The alert words, the most serious first (滞后, 预警)."""
        return tuple(s.word for s in sorted((s for s in self.statuses if s.alert), key=lambda s: s.alert))

    def tone_names(self) -> Mapping[str, str]:
        """word → tone name of every word shown in a tone, in display order (the conditional formats)."""
        return MappingProxyType({s.word: s.tone for s in self.statuses if s.tone is not None})

    def tone(self, word: str) -> Tone | None:
        """The tone a word is shown in; None for a word without one or not declared."""
        name = self.tone_names().get(word)
        return None if name is None else self.tones[name]

    def chart_colour(self, word: str) -> str:
        """The bar colour of a word in the charts; a word without a tone is a ValueError (the file lacks it)."""
        tone = self.tone(word)
        if tone is None:
            raise ValueError(f"状态“{word}”没有色调（templates/workbook_style.yaml，statuses），图表无法着色")
        return tone.chart


def _section(raw: Mapping[str, Any], name: str, source: Path | str) -> Mapping[str, Any]:
    section = raw.get(name)
    if not isinstance(section, Mapping) or not section:
        raise ValueError(f"{source}：缺少“{name}”一节")
    return section


def _settings(spec: Any, cls: type, where: str, source: Path | str) -> dict[str, Any]:
    """The settings of one entry for `cls` (its fields but the first when that is the entry's own name)."""
    known = [f.name for f in fields(cls) if f.name != "word"]
    if not isinstance(spec, Mapping):
        raise ValueError(f"{source}：“{where}”应为“名称: 数值”的列表")
    unknown = sorted(set(spec) - set(known))
    missing = [name for name in known if name not in spec]
    if unknown or missing:
        raise ValueError(f"{source}：“{where}”" + (f"中有未知的设置 {'、'.join(unknown)}；" if unknown else "")
                         + (f"缺少设置 {'、'.join(missing)}；" if missing else "") + f"应有：{'、'.join(known)}")
    return dict(spec)
