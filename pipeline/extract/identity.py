"""Which indicator a figure measures, and how that indicator behaves over time (docs/DESIGN.md, the indicator model).

Stage: 编制 (extract). Input: one document's target statements and reported figures with their catalogue keys,
the catalogue and inputs/config/measures.yaml. Output: every figure's indicator key — its catalogue key, else a
district-local key from its normalised name, sub-item and unit — and the plan's indicators: one row per key, the
table row winning over prose restatements (which stay in `statements` as support, each pointing at the indicator
it restates), with its measure type, reporting frequency and roll-up, from the catalogue or, where the catalogue
does not know the indicator, inferred from the figure and marked as inferred for the office to confirm.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from pipeline.extract.catalogue import BEHAVIOUR, Catalogue

MEASURE_TYPES = BEHAVIOUR["measure_type"]


@dataclass(frozen=True)
class MeasureRules:
    """inputs/config/measures.yaml: how to infer the measure type of an indicator the catalogue does not know, and
    the frequency and roll-up each type has by default."""

    rate_units: tuple[str, ...]
    flow_words: re.Pattern
    frequency: dict[str, str]
    aggregation: dict[str, str]

    @classmethod
    def load(cls, path: Path) -> MeasureRules:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        inference, defaults = config.get("inference") or {}, config.get("defaults") or {}
        for section, keys in (("inference", ("rate_units", "flow_words")), ("defaults", ("frequency", "aggregation"))):
            missing = [k for k in keys if k not in (config.get(section) or {})]
            if missing:
                raise ValueError(f"{path.name}：“{section}”一节缺少设置 {'、'.join(missing)}")
        for name in ("frequency", "aggregation"):
            table, allowed = defaults[name], BEHAVIOUR[name]
            if not isinstance(table, dict):
                raise ValueError(f"{path.name}：defaults.{name} 应为“计量类型: 取值”的列表，收到“{table}”")
            wrong = [f"{k}: {v}" for k, v in table.items() if k not in MEASURE_TYPES or v not in allowed]
            if wrong or set(table) != set(MEASURE_TYPES):
                raise ValueError(f"{path.name}：defaults.{name} 应为每种计量类型（{'、'.join(MEASURE_TYPES)}）各给一个"
                                 f"取值（{'、'.join(allowed)}）；有误：{'、'.join(wrong) or '缺少类型'}")
        return cls(tuple(inference["rate_units"]), re.compile("|".join(map(re.escape, inference["flow_words"]))),
                   dict(defaults["frequency"]), dict(defaults["aggregation"]))


def local_key(district_code: str, name_norm: str, sub_item: str, unit: str) -> str:
    """A district-local indicator key: the same normalised name, sub-item and unit in one district is one indicator.

    >>> local_key("230113", "粮食综合生产能力", "", "亿斤"), local_key("230113", "人均可支配收入增长率", "城镇", "%")
    ('230113:粮食综合生产能力:亿斤', '230113:人均可支配收入增长率(城镇):%')
    """
    return f"{district_code}:{name_norm}{f'({sub_item})' if sub_item else ''}:{unit}"


def indicator_keys(rows: pd.DataFrame, ids: str) -> list[str]:
    """Each row's indicator key: its catalogue key, else its local key; a row without a name has a key of its own
    (its id, in column `ids`), so that nothing unnamed is ever merged with anything."""
    sub_items = rows["sub_item"] if "sub_item" in rows.columns else pd.Series("", index=rows.index)
    return [canonical if canonical else local_key(str(district), name, str(sub or ""), str(unit or ""))
            if str(name or "").strip() else f"{district}:?{row_id}"
            for canonical, district, name, sub, unit, row_id in zip(
                rows["canonical"], rows["district_code"], rows["name_norm"], sub_items, rows["unit"], rows[ids],
                strict=True)]


def measure_type(kind: str, unit: str, name: str, cumulative: str, rules: MeasureRules) -> str:
    """The measure type of a figure the catalogue does not know, from its kind, unit and name.

    >>> rules = MeasureRules(("%", "‰", "个百分点"), re.compile("投资|新增"), {}, {})
    >>> [measure_type(k, u, n, c, rules) for k, u, n, c in (("growth", "%", "地区生产总值", "0"),
    ...     ("level", "亿元", "固定资产投资", "0"), ("share", "%", "森林覆盖率", "0"),
    ...     ("level", "万公顷", "耕地保有量", "0"),
    ...     ("count", "万人", "新增城镇就业", "1"), ("reduction", "%", "单位GDP能耗", "0"))]
    ['growth', 'flow', 'rate', 'stock', 'cumulative', 'rate']
    """
    if kind == "growth":
        return "growth"
    if str(cumulative) == "1" or kind == "cumulative":
        return "cumulative"
    if unit in rules.rate_units or kind in ("share", "rate", "reduction"):
        return "rate"
    return "flow" if rules.flow_words.search(name) else "stock"


def behaviour(rows: pd.DataFrame, catalogue: Catalogue, rules: MeasureRules) -> dict[str, list[str]]:
    """Columns measure_type, frequency, aggregation and measure_source (catalogue | inferred) for rows with
    indicator_key, kind, unit, name_norm and cumulative: the catalogue's entry for a catalogue key; otherwise the
    type inferred from the figure and the defaults of measures.yaml. A [ ] cumulative target is a plan-period
    total whatever the indicator (五年累计新增城镇就业)."""
    out = []
    for key, kind, unit, name, cumulative in zip(rows.indicator_key, rows.kind, rows.unit, rows.name_norm,
                                                 rows.cumulative, strict=True):
        known = catalogue.behaviour.get(key)
        if known and str(cumulative) != "1":
            out.append((*known, "catalogue"))
            continue
        measure = measure_type(kind, str(unit or ""), str(name or ""), cumulative, rules)
        out.append((measure, rules.frequency[measure], rules.aggregation[measure], "inferred"))
    names = ("measure_type", "frequency", "aggregation", "measure_source")
    return {name: [row[i] for row in out] for i, name in enumerate(names)}


def plan_indicators(statements: pd.DataFrame, catalogue: Catalogue, rules: MeasureRules) -> tuple[pd.DataFrame,
                                                                                                   pd.DataFrame]:
    """(indicators, statements) of one document from its target statements (rows of the indicators columns, each
    with its own `indicator_id`): every statement gets its indicator key, keeps its own id as `statement_id` and
    points at the plan indicator it states (`indicator_id`); the plan indicator of a key is the statement that wins —
    the table row, else one with a value, else the latest target year, else the first printed — with the key's
    behaviour and how many statements support it."""
    rows = statements.rename(columns={"indicator_id": "statement_id"}).reset_index(drop=True)
    keys = indicator_keys(rows, "statement_id")
    values = pd.to_numeric(rows.target_value, errors="coerce").tolist()
    years = pd.to_numeric(rows.target_year, errors="coerce").fillna(0).tolist()
    lines = pd.to_numeric(rows.line, errors="coerce").tolist()
    sources, ids = rows.source.tolist(), rows.statement_id.tolist()
    ranked = sorted(range(len(rows)), key=lambda i: (sources[i] != "table", values[i] != values[i], -years[i],
                                                      lines[i], i))
    first: dict[str, int] = {}
    for i in ranked:
        first.setdefault(keys[i], i)
    winners = sorted(first.values(), key=lambda i: lines[i])
    chosen = {keys[i]: ids[i] for i in winners}
    support = Counter(keys)
    indicators = rows.iloc[winners].rename(columns={"statement_id": "indicator_id"}).assign(
        indicator_key=[keys[i] for i in winners])
    indicators = indicators.assign(**behaviour(indicators, catalogue, rules),
                                   statements=pd.array([support[keys[i]] for i in winners], dtype="int64")
                                   ).reset_index(drop=True)
    return indicators, rows.assign(indicator_key=keys, indicator_id=[chosen[k] for k in keys])
