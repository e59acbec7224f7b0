"""Enrollment forms as data (``forms/enrollment/*.yaml``): what a product asks beyond the household record.

A form lists fields (the only-child certificate number, the beneficiary, the employer unit …),
each with its type, bilingual label, whether it is required, how to validate it and the column
names rosters use for it, so the GUI can draw the form, the roster importer can map columns and
the services can check values without product-specific code.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fpdesk.core.definition_reader import Node, open_definition
from fpdesk.core.errors import DomainError

FORMAT_VERSION = 1
DEFINITION_ERROR = "form_definition_invalid"

FIELD_TYPES = ("text", "date", "bool", "choice", "id_number", "phone", "integer")
# Which validation keys make sense for which type; anything else is a typo or a misunderstanding.
_VALIDATION_KEYS = {
    "text": ("regex", "min_length", "max_length"),
    "integer": ("min", "max"),
    "date": ("min", "max"),
    "choice": ("choices",),
    "bool": (),
    "id_number": (),
    "phone": (),
}
CHANNELS = ("village", "unit")
BLANK_SOURCES = ("division_name",)
# Fields the household or person record already holds; the form shows and edits them in place.
RECORD_FIELDS = (
    "household.certificate_no",
    "household.reward_recipient",
    "household.is_rural",
    "person.on_eligible_list",
)


@dataclass(frozen=True)
class Choice:
    value: str
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class FieldValidation:
    regex: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: int | dt.date | None = None
    maximum: int | dt.date | None = None
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class FormField:
    key: str
    type: str
    label_zh: str
    label_en: str
    required: bool
    validation: FieldValidation
    roster_columns: tuple[str, ...]
    channels: tuple[str, ...] = CHANNELS  # enrollment channels that show the field
    maps_to: str | None = None
    help_zh: str = ""
    # what a blank answer stands for where the trade has a rule for it (a death beneficiary nobody
    # named is the statutory heirs); None: a required field left blank is missing
    blank_means: Any = None
    # "division_name": a blank answer is the name of the division enrolled through (the unit a staff
    # member is enrolled by is the 投保单位); only a roster import knows it
    blank_from: str | None = None


@dataclass(frozen=True)
class EnrollmentForm:
    code: str
    title_zh: str
    title_en: str
    fields: tuple[FormField, ...]
    source_file: str

    def field(self, key: str) -> FormField | None:
        return next((f for f in self.fields if f.key == key), None)

    def fields_for(self, channel: str) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if channel in f.channels)

    def column_map(self) -> dict[str, str]:
        """Roster column name -> field key, for mapping spreadsheet headers."""
        return {column: f.key for f in self.fields for column in f.roster_columns}


def load_form_file(path: str | Path, text: str | None = None) -> EnrollmentForm:
    """Read and check one form file (or its ``text``, named by ``path``)."""
    path = Path(path)
    root, _data, code = open_definition(path, DEFINITION_ERROR, format_version=FORMAT_VERSION, what_zh="登记表",
                                        what_en="form", text=text)
    title_zh, title_en = root.text("title_zh"), root.text("title_en")
    fields: list[FormField] = []
    columns_seen: dict[str, str] = {}
    for _index, node in root.sub_nodes("fields"):
        form_field = _field(node)
        if any(f.key == form_field.key for f in fields):
            node.fail("key", f"字段键 {form_field.key!r} 重复", f"field key {form_field.key!r} appears twice")
        for column in form_field.roster_columns:
            if column in columns_seen:
                node.fail("roster_columns", f"名册列名 {column!r} 已用于字段 {columns_seen[column]!r}",
                          f"roster column {column!r} is already used by field {columns_seen[column]!r}")
            columns_seen[column] = form_field.key
        fields.append(form_field)
    root.finish()
    return EnrollmentForm(code, title_zh, title_en, tuple(fields), root.file)


def _field(node: Node) -> FormField:
    key = node.text("key")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
        node.fail("key", "键只能用小写英文字母、数字和下划线", "must be a lower-case identifier (a-z, 0-9, _)")
    field_type = node.choice("type", FIELD_TYPES)
    validation_node = node.mapping("validation", required=field_type == "choice")
    validation = _validation(validation_node, field_type) if validation_node else FieldValidation()
    channels = node.text_list("channels", allowed=CHANNELS, required=False) or CHANNELS
    form_field = FormField(
        key=key,
        type=field_type,
        label_zh=node.text("label_zh"),
        label_en=node.text("label_en"),
        required=node.boolean("required"),
        validation=validation,
        roster_columns=node.text_list("roster_columns"),
        channels=channels,
        maps_to=node.choice("maps_to", RECORD_FIELDS, required=False),
        help_zh=node.text("help_zh", required=False, default="") or "",
    )
    form_field = replace(form_field, blank_from=node.choice("blank_from", BLANK_SOURCES, required=False))
    blank = node.raw("blank_means", required=False)
    if blank is not None:
        try:
            value = check_value(replace(form_field, required=True), blank)
        except DomainError as error:
            node.fail("blank_means", error.message_zh, error.message_en)
        form_field = replace(form_field, blank_means=value.isoformat() if isinstance(value, dt.date) else value)
    node.finish()
    return form_field


def _validation(node: Node, field_type: str) -> FieldValidation:
    allowed = _VALIDATION_KEYS[field_type]
    for key in node.data:
        if key not in allowed:
            node.fail(key, f"类型 {field_type} 不支持此校验项（可用：{', '.join(allowed) or '无'}）",
                      f"not a validation for type {field_type} (allowed: {', '.join(allowed) or 'none'})")
    result = FieldValidation()
    if field_type == "text":
        regex = node.text("regex", required=False)
        if regex is not None:
            try:
                re.compile(regex)
            except re.error as exc:
                node.fail("regex", f"正则表达式无效：{exc}", f"invalid regular expression: {exc}")
        result = FieldValidation(regex=regex,
                                 min_length=node.integer("min_length", required=False, minimum=0),
                                 max_length=node.integer("max_length", required=False, minimum=1))
    elif field_type == "integer":
        result = FieldValidation(minimum=node.integer("min", required=False),
                                 maximum=node.integer("max", required=False))
    elif field_type == "date":
        result = FieldValidation(minimum=_date(node, "min"), maximum=_date(node, "max"))
    elif field_type == "choice":
        choices = []
        for _index, item in node.sub_nodes("choices"):
            choices.append(Choice(item.text("value"), item.text("label_zh"), item.text("label_en")))
            item.finish()
        if len({c.value for c in choices}) != len(choices):
            node.fail("choices", "选项取值重复", "choice values must be unique")
        result = FieldValidation(choices=tuple(choices))
    lo, hi = result.minimum, result.maximum
    if lo is not None and hi is not None and lo > hi:
        node.fail("min", "最小值大于最大值", "min is above max")
    node.finish()
    return result


def _date(node: Node, key: str) -> dt.date | None:
    value = node.raw(key, required=False)
    if value is None:
        return None
    if not isinstance(value, dt.date):  # yaml.safe_load turns 2020-01-01 into a date
        node.fail(key, "应为日期，如 2000-01-01", f"must be a date like 2000-01-01, found {value!r}")
    return value


def load_forms(folder: str | Path | None = None) -> dict[str, EnrollmentForm]:
    """Every ``*.yaml`` form in ``folder`` (the enrollment folder or the forms root) by code."""
    from fpdesk.core.paths import forms_dir

    folder = Path(folder) if folder is not None else forms_dir()
    if (folder / "enrollment").is_dir():
        folder = folder / "enrollment"
    return {form.code: form for form in (load_form_file(p) for p in sorted(folder.glob("*.yaml")))}


# -- checking values people type or rosters hold -----------------------------------------------------


def check_value(form_field: FormField, raw: Any) -> Any:
    """The typed value of one field, or DomainError(form_value_invalid) / missing_field.

    Empty input gives what the field's blank means (``blank_means``), else None for an optional field.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if form_field.blank_means is not None:
            return form_field.blank_means
        if form_field.required:
            raise DomainError("missing_field", {"field_zh": form_field.label_zh, "field_en": form_field.label_en})
        return None
    checker = _CHECKERS[form_field.type]
    return checker(form_field, raw)


def _refuse(form_field: FormField, detail_zh: str, detail_en: str) -> DomainError:
    return DomainError("form_value_invalid", {"label_zh": form_field.label_zh, "label_en": form_field.label_en,
                                              "detail_zh": detail_zh, "detail_en": detail_en})


def _check_text(form_field: FormField, raw: Any) -> str:
    text = " ".join(str(raw).split())
    rules = form_field.validation
    if rules.min_length is not None and len(text) < rules.min_length:
        raise _refuse(form_field, f"至少{rules.min_length}个字", f"at least {rules.min_length} characters")
    if rules.max_length is not None and len(text) > rules.max_length:
        raise _refuse(form_field, f"最多{rules.max_length}个字", f"at most {rules.max_length} characters")
    if rules.regex and not re.fullmatch(rules.regex, text):
        raise _refuse(form_field, f"“{text}”格式不对", f"'{text}' does not have the expected format")
    return text


def whole_number(raw: Any) -> int | None:
    """A whole number as people type it or spreadsheets store it: 2022, 2022.0 (a number cell),
    "２０２２" (full-width digits from a Chinese input method), " 2022 "; None for anything else."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    text = unicodedata.normalize("NFKC", str(raw)).strip().replace(",", "")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d+\.0*", text):
        return int(text.split(".")[0])
    return None


def _check_integer(form_field: FormField, raw: Any) -> int:
    value = whole_number(raw)
    if value is None:
        raise _refuse(form_field, f"“{raw}”不是整数", f"'{raw}' is not a whole number")
    _check_range(form_field, value, str(value))
    return value


def _check_date(form_field: FormField, raw: Any) -> dt.date:
    from fpdesk.core.dates import parse_date

    value = parse_date(raw)
    _check_range(form_field, value, value.isoformat())
    return value


def _check_range(form_field: FormField, value: Any, shown: str) -> None:
    rules = form_field.validation
    if rules.minimum is not None and value < rules.minimum:
        raise _refuse(form_field, f"{shown} 小于 {rules.minimum}", f"{shown} is below {rules.minimum}")
    if rules.maximum is not None and value > rules.maximum:
        raise _refuse(form_field, f"{shown} 大于 {rules.maximum}", f"{shown} is above {rules.maximum}")


_TRUE = {"true", "1", "yes", "y", "是", "有", "√", "✓"}
_FALSE = {"false", "0", "no", "n", "否", "无", "×"}


def _check_bool(form_field: FormField, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _refuse(form_field, f"“{raw}”应为“是”或“否”", f"'{raw}' must be yes or no")


def _check_choice(form_field: FormField, raw: Any) -> str:
    text = str(raw).strip()
    for choice in form_field.validation.choices:
        if text in (choice.value, choice.label_zh, choice.label_en):
            return choice.value
    options = "、".join(c.label_zh for c in form_field.validation.choices)
    raise _refuse(form_field, f"“{text}”不是可选项（{options}）", f"'{text}' is not one of the choices")


def _check_id_number(form_field: FormField, raw: Any) -> str:
    from fpdesk.core.idnumber import validate

    return validate(str(raw)).number


def _check_phone(form_field: FormField, raw: Any) -> str:
    from fpdesk.core.phone import validate

    return validate(str(raw))


_CHECKERS = {"text": _check_text, "integer": _check_integer, "date": _check_date, "bool": _check_bool,
             "choice": _check_choice, "id_number": _check_id_number, "phone": _check_phone}
