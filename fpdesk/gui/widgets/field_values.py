"""Change-log values as a township clerk reads them: the household history and the sync conflict review
both show fields straight from the change log, so both name and show them here, in one way.

Codes become the words the screens use (female → 女, two_daughters_sterilized → 二女结扎户), booleans
是/否, nothing "—"; ``typed_value`` reads a word the clerk typed back into its code. Formatting masks
nothing: the history gets ID and phone numbers masked from services/trust/audit.py, the conflict review
through ``masked``, which applies the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from fpdesk.core.language import current, pick
from fpdesk.core.vocabulary import HouseholdCategory, HouseholdStatus, PersonStatus, Relation, Sex
from fpdesk.services.permissions import allows
from fpdesk.services.trust.audit import record_labels
from fpdesk.services.trust.pi_masking import masked_value

EMPTY = "—"
YES_NO = (QT_TRANSLATE_NOOP("FieldValues", "否"), QT_TRANSLATE_NOOP("FieldValues", "是"))
VOCABULARIES = {"sex": Sex, "relation": Relation, "status": PersonStatus, "categories": HouseholdCategory}
BY_ENTITY = {("household", "status"): HouseholdStatus}  # a field name two tables share, with their own words
LISTS = frozenset({"categories"})
FLAGS = frozenset({"is_rural", "reward_recipient"})
FIELD_LABELS = {
    "name": QT_TRANSLATE_NOOP("FieldValues", "姓名"), "id_number": QT_TRANSLATE_NOOP("FieldValues", "身份证号"),
    "phone": QT_TRANSLATE_NOOP("FieldValues", "电话"), "phone2": QT_TRANSLATE_NOOP("FieldValues", "备用电话"),
    "relation": QT_TRANSLATE_NOOP("FieldValues", "与户主关系"), "sex": QT_TRANSLATE_NOOP("FieldValues", "性别"),
    "birth_date": QT_TRANSLATE_NOOP("FieldValues", "出生日期"), "address": QT_TRANSLATE_NOOP("FieldValues", "地址"),
    "status": QT_TRANSLATE_NOOP("FieldValues", "状态"), "categories": QT_TRANSLATE_NOOP("FieldValues", "家庭类别"),
    "certificate_no": QT_TRANSLATE_NOOP("FieldValues", "独生子女证号"), "note": QT_TRANSLATE_NOOP("FieldValues", "备注"),
    "is_rural": QT_TRANSLATE_NOOP("FieldValues", "农村户口"),
    "reward_recipient": QT_TRANSLATE_NOOP("FieldValues", "奖励扶助对象"),
    "status_date": QT_TRANSLATE_NOOP("FieldValues", "状态日期"),
    "division_id": QT_TRANSLATE_NOOP("FieldValues", "村（社区）"),
    "household_id": QT_TRANSLATE_NOOP("FieldValues", "所在家庭户"),
}
NAMED_IDS = frozenset({"division_id", "household_id"})  # ids a clerk reads by name (services.audit.record_labels)
SEPARATORS = re.compile(r"[、,，;；]")


def field_label(key: str) -> str:
    return QCoreApplication.translate("FieldValues", FIELD_LABELS[key]) if key in FIELD_LABELS else key


def vocabulary(key: str, entity: str = ""):
    """The words of a field of ``entity`` (a person's status and a household's differ), or None."""
    return BY_ENTITY.get((entity, key)) or VOCABULARIES.get(key)


def field_value(value: Any, key: str = "", entity: str = "", labels: dict[str, str] | None = None) -> str:
    """``labels``: names of the ids the value may be (record_labels); an id without one shows as is."""
    if value is None or value == "" or value == []:
        return EMPTY
    if labels and key in NAMED_IDS and str(value) in labels:
        return labels[str(value)]
    if isinstance(value, list):
        return pick("、", ", ").join(_word(key, v, entity) for v in value)
    return _word(key, value, entity)


def _word(key: str, value: Any, entity: str = "") -> str:
    kind = vocabulary(key, entity)
    if kind is not None:
        try:
            member = kind(value)
        except ValueError:
            return str(value)  # a code this version does not know: still shown, not hidden
        return member.label(current())
    if isinstance(value, bool):
        return QCoreApplication.translate("FieldValues", YES_NO[value])
    return str(value)


def typed_value(text: str, key: str, entity: str = "") -> Any:
    """What the clerk typed as the stored value: the shown words are accepted back (配偶 → spouse,
    是 → True). ValueError for a word outside the field's vocabulary, so that no stray text is saved
    as a code (a category list would otherwise take each character of it)."""
    text = "" if text.strip() == EMPTY else text.strip()
    if key in NAMED_IDS:  # a village or household is chosen from the list, never typed
        raise ValueError(text)
    kind = vocabulary(key, entity)
    if key in LISTS:
        return _codes(kind, [part.strip() for part in SEPARATORS.split(text) if part.strip()])
    if kind is not None:
        return kind.from_text(text).value if text else None
    if key in FLAGS:
        words = {_word(key, flag).casefold(): flag for flag in (False, True)}
        if text.casefold() not in words:
            raise ValueError(text)
        return words[text.casefold()]
    return text  # free text as typed, "" included (an address is never None)


def _codes(kind, parts: list[str]) -> list[str]:
    """Codes of a typed list; a part that is no word joins the next (a label with a comma in it:
    "Two daughters, parent sterilized")."""
    codes, pending = [], ""
    for part in parts:
        pending = f"{pending}, {part}" if pending else part
        try:
            codes.append(kind.from_text(pending).value)
        except ValueError:
            continue
        pending = ""
    if pending:
        raise ValueError(pending)
    return codes


def masked(workspace, key: str, value: Any) -> Any:
    """The history's rule (services/trust/audit.py): ID and phone numbers in full only to roles with pi.full."""
    return value if allows(workspace, "pi.full") else masked_value(key, value)


SIDES = ("base", "ours", "theirs")


def conflict_labels(workspace, conflicts: Iterable[dict]) -> dict[str, str]:
    """Names of the villages and households the conflicts' values are, read once for them all."""
    return record_labels(workspace, [values[side] for conflict in conflicts
                                     for name, values in conflict["fields"].items() if name in NAMED_IDS
                                     for side in SIDES])


def conflict_value(workspace, conflict: dict, name: str, side: str, labels: dict[str, str]) -> str:
    """One side of a conflicting field as the review shows it: in words, masked as the history is."""
    value = masked(workspace, name, conflict["fields"][name][side])
    return field_value(value, name, conflict.get("entity", ""), labels)
