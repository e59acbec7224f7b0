"""fpdesk office / init --invite / sync: the contract (options, --json shapes, exit codes 0/1/2)."""

from __future__ import annotations

import json

from fpdesk.cli.main import main

IMPORT_KEYS = {"package", "from", "new", "updated", "unchanged", "conflicts", "duplicates", "held", "rejected"}


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if "--json" in args and out.strip() else out), err


def test_pair_exchange_conflict_and_refusals_through_the_cli(capsys, tmp_path, db_url):
    county, township = db_url, str(tmp_path / "township.sqlite3")
    invite = tmp_path / "城关乡.invite"
    assert run(capsys, "init", "--db", county, "--office-code", "350421", "--office-level", "county",
               "--office-name", "明溪县计生协")[0] == 0
    code, added, _ = run(capsys, "office", "add", "--db", county, "--code", "350421200", "--level", "township",
                         "--name", "城关乡计生协", "--out", str(invite), "--json")
    assert code == 0 and len(added["pairing_code"]) == 14 and invite.exists()
    code, text, _ = run(capsys, "office", "add", "--db", county, "--code", "350421201", "--level", "township",
                        "--name", "瀚仙镇计生协", "--out", str(tmp_path / "x.invite"))
    assert code == 0 and "配对码" in text

    # a wrong code is refused and sets nothing up; the right one joins
    code, refused, _ = run(capsys, "init", "--db", township, "--invite", str(invite), "--pairing-code",
                           "0000-0000-0000", "--json")
    assert code == 1 and refused["error"]["code"] == "pairing_code_wrong"
    code, joined, _ = run(capsys, "init", "--db", township, "--invite", str(invite), "--pairing-code",
                          added["pairing_code"], "--json")
    assert code == 0 and joined["office"]["code"] == "350421200"
    assert run(capsys, "init", "--db", township, "--invite", str(invite))[0] == 2

    mail = tmp_path / "usb"
    mail.mkdir()
    code, exported, _ = run(capsys, "sync", "export", "--db", township, "--to", "350421", "--out", str(mail), "--json")
    assert code == 0 and exported["package"] == "350421200-to-350421-000001.fpsync" and exported["bytes"] > 0
    package = mail / exported["package"]
    code, dry, _ = run(capsys, "sync", "import", str(package), "--dry-run", "--db", county, "--json")
    assert code == 0 and set(dry) == IMPORT_KEYS and dry["from"] == "350421200" and dry["new"] > 0
    code, applied, _ = run(capsys, "sync", "import", str(package), "--db", county, "--json")
    assert code == 0 and applied == dry
    code, again, _ = run(capsys, "sync", "import", str(package), "--db", county, "--json")
    assert code == 0 and again["new"] == 0 and again["unchanged"] > 0

    # the other way
    code, down, _ = run(capsys, "sync", "export", "--db", county, "--to", "350421200", "--out", str(mail), "--json")
    assert code == 0
    code, checked, _ = run(capsys, "sync", "import", str(mail / down["package"]), "--db", township, "--dry-run")
    assert code == 0 and "（来自明溪县计生协 350421）" in checked.splitlines()[0]  # by name, as a clerk knows it
    code, result, _ = run(capsys, "sync", "import", str(mail / down["package"]), "--db", township, "--json")
    assert code == 0 and result["from"] == "350421"

    # a damaged package: exit 1, a code, nothing changed
    damaged = tmp_path / "damaged.fpsync"
    data = bytearray(package.read_bytes())
    data[-5] ^= 0xFF
    damaged.write_bytes(bytes(data))
    code, refused, err = run(capsys, "sync", "import", str(damaged), "--db", county, "--json")
    assert code == 1 and refused["error"]["code"] == "package_corrupt"
    assert "Traceback" not in err

    code, offices, _ = run(capsys, "office", "list", "--db", county, "--json")
    assert code == 0 and {o["office_code"] for o in offices["offices"]} >= {"350421", "350421200", "350421201"}
    code, listing, _ = run(capsys, "sync", "conflicts", "--db", county, "--json")
    assert code == 0 and listing == {"conflicts": []}
    code, missing, _ = run(capsys, "sync", "resolve", "nope", "--take", "ours", "--db", county, "--json")
    assert code == 1 and missing["error"]["code"] == "conflict_not_found"

    code, revoked, _ = run(capsys, "office", "revoke", "--db", county, "--code", "350421200", "--json")
    assert code == 0 and revoked["revoked"][0]["office_code"] == "350421200"
    code, listed, _ = run(capsys, "office", "list", "--db", county, "--json")
    assert [o["status"] for o in listed["offices"] if o["office_code"] == "350421200"] == ["revoked"]
    code, later, _ = run(capsys, "sync", "export", "--db", township, "--to", "350421", "--out", str(mail), "--json")
    code, refused, _ = run(capsys, "sync", "import", later["path"], "--db", county, "--json")
    assert code == 1 and refused["error"]["code"] == "package_revoked_sender"
