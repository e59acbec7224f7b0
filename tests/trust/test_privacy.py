"""Personal information: consent (guardians for under-14s), retention and anonymisation that keeps the
audit chain verifiable, masked lists for roles without full access, full views logged. Both engines."""

import datetime as dt

import pytest
from sqlalchemy import select

from fpdesk.core.errors import DomainError
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.registry import households as hh
from fpdesk.services.trust import accounts, audit, privacy
from fpdesk.storage.schema import ChangeEntry, Person
from fpdesk.storage.schema_enrollment import InsuredPerson

D = dt.date
FATHER, CHILD = "350421198001010017", "350421201905200010"
PRODUCT = "fp_family_accident_100"


def family(workspace):
    draft = HouseholdDraft(division_code="350421200201", address="罗翠村3组",
                           categories=frozenset({HouseholdCategory.ONLY_CHILD}))
    result = hh.register_household(workspace, draft, [
        PersonDraft("林国华", FATHER, Relation.HEAD, phone="13812345678"),
        PersonDraft("林小明", CHILD, Relation.SON)], today=D(2026, 11, 22))
    with workspace.read() as session:
        ids = {p.name: p.id for p in session.scalars(select(Person))}
    return result.primary_id, ids


def test_a_child_under_14_is_consented_for_by_a_guardian(workspace):
    _, ids = family(workspace)
    with pytest.raises(DomainError) as caught:
        privacy.record_consent(workspace, ids["林小明"], given_on=D(2026, 3, 1), given_by="林小明")
    assert caught.value.code == "consent_guardian_required" and "14" in caught.value.message_zh
    with pytest.raises(DomainError):  # the guardian flag alone, without a name, is not enough
        privacy.record_consent(workspace, ids["林小明"], given_on=D(2026, 3, 1), given_by="", guardian=True)
    child = privacy.record_consent(workspace, ids["林小明"], given_on=D(2026, 3, 1), given_by="林国华",
                                   guardian=True, form="signed_form")
    adult = privacy.record_consent(workspace, ids["林国华"], given_on=D(2026, 3, 1), given_by="林国华",
                                   purpose="insurer_sharing")
    assert (child.guardian, child.recorded_by, adult.purpose) == (True, "tester", "insurer_sharing")
    privacy.withdraw_consent(workspace, adult.id, on=D(2026, 6, 1))
    assert privacy.consents_of(workspace, ids["林国华"])[0].withdrawn_on == D(2026, 6, 1)


def test_people_past_retention_are_anonymised_and_the_chain_still_verifies(workspace):
    household_id, ids = family(workspace)
    enroll(workspace, product=PRODUCT, year=2021, household_id=household_id, on=D(2021, 3, 1), today=D(2021, 3, 1),
           consent_by="林国华", form_values={"health_declaration": "是", "beneficiary_type": "法定"})
    privacy.record_consent(workspace, ids["林国华"], given_on=D(2021, 3, 1), given_by="林国华")
    privacy.set_retention_years(workspace, 3)
    assert privacy.due_for_anonymisation(workspace, today=D(2024, 6, 1)) == []  # 2021 + 3 years not over
    due = privacy.due_for_anonymisation(workspace, today=D(2025, 6, 1))
    assert set(due) == set(ids.values())
    result = privacy.anonymise(workspace, due)
    assert result.persons == 2 and result.history_entries_redacted > 0
    with workspace.read() as session:
        people = session.scalars(select(Person)).all()
        assert {(p.name, p.id_number, p.phone) for p in people} == {(privacy.ANONYMOUS_NAME, None, None)}
        assert {p.birth_date for p in people} == {D(1980, 1, 1), D(2019, 1, 1)}
        assert session.scalars(select(InsuredPerson.id_number)).all() == [None, None]
        logged = " ".join(str(e.fields) + str(e.old_values) for e in session.scalars(select(ChangeEntry)))
    assert FATHER not in logged and CHILD not in logged and "13812345678" not in logged
    assert audit.verify(workspace).ok  # redacted entries keep their links
    assert privacy.due_for_anonymisation(workspace, today=D(2025, 6, 1)) == []


def test_anonymising_needs_an_administrator(workspace, db_url):
    from fpdesk.services.opening import open_workspace
    _, ids = family(workspace)
    accounts.add_user(workspace, name="boss", password="password1", role="admin")
    accounts.add_user(workspace, name="clerk", password="password2", role="data_entry")
    other = open_workspace(db_url)
    try:
        accounts.log_in(other, "clerk", "password2")
        with pytest.raises(DomainError) as caught:
            privacy.anonymise(other, [ids["林国华"]])
        assert caught.value.code == "not_permitted"
    finally:
        other.close()


def test_full_number_exports_need_the_right_role_and_are_logged(workspace, db_url, tmp_path):
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.rosters.export import export_roster
    household_id, _ = family(workspace)
    enroll(workspace, product=PRODUCT, year=2026, household_id=household_id, on=D(2026, 3, 1), today=D(2026, 3, 1),
           consent_by="林国华", form_values={"health_declaration": "是", "beneficiary_type": "法定"})
    accounts.add_user(workspace, name="boss", password="password1", role="admin")
    accounts.add_user(workspace, name="clerk", password="password2", role="data_entry")
    other = open_workspace(db_url)
    try:
        accounts.log_in(other, "clerk", "password2")
        masked = export_roster(other, year=2026, audience="full", out=tmp_path / "full.xlsx")
        assert masked.masked
        with pytest.raises(DomainError) as caught:
            export_roster(other, year=2026, audience="insurer", out=tmp_path / "insurer.xlsx")
        assert caught.value.code == "not_permitted"
    finally:
        other.close()
    export_roster(workspace, year=2026, audience="insurer", out=tmp_path / "insurer.xlsx")
    events = audit.history(workspace, entity="access")
    kinds = [(e.author, e.operation, e.fields.get("for")) for e in events if e.operation.startswith("export")]
    assert kinds == [("boss", "export_pi", "insurer"), ("clerk", "export", "full")]
