"""The fpdesk command line is a contract: sub-commands, --json shapes and exit codes."""

import json
import subprocess
import sys

import pytest


def fpdesk(*args, env_db=None):
    env = None
    if env_db:
        import os

        env = dict(os.environ, FPDESK_DB=env_db)
    return subprocess.run([sys.executable, "-m", "fpdesk", *args], capture_output=True, text=True, timeout=300,
                          env=env)


def test_version_and_help_do_not_import_qt_or_sqlalchemy():
    code = ("import sys; from fpdesk.launcher import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "bad = [m for m in ('PySide6', 'sqlalchemy', 'openpyxl', 'reportlab') if m in sys.modules]\n"
            "print(bad)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().endswith("[]"), result.stdout
    version = fpdesk("--version")
    assert version.returncode == 0 and version.stdout.startswith("fpdesk ")


def test_init_stats_search_round_trip(tmp_path):
    db = str(tmp_path / "v.sqlite3")
    result = fpdesk("init", "--db", db, "--office-code", "350421200", "--office-level", "township",
                    "--office-name", "城关乡计生协", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["office"]["code"] == "350421200"
    again = fpdesk("init", "--db", db, "--office-code", "350421200", "--office-level", "township",
                   "--office-name", "城关乡计生协", "--json")
    assert again.returncode == 1
    assert json.loads(again.stdout)["error"]["code"] == "db_already_initialised"
    assert "Traceback" not in again.stderr and "已经设置" in again.stderr
    stats = fpdesk("stats", "--db", db, "--json")
    assert stats.returncode == 0 and json.loads(stats.stdout)["total"] == {"households": 0, "persons": 0}


def test_demo_then_stats_and_search(tmp_path):
    db = str(tmp_path / "demo.sqlite3")
    demo = fpdesk("demo", "--scale", "village", "--seed", "4", "--json", env_db=db)  # FPDESK_DB honoured
    assert demo.returncode == 0, demo.stderr
    summary = json.loads(demo.stdout)
    assert 550 <= summary["persons"] <= 650
    stats = json.loads(fpdesk("stats", "--json", env_db=db).stdout)
    assert stats["total"]["persons"] == summary["persons"]
    assert stats["townships"][0]["villages"][0]["persons"] > 0
    first_name = fpdesk("search", "--db", db, "林", "--json")
    payload = json.loads(first_name.stdout)
    assert first_name.returncode == 0 and payload["count"] > 0
    assert all(r["name"].startswith("林") for r in payload["results"])
    assert all("********" in r["id_number"] for r in payload["results"])  # masked unless --full-id
    text = fpdesk("search", "--db", db, "林")
    assert "找到" in text.stdout


@pytest.mark.parametrize("args", [
    ["init", "--office-code", "350421200", "--office-level", "province", "--office-name", "x"],
    ["demo", "--scale", "planet"],
    ["no-such-command"],
])
def test_usage_errors_exit_2(tmp_path, args):
    result = fpdesk(*args, "--db", str(tmp_path / "u.sqlite3"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("args", "code"), [
    (["init", "--office-code", "3504212", "--office-level", "village", "--office-name", "x"], "office_code_format"),
    # a wrong code and no name: the code, the form's first field, is the one said
    (["init", "--office-code", "3504212", "--office-level", "village", "--office-name", " "], "office_code_format"),
    (["stats", "--db", "mysql://nobody@127.0.0.1/none"], "db_unreachable"),
    (["demo", "--persons", "0"], "bad_argument"),
    (["stats", "--db", "postgresql+psycopg://nobody:x@127.0.0.1:1/none?connect_timeout=2"], "db_unreachable"),
])
def test_refusals_exit_1_with_a_code(tmp_path, args, code):
    if "--db" not in args:
        args = [*args, "--db", str(tmp_path / "r.sqlite3")]
    result = fpdesk(*args, "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["error"]["code"] == code
    assert "Traceback" not in result.stderr


def test_every_command_is_recognised_by_the_launcher():
    """A sub-command the launcher does not know would open the GUI instead of running."""
    from fpdesk.cli.main import command_names

    names = command_names()
    for command in ("init", "demo", "stats", "search", "products", "enroll", "renew", "check", "eligible-list"):
        assert command in names
        assert fpdesk(command, "--help").returncode == 0


def test_every_command_name_has_the_shape_the_launcher_looks_for():
    """The launcher loads the command names only for an argument shaped like one (the window's
    start-up does without them): a name of another shape would open the window instead of running."""
    from fpdesk.cli.main import command_names
    from fpdesk.launcher import could_name_a_command

    assert all(could_name_a_command(name) for name in command_names())
    assert not any(could_name_a_command(a) for a in ("--db", "/tmp/a.sqlite3", "postgresql://u@h/db", "--demo",
                                                     "C:\\fpdesk\\data.sqlite3", "--lang", "-h", "数据.sqlite3"))
    assert could_name_a_command("eligible-list") and could_name_a_command("stats")
