"""Checking roster rows one by one, and gathering them into households.

Everything a row can be checked for without the database happens here: ID numbers (with the
numeric-ID trap), dates, phones, the closed vocabularies, the product and its form questions,
divisions (from a lookup the caller builds), duplicates within the file. The database checks
(person registered in another household, eligibility) belong to fpdesk.services.rosters.importing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from fpdesk.core import idnumber, limits, phone
from fpdesk.core.dates import parse_date
from fpdesk.core.enrollment_forms import EnrollmentForm, check_value, whole_number
from fpdesk.core.errors import DomainError
from fpdesk.core.limits import check_length
from fpdesk.core.people import CheckedPerson
from fpdesk.core.product_terms import SHARED_PAYER_ZH
from fpdesk.core.products import Product
from fpdesk.core.relations import needs_sex, relation_from_text
from fpdesk.core.vocabulary import HouseholdCategory, PayerType, Relation, Sex
from fpdesk.excel.codes import RowIssue, RowNote, row_issue
from fpdesk.excel.columns import FORM_PREFIX, IGNORED_FIELDS, is_footer

_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_CATEGORY_SPLIT = re.compile(r"[、,，;；/／\s]+")
_HEAD_WORDS = ("本人", "户主本人")


@dataclass(frozen=True)
class Lookups:
    """What row checks need to know beyond the row: divisions, products and their forms.

    ``resolve_division(township, village, code)`` returns (division code, is agency unit) or None.
    """

    resolve_division: Callable[[str, str, str], tuple[str, bool] | None]
    products: dict[str, Product]  # by code
    forms: dict[str, EnrollmentForm]  # by product code
    default_product: str | None = None
    default_division: str | None = None  # a village office's own village
    today: dt.date = field(default_factory=dt.date.today)
    # the whole file's answers to form questions (field key -> value as typed: "是", "法定"), for a
    # column the sheet does not have or a cell left blank (the wizard's 全部填为…, the CLI's --set)
    answers: dict[str, Any] = field(default_factory=dict)
    # (township, village) -> the known names nearest to an unknown village's
    nearest_divisions: Callable[[str, str], list[str]] | None = None
    division_name: Callable[[str], str] | None = None  # code -> name (a unit's name as its 投保单位)

    def product(self, text: str) -> Product | None:
        value = " ".join(str(text).split())
        for product in self.products.values():
            if product.known_as(value):  # its code, names or an alias the county gave it
                return product
        hits = [p for p in self.products.values() if len(value) >= 4 and (value in p.name_zh)]
        return hits[0] if len(hits) == 1 else None


@dataclass
class RosterRow:
    """A row that passed every check, in stored form (None = the cell was empty or the column absent)."""

    row: int
    person: CheckedPerson  # of a rejected row: what could be read, for grouping its household
    relation_given: bool
    rejected: bool = False
    division_code: str | None = None
    via_unit: bool = False
    household_ref: str | None = None
    head_name: str | None = None
    head_id_number: str | None = None
    address: str | None = None
    categories: frozenset[HouseholdCategory] | None = None
    certificate_no: str | None = None
    product_code: str | None = None
    shares: int | None = None
    payer: PayerType | None = None
    enrolled_on: dt.date | None = None
    form_values: dict[str, Any] = field(default_factory=dict)
    household_values: dict[str, Any] = field(default_factory=dict)  # form fields kept on the household
    # the product's form asks what the file has no column (and no answer) for: registered, not enrolled
    enrollment_withheld: bool = False


@dataclass
class MissingColumn:
    """A required form field the sheet has no column for and nobody answered: one question for the file."""

    key: str  # the form field's key
    label_zh: str
    label_en: str
    choices: tuple[str, ...]  # the Chinese labels of its values, where it has a closed set
    products: set[str] = field(default_factory=set)
    rows: int = 0


@dataclass
class CheckedSheet:
    entries: list[RosterRow]  # every data row in order; rejected ones marked (their households wait)
    issues: list[RowIssue]
    data_rows: int  # non-blank data rows read
    notes: list[RowNote] = field(default_factory=list)
    missing_columns: dict[str, MissingColumn] = field(default_factory=dict)
    unknown_products: dict[str, list[int]] = field(default_factory=dict)  # text -> rows naming it
    unknown_divisions: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # (township, village)

    @property
    def rows(self) -> list[RosterRow]:
        return [r for r in self.entries if not r.rejected]


def id_number_text(value: Any) -> str:
    """The text of an ID cell, or DomainError(id_lost_precision) when Excel made a number of it."""
    if isinstance(value, bool):
        raise DomainError("id_format", {"value": str(value)})
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise DomainError("id_format", {"value": str(value)})
        digits = str(int(value))
        if len(digits) > 15:  # Excel keeps 15 significant digits: the rest became zeros
            raise DomainError("id_lost_precision", {"value": f"{float(value):.14E}".replace("E+", "E+")})
        return digits
    text = str(value).strip()
    if _SCIENTIFIC.match(idnumber.normalise(text)):
        raise DomainError("id_lost_precision", {"value": text})
    return text


class _RowChecker:
    def __init__(self, labels: Sequence[str], mapping: dict[int, str], lookups: Lookups) -> None:
        self.labels, self.lookups = labels, lookups
        self.position = {key: index for index, key in mapping.items() if key not in IGNORED_FIELDS}
        self._divisions: dict[tuple[str, str, str], tuple[str, bool] | None] = {}
        self._products: dict[str, Product | None] = {}
        self._form_fields: dict[tuple[str, str], tuple] = {}
        self.missing_columns: dict[str, MissingColumn] = {}
        # a staff member's row names the unit enrolled through in its 投保单位 column, the village left blank
        self.unit_columns = [key for key in dict.fromkeys(
            FORM_PREFIX + f.key for form in lookups.forms.values() for f in form.fields
            if f.blank_from == "division_name") if self.has(key)]
        self.unknown_products: dict[str, list[int]] = {}
        self.products_read_as_chosen: dict[str, list[int]] = {}  # text -> rows read as the chosen product
        self.unknown_divisions: dict[tuple[str, str], list[int]] = {}
        # answers to a product's questions repeat row after row (是, 法定): each distinct answer is
        # checked once per field; the outcome (value or error) is remembered
        self._answers: dict[tuple[str, Any], tuple[Any, DomainError | None]] = {}

    def column(self, key: str) -> str:
        index = self.position.get(key)
        if index is not None and index < len(self.labels):
            return self.labels[index]
        return {"village": "村（社区）", "name": "姓名", "id_number": "身份证号码"}.get(key, key)

    def has(self, key: str) -> bool:
        return key in self.position

    def check(self, number: int, cells: Sequence) -> tuple[RosterRow, list[RowIssue]]:
        issues: list[RowIssue] = []
        # Every mapped cell read once: the value (strings stripped, blank = absent) and its text
        # (whole floats as integers, inner whitespace collapsed); a roster asks for them many times.
        raws: dict[str, Any] = {}
        texts: dict[str, str | None] = {}
        length = len(cells)
        for key, index in self.position.items():
            value = cells[index] if index < length else None
            if isinstance(value, str):
                value = value.strip() or None
            if value is None:
                continue
            raws[key] = value
            shown = int(value) if isinstance(value, float) and value.is_integer() else value
            texts[key] = " ".join(str(shown).split()) or None
        raw = raws.get
        text = texts.get

        def attempt(key: str, convert: Callable[[], Any], label: str | None = None) -> Any:
            try:
                return convert()
            except DomainError as error:
                issues.append(row_issue(number, label or self.column(key), error, self.position.get(key)))
                return None

        name = text("name")
        if not name:
            issues.append(row_issue(number, self.column("name"), DomainError(
                "missing_field", {"field_zh": "姓名", "field_en": "name"}), self.position.get("name")))
        elif len(name) > limits.PERSON_NAME:
            name = attempt("name", lambda: check_length("name", name))
        facts = None
        if raw("id_number") is not None:
            facts = attempt("id_number", lambda: idnumber.validate(id_number_text(raw("id_number")),
                                                                   today=self.lookups.today, allow_legacy=True))
        sex = attempt("sex", lambda: _vocabulary(Sex, text("sex"), "sex_mismatch")) if text("sex") else None
        birth = attempt("birth_date", lambda: parse_date(raw("birth_date"))) if raw("birth_date") is not None else None
        if facts is not None:
            if birth is not None and birth != facts.birth_date:
                attempt("birth_date", lambda: _raise("birth_date_mismatch", typed=birth.isoformat(),
                                                     derived=facts.birth_date.isoformat()))
            if sex is not None and sex.value != facts.sex:
                attempt("sex", lambda: _raise("sex_mismatch", derived=Sex(facts.sex).label_zh))
            sex, birth = Sex(facts.sex), facts.birth_date
        elif raw("id_number") is None:
            # A newborn may have no number yet: then sex and birth date are needed.
            if sex is None and not issues:
                attempt("sex", lambda: _raise("missing_field", field_zh="性别", field_en="sex"))
            if birth is None and not issues:
                attempt("birth_date", lambda: _raise("missing_field", field_zh="出生日期", field_en="birth date"))
        relation = Relation.HEAD if not self.has("relation") else None
        if self.has("relation") and text("relation"):
            value = text("relation")
            if sex is None and needs_sex(value):
                # 子女 without an ID number or a 性别: the missing sex is said already (or is said here)
                if not issues:
                    attempt("sex", lambda: _raise("missing_field", field_zh="性别", field_en="sex"))
            else:
                relation = attempt("relation", lambda: _relation(value, sex))
        phone1 = attempt("phone", lambda: phone.validate(text("phone"))) if text("phone") else None
        phone2 = attempt("phone2", lambda: phone.validate(text("phone2"))) if text("phone2") else None
        row = RosterRow(number, None, relation_given=self.has("relation"))  # type: ignore[arg-type]
        row.household_ref = text("household_ref")
        row.head_name = text("head_name")
        if raw("head_id_number") is not None:
            head = attempt("head_id_number", lambda: idnumber.validate(id_number_text(raw("head_id_number")),
                                                                       today=self.lookups.today, allow_legacy=True))
            row.head_id_number = head.number if head else None
        row.address = attempt("address", lambda: check_length("address", text("address")))
        row.certificate_no = attempt("certificate_no", lambda: check_length("certificate_no", text("certificate_no")))
        self._division(row, text, attempt)
        if text("category"):
            row.categories = attempt("category", lambda: frozenset(
                _vocabulary(HouseholdCategory, part, "unknown_category")
                for part in _CATEGORY_SPLIT.split(text("category")) if part))
        product = self._product(row, text, attempt)
        if text("payer"):
            row.payer = attempt("payer", lambda: read_payer(text("payer")))
        if raw("enrolled_on") is not None:
            row.enrolled_on = attempt("enrolled_on", lambda: parse_date(raw("enrolled_on")))
        if text("shares"):
            row.shares = attempt("shares", lambda: _shares(text("shares"), product))
        if product is not None:
            self._form(row, product, raw, attempt)
        if relation is None:
            relation = Relation.HEAD if str(text("relation") or "") in _HEAD_WORDS else Relation.OTHER
        row.person = CheckedPerson(name or "", facts.number if facts else None, sex, birth, relation, phone1, phone2)
        row.rejected = bool(issues)
        return row, issues

    def _division(self, row: RosterRow, text, attempt) -> None:
        township, village, code = text("township") or "", text("village") or "", text("division_code") or ""
        if not (village or code):
            unit = next((text(key) for key in self.unit_columns if text(key)), None)
            found = self.lookups.resolve_division(township, unit, "") if unit else None
            if found is not None and found[1]:
                row.division_code, row.via_unit = found
                return
            if self.lookups.default_division:
                row.division_code = self.lookups.default_division
                return
            attempt("village", lambda: _raise("missing_field", field_zh="村（社区）", field_en="village"))
            return
        key = (township, village, code)
        found = self._divisions[key] if key in self._divisions else self._divisions.setdefault(
            key, self.lookups.resolve_division(township, village, code))
        if found is None:
            key = "division_code" if code and not village else "village"
            shown = code or " ".join(part for part in (township, village) if part)
            self.unknown_divisions.setdefault((township, village or code), []).append(row.row)
            near = self.lookups.nearest_divisions(township, village) if village and self.lookups.nearest_divisions \
                else []
            hint_zh = f"相近的有：{'、'.join(near)}。" if near else ""
            hint_en = f" Nearest known: {', '.join(near)}." if near else ""
            attempt(key, lambda: _raise("unknown_division", value=shown, hint_zh=hint_zh, hint_en=hint_en))
            return
        row.division_code, row.via_unit = found

    def _product(self, row: RosterRow, text, attempt) -> Product | None:
        value = text("product")
        if value:
            product = self._products[value] if value in self._products else self._products.setdefault(
                value, self.lookups.product(value))
            if product is None and self.lookups.default_product:
                # the clerk chose the product for this file (--product, the wizard): an office's own
                # name for it (计生家庭意外伤害保险) is read as that choice, and said once
                product = self.lookups.products.get(self.lookups.default_product)
                self.products_read_as_chosen.setdefault(value, []).append(row.row)
            if product is None:
                # a problem of the file (one name, written on every row), said once: the rows are
                # registered and their enrollment waits for the product to be named
                self.unknown_products.setdefault(value, []).append(row.row)
                return None
        elif self.lookups.default_product:
            product = self.lookups.products.get(self.lookups.default_product)
        else:
            return None
        row.product_code = product.code if product else None
        return product

    def _form(self, row: RosterRow, product: Product, raw, attempt) -> None:
        channel = "unit" if row.via_unit else "village"
        fields = self._form_fields.get((product.code, channel))
        if fields is None:
            fields = self._form_fields[(product.code, channel)] = self._form_plan(product, channel)
        for how, item, key, label, fixed in fields:
            if how == "missing":
                missing = self.missing_columns.get(item.key)
                if missing is None:
                    choices = tuple(c.label_zh for c in item.validation.choices) or (
                        ("是", "否") if item.type == "bool" else ())
                    missing = self.missing_columns[item.key] = MissingColumn(item.key, item.label_zh, item.label_en,
                                                                             choices)
                missing.products.add(product.code)
                missing.rows += 1
                row.enrollment_withheld = True
                continue
            cell = raw(key) if how == "cell" else None
            if cell is None and item.blank_from == "division_name" and fixed is None and self.lookups.division_name:
                fixed = self.lookups.division_name(row.division_code or "") or None
            if how == "cell" and (cell is not None or fixed is None):
                value = attempt(key, lambda item=item, key=key, cell=cell: self._answer(item, key, cell), label)
            else:
                value = fixed  # a blank cell or a missing column takes the whole file's answer
            if value is None:
                continue
            if item.maps_to and item.maps_to.startswith("household."):
                row.household_values[item.maps_to.split(".", 1)[1]] = value
            elif not item.maps_to:
                row.form_values[item.key] = value.isoformat() if isinstance(value, dt.date) else value

    def _form_plan(self, product: Product, channel: str) -> tuple:
        """How each question of the product's form is answered for this sheet: from its column
        ("cell"), by the file's answer or the blank's meaning ("fixed"), or not at all ("missing": a
        required question the file must be asked once). A DomainError when an answer is not valid."""
        form = self.lookups.forms.get(product.code)
        plan = []
        for item in form.fields_for(channel) if form is not None else ():
            if item.maps_to and item.maps_to.startswith("person."):
                continue  # the person's record (an eligible list) holds it, not the roster
            key = FORM_PREFIX + item.key
            answer = None
            if item.key in self.lookups.answers:
                answer = check_value(item, self.lookups.answers[item.key])
            if self.has(key):
                plan.append(("cell", item, key, self.column(key), answer))
            elif answer is not None or item.blank_means is not None or item.blank_from is not None:
                plan.append(("fixed", item, key, "", answer if answer is not None else item.blank_means))
            elif item.required and item.maps_to != "household.certificate_no":
                plan.append(("missing", item, key, "", None))  # the certificate is a standard column
        return tuple(plan)


    def _answer(self, item, key: str, value: Any) -> Any:
        try:
            memo = (key, value)
            hit = self._answers.get(memo)
        except TypeError:  # not hashable: checked every time
            return check_value(item, value)
        if hit is None:
            try:
                hit = (check_value(item, value), None)
            except DomainError as error:
                hit = (None, error)
            if len(self._answers) < 10_000:
                self._answers[memo] = hit
        if hit[1] is not None:  # a new error each time: a raised instance keeps its traceback's frames
            raise DomainError(hit[1].code, hit[1].params)
        return hit[0]


_RELATION_CACHE: dict[tuple[str, Sex | None], Relation] = {}


def _relation(value: str, sex: Sex | None) -> Relation:
    """The relation a cell names (GB/T 4761-2008 codes and words, 子女 by the person's sex), remembered."""
    found = _RELATION_CACHE.get((value, sex))
    if found is None:
        try:
            found = _RELATION_CACHE[(value, sex)] = relation_from_text(value, sex)
        except ValueError:
            raise DomainError("unknown_relation", {"value": value}) from None
    return found


def _raise(error_code: str, **params) -> Any:
    raise DomainError(error_code, params)


_VOCABULARY_CACHE: dict[tuple[type, str], object] = {}


def read_payer(value: str) -> PayerType | None:
    """The 缴费方式 of a row: 多级分担 (a premium shared between levels, as fpdesk's own rosters write
    it) names no one payer: the product's contributions say who pays what, as when the cell is empty."""
    if value == SHARED_PAYER_ZH:
        return None
    return _vocabulary(PayerType, value, "unknown_payer")


def _vocabulary(kind, value: str, code: str):
    """``kind.from_text`` remembered: a roster says 户主 or 二女结扎户 a hundred thousand times."""
    found = _VOCABULARY_CACHE.get((kind, value))
    if found is not None:
        return found
    try:
        found = _VOCABULARY_CACHE[(kind, value)] = kind.from_text(value)
        return found
    except ValueError:
        if code == "sex_mismatch":
            code, params = "bad_argument", {"detail": f"性别“{value}”应为男或女"}
        else:
            params = {"value": value}
        raise DomainError(code, params) from None


def _shares(value: str, product: Product | None) -> int:
    shares = whole_number(value)
    if shares is None or shares < 1:
        raise DomainError("bad_shares", {"value": value})
    if product is not None:
        limit = product.max_shares_per_person if product.unit == "person" else product.max_shares_per_family
        if limit is not None and shares > limit:
            per = "人" if product.unit == "person" else "户"
            raise DomainError("over_max_shares", {
                "detail_zh": f"份数{shares}超过了“{product.name_zh}”每{per}最多{limit}份的限制。",
                "detail_en": f"{shares} shares exceed the limit of {limit} per "
                             f"{'person' if product.unit == 'person' else 'household'} of {product.code}."})
    return shares


def check_rows(rows: Iterable[Sequence], labels: Sequence[str], mapping: dict[int, str], lookups: Lookups, *,
               first_row_number: int, progress: Callable[[int], None] | None = None) -> CheckedSheet:
    """Check every data row (``first_row_number`` is the Excel number of the first one); blank and
    footer rows (合计, 填报人 …) are skipped; an ID number seen before is a duplicate."""
    checker = _RowChecker(labels, mapping, lookups)
    sheet = SheetChecks(checker, mapping)
    for number, cells in data_rows(rows, mapping, first_row_number):
        if progress is not None and sheet.result.data_rows % 5000 == 4999:
            progress(sheet.result.data_rows + 1)
        row, issues = checker.check(number, cells)
        sheet.add(number, cells, row, issues)
    return sheet.finish()


def data_rows(rows: Iterable[Sequence], mapping: dict[int, str], first_row_number: int
              ) -> Iterator[tuple[int, Sequence]]:
    """(Excel row number, cells) of every data row: blank rows, rows with nothing in a mapped column
    and footer rows (合计, 填报人 …) left out."""
    identifying = [i for i, key in mapping.items() if key in ("name", "id_number")]
    for number, cells in enumerate(rows, start=first_row_number):
        if not any(cells[i] is not None and str(cells[i]).strip() for i in identifying if i < len(cells)):
            if not cells or _is_footer(cells) or not _has_content(cells, mapping):
                continue
        elif _is_footer(cells):
            continue
        yield number, cells


def _is_footer(cells: Sequence) -> bool:
    first = cells[0]
    if first is not None and type(first) is not str:  # a number or a date first (序号) is never a footer word
        return False
    return is_footer(cells)


class SheetChecks:
    """What a sheet's checked rows add up to: the entries in order, an ID number seen before (an
    identical line merged, another line refused), and the checker's findings for the whole file."""

    def __init__(self, checker: _RowChecker, mapping: dict[int, str]) -> None:
        self.checker = checker
        self.result = CheckedSheet([], [], 0)
        self.first_seen: dict[str, tuple[int, Sequence]] = {}
        self.seq_column = next((i for i, key in mapping.items() if key == "seq"), None)

    def add(self, number: int, cells: Sequence, row: RosterRow, issues: list[RowIssue]) -> None:
        result = self.result
        result.data_rows += 1
        if not row.rejected and row.person.id_number:
            first, first_cells = self.first_seen.setdefault(row.person.id_number, (number, cells))
            if first != number:
                if _line(first_cells, self.seq_column) == _line(cells, self.seq_column):
                    # the same line twice (pasted again, or two village lists with one family in both):
                    # one person, said once
                    result.notes.append(_merged_note(number, first))
                    return
                checker = self.checker
                issues = [row_issue(number, checker.column("id_number"), DomainError(
                    "id_duplicate_in_file", {"masked": idnumber.mask(row.person.id_number), "first_row": first}),
                    checker.position.get("id_number"))]
                row.rejected = True
        if issues:
            result.issues.extend(issues)
        result.entries.append(row)

    def finish(self) -> CheckedSheet:
        result, checker = self.result, self.checker
        result.missing_columns = checker.missing_columns
        result.unknown_products = checker.unknown_products
        chosen = checker.lookups.products.get(checker.lookups.default_product or "")
        for value, numbers in checker.products_read_as_chosen.items():
            error = DomainError("product_read_as_chosen", {
                "value": value, "rows": _row_list(numbers), "count": len(numbers),
                "chosen": chosen.name_zh if chosen else "", "chosen_en": chosen.name_en if chosen else ""})
            result.notes.append(RowNote(numbers[0], error.code, error.message_zh, error.message_en))
        result.unknown_divisions = checker.unknown_divisions
        return result


def _line(cells: Sequence, seq_column: int | None) -> tuple:
    """A row's cells as compared for an identical line: its number (序号) aside, blanks trimmed."""
    values = [_cell_text(v) for i, v in enumerate(cells) if i != seq_column]
    while values and values[-1] == "":
        values.pop()
    return tuple(values)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return " ".join(str(value).split())


def _row_list(numbers: Sequence[int]) -> str:
    return "、".join(map(str, numbers[:10])) + ("…" if len(numbers) > 10 else "")


def _merged_note(number: int, first: int) -> RowNote:
    error = DomainError("duplicate_line_merged", {"row": number, "first_row": first})
    return RowNote(number, error.code, error.message_zh, error.message_en)


def _has_content(cells: Sequence, mapping: dict[int, str]) -> bool:
    return any(i < len(cells) and cells[i] is not None and str(cells[i]).strip()
               for i, key in mapping.items() if key not in IGNORED_FIELDS)
