"""The living demo (``fpdesk --demo``): a village office of the demo county with its season in progress,
so that a newcomer finds something on every screen. Written through the real services, on both engines."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from fpdesk.services.demo.season import DEMO_VILLAGE, demo_day, load_living_demo
from fpdesk.services.enrollment.claims import list_claims
from fpdesk.services.opening import open_workspace
from fpdesk.services.reports.target_progress import progress
from fpdesk.services.reports.targets import list_targets
from fpdesk.storage.schema_enrollment import Enrollment, Payment


def test_the_demo_plays_inside_the_sign_up_window():
    assert demo_day(dt.date(2026, 12, 5)) == dt.date(2026, 3, 20)  # after the deadline: March of this season
    assert demo_day(dt.date(2026, 3, 2)) == dt.date(2026, 3, 2)  # while the window is open: today
    assert demo_day(dt.date(2026, 1, 3)) == dt.date(2026, 3, 20)  # a season days old has nothing to show


def test_a_village_office_in_the_middle_of_its_season(db_url):
    workspace = open_workspace(db_url, author="罗秀梅")
    try:
        summary = load_living_demo(workspace, today=dt.date(2026, 12, 5))
        day = summary.day
        assert workspace.office.level.value == "village" and workspace.office.code == DEMO_VILLAGE
        assert summary.households > 150 and 0 < summary.enrollments < summary.households  # laggards left
        with workspace.read() as session:
            statuses = dict(session.execute(select(Enrollment.status, func.count()).group_by(Enrollment.status)).all())
            payers = set(session.scalars(select(Enrollment.payer_type).distinct()))
            receipts = session.scalar(select(func.count()).select_from(Payment))
            first_day, last_day = session.execute(select(func.min(Enrollment.enrolled_on),
                                                         func.max(Enrollment.enrolled_on))).one()
        assert statuses.get("paid", 0) == receipts == summary.paid > 0
        assert statuses.get("registered", 0) > summary.unpaid > 0  # unpaid families beside the government's share
        assert {"self", "government"} <= payers
        assert first_day < day - dt.timedelta(days=28) and day - dt.timedelta(days=7) < last_day <= day
        claims = list_claims(workspace)
        assert {c["status"] for c in claims} == {"paid", "reported", "registered"}
        targets = list_targets(workspace, year=day.year)
        assert [t["division_code"] for t in targets] == [DEMO_VILLAGE]
        report = progress(workspace, year=day.year, as_of=day)
        assert report.total.target.total > report.total.enrolled.total > report.total.previous.total > 0
        assert report.total.change > 0  # last week's figures beside this week's
    finally:
        workspace.close()
