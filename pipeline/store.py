"""The monitoring store: every return, every accepted value and every rejected cell, never lost.

Shared by 实施, 调整 and 评估 (monitor, adjust, evaluate). One module for SQLite (default, a file under
outputs/) and any SQLAlchemy URL (PostgreSQL).
A return is recorded in one transaction: its submission row, its observations and its rejections. The item is the
unit of update: a later return supersedes, item by item, only the earlier values of the items it carries (the
earlier rows kept, marked superseded, with what superseded them); a return that no longer has a value in force is
marked superseded as a whole. A file accepted before (same sha256) changes nothing, so running a month twice leaves
the store as it was; a file refused before is taken again (another month's folder, a reason now given), its
earlier refusal kept among the rejections.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from pipeline.schema import column_type, load_contract
from pipeline.tables import records

SQL_TYPES = {"number": sa.Float, "integer": sa.Integer, "month": sa.String(7), "timestamp": sa.String(32)}


def store_metadata(contract: dict | None = None) -> sa.MetaData:
    """The store's SQL tables, built from the tables of pipeline/schema/tables.yml that declare `store`: each
    column's type, length, key and reference as declared there. A number may be missing (NULL); text is never
    NULL ('' when empty), as in the CSV tables."""
    metadata = sa.MetaData()
    for name, spec in (contract or load_contract()).items():
        if "store" not in spec:
            continue
        keys = spec["store"].get("primary_key", [])
        columns = []
        for column, checks in spec["columns"].items():
            kind = column_type(checks)
            sql_type = SQL_TYPES.get(kind) or (sa.String(checks["length"]) if "length" in checks else sa.Text)
            references = [sa.ForeignKey(checks["foreign_key"])] if "foreign_key" in checks else []
            extra = {"autoincrement": True} if checks.get("autoincrement") else {}
            if kind not in ("number", "integer"):
                extra["default"] = ""
            columns.append(sa.Column(column, sql_type, *references, primary_key=column in keys,
                                     nullable=kind == "number" and not checks.get("not_null"), **extra))
        sa.Table(name, metadata, *columns)
    return metadata


@dataclass(frozen=True)
class Submission:
    """One received return: who, what month, where it was archived, and what was accepted or rejected."""

    sha256: str
    district_code: str
    unit: str
    period: str
    source_file: str
    archived_path: str
    submitted_by: str
    received_at: str
    observations: pd.DataFrame
    rejections: pd.DataFrame
    refused_reason: str = ""  # the whole file refused (not a form, another period …)
    correction_reason: str = ""  # why a locked month's return is changed (required once the month is locked)


class Store:
    """The store behind one SQLAlchemy URL ('sqlite:///outputs/store/monitor.sqlite', 'postgresql+psycopg://…')."""

    def __init__(self, url: str):
        self.engine = sa.create_engine(url, future=True)
        self.metadata = store_metadata()
        self.metadata.create_all(self.engine)
        self._add_new_columns()

    def _add_new_columns(self) -> None:
        """Columns the contract added after a store was made (observations.superseded_by …), added empty: an
        older store keeps every row and takes the new records."""
        present = sa.inspect(self.engine)
        with self.engine.begin() as conn:
            for table in self.metadata.sorted_tables:
                have = {c["name"] for c in present.get_columns(table.name)}
                for column in table.columns:
                    if column.name not in have:
                        kind = column.type.compile(dialect=self.engine.dialect)
                        default = "" if column.nullable else " DEFAULT ''"
                        conn.execute(sa.text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}{default}'))

    @property
    def sql(self) -> dict[str, sa.Table]:
        """The store's SQL tables by name."""
        return self.metadata.tables

    @classmethod
    def sqlite(cls, path: Path) -> Store:
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(f"sqlite:///{path}")

    def submission(self, sha256: str) -> dict | None:
        """The submissions row of this exact file (status, period, reason …), or None."""
        sub = self.sql["submissions"]
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(sub).where(sub.c.sha256 == sha256)).mappings().first()
        return dict(row) if row is not None else None

    def in_force(self, district_code: str, period: str, item_ids: list[str] | set[str]) -> pd.DataFrame:
        """The accepted observations of these items in one district and month (what a new return updates)."""
        obs = self.sql["observations"]
        with self.engine.connect() as conn:
            return pd.read_sql(sa.select(obs).where(
                (obs.c.district_code == district_code) & (obs.c.period == period) & (obs.c.status == "accepted")
                & obs.c.item_id.in_(sorted(item_ids))), conn)

    def record(self, submission: Submission) -> str:
        """Record one return in one transaction; return 'duplicate', 'refused', 'accepted' or 'superseding'. A
        file refused before is recorded again in place of its refusal (the refusal's rejection row is kept)."""
        sub, obs_t, rej = self.sql["submissions"], self.sql["observations"], self.sql["rejections"]
        before = self.submission(submission.sha256)
        if before is not None and before["status"] != "refused":
            return "duplicate"
        items = sorted(set(submission.observations.item_id)) if len(submission.observations) else []
        with self.engine.begin() as conn:
            row = dict(district_code=submission.district_code, unit=submission.unit, period=submission.period,
                       source_file=submission.source_file, archived_path=submission.archived_path,
                       submitted_by=submission.submitted_by, received_at=submission.received_at, superseded_by="",
                       status="refused" if submission.refused_reason else "accepted",
                       reason=submission.refused_reason or (f"锁定后报送，理由：{submission.correction_reason}"
                                                            if submission.correction_reason else ""))
            if before is None:
                conn.execute(sub.insert().values(sha256=submission.sha256, **row))
            else:
                conn.execute(sub.update().where(sub.c.sha256 == submission.sha256).values(**row))
                conn.execute(rej.update().where(rej.c.sha256 == submission.sha256).values(status="superseded"))
            superseded = self._supersede_items(conn, submission, items)
            if len(submission.observations):
                obs = submission.observations
                obs = obs.assign(**{c: obs[c].map(lambda v: v if isinstance(v, str) else "")
                                    for c in ("reason", "sources") if c in obs})
                conn.execute(obs_t.insert(), records(obs.assign(sha256=submission.sha256, status="accepted",
                                                                superseded_by="")))
            if len(submission.rejections):
                conn.execute(rej.insert(), records(submission.rejections.assign(
                    sha256=submission.sha256, status="open")))
        if submission.refused_reason:
            return "refused"
        return "superseding" if superseded else "accepted"

    def _supersede_items(self, conn, submission: Submission, items: list[str]) -> bool:
        """Mark the earlier values of `items` (same district and month) superseded by this return and an earlier
        return superseded once none of its values is in force; close the earlier open rejections of the items
        this return answers (with a value or with a rejection of its own: the latest says what to do). True when
        a value was superseded."""
        sub, obs_t, rej = self.sql["submissions"], self.sql["observations"], self.sql["rejections"]
        answered = sorted(set(items) | {i for i in submission.rejections.get("item_id", []) if i})
        if answered:
            conn.execute(rej.update().where(
                (rej.c.district_code == submission.district_code) & (rej.c.period == submission.period)
                & (rej.c.unit == submission.unit) & (rej.c.item_id.in_(answered)) & (rej.c.status == "open")
                & (rej.c.sha256 != submission.sha256)).values(status="superseded"))
        if not items:
            return False
        same = (obs_t.c.district_code == submission.district_code) & (obs_t.c.period == submission.period) \
            & (obs_t.c.item_id.in_(items)) & (obs_t.c.status == "accepted")
        earlier = sorted(set(conn.execute(sa.select(obs_t.c.sha256).where(same)).scalars()))
        reason = f"被 {submission.source_file}（{submission.received_at}）取代" + (
            f"；锁定后更正，理由：{submission.correction_reason}" if submission.correction_reason else "")
        conn.execute(obs_t.update().where(same).values(status="superseded", superseded_by=submission.sha256,
                                                       reason=reason))
        for sha in earlier:
            left = conn.execute(sa.select(sa.func.count()).select_from(obs_t).where(
                (obs_t.c.sha256 == sha) & (obs_t.c.status == "accepted"))).scalar()
            conn.execute(sub.update().where(sub.c.sha256 == sha).values(
                reason=f"部分数值被 {submission.source_file}（{submission.received_at}）更新，其余 {left} 项仍然有效")
                if left else sub.update().where(sub.c.sha256 == sha).values(
                status="superseded", superseded_by=submission.sha256, reason=reason))
        return bool(earlier)

    def lock(self, period: str, locked_at: str, locked_by: str) -> bool:
        """Lock a month once the office accepts it; return False when it was locked already."""
        locks = self.sql["locks"]
        if self.is_locked(period):
            return False
        with self.engine.begin() as conn:
            conn.execute(locks.insert().values(period=period, locked_at=locked_at, locked_by=locked_by))
        return True

    def is_locked(self, period: str) -> bool:
        locks = self.sql["locks"]
        with self.engine.connect() as conn:
            return conn.execute(sa.select(locks.c.period).where(locks.c.period == period)).first() is not None

    def record_version(self, changes: pd.DataFrame, recorded_at: str, recorded_by: str, source_file: str) -> int:
        """Record approved changes as the next plan version (one transaction); return its number."""
        versions, adj = self.sql["plan_versions"], self.sql["adjustments"]
        with self.engine.begin() as conn:
            last = conn.execute(sa.select(sa.func.max(versions.c.version))).scalar() or 1
            version = last + 1
            conn.execute(versions.insert().values(version=version, recorded_at=recorded_at,
                                                       recorded_by=recorded_by, source_file=source_file,
                                                       changes=len(changes)))
            conn.execute(adj.insert(), changes.assign(
                version=version, recorded_at=recorded_at, old_value=changes.old_value.astype(str)).to_dict("records"))
        return version

    def table(self, name: str) -> pd.DataFrame:
        """A whole table (submissions, observations or rejections), in a stable order."""
        table = self.sql[name]
        order = [c for c in ("version", "district_code", "period", "source_file", "item_id", "cell", "sha256",
                             "locked_at", "line")
                 if c in table.c]
        with self.engine.connect() as conn:
            return pd.read_sql(sa.select(table).order_by(*[table.c[c] for c in order]), conn)

    def accepted(self, district_code: str | None = None) -> pd.DataFrame:
        """Accepted observations (the current history)."""
        obs = self.table("observations")
        obs = obs[obs.status == "accepted"]
        return obs if district_code is None else obs[obs.district_code == district_code]
