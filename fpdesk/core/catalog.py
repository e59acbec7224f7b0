"""A catalog: the products and enrollment forms of one forms folder, checked against each other.

Each product names the form its enrollment is written on, and its rules may name answers of that
form (``eligibility.required_answers``, ``payer_by_answer``): a catalog is only built when every
such name exists on the form, so a county's definition files are refused whole, with the file and
key at fault, rather than failing at the first enrollment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from fpdesk.core.enrollment_forms import EnrollmentForm, load_form_file, load_forms
from fpdesk.core.errors import DomainError
from fpdesk.core.products import DEFINITION_ERROR, Product, load_product_file, load_products


@dataclass(frozen=True)
class Catalog:
    """All products and enrollment forms of one forms folder, checked against each other."""

    products: Mapping[str, Product]
    forms: Mapping[str, EnrollmentForm]

    def form_of(self, product: Product) -> EnrollmentForm:
        return self.forms[product.form]


def _check_form_answers(product: Product, form: EnrollmentForm) -> None:
    """The answers a product's rules name must be answers its form can give."""
    named = [(f"eligibility.required_answers[{i}].field", a.field, a.value)
             for i, a in enumerate(product.eligibility.required_answers)]
    if product.payer_by_answer:
        named += [("payer_by_answer.field", product.payer_by_answer.field, value)
                  for value, _payer in product.payer_by_answer.payers]
    for where, key, value in named:
        form_field = form.field(key)
        if form_field is None:
            detail = (f"登记表“{form.code}”没有字段“{key}”", f"form {form.code!r} has no field {key!r}")
        elif form_field.type == "bool" and not isinstance(value, bool):
            detail = (f"字段“{key}”是是否题，应写 true 或 false", f"field {key!r} is yes/no: use true or false")
        elif form_field.type == "choice" and value not in {c.value for c in form_field.validation.choices}:
            detail = (f"字段“{key}”没有选项“{value}”", f"field {key!r} has no choice {value!r}")
        elif form_field.type not in ("bool", "choice"):
            detail = (f"字段“{key}”不是是否题或选择题", f"field {key!r} is neither yes/no nor a choice")
        else:
            continue
        raise DomainError(DEFINITION_ERROR, {"file": product.source_file, "path": where,
                                             "detail_zh": detail[0], "detail_en": detail[1]})


def load_catalog(root: str | Path | None = None) -> Catalog:
    """Products and forms of ``root`` (default: the shipped ``forms/``); every named form must exist."""
    return _checked_catalog(load_products(root), load_forms(root))


def catalog_with(base: Catalog, product_texts: Mapping[str, str], form_texts: Mapping[str, str],
                 *, folder: str) -> Catalog:
    """``base`` with these definitions (file texts by code) in place of its own of the same code and
    beside the rest: what an office received from its county. Each text is checked as its file
    would be, named ``<folder>/products/<code>.yaml`` in refusals; every named form must exist."""
    products = dict(base.products)
    forms = dict(base.forms)
    for code, text in sorted(form_texts.items()):
        forms[code] = load_form_file(Path(folder, "enrollment", f"{code}.yaml"), text)
    for code, text in sorted(product_texts.items()):
        products[code] = load_product_file(Path(folder, "products", f"{code}.yaml"), text)
    return _checked_catalog(products, forms)


def _checked_catalog(products: dict[str, Product], forms: dict[str, EnrollmentForm]) -> Catalog:
    for product in products.values():
        if product.form not in forms:
            raise DomainError("unknown_form", {"product": product.code, "form": product.form,
                                               "file": product.source_file})
        _check_form_answers(product, forms[product.form])
    joined = {code: replace(product, enrollment_form=forms[product.form]) for code, product in products.items()}
    return Catalog(MappingProxyType(joined), MappingProxyType(forms))
