"""The county's product definitions are the ones its offices work with: a premium the county changes
and a product it adds reach a township by package and take effect there (enrollment, printing, the
roster template); a set the program cannot read is not used, and the import report says so."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import make_number
from fpdesk.core.paths import FORMS_DIR_VARIABLE, forms_dir
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.products import catalog_with, load_catalog
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services import households as hh
from fpdesk.services.enrollment import enroll
from fpdesk.services.product_catalog import (
    CatalogSource,
    catalog_problem,
    catalog_source,
    office_catalog,
    office_product,
)
from fpdesk.services.sync import reference
from fpdesk.services.sync.importer import import_package
from fpdesk.services.workspace import add_division
from tests.services.sync_helpers import Offices

PRODUCT = "fp_family_accident_100"
FORM = {"health_declaration": "是", "beneficiary_type": "法定"}
SPRING = dt.date(2026, 3, 1)
VILLAGE = "350421200201"


@pytest.fixture
def offices(tmp_path):
    made = Offices(tmp_path)
    yield made
    made.close()


def county_forms(tmp_path: Path, *, premium_fen: int = 12000, format_version: int | None = None) -> Path:
    """The shipped forms with the accident product's premium changed and one product added."""
    folder = tmp_path / "county-forms"
    shutil.copytree(forms_dir(), folder)
    path = folder / "products" / f"{PRODUCT}.yaml"
    text = path.read_text(encoding="utf-8").replace("premium_fen: 10000", f"premium_fen: {premium_fen}", 1)
    assert f"premium_fen: {premium_fen}" in text
    if format_version is not None:
        text = text.replace("format_version: 1", f"format_version: {format_version}", 1)
    path.write_text(text, encoding="utf-8")
    added = path.read_text(encoding="utf-8").replace(f"code: {PRODUCT}", "code: fp_family_accident_120", 1)
    (folder / "products" / "fp_family_accident_120.yaml").write_text(added, encoding="utf-8")
    return folder


def family(ws, head: str, seq: int):
    draft = HouseholdDraft(division_code=VILLAGE, address="罗翠村3组17号",
                           categories=frozenset({HouseholdCategory("other_fp")}))
    head_number = make_number("350421", dt.date(1980, 1, 1) + dt.timedelta(days=seq), 11 + 2 * seq)
    return hh.register_household(ws, draft, [PersonDraft(head, head_number, Relation.HEAD)], today=SPRING).primary_id


def send_down(offices: Offices, county, township, folder: Path, monkeypatch):
    """The county works from ``folder`` (FPDESK_FORMS_DIR) and sends its township a package."""
    with monkeypatch.context() as patch:
        patch.setenv(FORMS_DIR_VARIABLE, str(folder))
        assert office_product(county, PRODUCT).premium_fen != 10000  # the county's own catalog is the folder's
        path = offices.export(county, township)
    return import_package(township, path)


def test_a_premium_the_county_changes_is_the_one_its_township_charges(offices, tmp_path, monkeypatch):
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    shipped = load_catalog()
    assert office_product(township, PRODUCT).premium_fen == shipped.products[PRODUCT].premium_fen == 10000
    # pairing brought the county's definitions already: the same as shipped, so far
    assert catalog_source(township) == CatalogSource("received", len(shipped.products))
    assert catalog_source(county).kind == "folder"

    report = send_down(offices, county, township, county_forms(tmp_path), monkeypatch)
    assert report.rejected == 0 and not [n for n in report.notes if "产品定义" in n]

    catalog = office_catalog(township)
    assert catalog.products[PRODUCT].premium_fen == 12000
    assert "fp_family_accident_120" in catalog.products  # a product the county added
    assert set(shipped.products) < set(catalog.products)  # shipped products the county did not change stay
    assert catalog.products[PRODUCT].enrollment_form is catalog.forms[catalog.products[PRODUCT].form]
    assert reference.received_definitions(township) == reference.received_definitions(county)
    assert catalog_source(township) == CatalogSource("received", len(shipped.products) + 1)

    add_division(township, code=VILLAGE, name="罗翠村", code_year=2024)
    household = family(township, "林国华", 7)
    result = enroll(township, product=PRODUCT, year=2026, household_id=household, on=SPRING, today=SPRING,
                    consent_by="林国华", form_values=FORM)
    assert result.premium_fen == 12000
    added = enroll(township, product="fp_family_accident_120", year=2026,
                   household_id=family(township, "陈秀英", 8), on=SPRING,
                   today=SPRING, consent_by="陈秀英", form_values=FORM)
    assert added.premium_fen == 12000


def test_a_set_the_program_cannot_read_is_not_used_and_the_import_says_why(offices, tmp_path, monkeypatch):
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    folder = county_forms(tmp_path, format_version=2)  # a newer county program's file format
    with monkeypatch.context() as patch:
        patch.setenv(FORMS_DIR_VARIABLE, str(folder))
        path = offices.export(county, township)  # (this program's county could not read it either)
    report = import_package(township, path)
    [note] = [n for n in report.notes if "产品定义" in n]
    assert "仍按本程序自带的定义办理" in note and f"{PRODUCT}.yaml" in note
    problem = catalog_problem(township)
    assert problem is not None and problem.code == "product_definition_invalid"
    catalog = office_catalog(township)
    assert catalog.products[PRODUCT].premium_fen == 10000  # all shipped: none of the set is half-used
    assert "fp_family_accident_120" not in catalog.products
    assert catalog_problem(county) is None
    source = catalog_source(township)
    assert (source.kind, source.problem.code) == ("shipped", "product_definition_invalid")


def test_received_texts_replace_and_extend_a_catalog_and_are_checked_like_files(tmp_path):
    base = load_catalog()
    folder = county_forms(tmp_path)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (folder / "products").glob("fp_family_accident_1*.yaml")}
    joined = catalog_with(base, texts, {}, folder="县级下发")
    assert joined.products[PRODUCT].premium_fen == 12000 and base.products[PRODUCT].premium_fen == 10000
    assert set(joined.products) == set(base.products) | {"fp_family_accident_120"}
    broken = {PRODUCT: texts[PRODUCT].replace("form: ", "form: no_such_", 1)}
    with pytest.raises(DomainError) as refused:
        catalog_with(base, broken, {}, folder="县级下发")
    assert refused.value.code == "unknown_form"
    with pytest.raises(DomainError) as refused:
        catalog_with(base, {"renamed": texts[PRODUCT]}, {}, folder="县级下发")
    assert refused.value.code == "product_definition_invalid"
    assert "县级下发/products/renamed.yaml" in refused.value.message_zh
