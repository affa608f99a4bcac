"""Extraction accuracy against hand-checked expectations (tests/gold/quantities_*.csv).

A predicted target or achievement matches an expected one when it is in the same document, on the
same raw line, of the same class, with the same value and unit; matching is one to one. Expected rows
marked doubtful ('?' in qualifier) count neither way: finding them is no gain, missing them no loss.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.extract.rows import normalise_name
from pipeline.text.normalise import simplified


def load_gold(gold_dir: Path, prefix: str = "quantities") -> pd.DataFrame:
    """All <prefix>_*.csv files of the gold folder as one table."""
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(gold_dir.glob(f"{prefix}_*.csv"))]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def predictions(statements: pd.DataFrame, achievements: pd.DataFrame, tables: bool = False) -> pd.DataFrame:
    """Target statements and reported figures as one table with the columns the gold files use: class target,
    achievement (an actual or an estimate) or baseline; `role` tells an estimate (预计) from an actual. Prose
    targets only, unless `tables` (the seeds' indicator table has its own gold file): then a table's targets and
    its baseline column too."""
    targets = statements if tables else statements[statements.source == "prose"]
    based = targets[(targets.source == "table") & targets.baseline_value.notna()
                    & (targets.baseline_value.astype(str) != "")]
    return pd.concat([
        pd.DataFrame({"doc_id": targets.doc_id, "line": targets.line, "class": "target", "role": "target",
                      "value": targets.target_value, "unit": targets.unit, "name": targets.name,
                      "quote": targets.quote}),
        pd.DataFrame({"doc_id": based.doc_id, "line": based.line, "class": "baseline", "role": "baseline",
                      "value": based.baseline_value, "unit": based.unit, "name": based.name, "quote": based.quote}),
        pd.DataFrame({"doc_id": achievements.doc_id, "line": achievements.line,
                      "class": achievements.role.where(achievements.role == "baseline", "achievement"),
                      "role": achievements.role, "value": achievements.value, "unit": achievements.unit,
                      "name": achievements.name, "quote": achievements.quote}),
    ], ignore_index=True)


def gold_role(gold: pd.DataFrame) -> pd.Series:
    """The role of each expected row: target, baseline, estimate (an achievement qualified 预计) or actual."""
    estimate = (gold["class"] == "achievement") & gold.qualifier.str.contains("预计")
    return gold["class"].where(gold["class"] != "achievement", "actual").where(~estimate, "estimate")


def _key(doc_id, line, cls, value, unit) -> tuple:
    try:
        number = round(float(value), 6)
    except (TypeError, ValueError):
        number = None
    if number != number:  # NaN: a target stated in words
        number = None
    return (str(doc_id), int(line), cls, number, simplified(normalise_name(str(unit))))  # 億元 is 亿元


def match(predicted: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Label every predicted and expected row: tp, fp, fn, or doubtful; one row per item, with its role (the
    expected row's for a match or a miss, the predicted one's for a false find)."""
    pool: dict[tuple, list[int]] = {}
    roles = gold_role(gold) if len(gold) else pd.Series(dtype=str)
    for i, g in gold.iterrows():
        pool.setdefault(_key(g.doc_id, g.line, g["class"], g.value, g.unit), []).append(i)
    used: set[int] = set()
    out = []
    for p in predicted.to_dict("records"):
        key = _key(p["doc_id"], p["line"], p["class"], p["value"], p["unit"])
        candidates = [i for i in pool.get(key, []) if i not in used]
        if candidates:
            used.add(candidates[0])
            doubtful = "?" in gold.at[candidates[0], "qualifier"]
            out.append((*key, "doubtful" if doubtful else "tp", p["quote"], roles[candidates[0]]))
        else:
            out.append((*key, "fp", p["quote"], p.get("role") or p["class"]))
    for i, g in gold.iterrows():
        if i not in used:
            label = "doubtful" if "?" in g.qualifier else "fn"
            out.append((*_key(g.doc_id, g.line, g["class"], g.value, g.unit), label, g.quote, roles[i]))
    return pd.DataFrame(out, columns=["doc_id", "line", "class", "value", "unit", "label", "quote", "role"])


def _score(frame: pd.DataFrame) -> dict:
    tp, fp, fn = ((frame.label == k).sum() for k in ("tp", "fp", "fn"))
    return {"tp": tp, "fp": fp, "fn": fn, "precision": tp / (tp + fp) if tp + fp else float("nan"),
            "recall": tp / (tp + fn) if tp + fn else float("nan")}


def scores(labelled: pd.DataFrame) -> pd.DataFrame:
    """Precision and recall per document and class, and overall."""
    groups = [(("全部", "全部"), labelled)] + list(labelled.groupby(["doc_id", "class"]))
    return pd.DataFrame([{"doc_id": doc_id, "class": cls, **_score(frame)} for (doc_id, cls), frame in groups])


def scores_by(labelled: pd.DataFrame, column: str) -> pd.DataFrame:
    """Precision and recall per value of `column` (genre, role), and over all rows."""
    groups = [("全部", labelled)] + list(labelled.groupby(column))
    return pd.DataFrame([{column: value, **_score(frame)} for value, frame in groups])


def match_projects(predicted: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Label projects tp/fp/fn: same document and raw line, and one name contains the other (normalised)."""
    pool = {}
    for i, g in gold.iterrows():
        pool.setdefault((g.doc_id, int(g.line)), []).append(i)
    used: set[int] = set()
    out = []
    for p in predicted.to_dict("records"):
        name = normalise_name(p["name"])
        hit = next((i for i in pool.get((p["doc_id"], int(p["line"])), []) if i not in used and name
                    and (normalise_name(gold.at[i, "name"]) in name or name in normalise_name(gold.at[i, "name"]))),
                   None)
        if hit is not None:
            used.add(hit)
        out.append((p["doc_id"], int(p["line"]), p["name"], "tp" if hit is not None else "fp"))
    out += [(g.doc_id, int(g.line), g["name"], "fn") for i, g in gold.iterrows() if i not in used]
    return pd.DataFrame(out, columns=["doc_id", "line", "name", "label"]).assign(**{"class": "project"})


def metadata_scores(inferred: pd.DataFrame, expected: pd.DataFrame) -> pd.DataFrame:
    """How many documents of a practice corpus get their genre, district, year and title right, against the
    hand-checked `expected` (tests/corpus/documents*.csv: source_file and the fields to score).

    >>> got = pd.DataFrame({"source_file": ["a", "b"], "doc_type": ["statistical_bulletin", "news"],
    ...                     "district": ["松北区", ""], "period_start": ["2023", "2019"], "title": ["t", "u"]})
    >>> metadata_scores(got, got.assign(doc_type=["statistical_bulletin", "work_report"])).right.tolist()
    [1, 2, 2, 2]
    """
    fields = [f for f in ("doc_type", "district", "period_start", "title", "level", "region", "published")
              if f in expected.columns]
    inferred = inferred.reindex(columns=["source_file", *fields], fill_value="")
    # a page that prints no title gets its file's name as title (the contract wants one): that is right there
    expected = expected.assign(title=expected.title.where(expected.title != "", expected.source_file.str.replace(
        r"\.[^.]+$", "", regex=True))) if "title" in fields else expected
    both = expected.merge(inferred, on="source_file", how="left", suffixes=("", "_got"))
    rows = []
    for field in fields:
        right = int((both[field].astype(str) == both[f"{field}_got"].fillna("").astype(str)).sum())
        rows.append({"field": field, "right": right, "total": len(both),
                     "share": right / len(both) if len(both) else 0.0})
    return pd.DataFrame(rows)


def key_scores(statements: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """How well statements are given their catalogue key, against hand-checked keys (tests/gold/indicator_keys.csv:
    statement_id, doc_id, line, name, key — empty where no catalogue indicator is meant). A statement is matched by
    its id, else by document, line and name; precision is over the keys given, recall over the keys expected."""
    by_id = dict(zip(gold.statement_id, gold.key, strict=True))
    by_place = dict(zip(zip(gold.doc_id, gold.line.astype(str), gold.name, strict=True), gold.key, strict=True))
    expected = [by_id.get(s, by_place.get((d, str(line), n)))
                for s, d, line, n in zip(statements.statement_id, statements.doc_id, statements.line,
                                         statements.name, strict=True)]
    pairs = [(str(given or ""), want) for given, want in zip(statements.canonical, expected, strict=True)
             if want is not None]
    given = [(g, w) for g, w in pairs if g]
    wanted = [(g, w) for g, w in pairs if w]
    hits = sum(g == w for g, w in given)
    return pd.DataFrame([{"checked": len(pairs), "unchecked": len(expected) - len(pairs), "given": len(given),
                          "expected": len(wanted), "correct": hits,
                          "precision": hits / len(given) if given else float("nan"),
                          "recall": sum(g == w for g, w in wanted) / len(wanted) if wanted else float("nan")}])
