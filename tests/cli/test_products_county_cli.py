"""``fpdesk products new --like``, and ``show``/``check``/``eligibility`` of the county programmes in
tests/data/programmes: plain Chinese back, the key at fault named, contributions in the JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROGRAMMES = Path(__file__).parents[1] / "data" / "programmes"


def fpdesk(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fpdesk", *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd)


def test_new_like_copies_a_working_definition_under_the_new_code(tmp_path):
    result = fpdesk("products", "new", "--like", "fp_family_accident_100", "--code", "mycounty_accident", "--json",
                    cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload == {"ok": True, "code": "mycounty_accident", "like": "fp_family_accident_100",
                       "file": payload["file"]} and payload["file"].endswith("mycounty_accident.yaml")
    text = (tmp_path / "mycounty_accident.yaml").read_text(encoding="utf-8")
    assert "code: mycounty_accident" in text and "docs/products.md" in text and "身体健康者" in text
    checked = fpdesk("products", "check", str(tmp_path / "mycounty_accident.yaml"), "--json")
    assert checked.returncode == 0 and json.loads(checked.stdout)["ok"] is True
    again = fpdesk("products", "new", "--like", "fp_family_accident_100", "--code", "mycounty_accident", cwd=tmp_path)
    assert again.returncode == 1 and "已存在" in again.stderr and "Traceback" not in again.stderr
    assert text.startswith("# 照 fp_family_accident_100 新建")
    english = fpdesk("products", "new", "--like", "fp_family_accident_100", "--code", "county_en", "--lang", "en",
                     cwd=tmp_path)
    assert english.returncode == 0, english.stderr
    header = (tmp_path / "county_en.yaml").read_text(encoding="utf-8").split("\n")[:3]
    assert header[0] == "# Made from fp_family_accident_100: change it item by item to the county's plan" \
        " (docs/products.md), then" and "fpdesk products check county_en.yaml" in header[1]


def test_new_refuses_an_unknown_model_and_a_bad_code(tmp_path):
    unknown = fpdesk("products", "new", "--like", "no_such", "--code", "abc", "--json", cwd=tmp_path)
    assert unknown.returncode == 1 and "no_such" in unknown.stderr + unknown.stdout
    bad = fpdesk("products", "new", "--like", "fp_family_accident_100", "--code", "计生险", cwd=tmp_path)
    assert bad.returncode == 1 and "产品代码" in bad.stderr
    assert not list(tmp_path.iterdir())


def test_check_names_the_key_and_what_it_expected(tmp_path):
    text = (PROGRAMMES / "products" / "couple_elder_care.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "couple_elder_care.yaml"
    broken.write_text(text.replace("member: wife", "member: mother"), encoding="utf-8")
    result = fpdesk("products", "check", str(broken), "--json")
    assert result.returncode == 1
    error = json.loads(result.stdout)["files"][0]["error"]
    assert error["code"] == "product_definition_invalid"
    assert "eligibility.member_ages[0].member" in error["message"] and "wife" in error["message"]


def test_show_tells_the_plan_back_in_chinese():
    result = fpdesk("products", "show", "five_level_accident", "--forms", str(PROGRAMMES))
    assert result.returncode == 0, result.stderr
    for sentence in ("省级财政每份¥5.00，每户限前1份", "个人（家庭）缴纳：每份¥30.00", "出生满28天至七十周岁（含）",
                     "统一自每年3月1日零时起生效", "疾病身故：¥5,000.00"):
        assert sentence in result.stdout
    # the open product's line points at the lines it means (the subsidy, above it), not at the categories below
    open_text = fpdesk("products", "show", "open_family_care", "--forms", str(PROGRAMMES)).stdout
    assert "普惠：所有家庭均可参保，不限计生家庭类别；保费分担或分类价格中列明的计生家庭另有补助或价格" in open_text
    assert "上列类别" not in open_text
    shown = json.loads(fpdesk("products", "show", "open_family_care", "--forms", str(PROGRAMMES), "--json").stdout)
    product = shown["product"]
    assert product["open_to_all"] is True and product["period"]["rule"] == "fixed_date"
    assert [c["payer"] for c in product["contributions"]] == ["insurer_discount", "prefecture", "county"]
    prices = json.loads(fpdesk("products", "show", "category_price_family", "--forms", str(PROGRAMMES),
                               "--json").stdout)["product"]
    assert prices["category_prices"][0]["premium_fen"] == 10000 and prices["aliases"][0] == "计生家庭意外伤害保险"


def test_eligibility_gives_the_contributions():
    result = fpdesk("products", "eligibility", "--forms", str(PROGRAMMES), "--product", "five_level_accident",
                    "--birth-date", "1980-05-01", "--on", "2025-02-10", "--category", "other_fp", "--json")
    payload = json.loads(result.stdout)
    assert payload["premium_fen"] == 6000 and payload["period"] == ["2025-03-01", "2026-02-28"]
    assert payload["contributions"][-1] == {"payer": "family", "amount_fen": 3000}
    seed = json.loads(fpdesk("products", "eligibility", "--product", "fp_family_accident_100", "--birth-date",
                             "1980-05-01", "--on", "2020-03-20", "--category", "other_fp", "--json").stdout)
    assert seed["contributions"] == [{"payer": "family", "amount_fen": 10000}] and seed["payer"] == "self"
