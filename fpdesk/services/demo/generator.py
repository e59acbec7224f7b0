"""A realistic demo county, generated deterministically from a seed — pure data, no database.

``generate()`` returns the division tree of Mingxi county (明溪县, 350421) at once and its
households lazily: ``county.households()`` yields them one at a time, so a million persons need
little memory. The same arguments always give the same output: everything random comes from one
``random.Random(seed)`` per call of ``households()`` (and fixed-seed ones for the place layout).

What is realistic: household shapes (head, spouse of the opposite sex and similar age, children
20–40 years younger than their mother, co-resident parents, a married son with his wife and
children, a son-in-law in some two-daughter families), surnames and era-typical given names,
valid and unique ID numbers whose birth date and sequence parity match the person, married-in
spouses registered elsewhere in Fujian or in other provinces, the category mix of a county's FP
households and phones. What is not: the ID sequence numbers do not follow police-station blocks
and no villager groups are listed as divisions (addresses name the group).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from fpdesk.core.divisions import agency_channel_code, township_kind, village_kind
from fpdesk.core.idnumber import make_number
from fpdesk.core.people import CheckedPerson
from fpdesk.core.vocabulary import DivisionKind, HouseholdCategory, Relation, Sex
from fpdesk.services.demo import names, places

SCALES = {"village": 600, "township": 10_000, "county": 100_000}
MAX_PERSONS = 2_000_000
UNIT_PERSONS = 2_500  # above this average a township gets extra villages
_LAYOUT_SEED = 350421  # place layout does not depend on the household seed

HC = HouseholdCategory
R = Relation


@dataclass(frozen=True)
class DemoDivision:
    code: str
    name: str
    kind: DivisionKind
    parent_code: str | None


@dataclass(frozen=True)
class DemoHousehold:
    division_code: str  # a village / community code, or an agency unit code for 机关 households
    address: str
    categories: frozenset[HouseholdCategory]
    certificate_no: str | None  # 独生子女证号
    is_rural: bool
    reward_recipient: bool
    members: tuple[CheckedPerson, ...]  # head first


@dataclass(frozen=True)
class DemoCounty:
    county_code: str
    county_name: str
    divisions: tuple[DemoDivision, ...]
    persons: int  # exactly the number of persons ``households()`` yields
    seed: int
    today: dt.date
    quotas: tuple[tuple[str, int], ...]  # (village-level or agency-unit code, persons) in yield order

    def households(self) -> Iterator[DemoHousehold]:
        """Yield the households lazily; every call starts afresh and yields the same sequence."""
        return _Households(self).run()


def generate(*, scale: str = "village", persons: int | None = None, seed: int = 1,
             today: dt.date = dt.date(2026, 1, 1)) -> DemoCounty:
    """The demo county at ``scale`` (see SCALES); ``persons`` overrides the head count exactly.

    village: 罗翠村 of 城关乡; township: 城关乡 and its villages; county: all nine townships and
    the 机关 channel. Large ``persons`` add villages (at most ~2,500 persons per village).
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {sorted(SCALES)}, not {scale!r}")
    total = SCALES[scale] if persons is None else int(persons)
    if not 1 <= total <= MAX_PERSONS:
        raise ValueError(f"persons must be between 1 and {MAX_PERSONS}")
    divisions, quotas = _layout(scale, total)
    return DemoCounty(places.COUNTY_CODE, places.COUNTY_NAME, tuple(divisions), total, seed, today,
                      tuple(quotas))


# ---------------------------------------------------------------------------------------------
# Layout: divisions and how many persons each village-level unit gets


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), summing exactly."""
    wsum = sum(weights)
    raw = [total * w / wsum for w in weights]
    parts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _layout(scale: str, total: int) -> tuple[list[DemoDivision], list[tuple[str, int]]]:
    county = places.COUNTY_CODE
    divisions = [DemoDivision(county, places.COUNTY_NAME, DivisionKind.COUNTY, None)]
    quotas: list[tuple[str, int]] = []
    home = next(t for t in places.TOWNSHIPS if t.part == places.HOME_TOWNSHIP)
    if scale == "village":
        tcode = county + home.part
        divisions.append(DemoDivision(tcode, home.name, township_kind(home.part), county))
        vname = home.villages[int(places.HOME_VILLAGE) - 201]
        vcode = tcode + places.HOME_VILLAGE
        divisions.append(DemoDivision(vcode, vname, village_kind(places.HOME_VILLAGE), tcode))
        quotas.append((vcode, total))
    elif scale == "township":
        _layout_township(home, total, divisions, quotas)
    else:
        agency = round(total * places.AGENCY_SHARE)
        shares = _apportion(total - agency, [t.weight for t in places.TOWNSHIPS])
        for township, share in zip(places.TOWNSHIPS, shares, strict=True):
            _layout_township(township, share, divisions, quotas)
        channel = agency_channel_code(county)
        divisions.append(DemoDivision(channel, "机关", DivisionKind.AGENCY_CHANNEL, county))
        units = places.AGENCY_UNITS
        for (name, _), share, i in zip(units, _apportion(agency, [w for _, w in units]),
                                       range(1, len(units) + 1), strict=True):
            code = f"{channel}{i:03d}"
            divisions.append(DemoDivision(code, name, DivisionKind.AGENCY_UNIT, channel))
            quotas.append((code, share))
    return divisions, quotas


def _layout_township(township: places.Township, total: int, divisions: list[DemoDivision],
                     quotas: list[tuple[str, int]]) -> None:
    tcode = places.COUNTY_CODE + township.part
    divisions.append(DemoDivision(tcode, township.name, township_kind(township.part), places.COUNTY_CODE))
    units = [(f"{i:03d}", name) for i, name in enumerate(township.communities, start=1)]
    units += [(f"{i:03d}", name) for i, name in enumerate(township.villages, start=201)]
    needed = math.ceil(total / UNIT_PERSONS)
    n_villages = len(township.villages)
    if needed > len(units):
        extra = min(needed - len(units), 399 - 200 - n_villages)
        taken = set(township.villages) | set(township.communities)
        for j, name in enumerate(places.extra_village_names(taken, extra, int(tcode))):
            units.append((f"{201 + n_villages + j:03d}", name))
    layout_rng = random.Random(_LAYOUT_SEED + int(tcode))
    weights = [1.8 if int(part) < 200 else layout_rng.uniform(0.6, 1.4) for part, _ in units]
    for (part, name), share in zip(units, _apportion(total, weights), strict=True):
        divisions.append(DemoDivision(tcode + part, name, village_kind(part), tcode))
        quotas.append((tcode + part, share))


# ---------------------------------------------------------------------------------------------
# Households

_MOBILE_PREFIXES = tuple(str(n) for n in (*range(130, 140), 150, 151, 152, 153, 155, 156, 157, 158, 159,
                                            166, 173, 175, 176, 177, 180, 181, 182, 183, 185, 186, 187,
                                            188, 189, 191, 198, 199))
# ((lowest age, highest age), weight): heads of village households and of staff households
_HEAD_AGES = (((22, 29), 6), ((30, 39), 15), ((40, 49), 21), ((50, 59), 23), ((60, 69), 19), ((70, 79), 11),
              ((80, 92), 5))
_STAFF_AGES = (((22, 29), 15), ((30, 39), 30), ((40, 49), 28), ((50, 60), 27))


def _table(pairs) -> tuple:
    return tuple(v for v, w in pairs for _ in range(w))


class _Unit:
    """What a household needs to know about its village-level unit."""

    __slots__ = ("code", "counters", "groups", "kind", "seat", "township", "township_index", "village")

    def __init__(self, code: str, village: str, township: str, township_index: int, kind: DivisionKind,
                 quota: int):
        self.code, self.village, self.township = code, village, township
        self.township_index, self.kind = township_index, kind
        self.seat = township == "雪峰镇" or kind is DivisionKind.AGENCY_UNIT
        self.groups = max(3, min(16, quota // 110))
        self.counters = [0] * (self.groups + 1)


class _Households:
    def __init__(self, county: DemoCounty):
        self.county = county
        self.rng = random.Random(county.seed)
        self.today_ord = county.today.toordinal()
        self.year = county.today.year
        self.used: dict[int, int] = {}  # (region index, birth ordinal) -> bitmask of used sequences
        self.regions: dict[str, int] = {}
        self.surnames = names.surname_table()
        self.fujian = _table(places.FUJIAN_REGIONS)
        self.elsewhere = _table(places.OTHER_REGIONS)
        self.head_ages = _table(_HEAD_AGES)
        self.staff_ages = _table(_STAFF_AGES)
        self.cert_serials: dict[tuple[int, int], int] = {}

    # -- the stream ------------------------------------------------------------------------

    def run(self) -> Iterator[DemoHousehold]:
        by_code = {d.code: d for d in self.county.divisions}
        township_order = {d.code: i for i, d in enumerate(
            (d for d in self.county.divisions if d.kind in (DivisionKind.TOWN, DivisionKind.TOWNSHIP)), 1)}
        for code, quota in self.county.quotas:
            division = by_code[code]
            parent = by_code[division.parent_code]
            unit = _Unit(code, division.name, parent.name, township_order.get(parent.code, 0), division.kind, quota)
            left = quota
            while left > 0:
                household = self.household(unit, left)
                left -= len(household.members)
                yield household

    def household(self, unit: _Unit, cap: int) -> DemoHousehold:
        rng = self.rng
        if unit.kind is DivisionKind.AGENCY_UNIT:
            protos = self.staff_family()
            categories = {HC.UNIT_EMPLOYEE}
            cert_year, reward, rural = None, False, False
        else:
            protos, categories, cert_year, reward = self.village_family(urban=unit.kind is DivisionKind.COMMUNITY)
            rural = rng.random() < (0.3 if unit.kind is DivisionKind.COMMUNITY else 0.93)
            if cert_year is not None:
                rural = rural or rng.random() < 0.8
        if len(protos) > cap:  # the last household of a unit fills the quota exactly
            protos = protos[:cap]
            if categories - {HC.POVERTY_TARGETED, HC.HARDSHIP, HC.UNIT_EMPLOYEE}:
                categories = (categories & {HC.POVERTY_TARGETED, HC.HARDSHIP}) or {HC.OTHER_FP}
                cert_year, reward = None, False
        taken: set[str] = set()
        members = tuple(self.person(*p, taken) for p in protos)
        return DemoHousehold(
            division_code=unit.code,
            address=self.address(unit),
            categories=frozenset(categories),
            certificate_no=None if cert_year is None else self.certificate(cert_year, unit.township_index),
            is_rural=rural,
            reward_recipient=reward,
            members=members,
        )

    # -- family shapes: lists of (name, male, age, relation, region) ------------------------

    def village_family(self, urban: bool):
        rng = self.rng
        r = rng.random()
        cert_year = None
        if r < 0.15:
            protos, child_year = self.certified_family(daughter=rng.random() < 0.35)
            categories = {HC.ONLY_CHILD}
            cert_year, reward = child_year, rng.random() < 0.7
        elif r < 0.17:
            protos, child_year = self.certified_family(daughter=True)
            categories = {HC.ONLY_DAUGHTER_CERTIFIED}
            cert_year, reward = child_year, rng.random() < 0.7
        elif r < 0.21:
            protos = self.two_daughter_family()
            categories = {HC.TWO_DAUGHTERS_STERILIZED}
            reward = rng.random() < 0.55
        elif r < 0.22:
            bereaved = rng.random() < 0.6
            protos, child_year = self.special_family(bereaved)
            categories = {HC.SPECIAL_FAMILY, HC.SPECIAL_BEREAVED if bereaved else HC.SPECIAL_DISABLED}
            cert_year = child_year if rng.random() < 0.85 else None
            reward = True
        else:
            protos = self.ordinary_family()
            categories, reward = set(), False
        special = HC.SPECIAL_FAMILY in categories
        factor = 0.5 if urban else 1.0
        if rng.random() < (0.15 if special else 0.05) * factor:
            categories.add(HC.POVERTY_TARGETED)
        if rng.random() < (0.2 if special else 0.028) * factor:
            categories.add(HC.HARDSHIP)
        return protos[:6], categories or {HC.OTHER_FP}, cert_year, reward

    def couple(self, head_age: int, p_couple: float, p_male_head: float):
        """Head and maybe spouse: (protos, the children's surname, the mother's age, head is male)."""
        rng = self.rng
        married = rng.random() < p_couple
        if married:
            head_male = rng.random() < p_male_head
        else:
            head_male = rng.random() < (0.4 if head_age >= 60 else 0.65)
        surname = self.surname()
        gap = int(rng.triangular(-3, 9, 2))  # the husband is older by this
        protos = [[surname, head_male, head_age, R.HEAD, self.region(0.96, 1.0)]]
        if married:
            spouse_age = max(20, head_age - gap if head_male else head_age + gap)
            spouse_surname = self.surname(avoid=surname)
            region = self.region(0.72, 0.9) if head_male else self.region(0.8, 0.95)
            protos.append([spouse_surname, not head_male, spouse_age, R.SPOUSE, region])
            father_surname = surname if head_male else spouse_surname
            mother_age = spouse_age if head_male else head_age
        else:  # widowed or divorced: the children's other parent is not in the household
            father_surname = surname if head_male else self.surname(avoid=surname)
            mother_age = head_age - max(gap, 0) if head_male else head_age
        return protos, father_surname, max(mother_age, 20), head_male

    def children(self, protos, surname: str, kids: list[tuple[int, bool]], stay: tuple[float, float]):
        """Add children of the given (age, male); adults (26+) stay with the odds (son, daughter)."""
        rng = self.rng
        head_age = protos[0][2]
        kept = []
        for age, male in kids:
            if age < 0 or head_age - age < 18:
                continue
            if age >= 26 and rng.random() >= (stay[0] if male else stay[1]):
                continue
            kept.append([surname, male, age, R.SON if male else R.DAUGHTER, self.region(0.99, 1.0)])
        kept.sort(key=lambda p: -p[2])
        protos.extend(kept)
        return kept

    def births(self, mother_age: int, choices: tuple[int, ...]) -> list[tuple[int, bool]]:
        """Children's (age, male): the first at the mother's age 21–29, then every 2–5 years."""
        rng = self.rng
        at = rng.randint(21, 29)
        out = []
        for _ in range(rng.choice(choices)):
            out.append((mother_age - at, rng.random() < 0.53))
            at += rng.randint(2, 5)
        return out

    def extended(self, protos, head_male: bool, p_elders: float) -> None:
        """A married son with his wife and children, and/or parents of the head or of the spouse."""
        rng = self.rng
        sons = [p for p in protos if p[3] is R.SON and p[2] >= 24]
        if sons and rng.random() < 0.6:
            son = sons[0]
            wife_age = max(20, son[2] - int(rng.triangular(-3, 6, 1)))
            protos.append([self.surname(avoid=son[0]), False, wife_age, R.DAUGHTER_IN_LAW, self.region(0.72, 0.9)])
            self.grandchildren(protos, son[0], wife_age)
        if protos[0][2] > 62 or rng.random() >= p_elders:
            return
        head = protos[0]
        spouse = protos[1] if len(protos) > 1 and protos[1][3] is R.SPOUSE else None
        husband_side = rng.random() < 0.85  # usually the husband's parents live with the couple
        side = (head if head_male == husband_side else spouse) or head
        rel_f, rel_m = (R.FATHER, R.MOTHER) if side is head else (R.FATHER_IN_LAW, R.MOTHER_IN_LAW)
        mother_age = side[2] + rng.randint(21, 33)
        father_age = max(mother_age + int(rng.triangular(-3, 8, 2)), side[2] + 21)
        r = rng.random()
        if r < 0.6 and father_age <= 96:
            protos.append([side[0], True, father_age, rel_f, self.region(0.97, 1.0)])
        if (r < 0.35 or r >= 0.6) and mother_age <= 98:
            protos.append([self.surname(avoid=side[0]), False, mother_age, rel_m, self.region(0.9, 1.0)])

    def grandchildren(self, protos, surname: str, mother_age: int) -> None:
        rng = self.rng
        at = rng.randint(22, 31)
        for _ in range(rng.choice((0, 1, 1, 2, 2))):
            age = mother_age - at
            if age < 0:
                break
            male = rng.random() < 0.53
            protos.append([surname, male, age, R.GRANDSON if male else R.GRANDDAUGHTER, self.region(1.0, 1.0)])
            at += rng.randint(2, 6)

    def ordinary_family(self):
        rng = self.rng
        head_age = rng.randint(*rng.choice(self.head_ages))
        p_couple = 0.55 if head_age < 26 else 0.9 if head_age < 65 else 0.72 if head_age < 76 else 0.5
        protos, surname, mother_age, head_male = self.couple(head_age, p_couple, 0.88)
        born = self.year - mother_age
        if mother_age < 23 and rng.random() < 0.6:
            choices: tuple[int, ...] = (0,)
        elif born < 1955:
            choices = (2, 3, 3, 4, 4, 5)
        elif born < 1972:
            choices = (1, 2, 2, 2, 3)
        elif born < 1990:
            choices = (1, 1, 2, 2, 2)
        else:
            choices = (0, 1, 1, 2, 2, 3)
        self.children(protos, surname, self.births(mother_age, choices), stay=(0.5, 0.12))
        self.extended(protos, head_male, p_elders=0.22)
        return protos

    def certified_family(self, daughter: bool):
        """One child born 1984–2015, the certificate years."""
        rng = self.rng
        child_age = self.year - rng.randint(1984, 2015) - 1
        head_age = child_age + rng.randint(21, 33) + int(rng.triangular(-2, 7, 2))
        protos, surname, mother_age, head_male = self.couple(head_age, 0.88, 0.85)
        child_age = min(child_age, mother_age - 20, head_age - 20)
        self.children(protos, surname, [(child_age, not daughter)], stay=(0.75, 0.35))
        self.extended(protos, head_male, p_elders=0.2)
        return protos, self.year - child_age - 1

    def two_daughter_family(self):
        rng = self.rng
        elder_age = self.year - rng.randint(1984, 2008) - 1
        head_age = elder_age + rng.randint(21, 30) + int(rng.triangular(-2, 7, 2))
        protos, surname, mother_age, head_male = self.couple(head_age, 0.9, 0.88)
        elder_age = min(elder_age, mother_age - 20, head_age - 20)
        younger_age = elder_age - rng.randint(2, min(7, max(2, elder_age - 9)))
        kept = self.children(protos, surname, [(elder_age, False), (younger_age, False)], stay=(0.0, 0.3))
        if kept and kept[0][2] >= 24 and rng.random() < 0.3:  # a son-in-law marries in (招赘)
            daughter = kept[0]
            husband = self.surname(avoid=daughter[0])
            protos.append([husband, True, daughter[2] + int(rng.triangular(-2, 6, 2)), R.SON_IN_LAW,
                           self.region(0.75, 0.95)])
            self.grandchildren(protos, daughter[0] if rng.random() < 0.5 else husband, daughter[2])
        self.extended(protos, head_male, p_elders=0.15)
        return protos

    def special_family(self, bereaved: bool):
        """Bereaved: only the parents, 50–80. Disabled: the parents and their disabled only child."""
        rng = self.rng
        head_age = rng.randint(52, 80) if bereaved else rng.randint(45, 80)
        protos, surname, mother_age, _ = self.couple(head_age, 0.75 if bereaved else 0.8, 0.8)
        for p in protos:
            p[2] = min(max(p[2], 50), 80) if bereaved else p[2]
        child_age = max(min(mother_age - rng.randint(22, 33), head_age - 20), 8)
        if not bereaved:
            self.children(protos, surname, [(child_age, rng.random() < 0.6)], stay=(1.0, 1.0))
        return protos, min(self.year - child_age - 1, 2015)

    def staff_family(self):
        rng = self.rng
        head_age = rng.randint(*rng.choice(self.staff_ages))
        protos, surname, mother_age, head_male = self.couple(head_age, 0.35 if head_age < 27 else 0.86, 0.55)
        protos[0][4] = self.region(0.8, 0.92)
        born = self.year - mother_age
        choices = (0, 1, 1, 2) if born >= 1990 else (1, 1, 1, 2) if born >= 1975 else (1, 1, 2)
        if mother_age < 25:
            choices = (0,)
        self.children(protos, surname, self.births(mother_age, choices), stay=(0.3, 0.2))
        self.extended(protos, head_male, p_elders=0.1)
        return protos[:6]

    # -- persons ------------------------------------------------------------------------------

    def surname(self, avoid: str | None = None) -> str:
        choice = self.rng.choice
        name = choice(self.surnames)
        if name == avoid and self.rng.random() < 0.9:  # same-surname marriages are rare but exist
            name = choice(self.surnames)
        return name

    def region(self, p_local: float, p_fujian: float) -> str:
        r = self.rng.random()
        if r < p_local:
            return places.COUNTY_CODE
        return self.rng.choice(self.fujian if r < p_fujian else self.elsewhere)

    def person(self, surname: str, male: bool, age: int, relation: Relation, region: str,
               taken: set[str]) -> CheckedPerson:
        """One person with a unique valid ID number; ``taken`` holds the household's given names."""
        rng = self.rng
        if age <= 0:
            days = rng.randrange(28, 366) if rng.random() < 0.95 else rng.randrange(3, 28)
        else:
            days = int(age * 365.2425) + rng.randrange(365)
        ordinal = self.today_ord - days
        index = self.regions.setdefault(region, len(self.regions))
        key = (index << 20) | ordinal
        used = self.used.get(key, 0)
        parity = 1 if male else 0
        for _ in range(64):
            sequence = 2 * rng.randrange(1, 500) + parity
            if not used >> sequence & 1:
                break
        else:
            free = [s for s in range(2 + parity, 1000, 2) if not used >> s & 1]
            if not free:
                raise RuntimeError("demo generator ran out of ID sequence numbers")
            sequence = free[0]
        self.used[key] = used | (1 << sequence)
        birth = dt.date.fromordinal(ordinal)
        pool = (names.MALE if male else names.FEMALE)[names.era_of(birth.year)]
        given = rng.choice(pool)
        for _ in range(20):
            if given[0] != surname[-1] and given not in taken:
                break
            given = rng.choice(pool)
        taken.add(given)
        phone, phone2 = self.phones(relation is R.HEAD, age)
        return CheckedPerson(surname + given, make_number(region, birth, sequence),
                             Sex.MALE if male else Sex.FEMALE, birth, relation, phone, phone2)

    def phones(self, head: bool, age: int) -> tuple[str | None, str | None]:
        rng = self.rng
        r = rng.random()
        if head:
            if r < 0.86:
                second = rng.random()
                if second < 0.07:
                    return self.mobile(), self.landline()
                return self.mobile(), (self.mobile() if second < 0.1 else None)
            return (self.landline(), None) if r < 0.91 else (None, None)
        if 18 <= age <= 70:
            return (self.mobile(), None) if r < 0.4 else (None, None)
        if age > 70:
            return (self.mobile(), None) if r < 0.08 else (None, None)
        return None, None

    def mobile(self) -> str:
        return f"{self.rng.choice(_MOBILE_PREFIXES)}{self.rng.randrange(100_000_000):08d}"

    def landline(self) -> str:
        return f"{places.AREA_CODE}-28{self.rng.randrange(100_000):05d}"

    # -- household papers ---------------------------------------------------------------------

    def certificate(self, child_year: int, township_index: int) -> str:
        rng = self.rng
        year = min(max(child_year, min(child_year + rng.randint(0, 3), 2016)), self.year)
        key = (year, township_index)
        serial = self.cert_serials.get(key, 0) + rng.randint(1, 3)
        self.cert_serials[key] = serial
        digits = f"{year}{township_index:02d}{serial:04d}"
        return f"闽计证字第{digits}号" if rng.random() < 0.8 else digits

    def address(self, unit: _Unit) -> str:
        rng = self.rng
        if unit.kind is DivisionKind.VILLAGE:
            group = rng.randint(1, unit.groups)
            unit.counters[group] += rng.randint(1, 3)
            return f"{places.COUNTY_NAME}{unit.township}{unit.village}{group}组{unit.counters[group]}号"
        township = "雪峰镇" if unit.kind is DivisionKind.AGENCY_UNIT else unit.township
        if unit.seat and rng.random() < 0.45:
            floor = rng.randint(1, 11)
            return (f"{places.COUNTY_NAME}{township}{rng.choice(places.ESTATES)}{rng.randint(1, 24)}幢"
                    f"{floor}{rng.randint(1, 4):02d}室")
        street = rng.choice(places.STREETS) if unit.seat else unit.township[:-1] + "街"
        unit.counters[0] += rng.randint(1, 2)
        return f"{places.COUNTY_NAME}{township}{street}{unit.counters[0]}号"
