"""The table contract: load pipeline/schema/tables.yml and check a table against it."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import resources

import pandas as pd
import yaml


def load_contract() -> dict:
    """The declared tables, their columns and checks."""
    return yaml.safe_load(resources.files("pipeline.schema").joinpath("tables.yml").read_text("utf-8"))


def check_table(name: str, frame: pd.DataFrame, tables: dict[str, pd.DataFrame], contract: dict,
                vocabularies: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """Every way `frame` breaks the contract for table `name` (empty when it keeps it). Accepted values the
    contract names as a vocabulary declared elsewhere ({vocabulary: statuses}) are looked up in `vocabularies`
    (statuses: `Statuses.computed` of templates/workbook_style.yaml); one not given is a problem too."""
    spec = contract[name]
    problems = []
    declared = list(spec["columns"])
    missing = [c for c in declared if c not in frame.columns]
    if missing:
        problems.append(f"{name}: missing columns {missing}")
    for key in spec.get("unique", []):
        dup = frame[key][frame[key].duplicated()]
        if len(dup):
            problems.append(f"{name}.{key}: duplicated values {dup.head(3).tolist()}")
    for column, checks in spec["columns"].items():
        if column not in frame.columns:
            continue
        values = frame[column].astype(str)
        if checks.get("not_null") and (values == "").any():
            problems.append(f"{name}.{column}: {(values == '').sum()} empty values")
        allowed = checks.get("accepted_values")
        if isinstance(allowed, Mapping):
            vocabulary = allowed["vocabulary"]
            allowed = (vocabularies or {}).get(vocabulary)
            if allowed is None:
                problems.append(f"{name}.{column}: the accepted values of '{vocabulary}' were not given")
        if allowed is not None:
            bad = sorted(set(values) - {str(a) for a in allowed})
            if bad:
                problems.append(f"{name}.{column}: values not accepted {bad[:5]}")
        target = checks.get("relationship")
        if target:
            table, key = target.split(".")
            known = set(tables[table][key].astype(str)) if table in tables else set()
            orphans = sorted(set(values[values != ""]) - known)
            if orphans:
                problems.append(f"{name}.{column}: {len(orphans)} values not in {target}, e.g. {orphans[:3]}")
    return problems
