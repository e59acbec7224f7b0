"""Under --lang en the CLI's own words are English: every help text, and what each command prints on a
real demo county (headers, summaries, confirmations). Chinese that is left is data: the names of
people, places and offices the database holds. The Chinese of the default stays as it was (the other
tests of tests/cli read it)."""

from __future__ import annotations

import argparse
import re
import shutil
import sqlite3

import pytest

from fpdesk.cli.main import build_parser, main
from fpdesk.core.language import set_language
from fpdesk.core.products import load_products

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


def _helps(parser: argparse.ArgumentParser, path: tuple[str, ...]):
    yield path, parser.format_help()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, nested in action.choices.items():
                yield from _helps(nested, (*path, name))


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_help_text_of_the_command_is_english(command):
    set_language("en")
    found = {" ".join(path): CJK.findall(text) for path, text in _helps(_commands()[command], (command,))}
    assert {path: words for path, words in found.items() if words} == {}


def test_the_help_of_every_command_is_chinese_by_default():
    chinese = {name: _helps(parser, (name,)) for name, parser in _commands().items()}
    assert all(CJK.search(text) for helps in chinese.values() for _, text in helps)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """A demo county (made once), and the Chinese its database holds: the data a text may show."""
    location = tmp_path_factory.mktemp("county") / "demo.sqlite3"
    assert main(["demo", "--db", str(location)]) == 0
    data = set()
    with sqlite3.connect(location) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            if table == "change_log" or table.startswith("person_number_fts"):
                continue
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                data.update(word for value in row if isinstance(value, str) for word in CJK.findall(value))
    for product in load_products().values():  # what the county's definitions name: data too
        data.update(word for value in (product.name_zh, product.insurer, *product.aliases) for word in CJK.findall(value))
    return location, frozenset(data)


@pytest.fixture
def office(county, tmp_path):
    """A copy of the demo county a command may change."""
    location = tmp_path / "office.sqlite3"
    shutil.copy(county[0], location)
    return str(location), county[1]


def english(capsys, *args) -> tuple[int, str]:
    code = main(["--lang", "en", *args])
    out, err = capsys.readouterr()
    return code, out + err


def not_data(text: str, data: frozenset[str]) -> list[str]:
    """The Chinese of ``text`` that is no datum (a datum may also stand inside a longer run: 罗翠村 in 城关乡罗翠村)."""
    return [word for word in CJK.findall(text)
            if word not in data and not any(word in datum for datum in data)]


HOLDER = "350421199403237577"  # whom the demo insures, handed up (its random data come from a fixed seed)
UNPAID = "350421197012260391"  # whose enrollment is registered, not paid

TEXTS = [
    ("products", "list"),
    ("products", "check"),
    ("products", "eligibility", "--product", "only_child_safety", "--birth-date", "2015-01-01", "--on", "2026-03-01",
     "--category", "only_child"),
    ("products", "folder"),
    ("report", "progress", "--year", "2026"),
    ("report", "stats", "--year", "2026"),
    ("audit", "verify"),
    ("audit", "show", "--entity", "nothing"),
    ("audit", "retention"),
    ("claims", "list"),
    ("divisions", "list"),
    ("divisions", "add", "--name", "新村", "--under", "350421200"),
    ("office", "list"),
    ("user", "list"),
    ("money", "allocations"),
    ("money", "reconcile", "--year", "2026"),
    ("money", "hand-over", "--collector", "村计生协会长", "--amount", "100", "--year", "2026"),
    ("enroll", "show", HOLDER),
    ("enroll", "pay", UNPAID, "--amount", "100"),
    ("products", "show", "fp_family_accident_100"),
    ("products", "show", "only_child_safety"),
    ("targets", "list", "--year", "2026"),
    ("targets", "set", "--year", "2026", "--product", "fp_family_accident_100", "--division", "350421200",
     "--households", "100"),
    ("sync", "conflicts"),
    ("sync", "duplicates"),
    ("consent", "list", HOLDER),
    ("backup", "--list"),
    ("eligible-list", "show"),
    ("stats",),
    ("search", "叶文杰"),
    ("check", "--year", "2026"),
    ("renew", "--from-year", "2025", "--to-year", "2026", "--dry-run", "--on", "2026-03-01"),
]


@pytest.mark.parametrize("args", TEXTS, ids=" ".join)
def test_what_the_command_prints_is_english_but_the_data(capsys, office, args):
    location, data = office
    code, text = english(capsys, *args, "--db", location)
    assert code == 0, text
    assert re.search(r"[A-Za-z]{3}", text)
    assert not_data(text, data | {"新村"}) == []  # the name typed in the command is data too


def test_a_claim_is_told_in_english(capsys, office):
    location, data = office
    code, text = english(capsys, "claims", "register", "--person", HOLDER, "--kind", "accidental_medical",
                         "--incident", "2026-06-01", "--claimed", "300", "--green-channel", "--db", location)
    assert code == 0 and "Documents: □Claim form" in text and not_data(text, data) == []
    code, text = english(capsys, "claims", "list", "--db", location)
    assert text.splitlines()[0].split("  ")[0] == "Claim no." and text.rstrip().endswith("1 claim")
    assert not_data(text, data) == []


def test_an_invitation_is_told_in_english(capsys, office, tmp_path):
    location, data = office
    code, text = english(capsys, "office", "add", "--code", "350421200", "--level", "township", "--name", "城关乡计生协",
                         "--out", str(tmp_path / "invite.fpinvite"), "--db", location)
    assert code == 0 and text.startswith("Invitation file for 城关乡计生协") and not_data(text, data | {"城关乡计生协"}) == []
    code, text = english(capsys, "office", "list", "--db", location)
    assert "Invited, not joined" in text and not_data(text, data | {"城关乡计生协"}) == []


@pytest.mark.parametrize("args", [
    ("roster", "export", "--year", "2026", "--for", "insurer", "--out", "{folder}/roster.xlsx"),
    ("roster", "template", "--product", "fp_family_accident_100", "--out", "{folder}/template.xlsx"),
    ("print", "receipts", "--year", "2026", "--out", "{folder}/receipts.pdf"),
], ids=lambda args: " ".join(args[:2]))
def test_what_a_command_writing_a_file_says_is_english(capsys, office, tmp_path, args):
    location, data = office
    code, text = english(capsys, *(arg.format(folder=tmp_path) for arg in args), "--db", location)
    assert code == 0 and re.match(r"(Exported|Import template|Made) ", text) and not_data(text, data) == []


def test_a_demo_a_backup_and_an_office_in_english(capsys, tmp_path, county):
    location = str(tmp_path / "demo.sqlite3")
    code, text = english(capsys, "demo", "--db", location)
    assert code == 0 and text.startswith("Demo data made: 182 households, 600 persons; policy year 2026: ")
    code, text = english(capsys, "backup", "--out", str(tmp_path / "copy.fpbak"), "--db", location)
    assert code == 0 and text.startswith("Backed up to ") and not_data(text, county[1]) == []
    code, text = english(capsys, "init", "--office-code", "350421200", "--db", str(tmp_path / "new.sqlite3"))
    assert code == 2 and text.startswith("Error: give --office-code, --office-level and --office-name")
    code, text = english(capsys, "init", "--office-code", "350421200", "--office-level", "township", "--office-name",
                         "城关乡计生协", "--db", str(tmp_path / "new.sqlite3"))
    assert code == 0 and text.startswith("This computer's office: 城关乡计生协 (350421200, Township)\nDatabase: ")


def test_an_enrollment_is_told_in_english(capsys, office):
    location, data = office
    code, text = english(capsys, "enroll", "hand-up", UNPAID, "--db", location)
    assert code == 1 and text.startswith("Error [hand_up_unpaid]: The family still owes ¥100.00") and not_data(text, data) == []
    english(capsys, "enroll", "pay", UNPAID, "--amount", "100", "--db", location)
    code, text = english(capsys, "enroll", "hand-up", UNPAID, "--db", location)
    lines = text.splitlines()
    assert code == 0 and lines[1].split("Status: ")[1] == "Handed up" and "Payer: Self-paid" in lines[2]
    assert not_data(text, data) == []
    code, text = english(capsys, "enroll", "--product", "fp_family_accident_100", "--db", location)
    assert code == 2 and text.startswith("Usage error: enrolling needs --product")


def test_a_user_is_told_in_english(capsys, office, monkeypatch):
    location, data = office
    monkeypatch.setenv("FPDESK_NEW_PASSWORD", "Zz9-long-enough-pass")
    code, text = english(capsys, "user", "add", "王芳", "--role", "admin", "--db", location)
    assert code == 0 and text.startswith("Added user 王芳 (administrator).\n\nRecovery code (")
    assert not_data(text, data | {"王芳"}) == []


def test_the_tables_head_their_columns_in_english(capsys, office):
    location, _ = office
    assert english(capsys, "divisions", "list", "--db", location)[1].split("\n")[0].split() == [
        "Name", "Code", "Kind", "Office", "computer"]
    progress = english(capsys, "report", "progress", "--year", "2026", "--db", location)[1].splitlines()
    assert progress[1].startswith("Rank  Township / village  Target  Last week  This week")
    assert progress[-2].split()[0] == "Total" and progress[-1] == "Lagging behind: none"


def test_the_same_commands_in_chinese_as_before(capsys, office):
    location, _ = office
    assert main(["divisions", "list", "--db", location]) == 0
    assert capsys.readouterr().out.splitlines()[0].split() == ["名称", "代码", "类别", "单位电脑"]
    assert main(["products", "list", "--db", location]) == 0
    assert capsys.readouterr().out.startswith("共 9 个险种：\n  beihai_aixin ")
    assert main(["audit", "verify", "--db", location]) == 0
    assert re.fullmatch(r"审计日志完好：\d+ 条修改记录的哈希链全部核对无误，数据表与日志一致。\n", capsys.readouterr().out)
    assert main(["report", "progress", "--year", "2026", "--db", location]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "进度落后：无"
    assert main(["office", "list", "--db", location]) == 0
    assert capsys.readouterr().out == "还没有登记任何交换单位。\n"
    assert main(["user", "list", "--db", location]) == 0
    assert capsys.readouterr().out.startswith("还没有用户（任何人都可操作；")
    assert main(["money", "reconcile", "--year", "2026", "--db", location]) == 0
    assert capsys.readouterr().out.splitlines()[:3] == ["2026年度对账", "现金（按收款人）：",
                                                        "收款人        收据  收款       退款   已上缴  未上缴"]
    assert main(["enroll", "show", HOLDER, "--db", location]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[0].startswith("参保记录 ") and shown[1].startswith("  产品：fp_family_accident_100    年度：2026    状态：已上报")


@pytest.mark.parametrize("args", [
    ("products", "list"), ("products", "show", "fp_family_accident_100"), ("report", "progress", "--year", "2026"),
    ("report", "stats", "--year", "2026"), ("audit", "verify"), ("claims", "list"), ("divisions", "list"),
    ("money", "reconcile", "--year", "2026"), ("enroll", "show", HOLDER), ("targets", "list", "--year", "2026"),
    ("user", "list"), ("enroll", "hand-up", UNPAID),
], ids=" ".join)
def test_the_json_and_the_exit_code_do_not_change_with_the_language(capsys, office, args):
    location, _ = office
    chinese = main([*args, "--json", "--db", location]), capsys.readouterr().out
    assert (main([*args, "--json", "--db", location, "--lang", "en"]), capsys.readouterr().out) == chinese
