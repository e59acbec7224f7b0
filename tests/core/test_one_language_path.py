"""One language path: only fpdesk/core/language.py decides between a Chinese and an English text.

The walk reads every module of the package and fails on a line that decides the language itself: a
comparison with a language code (``current_language() == "en"``, ``language == "zh"``), a
``.startswith("en")``, a call of the GUI's ``current_language()``, a choice by an ``english`` flag
(``x_en if self.english else x_zh``) or between codes (``"en" if … else "zh"``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import fpdesk
from fpdesk.core import language
from fpdesk.core.errors import DomainError
from fpdesk.core.vocabulary import Sex

PACKAGE = Path(fpdesk.__file__).parent
HELPER = PACKAGE / "core" / "language.py"
CODES = {"en", "zh", "zh_CN", "zh-CN", "en_US", "en-US", "english", "chinese"}


def _code(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in CODES


def _named(node: ast.AST, *names: str) -> bool:
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    return (getattr(node, "id", None) or getattr(node, "attr", None)) in names


def inline_choices(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(_code(side) for side in [node.left, *node.comparators]):
            found.append((node.lineno, "compares a language code"))
        elif (isinstance(node, ast.Call) and _named(node.func, "startswith", "endswith")
              and any(_code(arg) for arg in node.args)):
            found.append((node.lineno, "tests the start of a language code"))
        elif isinstance(node, ast.Call) and _named(node.func, "current_language"):
            found.append((node.lineno, "asks current_language() (use fpdesk.core.language)"))
        elif isinstance(node, ast.IfExp) and (_named(node.test, "english") or (_code(node.body) and _code(node.orelse))):
            found.append((node.lineno, "chooses a text inline (use pick)"))
    return found


def test_no_module_chooses_the_language_itself():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == HELPER:
            continue
        for line, why in inline_choices(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {why}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("source", [
    'english = current_language() == "en"',
    'x = a if language.startswith("en") else b',
    'x = item.label_en if self.english else item.label_zh',
    'code = "en" if flag else "zh"',
    'if language != "zh_CN": pass',
])
def test_the_walk_sees_each_way_of_choosing_inline(source):
    assert inline_choices(source)


def test_the_walk_lets_the_helper_through():
    assert not inline_choices("text = pick(item.label_zh, item.label_en)\nlabel = Sex.FEMALE.label(current())")


@pytest.fixture
def restore_language():
    before = language.current()
    yield
    language.set_language(before)


def test_one_setting_moves_every_pair(restore_language):
    error = DomainError("household_not_found")
    assert (language.current(), error.message(language.current()), Sex.FEMALE.label(language.current())) == (
        "zh", "找不到这个家庭户记录。", "女")
    language.set_language("en_US.UTF-8")
    assert (language.current(), error.message(language.current()), Sex.FEMALE.label(language.current())) == (
        "en", "That household record was not found.", "Female")
    assert language.pick("是", "yes") == "yes" and language.text(("是", "yes"), "zh_CN") == "是"


@pytest.mark.parametrize(("spelling", "meant"), [
    ("zh_CN", "zh"), ("zh-Hans", "zh"), ("Chinese (Simplified)_China.936", "zh"), ("en", "en"),
    ("English_United States.1252", "en"), ("en_GB.UTF-8", "en"), ("fr_FR", None), ("", None), (None, None)])
def test_spellings_of_a_language(spelling, meant):
    assert language.normalise(spelling) == meant


def test_an_unknown_language_means_chinese(restore_language):
    assert language.set_language("fr_FR") == "zh"
