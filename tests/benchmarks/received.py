"""Benchmark set-up: every enrollment's premium received on the day it was entered, written in one
statement (the payments and allocations are not what these benchmarks measure). Cover from the day
after payment gets its period as the services would date it (SQLite, the benchmarks' database)."""

from __future__ import annotations

from sqlalchemy import text


def mark_received(workspace) -> None:
    with workspace.db.transaction() as session:
        session.execute(text(
            "UPDATE enrollment SET status = 'paid', received_on = enrolled_on, "
            "period_start = COALESCE(period_start, date(enrolled_on, '+1 day')), "
            "period_end = COALESCE(period_end, date(enrolled_on, '+1 year')) "
            "WHERE status = 'registered'"))
