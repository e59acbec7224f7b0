"""Personal information: consent per person, the retention setting, and anonymisation on request.

Consent (PIPL art. 29, 31): who agreed, when, on which form, for which purpose; a child under 14 is
consented for by a parent or guardian, never by the child. Retention (art. 19, 47): people no longer
insured for ``retention_years`` after the end of their last policy year are listed as due, and an
administrator anonymises them on request: name, ID and phone numbers go, the birth date keeps only its
year, and their past change-log values are replaced by digests so the audit chain still verifies.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update  # noqa: TID251 (anonymising: logged as the person's entry)

from fpdesk.core.dates import completed_years
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.services.permissions import require
from fpdesk.services.records import find_person, put_setting
from fpdesk.services.workspace import Workspace
from fpdesk.storage.audit_chain import redact_entries
from fpdesk.storage.schema import ChangeEntry, Person, Setting
from fpdesk.storage.schema_enrollment import InsuredPerson
from fpdesk.storage.schema_trust import Consent

RETENTION_SETTING = "privacy.retention_years"
DEFAULT_RETENTION_YEARS = 3  # policy year + claims tail (docs/rules.md#retention)
RETENTION_RANGE = (1, 30)  # what bad_retention says; the GUI's spin box offers the same range
GUARDIAN_AGE = 14
ANONYMOUS_NAME = "（已匿名）"
PERSONAL_FIELDS = ("name", "name_initials", "name_pinyin", "id_number", "phone", "phone2", "birth_date")


@dataclass(frozen=True)
class ConsentRecord:
    id: uuid.UUID
    person_id: uuid.UUID
    purpose: str
    given_on: dt.date
    given_by: str
    guardian: bool
    form: str
    recorded_by: str
    withdrawn_on: dt.date | None


def record_consent(workspace: Workspace, person_id: uuid.UUID, *, given_on: dt.date, given_by: str,
                   guardian: bool = False, purpose: str = "insurance", form: str = "paper",
                   today: dt.date | None = None) -> ConsentRecord:
    """Record that ``given_by`` agreed on ``given_on``; a child under 14 needs a guardian's consent."""
    require(workspace, "consent.record")
    today = today or dt.date.today()
    if given_on > today:
        raise DomainError("consent_future", {"value": given_on.isoformat()})
    given_by = given_by.strip()
    with workspace.write() as ctx:
        person = ctx.session.get(Person, person_id)
        if person is None:
            raise DomainError("person_not_found")
        age = completed_years(person.birth_date, given_on)
        if age < GUARDIAN_AGE and (not guardian or not given_by or given_by == person.name):
            raise DomainError("consent_guardian_required", {"name": person.name, "age": max(age, 0)})
        if not given_by:
            raise DomainError("missing_field", {"field_zh": "同意人", "field_en": "consenting person"})
        row = Consent(id=new_id(), person_id=person_id, purpose=purpose, given_on=given_on, given_by=given_by,
                      guardian=guardian, form=form, recorded_by=workspace.author)
        ctx.session.add(row)
        ctx.recorder.record("consent", row.id, "insert",
                            {"person_id": person_id, "purpose": purpose, "given_on": given_on,
                             "given_by": given_by, "guardian": guardian, "form": form,
                             "recorded_by": workspace.author}, 1)
    return _record(row)


def withdraw_consent(workspace: Workspace, consent_id: uuid.UUID, *, on: dt.date) -> ConsentRecord:
    require(workspace, "consent.record")
    with workspace.write() as ctx:
        row = ctx.session.get(Consent, consent_id)
        if row is None:
            raise DomainError("bad_argument", {"detail": "没有这条同意记录"})
        row.withdrawn_on = on
        row.revision += 1
        ctx.recorder.record("consent", row.id, "update", {"withdrawn_on": on}, row.revision, {"withdrawn_on": None})
    return _record(row)


def find_person_id(workspace: Workspace, ref: str | uuid.UUID) -> uuid.UUID:
    """A person by ID number (a living record first) or by record id; DomainError(person_not_found)."""
    with workspace.read() as session:
        return find_person(session, ref).id


@dataclass(frozen=True)
class MemberConsent:
    """A living member of a household with the consent in force (None: none given, or withdrawn)."""

    person_id: uuid.UUID
    name: str
    id_number: str  # masked unless the role may see it in full
    age: int
    needs_guardian: bool
    consent: ConsentRecord | None


def household_consents(workspace: Workspace, household_id: uuid.UUID, *,
                       today: dt.date | None = None) -> list[MemberConsent]:
    """The consent screen of one household: every living member, head first, and their consent."""
    from fpdesk.core.idnumber import mask
    from fpdesk.services.permissions import allows

    today = today or dt.date.today()
    full = allows(workspace, "pi.full")
    with workspace.read() as session:
        people = session.scalars(select(Person).where(Person.household_id == household_id,
                                                      Person.status == "alive")).all()
        given = {}
        for row in session.scalars(select(Consent).where(
                Consent.person_id.in_([p.id for p in people]), Consent.withdrawn_on.is_(None))
                .order_by(Consent.given_on)):
            given[row.person_id] = _record(row)  # the latest in force
    result = []
    for person in sorted(people, key=lambda p: (p.relation != "head", p.birth_date)):
        age = completed_years(person.birth_date, today)
        number = person.id_number or ""
        result.append(MemberConsent(person.id, person.name, number if full or not number else mask(number),
                                    max(age, 0), age < GUARDIAN_AGE, given.get(person.id)))
    return result


def consents_of(workspace: Workspace, person_id: uuid.UUID) -> list[ConsentRecord]:
    with workspace.read() as session:
        rows = session.scalars(select(Consent).where(Consent.person_id == person_id).order_by(Consent.given_on))
        return [_record(row) for row in rows]


def _record(row: Consent) -> ConsentRecord:
    return ConsentRecord(row.id, row.person_id, row.purpose, row.given_on, row.given_by, row.guardian, row.form,
                         row.recorded_by, row.withdrawn_on)


def retention_years(workspace: Workspace) -> int:
    with workspace.read() as session:
        row = session.get(Setting, RETENTION_SETTING)
    return int(row.value["years"]) if row is not None else DEFAULT_RETENTION_YEARS


def set_retention_years(workspace: Workspace, years: int) -> None:
    require(workspace, "settings.manage")
    if not RETENTION_RANGE[0] <= years <= RETENTION_RANGE[1]:
        raise DomainError("bad_retention")
    with workspace.write() as ctx:
        put_setting(ctx, RETENTION_SETTING, {"years": years})


def due_for_anonymisation(workspace: Workspace, *, today: dt.date | None = None) -> list[uuid.UUID]:
    """People once insured whose last policy year ended more than the retention period ago, and who
    are not insured in any later year."""
    today = today or dt.date.today()
    last_year_kept = today.year - retention_years(workspace) - 1
    with workspace.read() as session:
        last = (select(InsuredPerson.person_id, func.max(InsuredPerson.policy_year).label("year"))
                .group_by(InsuredPerson.person_id).subquery())
        query = (select(Person.id).join(last, last.c.person_id == Person.id)
                 .where(last.c.year <= last_year_kept, Person.name != ANONYMOUS_NAME))
        return list(session.scalars(query))


@dataclass
class AnonymiseResult:
    persons: int
    history_entries_redacted: int


def anonymise(workspace: Workspace, person_ids: list[uuid.UUID]) -> AnonymiseResult:
    """Remove what identifies these persons, here and in their change history (one transaction)."""
    require(workspace, "pi.anonymise")
    redacted = 0
    with workspace.write() as ctx:
        for person_id in person_ids:
            person = ctx.session.get(Person, person_id)
            if person is None:
                raise DomainError("person_not_found")
            seqs = list(ctx.session.scalars(select(ChangeEntry.local_seq).where(ChangeEntry.record_id == person_id)))
            insured_ids = list(ctx.session.scalars(select(InsuredPerson.id).where(InsuredPerson.person_id == person_id)))
            if insured_ids:  # the enrolment lines carry the ID number as enrolled
                seqs += ctx.session.scalars(select(ChangeEntry.local_seq)
                                            .where(ChangeEntry.record_id.in_(insured_ids))).all()
            consent_ids = list(ctx.session.scalars(select(Consent.id).where(Consent.person_id == person_id)))
            if consent_ids:
                seqs += ctx.session.scalars(select(ChangeEntry.local_seq)
                                            .where(ChangeEntry.record_id.in_(consent_ids))).all()
                # the person's "anonymised" entry stands for these: every office anonymises them alike
                ctx.session.execute(update(Consent).where(Consent.id.in_(consent_ids)).values(given_by=ANONYMOUS_NAME)
                                    .execution_options(fpdesk_logged=True))
            ctx.session.flush()
            redacted += redact_entries(ctx.session.connection(), seqs)
            person.name, person.name_initials, person.name_pinyin = ANONYMOUS_NAME, "", ""
            person.id_number, person.phone, person.phone2 = None, None, None
            person.birth_date = dt.date(person.birth_date.year, 1, 1)
            person.revision += 1
            ctx.session.execute(update(InsuredPerson).where(InsuredPerson.person_id == person_id).values(id_number=None)
                                .execution_options(fpdesk_logged=True))  # in the person's entry too
            ctx.recorder.record("person", person_id, "update",
                                {"anonymised": True, "name": ANONYMOUS_NAME, "id_number": None, "phone": None,
                                 "phone2": None, "birth_date": person.birth_date}, person.revision)
    return AnonymiseResult(len(person_ids), redacted)
