"""fpdesk targets set with a census rate or a households target, and the progress table and bulletin that
show it the way it was set (the --json output only gains keys)."""

import datetime as dt
import json

import pytest
from openpyxl import load_workbook

from fpdesk.cli.main import main
from tests.printing.pdf_checks import pdf_text
from tests.progress_builders import PRODUCT, enroll_family, family, open_county

D = dt.date


@pytest.fixture
def db(db_url):
    ws = open_county(db_url)
    ws.close()
    return db_url


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if "--json" in args and out.strip() else out), err


def test_a_rate_target_set_from_the_command_line_in_progress_and_bulletin(db, capsys, tmp_path):
    """城关乡: 10 census households, target 60 % (6 households), stretch 80 % (8). Three households are
    insured in week 10 and a fourth in week 11: as of Sunday 15 March 4 / 10 = 40 %, completion
    4 / 6 = 66.7 % (last week 3 / 6 = 50 %, +1 household). 雪峰镇: a target of 2 households, one insured
    in week 11: 50 %. The total mixes two forms: the mean, (66.67 + 50) / 2 = 58.3 %."""
    code, _, err = run(capsys, "targets", "set", "--year", "2026", "--product", PRODUCT, "--division",
                       "350421200", "--household-rate", "60%", "--stretch", "80", "--db", db)
    assert code == 1 and "没有2026年的普查户数：城关乡" in err
    census = tmp_path / "census.csv"
    census.write_text("乡镇,常住人口,户数\n城关,31,10\n", encoding="utf-8")
    code, payload, _ = run(capsys, "targets", "population", str(census), "--year", "2026", "--db", db, "--json")
    assert code == 0 and payload["totals"] == {"residents": 31, "households": 10}
    code, payload, _ = run(capsys, "targets", "set", "--year", "2026", "--product", PRODUCT, "--division",
                           "350421200", "--household-rate", "60%", "--stretch", "80", "--db", db, "--json")
    assert code == 0 and payload["targets"][0] | {"measure": "household_rate", "rate_pct": 60.0,
                                                  "stretch_pct": 80.0} == payload["targets"][0]
    code, payload, _ = run(capsys, "targets", "set", "--year", "2026", "--product", PRODUCT, "--division",
                           "350421100", "--households", "2", "--db", db, "--json")
    assert code == 0 and [t["text"] for t in payload["targets"]] == ["2户", "参保率 60%（力争 80%）"]
    code, _, err = run(capsys, "targets", "set", "--year", "2026", "--product", PRODUCT, "--division",
                       "350421100", "--household-rate", "120%", "--db", db)
    assert code == 1 and "不能超过100%" in err

    from fpdesk.services.opening import open_workspace
    ws = open_workspace(db)
    for village, on in (("350421200201", D(2026, 3, 3)), ("350421200201", D(2026, 3, 3)),
                        ("350421200202", D(2026, 3, 4)), ("350421200202", D(2026, 3, 10)),
                        ("350421100201", D(2026, 3, 11))):
        enroll_family(ws, family(ws, village)[0], on)
    ws.close()
    code, payload, _ = run(capsys, "report", "progress", "--year", "2026", "--product", PRODUCT,
                           "--as-of", "2026-03-15", "--db", db, "--json")
    lines = {t["name"]: t for t in payload["townships"]}
    chengguan = lines["城关乡"]
    assert chengguan["target"]["total"] == 0 and chengguan["enrolled"]["total"] == 4  # the old keys stay
    assert chengguan | {"measure": "household_rate", "target_value": 6, "achieved": 4, "previous_achieved": 3,
                        "achieved_change": 1, "census_base": 10, "achieved_rate_pct": 40.0,
                        "target_rate_pct": 60.0, "stretch_rate_pct": 80.0, "completion_pct": 66.7,
                        "previous_completion_pct": 50.0,
                        "target_text": "参保率 40%，目标 60%，力争 80%"} == chengguan
    assert lines["雪峰镇"]["completion_pct"] == 50.0 and lines["雪峰镇"]["unit"] == "households"
    assert payload["total"]["measure"] == "mixed" and payload["total"]["completion_pct"] == 58.3
    assert payload["laggards"] == ["雪峰镇"]
    code, out, _ = run(capsys, "report", "progress", "--year", "2026", "--product", PRODUCT,
                       "--as-of", "2026-03-15", "--db", db)
    assert code == 0 and "参保率 40%，目标 60%，力争 80%" in out and "任务口径" in out and "66.7%" in out

    xlsx = tmp_path / "通报.xlsx"
    code, _, _ = run(capsys, "report", "bulletin", "--year", "2026", "--week", "11", "--product", PRODUCT,
                     "--out", str(xlsx), "--db", db)
    sheet = load_workbook(xlsx)["周通报"]
    assert code == 0 and [sheet[f"{c}4"].value for c in "BCDEF"] == ["城关乡", 6, 3, 4, 1]
    assert sheet["H4"].value == pytest.approx(0.667)
    assert "按户、人或覆盖率下达的以户、人计" in sheet["A2"].value
    remarks = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "任务口径" in c.value]
    assert remarks == ["任务口径：城关乡 参保率 40%，目标 60%，力争 80%；雪峰镇 2户。政府、自主、单位三列为份数。"
                       "各乡镇任务口径不同，合计完成率为各乡镇完成率的平均。"]
    pdf = tmp_path / "通报.pdf"
    code, _, _ = run(capsys, "report", "bulletin", "--year", "2026", "--week", "11", "--product", PRODUCT,
                     "--out", str(pdf), "--db", db)
    text = "".join(pdf_text(pdf).split())
    assert code == 0 and "城关乡参保率40%，目标60%，力争80%" in text and "以户、人计" in text
