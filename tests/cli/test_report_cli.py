"""fpdesk targets / report / claims: the contract (names, --json shapes, exit codes), in-process on both
engines, and the bulletin read back as a PDF (text and page image) and as a workbook with its chart."""

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fpdesk.cli.main import main
from tests.printing.pdf_checks import needs, page_count, pdf_text, render
from tests.progress_builders import PRODUCT, enroll_family, family, open_county

D = dt.date
ANNEX_CSV = Path(__file__).parent.parent / "data" / "targets" / "mingxi_2020_targets.csv"


@pytest.fixture
def db(db_url):
    ws = open_county(db_url)
    ws.close()
    return db_url


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if "--json" in args and out.strip() else out), err


def test_targets_import_list_and_refusal(db, capsys, tmp_path):
    code, payload, _ = run(capsys, "targets", "import", str(ANNEX_CSV), "--year", "2020", "--product", PRODUCT,
                           "--db", db, "--json")
    assert code == 0 and payload["ok"] and payload["rows"] == 10
    assert payload["totals"] == {"government": 3604, "self": 1100, "employer": 3000, "total": 7704}
    code, payload, _ = run(capsys, "targets", "list", "--year", "2020", "--db", db, "--json")
    assert code == 0 and payload["totals"]["total"] == 7704 and len(payload["targets"]) == 10
    # a village's own target is part of its township's: listed, not counted twice
    code, payload, _ = run(capsys, "targets", "set", "--year", "2020", "--product", PRODUCT, "--division",
                           "350421200201", "--government", "3", "--self", "5", "--db", db, "--json")
    assert code == 0 and len(payload["targets"]) == 11 and payload["totals"]["total"] == 7704
    bad = tmp_path / "bad.csv"
    bad.write_text("乡镇,指导任务数,政府投保任务数,自主投保任务数\n城关,1,1,1\n", encoding="utf-8")
    code, payload, err = run(capsys, "targets", "import", str(bad), "--year", "2021", "--product", PRODUCT,
                             "--db", db, "--json")
    assert code == 1 and not payload["ok"] and payload["rejected"][0]["code"] == "target_sum_mismatch"
    assert "第2行" in err
    code, _, err = run(capsys, "targets", "import", str(bad), "--year", "2021", "--product", "nope", "--db", db)
    assert code == 1 and "unknown_product" in err
    code, _, _ = run(capsys, "targets", "import", "--db", db)
    assert code == 2


@needs("pdftoppm")
def test_progress_bulletin_and_stats(db, capsys, tmp_path):
    from fpdesk.services.opening import open_workspace
    ws = open_workspace(db)
    target = tmp_path / "t.csv"
    target.write_text("乡镇,政府投保,自主投保\n城关乡,3,2\n雪峰镇,3,2\n盖洋镇,2,2\n", encoding="utf-8")
    for village, on in (("350421200201", D(2026, 3, 3)), ("350421200202", D(2026, 3, 10)),
                        ("350421100201", D(2026, 3, 10)), ("350421200201", D(2026, 3, 11))):
        enroll_family(ws, family(ws, village)[0], on)
    ws.close()
    run(capsys, "targets", "import", str(target), "--year", "2026", "--product", PRODUCT, "--db", db)
    code, payload, _ = run(capsys, "report", "progress", "--year", "2026", "--product", PRODUCT,
                           "--as-of", "2026-03-15", "--db", db, "--json")
    assert code == 0 and payload["previous_as_of"] == "2026-03-08"
    lines = {t["name"]: t for t in payload["townships"]}
    assert lines["城关乡"]["enrolled"]["total"] == 3 and lines["城关乡"]["change"] == 2
    assert lines["城关乡"]["completion_pct"] == 60.0 and lines["城关乡"]["rank"] == 1
    assert lines["盖洋镇"]["enrolled"]["total"] == 0 and payload["laggards"] == ["盖洋镇", "雪峰镇"]
    assert [v["name"] for v in lines["城关乡"]["villages"]] == ["罗翠村", "坪埠村"]

    pdf = tmp_path / "通报.pdf"
    code, payload, _ = run(capsys, "report", "bulletin", "--year", "2026", "--week", "11", "--product", PRODUCT,
                           "--out", str(pdf), "--db", db, "--json")
    assert code == 0 and payload["as_of"] == "2026-03-15" and payload["format"] == "pdf"
    text = pdf_text(pdf)
    assert page_count(pdf) == 1
    for expected in ("第11周通报", "城关乡", "上期完成率", "60.0%", "进度落后的乡镇", "盖洋镇（0.0%）", "任务线 100%"):
        assert expected in text, expected
    image = render(pdf, tmp_path / "bulletin", dpi=60)
    assert image.stat().st_size > 10_000
    xlsx = tmp_path / "通报.xlsx"
    code, payload, _ = run(capsys, "report", "bulletin", "--year", "2026", "--week", "11", "--product", PRODUCT,
                           "--out", str(xlsx), "--db", db, "--json")
    sheet = load_workbook(xlsx)["周通报"]
    assert code == 0 and sheet["B4"].value == "城关乡" and sheet["H4"].value == pytest.approx(0.6)
    assert len(sheet._charts) == 1
    code, _, err = run(capsys, "report", "bulletin", "--year", "2026", "--week", "60", "--out", str(xlsx),
                       "--db", db)
    assert code == 1 and "bulletin_week" in err
    code, _, err = run(capsys, "report", "bulletin", "--year", "2026", "--week", "3", "--out", str(tmp_path / "a.doc"),
                       "--db", db)
    assert code == 1 and "bulletin_format" in err

    code, payload, _ = run(capsys, "report", "stats", "--year", "2026", "--db", db, "--json")
    assert code == 0 and payload["window"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert payload["total"]["shares"] == 4 and payload["total"]["premium_fen"] == 40000
    assert payload["basis"]["loss_ratio"].startswith("已付赔款")
    # four self-paid households of ¥100: the family's level carries the whole premium
    assert payload["by_level"] == [{"level": "self", "label_zh": "个人（家庭）", "label_en": "the family",
                                    "premium_fen": 40000, "share_pct": 100.0}]
    assert [t["by_level"][0]["premium_fen"] for t in payload["by_township"]] == [10000, 30000]
    code, payload, _ = run(capsys, "report", "stats", "--year", "2026", "--start-month", "9", "--db", db, "--json")
    assert payload["window"]["start"] == "2025-09-01" and payload["total"]["shares"] == 4
    code, out, _ = run(capsys, "report", "stats", "--year", "2026", "--db", db)
    assert code == 0 and "赔付率" in out and "合计" in out
    assert "各级承担的保费：个人（家庭） ¥400.00（100.00%）" in out


def test_claims_register_track_and_list(db, capsys):
    from fpdesk.services.opening import open_workspace
    ws = open_workspace(db)
    household, (head, *_) = family(ws, "350421200201")
    enroll_family(ws, household, D(2026, 3, 1))
    ws.close()
    code, payload, _ = run(capsys, "claims", "register", "--person", head, "--kind", "accidental_medical",
                           "--incident", "2026-04-01", "--claimed", "3000", "--reported", "2026-04-02",
                           "--report-number", "BA-1", "--green-channel", "--db", db, "--json")
    assert code == 0 and payload["claim"]["status"] == "reported" and payload["claim"]["green_channel"]
    ref = payload["claim"]["claim_no"]
    assert payload["claim"]["limit"]["cap_fen"] == 1400000
    code, payload, err = run(capsys, "claims", "status", ref, "documents_complete", "--db", db, "--json")
    assert code == 1 and payload["error"]["code"] == "claim_documents_missing"
    keys = ["claim_form", "id_proof", "bank_account", "accident_proof", "medical_records", "medical_invoices",
            "expense_list"]
    assert run(capsys, "claims", "documents", ref, *keys, "--db", db)[0] == 0
    assert run(capsys, "claims", "status", ref, "documents_complete", "--on", "2026-04-10", "--db", db)[0] == 0
    assert run(capsys, "claims", "status", ref, "submitted", "--on", "2026-04-11", "--db", db)[0] == 0
    code, payload, _ = run(capsys, "claims", "pay", ref, "--amount", "2800", "--on", "2026-05-01", "--db", db, "--json")
    assert code == 0 and payload["claim"]["paid_fen"] == 280000
    code, out, _ = run(capsys, "claims", "show", ref, "--db", db)
    assert code == 0 and "已赔付" in out and "☑理赔申请书" in out
    code, payload, _ = run(capsys, "claims", "list", "--green-channel", "--db", db, "--json")
    assert code == 0 and payload["count"] == 1 and payload["claims"][0]["id_number"].count("*") == 8
    code, payload, _ = run(capsys, "claims", "list", "--open", "--db", db, "--json")
    assert payload == {"count": 0, "claims": []}
    code, _, err = run(capsys, "claims", "register", "--person", head, "--kind", "hospital_care", "--incident",
                       "2026-04-01", "--db", db)
    assert code == 1 and "claim_not_insured" in err


@pytest.mark.parametrize(("arguments", "said"), [
    (["report", "stats", "--year", "2026", "--start-month", "13"], "起始月"),
    (["report", "stats", "--year", "2026", "--start-month", "0"], "起始月"),
    (["report", "stats", "--year", "0"], "保险年度"),
    (["roster", "export", "--year", "99999", "--for", "insurer", "--out", "x.xlsx"], "保险年度")])
def test_a_year_or_month_out_of_range_is_refused_with_a_message(capsys, tmp_path, arguments, said):
    code = main([*arguments, "--db", str(tmp_path / "fpdesk.sqlite3"), "--json"])
    out, err = capsys.readouterr()
    assert code == 1 and json.loads(out)["error"]["code"] == "bad_argument" and said in err
    assert "Traceback" not in err


def test_a_township_office_sees_its_villages_in_the_progress_table(capsys, workspace, db_url):
    enroll_family(workspace, family(workspace, "350421200201")[0], D(2026, 3, 3))
    code, text, _ = run(capsys, "report", "progress", "--year", "2026", "--as-of", "2026-03-20", "--db", db_url)
    lines = text.splitlines()
    township = next(i for i, line in enumerate(lines) if "城关乡" in line)
    assert code == 0 and "罗翠村" in lines[township + 1] and lines[township + 1].split()[0] == "罗翠村"
