"""The CLI speaks the user's language: --lang, FPDESK_LANG, the GUI's setting, an English locale; else
Chinese. The words change, the --json output and the exit codes do not."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from fpdesk.cli.language import choose_language
from fpdesk.cli.main import main

INIT = ["init", "--office-code", "350421200", "--office-level", "township", "--office-name", "城关乡计生协"]
ZH_REFUSAL = "错误 [db_already_initialised]：这个数据库已经设置为“城关乡计生协”（350421200）。"
EN_REFUSAL = "Error [db_already_initialised]: This database is already set up as '城关乡计生协' (350421200)."


def fpdesk(*args, encoding="utf-8", **environment):
    env = {key: value for key, value in os.environ.items() if key not in ("LC_ALL", "LC_MESSAGES", "FPDESK_LANG")}
    env.update(environment, PYTHONIOENCODING=encoding)
    done = subprocess.run([sys.executable, "-m", "fpdesk", *args], capture_output=True, timeout=300, env=env)
    return done.returncode, done.stdout.decode(encoding), done.stderr.decode(encoding)


@pytest.fixture
def office(tmp_path):
    location = str(tmp_path / "office.sqlite3")
    assert fpdesk(*INIT, "--db", location, FPDESK_LANG="zh")[0] == 0
    return location


def test_the_same_refusal_in_chinese_and_in_english(office):
    assert fpdesk(*INIT, "--db", office, FPDESK_LANG="zh") == (1, "", ZH_REFUSAL + "\n")
    assert fpdesk(*INIT, "--db", office, "--lang", "en", FPDESK_LANG="zh") == (1, "", EN_REFUSAL + "\n")
    assert fpdesk("--lang", "en", *INIT, "--db", office) == (1, "", EN_REFUSAL + "\n")
    assert fpdesk(*INIT, "--db", office, FPDESK_LANG="en") == (1, "", EN_REFUSAL + "\n")
    assert fpdesk(*INIT, "--db", office, "--lang", "zh", FPDESK_LANG="en") == (1, "", ZH_REFUSAL + "\n")


def test_a_gbk_console_reads_the_refusal_in_either_language(office):
    """A Chinese Windows console (code page 936): the Chinese refusal arrives whole in GBK."""
    assert fpdesk(*INIT, "--db", office, encoding="gbk", FPDESK_LANG="zh") == (1, "", ZH_REFUSAL + "\n")
    assert fpdesk(*INIT, "--db", office, "--lang", "en", encoding="gbk") == (1, "", EN_REFUSAL + "\n")


def test_json_and_exit_codes_do_not_change_with_the_language(office):
    chinese = fpdesk(*INIT, "--db", office, "--json", FPDESK_LANG="zh")
    english = fpdesk(*INIT, "--db", office, "--json", FPDESK_LANG="en")
    assert chinese[:2] == english[:2] and chinese[0] == 1
    assert json.loads(english[1])["error"] == {
        "code": "db_already_initialised", "message": "这个数据库已经设置为“城关乡计生协”（350421200）。",
        "message_en": "This database is already set up as '城关乡计生协' (350421200)."}


def test_the_main_function_in_english_and_chinese(office, capsys):
    assert main([*INIT, "--db", office, "--lang", "en"]) == 1
    assert capsys.readouterr().err == EN_REFUSAL + "\n"
    assert main([*INIT, "--db", office]) == 1
    assert capsys.readouterr().err == ZH_REFUSAL + "\n"


def test_a_checked_argument_is_said_in_english_whole(capsys):
    assert main(["--lang", "en", "report", "progress", "--year", "3000"]) == 1
    assert capsys.readouterr().err == ("Error [bad_argument]: Bad argument: --year 3000: the policy year is between"
                                       " 1950 and 2100\n")


def test_the_help_of_the_commands_in_english(capsys):
    assert main(["--lang", "en", "--help"]) == 0
    english = capsys.readouterr().out
    assert main(["--help"]) == 0
    chinese = capsys.readouterr().out
    assert "set up this office" in english and "设置本机单位" not in english
    assert "设置本机单位" in chinese and "set up this office" not in chinese


def test_a_language_the_cli_does_not_speak_is_a_usage_error(capsys):
    assert main(["--lang", "fr", "stats"]) == 2


@pytest.fixture
def machine(monkeypatch, tmp_path):
    """No --lang, no FPDESK_LANG, no GUI setting, and a locale the test sets."""
    for name in ("FPDESK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path / "config"


@pytest.mark.parametrize(("locale", "language"), [
    ("zh_CN.UTF-8", "zh"), ("C.UTF-8", "zh"), ("POSIX", "zh"), ("fr_FR.UTF-8", "zh"), ("en_US.UTF-8", "en"),
    ("en_GB", "en")])
def test_the_locale_decides_last_and_only_english_leaves_chinese(machine, monkeypatch, locale, language):
    monkeypatch.setenv("LANG", locale)
    assert choose_language(["stats"]) == language


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the GUI keeps its settings elsewhere there")
def test_the_guis_setting_beats_the_locale_and_loses_to_the_environment(machine, monkeypatch):
    (machine / "fpdesk").mkdir(parents=True)
    (machine / "fpdesk" / "fpdesk.conf").write_text("[ui]\nlanguage=en\n", encoding="utf-8")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert choose_language(["stats"]) == "en"
    monkeypatch.setenv("FPDESK_LANG", "zh")
    assert choose_language(["stats"]) == "zh"
    assert choose_language(["stats", "--lang=en"]) == "en"


def test_a_table_in_either_language_and_the_same_json(office, capsys):
    assert main(["stats", "--db", office, "--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines()[0].split() == ["Division", "Code", "Households", "Persons"]
    assert main(["stats", "--db", office]) == 0
    assert capsys.readouterr().out.splitlines()[0].split() == ["区划", "代码", "户数", "人数"]
    assert main(["stats", "--db", office, "--json", "--lang", "en"]) == 0
    english = capsys.readouterr().out
    assert main(["stats", "--db", office, "--json"]) == 0
    assert capsys.readouterr().out == english
