"""fpdesk roster import / export / template: the contract (--json shape, exit codes 0/3/1)."""

from __future__ import annotations

import json

from openpyxl import load_workbook
from roster_builders import good_rows, write_roster

from fpdesk.cli.main import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if "--json" in args and out.strip() else out), err


def test_import_all_accepted_then_export_and_template(capsys, workspace, db_url, tmp_path):
    path = write_roster(tmp_path / "名册.xlsx", good_rows())
    code, dry, _ = run(capsys, "roster", "import", str(path), "--year", "2024", "--dry-run", "--db", db_url, "--json")
    assert code == 0 and dry == {"rows": 5, "new": 5, "updated": 0, "unchanged": 0, "rejected": [],
                                 "not_insured": [], "file_issues": [], "notes": []}
    code, applied, _ = run(capsys, "roster", "import", str(path), "--year", "2024", "--db", db_url, "--json")
    assert code == 0 and applied["new"] == 5
    out = tmp_path / "insurer.xlsx"
    code, exported, _ = run(capsys, "roster", "export", "--year", "2024", "--for", "insurer", "--out", str(out),
                            "--scope", "350421200201", "--db", db_url, "--json")
    assert code == 0 and exported["rows"] == 0  # registered, no premium received yet: not sent to the insurer
    code, allocated, _ = run(capsys, "money", "allocate", "--payer", "government", "--voucher", "城财〔2024〕7号",
                             "--product", "fp_family_accident_100", "--year", "2024", "--scope", "350421200201",
                             "--on", "2024-04-30", "--db", db_url, "--json")
    assert code == 0 and (allocated["enrollments"], allocated["allocated_fen"], allocated["received"]) == (1, 10000, 1)
    code, exported, _ = run(capsys, "roster", "export", "--year", "2024", "--for", "insurer", "--out", str(out),
                            "--scope", "350421200201", "--db", db_url, "--json")
    assert code == 0 and exported["rows"] == 3 and out.exists()  # 罗翠村 only
    code, refused, _ = run(capsys, "roster", "export", "--year", "2024", "--for", "insurer", "--out", str(out),
                           "--scope", "999", "--db", db_url, "--json")  # a mistyped code is not an empty list
    assert code == 1 and refused["error"]["code"] == "unknown_division"
    template = tmp_path / "模板.xlsx"
    code, text, _ = run(capsys, "roster", "template", "--product", "fp_family_accident_100", "--out", str(template),
                        "--db", db_url)
    assert code == 0 and "模板" in text and load_workbook(template).active["A3"].value == "序号"


def test_some_rows_rejected_exit_3_with_report(capsys, workspace, db_url, tmp_path):
    rows = good_rows()
    rows[3][5] = 3.50421198001010e17
    path = write_roster(tmp_path / "名册.xlsx", rows)
    report = tmp_path / "新文件夹" / "错误.xlsx"  # a folder not made yet: made, as printouts do
    code, result, err = run(capsys, "roster", "import", str(path), "--year", "2024", "--report", str(report),
                            "--db", db_url, "--json")
    assert code == 3 and result["new"] == 3
    assert result["rejected"][0] == {
        "row": 7, "column": "身份证号码", "code": "id_lost_precision",
        "message": result["rejected"][0]["message"]}
    assert "第7行“身份证号码”列" in err and report.exists()
    assert {r["code"] for r in result["rejected"]} == {"id_lost_precision", "household_held_back"}


def test_a_refused_file_exits_1(capsys, workspace, db_url, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"\x00\x01 not a spreadsheet \x00")
    code, result, err = run(capsys, "roster", "import", str(path), "--db", db_url, "--json")
    assert code == 1 and result["error"]["code"] == "unreadable_file" and "x.xlsx" in err


def test_a_file_that_cannot_be_written_is_a_refusal_not_a_traceback(capsys, workspace, db_url, tmp_path):
    folder = tmp_path / "已有文件夹"
    folder.mkdir()
    code, result, err = run(capsys, "roster", "template", "--product", "fp_family_accident_100", "--out", str(folder),
                            "--db", db_url, "--json")
    assert code == 1 and result["error"]["code"] == "file_error" and "Traceback" not in err
    assert "已有文件夹" in err and "文件夹" in result["error"]["message"]


def test_a_database_path_that_does_not_exist_is_said_on_stderr(capsys, tmp_path):
    typo = tmp_path / "fpdeks.sqlite3"
    code, listed, err = run(capsys, "products", "list", "--db", str(typo), "--json")
    assert code == 0 and listed["products"]  # still made and answered: a new office starts this way
    assert "不存在" in err and str(typo) in err
    code, _listed, err = run(capsys, "products", "list", "--db", str(typo), "--json")
    assert "不存在" not in err  # the second time it is there


def test_a_roster_without_a_product_registers_people_and_says_nobody_was_enrolled(capsys, workspace, db_url,
                                                                                   tmp_path):
    from roster_builders import HEADER

    keep = [i for i, name in enumerate(HEADER) if name not in ("险种", "份数", "缴费方式", "身体健康", "受益人")]
    rows = [[row[i] for i in keep] for row in good_rows()]
    path = write_roster(tmp_path / "名册.xlsx", rows, header=[HEADER[i] for i in keep], title=False)
    code, result, err = run(capsys, "roster", "import", str(path), "--year", "2024", "--db", db_url, "--json")
    assert code == 0 and result == {"rows": 5, "new": 5, "updated": 0, "unchanged": 0, "rejected": [],
                                    "not_insured": [], "file_issues": [], "notes": []}
    assert "没有办理参保" in err and "--product" in err  # the JSON keeps its contract; the note goes to stderr
    code, result, err = run(capsys, "roster", "import", str(path), "--year", "2024", "--product",
                            "fp_family_accident_100", "--dry-run", "--db", db_url, "--json")
    assert "没有办理参保" not in err


def test_a_re_import_says_which_registered_values_it_changes(capsys, workspace, db_url, tmp_path):
    rows = good_rows()
    first = write_roster(tmp_path / "名册.xlsx", rows)
    assert run(capsys, "roster", "import", str(first), "--year", "2024", "--db", db_url, "--json")[0] == 0
    rows[1][4] = "李梅梅"  # a typo in a name
    for row in rows[3:]:
        row[2] = "罗翠村"  # 王五's household moves from 城东村
    again = write_roster(tmp_path / "改过的名册.xlsx", rows)
    code, result, err = run(capsys, "roster", "import", str(again), "--year", "2024", "--dry-run", "--db", db_url,
                            "--json")
    assert code == 0 and result["updated"] == 2 and "将修改已登记的信息 2 处" in err
    assert "李梅：姓名 李梅 → 李梅梅" in err and "王五户：村（社区） 城东村 → 罗翠村" in err
    code, result, err = run(capsys, "roster", "import", str(again), "--year", "2024", "--db", db_url, "--json")
    assert "已修改已登记的信息 2 处" in err
    code, result, err = run(capsys, "roster", "import", str(again), "--year", "2024", "--db", db_url, "--json")
    assert result["unchanged"] == 5 and "修改已登记" not in err


def test_a_chosen_product_reads_the_offices_own_name_for_it(capsys, workspace, db_url, tmp_path):
    """Offices write the product their own way (计生家庭意外伤害保险). With --product chosen, such a 险种
    cell is read as the chosen product and said once; without it the file says once that it is unknown."""
    from roster_builders import Families, common_rows, write_common_roster

    families = Families(seed=3)
    rows = common_rows([families.family("罗翠村"), families.family("罗翠村")], product="计生家庭意外伤害保险")
    path = write_common_roster(tmp_path / "名册.xlsx", rows)
    code, unknown, _ = run(capsys, "roster", "import", str(path), "--year", "2025", "--dry-run", "--db", db_url,
                           "--json")
    assert [i["code"] for i in unknown["file_issues"]] == ["unknown_product"]
    code, chosen, _ = run(capsys, "roster", "import", str(path), "--year", "2025", "--dry-run", "--product",
                          "fp_family_accident_100", "--set", "被保险人身体健康=是", "--db", db_url, "--json")
    assert code == 0 and chosen["file_issues"] == [] and chosen["rejected"] == []
    notes = [n for n in chosen["notes"] if n["code"] == "product_read_as_chosen"]
    assert len(notes) == 1 and "计生家庭意外伤害保险" in notes[0]["message"] and f"这{len(rows)}行" in notes[0]["message"]
