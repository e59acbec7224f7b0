"""fpdesk enroll / renew / check / eligible-list: the contract (names, --json shapes, exit codes 0/1/2/3).

Run in-process on SQLite and PostgreSQL. The dates are a past season's (a roster typed in later),
so the tests do not depend on today's place in the enrollment window.
"""

import datetime as dt
import json
import re

import pytest

from fpdesk.cli.main import main
from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.registry import households as hh

D = dt.date
HEAD = make_number("350421", D(1980, 1, 1), 13)
GRANDFATHER = make_number("350421", D(1950, 1, 1), 11)
FIELDS = ["--field", "health_declaration=是", "--field", "beneficiary_type=法定"]


@pytest.fixture
def db(workspace, db_url):
    draft = HouseholdDraft(division_code="350421200201", categories=frozenset({HouseholdCategory.OTHER_FP}))
    hh.register_household(workspace, draft, [
        PersonDraft("林国华", HEAD, Relation.HEAD),
        PersonDraft("陈秀英", make_number("350421", D(1982, 3, 15), 12), Relation.SPOUSE),
        PersonDraft("林老汉", GRANDFATHER, Relation.FATHER)], today=D(2024, 1, 1))
    return db_url


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if "--json" in args and out.strip() else out), err


def enroll_args(db, year=2024, *extra):
    return ["enroll", "--db", db, "--head-id", HEAD, "--product", "fp_family_accident_100", "--year", str(year),
            "--on", f"{year}-03-01", "--consent-by", "林国华", *FIELDS, *extra]


def test_enroll_refuses_an_ineligible_member_then_enrolls_pays_and_walks_the_statuses(db, capsys):
    code, _, err = run(capsys, "enroll", "--db", db, "--product", "fp_family_accident_100", "--json")
    assert code == 2 and "--head-id" in err
    code, payload, err = run(capsys, *enroll_args(db), "--json")
    assert code == 1 and payload["ok"] is False
    assert payload["error"]["code"] == "enrollment_refused"
    assert [r["code"] for r in payload["error"]["reasons"]] == ["age_above_max"]
    assert "林老汉" in err and "Traceback" not in err
    code, payload, _ = run(capsys, *enroll_args(db), "--exclude", GRANDFATHER, "--pay", "100", "--json")
    assert code == 0, payload
    enrollment = payload["enrollment"]
    assert payload["receipt_no"] == "350421200-2024-000001"
    assert (enrollment["status"], enrollment["paid_fen"], enrollment["policy_year"]) == ("paid", 10000, 2024)
    assert [p["name"] for p in enrollment["insured"]] == ["林国华", "陈秀英"]
    assert enrollment["insured"][0]["id_number"] == HEAD[:6] + "********" + HEAD[14:]
    assert "historical_record" in [w["code"] for w in payload["warnings"]]
    ref = enrollment["id"]
    code, payload, _ = run(capsys, "enroll", "hand-up", ref, "--db", db, "--on", "2024-03-05", "--json")
    assert code == 0 and payload["enrollment"]["status"] == "handed_up"
    code, payload, _ = run(capsys, "enroll", "confirm", HEAD, "--db", db, "--year", "2024",
                           "--policy-number", "PMX2024-7", "--json")
    assert code == 0 and payload["enrollment"]["policy_number"] == "PMX2024-7"
    code, payload, _ = run(capsys, "enroll", "cancel", ref, "--db", db, "--reason", "不愿参保", "--json")
    assert code == 1 and payload["error"]["code"] == "enrollment_has_payment"
    code, text, _ = run(capsys, "enroll", "show", "350421200-2024-000001", "--db", db)
    assert code == 0 and "已承保" in text and "PMX2024-7" in text
    assert "缴费方式：自主投保" in text and "意外伤害身故/残疾" in text  # words, not the codes --json keeps
    assert not re.search(r"\b(self|government|accident_death_disability|signed_form)\b", text)
    code, payload, _ = run(capsys, "enroll", "refund", ref, "--db", db, "--reason", "家庭申请", "--json")
    assert code == 0 and payload["enrollment"]["status"] == "refunded"


def test_pay_void_and_add_remove_from_the_command_line(db, capsys):
    code, payload, _ = run(capsys, *enroll_args(db, 2023), "--member", HEAD, "--json")
    assert code == 0 and len(payload["enrollment"]["insured"]) == 1
    ref = payload["enrollment"]["id"]
    code, payload, _ = run(capsys, "enroll", "pay", ref, "--db", db, "--amount", "120", "--on", "2023-03-01", "--json")
    assert code == 1 and payload["error"]["code"] == "payment_amount_mismatch"
    code, payload, _ = run(capsys, "enroll", "pay", ref, "--db", db, "--amount", "100", "--on", "2023-03-01", "--json")
    assert code == 0 and payload["receipt_no"] == "350421200-2023-000001"
    code, payload, _ = run(capsys, "enroll", "void", "350421200-2023-000001", "--db", db, "--reason", "收错", "--json")
    assert code == 0 and payload["enrollment"]["status"] == "registered"
    assert payload["enrollment"]["payments"][0]["voided"] is True
    code, payload, _ = run(capsys, "enroll", "add", ref, "--db", db, "--person", "陈秀英", "--on", "2023-06-01",
                           "--json")
    assert code == 0 and [p["name"] for p in payload["enrollment"]["insured"]] == ["林国华", "陈秀英"]
    code, payload, _ = run(capsys, "enroll", "remove", ref, "--db", db, "--person", "陈秀英", "--on", "2023-08-01",
                           "--reason", "迁出", "--json")
    assert code == 0 and payload["enrollment"]["insured"][1]["removed_on"] == "2023-08-01"


def test_renew_dry_run_then_renew_and_check(db, capsys):
    code, payload, _ = run(capsys, *enroll_args(db, 2023), "--exclude", GRANDFATHER, "--pay", "100", "--json")
    assert code == 0
    renew = ["renew", "--db", db, "--from-year", "2023", "--to-year", "2024", "--on", "2024-03-01"]
    code, payload, _ = run(capsys, *renew, "--dry-run", "--json")
    assert code == 0 and payload["dry_run"] is True
    assert payload["counts"]["renewable_persons"] == 2 and payload["households"][0]["enrollment_id"] is None
    code, text, _ = run(capsys, *renew)
    assert code == 0 and "已续保 1 户 2 人" in text
    code, payload, _ = run(capsys, "check", "--db", db, "--year", "2024", "--json")
    assert code == 0 and payload["products"] == ["fp_family_accident_100"]
    assert payload["extra"] == 0 and payload["insured"] == {"fp_family_accident_100": 2}
    code, payload, _ = run(capsys, "check", "--db", db, "--year", "2024", "--product", "no_such", "--json")
    assert code == 1 and payload["error"]["code"] == "unknown_product"


def test_eligible_list_import_reports_rejected_rows_with_exit_3(db, capsys, tmp_path):
    listing = tmp_path / "名单.csv"
    listing.write_text(f"身份证号码,姓名\n{HEAD},林国华\n350421198001010018,错号\n", encoding="utf-8")
    code, payload, err = run(capsys, "eligible-list", "import", str(listing), "--db", db, "--product",
                             "special_family_hospital_care", "--year", "2024", "--json")
    assert code == 3 and payload["added"] == 1 and payload["rejected"][0]["row"] == 3
    assert "id_checksum" in err and "第3行" in err
    assert payload["rejected"][0]["message_en"] and payload["rejected"][0]["message"] != payload["rejected"][0]["message_en"]
    code, _, err = run(capsys, "eligible-list", "import", str(listing), "--db", db, "--product",
                       "special_family_hospital_care", "--year", "2024", "--lang", "en")
    rejected_line = next(line for line in err.splitlines() if "id_checksum" in line)
    assert code == 3 and rejected_line.startswith("row 3 [id_checksum]: ")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in rejected_line.replace("错号", ""))
    code, payload, _ = run(capsys, "eligible-list", "show", "--db", db, "--json")
    assert code == 0 and payload["lists"][0]["persons"] == 1
    code, payload, _ = run(capsys, "check", "--db", db, "--year", "2024", "--json")
    assert payload["counts"] == {"eligible_list_not_enrolled": 1}


def test_help_documents_the_actions(capsys):
    assert main(["enroll", "--help"]) == 0
    out = capsys.readouterr().out
    for action in ("pay", "void", "hand-up", "confirm", "cancel", "refund", "add", "remove", "show"):
        assert action in out
