"""fpdesk divisions import|list|add and roster import --set: the contract (--json shapes, exit codes 0/3/1),
with real files built here: the statistics bureau's division list and a township's roster of the common layout."""

from __future__ import annotations

import json

from roster_builders import Families, common_rows, write_common_roster, write_division_list

from fpdesk.cli.main import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if "--json" in args and out.strip() else out), err


def test_a_county_imports_lists_and_adds_divisions(capsys, tmp_path):
    db = str(tmp_path / "county.sqlite3")
    assert run(capsys, "init", "--office-code", "350421", "--office-level", "county", "--office-name", "明溪县计生协",
               "--db", db)[0] == 0
    code, result, _ = run(capsys, "divisions", "import", str(write_division_list(tmp_path / "区划.xlsx")), "--db", db,
                          "--json")
    assert code == 0 and (result["new"], result["unchanged"], result["rejected"]) == (12, 1, [])
    code, listed, _ = run(capsys, "divisions", "list", "--under", "350421200", "--db", db, "--json")
    assert code == 0 and [d["code"] for d in listed["divisions"]][:2] == ["350421200", "350421200001"]
    assert set(listed["divisions"][0]) == {"code", "name", "kind", "parent_code", "code_year", "office"}
    code, added, _ = run(capsys, "divisions", "add", "--name", "县人社局", "--under", "350421", "--kind", "unit",
                         "--db", db, "--json")
    assert code == 0 and added["ok"] and added["code"] == "350421900004" and added["kind"] == "agency_unit"
    code, text, _ = run(capsys, "divisions", "list", "--db", db)
    assert "县人社局" in text and "机关" in text and "有" in text  # the county's own office
    code, refused, err = run(capsys, "divisions", "add", "--name", "县人社局", "--under", "350421", "--kind", "unit",
                             "--db", db, "--json")
    assert code == 1 and refused["error"]["code"] == "division_name_taken" and "已经有" in err
    bad = tmp_path / "坏.csv"
    bad.write_text("代码,名称\n350421200299,新村\n35042120029,短码村\n", encoding="utf-8")
    code, partial, err = run(capsys, "divisions", "import", str(bad), "--db", db, "--json")
    assert code == 3 and partial["new"] == 1 and [r["code"] for r in partial["rejected"]] == ["division_code_format"]


def test_roster_import_answers_once_and_lists_who_is_not_insured(capsys, workspace, db_url, tmp_path):
    made = Families(seed=53)
    families = [made.family("罗翠村", grandparent=True), made.family("城东村")]
    path = write_common_roster(tmp_path / "名册.xlsx", common_rows(families))
    # the command judges at the real today: last season's roster (2025) is history, never outside its window
    args = ("roster", "import", str(path), "--year", "2025", "--db", db_url, "--json")
    code, dry, err = run(capsys, *args, "--dry-run")
    assert code == 3 and dry["rejected"] == [] and [i["code"] for i in dry["file_issues"]] == ["form_columns_missing"]
    assert "--set 被保险人身体健康=是" in err
    code, dry, err = run(capsys, *args, "--dry-run", "--set", "被保险人身体健康=是")
    assert code == 0 and dry["file_issues"] == [] and dry["rejected"] == []
    assert [(n["code"], set(n)) for n in dry["not_insured"]] == [("age_above_max", {"row", "code", "message"})]
    assert "按险种规定不参保" in err
    code, done, _ = run(capsys, *args, "--set", "health_declaration=yes")
    assert code == 0 and done["new"] == sum(len(f) for f in families) and len(done["not_insured"]) == 1
    code, refused, _ = run(capsys, *args, "--set", "鞋码")
    assert code == 1 and refused["error"]["code"] == "roster_answer_format"


def test_an_unknown_village_at_a_township_names_the_divisions_add_command(capsys, workspace, db_url, tmp_path):
    made = Families(seed=59)
    path = write_common_roster(tmp_path / "名册.xlsx", common_rows([made.family("新建村", children=1)]))
    code, result, err = run(capsys, "roster", "import", str(path), "--year", "2025", "--dry-run",
                            "--set", "被保险人身体健康=是", "--db", db_url, "--json")
    assert code == 3 and {i["code"] for i in result["rejected"]} == {"unknown_division"}
    assert "fpdesk divisions add --name 新建村 --under 350421200" in err
    assert err.count("divisions add") == 1  # once for the village, not once per row
