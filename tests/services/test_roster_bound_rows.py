"""A roster's rows made as tuples of bound values (services/rosters/new_rows.py,
services/enrollment/plan_rows.py, given to insert_processed) leave exactly the database the dicts
given to insert_rows left: every row of every table, the change log with its hashes, the chain's
signed head. The dict write is today's code before the tuples, kept here as the reference; both
writes start from copies of one office's file with the same ids and clock, so the hashes agree too.
The roster has mistakes, registered people and repeated names; one shot (CLI) and after the check."""

from __future__ import annotations

import functools
import shutil

import pytest
from roster_builders import write_mistaken_roster
from roster_writes import TODAY, dump_tables, office_with_known_family, same_ids_and_clock

from fpdesk.core.people import HouseholdDraft
from fpdesk.services.enrollment import enrolling
from fpdesk.services.opening import open_workspace
from fpdesk.services.registry.households import household_row_values, logged, person_row_values
from fpdesk.services.rosters import import_plan, importing
from fpdesk.services.rosters.importing import import_roster
from fpdesk.storage.bulk_insert import insert_rows


class DictHouseholdRows:
    """The new households and their category links as the dicts importing._apply gave insert_rows."""

    def __init__(self, _connection, now) -> None:
        self.now = now
        self.rows: list[dict] = []
        self.categories: list[dict] = []

    def add(self, recorder, decision) -> None:
        snapshot = decision.snapshot
        draft = HouseholdDraft(division_code=snapshot.division_code, categories=snapshot.categories,
                               certificate_no=snapshot.certificate_no, is_rural=snapshot.is_rural,
                               reward_recipient=snapshot.reward_recipient)
        draft_values = household_row_values(draft, snapshot.division_id)
        draft_values["address"] = decision.group.first.address or ""
        self.rows.append({"id": decision.household_id, "revision": 1, "created_at": self.now, "updated_at": self.now,
                          **draft_values})
        values = sorted(c.value for c in snapshot.categories)
        self.categories += [{"household_id": decision.household_id, "category": c} for c in values]
        recorder.record("household", decision.household_id, "insert", {**draft_values, "categories": values}, 1)


class DictPersonRows:
    """The new people as the dicts importing._apply gave insert_rows, and their entries."""

    def __init__(self, _connection, now) -> None:
        self.now = now
        self.rows: list[dict] = []

    def add(self, recorder, decision) -> None:
        household_text = str(decision.household_id)
        for row in decision.new_rows:
            person_id = decision.person_ids[row.row]
            values = person_row_values(row.person, decision.household_id)
            self.rows.append({"id": person_id, "revision": 1, "created_at": self.now, "updated_at": self.now,
                              **values})
            fields = logged(values)
            fields["household_id"] = household_text
            if fields["birth_date"] is not None:
                fields["birth_date"] = fields["birth_date"].isoformat()
            recorder.record("person", person_id, "insert", fields, 1)


class DictPlanRows:
    """The enrollments, insured people and contributions as the dicts write_plans gave insert_rows."""

    def __init__(self, _connection, now) -> None:
        self.now = now
        self.enrollments: list[dict] = []
        self.insured_rows: list[dict] = []
        self.contributions: list[dict] = []

    def _own(self) -> dict:
        return {"revision": 1, "created_at": self.now, "updated_at": self.now}

    def enrollment(self, enrollment_id, values):
        self.enrollments.append({"id": enrollment_id, **self._own(), **values})
        return enrollment_id

    def insured(self, row_id, row, _enrollment) -> None:
        self.insured_rows.append({"id": row_id, **self._own(), **row})

    def contribution(self, row, _enrollment) -> None:
        self.contributions.append({**self._own(), **row})


def _as_dicts(connection, table, keys, rows, *, logged):
    assert list(rows[0]) == keys  # the tuples' keys are the dicts' keys in their order
    insert_rows(connection, table, rows, logged=logged)


@pytest.fixture(scope="module")
def office_and_roster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bound")
    return office_with_known_family(folder), write_mistaken_roster(folder / "名册.xlsx", seed=37, count=900)


def _write(office, roster, target, *, checked: bool, as_dicts: bool, monkeypatch) -> dict:
    shutil.copy(office, target)
    with monkeypatch.context() as patch:
        same_ids_and_clock(patch)
        patch.setattr(importing, "plan_in_parts", functools.partial(import_plan.plan_in_parts, size=60))
        if as_dicts:
            patch.setattr(importing, "NewHouseholdRows", DictHouseholdRows)
            patch.setattr(importing, "NewPersonRows", DictPersonRows)
            patch.setattr(enrolling, "PlanRows", DictPlanRows)
            patch.setattr(importing, "insert_processed", _as_dicts)
            patch.setattr(enrolling, "insert_processed", _as_dicts)
        ws = open_workspace(str(target), author="tester")
        try:
            if checked:
                dry = import_roster(ws, roster, today=TODAY, year=2025, dry_run=True, keep_plan=True)
                result = import_roster(ws, roster, today=TODAY, year=2025, prepared=dry.prepared)
            else:
                result = import_roster(ws, roster, today=TODAY, year=2025)
            assert result.new > 400 and result.enrollments_new > 100 and result.updated and result.rejected
        finally:
            ws.close()
    return dump_tables(target)


@pytest.mark.parametrize("checked", [False, True], ids=["one shot", "after the check"])
def test_bound_tuples_leave_the_database_the_dicts_left(office_and_roster, tmp_path, monkeypatch, checked):
    office, roster = office_and_roster
    dicts = _write(office, roster, tmp_path / "dicts.sqlite3", checked=checked, as_dicts=True, monkeypatch=monkeypatch)
    tuples = _write(office, roster, tmp_path / "tuples.sqlite3", checked=checked, as_dicts=False,
                    monkeypatch=monkeypatch)
    assert len(dicts["change_log"]) > 1500 and len(dicts["person"]) > 400 and len(dicts["insured_person"]) > 200
    assert len(dicts["contribution"]) > 100 and len(dicts["household"]) > 100 and len(dicts["household_category"]) > 100
    assert tuples.keys() == dicts.keys()
    for table in dicts:
        assert tuples[table] == dicts[table], table
