"""The indicator catalogue (inputs/config/indicators.csv): rows from any document and district that
measure the same thing share a `canonical` key.

Stage: 编制 (extract). Input: a table of rows with name_norm and kind. Output: the same rows with
`canonical` set where a catalogue synonym names them (the longest synonym wins, so '单位GDP能源消耗'
is not taken for GDP), and a growth rate maps only to a growth key.
"""
from __future__ import annotations

import re

import pandas as pd

from pipeline.extract.rows import normalise_name


def _synonyms(catalogue: pd.DataFrame) -> list[tuple[str, str, bool, bool]]:
    """(synonym, key, is_growth, is_percent) for every synonym, longest first."""
    pairs = [(normalise_name(s), row.key, row.kind == "growth", row.unit in ("%", "‰"))
             for row in catalogue.itertuples() for s in row.synonyms.split("|") if s]
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


def canonical_key(name_norm: str, kind: str, synonyms: list[tuple[str, str, bool, bool]], sub_item: str = "",
                  unit: str = "", target_text: str = "") -> str:
    """The catalogue key for one row, or '' when no synonym names it.

    >>> syn = [("单位GDP能源消耗", "energy", False, True), ("地区生产总值", "gdp", False, False),
    ...        ("地区生产总值", "gdp_growth", True, True)]
    >>> [canonical_key(n, k, syn) for n, k in (("地区生产总值增长率", "growth"), ("地区生产总值", "level"),
    ...                                        ("单位GDP能源消耗降低", "text"))]
    ['gdp_growth', 'gdp', 'energy']
    """
    text = (sub_item or "") + name_norm
    growth = kind == "growth" or (kind == "text" and bool(re.search("增长|增速|增幅|同步", text + target_text)))
    for synonym, key, is_growth, is_percent in synonyms:
        percent_agrees = not unit or is_growth or (unit in ("%", "‰")) == is_percent
        if synonym in text and is_growth == growth and percent_agrees:
            return key
    return ""


def attach_canonical(rows: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Return `rows` with the `canonical` column filled from the catalogue."""
    if rows.empty:
        return rows
    synonyms = _synonyms(catalogue)
    blank = pd.Series("", index=rows.index)
    sub_items = rows["sub_item"] if "sub_item" in rows.columns else blank
    texts = rows["target_text"].astype(str) if "target_text" in rows.columns else blank
    keys = [canonical_key(n, k, synonyms, s, u, t)
            for n, k, s, u, t in zip(rows["name_norm"], rows["kind"], sub_items, rows["unit"], texts, strict=True)]
    return rows.assign(canonical=keys)


def known_indicator(catalogue: pd.DataFrame):
    """A function name → True when a catalogue synonym names it (for targets stated in words)."""
    synonyms = [normalise_name(s) for row in catalogue.itertuples() for s in row.synonyms.split("|") if len(s) >= 4]

    def known(name: str) -> bool:
        norm = normalise_name(name)
        return any(s in norm for s in synonyms)

    return known
