"""What each office may send: the declared table of entities, directions, operations and owners.

A package is signed by its sender's device, but a signature only says who sent it, not that the
sender was entitled to write what it contains: a township laptop running a modified program signs
honestly whatever it sends. So an import checks every entry against ``OWNERSHIP`` before anything
is applied, and a package with one entry outside it is refused whole, naming the sender:

- the entity must be listed (accounts, keys, settings, invitations, print history, the change log
  itself and every table not listed here never travel);
- the operation must be allowed in the package's direction: upward (village → township → county) the
  records an office keeps; downward reference data and the decisions of conflicts (``resolve``);
- the record must belong to the office that made the change (the *origin*, whose device signed it):
  a village its own division's households and people, a township its villages', the county all;
- upward, the origin must be the sender or an office below it (a township relays its villages only);
- an office key must be the origin office's own, a device registration the registering parent's
  (or the county's), and product definitions come from the county only.

A record whose owner cannot be found here yet (its household arrives in a later package) is held,
not applied, and checked again when it is retried. Other branches' entities join the table with one
line each: ``"allocation": Rule(UP_DATA, via("enrollment_id", "enrollment"))``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from fpdesk.core.errors import DomainError
from fpdesk.core.sync_package import CANONICAL_ID
from fpdesk.services.entities import DOWN, RESOLVE, UP, table_of, uuid_of
from fpdesk.services.sync import words

# This installation's own records: its settings, users, log-ins and views, print history, pairing
# secrets and review bookkeeping. (Every table not in OWNERSHIP stays local too.)
LOCAL_ENTITIES = frozenset({"setting", "user_account", "access", "print_log", "eligible_list_entry",
                            "sync_invitation", "sync_conflict", "cash_handover"})
INSERT_UPDATE_DELETE = frozenset({"insert", "update", "delete"})
ALL = INSERT_UPDATE_DELETE | {RESOLVE}
DECISIONS = frozenset({RESOLVE})
NOTHING: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Owner:
    """How a record's owner (a division code) is found.

    ``code``: a column holding the division code itself. ``via``: a column holding the id of another
    record (``parent``) whose owner is this one's. ``office``: the column must name the origin
    office exactly (its own keys, its own office row). ``registrar``: a device registration, owned by
    the office that registers it. ``county``: only a county device may make it. ``unknown``: what a
    record whose owner is not here yet gets: ``hold`` it, or ``allow`` it (a review-queue row that
    changes no data)."""

    kind: str  # code | via | office | registrar | county
    column: str = ""
    parent: str = ""
    unknown: str = "hold"


def code(column: str) -> Owner:
    return Owner("code", column)


def via(column: str, parent: str, *, unknown: str = "hold") -> Owner:
    return Owner("via", column, parent, unknown)


@dataclass(frozen=True)
class Rule:
    up: frozenset[str]  # operations a child may send to its parent
    down: frozenset[str]  # operations a parent may send to its children
    owner: Owner


# The records an office keeps travel up; a parent's decision about one of them (resolve) travels down.
DATA = (ALL, DECISIONS)
# Reference data travels both ways (a township adds its villages and sends them up; the county's come down).
REFERENCE = (ALL, ALL)

OWNERSHIP: dict[str, Rule] = {
    "office": Rule(INSERT_UPDATE_DELETE, NOTHING, Owner("office", "code")),
    "division": Rule(*REFERENCE, code("code")),
    "household": Rule(*DATA, via("division_id", "division")),
    "person": Rule(*DATA, via("household_id", "household")),
    "consent": Rule(*DATA, via("person_id", "person")),
    "enrollment": Rule(*DATA, via("household_id", "household")),
    "insured_person": Rule(*DATA, via("enrollment_id", "enrollment")),
    "payment": Rule(*DATA, via("enrollment_id", "enrollment")),
    "contribution": Rule(*DATA, via("enrollment_id", "enrollment")),
    "refund": Rule(*DATA, via("enrollment_id", "enrollment")),
    "allocation_item": Rule(*DATA, via("enrollment_id", "enrollment")),
    # a roster handed up and the money allocated for one: the division they are of
    "hand_up": Rule(*DATA, code("scope_code")),
    "allocation": Rule(*DATA, code("scope_code")),
    "claim": Rule(*DATA, code("division_code")),
    "claim_event": Rule(*DATA, via("claim_id", "claim")),
    "target": Rule(*REFERENCE, code("division_code")),
    "population": Rule(*REFERENCE, code("division_code")),
    "sync_duplicate": Rule(*REFERENCE, via("person_a", "person", unknown="allow")),
    "office_key": Rule(*REFERENCE, Owner("office", "office_code")),
    "office_registration": Rule(*REFERENCE, Owner("registrar", "office_code")),
    "product_definition": Rule(NOTHING, ALL, Owner("county")),
}


def travels(entity: str, operation: str, direction: str) -> bool:
    """Whether an honest export sends this change in ``direction`` (what import accepts)."""
    rule = OWNERSHIP.get(entity)
    return rule is not None and operation in (rule.up if direction == UP else rule.down)


class Forbidden(Exception):
    """An entry outside the table: what (English, Chinese)."""

    def __init__(self, detail: str, detail_zh: str) -> None:
        super().__init__(detail)
        self.detail, self.detail_zh = detail, detail_zh


class OwnershipGuard:
    """Checks entries of one package in the order they are applied (an owner made earlier in the
    package is known to the entries after it). ``devices``: device id -> (level, office code), kept up
    to date by the applier as registrations arrive."""

    def __init__(self, connection, devices: dict[str, tuple[str, str]], *, sender_office: str, sender_name: str,
                 direction: str, aliases: dict[tuple[str, uuid.UUID], uuid.UUID] | None = None) -> None:
        self.connection = connection
        self.devices = devices
        self.sender_office, self.sender_name = sender_office, sender_name
        self.direction = direction
        # entity -> record id as canonical text -> its owner: a batch of new records (check_new) is
        # checked from the ids' texts, without an id object per entry
        self.owners: dict[str, dict[str, str | None]] = {}
        # check_insert's yeses: (origin, entity, parent id) -> (the origin's level and office, the parent's owner)
        self.allowed: dict[tuple[str, str, str], tuple[Any, str]] = {}
        self.aliases = aliases if aliases is not None else {}  # another office's id of a record held here

    def refusal(self, problem: Forbidden) -> DomainError:
        return DomainError("package_forbidden", {"sender": self.sender_office, "sender_name": self.sender_name,
                                                 "detail": problem.detail, "detail_zh": problem.detail_zh})

    def check(self, origin: str, entity: str, rid: uuid.UUID, operation: str, fields: dict[str, Any]) -> bool:
        """Raise DomainError when the entry may not be sent; False when its owner is not known here yet
        (hold it); True when it may be applied."""
        rule = OWNERSHIP.get(entity)
        if rule is None:
            if table_of(entity) is None and entity not in LOCAL_ENTITIES:
                raise DomainError("package_entity_unknown", {"sender": self.sender_office,
                                                             "sender_name": self.sender_name, "entity": entity})
            raise self.refusal(Forbidden(f"{words.record_en(entity)} records never leave an office",
                                         f"{words.record_zh(entity)}记录不外传"))
        level, office = self.devices.get(origin, (None, None))
        try:
            if office is None:
                raise Forbidden(f"a change by unregistered device {origin}", f"未登记设备 {origin} 的修改")
            if operation not in (rule.up if self.direction == UP else rule.down):
                way = "upward" if self.direction == UP else "downward"
                raise Forbidden(f"a {operation} of {words.record_en(entity)} records sent {way}",
                                f"{'上报' if self.direction == UP else '下发'}"
                                f"{words.operation_zh(operation)}{words.record_zh(entity)}记录")
            if self.direction == UP and not office.startswith(self.sender_office):
                raise Forbidden(f"changes of office {office}, which is not below the sender",
                                f"非下级单位 {office} 的修改")
            verdict = self._owned(rule.owner, entity, rid, operation, fields, level, office)
        except Forbidden as problem:
            raise self.refusal(problem) from None
        if entity == "office_registration" and operation == "insert" and verdict:
            # the entries after it in this package may be signed by the device it registers
            self.devices.setdefault(str(fields.get("device_id")), (fields.get("level"), fields.get("office_code")))
        return verdict

    def check_insert(self, origin: str, entity: str, rid: uuid.UUID, fields: dict[str, Any]) -> bool:
        """``check`` of an insert whose owner is found through a parent, its yes remembered per
        (origin, entity, parent): a county package brings a household's members one after another,
        a village's households likewise. The verdict reads only the origin's level and office and
        the parent's owner; while both are what they were, it is the same (and the record's owner is
        remembered as check remembers it). Only a yes is kept: a parent not known yet may arrive
        later in the package."""
        rule = OWNERSHIP.get(entity)
        value = fields.get(rule.owner.column) if rule is not None else None
        if rule is None or rule.owner.kind != "via" or value.__class__ is not str:
            return self.check(origin, entity, rid, "insert", fields)
        key = (origin, entity, value)
        found = self.allowed.get(key)
        if found is not None:
            device, parent_owner = found
            try:
                parent = self.owners.get(rule.owner.parent, {}).get(_text(value), _UNSEEN)
            except ValueError:
                parent = _UNSEEN
            if parent == parent_owner and self.devices.get(origin) == device:
                self._remember(entity, rid, parent_owner)
                return True
        verdict = self.check(origin, entity, rid, "insert", fields)
        if verdict:
            parent = self.owners.get(rule.owner.parent, {}).get(_text(value), _UNSEEN)
            if parent is not _UNSEEN and parent is not None:
                self.allowed[key] = (self.devices.get(origin), parent)
        return verdict

    def check_new(self, batch: list[tuple[str, list]], *, canonical_ids: bool = False) -> list[bool]:
        """``check_insert`` of each (origin, entry) of a batch of household and person inserts
        (services/sync/newbatch.py), in order: the same verdicts, the same owners remembered. An entry
        whose id and parent id are canonical texts is judged from them: what the origin may insert
        once per origin and entity, the parent's owner as ``owner`` finds it. Anything else, and
        anything refused, goes through check_insert, which raises what it raises. ``canonical_ids``: the
        caller knows every record id of the batch canonical (all_canonical)."""
        verdicts = []
        allowed: dict[tuple[str, str], tuple | None] = {}
        match = CANONICAL_ID.match
        for origin, entry in batch:
            entity, record_id, fields = entry[1], entry[2], entry[5]
            may = allowed.get((origin, entity), _UNSEEN)
            if may is _UNSEEN:
                may = allowed[(origin, entity)] = self._may_insert(origin, entity)
            if may is not None:
                office, column, parent, parents, owned, hold = may
                value = fields.get(column)
                if value.__class__ is str and (canonical_ids or match(record_id)) and match(value):
                    found = parents.get(value, _UNSEEN)
                    if found is _UNSEEN:
                        found = self._owner_by_text(parent, value)
                    if found is None:  # not known yet: held (as _owned says)
                        verdicts.append(not hold)
                        continue
                    if found.startswith(office):
                        owned[record_id] = found
                        verdicts.append(True)
                        continue
            verdicts.append(self.check_insert(origin, entity, uuid.UUID(record_id), fields))
        return verdicts

    def _may_insert(self, origin: str, entity: str) -> tuple | None:
        """(office, owner column, parent entity, the parents' owners and the entity's as ``owners``
        keeps them, whether an unknown owner holds) when ``check`` lets
        the origin insert such records as far as its own rules go, for an entity whose owner is its
        parent's; None otherwise (check then says why)."""
        rule = OWNERSHIP.get(entity)
        office = self.devices.get(origin, (None, None))[1]
        if (rule is None or rule.owner.kind != "via" or office is None
                or "insert" not in (rule.up if self.direction == UP else rule.down)
                or (self.direction == UP and not office.startswith(self.sender_office))):
            return None
        return (office, rule.owner.column, rule.owner.parent, self.owners.setdefault(rule.owner.parent, {}),
                self.owners.setdefault(entity, {}), rule.owner.unknown != "allow")

    def _owned(self, owner: Owner, entity: str, rid: uuid.UUID, operation: str, fields: dict[str, Any],
               level: str | None, office: str) -> bool:
        if owner.kind == "county":
            if level != "county":
                raise Forbidden(f"{words.record_en(entity)} records made by office {office}, not the county",
                                f"{office} 制作的{words.record_zh(entity)}记录")
            return True
        if owner.kind in ("office", "registrar"):
            target = fields.get(owner.column) if owner.column in fields else self._column(entity, rid, owner.column)
            if target is None:
                return False  # an update of a record not here yet: held until it is
            allowed = target == office if owner.kind == "office" else (level == "county" or _below(target, office))
            if not allowed:
                what = "key" if owner.kind == "office" else "device registration"
                raise Forbidden(f"a {what} of office {target} made by office {office}",
                                f"{office} 为 {target} 登记的{'密钥' if owner.kind == 'office' else '设备'}")
            return True
        owners = [self._owner_of(owner, fields.get(owner.column))] if owner.column in fields else []
        if operation != "insert":
            owners.append(self.owner(entity, rid))  # where the record is now, and where it is moved to
        if operation == "insert":
            self._remember(entity, rid, owners[0] if owners else None)
        known = [found for found in owners if found is not None]
        for found in known:
            if not found.startswith(office):
                raise Forbidden(f"{words.record_en(entity)} records of division {found}, not office {office}'s",
                                f"{office} 修改了不属于它的{found}的{words.record_zh(entity)}记录")
        if len(known) < len(owners) or not owners:
            return owner.unknown == "allow"
        return True

    # ---- owners ---------------------------------------------------------------------------------------

    def owner(self, entity: str, rid: uuid.UUID) -> str | None:
        """The division code a record belongs to, as this database (and the package so far) says."""
        return self._owner_by_text(entity, str(rid), rid)

    def _owner_by_text(self, entity: str, key: str, rid: uuid.UUID | None = None) -> str | None:
        """``owner`` of the record whose id's canonical text is ``key`` (``rid``: the id, made when needed)."""
        cache = self.owners.setdefault(entity, {})
        found = cache.get(key, _UNSEEN)
        if found is not _UNSEEN:
            return found
        if rid is None:
            rid = uuid_of(key)
        rid = self.aliases.get((entity, rid), rid)
        rule = OWNERSHIP.get(entity)
        found = None
        if rule is not None and rule.owner.kind in ("code", "via"):
            value = self._column(entity, rid, rule.owner.column)
            found = self._owner_of(rule.owner, value)
        cache[key] = found
        return found

    def _owner_of(self, owner: Owner, value: Any) -> str | None:
        if value is None:
            return None
        if owner.kind == "code":
            return str(value)
        if value.__class__ is str and CANONICAL_ID.match(value):
            return self._owner_by_text(owner.parent, value)
        try:
            parent_id = value if isinstance(value, uuid.UUID) else uuid_of(str(value))
        except ValueError:
            return None
        return self.owner(owner.parent, parent_id)

    def _remember(self, entity: str, rid: uuid.UUID, found: str | None) -> None:
        if found is not None:
            self.owners.setdefault(entity, {})[str(rid)] = found

    def _column(self, entity: str, rid: uuid.UUID, column: str) -> Any:
        table = table_of(entity)
        if table is None or column not in table.c:
            return None
        return self.connection.execute(select(table.c[column]).where(table.c.id == rid)).scalar()


_UNSEEN = object()


# an id's characters as their class: a hex digit "x"; a dash and a line break as they are; anything else "?"
_ID_CLASSES = bytes(ord("x") if chr(byte) in "0123456789abcdef" else byte if chr(byte) in "-\n" else ord("?")
                    for byte in range(256))
_ID_SHAPE = b"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"


def all_canonical(ids: list) -> bool:
    """Whether every one of ``ids`` is a text CANONICAL_ID matches, by one comparison over them all
    (the ids one to a line, their characters by class, are as many lines of the canonical shape)."""
    if not ids or set(map(type, ids)) != {str}:
        return False
    try:
        joined = "\n".join(ids).encode("ascii")
    except UnicodeEncodeError:
        return False
    return joined.translate(_ID_CLASSES) == b"\n".join([_ID_SHAPE] * len(ids))


def _text(value: str) -> str:
    """An id's canonical text (ValueError: no id)."""
    return value if CANONICAL_ID.match(value) else str(uuid_of(value))


def _below(child_code: str, parent_code: str) -> bool:
    return child_code != parent_code and child_code.startswith(parent_code)


__all__ = ["DOWN", "OWNERSHIP", "UP", "OwnershipGuard", "Rule", "travels"]
