"""The command line of hand-up, confirmation, allocations and the reconciliation: usage errors exit 2,
refusals exit 1 with a stable code, and the old one-enrollment forms keep working."""

from __future__ import annotations

import datetime as dt
import json

from fpdesk.cli.main import main
from tests.walks.walk_helpers import couple, enrolled, pay

D = dt.date
P = "fp_family_accident_100"
FORM = {"health_declaration": "是", "beneficiary_type": "法定"}
LUOCUI = "350421200201"


def run(capsys, workspace, *args, json_out=True):
    code = main([*args, "--db", workspace.db.url, *(["--json"] if json_out else [])])
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if json_out and captured.out.strip() else captured.out), captured.err


def test_roster_actions_their_usage_and_the_old_single_forms(capsys, workspace):
    government, _ = couple(workspace, LUOCUI, ("hardship",))
    own, numbers = couple(workspace, LUOCUI)
    gov = enrolled(workspace, P, 2020, government, D(2020, 4, 1), form=FORM)
    mine = enrolled(workspace, P, 2020, own, D(2020, 4, 1), form=FORM)
    assert run(capsys, workspace, "enroll", "hand-up")[0] == 2  # neither an enrollment nor --roster
    code, refused, err = run(capsys, workspace, "enroll", "hand-up", numbers["林国华"], "--product", P, "--year", "2020")
    assert code == 1 and refused["error"]["code"] == "hand_up_unpaid" and "Traceback" not in err
    pay(workspace, mine.enrollment_id, D(2020, 4, 2))
    code, single, _ = run(capsys, workspace, "enroll", "hand-up", numbers["林国华"], "--product", P, "--year", "2020",
                          "--on", "2020-04-05")
    assert code == 0 and single["enrollment"]["status"] == "handed_up"
    assert single["enrollment"]["handed_up_on"] == "2020-04-05"
    code, roster, _ = run(capsys, workspace, "enroll", "hand-up", "--roster", LUOCUI, "--product", P, "--year", "2020",
                          "--on", "2020-04-06")
    assert code == 0 and (roster["households"], roster["policy_number"]) == (1, None)
    code, money, _ = run(capsys, workspace, "money", "allocate", "--payer", "government", "--voucher", "V1",
                         "--policy-no", roster["roster"], "--on", "2020-04-08")
    assert code == 0 and money["received"] == 1
    assert run(capsys, workspace, "money", "allocate", "--payer", "government", "--voucher", "V2")[0] == 1
    listed = run(capsys, workspace, "money", "allocations", json_out=False)[1]
    assert "V1" in listed and "政府" in listed and "government" not in listed  # the payer in words, not its code
    assert "Government" in run(capsys, workspace, "money", "allocations", "--lang", "en", json_out=False)[1]
    code, confirmed, _ = run(capsys, workspace, "enroll", "confirm", "--policy-no", "GP-7", "--roster", roster["roster"],
                             "--on", "2020-04-10")
    assert code == 0 and confirmed["confirmed"] == 1 and confirmed["policy_number"] == "GP-7"
    code, again, _ = run(capsys, workspace, "enroll", "confirm", "--policy-no", "GP-7")
    assert code == 1 and again["error"]["code"] == "roster_already_confirmed"
    code, _, _ = run(capsys, workspace, "enroll", "confirm", numbers["林国华"], "--product", P, "--year", "2020",
                     "--policy-number", "GP-8", "--on", "2020-04-10")
    assert code == 0
    code, text, _ = run(capsys, workspace, "enroll", "show", str(gov.enrollment_id), json_out=False)
    assert "保险期间：2020-04-09 零时至 2021-04-08 二十四时" in text and "拨款 V1" in text
    assert "保费到账 2020-04-08" in text and "承保 2020-04-10" in text
    code, report, _ = run(capsys, workspace, "money", "reconcile", "--year", "2020")
    assert code == 0 and report["balanced"] is False  # the collector has not handed the cash up
    code, _, _ = run(capsys, workspace, "money", "hand-over", "--collector", "tester", "--amount", "100", "--year",
                     "2020", "--on", "2020-04-12")
    assert code == 0 and run(capsys, workspace, "money", "reconcile", "--year", "2020")[1]["balanced"] is True
