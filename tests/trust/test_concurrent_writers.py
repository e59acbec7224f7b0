"""Eight writers at once, each with its own connection, started together: concurrency is held by
constraints and row locks, not by checks that two transactions both pass. On PostgreSQL (a county
server, CI) and on SQLite (a shared file).

- eight clerks enroll the same household: one enrollment, seven clear refusals;
- eight first receipts of a year: eight different numbers, no failure;
- eight imports of one package: applied once, the other seven say it was imported already;
- twelve wrong passwords at once: five are checked, the account locks, a right one then is refused.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.enrollment import status
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.opening import open_workspace
from fpdesk.services.registry import households as hh
from fpdesk.services.sync.importer import import_package
from fpdesk.services.trust import audit
from fpdesk.services.trust.accounts import add_user, log_in
from fpdesk.services.workspace import add_division
from fpdesk.storage.schema import Person
from fpdesk.storage.schema_enrollment import Enrollment, Payment
from fpdesk.storage.schema_sync import SyncPackage
from tests.services.sync_helpers import Offices, register_family

D = dt.date
PRODUCT = "fp_family_accident_100"
FORM = {"health_declaration": "是", "beneficiary_type": "法定"}
SPRING = D(2026, 3, 1)
WRITERS = 8


def at_once(count: int, job: Callable[[int], object]) -> list[object]:
    """Run ``job(i)`` in ``count`` threads released together; each result or the exception it raised."""
    start = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = job(index)
        except Exception as exc:  # what each writer met, to count below
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def codes(results: list[object]) -> Counter:
    return Counter(r.code if isinstance(r, DomainError) else type(r).__name__ if isinstance(r, Exception) else "ok"
                   for r in results)


def household(workspace, seq: int):
    draft = HouseholdDraft(division_code="350421200201", address="罗翠村3组17号",
                           categories=frozenset({HouseholdCategory("other_fp")}))
    people = [PersonDraft(f"林{seq}", make_number("350421", D(1980, 1, 1), 10 + seq * 2 + 1), Relation.HEAD),
              PersonDraft(f"陈{seq}", make_number("350421", D(1982, 3, 15), 10 + seq * 2), Relation.SPOUSE)]
    return hh.register_household(workspace, draft, people, today=D(2026, 1, 1)).primary_id


def writers(location: str) -> list:
    return [open_workspace(location, author=f"录入员{i}") for i in range(WRITERS)]


def test_eight_clerks_enrolling_one_household_make_one_enrollment(workspace):
    household_id = household(workspace, 1)
    opened = writers(workspace.db.url)
    try:
        results = at_once(WRITERS, lambda i: enroll(
            opened[i], product=PRODUCT, year=2026, household_id=household_id, on=SPRING, today=SPRING,
            consent_by="林1", form_values=FORM))
    finally:
        for ws in opened:
            ws.close()
    found = codes(results)
    assert found["ok"] == 1, found
    assert set(found) <= {"ok", "enrollment_exists", "enrollment_refused"}, found
    with workspace.read() as session:
        assert session.scalar(select(func.count()).select_from(Enrollment)) == 1
    assert audit.verify(workspace).ok


def test_eight_first_receipts_of_a_year_get_eight_numbers(workspace):
    enrollments = []
    for seq in range(WRITERS):
        result = enroll(workspace, product=PRODUCT, year=2026, household_id=household(workspace, seq + 1), on=SPRING,
                        today=SPRING, consent_by=f"林{seq + 1}", form_values=FORM)
        enrollments.append((result.enrollment_id, result.premium_fen))
    opened = writers(workspace.db.url)
    try:
        results = at_once(WRITERS, lambda i: status.record_payment(
            opened[i], enrollments[i][0], amount_fen=enrollments[i][1], paid_on=SPRING, today=SPRING))
    finally:
        for ws in opened:
            ws.close()
    assert codes(results) == Counter({"ok": WRITERS}), results
    with workspace.read() as session:
        numbers = sorted(session.scalars(select(Payment.receipt_no)))
    assert len(set(numbers)) == WRITERS
    assert [int(n.rsplit("-", 1)[1]) for n in numbers] == list(range(1, WRITERS + 1))
    assert audit.verify(workspace).ok


def test_eight_imports_of_one_package_apply_it_once(tmp_path, db_url):
    offices = Offices(tmp_path)
    try:
        county = offices.county(db_url)
        township = offices.pair(county, "350421200", "township", "城关乡计生协")
        add_division(township, code="350421200201", name="罗翠村", code_year=2024)
        for index in range(5):
            register_family(township, "350421200201", f"林{index}", 20 + index)
        package = offices.export(township, county)
        opened = [open_workspace(db_url) for _ in range(WRITERS)]
        try:
            results = at_once(WRITERS, lambda i: import_package(opened[i], package))
        finally:
            for ws in opened:
                ws.close()
        assert all(not isinstance(r, Exception) for r in results), results
        assert sum(1 for r in results if not r.already_imported) == 1
        with county.read() as session:
            assert session.scalar(select(func.count()).select_from(Person)) == 5
            assert session.scalar(select(func.count()).select_from(SyncPackage)) == 2  # pairing's answer, this one
        assert audit.verify(county).ok
    finally:
        offices.close()


def test_twelve_wrong_passwords_at_once_lock_the_account(workspace):
    add_user(workspace, name="admin", password="admin-pass-1", role="admin")
    add_user(workspace, name="clerk", password="clerk-pass-1", role="data_entry")
    opened = [open_workspace(workspace.db.url) for _ in range(12)]
    try:
        results = at_once(12, lambda i: log_in(opened[i], "clerk", f"wrong-pass-{i}"))
    finally:
        for ws in opened:
            ws.close()
    found = codes(results)
    assert found["login_failed"] == 5 - 1 and found["account_locked"] == 12 - 4, found
    with pytest.raises(DomainError) as caught:
        log_in(workspace, "clerk", "clerk-pass-1")
    assert caught.value.code == "account_locked"
