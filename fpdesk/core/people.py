"""Drafts of households and persons as the user or a roster states them, checked before any write.

A draft is plain data; services turn checked drafts into records. Sex and birth date come from
the ID number whenever there is one — a typed value that disagrees is an error, never a second truth.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from fpdesk.core import idnumber, phone
from fpdesk.core.errors import DomainError
from fpdesk.core.limits import check_length
from fpdesk.core.vocabulary import HouseholdCategory, Relation, Sex


@dataclass(frozen=True)
class PersonDraft:
    name: str
    id_number: str | None = None
    relation: Relation = Relation.OTHER
    phone: str | None = None
    phone2: str | None = None
    # Only for people without an ID number yet (a newborn): otherwise derived.
    sex: Sex | None = None
    birth_date: dt.date | None = None


@dataclass(frozen=True)
class HouseholdDraft:
    division_code: str
    address: str = ""
    categories: frozenset[HouseholdCategory] = field(default_factory=frozenset)
    certificate_no: str | None = None  # 独生子女证号
    is_rural: bool = True
    reward_recipient: bool = False
    note: str = ""


@dataclass(frozen=True)
class CheckedPerson:
    """A person draft that passed every check, in stored form."""

    name: str
    id_number: str | None
    sex: Sex
    birth_date: dt.date
    relation: Relation
    phone: str | None
    phone2: str | None


def check_person(draft: PersonDraft, *, today: dt.date | None = None, allow_legacy_id: bool = False) -> CheckedPerson:
    name = " ".join(draft.name.split())
    if not name:
        raise DomainError("missing_field", {"field_zh": "姓名", "field_en": "name"})
    check_length("name", name)
    number = None
    if draft.id_number and draft.id_number.strip():
        facts = idnumber.validate(draft.id_number, today=today, allow_legacy=allow_legacy_id)
        number = facts.number
        if draft.birth_date and draft.birth_date != facts.birth_date:
            raise DomainError(
                "birth_date_mismatch", {"typed": draft.birth_date.isoformat(), "derived": facts.birth_date.isoformat()}
            )
        if draft.sex and draft.sex.value != facts.sex:
            raise DomainError("sex_mismatch", {"derived": Sex(facts.sex).label_zh})
        sex, birth = Sex(facts.sex), facts.birth_date
    else:
        if draft.sex is None:
            raise DomainError("missing_field", {"field_zh": "性别", "field_en": "sex"})
        if draft.birth_date is None:
            raise DomainError("missing_field", {"field_zh": "出生日期", "field_en": "birth date"})
        if draft.birth_date > (today or dt.date.today()):
            raise DomainError("bad_date", {"value": draft.birth_date.isoformat()})
        sex, birth = draft.sex, draft.birth_date
    phone1 = phone.validate(draft.phone) if draft.phone and draft.phone.strip() else None
    phone2 = phone.validate(draft.phone2) if draft.phone2 and draft.phone2.strip() else None
    return CheckedPerson(name, number, sex, birth, Relation(draft.relation), phone1, phone2)


def check_members(members: list[PersonDraft], **kwargs) -> list[CheckedPerson]:
    """Check every member; exactly one head; no ID number twice in the same household."""
    checked = [check_person(m, **kwargs) for m in members]
    heads = [p for p in checked if p.relation is Relation.HEAD]
    if len(heads) != 1:
        raise DomainError("household_needs_head")
    seen: set[str] = set()
    for p in checked:
        if p.id_number:
            if p.id_number in seen:
                raise DomainError("person_in_other_household",
                                  {"masked": idnumber.mask(p.id_number), "village": "本户", "head": "本户"})
            seen.add(p.id_number)
    return checked


def normalise_household(draft: HouseholdDraft) -> HouseholdDraft:
    return replace(
        draft,
        address=check_length("address", " ".join(draft.address.split())),
        certificate_no=check_length("certificate_no", (draft.certificate_no or "").strip() or None),
        categories=frozenset(HouseholdCategory(c) for c in draft.categories),
    )
