"""The monitoring store: every return, every accepted value and every rejected cell, never lost.

Shared by 实施, 调整 and 评估 (monitor, adjust, evaluate). One module for SQLite (default, a file under
outputs/) and any SQLAlchemy URL (PostgreSQL).
A return is recorded in one transaction: its submission row, its observations and its rejections, and the
superseding of an earlier return of the same unit and month (kept, marked superseded). A file already
recorded (same sha256) changes nothing, so running a month twice leaves the store as it was.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from pipeline.tables import records

METADATA = sa.MetaData()
SUBMISSIONS = sa.Table(
    "submissions", METADATA,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("district_code", sa.String(12), nullable=False),
    sa.Column("unit", sa.String(64), nullable=False),
    sa.Column("period", sa.String(7), nullable=False),
    sa.Column("source_file", sa.String(255), nullable=False),
    sa.Column("archived_path", sa.String(512), nullable=False),
    sa.Column("submitted_by", sa.String(128), nullable=False),
    sa.Column("received_at", sa.String(32), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # accepted | superseded | refused
    sa.Column("superseded_by", sa.String(64), nullable=False, default=""),
    sa.Column("reason", sa.Text, nullable=False, default=""),
)
OBSERVATIONS = sa.Table(
    "observations", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.String(64), sa.ForeignKey("submissions.sha256"), nullable=False),
    sa.Column("district_code", sa.String(12), nullable=False),
    sa.Column("item_type", sa.String(16), nullable=False),
    sa.Column("item_id", sa.String(64), nullable=False),
    sa.Column("period", sa.String(7), nullable=False),
    sa.Column("value", sa.Float, nullable=True),
    sa.Column("cumulative_to_date", sa.Float, nullable=True),
    sa.Column("progress", sa.String(32), nullable=False, default=""),
    sa.Column("attainment", sa.String(32), nullable=False, default=""),
    sa.Column("issues", sa.Text, nullable=False, default=""),
    sa.Column("remark", sa.Text, nullable=False, default=""),
    sa.Column("source_file", sa.String(255), nullable=False),
    sa.Column("sheet", sa.String(64), nullable=False),
    sa.Column("cell", sa.String(16), nullable=False),
    sa.Column("submitted_by", sa.String(128), nullable=False),
    sa.Column("received_at", sa.String(32), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # accepted | superseded
    sa.Column("reason", sa.Text, nullable=False, default=""),
)
REJECTIONS = sa.Table(
    "rejections", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.String(64), sa.ForeignKey("submissions.sha256"), nullable=False),
    sa.Column("district_code", sa.String(12), nullable=False),
    sa.Column("unit", sa.String(64), nullable=False),
    sa.Column("period", sa.String(7), nullable=False),
    sa.Column("source_file", sa.String(255), nullable=False),
    sa.Column("sheet", sa.String(64), nullable=False),
    sa.Column("cell", sa.String(16), nullable=False),
    sa.Column("item_id", sa.String(64), nullable=False),
    sa.Column("item", sa.Text, nullable=False),
    sa.Column("raw_value", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("rule", sa.String(32), nullable=False),
    sa.Column("received_at", sa.String(32), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # open | superseded
)
LOCKS = sa.Table(
    "locks", METADATA,
    sa.Column("period", sa.String(7), primary_key=True),
    sa.Column("locked_at", sa.String(32), nullable=False),
    sa.Column("locked_by", sa.String(128), nullable=False),
)
PLAN_VERSIONS = sa.Table(
    "plan_versions", METADATA,
    sa.Column("version", sa.Integer, primary_key=True),  # version 1 is the plan as extracted
    sa.Column("recorded_at", sa.String(32), nullable=False),
    sa.Column("recorded_by", sa.String(128), nullable=False),
    sa.Column("source_file", sa.String(255), nullable=False),
    sa.Column("changes", sa.Integer, nullable=False),
)
ADJUSTMENTS = sa.Table(
    "adjustments", METADATA,
    sa.Column("change_id", sa.String(32), primary_key=True),
    sa.Column("version", sa.Integer, sa.ForeignKey("plan_versions.version"), nullable=False),
    sa.Column("indicator_id", sa.String(64), nullable=False),
    sa.Column("district_code", sa.String(12), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("field", sa.String(32), nullable=False),
    sa.Column("old_value", sa.Text, nullable=False),
    sa.Column("new_value", sa.Float, nullable=False),
    sa.Column("new_text", sa.Text, nullable=False),
    sa.Column("effective_from", sa.String(7), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("approved_by", sa.Text, nullable=False),
    sa.Column("recorded_by", sa.String(128), nullable=False),
    sa.Column("recorded_at", sa.String(32), nullable=False),
    sa.Column("line", sa.Integer, nullable=False),
)


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
        METADATA.create_all(self.engine)

    @classmethod
    def sqlite(cls, path: Path) -> Store:
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(f"sqlite:///{path}")

    def has(self, sha256: str) -> bool:
        """True when this exact file was recorded before."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(SUBMISSIONS.c.sha256).where(SUBMISSIONS.c.sha256 == sha256)).first() \
                is not None

    def record(self, submission: Submission) -> str:
        """Record one return in one transaction; return 'duplicate', 'refused', 'accepted' or 'superseding'."""
        if self.has(submission.sha256):
            return "duplicate"
        with self.engine.begin() as conn:
            earlier = [] if submission.refused_reason else conn.execute(
                sa.select(SUBMISSIONS.c.sha256).where(
                    (SUBMISSIONS.c.district_code == submission.district_code)
                    & (SUBMISSIONS.c.unit == submission.unit) & (SUBMISSIONS.c.period == submission.period)
                    & (SUBMISSIONS.c.status == "accepted"))).scalars().all()
            conn.execute(SUBMISSIONS.insert().values(
                sha256=submission.sha256, district_code=submission.district_code, unit=submission.unit,
                period=submission.period, source_file=submission.source_file,
                archived_path=submission.archived_path, submitted_by=submission.submitted_by,
                received_at=submission.received_at, superseded_by="",
                status="refused" if submission.refused_reason else "accepted", reason=submission.refused_reason))
            for sha in earlier:
                reason = f"被 {submission.source_file}（{submission.received_at}）取代" + (
                    f"；锁定后更正，理由：{submission.correction_reason}" if submission.correction_reason else "")
                conn.execute(SUBMISSIONS.update().where(SUBMISSIONS.c.sha256 == sha).values(
                    status="superseded", superseded_by=submission.sha256, reason=reason))
                conn.execute(OBSERVATIONS.update().where(OBSERVATIONS.c.sha256 == sha).values(
                    status="superseded", reason=reason))
                conn.execute(REJECTIONS.update().where(REJECTIONS.c.sha256 == sha).values(status="superseded"))
            if len(submission.observations):
                obs = submission.observations
                reason = obs.reason.map(lambda v: v if isinstance(v, str) else "") if "reason" in obs else ""
                obs = obs.assign(reason=reason)
                conn.execute(OBSERVATIONS.insert(), records(obs.assign(sha256=submission.sha256, status="accepted")))
            if len(submission.rejections):
                conn.execute(REJECTIONS.insert(), records(submission.rejections.assign(
                    sha256=submission.sha256, status="open")))
        if submission.refused_reason:
            return "refused"
        return "superseding" if earlier else "accepted"

    def lock(self, period: str, locked_at: str, locked_by: str) -> bool:
        """Lock a month once the office accepts it; return False when it was locked already."""
        if self.is_locked(period):
            return False
        with self.engine.begin() as conn:
            conn.execute(LOCKS.insert().values(period=period, locked_at=locked_at, locked_by=locked_by))
        return True

    def is_locked(self, period: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(LOCKS.c.period).where(LOCKS.c.period == period)).first() is not None

    def has_accepted(self, district_code: str, unit: str, period: str) -> bool:
        """True when an accepted return of this unit and month is on record."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(SUBMISSIONS.c.sha256).where(
                (SUBMISSIONS.c.district_code == district_code) & (SUBMISSIONS.c.unit == unit)
                & (SUBMISSIONS.c.period == period) & (SUBMISSIONS.c.status == "accepted"))).first() is not None

    def record_version(self, changes: pd.DataFrame, recorded_at: str, recorded_by: str, source_file: str) -> int:
        """Record approved changes as the next plan version (one transaction); return its number."""
        with self.engine.begin() as conn:
            last = conn.execute(sa.select(sa.func.max(PLAN_VERSIONS.c.version))).scalar() or 1
            version = last + 1
            conn.execute(PLAN_VERSIONS.insert().values(version=version, recorded_at=recorded_at,
                                                       recorded_by=recorded_by, source_file=source_file,
                                                       changes=len(changes)))
            conn.execute(ADJUSTMENTS.insert(), changes.assign(
                version=version, recorded_at=recorded_at, old_value=changes.old_value.astype(str)).to_dict("records"))
        return version

    def table(self, name: str) -> pd.DataFrame:
        """A whole table (submissions, observations or rejections), in a stable order."""
        table = METADATA.tables[name]
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
