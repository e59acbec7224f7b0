"""On a county demo with paid, unpaid and government-paid enrollments, progress, statistics, the insurer's
list and the reconciliation tell the same story: the same insured shares, persons and premium, the
same registered-unpaid beside them, and nothing unpaid inside any of them."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from fpdesk.services.demo.database import load_demo
from fpdesk.services.enrollment.reconciliation import reconcile
from fpdesk.services.opening import open_workspace
from fpdesk.services.reports.statistics import statistics
from fpdesk.services.reports.target_progress import progress
from fpdesk.services.rosters.export import export_roster

TODAY = dt.date(2026, 6, 1)
P = "fp_family_accident_100"


def test_progress_statistics_and_the_insurers_list_agree(db_url, tmp_path):
    workspace = open_workspace(db_url)
    summary = load_demo(workspace, scale="county", persons=4000, seed=3, with_enrollments=True, today=TODAY)
    made = summary.enrollments
    # the demo has every kind the counts must keep apart
    assert made["paid"] > 0 and made["allocated"] > 0 and made["unpaid"] > 0
    assert made["by_payer"]["government"] > 0 and made["by_payer"]["employer"] > 0

    report = progress(workspace, year=2026, product=P, as_of=TODAY)
    stats = statistics(workspace, year=2026, start_month=1, product=P, with_previous=False)
    out = tmp_path / "insurer.xlsx"
    exported = export_roster(workspace, year=2026, audience="insurer", product=P, out=out, today=TODAY)
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    header = rows[2]
    people = rows[3:3 + exported.rows]
    premium = header.index("保费（元）")
    households = [r for r in people if r[premium] is not None]  # the premium stands on a household's first row
    note = next(r[0] for r in rows[3 + exported.rows:] if r and str(r[0] or "").startswith("另有"))
    money = reconcile(workspace, year=2026, product=P)

    insured = report.total.enrolled.total
    assert insured == stats.total.shares == len(households) == made["paid"] + made["allocated"]
    assert stats.total.persons == exported.rows
    assert stats.total.premium_fen == round(sum(r[premium] for r in households) * 100) == insured * 10000
    assert report.total.unpaid.total == stats.total.unpaid_shares == made["unpaid"] == money.unpaid_households + sum(
        p.waiting for p in money.payers)
    assert note.startswith(f"另有已登记未缴费{made['unpaid']}户")
    by_payer = {payer: figures.shares for payer, figures in stats.by_payer}
    assert (report.total.enrolled.government, report.total.enrolled.self, report.total.enrolled.employer) == (
        by_payer.get("government", 0), by_payer.get("self", 0), by_payer.get("employer", 0))
    government = next(p for p in money.payers if p.payer == "government")
    assert stats.total.government_premium_fen == government.allocated_fen - government.refunded_fen
    workspace.close()
