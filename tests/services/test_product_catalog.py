"""The county's product definitions are the ones its offices work with: a premium the county changes
and a product it adds reach a township by package and take effect there, and a product the county
does not have is not offered below it. A set the program cannot read is not used: the last readable
one stays, and the import report says why. The county's own folder is a database setting, checked
whole before anything of it is published."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from fpdesk.core import products as product_files
from fpdesk.core.catalog import catalog_with, load_catalog
from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import make_number
from fpdesk.core.paths import forms_dir
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.enrollment.preview import preview_enrollment
from fpdesk.services.enrollment.product_catalog import (
    CatalogSource,
    catalog_problem,
    catalog_source,
    forms_folder,
    office_catalog,
    office_product,
    set_forms_folder,
)
from fpdesk.services.registry import households as hh
from fpdesk.services.reports.target_progress import progress
from fpdesk.services.rosters.export import export_roster
from fpdesk.services.sync.importer import import_package
from fpdesk.services.workspace import add_division
from fpdesk.storage.schema import Setting
from tests.services.sync_helpers import dump

PRODUCT = "fp_family_accident_100"
ADDED = "fp_family_accident_120"
DROPPED = "gx_xiaoxinbao_a"  # a shipped product this county does not offer
FORM = {"health_declaration": "是", "beneficiary_type": "法定"}
SPRING = dt.date(2026, 3, 1)
VILLAGE = "350421200201"


def county_forms(tmp_path: Path, *, premium_fen: int = 12000, format_version: int | None = None,
                 name: str = "county-forms") -> Path:
    """The shipped forms with the accident product's premium changed, one product added, one dropped."""
    folder = tmp_path / name
    shutil.copytree(forms_dir(), folder)
    (folder / "products" / f"{DROPPED}.yaml").unlink()
    path = folder / "products" / f"{PRODUCT}.yaml"
    text = path.read_text(encoding="utf-8").replace("premium_fen: 10000", f"premium_fen: {premium_fen}", 1)
    assert f"premium_fen: {premium_fen}" in text
    path.write_text(text, encoding="utf-8")
    added = text.replace(f"code: {PRODUCT}", f"code: {ADDED}", 1)
    (folder / "products" / f"{ADDED}.yaml").write_text(added, encoding="utf-8")
    if format_version is not None:  # every product file in a newer program's format
        for product_file in (folder / "products").glob("*.yaml"):
            content = product_file.read_text(encoding="utf-8")
            product_file.write_text(content.replace("format_version: 1", f"format_version: {format_version}", 1),
                                    encoding="utf-8")
    return folder


def family(ws, head: str, seq: int):
    draft = HouseholdDraft(division_code=VILLAGE, address="罗翠村3组17号",
                           categories=frozenset({HouseholdCategory("other_fp")}))
    head_number = make_number("350421", dt.date(1980, 1, 1) + dt.timedelta(days=seq), 11 + 2 * seq)
    return hh.register_household(ws, draft, [PersonDraft(head, head_number, Relation.HEAD)], today=SPRING).primary_id


def test_a_premium_the_county_changes_is_the_one_its_township_charges(offices, tmp_path):
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    shipped = load_catalog()
    assert office_product(township, PRODUCT).premium_fen == shipped.products[PRODUCT].premium_fen == 10000
    # pairing brought the county's definitions already: the same as shipped, so far
    assert catalog_source(township) == CatalogSource("received", len(shipped.products))
    assert catalog_source(county).kind == "folder" and forms_folder(county) == forms_dir()

    folder = set_forms_folder(county, county_forms(tmp_path))
    assert office_product(county, PRODUCT).premium_fen == 12000 and forms_folder(county) == folder
    report = offices.send(county, township)
    assert report.rejected == 0 and not [n for n in report.notes if "产品定义" in n]

    catalog = office_catalog(township)
    assert catalog.products[PRODUCT].premium_fen == 12000
    assert ADDED in catalog.products and DROPPED not in catalog.products  # exactly the county's products
    assert set(catalog.products) == set(office_catalog(county).products)
    assert catalog.products[PRODUCT].enrollment_form is catalog.forms[catalog.products[PRODUCT].form]
    assert catalog_source(township) == CatalogSource("received", len(shipped.products))
    with pytest.raises(DomainError) as refused:
        office_product(township, DROPPED)
    assert refused.value.code == "unknown_product"

    add_division(township, code=VILLAGE, name="罗翠村", code_year=2024)
    result = enroll(township, product=PRODUCT, year=2026, household_id=family(township, "林国华", 7), on=SPRING,
                    today=SPRING, consent_by="林国华", form_values=FORM)
    assert result.premium_fen == 12000
    added = enroll(township, product=ADDED, year=2026, household_id=family(township, "陈秀英", 8), on=SPRING,
                   today=SPRING, consent_by="陈秀英", form_values=FORM)
    assert added.premium_fen == 12000


def test_an_unreadable_set_leaves_the_last_readable_one_in_use_and_the_import_says_why(
        offices, tmp_path, monkeypatch):
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    set_forms_folder(county, county_forms(tmp_path))
    offices.send(county, township)
    assert office_product(township, PRODUCT).premium_fen == 12000

    # the county moves to a newer program whose file format this township's program cannot read
    newer = county_forms(tmp_path, premium_fen=13000, format_version=2, name="newer-forms")
    with monkeypatch.context() as patch:
        patch.setattr(product_files, "FORMAT_VERSION", 2)
        set_forms_folder(county, newer)
        path = offices.export(county, township)
    before = dump(township)
    report = import_package(township, path, dry_run=True)
    assert dump(township) == before  # the dry run says it too, and changes nothing
    report = import_package(township, path)
    [note] = [n for n in report.notes if "产品定义" in n]
    assert "仍按原有定义办理" in note and "县级下发/products/" in note and "format_version" in note
    assert catalog_problem(township).code == "product_definition_invalid"
    assert office_product(township, PRODUCT).premium_fen == 12000  # the last set that read, not shipped
    assert ADDED in office_catalog(township).products
    source = catalog_source(township)
    assert (source.kind, source.problem.code) == ("previous", "product_definition_invalid")
    assert catalog_problem(county) is None


def test_the_county_folder_is_checked_whole_before_it_is_used_or_published(offices, tmp_path):
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    broken = county_forms(tmp_path)
    path = broken / "products" / f"{PRODUCT}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("premium_fen: 12000", "premium_fen: lots", 1),
                    encoding="utf-8")
    with pytest.raises(DomainError) as refused:
        set_forms_folder(county, broken)
    assert refused.value.code == "product_definition_invalid" and forms_folder(county) == forms_dir()
    with pytest.raises(DomainError) as refused:
        set_forms_folder(county, tmp_path / "nowhere")
    assert refused.value.code == "forms_folder_missing"
    with pytest.raises(DomainError) as refused:
        set_forms_folder(township, county_forms(tmp_path, name="township-forms"))
    assert refused.value.code == "forms_folder_county_only"

    good = set_forms_folder(county, county_forms(tmp_path, name="good-forms"))
    shutil.rmtree(good)  # the folder went away (a USB stick, a tidied desktop)
    before = dump(county)
    with pytest.raises(DomainError) as refused:
        offices.export(county, township)
    assert refused.value.code == "forms_folder_missing" and str(good) in refused.value.message_zh
    assert dump(county) == before  # nothing published, nothing exported
    set_forms_folder(county, None)  # back to the program's own
    assert office_product(county, PRODUCT).premium_fen == 10000
    offices.send(county, township)

    # a folder without a product that has enrollments withdraws it: no new enrollments, while the
    # enrollments it has keep its definition, before publishing and after it
    add_division(county, code=VILLAGE, name="罗翠村", code_year=2024)
    enroll(county, product=PRODUCT, year=2026, household_id=family(county, "林国华", 7), on=SPRING, today=SPRING,
           consent_by="林国华", form_values=FORM)
    without = county_forms(tmp_path, name="without-forms")
    (without / "products" / f"{PRODUCT}.yaml").unlink()
    set_forms_folder(county, without)
    newcomer = family(county, "陈秀英", 8)
    for _published in (False, True):
        kept = office_product(county, PRODUCT)
        assert kept.withdrawn and kept.premium_fen == 10000 and not office_product(county, ADDED).withdrawn
        with pytest.raises(DomainError) as refused:
            enroll(county, product=PRODUCT, year=2026, household_id=newcomer, on=SPRING, today=SPRING,
                   consent_by="陈秀英", form_values=FORM)
        assert refused.value.code == "product_withdrawn"
        assert catalog_source(county).withdrawn == 1
        offices.send(county, township)
    with county.read() as session:
        assert [row[1] for row in session.get(Setting, "retired_definitions").value["definitions"]] == sorted([PRODUCT, DROPPED])
    assert PRODUCT not in office_catalog(township).products  # nothing enrolled there: simply withdrawn


def test_received_texts_replace_and_extend_a_catalog_and_are_checked_like_files(tmp_path):
    base = load_catalog()
    folder = county_forms(tmp_path)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (folder / "products").glob("fp_family_accident_1*.yaml")}
    joined = catalog_with(base, texts, {}, folder="县级下发")
    assert joined.products[PRODUCT].premium_fen == 12000 and base.products[PRODUCT].premium_fen == 10000
    assert set(joined.products) == set(base.products) | {ADDED}
    broken = {PRODUCT: texts[PRODUCT].replace("form: ", "form: no_such_", 1)}
    with pytest.raises(DomainError) as refused:
        catalog_with(base, broken, {}, folder="县级下发")
    assert refused.value.code == "unknown_form"
    with pytest.raises(DomainError) as refused:
        catalog_with(base, {"renamed": texts[PRODUCT]}, {}, folder="县级下发")
    assert refused.value.code == "product_definition_invalid"
    assert "县级下发/products/renamed.yaml" in refused.value.message_zh


def test_a_product_enrolled_below_keeps_its_definition_when_the_county_withdraws_it(offices, tmp_path, monkeypatch):
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    add_division(township, code=VILLAGE, name="罗翠村", code_year=2024)
    enroll(township, product=PRODUCT, year=2026, household_id=family(township, "林国华", 7), on=SPRING,
           today=SPRING, consent_by="林国华", form_values=FORM)  # not yet sent up: the county cannot know
    without = county_forms(tmp_path)
    (without / "products" / f"{PRODUCT}.yaml").unlink()
    set_forms_folder(county, without)
    report = offices.send(county, township)
    assert not [n for n in report.notes if "产品定义" in n]
    catalog = office_catalog(township)
    assert PRODUCT in catalog.products and catalog.products[PRODUCT].premium_fen == 10000  # its last definition
    assert catalog.products[PRODUCT].withdrawn and not catalog.products[ADDED].withdrawn
    assert ADDED in catalog.products and DROPPED not in catalog.products  # the rest as the county has it
    source = catalog_source(township)
    assert (source.kind, source.products, source.withdrawn) == ("received", len(catalog.products) - 1, 1)
    with pytest.raises(DomainError) as refused:  # kept for its enrollments, no longer offered
        enroll(township, product=PRODUCT, year=2026, household_id=family(township, "陈秀英", 8), on=SPRING,
               today=SPRING, consent_by="陈秀英", form_values=FORM)
    assert refused.value.code == "product_withdrawn" and "停办" in refused.value.message_zh
    preview = preview_enrollment(township, product=PRODUCT, year=2026, household_id=family(township, "王芳", 9),
                                 on=SPRING, today=SPRING)
    assert not preview.can_enroll and preview.household_reasons[0].code == "product_withdrawn"

    # a newer set this township cannot read leaves the kept product as it was (and the rest in use)
    newer = county_forms(tmp_path, premium_fen=13000, format_version=2, name="newer-forms")
    (newer / "products" / f"{PRODUCT}.yaml").unlink()
    with monkeypatch.context() as patch:
        patch.setattr(product_files, "FORMAT_VERSION", 2)
        set_forms_folder(county, newer)
        path = offices.export(county, township)
    import_package(township, path)
    assert catalog_problem(township).code == "product_definition_invalid"
    assert office_product(township, PRODUCT).withdrawn and office_product(township, ADDED).premium_fen == 12000


def test_enrollments_that_reach_an_office_after_their_product_was_withdrawn_find_its_definition(offices, tmp_path):
    """A village enrolled, the county withdrew the product, and the village's enrollments went up
    only afterwards: the township and the county had already dropped the product, and must find
    its last definition again for progress, rosters and the county's next export."""
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    add_division(county, code=VILLAGE, name="罗翠村", code_year=2024)
    offices.send(county, township)
    village = offices.pair(township, VILLAGE, "village", "罗翠村计生协")
    enroll(village, product=PRODUCT, year=2026, household_id=family(village, "林国华", 7), on=SPRING, today=SPRING,
           consent_by="林国华", form_values=FORM, pay_fen=10000)
    without = county_forms(tmp_path)
    (without / "products" / f"{PRODUCT}.yaml").unlink()
    set_forms_folder(county, without)
    offices.send(county, township)
    offices.send(township, village)
    assert PRODUCT not in office_catalog(township).products  # nothing enrolled there yet
    assert office_product(village, PRODUCT).withdrawn

    assert offices.send(village, township).rejected == 0
    assert offices.send(township, county).rejected == 0
    for office in (township, county):
        kept = office_product(office, PRODUCT)
        assert kept.withdrawn and kept.premium_fen == 10000
        report = progress(office, year=2026, product=PRODUCT, as_of=SPRING)
        assert report.total.enrolled.total == 1
        assert export_roster(office, year=2026, audience="insurer", product=PRODUCT, out=tmp_path / "insurer.xlsx",
                             today=SPRING).rows == 1
    offices.send(county, township)  # the county exports again: its folder lacking the product stops nothing


def test_the_county_keeps_working_with_what_it_published_when_its_folder_goes(offices, tmp_path):
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    folder = set_forms_folder(county, county_forms(tmp_path))
    offices.send(county, township)
    shutil.rmtree(folder)
    assert office_product(county, PRODUCT).premium_fen == 12000  # the published set, as its offices have it
    source = catalog_source(county)
    assert (source.kind, source.problem.code) == ("previous", "forms_folder_missing")
    assert set(office_catalog(county).products) == set(office_catalog(township).products)


def test_a_folder_is_refused_without_both_subfolders_or_any_product_and_the_program_s_own_is_kept_as_such(
        offices, tmp_path):
    county = offices.county()
    flat = tmp_path / "flat"  # forms beside the products, not in enrollment/: publishing would withdraw them
    shutil.copytree(forms_dir() / "products", flat / "products")
    for form_file in (forms_dir() / "enrollment").glob("*.yaml"):
        shutil.copy(form_file, flat)
    empty = tmp_path / "empty"
    (empty / "products").mkdir(parents=True)
    (empty / "enrollment").mkdir()
    for refused_folder in (flat, empty):
        with pytest.raises(DomainError) as refused:
            set_forms_folder(county, refused_folder)
        assert refused.value.code == "forms_folder_missing"
    assert set_forms_folder(county, forms_dir()) == forms_dir()  # stored as "the program's own", not a path
    with county.read() as session:
        assert session.get(Setting, "forms_folder").value == {"folder": None}


def test_past_records_of_a_withdrawn_product_are_history_with_or_without_an_enrollment_window(offices, tmp_path):
    """Withdrawing stops new business, not the copying of old rosters: a record of an earlier season
    (for a product enrolled all year round, an earlier calendar year) is still recorded."""
    county = offices.county()
    offered = county_forms(tmp_path)
    added = offered / "products" / f"{ADDED}.yaml"  # the added product is enrolled all year round
    text = re.sub(r"\nenrollment_window:\n(  .*\n)+", "\nenrollment_window: null\n", added.read_text(encoding="utf-8"))
    added.write_text(text.replace("  - enrollment_window.opens\n  - enrollment_window.warn_days_before_deadline\n",
                                  ""), encoding="utf-8")
    set_forms_folder(county, offered)
    assert office_product(county, ADDED).enrollment_window is None
    add_division(county, code=VILLAGE, name="罗翠村", code_year=2024)
    last_spring = dt.date(2025, 3, 1)
    for code, seq in ((PRODUCT, 7), (ADDED, 8)):  # enrolled before the withdrawal: the definitions are kept
        enroll(county, product=code, year=2025, household_id=family(county, "林国华", seq), on=last_spring,
               today=last_spring, consent_by="林国华", form_values=FORM)
    without = county_forms(tmp_path, name="without-forms")
    for code in (PRODUCT, ADDED):
        (without / "products" / f"{code}.yaml").unlink()
    set_forms_folder(county, without)
    assert office_product(county, PRODUCT).withdrawn and office_product(county, ADDED).withdrawn

    for code, seq, on in ((PRODUCT, 9, last_spring), (ADDED, 10, dt.date(2025, 6, 1))):
        recorded = enroll(county, product=code, year=2025, household_id=family(county, "陈秀英", seq), on=on,
                          today=SPRING, consent_by="陈秀英", form_values=FORM)
        assert recorded.enrollment_id is not None and recorded.policy_year == 2025
        with pytest.raises(DomainError) as refused:  # this year's entry is new business
            enroll(county, product=code, year=2026, household_id=family(county, "王芳", seq + 10), on=SPRING,
                   today=SPRING, consent_by="王芳", form_values=FORM)
        assert refused.value.code == "product_withdrawn"
