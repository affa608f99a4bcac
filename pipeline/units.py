"""Units (inputs/config/units.yaml): conversion factors for display values, and the units counted in whole numbers.

The tables keep every value and unit as printed. A conversion only derives a display value (the city comparison
shows 50 万亩 under a 万公顷 row as 3.33) and carries the source of its factor, so the note beside it can say
why. The monthly forms and the check of returned forms ask for whole numbers in count units (个, 户 …) and
take decimals elsewhere (万人 is an amount in ten-thousands, not a count).
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CONVERSION_FIELDS = {"unit", "equals", "of", "source", "keys"}


@dataclass(frozen=True)
class Conversion:
    """1 `unit` = `equals` `of` (1 万公顷 = 15 万亩) and where the factor comes from; `keys` limits it to those
    catalogue indicators (empty: any)."""

    unit: str
    equals: float
    of: str
    source: str
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Factor:
    """Multiply a value in one unit by `factor` to have it in another; `steps` are the conversions used."""

    factor: float
    steps: tuple[Conversion, ...]

    @property
    def sources(self) -> str:
        """Where the factor comes from, one clause per conversion used."""
        return "；".join(step.source for step in self.steps)


@dataclass(frozen=True)
class Units:
    """The conversions, the whole-number units and the words that make an indicator a ratio per head."""

    conversions: tuple[Conversion, ...] = ()
    whole_number_units: frozenset[str] = frozenset()
    ratio_words: tuple[str, ...] = ()

    @classmethod
    def load(cls, path: Path | str) -> Units:
        """Read units.yaml; an entry without its unit, factor or source is a ValueError naming the file and entry."""
        path = Path(path)
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        conversions = tuple(_conversion(entry, path, number)
                            for number, entry in enumerate(raw.get("conversions") or [], start=1))
        return cls(conversions, frozenset(str(u) for u in raw.get("whole_number_units") or []),
                   tuple(str(w) for w in raw.get("ratio_words") or []))

    def factor(self, source: str, target: str, key: str = "") -> Factor | None:
        """How to turn a value in `source` units into `target` units (conversions used both ways and chained,
        fewest steps first); None when no conversion applies to catalogue key `key`.

        >>> units = Units((Conversion("万公顷", 15, "万亩", "a"), Conversion("万亩", 10000, "亩", "b")))
        >>> round(units.factor("万亩", "万公顷").factor, 6), units.factor("亩", "万公顷").sources
        (0.066667, 'b；a')
        >>> units.factor("万亩", "万亩").factor, units.factor("倍", "亿元")
        (1.0, None)
        """
        if source == target:
            return Factor(1.0, ())
        edges: dict[str, list[tuple[str, float, Conversion]]] = {}
        for c in self.conversions:
            if c.keys and key not in c.keys:
                continue
            edges.setdefault(c.unit, []).append((c.of, c.equals, c))
            edges.setdefault(c.of, []).append((c.unit, 1 / c.equals, c))
        queue, seen = deque([(source, 1.0, ())]), {source}
        while queue:
            unit, factor, steps = queue.popleft()
            for nxt, times, conversion in edges.get(unit, []):
                if nxt in seen:
                    continue
                if nxt == target:
                    return Factor(factor * times, (*steps, conversion))
                seen.add(nxt)
                queue.append((nxt, factor * times, (*steps, conversion)))
        return None

    def is_whole_number(self, unit: str, name: str = "", target: float | None = None) -> bool:
        """Whether a figure in `unit` counts whole things: a whole-number unit, an indicator that is not a ratio
        per head (每千人口…床位 张), and a target the plan does not itself print with a fraction (2.5 人).

        >>> units = Units(whole_number_units=frozenset({"个", "人"}), ratio_words=("每万",))
        >>> [units.is_whole_number(*a) for a in (("个", "产业园区", 3.0), ("万人", "城镇新增就业", 0.8),
        ...                                      ("人", "每万常住人口全科医生", 2.5), ("个", "示范村", 1.5))]
        [True, False, False, False]
        """
        if unit not in self.whole_number_units or any(word in name for word in self.ratio_words):
            return False
        return target is None or (isinstance(target, float) and math.isnan(target)) or float(target).is_integer()


def _conversion(entry: Any, path: Path, number: int) -> Conversion:
    """One conversion entry of units.yaml, checked."""
    where = f"{path}：conversions 第 {number} 项"
    if not isinstance(entry, dict):
        raise ValueError(f"{where}不是“unit/equals/of/source”的映射")
    unknown = sorted(set(entry) - CONVERSION_FIELDS)
    missing = sorted({"unit", "equals", "of", "source"} - set(entry))
    if unknown or missing:
        raise ValueError(f"{where}：" + "；".join(filter(None, (
            f"缺少 {'、'.join(missing)}" if missing else "", f"未知的设置 {'、'.join(unknown)}" if unknown else ""))))
    equals = entry["equals"]
    if isinstance(equals, bool) or not isinstance(equals, int | float) or not equals > 0:
        raise ValueError(f"{where}：equals 应为正数，现为“{equals}”")
    if not str(entry["source"]).strip():
        raise ValueError(f"{where}：source（换算依据）不能为空")
    return Conversion(str(entry["unit"]), float(equals), str(entry["of"]), str(entry["source"]).strip(),
                      tuple(str(k) for k in entry.get("keys") or ()))
