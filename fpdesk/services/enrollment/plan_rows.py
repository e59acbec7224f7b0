"""The rows ``write_plans`` inserts, as tuples of bound values (enrollment/bound_values.py).

The keys are those of the dicts ``write_plans`` gave ``insert_rows`` before, in their order (the
record's own, then the values logged), so ``insert_processed`` runs the same statements with the
same parameters (tests/services/test_roster_bound_rows.py compares the databases).
"""

from __future__ import annotations

import datetime as dt
import uuid
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection

from fpdesk.services.enrollment.bound_values import BoundValues
from fpdesk.storage.schema_enrollment import Enrollment, InsuredPerson

ENROLLMENT_VALUE_KEYS = (
    "product_code", "product_version", "policy_year", "household_id", "channel", "unit_division_id", "payer_type",
    "funding_source", "status", "status_reason", "status_on", "shares", "premium_fen", "refunded_fen",
    "policy_number", "enrolled_on", "period_start", "period_end", "received_on", "handed_up_on", "issued_on",
    "hand_up_id", "renews_id", "form_values", "consent_by", "consent_on", "consent_method")
ENROLLMENT_ROW_KEYS = ("id", "revision", "created_at", "updated_at", *ENROLLMENT_VALUE_KEYS)
INSURED_VALUE_KEYS = ("enrollment_id", "person_id", "id_number", "product_code", "policy_year", "shares", "added_on",
                      "removed_on", "removal_reason", "sums_insured")
INSURED_ROW_KEYS = ("id", "revision", "created_at", "updated_at", *INSURED_VALUE_KEYS)
CONTRIBUTION_ROW_KEYS = ("revision", "created_at", "updated_at", "id", "enrollment_id", "payer_type", "payer_level",
                         "amount_fen")
# an enrollment's values that differ from household to household, bound row by row; the others
# (product, year, dates, payer, amounts) repeat from plan to plan: bound once for each set of them
_ENROLLMENT_OWN = ("household_id", "unit_division_id", "payer_type", "premium_fen", "renews_id", "hand_up_id",
                   "form_values", "consent_by")
_ENROLLMENT_REPEATED = tuple(key for key in ENROLLMENT_VALUE_KEYS if key not in _ENROLLMENT_OWN)


class PlanRows:
    """The bound rows of one ``write_plans`` call: ``enrollments``, ``insured_rows``, ``contributions``."""

    def __init__(self, connection: Connection, now: dt.datetime) -> None:
        self._enrollment = BoundValues(connection, Enrollment.__table__)
        self._insured = BoundValues(connection, InsuredPerson.__table__)
        self._id = self._enrollment.processor("id")
        self._now = self._enrollment.shared("created_at", now)
        self._own = itemgetter(*_ENROLLMENT_OWN)
        self._own_processors = [(n, self._enrollment.processor(key)) for n, key in enumerate(_ENROLLMENT_OWN)
                                if self._enrollment.processes(key)]
        self._repeated = itemgetter(*_ENROLLMENT_REPEATED)
        self._repeated_bound: dict[tuple, tuple] = {}
        # the row's values in ENROLLMENT_VALUE_KEYS order, from (repeated values bound) + (own values bound)
        positions = {key: n for n, key in enumerate(_ENROLLMENT_REPEATED + _ENROLLMENT_OWN)}
        self._in_order = itemgetter(*[positions[key] for key in ENROLLMENT_VALUE_KEYS])
        self._sums = self._insured.processor("sums_insured")
        self._sums_bound: dict[int, Any] = {}  # by the list's identity: the plans keep every list alive
        self._last_sums: Any = None
        self._last_sums_bound: Any = None
        self._last_dates: tuple = ()
        self._last_dates_bound: tuple = ()
        self.enrollments: list[tuple] = []
        self.insured_rows: list[tuple] = []
        self.contributions: list[tuple] = []

    def enrollment(self, enrollment_id: uuid.UUID, values: dict[str, Any]) -> Any:
        """Adds the enrollment's row; returns its id bound (its insured rows and contributions hold it)."""
        bound_id = self._id(enrollment_id)
        repeated = self._repeated(values)
        bound = self._repeated_bound.get(repeated)
        if bound is None:
            shared = self._enrollment.shared
            bound = self._repeated_bound[repeated] = tuple(
                shared(key, value) for key, value in zip(_ENROLLMENT_REPEATED, repeated, strict=True))
        own = list(self._own(values))
        for n, process in self._own_processors:
            own[n] = process(own[n])
        self.enrollments.append((bound_id, 1, self._now, self._now, *self._in_order(bound + tuple(own))))
        return bound_id

    def insured(self, row_id: uuid.UUID, row: dict[str, Any], enrollment_bound: Any) -> None:
        """Adds the insured person's row (its texts and numbers as they are: their types bind them unchanged)."""
        sums, dates = row["sums_insured"], (row["added_on"], row["removed_on"])
        if sums is not self._last_sums:  # the members of a plan follow each other with the same list
            self._last_sums, self._last_sums_bound = sums, self._sums_bound.get(id(sums))
            if self._last_sums_bound is None:
                self._last_sums_bound = self._sums_bound[id(sums)] = self._sums(sums)
        if dates != self._last_dates:
            shared = self._insured.shared
            self._last_dates, self._last_dates_bound = dates, (shared("added_on", dates[0]),
                                                               shared("removed_on", dates[1]))
        self.insured_rows.append((
            self._id(row_id), 1, self._now, self._now, enrollment_bound, self._id(row["person_id"]), row["id_number"],
            row["product_code"], row["policy_year"], row["shares"], *self._last_dates_bound, row["removal_reason"],
            self._last_sums_bound))

    def contribution(self, row: dict[str, Any], enrollment_bound: Any) -> None:
        self.contributions.append((1, self._now, self._now, self._id(row["id"]), enrollment_bound, row["payer_type"],
                                   row["payer_level"], row["amount_fen"]))
