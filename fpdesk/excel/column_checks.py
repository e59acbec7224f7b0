"""Checking a roster a column at a time, with today's row checker behind every row it does not pass.

A roster repeats itself down its columns: a village, a relation word, a category, a product and
its form answers are written a hundred thousand times with a handful of distinct values. Here each
distinct value of a column is checked once, by the row checker's own functions and lookups
(fpdesk.excel.rows), and remembered. ID numbers, different on every row, are checked by parts that
repeat: the GB 11643 weighted sum of an 18-digit number is the sum of the sums of its region (6
digits), its birth date (8) and its sequence (3), each remembered with what it says (a known
province, a real date not after today, the sex).

A row is passed here only when every mapped cell of it passed. Every other row (a mistake anywhere,
an ID number typed as a number or in lower case, no ID number at all) goes to
``_RowChecker.check`` as it is, so the problems said, their codes and their columns are the row
checker's own. What a passed row adds to the whole file's findings (a product read as the chosen
one, a form column the file lacks) is added at that row, so the lists keep the row order the row
checker gives them. ``tests/services/test_roster_by_columns.py`` compares both, row by row and code by
code, on a roster full of mistakes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from operator import itemgetter, mul
from typing import Any

from fpdesk.core import idnumber, limits, phone
from fpdesk.core.dates import parse_date
from fpdesk.core.errors import DomainError
from fpdesk.core.people import CheckedPerson
from fpdesk.core.vocabulary import HouseholdCategory, Relation, Sex
from fpdesk.excel.columns import FORM_PREFIX
from fpdesk.excel.rows import (
    _CATEGORY_SPLIT,
    CheckedSheet,
    Lookups,
    MissingColumn,
    RosterRow,
    SheetChecks,
    _relation,
    _RowChecker,
    _shares,
    _vocabulary,
    data_rows,
    id_number_text,
    read_payer,
)

_FAIL = object()  # a cell the row checker would say something about: the row goes to it
_MALE, _FEMALE = Sex("male"), Sex("female")


def check_columns(rows: Sequence[Sequence], labels: Sequence[str], mapping: dict[int, str], lookups: Lookups, *,
                  first_row_number: int, progress: Callable[[int], None] | None = None) -> CheckedSheet:
    """What ``check_rows`` says of the same rows, found a column at a time (``rows`` is a list; a blank
    cell may be "" as well as None, as ``RosterWorkbook.table`` gives them: both read as blank)."""
    checker = _RowChecker(labels, mapping, lookups)
    sheet = SheetChecks(checker, mapping)
    data = _data_rows(rows, mapping, first_row_number)
    count = len(data)
    lines = [cells for _, cells in data]
    width = min(map(len, lines), default=0)
    position = checker.position

    def cells(key: str) -> list:
        index = position[key]
        return list(map(itemgetter(index), lines)) if index < width else [
            cells[index] if index < len(cells) else None for cells in lines]
    # the columns read as values (an ID number, a date, a form's answers) are cleaned; those read as
    # text only are made text straight from their cells (``_texts_of``: one pass, not two)
    raws: dict[str, list] = {}
    blank = [None] * count
    texts: dict[str, list] = {}

    def raw(key: str) -> list:
        found = raws.get(key)
        if found is None:
            found = raws[key] = _cleaned(cells(key)) if key in position else blank
        return found

    def text(key: str) -> list:  # made for the columns read as text only (an ID number's cell is not)
        found = texts.get(key)
        if found is None:
            found = texts[key] = _texts(raws[key]) if key in raws else _texts_of(cells(key)) if (
                key in position) else blank
        return found
    for key in position:
        if key.startswith(FORM_PREFIX):
            raw(key)
    today = lookups.today
    ids = _IdParts(today).column(raw("id_number"))
    sexes = _memo_column(text("sex"), lambda v: _vocabulary(Sex, v, "sex_mismatch"))
    births = _memo_column(raw("birth_date"), parse_date)
    phones = _memo_column(text("phone"), _phone)
    phones2 = _memo_column(text("phone2"), _phone)
    head_ids = _memo_column(raw("head_id_number"), lambda v: idnumber.validate(
        id_number_text(v), today=today, allow_legacy=True).number)
    categories = _memo_column(text("category"), lambda v: frozenset(
        _vocabulary(HouseholdCategory, part, "unknown_category") for part in _CATEGORY_SPLIT.split(v) if part))
    payers = _memo_column(text("payer"), read_payer)
    dates = _memo_column(raw("enrolled_on"), parse_date)
    divisions = _division_column(checker, text)
    products = _product_column(checker, text("product"))
    forms = _Forms(checker, raws, count)
    shares = _shares_column(text("shares"), products)
    relation_given = checker.has("relation")
    relations = _memo_column(text("relation"), _relations_by_sex, none=_UNNAMED_RELATION) if relation_given else None
    names, refs, head_names = text("name"), text("household_ref"), text("head_name")
    addresses, certificates, product_texts = text("address"), text("certificate_no"), text("product")
    # a passed row's ID number seen first here is added as ``sheet.add`` adds it (a row it finds
    # already seen goes through it, to be merged or refused)
    first_seen, entries = sheet.first_seen, sheet.result.entries
    passed = 0
    for j, (number, cells) in enumerate(data):
        if progress is not None and j % 5000 == 4999:
            progress(j + 1)
        facts, name = ids[j], names[j]
        row = None
        # a text longer than its column is the row checker's to say (core/limits.py)
        if facts is not None and name is not None and len(name) <= limits.PERSON_NAME and (
                addresses[j] is None or len(addresses[j]) <= limits.ADDRESS) and (
                certificates[j] is None or len(certificates[j]) <= limits.CERTIFICATE_NO):
            number_text, birth, sex = facts
            relation = relations[j][sex] if relations is not None else Relation.HEAD
            division = divisions[j]
            product, notes = products[j]
            if (relation is not _FAIL and division is not _FAIL and shares[j] is not _FAIL
                    and (sexes[j] is None or sexes[j] is sex) and (births[j] is None or births[j] == birth)
                    and phones[j] is not _FAIL and phones2[j] is not _FAIL and head_ids[j] is not _FAIL
                    and categories[j] is not _FAIL and payers[j] is not _FAIL and dates[j] is not _FAIL):
                form = forms.answer(j, product, division) if product is not None else _NO_FORM
                if form is not _FAIL:
                    household_values, form_values, missing = form
                    row = RosterRow(number, _person(name, number_text, sex, birth, relation, phones[j],
                                                    phones2[j]), relation_given, False, division[0],
                                    division[1], refs[j], head_names[j], head_ids[j], addresses[j], categories[j],
                                    certificates[j], product.code if product is not None else None, shares[j],
                                    payers[j], dates[j], dict(form_values), dict(household_values), bool(missing))
                    for found in notes:  # what the row checker notes of the whole file at this row
                        found.setdefault(product_texts[j], []).append(number)
                    for item in missing:
                        forms.count_missing(item, product)
        if row is None:
            row, issues = checker.check(number, cells)
            sheet.add(number, cells, row, issues)
        elif first_seen.setdefault(row.person.id_number, (number, cells))[0] == number:
            passed += 1
            entries.append(row)
        else:
            sheet.add(number, cells, row, [])
    sheet.result.data_rows += passed
    return sheet.finish()


def _person(name, id_number, sex, birth_date, relation, phone_, phone2) -> CheckedPerson:
    """``CheckedPerson(...)`` at half the cost, made for every row the column checks pass: a frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__`` (tests/excel/
    test_roster_reading.py checks both ways make the same object, field for field). The fields go
    into the instance's own dict in their order: a new dict put in its place instead took half as
    much memory again (19 MB for 100,000 rows against 6), the instances no longer sharing their keys."""
    made = _new(CheckedPerson)
    fields = made.__dict__
    fields["name"] = name
    fields["id_number"] = id_number
    fields["sex"] = sex
    fields["birth_date"] = birth_date
    fields["relation"] = relation
    fields["phone"] = phone_
    fields["phone2"] = phone2
    return made


_new = object.__new__


def _data_rows(rows: Sequence[Sequence], mapping: dict[int, str], first_row_number: int) -> list[tuple[int, Sequence]]:
    """``data_rows`` of a list: a row with its name or ID number filled in and a number or nothing
    first (序号) is a data row without looking further, as ``data_rows`` would find."""
    identifying = [i for i, key in mapping.items() if key in ("name", "id_number")]
    found = []
    for number, cells in enumerate(rows, start=first_row_number):
        first = cells[0] if cells else None
        if first is not None and type(first) is not str:
            for i in identifying:
                value = cells[i] if i < len(cells) else None
                if value is not None and (type(value) is not str or value.strip()):
                    found.append((number, cells))
                    break
            else:
                found += data_rows([cells], mapping, number)
        else:
            found += data_rows([cells], mapping, number)
    return found


def _cleaned(values: list) -> list:
    """Each cell's value as the row checker reads it: strings stripped, blank = None."""
    return [(value.strip() or None) if type(value) is str else value for value in values]


def _texts(raws: list) -> list:
    """Each cleaned cell's text as the row checker reads it: a whole float as an integer, inner
    whitespace collapsed."""
    return [None if value is None else value if type(value) is str and value.isprintable() and " " not in value
            else _text(value) for value in raws]


def _texts_of(values: list) -> list:
    """``_texts(_cleaned(values))`` in one pass: a string stripped (blank: None), then as ``_texts``."""
    return [((s if s.isprintable() and " " not in s else _text(s)) if (s := value.strip()) else None)
            if type(value) is str else None if value is None else _text(value) for value in values]


def _text(value: Any) -> str | None:
    shown = int(value) if isinstance(value, float) and value.is_integer() else value
    return " ".join(str(shown).split()) or None


_TEXT_TYPES = frozenset({str, type(None)})


def _only_text(values: list) -> bool:
    return set(map(type, values)) <= _TEXT_TYPES


def _memo_column(values: list, check: Callable[[Any], Any], *, none: Any = None) -> list:
    """``check`` of each distinct value once: its answer, or _FAIL where it raised DomainError
    (``none`` for an empty cell). A column of strings and blanks is judged over its distinct values in
    the order first seen, then mapped through them at C speed."""
    if _only_text(values):
        table: dict[Any, Any] = {}
        for value in dict.fromkeys(values):
            if value is None:
                continue
            try:
                table[value] = check(value)
            except DomainError:
                table[value] = _FAIL
        table[None] = none
        return list(map(table.__getitem__, values))
    memo: dict[Any, Any] = {}
    out = []
    for value in values:
        if value is None:
            out.append(none)
            continue
        key = value if type(value) is str else (type(value), value)
        hit = memo.get(key, memo)
        if hit is memo:
            try:
                hit = check(value)
            except DomainError:
                hit = _FAIL
            memo[key] = hit
        out.append(hit)
    return out


# a mobile number written plainly: eleven ASCII digits, 1 and 3-9 first. ``phone.validate`` gives it back
# as it is (nothing to translate, strip or remove, no +86 or 86 before it, and core/phone._MOBILE
# matches it), so each household's own number is not taken through its normalising (a sixth of a
# second for 33,000 households)
_PLAIN_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def _phone(value: str) -> str:
    return value if _PLAIN_MOBILE.fullmatch(value) else phone.validate(value)


_UNNAMED_RELATION = {_MALE: Relation.OTHER, _FEMALE: Relation.OTHER}  # a blank 与户主关系: 其他


def _relations_by_sex(value: str) -> dict[Sex, Any]:
    """The relation a word names for a man and for a woman (子女 is 子 or 女), _FAIL where unknown."""
    found = {}
    for sex in (_MALE, _FEMALE):
        try:
            found[sex] = _relation(value, sex)
        except DomainError:
            found[sex] = _FAIL
    return found


class _IdParts:
    """18-digit ID numbers checked by their parts, each remembered: the region (a known province),
    the birth date (a real day, not after today, not before 1880) and the sequence (the sex), each
    with its share of the GB 11643 weighted sum. None for a number the row checker must see: one
    of another shape (15 digits, a lower-case x, a number cell), or a mistake of any kind."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.regions: dict[str, int | None] = {}
        self.births: dict[str, tuple[int, dt.date] | None] = {}
        self.sequences: dict[str, tuple[int, Sex]] = {}

    def column(self, values: list) -> list:
        facts = self.facts
        return [facts(value) if type(value) is str else None for value in values]

    def facts(self, number: str) -> tuple[str, dt.date, Sex] | None:
        if len(number) != 18 or not number.isascii() or not number[:17].isdigit() or number[17] not in _LAST:
            return None
        region = self.regions.get(number[:6], _UNSEEN)
        if region is _UNSEEN:
            region = self.regions[number[:6]] = _weighted(number[:6], 0) if number[:2] in _PROVINCES else None
        birth = self.births.get(number[6:14], _UNSEEN)
        if birth is _UNSEEN:
            birth = self.births[number[6:14]] = self._birth(number[6:14])
        sequence = self.sequences.get(number[14:17])
        if sequence is None:
            sequence = self.sequences[number[14:17]] = (_weighted(number[14:17], 14),
                                                        _MALE if int(number[16]) % 2 else _FEMALE)
        if region is None or birth is None or _CHECK_CHARS[(region + birth[0] + sequence[0]) % 11] != number[17]:
            return None
        return number, birth[1], sequence[1]

    def _birth(self, text: str) -> tuple[int, dt.date] | None:
        try:
            birth = dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        except ValueError:
            return None
        if birth > self.today or birth.year < 1880:
            return None
        return _weighted(text, 6), birth


_UNSEEN = object()
_LAST = frozenset("0123456789X")
_PROVINCES = idnumber.PROVINCE_CODES
_CHECK_CHARS = idnumber.CHECK_CHARS


def _weighted(digits: str, offset: int) -> int:
    return sum(map(mul, map(int, digits), idnumber.WEIGHTS[offset:offset + len(digits)]))


def _division_column(checker: _RowChecker, text: Callable[[str], list]) -> list:
    """(division code, through a unit) of each row as ``_RowChecker._division`` finds it, or _FAIL."""
    units = [text(key) for key in checker.unit_columns]
    memo: dict[tuple, Any] = {}
    if not units:  # no unit column: each distinct (township, village, code) once, then a table lookup
        places = list(zip(text("township"), text("village"), text("division_code"), strict=True))
        table = {}
        for place in dict.fromkeys(places):
            key = (*(part or "" for part in place), None)
            hit = memo.get(key)
            if hit is None:
                hit = memo[key] = _division(checker, *key)
            table[place] = hit
        return list(map(table.__getitem__, places))
    out = []
    for j, place in enumerate(zip(text("township"), text("village"), text("division_code"), strict=True)):
        township, village, code = (part or "" for part in place)
        unit = None if village or code else next((column[j] for column in units if column[j]), None)
        key = (township, village, code, unit)
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = _division(checker, township, village, code, unit)
        out.append(hit)
    return out


def _division(checker: _RowChecker, township: str, village: str, code: str, unit: str | None) -> Any:
    lookups = checker.lookups
    if not (village or code):
        found = lookups.resolve_division(township, unit, "") if unit else None
        if found is not None and found[1]:
            return found
        return (lookups.default_division, False) if lookups.default_division else _FAIL
    found = lookups.resolve_division(township, village, code)
    return _FAIL if found is None else found


def _product_column(checker: _RowChecker, values: list) -> list:
    """(product, the file's lists this row is noted in) of each row, as ``_RowChecker._product``."""
    lookups = checker.lookups
    default = lookups.products.get(lookups.default_product) if lookups.default_product else None
    table: dict[str | None, tuple] = {None: (default, ())}  # the texts: strings and blanks only
    for value in dict.fromkeys(values):
        if value is not None:
            product, notes = lookups.product(value), []
            if product is None and lookups.default_product:
                product = default
                notes.append(checker.products_read_as_chosen)
            if product is None:
                notes.append(checker.unknown_products)
            table[value] = (product, tuple(notes))
    return list(map(table.__getitem__, values))


def _shares_column(values: list, products: list) -> list:
    memo: dict[tuple, Any] = {}
    out = []
    for value, (product, _notes) in zip(values, products, strict=True):
        if value is None:
            out.append(None)
            continue
        key = (value, product.code if product is not None else None)
        hit = memo.get(key, memo)
        if hit is memo:
            try:
                hit = _shares(value, product)
            except DomainError:
                hit = _FAIL
            memo[key] = hit
        out.append(hit)
    return out


_NO_FORM: tuple = ({}, {}, ())


class _Forms:
    """The answers to a product's form questions of each row, as ``_RowChecker._form`` gives them:
    (household values, form values, the required questions the file has no column for), or _FAIL.
    Remembered by the product, the channel, the row's form cells and (for a blank 投保单位 read as the
    unit's name) its division."""

    def __init__(self, checker: _RowChecker, raws: dict[str, list], count: int) -> None:
        self.checker = checker
        # a column of strings and blanks is its own hashable form (only a number or a date is wrapped)
        self.columns = {key: values if _only_text(values) else [_hashable(v) for v in values]
                        for key, values in raws.items() if key.startswith(FORM_PREFIX)}
        self.count = count
        self.plans: dict[tuple[str, str], tuple] = {}  # (product, channel) -> fields, cells of each row, named
        self.memo: dict[tuple, Any] = {}

    def answer(self, j: int, product, division: tuple[str, bool]) -> Any:
        channel = "unit" if division[1] else "village"
        plan = self.plans.get((product.code, channel))
        if plan is None:
            plan = self.plans[(product.code, channel)] = self._plan(product, channel)
        fields, cells, named = plan
        key = (product.code, channel, division[0] if named else None, cells[j])
        hit = self.memo.get(key)
        if hit is None:
            hit = self.memo[key] = self._answer(fields, division[0], key[3])
        return hit

    def _plan(self, product, channel: str) -> tuple:
        checker = self.checker
        fields = checker._form_fields.get((product.code, channel))
        if fields is None:
            fields = checker._form_fields[(product.code, channel)] = checker._form_plan(product, channel)
        blank = [None] * self.count
        columns = [self.columns.get(key, blank) for how, _item, key, _label, _fixed in fields if how == "cell"]
        cells = list(zip(*columns, strict=True)) if columns else [()] * self.count
        return fields, cells, any(item.blank_from == "division_name" for _h, item, _k, _l, _f in fields)

    def _answer(self, fields: tuple, division_code: str | None, cells: tuple) -> Any:
        checker = self.checker
        lookups = checker.lookups
        household_values: dict[str, Any] = {}
        form_values: dict[str, Any] = {}
        missing = []
        given = iter(cells)
        for how, item, key, _label, fixed in fields:
            if how == "missing":
                missing.append(item)
                continue
            cell = _unwrapped(next(given)) if how == "cell" else None
            if cell is None and item.blank_from == "division_name" and fixed is None and lookups.division_name:
                fixed = lookups.division_name(division_code or "") or None
            if how == "cell" and (cell is not None or fixed is None):
                try:
                    value = checker._answer(item, key, cell)
                except DomainError:
                    return _FAIL
            else:
                value = fixed
            if value is None:
                continue
            if item.maps_to and item.maps_to.startswith("household."):
                household_values[item.maps_to.split(".", 1)[1]] = value
            elif not item.maps_to:
                form_values[item.key] = value.isoformat() if isinstance(value, dt.date) else value
        return household_values, form_values, tuple(missing)

    def count_missing(self, item, product) -> None:
        """A required question without a column, counted at this row as ``_RowChecker._form`` does."""
        columns = self.checker.missing_columns
        missing = columns.get(item.key)
        if missing is None:
            choices = tuple(c.label_zh for c in item.validation.choices) or (
                ("是", "否") if item.type == "bool" else ())
            missing = columns[item.key] = MissingColumn(item.key, item.label_zh, item.label_en, choices)
        missing.products.add(product.code)
        missing.rows += 1


def _hashable(value: Any) -> Any:
    return value if value is None or type(value) is str else (type(value), value)


def _unwrapped(value: Any) -> Any:
    return value[1] if type(value) is tuple else value
