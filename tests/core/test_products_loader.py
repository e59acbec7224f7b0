"""The product and enrollment-form loader: every shipped definition loads; bad ones are refused by file and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from fpdesk.core.catalog import load_catalog
from fpdesk.core.enrollment_forms import check_value, load_form_file, load_forms
from fpdesk.core.errors import DomainError
from fpdesk.core.paths import forms_dir
from fpdesk.core.products import load_product_file, load_products
from fpdesk.core.vocabulary import HouseholdCategory, PayerType

PRODUCT_FILES = sorted((forms_dir() / "products").glob("*.yaml"))
FORM_FILES = sorted((forms_dir() / "enrollment").glob("*.yaml"))
EXPECTED_PRODUCTS = {
    "fp_family_accident_100", "only_child_safety", "only_child_parents_ankang", "special_family_hospital_care",
    "gx_care_quanjiafu", "gx_xiaoxinbao_a", "gx_rural_micro_term_life", "beihai_aixin", "beihai_comprehensive",
}


def test_every_definition_in_forms_loads_and_names_an_existing_form():
    catalog = load_catalog(forms_dir())
    assert set(catalog.products) == EXPECTED_PRODUCTS
    assert {p.stem for p in PRODUCT_FILES} == EXPECTED_PRODUCTS
    assert set(catalog.forms) == {p.stem for p in FORM_FILES}
    for product in catalog.products.values():
        assert catalog.form_of(product).code == product.form


@pytest.mark.parametrize("path", PRODUCT_FILES, ids=lambda p: p.stem)
def test_each_product_file_loads(path):
    product = load_product_file(path)
    assert product.code == path.stem
    assert product.premium_fen > 0 and product.liabilities
    assert product.source_file == f"forms/products/{path.name}"


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda p: p.stem)
def test_each_form_file_loads(path):
    form = load_form_file(path)
    assert form.fields and all(f.roster_columns for f in form.fields)


def test_seed_values_are_read_as_stated():
    products = load_products()
    s1 = products["fp_family_accident_100"]
    assert (s1.unit, s1.premium_fen, s1.period.rule) == ("family", 10000, "day_after_payment")
    assert [(li.kind, li.amount_fen, li.split) for li in s1.liabilities] == [
        ("accident_death_disability", 20000000, "equal_among_insured"),
        ("accident_medical", 1400000, "shared_pool"),
    ]
    assert (s1.eligibility.min_age_days, s1.eligibility.max_age_new, s1.eligibility.max_age_renewal) == (28, 65, 70)
    assert s1.payer_by_category[PayerType.GOVERNMENT] == {
        HouseholdCategory.TWO_DAUGHTERS_STERILIZED, HouseholdCategory.ONLY_DAUGHTER_CERTIFIED,
        HouseholdCategory.HARDSHIP, HouseholdCategory.SPECIAL_FAMILY, HouseholdCategory.POVERTY_TARGETED}
    assert str(s1.enrollment_window.deadline) == "04-30"
    s3 = products["special_family_hospital_care"]
    care = s3.liability("hospital_care_allowance")
    assert (care.amount_per_day_fen, care.max_days_per_year, care.max_total_fen) == (30000, 90, 2700000)
    assert (s3.premium_max_fen, s3.max_shares_per_person) == (30000, 1)
    assert products["gx_care_quanjiafu"].statistical_year_start_month == 9
    assert str(products["only_child_safety"].enrollment_window.deadline) == "12-31"
    assert products["only_child_safety"].enrollment_window.covers == "next_year"


def test_assumed_values_are_marked():
    products = load_products()
    assert products["fp_family_accident_100"].is_assumed("rounding")
    assert not products["fp_family_accident_100"].is_assumed("premium_fen")
    assert products["gx_care_quanjiafu"].is_assumed("liabilities[0].amount_fen")  # parent "liabilities" marked
    assert products["special_family_hospital_care"].is_assumed("premium_fen")


# -- bad product files ---------------------------------------------------------------------------------


def _valid_s1() -> dict:
    return yaml.safe_load((forms_dir() / "products" / "fp_family_accident_100.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict, code: str = "fp_family_accident_100") -> Path:
    path = tmp_path / f"{code}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _refusal(path: Path) -> DomainError:
    with pytest.raises(DomainError) as caught:
        load_product_file(path)
    assert caught.value.code == "product_definition_invalid"
    return caught.value


def _set(data: dict, dotted: str, value) -> None:
    *parents, last = dotted.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is _DELETE:
        del node[last]
    else:
        node[last] = value


_DELETE = object()


@pytest.mark.parametrize(("field", "value", "path", "detail"), [
    ("premium_fen", -100, "premium_fen", "at least 0"),
    ("premium_fen", 99.5, "premium_fen", "must be an integer"),
    ("unit", "household", "unit", "unknown value 'household'"),
    ("premium_fen", _DELETE, "premium_fen", "missing required field"),
    ("name_zh", _DELETE, "name_zh", "missing required field"),
    ("eligibility.max_age_new", _DELETE, "eligibility.max_age_new", "missing required field"),
    ("liabilities.0.split", "foo", "liabilities[0].split", "unknown value 'foo'"),
    ("liabilities.1.amount_fen", -1, "liabilities[1].amount_fen", "at least 1"),
    ("eligibility.categories", ["other_fp", "rich_family"], "eligibility.categories[1]", "'rich_family'"),
    ("payer_by_category.self", ["only_chld"], "payer_by_category.self[0]", "'only_chld'"),
    ("eligibility.max_age_renewal", 60, "eligibility.max_age_renewal", "max_age_new"),
    ("enrollment_window.deadline", "02-29", "enrollment_window.deadline", "month-day"),
    ("enrollment_window.deadline", "4/30", "enrollment_window.deadline", "month-day"),
    ("rounding", "bankers", "rounding", "unknown value 'bankers'"),
    ("period.rule", "fixed_cycle", "period.cycle_start", "missing required field"),
    ("code", "other_code", "code", "must equal the file name"),
    ("assumed", ["eligibility.min_age_dayz"], "assumed[0]", "not in this file"),
    ("format_version", 2, "format_version", "at most 1"),
    ("eligibility.requires_rural", "yes", "eligibility.requires_rural", "true or false"),
])
def test_a_bad_product_file_is_refused_naming_file_and_field(tmp_path, field, value, path, detail):
    data = _valid_s1()
    _set(data, field, value)
    error = _refusal(_write(tmp_path, data))
    assert error.params["path"] == path
    assert detail in error.message_en
    assert error.message_en.startswith(f"{tmp_path / 'fp_family_accident_100.yaml'}: {path}: ")
    assert "fp_family_accident_100.yaml" in error.message_zh and path in error.message_zh


@pytest.mark.parametrize(("where", "typo"), [("", "premium_fne"), ("eligibility", "max_age_nwe")])
def test_an_unknown_key_is_a_typo_not_a_default(tmp_path, where, typo):
    data = _valid_s1()
    (data[where] if where else data)[typo] = 1
    error = _refusal(_write(tmp_path, data))
    expected_path = f"{where}.{typo}" if where else typo
    assert error.params["path"] == expected_path
    assert "unknown field" in error.message_en and "did you mean" in error.message_en


def test_a_category_paid_by_the_government_must_be_eligible(tmp_path):
    data = _valid_s1()
    data["eligibility"]["categories"].remove("hardship")
    error = _refusal(_write(tmp_path, data))
    assert error.params["path"].startswith("payer_by_category.government[")
    assert "hardship" in error.message_en


def test_the_s3_premium_cap_is_enforced(tmp_path):
    data = yaml.safe_load((forms_dir() / "products" / "special_family_hospital_care.yaml").read_text("utf-8"))
    data["premium_fen"] = 30001  # ¥300.01 > ¥300 (docs/rules.md#premium-cap)
    error = _refusal(_write(tmp_path, data, "special_family_hospital_care"))
    assert error.params["path"] == "premium_fen" and "premium_max_fen" in error.message_en
    data["premium_fen"] = 28800  # a cheaper winning bid is fine
    assert load_product_file(_write(tmp_path, data, "special_family_hospital_care")).premium_fen == 28800


def test_per_day_liabilities_need_day_rate_and_cap(tmp_path):
    data = yaml.safe_load((forms_dir() / "products" / "special_family_hospital_care.yaml").read_text("utf-8"))
    del data["liabilities"][0]["max_days_per_year"]
    assert _refusal(_write(tmp_path, data, "special_family_hospital_care")).params["path"] == \
        "liabilities[0].max_days_per_year"


def test_yaml_syntax_error_and_non_mapping_are_refused(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("code: [unclosed\n", encoding="utf-8")
    assert "YAML" in _refusal(broken).message_en
    listing = tmp_path / "listing.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    assert "mapping" in _refusal(listing).message_en


def test_load_products_accepts_forms_root_or_products_folder(tmp_path):
    (tmp_path / "products").mkdir()
    _write(tmp_path / "products", _valid_s1())
    assert list(load_products(tmp_path)) == ["fp_family_accident_100"]
    assert list(load_products(tmp_path / "products")) == ["fp_family_accident_100"]


def test_a_product_naming_a_missing_form_is_refused(tmp_path):
    (tmp_path / "products").mkdir()
    (tmp_path / "enrollment").mkdir()
    _write(tmp_path / "products", _valid_s1())
    with pytest.raises(DomainError) as caught:
        load_catalog(tmp_path)
    assert caught.value.code == "unknown_form" and "family_accident" in caught.value.message_en


# -- enrollment forms ----------------------------------------------------------------------------------


def _valid_form() -> dict:
    return yaml.safe_load((forms_dir() / "enrollment" / "family_accident.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("field", "value", "path"), [
    ("type", "money", "fields[0].type"),
    ("validation", {"choices": []}, "fields[0].validation.choices"),
    ("validation", {"regex": "(unclosed"}, "fields[0].validation.regex"),
    ("label_zh", None, "fields[0].label_zh"),
    ("roster_columns", [], "fields[0].roster_columns"),
    ("key", "Bad Key", "fields[0].key"),
    ("requierd", True, "fields[0].requierd"),
])
def test_a_bad_form_field_is_refused(tmp_path, field, value, path):
    data = _valid_form()
    data["fields"][0][field] = value
    target = tmp_path / "family_accident.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        load_form_file(target)
    assert caught.value.code == "form_definition_invalid"
    assert caught.value.params["path"] == path
    assert "family_accident.yaml" in caught.value.message_en


def test_form_values_are_checked_by_type():
    forms = load_forms()
    accident = forms["family_accident"]
    assert check_value(accident.field("beneficiary_type"), "法定") == "statutory"
    assert check_value(accident.field("health_declaration"), "是") is True
    assert check_value(accident.field("beneficiary_name"), "") is None  # optional
    with pytest.raises(DomainError) as missing:
        check_value(accident.field("health_declaration"), " ")
    assert missing.value.code == "missing_field"
    with pytest.raises(DomainError) as bad_choice:
        check_value(accident.field("beneficiary_type"), "邻居")
    assert bad_choice.value.code == "form_value_invalid"
    assert check_value(accident.field("beneficiary_id_number"), "350421198001010017") == "350421198001010017"
    with pytest.raises(DomainError):
        check_value(accident.field("beneficiary_id_number"), "350421198001010018")
    listing = forms["special_family_assistance_list"]
    assert check_value(listing.field("list_year"), "2022") == 2022
    with pytest.raises(DomainError):
        check_value(listing.field("list_year"), "1999")
    assert check_value(listing.field("contact_phone"), "+86 138 0013 8000") == "13800138000"
    reward = forms["only_child_reward_conversion"]
    assert check_value(reward.field("certificate_issue_date"), "1990年5月1日") == dt.date(1990, 5, 1)
    with pytest.raises(DomainError):
        check_value(reward.field("certificate_issue_date"), "1970-01-01")
    assert reward.column_map()["独生子女证号"] == "certificate_no"
    assert reward.field("certificate_no").maps_to == "household.certificate_no"


def test_employer_unit_is_asked_only_in_the_unit_channel():
    accident = load_forms()["family_accident"]
    assert "employer_unit" in {f.key for f in accident.fields_for("unit")}
    assert "employer_unit" not in {f.key for f in accident.fields_for("village")}
