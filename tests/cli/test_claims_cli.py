"""fpdesk claims show / list and a claim's medical free text (PIPL art. 28), in-process on both engines:
hidden from a viewer under the same JSON keys, shown to an administrator (and logged), and shown to
everyone in a database without user accounts."""

import datetime as dt
import json

import pytest

from fpdesk.cli.main import main
from fpdesk.services.trust.pi_masking import MEDICAL_HIDDEN
from tests.progress_builders import enroll_family, family, open_county

D = dt.date
DESCRIPTION = "骑车摔倒，左腿胫骨骨折"


@pytest.fixture
def claim(db_url):
    from fpdesk.services.enrollment import claims

    ws = open_county(db_url)
    household, (head, *_) = family(ws, "350421200201")
    enroll_family(ws, household, D(2026, 3, 1))
    claim_no = claims.register_claim(ws, person=head, kind="accidental_medical", incident_on=D(2026, 4, 2),
                                     description=DESCRIPTION, claimed_fen=500000, today=D(2026, 6, 30)).claim_no
    ws.close()
    return db_url, claim_no


def run(capsys, monkeypatch, user, *args):
    if user:
        monkeypatch.setenv("FPDESK_USER", user)
        monkeypatch.setenv("FPDESK_PASSWORD", f"{user}-password")
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out) if "--json" in args else out


def keys(value):
    """Every key path of a JSON document, list items merged."""
    if isinstance(value, dict):
        return {(k, *path) for k, v in value.items() for path in keys(v) or {()}}
    if isinstance(value, list):
        return set().union(*(keys(item) for item in value))
    return set()


def test_medical_text_hidden_from_a_viewer_under_the_same_keys(claim, capsys, monkeypatch):
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.trust import accounts

    db, ref = claim
    before = run(capsys, monkeypatch, None, "claims", "show", ref, "--db", db, "--json")["claim"]
    assert before["description"] == DESCRIPTION and before["timeline"][0]["note"] == DESCRIPTION
    assert DESCRIPTION in run(capsys, monkeypatch, None, "claims", "show", ref, "--db", db)

    ws = open_workspace(db)
    accounts.add_user(ws, name="boss", password="boss-password", role="admin")
    accounts.add_user(ws, name="look", password="look-password", role="viewer")
    ws.close()
    viewer = run(capsys, monkeypatch, "look", "claims", "show", ref, "--db", db, "--json")["claim"]
    assert viewer["description"] == viewer["timeline"][0]["note"] == MEDICAL_HIDDEN[0]
    assert (viewer["claimed_fen"], viewer["status"], viewer["incident_on"]) == (500000, "registered", "2026-04-02")
    text = run(capsys, monkeypatch, "look", "claims", "show", ref, "--db", db)
    assert "骨折" not in text and MEDICAL_HIDDEN[0] in text and "¥5,000.00" in text
    admin = run(capsys, monkeypatch, "boss", "claims", "show", ref, "--db", db, "--json")["claim"]
    assert admin["description"] == admin["timeline"][0]["note"] == DESCRIPTION
    assert keys(viewer) == keys(admin) == keys(before)  # only values are masked
    listed = {user: run(capsys, monkeypatch, user, "claims", "list", "--db", db, "--json") for user in ("look", "boss")}
    assert listed["look"] == listed["boss"] and "骨折" not in json.dumps(listed["look"], ensure_ascii=False)
    # the administrator's one full view is in the audit log; the viewer's masked ones are not
    audit = run(capsys, monkeypatch, "boss", "audit", "show", "--entity", "access", "--db", db, "--json")
    views = [e for e in audit["entries"] if e["operation"] == "view_pi"]
    assert [(e["author"], e["fields"]) for e in views] == [("boss", {"kind": "claim", "claim_no": ref})]
