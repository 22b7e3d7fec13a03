"""Moments kept by the services compare as moments on every engine, whatever zone they are given in."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select

from shared.days import VIETNAM
from shared.db import UTCDateTime, make_engine
from tests.conftest import ENGINE_KINDS, require_engines
from tests.support.engines import drop_databases, environment


@pytest.mark.parametrize("kind", ENGINE_KINDS)
def test_a_moment_late_in_the_utc_evening_falls_on_the_next_vietnamese_day(kind, tmp_path):
    require_engines(kind)
    env = environment(kind, tmp_path)
    engine = make_engine(env.get("REVIEW_DATABASE_URL") or f"sqlite:///{tmp_path}/moments.db")
    moments = Table("moments", MetaData(), Column("id", Integer, primary_key=True),
                    Column("at", UTCDateTime))
    try:
        moments.create(engine)
        at = datetime(2026, 11, 26, 17, 30, tzinfo=UTC)  # 00:30 on 27 November in Vietnam
        with engine.begin() as db:
            db.execute(insert(moments).values(id=1, at=at))
        day_starts = datetime.combine(at.astimezone(VIETNAM).date(), time(), VIETNAM)
        with engine.connect() as db:
            found = db.scalars(select(moments.c.at).where(
                moments.c.at >= day_starts, moments.c.at < day_starts + timedelta(days=1))).all()
        assert found == [at]
    finally:
        engine.dispose()
        drop_databases(env)
