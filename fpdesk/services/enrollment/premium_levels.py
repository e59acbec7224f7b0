"""Each enrollment's premium by payer level, as every paper reads it: the certificate's split, the
finance list's columns per level and what each level still has to allocate, the 缴费方式 of the
rosters and the printed roster.

A premium one payer owes is told by that payer's word (政府投保 / 自主投保 / 单位投保); a premium
several levels share (province, county … the family) by 多级分担 (docs/glossary.md), with the
levels listed where the paper has room for them. Which levels pay what is the product's
(``contributions`` in its definition, applied by the rules engine and stored per enrollment);
what has been settled of each is the money services' (fpdesk.services.enrollment.money).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from fpdesk.core.language import pick
from fpdesk.core.product_terms import (
    FAMILY,
    SHARED_PAYER_EN,
    SHARED_PAYER_ZH,
    contribution_level,
    level_order,
)
from fpdesk.core.vocabulary import PayerType
from fpdesk.services.enrollment import money
from fpdesk.storage.schema_money import Contribution

_CHUNK = 900  # ids per IN (…): under SQLite's limit of bound parameters


class _Owing(NamedTuple):
    """What enrollment_money.contributions reads of an enrollment."""

    id: uuid.UUID
    payer_type: str
    premium_fen: int


def is_shared(levels: Mapping[str, int] | None) -> bool:
    """More than one level pays something of the premium."""
    return sum(1 for fen in (levels or {}).values() if fen) > 1


def payer_word(payer_type: str, shared: bool, *, english: bool = False) -> str:
    """The 缴费方式 of an enrollment on papers and screens: 多级分担 where levels share the premium."""
    if shared:
        return pick(SHARED_PAYER_ZH, SHARED_PAYER_EN, english)
    try:
        return PayerType(payer_type).label(pick("zh", "en", english))
    except ValueError:
        return payer_type


def settled_by_allocation(stored_level: str) -> bool:
    """Every level's part is settled by an allocation but the family's, which is paid in cash."""
    return contribution_level(stored_level) != FAMILY


def in_level_order(levels: Mapping[str, int]) -> dict[str, int]:
    """The levels province first, the family last."""
    return {level: levels[level] for level in sorted(levels, key=level_order)}


def levels_by_enrollment(session: Session, enrollment_ids: Sequence[uuid.UUID] | Select
                         ) -> dict[uuid.UUID, dict[str, int]]:
    """{enrollment: {stored level: fen}} of what each level pays (levels paying nothing left out),
    province first. Enrollments written before contributions existed have no rows: absent here,
    their payer owes the whole premium."""
    found: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    query = select(Contribution.enrollment_id, Contribution.payer_level, Contribution.amount_fen).where(
        Contribution.amount_fen != 0)
    selections = ([Contribution.enrollment_id.in_(enrollment_ids)] if isinstance(enrollment_ids, Select) else
                  [Contribution.enrollment_id.in_(enrollment_ids[i:i + _CHUNK])
                   for i in range(0, len(enrollment_ids), _CHUNK)])
    for where in selections:
        for enrollment_id, level, fen in session.execute(query.where(where)):
            found[enrollment_id][level] = found[enrollment_id].get(level, 0) + fen
    return {key: in_level_order(levels) for key, levels in found.items()}


def shared_enrollments(session: Session, enrollment_ids: Select) -> set[uuid.UUID]:
    """The enrollments of ``enrollment_ids`` whose premium more than one level pays (one grouped
    query: a county's insurer list asks it of every enrollment)."""
    return set(session.scalars(
        select(Contribution.enrollment_id).where(Contribution.enrollment_id.in_(enrollment_ids),
                                                 Contribution.amount_fen != 0)
        .group_by(Contribution.enrollment_id).having(func.count() > 1)))


def awaiting_allocation(session: Session, enrollments: Sequence[tuple[uuid.UUID, str, int]]
                        ) -> dict[uuid.UUID, dict[str, int]]:
    """{enrollment: {stored level: fen}} of what each level settled by allocation (every level but
    the family, whose part is paid in cash) still owes of (id, payer type, premium) enrollments;
    levels that owe nothing more are left out, and so are enrollments nothing is awaited for."""
    result: dict[uuid.UUID, dict[str, int]] = {}
    for enrollment_id, owed in money.contributions(session, [_Owing(*e) for e in enrollments]).items():
        waiting = {c.payer_level: c.outstanding_fen for c in owed
                   if money.PAYER_SETTLEMENT.get(c.payer_type) == "allocation" and c.outstanding_fen > 0}
        if waiting:
            result[enrollment_id] = in_level_order(waiting)
    return result


def still_owed_words(session: Session, enrollments: Sequence) -> dict[uuid.UUID, str]:
    """待缴费 (the family owes its part), 待拨款 (a level owes its allocation), or both, of each
    enrollment not yet received (rows with ``id``, ``payer_type``, ``premium_fen``): a shared
    premium whose family has paid is waiting for the levels, not for the family."""
    words: dict[uuid.UUID, str] = {}
    for enrollment_id, owed in money.contributions(session, list(enrollments)).items():
        owing = {money.PAYER_SETTLEMENT.get(c.payer_type, "allocation") for c in owed if c.outstanding_fen > 0}
        words[enrollment_id] = "、".join(word for kind, word in (("cash", "待缴费"), ("allocation", "待拨款"))
                                         if kind in owing)
    return words
