"""A small Mingxi county for targets, progress, statistics and claims tests: the nine townships, the
机关 channel, a few villages, and families registered and enrolled through the real services."""

from __future__ import annotations

import datetime as dt
import itertools

from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.opening import open_workspace
from fpdesk.services.registry import households as hh
from fpdesk.services.workspace import add_division, init_office

D = dt.date
PRODUCT = "fp_family_accident_100"
FORM = {"health_declaration": "是", "beneficiary_type": "法定"}
TOWNSHIPS = (("350421100", "雪峰镇"), ("350421101", "盖洋镇"), ("350421102", "胡坊镇"), ("350421103", "瀚仙镇"),
             ("350421200", "城关乡"), ("350421201", "沙溪乡"), ("350421202", "夏阳乡"), ("350421203", "枫溪乡"),
             ("350421204", "夏坊乡"))
VILLAGES = (("350421200201", "罗翠村"), ("350421200202", "坪埠村"), ("350421100201", "东门村"))
UNIT = "350421900001"
_serial = itertools.count(1)


def open_county(db_url, author="county-clerk"):
    ws = open_workspace(db_url, author=author)
    init_office(ws, code="350421", level="county", name="明溪县计划生育协会")
    for code, name in (*TOWNSHIPS, ("350421900", "机关"), *VILLAGES, (UNIT, "县卫生健康局")):
        add_division(ws, code=code, name=name, code_year=2024)
    return ws


def family(ws, village, categories=("other_fp",), *, members=3, elderly=False):
    """Register a family with unique ID numbers; returns (household id, [ID numbers])."""
    n = next(_serial)
    base = D(1950, 1, 1) if elderly else D(1980, 1, 1)
    head = make_number("350421", base + dt.timedelta(days=n), 11)
    spouse = make_number("350421", base + dt.timedelta(days=n + 400), 12)
    child = make_number("350421", D(2010, 1, 1) + dt.timedelta(days=n), 13)
    people = [PersonDraft(f"户主{n}", head, Relation.HEAD), PersonDraft(f"配偶{n}", spouse, Relation.SPOUSE),
              PersonDraft(f"子女{n}", child, Relation.SON)][:members]
    draft = HouseholdDraft(division_code=village, address=f"{n}号",
                           categories=frozenset(HouseholdCategory(c) for c in categories))
    household_id = hh.register_household(ws, draft, people, today=D(2026, 1, 1)).primary_id
    return household_id, [p.id_number for p in people]


def enroll_family(ws, household_id, on, *, product=PRODUCT, year=2026, pay=True, unit=False, **kwargs):
    options = {"product": product, "year": year, "household_id": household_id, "on": on, "today": on,
               "consent_by": "户主", "form_values": dict(FORM), **kwargs}
    if unit:
        options["unit_code"] = UNIT
        options["form_values"]["employer_unit"] = "县卫生健康局"
    result = enroll(ws, **options)
    if pay:
        receive(ws, result, on)
    return result


def receive(ws, result, on):
    """The premium received on ``on``: the family's cash against a receipt, the government's or an
    employer's by an allocation of its own voucher."""
    from fpdesk.services.enrollment.allocations import allocate
    from fpdesk.services.enrollment.status import record_payment

    if result.payer == "self":
        record_payment(ws, result.enrollment_id, amount_fen=result.premium_fen, paid_on=on, today=on)
    else:
        allocate(ws, payer=result.payer, voucher_no=f"拨{next(_serial)}", on=on, today=on,
                 enrollment_ids=[result.enrollment_id])
