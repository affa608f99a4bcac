"""The indicator catalogue (inputs/config/indicators.csv): rows from any document and district that
measure the same thing share a `canonical` key.

Stage: 编制 (extract). Input: a table of rows with name_norm and kind. Output: the same rows with
`canonical` set where a catalogue synonym names them (the longest synonym wins, so '单位GDP能源消耗'
is not taken for GDP), and a growth rate maps only to a growth key.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from pipeline.extract.rows import normalise_name
from pipeline.numbers import as_number

PERCENT_UNITS = ("%", "‰", "个百分点")  # a change in percentage points measures a share, never an amount
DENOMINATOR = re.compile("每[十百千万]*$")  # '每万常住人口全科医生': the population is the denominator
COLUMNS = ("key", "name", "unit", "direction", "kind", "measure_type", "frequency", "aggregation", "synonyms")
BEHAVIOUR = {"measure_type": ("flow", "stock", "rate", "growth", "cumulative"),
             "frequency": ("monthly", "quarterly", "annual"), "aggregation": ("sum", "ratio", "none")}


@dataclass(frozen=True)
class Catalogue:
    """The catalogue table with its synonyms made ready for matching once per run (not once per document)."""

    frame: pd.DataFrame
    synonyms: tuple[Synonym, ...]  # longest first
    names: tuple[str, ...]  # synonyms of four characters or more: a target stated in words may name them
    behaviour: dict[str, tuple[str, str, str]]  # key → (measure type, reporting frequency, roll-up)
    part_before: re.Pattern | None = None  # words before a name that make it a part of the indicator
    additions_before: re.Pattern | None = None  # words before a stock's name that make it the year's additions

    @functools.cached_property
    def _by_start(self) -> dict[str, list[int]]:
        """First two characters → positions of the synonyms starting with them (a name is searched for the
        synonyms it holds, not tried against each of them)."""
        index: dict[str, list[int]] = {}
        for position, synonym in enumerate(self.synonyms):
            index.setdefault(synonym.text[:2], []).append(position)
        return index

    def held_in(self, text: str) -> list[Synonym]:
        """The synonyms that occur in `text`, longest first (as in `synonyms`)."""
        found = {position for i in range(len(text)) for position in self._by_start.get(text[i:i + 2], ())
                 if text.startswith(self.synonyms[position].text, i)}
        return [self.synonyms[position] for position in sorted(found)]

    @classmethod
    def of(cls, frame: pd.DataFrame, name: str = "indicators.csv", part_before: tuple[str, ...] = (),
           additions_before: tuple[str, ...] = ()) -> Catalogue:
        missing = [c for c in COLUMNS if c not in frame.columns]
        if missing:
            raise ValueError(f"{name}：缺少列 {'、'.join(missing)}")
        wrong = [f"{row.key}（{column}={getattr(row, column)}）" for row in frame.itertuples()
                 for column, allowed in BEHAVIOUR.items() if getattr(row, column) not in allowed]
        if wrong:
            raise ValueError(f"{name}：取值不在允许范围内：{'、'.join(wrong)}")
        short = [f"{row.key}（{s}）" for row in frame.itertuples() for s in row.synonyms.split("|") if len(s) == 1]
        if short:
            raise ValueError(f"{name}：同义词至少两个字：{'、'.join(short)}")
        unrolled = _ratio_problems(frame)
        if unrolled:
            raise ValueError(f"{name}：按分子分母汇总（aggregation=ratio）的行有误：{'；'.join(unrolled)}")
        pairs = [Synonym(normalise_name(s), row.key, row.kind == "growth", row.unit in PERCENT_UNITS,
                         row.measure_type == "stock")
                 for row in frame.itertuples() for s in row.synonyms.split("|") if s]
        names = tuple(normalise_name(s) for row in frame.itertuples() for s in row.synonyms.split("|") if len(s) >= 4)
        behaviour = {row.key: (row.measure_type, row.frequency, row.aggregation) for row in frame.itertuples()}
        return cls(frame, tuple(sorted(pairs, key=lambda p: len(p.text), reverse=True)), names, behaviour,
                   _words(part_before), _words(additions_before))


class Synonym(NamedTuple):
    """A catalogue name as matched: the normalised text, its key and what the key measures."""

    text: str
    key: str
    is_growth: bool
    is_percent: bool
    is_stock: bool = False


def _words(words: tuple[str, ...]) -> re.Pattern | None:
    return re.compile("|".join(map(re.escape, words))) if words else None


def _ratio_problems(frame: pd.DataFrame) -> list[str]:
    """What is wrong with the rows that roll up from a numerator and a denominator: a part that is no key of the
    catalogue, or a factor that is no number."""
    keys, problems = set(frame.key), []
    for row in frame[frame.aggregation == "ratio"].to_dict("records"):
        for side in ("numerator", "denominator"):
            if row.get(side, "") not in keys:
                problems.append(f"{row['key']} 的 {side}“{row.get(side, '')}”不是目录中的指标")
        factor = str(row.get("ratio_factor", "") or "")
        if factor and as_number(factor) is None:
            problems.append(f"{row['key']} 的 ratio_factor“{factor}”不是数字")
    return problems


def canonical_key(name_norm: str, kind: str, catalogue: Catalogue, sub_item: str = "", unit: str = "",
                  target_text: str = "") -> str:
    """The catalogue key for one row, or '' when no synonym names it as the thing measured.

    >>> syn = (Synonym("单位GDP能源消耗", "energy", False, True), Synonym("地区生产总值", "gdp", False, False),
    ...        Synonym("地区生产总值", "gdp_growth", True, True), Synonym("常住人口", "population", False, False),
    ...        Synonym("高新技术企业", "hi_tech", False, False, True))
    >>> cat = Catalogue(pd.DataFrame(), syn, (), {}, _words(("建制镇", "以上")), _words(("培育",)))
    >>> [canonical_key(n, k, cat) for n, k in (("地区生产总值增长率", "growth"), ("地区生产总值", "level"),
    ...                                        ("单位GDP能源消耗降低", "text"))]
    ['gdp_growth', 'gdp', 'energy']
    >>> canonical_key("每万常住人口全科医生", "level", cat, unit="人"), canonical_key(
    ...     "全社会物流总费用占GDP比重", "reduction", cat, unit="个百分点")
    ('', '')
    >>> canonical_key("高新技术企业", "count", cat), canonical_key("培育高新技术企业", "count", cat)
    ('hi_tech', '')
    """
    text = (sub_item or "") + name_norm
    growth = kind == "growth" or (kind == "text" and bool(re.search("增长|增速|增幅|同步", text + target_text)))
    for synonym in catalogue.held_in(text):
        percent_agrees = not unit or synonym.is_growth or (unit in PERCENT_UNITS) == synonym.is_percent
        if synonym.is_growth == growth and percent_agrees and _names_measure(synonym, text, catalogue):
            return synonym.key
    return ""


def _names_measure(synonym: Synonym, text: str, catalogue: Catalogue) -> bool:
    """Whether `synonym` stands in `text` as the thing measured: not as the denominator after 每 (每万常住人口),
    not narrowed to a part of it by the words before it (建制镇生活垃圾分类率, 省级以上龙头企业, 项目累计接待游客),
    and, for a stock, not as the year's additions to it (培育高新技术企业10户 counts a flow, not the stock)."""
    for m in re.finditer(re.escape(synonym.text), text):
        before = text[:m.start()]
        part = catalogue.part_before is not None and catalogue.part_before.search(before)
        added = synonym.is_stock and catalogue.additions_before is not None and \
            catalogue.additions_before.search(before)
        if not (DENOMINATOR.search(before) or part or added):
            return True
    return False


def attach_canonical(rows: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Return `rows` with the `canonical` column filled from the catalogue."""
    if rows.empty:
        return rows
    blank = pd.Series("", index=rows.index)
    sub_items = rows["sub_item"] if "sub_item" in rows.columns else blank
    texts = rows["target_text"].astype(str) if "target_text" in rows.columns else blank
    found: dict[tuple, str] = {}  # the same name, kind and unit recur across documents
    keys = []
    for args in zip(rows["name_norm"], rows["kind"], sub_items, rows["unit"], texts, strict=True):
        if args not in found:
            found[args] = canonical_key(args[0], args[1], catalogue, *args[2:])
        keys.append(found[args])
    return rows.assign(canonical=keys)


def known_indicator(catalogue: Catalogue):
    """A function name → True when a catalogue synonym names it (for targets stated in words)."""

    def known(name: str) -> bool:
        norm = normalise_name(name)
        return any(s in norm for s in catalogue.names)

    return known
