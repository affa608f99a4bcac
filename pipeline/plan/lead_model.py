"""Lead units learned from items whose lead unit people have checked (inputs/config/lead_examples.csv).

Stage: 编制 (plan). The keyword rules say which department's words an item's name holds; people who know the
departments judge differently where several departments' words meet, where a name holds no rule's word, or where
an item is no department's work at all (a fragment, a body outside the list). A logistic regression on the
characters of an item's own words and of its sections' titles, with the rules' proposal and its kind of evidence
as features, learns from the checked items how far to trust each proposal and what the rules miss; its
probability is the proposal's confidence, and the checked item most like the new one is named in the reason, so
the office sees why. Explicit text, a unit's own plan, the catalogue, the Party's work and outside bodies stay
with the rules (`FIXED`).
"""
from __future__ import annotations

import csv
import functools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import OneHotEncoder

from pipeline.tables import read_office_csv
from pipeline.text.normalise import simplified

PENDING = "待确认"  # a checked item no unit of the list can be given (a fragment, a body outside the list)
FIXED = frozenset({"explicit", "author", "catalogue", "party", "outside"})  # evidence the model does not overrule
EXAMPLE_COLUMNS = ["item_type", "name", "own", "text", "context", "canonical", "acceptable_units", "sample",
                   "source"]
ITEM_TYPES = frozenset({"indicator", "project", "task"})


@dataclass(frozen=True)
class LearnSettings:
    """How the model is trained (review.yaml, responsibility.learned)."""

    examples: str  # the file of checked items under inputs/config/
    strength: float  # the regression's C: higher trusts the examples' words more
    title_weight: float  # weight of the sections' titles beside the item's own words (1)
    rule_weight: float  # … and of the rules' proposal

    @classmethod
    def from_config(cls, cfg: dict | None, path: Path) -> LearnSettings | None:
        """The settings, or None when review.yaml has none (the rules alone decide). A missing, unknown or odd key
        is refused naming the file: a typo must not pass silently."""
        if not cfg:
            return None
        said = (f"{path.name}：responsibility.learned 须有 examples（文件名）与 strength、title_weight、"
                "rule_weight（数字）")
        if not isinstance(cfg, dict) or set(cfg) != {"examples", "strength", "title_weight", "rule_weight"}:
            keys = "、".join(map(str, cfg)) if isinstance(cfg, dict) else str(cfg)
            raise ValueError(f"{said}，不多不少；现为：{keys}")
        numbers = [cfg[k] for k in ("strength", "title_weight", "rule_weight")]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in numbers) \
                or not isinstance(cfg["examples"], str) or not cfg["examples"].strip():
            raise ValueError(f"{said}：{cfg}")
        settings = cls(cfg["examples"].strip(), *map(float, numbers))
        if settings.strength <= 0 or settings.title_weight < 0 or settings.rule_weight < 0:
            raise ValueError(f"{path.name}：responsibility.learned 的 strength 须大于 0，两个 weight 不得为负")
        return settings


def load_examples(path: Path, units: set[str]) -> pd.DataFrame:
    """The checked items of lead_examples.csv. A file that cannot be read as CSV, or a row of an unknown item type or
    naming a unit that is not in departments.csv, is refused naming the file and the line the row starts on (a
    quoted text may run over several lines), so that no example teaches a unit the office lacks."""
    frame = read_office_csv(path)
    missing = [c for c in EXAMPLE_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path.name}：缺少列 {'、'.join(missing)}")
    problems = []
    for line, row in zip(_row_lines(path), frame.itertuples(), strict=True):
        if row.item_type not in ITEM_TYPES:
            problems.append(f"第 {line} 行 item_type “{row.item_type}”不是 indicator、project 或 task")
        odd = [u for u in row.acceptable_units.split("|") if u != PENDING and u not in units]
        if odd or not row.acceptable_units:
            problems.append(f"第 {line} 行 acceptable_units 含不在 departments.csv 中的单位："
                            f"{'、'.join(odd) or '（空）'}")
    if problems:
        raise ValueError(f"{path.name}：" + "；".join(problems[:10]) + (f" 等 {len(problems)} 处" if
                                                                         len(problems) > 10 else ""))
    return frame[EXAMPLE_COLUMNS]


def _row_lines(path: Path) -> list[int]:
    """The line of the file each data row starts on."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        next(reader, None)
        starts, last = [], reader.line_num
        for _ in reader:
            starts.append(last + 1)
            last = reader.line_num
    return starts


def training_rows(examples: pd.DataFrame, proposals: list[tuple[str, str]]) -> tuple[tuple[str, ...], ...]:
    """(item_type, own, context, proposed unit, basis, label, name) per example, the label its first acceptable
    unit (or 待确认): hashable, so that one training serves every load of the same examples and rules."""
    return tuple((t, own, ctx, unit, basis, acceptable.split("|")[0], name) for t, own, ctx, acceptable, name,
                 (basis, unit) in zip(examples.item_type, examples.own, examples.context,
                                      examples.acceptable_units, examples.name, proposals, strict=True))


@dataclass(frozen=True, eq=False)
class LeadModel:
    """A trained model and the examples it learned from (for naming the most similar one)."""

    settings: LearnSettings
    own: TfidfVectorizer
    titles: TfidfVectorizer
    rule: OneHotEncoder
    regression: LogisticRegression
    own_matrix: csr_matrix  # the examples' own words, each row of unit length
    labels: np.ndarray
    names: np.ndarray

    def judge(self, frame: pd.DataFrame) -> pd.DataFrame:
        """For items (item_type, own, context, proposed, basis): the unit the model gives (or 待确认), its
        probability, the probability of the rules' proposal, and the checked example most like the item among those
        given that unit."""
        if frame.empty:
            return pd.DataFrame(columns=["unit", "probability", "of_proposed", "like"], index=frame.index)
        features, own = _features((self.own, self.titles, self.rule), self.settings, frame)
        probabilities = self.regression.predict_proba(features)
        classes = list(self.regression.classes_)
        best = probabilities.argmax(axis=1)
        units = np.array(classes)[best]
        of_proposed = [probabilities[i, classes.index(p)] if p in classes else 0.0
                       for i, p in enumerate(frame.proposed)]
        return pd.DataFrame({"unit": units, "probability": probabilities.max(axis=1), "of_proposed": of_proposed,
                             "like": self._like(own, units)}, index=frame.index)

    def _like(self, own: csr_matrix, units: np.ndarray) -> list[str]:
        """The name of the example most like each item (cosine of their own words) among those labelled with the
        unit it was given; unit by unit, so that memory grows with the items of one unit, not all × all."""
        like = [""] * len(units)
        for unit in dict.fromkeys(units):
            rows, examples = np.flatnonzero(units == unit), np.flatnonzero(self.labels == unit)
            best = (own[rows] @ self.own_matrix[examples].T).toarray().argmax(axis=1)
            for row, at in zip(rows, best, strict=True):
                like[row] = str(self.names[examples[at]])
        return like


def _features(encoders: tuple, settings: LearnSettings, frame: pd.DataFrame, fit: bool = False):
    """(the features of items — characters of their own words and of their sections' titles, the rules' proposal
    with its evidence — weighted by the settings, and the own words' part alone); `fit` fits the encoders first."""
    own = (frame.item_type + " " + frame.own.map(simplified)).tolist()
    titles = (frame.item_type + " " + frame.context.map(simplified)).tolist()
    rule = pd.DataFrame({"proposed": frame.proposed, "with": frame.proposed + "|" + frame.basis})
    parts = [(e.fit_transform if fit else e.transform)(x) for e, x in zip(encoders, (own, titles, rule), strict=True)]
    weighted = hstack([parts[0], settings.title_weight * parts[1], settings.rule_weight * parts[2]]).tocsr()
    return weighted, parts[0].tocsr()


@functools.lru_cache(maxsize=4)
def train(rows: tuple[tuple[str, ...], ...], settings: LearnSettings) -> LeadModel:
    """A model trained on `training_rows` (the same rows and settings give the same model, trained once)."""
    frame = pd.DataFrame(list(rows), columns=["item_type", "own", "context", "proposed", "basis", "label", "name"])
    encoders = (TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
                TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, min_df=2),
                OneHotEncoder(handle_unknown="ignore"))
    features, own = _features(encoders, settings, frame, fit=True)
    regression = LogisticRegression(C=settings.strength, solver="saga", max_iter=300, tol=1e-3, random_state=0)
    regression.fit(features, frame.label)
    return LeadModel(settings, *encoders, regression, own, frame.label.to_numpy(), frame.name.to_numpy())
