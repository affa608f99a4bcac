"""The table contract, pipeline/schema/tables.yml: every table the project writes or stores, each column's type
and meaning. `read_table` casts a table to its declared types; `write_table` refuses a table that breaks the
contract; the store's SQL tables and the column notes of the 说明 sheets are built from the same file."""
from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from pipeline.periods import MONTH_TEXT
from pipeline.tables import read_csv_text, write_csv

# The text each declared type other than number takes (checked on write and on read; numbers parse as floats)
FORMATS = {"integer": r"-?\d+", "year": r"\d{4}", "month": MONTH_TEXT.pattern,
           "timestamp": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"}


class ContractError(ValueError):
    """A table that does not keep the contract: names the table, the column and the values at fault."""


@functools.cache
def load_contract() -> dict:
    """The declared tables, their columns and checks (read once: the file ships with the code; do not modify)."""
    return yaml.safe_load(resources.files("pipeline.schema").joinpath("tables.yml").read_text("utf-8"))


def columns(name: str, contract: dict | None = None, supplied: bool = False) -> list[str]:
    """The declared columns of table `name`, in order (the order tables are written in); `supplied`: only those
    a stage supplies, without the ones the store fills in when it records a row (row number, submission)."""
    spec = (contract or load_contract())[name]
    fills = set(spec.get("store", {}).get("fills", [])) if supplied else set()
    return [c for c in spec["columns"] if c not in fills]


def column_type(spec: dict) -> str:
    """A column's declared type (text unless stated)."""
    return spec.get("type", "text")


def empty(name: str, contract: dict | None = None) -> pd.DataFrame:
    """Table `name` with no rows, its columns typed as declared."""
    return cast(pd.DataFrame(columns=columns(name, contract)), name, contract)


def cast(frame: pd.DataFrame, name: str, contract: dict | None = None) -> pd.DataFrame:
    """`frame` (as read from CSV, every cell text) with its numbers as floats (an empty cell is NaN) and its
    integers as Int64 (<NA>); years, months and timestamps are checked and stay text ('2021', '' when empty):
    the stages compare them as text and turn them into periods (pipeline.periods)."""
    spec = (contract or load_contract())[name]["columns"]
    out = frame.copy()
    problems = []
    for column, checks in spec.items():
        if column not in out:
            continue
        kind = column_type(checks)
        text = out[column].fillna("").astype(str)
        problems += _type_problems(name, column, kind, text)
        if kind in ("number", "integer"):
            values = pd.to_numeric(text.replace("", None), errors="coerce")
            out[column] = values.astype(float) if kind == "number" else values.astype("Int64")
        else:
            out[column] = text
    if problems:
        raise ValueError("; ".join(problems))
    return out


def read_table(name: str, path: Path) -> pd.DataFrame:
    """Table `name` from its CSV, typed as declared; a file without a declared column, or with a value its type
    cannot take, is a ContractError naming the file. A column declared `added` (to a table kept across runs) is
    read as empty from a file written before it was added."""
    frame = read_csv_text(path)
    contract = load_contract()
    later = [c for c in columns(name) if c not in frame.columns and contract[name]["columns"][c].get("added")]
    frame = frame.assign(**{c: "" for c in later})  # a kept table written before the column was added
    missing = [c for c in columns(name) if c not in frame.columns and not _generated(name, c)]
    if missing:
        raise ContractError(f"{path}: table {name} lacks the columns {missing}")
    try:
        return cast(frame, name)
    except (ValueError, TypeError) as exc:
        raise ContractError(f"{path}: table {name}: {exc}") from exc


def write_table(name: str, frame: pd.DataFrame, path: Path,
                vocabularies: Mapping[str, Sequence[str]] | None = None) -> Path:
    """Write table `name` as CSV (UTF-8 with BOM), its columns in declared order, after checking it keeps the
    contract (a ContractError otherwise: a bug upstream must not reach the office's files); `vocabularies` as
    in `check_table`."""
    contract = load_contract()
    problems = check_table(name, frame, {}, contract, vocabularies)
    if problems:
        raise ContractError(f"{path}: " + "; ".join(problems))
    return write_csv(frame[[c for c in columns(name, contract) if c in frame.columns]], path)


def _generated(name: str, column: str, contract: dict | None = None) -> bool:
    """A row number the store gives itself, absent from the tables written from the store."""
    return bool((contract or load_contract())[name]["columns"][column].get("autoincrement"))


def check_table(name: str, frame: pd.DataFrame, tables: dict[str, pd.DataFrame], contract: dict,
                vocabularies: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """Every way `frame` breaks the contract for table `name` (empty when it keeps it); relationships are checked
    against the `tables` given. Accepted values the contract names as a vocabulary declared elsewhere
    ({vocabulary: statuses}) are looked up in `vocabularies` (statuses: `Statuses.computed` of
    templates/workbook_style.yaml); one not given is a problem too."""
    spec = contract[name]
    problems = []
    declared = list(spec["columns"])
    missing = [c for c in declared if c not in frame.columns and not _generated(name, c, contract)]
    if missing:
        problems.append(f"{name}: missing columns {missing}")
    unknown = [c for c in frame.columns if c not in declared]
    if unknown:
        problems.append(f"{name}: columns not in the contract {unknown}")
    for key in spec.get("unique", []):
        dup = frame[key][frame[key].duplicated()]
        if len(dup):
            problems.append(f"{name}.{key}: duplicated values {dup.head(3).tolist()}")
    for column, checks in spec["columns"].items():
        if column not in frame.columns:
            continue
        values = frame[column].map(_as_cell)
        if checks.get("not_null") and (values == "").any():
            problems.append(f"{name}.{column}: {(values == '').sum()} empty values")
        problems += _type_problems(name, column, column_type(checks), values)
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
        if target and tables:
            table, key = target.split(".")
            known = set(tables[table][key].map(_as_cell)) if table in tables else set()
            orphans = sorted(set(values[values != ""]) - known)
            if orphans:
                problems.append(f"{name}.{column}: {len(orphans)} values not in {target}, e.g. {orphans[:3]}")
    return problems


def _as_cell(value) -> str:
    """A value as its CSV cell: '' for missing, whole floats without '.0' (2021.0 → '2021')."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _type_problems(name: str, column: str, kind: str, values: pd.Series) -> list[str]:
    """The values of a column its declared type cannot take."""
    given = values[values != ""].astype(str)
    if kind == "number":
        bad = given[pd.to_numeric(given, errors="coerce").isna()]
    elif kind in FORMATS:
        bad = given[~given.str.fullmatch(FORMATS[kind])]
    else:
        return []
    return [f"{name}.{column}: {len(bad)} values not of type {kind}, e.g. {sorted(set(bad))[:3]}"] if len(bad) else []


def column_notes(name: str, contract: dict | None = None) -> list[tuple[str, str]]:
    """(header, meaning) of each column of table `name` that a workbook shows with a note for officials
    (`label` and `note` in tables.yml): the 说明 sheets list them from here."""
    spec = (contract or load_contract())[name]["columns"]
    return [(c["label"], c["note"]) for c in spec.values() if c.get("label") and c.get("note")]
