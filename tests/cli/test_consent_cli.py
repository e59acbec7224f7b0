"""fpdesk consent: consent to the processing of a person's information, recorded with date and by
whom, a guardian's for a child under 14; withdrawn; listed; every step in the audit log."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import Relation
from fpdesk.services.opening import open_workspace
from fpdesk.services.registry.households import register_household
from fpdesk.services.workspace import add_division, init_office

TODAY = dt.date.today()
PARENT = make_number("350421", dt.date(1985, 3, 1), 11)
CHILD = make_number("350421", TODAY.replace(year=TODAY.year - 6) - dt.timedelta(days=30), 12)


def fpdesk(*args: str):
    return subprocess.run([sys.executable, "-m", "fpdesk", *args], capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def db(tmp_path):
    location = str(tmp_path / "fpdesk.sqlite3")
    ws = open_workspace(location)
    init_office(ws, code="350421200", level="township", name="城关乡计生协")
    add_division(ws, code="350421200201", name="罗翠村", code_year=2024)
    register_household(ws, HouseholdDraft(division_code="350421200201", address="1组1号"), [
        PersonDraft("张建国", PARENT, Relation.HEAD), PersonDraft("张小明", CHILD, Relation.SON)], today=TODAY)
    ws.close()
    return location


def test_consent_recorded_guarded_for_children_withdrawn_and_listed(db):
    done = fpdesk("consent", "record", PARENT, "--by", "张建国", "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    given = json.loads(done.stdout)["consent"]
    assert given["given_by"] == "张建国" and not given["guardian"] and given["given_on"] == TODAY.isoformat()

    refused = fpdesk("consent", "record", CHILD, "--by", "张小明", "--db", db, "--json")
    assert refused.returncode == 1
    assert json.loads(refused.stdout)["error"]["code"] == "consent_guardian_required"
    assert fpdesk("consent", "record", CHILD, "--by", "张建国", "--guardian", "--db", db).returncode == 0

    assert fpdesk("consent", "withdraw", given["id"], "--db", db).returncode == 0
    listed = json.loads(fpdesk("consent", "list", PARENT, "--db", db, "--json").stdout)
    assert [(c["given_by"], c["withdrawn_on"]) for c in listed["consents"]] == [("张建国", TODAY.isoformat())]
    missing = fpdesk("consent", "list", "350421199001010000", "--db", db, "--json")
    assert missing.returncode == 1 and json.loads(missing.stdout)["error"]["code"] == "person_not_found"
    assert "校验位不对" in json.loads(missing.stdout)["error"]["message"]  # why no record can have this number

    audit = json.loads(fpdesk("audit", "show", "--entity", "consent", "--db", db, "--json").stdout)
    assert audit["count"] == 3  # two consents recorded, one withdrawn
    assert fpdesk("audit", "verify", "--db", db).returncode == 0
