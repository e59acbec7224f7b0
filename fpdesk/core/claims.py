"""Claims as fpdesk tracks them (docs/rules.md#claims-assistance, docs/rules.md#hospital-days): kinds, the status timeline,
the document checklist per kind, and the limits a product puts on what can be paid.

fpdesk does not decide claims (the insurer does); it keeps the family's case moving — green channel,
home visits, documents, report number — and shows the limits from the product definition: the
hospital-care days left this policy year (S3: ¥300/day, 90 days), the family's shared medical pool
(S1: ¥14,000) and a person's split death/disability sum (S1: ¥200,000 ÷ n). Money is integer fen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fpdesk.core.errors import DomainError
from fpdesk.core.language import text
from fpdesk.core.products import Liability, Product
from fpdesk.core.rules_benefits import hospital_days_payable

# kind -> (zh, en)
KINDS: dict[str, tuple[str, str]] = {
    "accidental_death": ("意外身故", "Accidental death"),
    "disability": ("意外伤残", "Disability"),
    "accidental_medical": ("意外医疗", "Accident medical expenses"),
    "hospital_care": ("住院护理", "Hospital care"),
    "other": ("其他", "Other"),
}

# Which liabilities of a product a claim of each kind draws on (the first the product has).
KIND_LIABILITIES: dict[str, tuple[str, ...]] = {
    "accidental_death": ("accident_death_disability", "term_life_death"),
    "disability": ("accident_death_disability",),
    "accidental_medical": ("accident_medical",),
    "hospital_care": ("hospital_care_allowance", "accident_hospital_allowance", "illness_hospital_allowance"),
    "other": (),
}

REGISTERED, REPORTED, DOCUMENTS_COMPLETE, SUBMITTED, PAID, DECLINED, CLOSED = (
    "registered", "reported", "documents_complete", "submitted", "paid", "declined", "closed")
STATUSES: dict[str, tuple[str, str]] = {
    REGISTERED: ("已登记", "registered"),
    REPORTED: ("已报案", "reported"),
    DOCUMENTS_COMPLETE: ("资料齐全", "documents complete"),
    SUBMITTED: ("已提交保险公司", "submitted to the insurer"),
    PAID: ("已赔付", "paid"),
    DECLINED: ("已拒赔", "declined"),
    CLOSED: ("已办结", "closed"),
}
TIMELINE = (REGISTERED, REPORTED, DOCUMENTS_COMPLETE, SUBMITTED, PAID, CLOSED)
TRANSITIONS: dict[str, frozenset[str]] = {
    REGISTERED: frozenset({REPORTED}),
    REPORTED: frozenset({DOCUMENTS_COMPLETE, DECLINED}),
    DOCUMENTS_COMPLETE: frozenset({SUBMITTED, DECLINED}),
    SUBMITTED: frozenset({PAID, DECLINED}),
    PAID: frozenset({CLOSED}),
    DECLINED: frozenset({CLOSED}),
    CLOSED: frozenset(),
}
# Claims that no longer hold a part of a cap: declined ones free what they had asked for.
RELEASED = frozenset({DECLINED})
OPEN = frozenset({REGISTERED, REPORTED, DOCUMENTS_COMPLETE, SUBMITTED})

DOCUMENT_LABELS: dict[str, tuple[str, str]] = {
    "claim_form": ("理赔申请书", "Claim form"),
    "id_proof": ("被保险人身份证明", "Insured person's ID"),
    "bank_account": ("领款人银行账户", "Payee's bank account"),
    "accident_proof": ("意外事故证明", "Proof of the accident"),
    "death_certificate": ("死亡证明", "Death certificate"),
    "household_deregistration": ("户籍注销证明", "Household-register cancellation"),
    "beneficiary_relation": ("受益人关系证明", "Proof of relation of the beneficiary"),
    "disability_assessment": ("伤残鉴定书", "Disability assessment"),
    "medical_records": ("病历及诊断证明", "Medical records and diagnosis"),
    "medical_invoices": ("医疗费用发票原件", "Original medical invoices"),
    "expense_list": ("费用明细清单", "Itemised expense list"),
    "admission_discharge": ("入院、出院记录", "Admission and discharge records"),
}
_COMMON = ("claim_form", "id_proof", "bank_account")
CHECKLISTS: dict[str, tuple[str, ...]] = {
    "accidental_death": (*_COMMON, "accident_proof", "death_certificate", "household_deregistration",
                         "beneficiary_relation"),
    "disability": (*_COMMON, "accident_proof", "disability_assessment", "medical_records"),
    "accidental_medical": (*_COMMON, "accident_proof", "medical_records", "medical_invoices", "expense_list"),
    "hospital_care": (*_COMMON, "admission_discharge", "medical_records"),
    "other": _COMMON,
}


def kind_label(kind: str, language: str = "zh") -> str:
    return text(KINDS[kind], language)


def status_label(status: str, language: str = "zh") -> str:
    return text(STATUSES[status], language)


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise DomainError("claim_kind_unknown", {"value": kind, "known": ", ".join(KINDS)})
    return kind


def check_transition(current: str, wanted: str) -> None:
    if wanted not in TRANSITIONS.get(current, frozenset()):
        raise DomainError("claim_status_transition", {
            "from_zh": STATUSES[current][0], "to_zh": STATUSES.get(wanted, (wanted,))[0],
            "from_en": STATUSES[current][1], "to_en": STATUSES.get(wanted, ("", wanted))[1]})


def checklist(kind: str) -> tuple[str, ...]:
    return CHECKLISTS[check_kind(kind)]


def missing_documents(kind: str, received: Iterable[str]) -> list[str]:
    have = set(received)
    return [key for key in checklist(kind) if key not in have]


def check_documents(kind: str, documents: Iterable[str]) -> list[str]:
    """The received documents in checklist order; refuses a key the kind's checklist lacks."""
    wanted = set(documents)
    allowed = checklist(kind)
    for key in wanted:
        if key not in allowed:
            raise DomainError("claim_document_unknown", {"value": key, "kind": KINDS[kind][0]})
    return [key for key in allowed if key in wanted]


def liability_for(product: Product, kind: str) -> Liability | None:
    """The product liability a claim of ``kind`` draws on (None for 'other' or an uncovered kind)."""
    for liability_kind in KIND_LIABILITIES[check_kind(kind)]:
        liability = product.liability(liability_kind)
        if liability is not None:
            return liability
    return None


@dataclass(frozen=True)
class Limit:
    """What a claim may still draw from its liability: the cap, what other claims hold, what is left.

    ``basis`` says which cap it is: per_day (days per person per policy year), shared_pool (one
    family pool per enrollment), equal_among_insured / per_person (the person's own sum).
    ``used_fen`` is what was paid; ``pending_fen`` what open claims ask for. Days count when claimed
    (the S3 counter of claimed days), so for per_day ``used_days`` includes open claims.
    """

    liability_kind: str
    basis: str
    cap_fen: int
    used_fen: int
    cap_days: int | None = None
    used_days: int | None = None
    pending_fen: int = 0

    @property
    def left_fen(self) -> int:
        """What can still be paid."""
        return max(self.cap_fen - self.used_fen, 0)

    @property
    def left_after_pending_fen(self) -> int:
        """What is left once the open claims are paid as asked."""
        return max(self.cap_fen - self.used_fen - self.pending_fen, 0)

    @property
    def left_days(self) -> int | None:
        if self.cap_days is None:
            return None
        return max(self.cap_days - (self.used_days or 0), 0)

    def as_dict(self) -> dict:
        return {"liability": self.liability_kind, "basis": self.basis, "cap_fen": self.cap_fen,
                "used_fen": self.used_fen, "pending_fen": self.pending_fen, "left_fen": self.left_fen,
                "left_after_pending_fen": self.left_after_pending_fen, "cap_days": self.cap_days,
                "used_days": self.used_days, "left_days": self.left_days}


def day_limit(liability: Liability, days_used_by_others: int) -> Limit:
    rate = liability.amount_per_day_fen or 0
    return Limit(liability.kind, "per_day", liability.max_total_fen, days_used_by_others * rate,
                 cap_days=liability.max_days_per_year, used_days=days_used_by_others)


def hospital_claim(liability: Liability, days_used_by_others: int, days_in_hospital: int) -> tuple[int, int]:
    """(days payable, amount in fen) of a hospital stay given the days other claims already hold."""
    result = hospital_days_payable(liability, min(days_used_by_others, liability.max_days_per_year or 0),
                                   days_in_hospital)
    return result.days_payable, result.amount_fen


def stay_limit(liability: Liability, days_payable: int) -> Limit:
    """What one hospital stay may be paid: its payable days × the daily rate. The year's day counter
    was applied when the stay was registered (``hospital_claim``) and is not applied again: two stays
    registered at two offices and merged by sync would otherwise each be cut for the other's days."""
    return Limit(liability.kind, "per_day", days_payable * (liability.amount_per_day_fen or 0), 0)


def sum_limit(liability: Liability, person_sum_fen: int | None, used_fen: int, pending_fen: int = 0) -> Limit:
    """The cap for a shared pool (the family's) or a person's own (split) sum."""
    cap = person_sum_fen if person_sum_fen is not None else (liability.amount_fen or 0)
    return Limit(liability.kind, liability.split, cap, used_fen, pending_fen=pending_fen)


def check_paid_within(limit: Limit | None, amount_fen: int) -> None:
    from fpdesk.core.money import format_fen

    if limit is not None and amount_fen > limit.left_fen:
        what = {"per_day": ("本次住院可赔天数", "the payable days of this stay"),
                "shared_pool": ("家庭共享医疗保额", "the family's shared medical pool")}.get(
            limit.basis, ("本人保险金额", "the person's sum insured"))
        raise DomainError("claim_over_limit", {"amount": format_fen(amount_fen), "left": format_fen(limit.left_fen),
                                               "what": what[0], "what_en": what[1]})
