"""The county sees the township's figures once its changes arrive.

First with the plainest possible replay — every entry of the township's log applied in order to the
county database by table name — which proves the reports are pure functions of the replicated
tables (no local state, no snapshots); then through real sync packages between paired offices
(on SQLite and PostgreSQL), which is how the county gets them.
"""

import datetime as dt
import uuid

from sqlalchemy import Date, DateTime, Uuid, select

from fpdesk.services.enrollment import claims
from fpdesk.services.enrollment.hand_up import confirm_roster, hand_up_roster
from fpdesk.services.opening import open_workspace
from fpdesk.services.reports.statistics import statistics
from fpdesk.services.reports.target_progress import progress
from fpdesk.services.reports.targets import set_population, set_target
from fpdesk.services.workspace import add_division, init_office
from fpdesk.storage.schema import Base, ChangeEntry
from tests.progress_builders import PRODUCT, enroll_family, family
from tests.services.sync_helpers import Offices

D = dt.date
SKIPPED = {"office"}  # each installation keeps its own office row


def _value(column, value):
    if value is None:
        return None
    if isinstance(column.type, Uuid):
        return uuid.UUID(value)
    if isinstance(column.type, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    return value


def replay(source, target) -> int:
    with source.read() as session:
        entries = session.scalars(select(ChangeEntry).order_by(ChangeEntry.local_seq)).all()
    applied = 0
    with target.db.transaction() as session:
        for entry in entries:
            if entry.entity in SKIPPED:
                continue
            table = Base.metadata.tables[entry.entity]
            values = {k: _value(table.c[k], v) for k, v in entry.fields.items() if k in table.c}
            if entry.operation == "insert":
                for column in table.c:  # derived columns the log leaves out (pinyin search keys)
                    if column.name not in values and not column.nullable and column.default is None \
                            and not column.primary_key and isinstance(column.type.python_type(), str):
                        values[column.name] = ""
                session.execute(table.insert().values(id=entry.record_id, revision=entry.revision, **values))
            elif entry.operation == "update":
                session.execute(table.update().where(table.c.id == entry.record_id)
                                .values(revision=entry.revision, **values))
            applied += 1
    return applied


def test_county_figures_equal_the_townships_after_its_changes_arrive(tmp_path):
    township = open_workspace(str(tmp_path / "township.sqlite3"), author="城关乡")
    init_office(township, code="350421200", level="township", name="城关乡计生协")
    ref = _township_year(township)

    county = open_workspace(str(tmp_path / "county.sqlite3"), author="县计生协")
    init_office(county, code="350421", level="county", name="明溪县计划生育协会")
    assert replay(township, county) > 20
    _same_figures(township, county, ref)
    township.close()
    county.close()


def _township_year(township, villages_from_parent: bool = False) -> str:
    """Targets, population, three families enrolled (one unpaid) and a claim paid: its claim number."""
    if not villages_from_parent:
        for code, name in (("350421200201", "罗翠村"), ("350421200202", "坪埠村")):
            add_division(township, code=code, name=name, code_year=2024)
    set_target(township, year=2026, product=PRODUCT, division_code="350421200", government=3, self_paid=3)
    set_population(township, division_code="350421200", year=2026, residents=1200)
    gov, (gov_head, *_) = family(township, "350421200201", ("two_daughters_sterilized",))
    enroll_family(township, gov, D(2026, 3, 3))
    enroll_family(township, family(township, "350421200202")[0], D(2026, 3, 10))
    enroll_family(township, family(township, "350421200202")[0], D(2026, 3, 11), pay=False)
    # 罗翠村's roster handed up and confirmed in one action: the hand-up travels with the enrollments
    hand_up_roster(township, product=PRODUCT, year=2026, scope="350421200201", policy_number="GP2026-1",
                   on=D(2026, 3, 12), today=D(2026, 12, 1))
    confirm_roster(township, policy_number="GP2026-1", on=D(2026, 3, 13), today=D(2026, 12, 1))
    ref = claims.register_claim(township, person=gov_head, kind="accidental_medical", incident_on=D(2026, 5, 1),
                                claimed_fen=120000, reported_on=D(2026, 5, 2), report_number="R1",
                                green_channel=True, today=D(2026, 12, 1)).claim_no
    claims.set_documents(township, ref, claims.rules.checklist("accidental_medical"), on=D(2026, 5, 5))
    claims.advance(township, ref, "documents_complete", on=D(2026, 5, 5), today=D(2026, 12, 1))
    claims.advance(township, ref, "submitted", on=D(2026, 5, 6), today=D(2026, 12, 1))
    claims.record_paid(township, ref, paid_fen=100000, paid_on=D(2026, 6, 1), today=D(2026, 12, 1))
    return ref


def test_county_figures_equal_the_townships_after_its_package_arrives(tmp_path, db_url):
    offices = Offices(tmp_path)
    try:
        county = offices.county(db_url)
        township = offices.pair(county, "350421200", "township", "城关乡计生协")
        ref = _township_year(township)
        report = offices.send(township, county)
        assert report.rejected == 0 and report.held == 0 and report.new > 20
        _same_figures(township, county, ref)
    finally:
        offices.close()


def _same_figures(township, county, ref) -> None:
    def figures(ws):
        return (progress(ws, year=2026, product=PRODUCT, as_of=D(2026, 3, 15)).as_dict(),
                statistics(ws, year=2026, start_month=1).as_dict(),
                [{k: v for k, v in c.items() if k != "division"} for c in claims.list_claims(ws)],
                claims.claim_detail(ws, ref))

    here, there = figures(township), figures(county)
    assert here == there
    from fpdesk.services.enrollment.hand_up import list_rosters

    assert [(r["number"], r["policy_number"], r["households"]) for r in list_rosters(county)] == [
        (r["number"], "GP2026-1", 1) for r in list_rosters(township)]
    # two insured (a government allocation and a family's cash), the third registered but unpaid beside them
    assert here[0]["total"]["enrolled"]["total"] == 2 and here[0]["total"]["unpaid"]["total"] == 1
    assert here[1]["total"]["paid_fen"] == 100000
    assert here[3]["limit"]["used_fen"] == 100000 and len(here[3]["timeline"]) == 6
