"""``fpdesk products``: list, show, check, eligibility — JSON shapes and exit codes are a contract."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from fpdesk.core.paths import forms_dir


def fpdesk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fpdesk", *args], capture_output=True, text=True, timeout=120)


def eligibility(*args: str) -> dict:
    result = fpdesk("products", "eligibility", *args, "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def test_list_names_every_product():
    result = fpdesk("products", "list", "--json")
    assert result.returncode == 0, result.stderr
    codes = {p["code"]: p for p in json.loads(result.stdout)["products"]}
    assert "fp_family_accident_100" in codes and "special_family_hospital_care" in codes
    assert codes["fp_family_accident_100"]["premium_fen"] == 10000
    text = fpdesk("products", "list")
    assert text.returncode == 0 and "独生子女平安保险" in text.stdout


def test_json_before_the_action_is_honoured():
    result = fpdesk("products", "--json", "show", "special_family_hospital_care")
    assert result.returncode == 0, result.stderr
    product = json.loads(result.stdout)["product"]
    assert product["premium_max_fen"] == 30000 and product["max_shares_per_person"] == 1
    assert product["liabilities"][0]["amount_per_day_fen"] == 30000


def test_show_text_marks_assumed_values_and_unknown_code_is_refused():
    shown = fpdesk("products", "show", "fp_family_accident_100")
    assert shown.returncode == 0 and "¥200,000.00" in shown.stdout and "暂定值" in shown.stdout
    missing = fpdesk("products", "show", "no_such_product", "--json")
    assert missing.returncode == 1
    assert json.loads(missing.stdout)["error"]["code"] == "unknown_product"
    assert "Traceback" not in missing.stderr


@pytest.mark.parametrize(("birth", "on", "extra", "eligible", "reasons", "period"), [
    ("2020-03-19", "2020-04-15", [], True, [], ["2020-04-16", "2021-04-15"]),          # 28 days on the start
    ("2020-03-20", "2020-04-15", [], False, ["age_below_min"], ["2020-04-16", "2021-04-15"]),
    ("1955-04-16", "2020-04-15", [], True, [], ["2020-04-16", "2021-04-15"]),          # 65th birthday
    ("1954-04-16", "2020-04-15", [], False, ["age_above_max"], ["2020-04-16", "2021-04-15"]),
    ("1950-04-16", "2020-04-15", ["--renewal"], True, [], ["2020-04-16", "2021-04-15"]),
    ("1949-04-16", "2020-04-15", ["--renewal"], False, ["age_above_renewal_max"], ["2020-04-16", "2021-04-15"]),
    # after "每年 4月30日前完成": a late entry, accepted (with a warning; see below)
    ("1980-01-01", "2020-05-01", [], True, [], ["2020-05-02", "2021-05-01"]),
])
def test_eligibility_contract(birth, on, extra, eligible, reasons, period):
    payload = eligibility("--product", "fp_family_accident_100", "--birth-date", birth, "--on", on,
                          "--category", "other_fp", *extra)
    assert {"eligible", "reasons", "premium_fen", "period"} <= set(payload)
    assert payload["eligible"] is eligible
    assert payload["reasons"] == reasons
    assert payload["premium_fen"] == (10000 if eligible else 0)
    assert payload["period"] == period


def test_eligibility_says_a_late_entry_and_when_sign_up_opens_next():
    late = eligibility("--product", "fp_family_accident_100", "--birth-date", "1980-01-01", "--on", "2020-07-15",
                       "--category", "other_fp")
    assert late["eligible"] and "enrollment_late" in late["warnings"]
    assert late["window"]["state"] == "closed" and late["window"]["next_opens"] == "2021-01-01"
    assert late["window"]["late"] == "warn"
    text = fpdesk("products", "eligibility", "--product", "only_child_safety", "--birth-date", "2010-01-01",
                  "--on", "2012-11-20", "--year", "2013", "--category", "独生子女户", "--rural", "--certificate",
                  "0012345", "--reward-recipient", "--role", "only_child")
    assert text.returncode == 0 and "不能参保" in text.stdout and "下次登记期：2012-12-01 起" in text.stdout


def test_eligibility_refuses_a_no_to_the_health_question():
    """S1 insures "身体健康者": the form's health answer 否 refuses the person."""
    payload = eligibility("--product", "fp_family_accident_100", "--birth-date", "1980-01-01", "--on", "2020-04-15",
                          "--category", "other_fp", "--answer", "health_declaration=否")
    assert not payload["eligible"] and payload["reasons"] == ["declaration_not_met"]
    assert "本产品只保身体健康者" in payload["messages"][0]["message"]


def test_eligibility_for_the_haimen_child_at_14_and_15():
    common = ["--product", "only_child_safety", "--on", "2012-12-28", "--category", "独生子女户", "--rural",
              "--certificate", "0012345", "--reward-recipient", "--role", "only_child"]
    fourteen = eligibility(*common, "--birth-date", "1998-01-02")
    assert fourteen["eligible"] and fourteen["period"] == ["2013-01-01", "2013-12-31"]
    assert fourteen["age"]["completed_years"] == 14 and fourteen["payer"] == "government"
    fifteen = eligibility(*common, "--birth-date", "1998-01-01")
    assert not fifteen["eligible"] and fifteen["reasons"] == ["age_above_max"]


def test_eligibility_s3_second_share_and_split_sums():
    common = ["--product", "special_family_hospital_care", "--birth-date", "1958-07-01", "--on", "2021-12-20",
              "--year", "2022", "--category", "special_bereaved", "--on-eligible-list"]
    first = eligibility(*common)
    assert first["eligible"] and first["premium_fen"] == 30000 and first["period"] == ["2022-01-01", "2022-12-31"]
    assert first["sums_insured"][0]["max_days_per_year"] == 90
    second = eligibility(*common, "--shares-held", "1")
    assert second["reasons"] == ["max_shares_exceeded"]
    family = eligibility("--product", "fp_family_accident_100", "--birth-date", "1980-01-01", "--on", "2020-04-15",
                         "--category", "hardship", "--insured-count", "3")
    assert family["payer"] == "government"
    assert family["sums_insured"][0]["amount_fen"] == 6666667
    medical = family["sums_insured"][1]
    assert (medical["split"], medical["amount_fen"], medical["shared_by"]) == ("shared_pool", 1400000, 3)


@pytest.mark.parametrize(("args", "code"), [
    (["--product", "fp_family_accident_100", "--birth-date", "1980-13-01", "--on", "2020-04-15"], 1),
    (["--product", "fp_family_accident_100", "--birth-date", "1980-01-01", "--on", "2020-04-15",
      "--category", "rich"], 1),
    (["--product", "nope", "--birth-date", "1980-01-01", "--on", "2020-04-15"], 1),
    (["--product", "fp_family_accident_100", "--birth-date", "1980-01-01"], 2),   # --on missing: usage
])
def test_eligibility_refusals_and_usage_errors(args, code):
    result = fpdesk("products", "eligibility", *args, "--json")
    assert result.returncode == code
    assert "Traceback" not in result.stderr


def test_check_all_shipped_definitions():
    result = fpdesk("products", "check", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["ok"] and payload["checked"] == len(list(forms_dir().glob("*/*.yaml")))


def test_check_one_bad_file_names_file_and_field(tmp_path: Path):
    data = yaml.safe_load((forms_dir() / "products" / "fp_family_accident_100.yaml").read_text(encoding="utf-8"))
    data["liabilities"][0]["split"] = "foo"
    bad = tmp_path / "fp_family_accident_100.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = fpdesk("products", "check", str(bad), "--json")
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert not payload["ok"]
    error = payload["files"][0]["error"]
    assert error["code"] == "product_definition_invalid"
    assert "liabilities[0].split: unknown value 'foo'" in error["message_en"]
    assert "fp_family_accident_100.yaml" in result.stderr and "Traceback" not in result.stderr
    good = fpdesk("products", "check", str(forms_dir() / "products" / "fp_family_accident_100.yaml"))
    assert good.returncode == 0 and "1 个正确" in good.stdout


def test_check_a_file_that_is_not_utf8_text_is_refused_by_name(tmp_path: Path):
    saved_by_excel = tmp_path / "产品.yaml"
    saved_by_excel.write_bytes("险种,保费\n意外险,100\n".encode("gbk"))
    result = fpdesk("products", "check", str(saved_by_excel), "--json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "UTF-8" in json.loads(result.stdout)["files"][0]["error"]["message"]


def test_check_a_folder_whose_product_names_a_missing_form(tmp_path: Path):
    (tmp_path / "products").mkdir()
    (tmp_path / "enrollment").mkdir()
    source = forms_dir() / "products" / "beihai_aixin.yaml"
    (tmp_path / "products" / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    result = fpdesk("products", "check", "--forms", str(tmp_path), "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["files"][-1]["error"]["code"] == "unknown_form"


def test_the_county_chooses_its_definitions_folder_and_a_bad_one_is_refused(tmp_path):
    db = str(tmp_path / "county.sqlite3")
    assert fpdesk("init", "--db", db, "--office-code", "350421", "--office-level", "county",
                  "--office-name", "明溪县计生协").returncode == 0
    shown = fpdesk("products", "folder", "--db", db, "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == {"ok": True, "folder": str(forms_dir()), "program_forms": True}

    own = tmp_path / "county-forms"
    shutil.copytree(forms_dir(), own)
    chosen = fpdesk("products", "folder", "--db", db, str(own), "--json")
    assert chosen.returncode == 0, chosen.stderr
    assert json.loads(chosen.stdout) == {"ok": True, "folder": str(own.resolve()), "program_forms": False}

    broken = own / "products" / "fp_family_accident_100.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("premium_fen: 10000", "premium_fen: -1", 1),
                      encoding="utf-8")
    refused = fpdesk("products", "folder", "--db", db, str(own))
    assert refused.returncode == 1 and "fp_family_accident_100.yaml" in refused.stderr
    assert "Traceback" not in refused.stderr
    back = fpdesk("products", "folder", "--db", db, "--program", "--json")
    assert back.returncode == 0 and json.loads(back.stdout)["program_forms"] is True
    text = fpdesk("products", "folder", "--db", db)
    assert text.returncode == 0 and "本程序自带" in text.stdout


def test_with_a_database_list_and_show_read_what_the_county_published(tmp_path):
    from fpdesk.services.enrollment.product_catalog import set_forms_folder
    from tests.services.sync_helpers import Offices

    offices = Offices(tmp_path)
    try:
        county = offices.county()
        township = offices.pair(county, "350421200", "township", "城关乡计生协")
        own = tmp_path / "county-forms"
        shutil.copytree(forms_dir(), own)
        path = own / "products" / "fp_family_accident_100.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("premium_fen: 10000", "premium_fen: 12000", 1),
                        encoding="utf-8")
        set_forms_folder(county, own)
        offices.send(county, township)
    finally:
        offices.close()
    there = str(tmp_path / "350421200.sqlite3")
    shown = fpdesk("products", "show", "fp_family_accident_100", "--db", there, "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["product"]["premium_fen"] == 12000
    listed = fpdesk("products", "list", "--db", there, "--json")
    assert {p["code"]: p["premium_fen"] for p in json.loads(listed.stdout)["products"]}["fp_family_accident_100"] == 12000
    assert not any(p["withdrawn"] for p in json.loads(listed.stdout)["products"])
    shipped = fpdesk("products", "show", "fp_family_accident_100", "--json")  # no database: the program's folder
    assert json.loads(shipped.stdout)["product"]["premium_fen"] == 10000
