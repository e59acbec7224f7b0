"""Money by payer on SQLite and PostgreSQL: allocations refused short and recorded over (the difference
named), a voucher used twice, an allocation voided, a voided receipt undoing the cover's date,
cash handed up against receipts, a health declaration of 否 refused in enrollment and on a roster's
row, and the change log and sync entities of the new records."""

from __future__ import annotations

import datetime as dt

import pytest
from roster_builders import ZHANG_GIRL, good_rows, write_roster
from sqlalchemy import select

from fpdesk.core.errors import DomainError
from fpdesk.services.enrollment import status
from fpdesk.services.enrollment.allocations import allocate, list_allocations, void_allocation
from fpdesk.services.enrollment.reconciliation import reconcile, record_handover
from fpdesk.services.rosters.importing import import_roster
from fpdesk.storage.schema import ChangeEntry
from tests.walks.walk_helpers import couple, details, enrolled, pay

D = dt.date
P = "fp_family_accident_100"
FORM = {"health_declaration": "是", "beneficiary_type": "法定"}
LUOCUI = "350421200201"


def government_households(ws, count):
    return [enrolled(ws, P, 2020, couple(ws, LUOCUI, ("hardship",))[0], D(2020, 4, 1), form=FORM).enrollment_id
            for _ in range(count)]


def test_an_allocation_short_of_what_is_owed_is_refused_and_one_over_is_kept_with_the_difference(workspace):
    """Two government households owe ¥200. A voucher of ¥150 is refused (allocate to fewer households);
    ¥250 is recorded, both are received, and the reconciliation names the ¥50 over; the same voucher a
    second time is refused."""
    ids = government_households(workspace, 2)
    with pytest.raises(DomainError) as caught:
        allocate(workspace, payer="government", voucher_no="城财1号", on=D(2020, 4, 10), today=D(2020, 4, 10),
                 amount_fen=15000, product=P, year=2020)
    assert caught.value.code == "allocation_short" and "¥200.00" in caught.value.message_zh
    result = allocate(workspace, payer="government", voucher_no="城财1号", on=D(2020, 4, 10), today=D(2020, 4, 10),
                      amount_fen=25000, product=P, year=2020)
    assert (result.allocated_fen, result.difference_fen, result.received) == (20000, 5000, 2)
    assert "拨款凭证城财1号：金额¥250.00，结算保费¥200.00，多拨¥50.00。" in [
        zh for zh, _ in reconcile(workspace, year=2020).differences]
    with pytest.raises(DomainError) as caught:
        allocate(workspace, payer="government", voucher_no="城财1号", on=D(2020, 4, 11), today=D(2020, 4, 11),
                 enrollment_ids=ids)
    assert caught.value.code in ("voucher_used", "nothing_to_allocate")
    assert [a["voucher_no"] for a in list_allocations(workspace, year=2020)] == ["城财1号"]


def test_voiding_an_allocation_undoes_the_receipt_of_the_premium_and_its_cover(workspace):
    """Allocated 04-10 (covered 04-11 …), voided 04-12 as recorded in error: the enrollment is owed again,
    registered, its cover undated; the reconciliation names it as awaiting the government's money."""
    [enrollment_id] = government_households(workspace, 1)
    allocate(workspace, payer="government", voucher_no="城财2号", on=D(2020, 4, 10), today=D(2020, 4, 10),
             enrollment_ids=[enrollment_id])
    assert details(workspace, enrollment_id)["period"][0] == D(2020, 4, 11)
    void_allocation(workspace, "城财2号", reason="凭证号录错", on=D(2020, 4, 12), today=D(2020, 4, 12))
    d = details(workspace, enrollment_id)
    assert (d["status"], d["received_on"], d["period"], d["owed_fen"]) == ("registered", None, [None, None], 10000)
    assert any("政府投保1户待拨款" in zh for zh, _ in reconcile(workspace, year=2020).differences)


def test_a_voided_receipt_undoes_the_cover_date_and_cash_is_reconciled_per_collector(workspace):
    """Paid 04-20 (cover 04-21 …), the receipt voided the same day: registered again, no period; paid
    again 04-22: cover 04-23 …. The collector took ¥100 (the voided receipt does not count) and handed
    up ¥100: square."""
    household, _ = couple(workspace, LUOCUI)
    result = enrolled(workspace, P, 2020, household, D(2020, 4, 1), form=FORM)
    receipt = pay(workspace, result.enrollment_id, D(2020, 4, 20))
    status.void_payment(workspace, receipt, reason="收错户", on=D(2020, 4, 20), today=D(2020, 4, 20))
    assert details(workspace, result.enrollment_id)["period"] == [None, None]
    pay(workspace, result.enrollment_id, D(2020, 4, 22))
    assert details(workspace, result.enrollment_id)["period"][0] == D(2020, 4, 23)
    record_handover(workspace, collector="tester", amount_fen=10000, year=2020, on=D(2020, 4, 25),
                    today=D(2020, 4, 25), received_by="城关乡会计")
    report = reconcile(workspace, year=2020)
    assert [c.as_dict() for c in report.collectors] == [{"collector": "tester", "receipts": 1, "received_fen": 10000,
                                                        "refunded_fen": 0, "handed_over_fen": 10000, "held_fen": 0}]
    assert report.differences == []


def test_the_new_money_records_go_through_the_change_log(workspace):
    [enrollment_id] = government_households(workspace, 1)
    allocate(workspace, payer="government", voucher_no="城财3号", on=D(2020, 4, 10), today=D(2020, 4, 10),
             enrollment_ids=[enrollment_id])
    status.refund(workspace, enrollment_id, reason="重复", on=D(2020, 4, 12), today=D(2020, 4, 12))
    with workspace.read() as session:
        entities = session.scalars(select(ChangeEntry.entity).where(ChangeEntry.entity.in_(
            ("contribution", "allocation", "allocation_item", "refund")))).all()
    assert sorted(set(entities)) == ["allocation", "allocation_item", "contribution", "refund"]


def test_a_no_to_the_health_question_refuses_in_enrollment_and_on_the_roster_row(workspace, tmp_path):
    """S1 insures 「身体健康者」: answered 否 for the household, every person is refused with the reason; on a
    roster, the person whose row says 否 is registered and not insured, with that reason (the old program
    enrolled them); the rest of the household is insured."""
    household, _ = couple(workspace, LUOCUI)
    with pytest.raises(DomainError) as caught:
        enrolled(workspace, P, 2020, household, D(2020, 4, 1), form={**FORM, "health_declaration": "否"})
    assert caught.value.params["reason_codes"] == ["declaration_not_met"]
    assert "本产品只保身体健康者" in caught.value.message_zh
    rows = good_rows()
    rows[2][12] = "否"  # 张小妹's row
    result = import_roster(workspace, write_roster(tmp_path / "r.xlsx", rows), year=2024, today=D(2026, 1, 5))
    assert result.rejected == []
    by_row = {item.row: item for item in result.not_insured}
    girl = by_row[6]  # rows 4–8 hold the five people: 张小妹 is the third
    assert girl.code == "declaration_not_met" and set(by_row) == {6}
    assert "本产品只保身体健康者" in girl.message and ZHANG_GIRL not in girl.message


def test_a_contribution_id_is_the_uuid5_of_its_enrollment_and_level():
    import random
    import uuid

    from fpdesk.services.enrollment.money import _NAMESPACE, contribution_id

    draw = random.Random(5)
    for _ in range(2000):
        enrollment_id = uuid.UUID(int=draw.getrandbits(128))
        level = draw.choice(["self", "government", "employer", "county", "province", "insurer", "乡镇"])
        made = contribution_id(enrollment_id, level)
        expected = uuid.uuid5(_NAMESPACE, f"contribution:{enrollment_id}:{level}")
        assert (made, str(made), made.hex, made.version, made.variant) == (
            expected, str(expected), expected.hex, expected.version, expected.variant)
        assert made.is_safe == expected.is_safe and hash(made) == hash(expected)
