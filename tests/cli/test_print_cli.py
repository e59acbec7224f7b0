"""fpdesk print / verify: the contract (names, --json shapes, exit codes 0/1/2), in-process on both engines."""

import datetime as dt
import json

import pytest

from fpdesk.cli.main import main
from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.registry import households as hh
from tests.printing.pdf_checks import FULL_ID, decode_qr, needs, pdf_text, render

D = dt.date
HEAD = make_number("350421", D(1980, 1, 1), 13)


@pytest.fixture
def db(workspace, db_url):
    draft = HouseholdDraft(division_code="350421200201", categories=frozenset({HouseholdCategory.OTHER_FP}))
    hh.register_household(workspace, draft, [PersonDraft("林国华", HEAD, Relation.HEAD),
                                             PersonDraft("陈秀英", make_number("350421", D(1982, 3, 15), 12),
                                                         Relation.SPOUSE)], today=D(2025, 1, 1))
    enroll(workspace, product="fp_family_accident_100", year=2025, head_id_number=HEAD, on=D(2025, 3, 1),
           today=D(2025, 3, 1), consent_by="林国华", pay_fen=10000,
           form_values={"health_declaration": True, "beneficiary_type": "statutory"})
    return db_url


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if "--json" in args and out.strip() else out), err


@needs("pdftoppm", "zbarimg")
def test_print_each_kind_then_verify_the_certificate(db, capsys, tmp_path):
    common = ["--db", db, "--year", "2025", "--product", "fp_family_accident_100", "--scope", "350421200", "--json"]
    code, payload, _ = run(capsys, "print", "certificates", *common, "--out", str(tmp_path / "c.pdf"))
    assert code == 0 and payload["ok"] and payload["documents"] == 1 and payload["pages"] == 1
    assert payload["numbers"] == ["350421200-2025-000001"] and payload["reprints"] == 0
    code, payload, _ = run(capsys, "print", "receipts", *common, "--out", str(tmp_path / "r.pdf"), "--paper", "continuous")
    assert code == 0 and payload["numbers"] == ["350421200-2025-000001"] and payload["kind"] == "receipt"
    code, payload, _ = run(capsys, "print", "roster", *common, "--out", str(tmp_path / "m.pdf"))
    assert code == 0 and payload["kind"] == "roster" and payload["pages"] == 1
    for name in ("c.pdf", "r.pdf", "m.pdf"):
        text = pdf_text(tmp_path / name)
        assert "林国华" in text and not FULL_ID.search(text)

    [scanned] = decode_qr(render(tmp_path / "c.pdf", tmp_path / "page"))
    code, payload, _ = run(capsys, "verify", "--db", db, scanned, "--json")
    assert code == 0 and payload["verdict"] == "genuine" and payload["claims"]["number"] == "350421200-2025-000001"
    code, text, _ = run(capsys, "verify", "--db", db, scanned)
    assert code == 0 and text.startswith("真实") and "350421200-2025-000001" in text
    tampered = scanned.replace(".20260301.", ".20270301.")
    code, payload, _ = run(capsys, "verify", "--db", db, tampered, "--json")
    assert code == 1 and payload["ok"] is False and payload["verdict"] == "altered"
    code, payload, _ = run(capsys, "verify", "--db", db, "not a payload", "--json")
    assert code == 1 and payload["verdict"] == "malformed"


def test_refusals_and_usage_errors(db, capsys, tmp_path):
    code, payload, err = run(capsys, "print", "certificates", "--db", db, "--year", "2019", "--out",
                             str(tmp_path / "c.pdf"), "--json")
    assert code == 1 and payload["error"]["code"] == "nothing_to_print" and "Traceback" not in err
    for option, value, refusal in (("--scope", "999", "unknown_division"), ("--product", "nosuch", "unknown_product")):
        code, payload, _ = run(capsys, "print", "roster", "--db", db, "--year", "2025", option, value, "--out",
                               str(tmp_path / "m.pdf"), "--json")  # a mistyped code is said as such
        assert code == 1 and payload["error"]["code"] == refusal
    code, payload, _ = run(capsys, "print", "receipts", "--db", db, "--year", "2025", "--paper", "A4", "--out",
                           str(tmp_path / "r.pdf"), "--json")
    assert code == 1 and payload["error"]["code"] == "bad_paper"
    code, _, err = run(capsys, "print", "invoices", "--db", db, "--year", "2025", "--out", "x.pdf")
    assert code == 2 and "invalid choice" in err
    code, _, err = run(capsys, "print", "roster", "--db", db, "--year", "2025")
    assert code == 2 and "--out" in err
    code, _, err = run(capsys, "verify", "--db", db)
    assert code == 2
