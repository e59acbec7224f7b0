"""Whole-file answers: a form question the roster has no column for is asked once for the file.

No roster an office already keeps has the product's form columns (被保险人身体健康, 身故受益人). Each such
required question is one question for the whole file — the wizard's "全部填为…", the CLI's
``--set FIELD=VALUE`` — never one error per row; a question whose blank has a meaning in the trade
(a death beneficiary left blank is 法定) takes it without being asked. What stays unanswered is
said once, at file level, with the ``--set`` that answers it, and the households are registered
without their enrollment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from fpdesk.core.catalog import Catalog
from fpdesk.core.enrollment_forms import EnrollmentForm, FormField
from fpdesk.core.errors import DomainError
from fpdesk.excel.codes import FileIssue, file_issue
from fpdesk.excel.columns import FORM_PREFIX, header_key
from fpdesk.excel.rows import CheckedSheet


@dataclass(frozen=True)
class Question:
    """A required form question the sheet has no column for: answered once, for every row."""

    key: str
    label_zh: str
    label_en: str
    type: str
    choices: tuple[tuple[str, str, str], ...]  # (value, Chinese label, English label)
    blank_means: str | None  # the value taken when nobody answers (法定), else None: an answer is needed
    products: tuple[str, ...]

    @property
    def needs_answer(self) -> bool:
        return self.blank_means is None


def _forms(cat: Catalog, products: Iterable[str] | None) -> list[tuple[str, EnrollmentForm]]:
    chosen = [p for p in cat.products.values() if products is None or p.code in set(products)]
    return [(p.code, cat.form_of(p)) for p in chosen]


def _asked(item: FormField) -> bool:
    """Whether the file is asked this question when it has no column for it."""
    if item.maps_to and (item.maps_to.startswith("person.") or item.maps_to == "household.certificate_no"):
        return False  # the person's record holds it, or the standard certificate column
    return item.required and item.blank_from is None


def questions_for(cat: Catalog, products: Iterable[str], channels: Iterable[str],
                  mapped: Iterable[str]) -> list[Question]:
    """The questions of ``products``' forms (in ``channels``) that no mapped column answers, in form order."""
    taken = {key.removeprefix(FORM_PREFIX) for key in mapped if key.startswith(FORM_PREFIX)}
    found: dict[str, Question] = {}
    for code, form in _forms(cat, products):
        for channel in channels:
            for item in form.fields_for(channel):
                if item.key in taken or not _asked(item):
                    continue
                known = found.get(item.key)
                if known is not None:
                    if code not in known.products:
                        found[item.key] = replace(known, products=(*known.products, code))
                    continue
                choices = tuple((c.value, c.label_zh, c.label_en) for c in item.validation.choices) or (
                    (("true", "是", "yes"), ("false", "否", "no")) if item.type == "bool" else ())
                found[item.key] = Question(item.key, item.label_zh, item.label_en, item.type, choices,
                                           None if item.blank_means is None else str(item.blank_means), (code,))
    return list(found.values())


def parse_settings(texts: Iterable[str]) -> dict[str, str]:
    """``FIELD=VALUE`` strings (the CLI's repeated --set) as a dict."""
    result: dict[str, str] = {}
    for text in texts:
        field, sep, value = str(text).partition("=")
        if not sep or not field.strip():
            raise DomainError("roster_answer_format", {"text": text})
        result[field.strip()] = value.strip()
    return result


def resolve_answers(cat: Catalog, answers: Mapping[str, str] | None, product: str | None = None) -> dict[str, str]:
    """Answers by the form field's key: FIELD may be the key, its Chinese label or a roster column
    name of it (被保险人身体健康, 身体健康). A name no form knows is refused, naming those it knows.
    The values are checked where they are used (a wrong value refuses the file before anything is
    written)."""
    if not answers:
        return {}
    names: dict[str, str] = {}
    labels: dict[str, str] = {}
    for _code, form in _forms(cat, [product] if product else None):
        for item in form.fields:
            labels.setdefault(item.key, item.label_zh)
            for name in (item.key, item.label_zh, item.label_en, *item.roster_columns):
                names.setdefault(header_key(name), item.key)
    resolved: dict[str, str] = {}
    for field, value in answers.items():
        key = names.get(header_key(field))
        if key is None:
            known = "、".join(f"{label}（{key}）" for key, label in labels.items())
            raise DomainError("roster_unknown_answer", {"field": field, "known": known})
        resolved[key] = value
    return resolved


def missing_column_issue(checked: CheckedSheet, cat: Catalog) -> FileIssue | None:
    """The one file-level notice for every required question the sheet left unanswered."""
    missing = list(checked.missing_columns.values())
    if not missing:
        return None
    products = sorted({code for m in missing for code in m.products})
    names_zh = "、".join(f"“{cat.products[p].name_zh}”" if p in cat.products else p for p in products)
    sets = " ".join(f"--set {m.label_zh}={m.choices[0] if m.choices else '…'}" for m in missing)
    rows = max(m.rows for m in missing)
    return file_issue("form_columns_missing", "form_columns_missing",
                      columns="、".join(f"“{m.label_zh}”" for m in missing),
                      columns_en=", ".join(m.label_en for m in missing), products=names_zh,
                      products_en=", ".join(products), rows=rows, sets=sets, count=rows)


def unknown_product_issues(checked: CheckedSheet, cat: Catalog) -> list[FileIssue]:
    known = "、".join(p.name_zh for p in cat.products.values())
    issues = []
    for value, rows in checked.unknown_products.items():
        shown = "、".join(map(str, rows[:10])) + ("…" if len(rows) > 10 else "")
        issues.append(file_issue("unknown_product", "roster_unknown_product", value=value, rows=shown, known=known,
                                 count=len(rows)))
    return issues
