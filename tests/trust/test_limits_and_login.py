"""Row errors instead of aborted jobs for texts longer than their columns (the same limits on SQLite as on
PostgreSQL), and log-ins that answer a wrong name exactly as a wrong password."""

from __future__ import annotations

import datetime as dt

import pytest
from roster_builders import good_rows, person, write_roster
from sqlalchemy import func, select

from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import Relation
from fpdesk.services.registry import households as hh
from fpdesk.services.rosters.importing import import_roster
from fpdesk.services.trust.accounts import add_user, log_in
from fpdesk.storage.schema import Person

LONG_NAME = "阿" * 60  # the column holds 50


def test_a_name_over_fifty_characters_is_a_row_error_on_both_engines(workspace, tmp_path):
    rows = good_rows()
    rows[3] = person(4, LONG_NAME, rows[3][5], "户主", head=LONG_NAME, village="城东村", category="其他计生家庭",
                     payer="自费")
    rows[4][3] = LONG_NAME
    result = import_roster(workspace, write_roster(tmp_path / "名册.xlsx", rows), year=2024,
                           today=dt.date(2024, 4, 20))
    assert {issue.row for issue in result.rejected} == {7, 8}  # the long name's row; its household waits
    [issue] = [i for i in result.rejected if i.code == "text_too_long"]
    assert "姓名最多50个字" in issue.message
    with workspace.read() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 3  # 张三's household went in


def test_the_household_editor_refuses_a_long_name_and_address_on_both_engines(workspace):
    number = make_number("350421", dt.date(1980, 1, 1), 17)
    with pytest.raises(DomainError) as caught:
        hh.register_household(workspace, HouseholdDraft(division_code="350421200201", address="1组"),
                              [PersonDraft(LONG_NAME, number, Relation.HEAD)])
    assert caught.value.code == "text_too_long" and caught.value.params["limit"] == 50
    with pytest.raises(DomainError) as caught:
        hh.register_household(workspace, HouseholdDraft(division_code="350421200201", address="组" * 201),
                              [PersonDraft("张三", number, Relation.HEAD)])
    assert caught.value.code == "text_too_long" and caught.value.params["limit"] == 200


def test_a_wrong_name_is_answered_as_a_wrong_password(workspace):
    add_user(workspace, name="admin", password="admin-pass-1", role="admin")
    answers = {}
    for who in ("admin", "nobody"):
        seen = []
        for _ in range(6):
            with pytest.raises(DomainError) as caught:
                log_in(workspace, who, "wrong-password")
            seen.append((caught.value.code, caught.value.params.get("left")))
        answers[who] = seen
    assert answers["admin"] == answers["nobody"]
    assert answers["nobody"][:5] == [("login_failed", 4), ("login_failed", 3), ("login_failed", 2),
                                     ("login_failed", 1), ("account_locked", None)]
