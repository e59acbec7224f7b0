"""The life of an enrollment: registered → paid → handed up → confirmed, or cancelled / refunded.

Pure data and one check, used by the services (which store the status) and shown by the GUI.

- registered: entered at the village; premium not (fully) received.
- paid: the premium was received: the family's cash against a receipt, the government's or an
  employer's by allocation (拨款) — before the roster went up.
- handed_up: sent upward on a roster (township → finance office and insurer, docs/rules.md#hand-up). A
  government- or employer-paid enrollment may go up before its allocation (the finance office
  checks the roster, then allocates); whether its premium is received is ``received_on``, not the
  status.
- confirmed: the insurer issued the policy; its number is recorded.
- cancelled: withdrawn with a reason while no money is held for it.
- refunded: withdrawn with a reason and the premium paid back.

A payment voided before the roster is handed up takes a paid enrollment back to registered.
"""

from __future__ import annotations

from fpdesk.core.errors import DomainError

REGISTERED, PAID, HANDED_UP, CONFIRMED, CANCELLED, REFUNDED = (
    "registered", "paid", "handed_up", "confirmed", "cancelled", "refunded")

LABELS: dict[str, tuple[str, str]] = {
    REGISTERED: ("已登记", "registered"),
    PAID: ("已缴费", "paid"),
    HANDED_UP: ("已上报", "handed up"),
    CONFIRMED: ("已承保", "confirmed"),
    CANCELLED: ("已取消", "cancelled"),
    REFUNDED: ("已退保", "refunded"),
}

TRANSITIONS: dict[str, frozenset[str]] = {
    REGISTERED: frozenset({PAID, HANDED_UP, CANCELLED}),
    PAID: frozenset({REGISTERED, HANDED_UP, CANCELLED, REFUNDED}),
    HANDED_UP: frozenset({CONFIRMED, CANCELLED, REFUNDED}),
    CONFIRMED: frozenset({CANCELLED, REFUNDED}),
    CANCELLED: frozenset(),
    REFUNDED: frozenset(),
}
ACTIVE = frozenset({REGISTERED, PAID, HANDED_UP, CONFIRMED})
# Statuses past registration (a handed-up roster of the government's may still wait for its money:
# the insured count as covered only once ``received_on`` is set).
IN_FORCE = frozenset({PAID, HANDED_UP, CONFIRMED})


def label_zh(status: str) -> str:
    return LABELS[status][0]


def label_en(status: str) -> str:
    return LABELS[status][1]


def check_transition(current: str, wanted: str) -> None:
    """Refuse a status change the life cycle does not allow."""
    if wanted not in TRANSITIONS[current]:
        raise DomainError("status_transition_not_allowed", {
            "from_zh": label_zh(current), "to_zh": label_zh(wanted),
            "from_en": label_en(current), "to_en": label_en(wanted)})
