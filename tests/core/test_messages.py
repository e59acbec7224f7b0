"""Every error code the source raises is declared, with both texts, before anything is imported.

The codes and their Chinese and English texts live in one table per top-level package
(``fpdesk.core.errors.TABLES``); ``DomainError`` loads them itself. These tests read the source
(not the running program) so that a code is checked even where no test reaches its raise: they
collect every literal code handed to ``DomainError`` or to a helper that builds one, and the
params passed with it, then raise each code and render both texts.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import string
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import fpdesk
from fpdesk.core.errors import MESSAGES, DomainError

SOURCE = Path(fpdesk.__file__).parent  # the tree under test, wherever fpdesk was imported from
CJK = re.compile(r"[\u4e00-\u9fff]")

# Helpers that keep a code to raise later rather than passing it straight to DomainError, so the
# source walk cannot follow them: Class.method -> the position and name of the code parameter.
STORED_CODES = {"_Check.add": (0, "code")}  # the coverage check's findings, rendered in findings()


# -- reading the source ------------------------------------------------------------------------------

@dataclass
class Taker:
    """A callable that turns its code argument into a DomainError, and what the params will hold.

    params: ("dict", position, name) for DomainError itself; ("kwargs", own names, added keys) when
    the call's keywords become the params; ("fixed", keys); None when the source does not say."""

    position: int | None
    name: str
    params: tuple | None


class Module:
    def __init__(self, name: str, tree: ast.Module) -> None:
        self.name, self.tree = name, tree
        self.classes: dict[str, dict[str, ast.FunctionDef]] = {}
        self.constants: dict[str, str] = {}
        self.imports: dict[str, tuple[str, str | None]] = {}
        self.functions: list[tuple[ast.FunctionDef, str | None]] = []  # with their class, nested ones too
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                self.classes[node.name] = {m.name: m for m in node.body if isinstance(m, ast.FunctionDef)}
            elif isinstance(node, ast.Assign | ast.AnnAssign) and _is_text(node.value):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Name):
                        self.constants[target.id] = node.value.value
        self.calls: list[tuple[ast.Call, ast.FunctionDef | None, str | None]] = []  # with where they are
        self._collect(tree, None, None)
        self.function_names = {fn.name for fn, cls in self.functions if cls is None}
        self.all_function_names = {fn.name for fn, _ in self.functions}

    def _collect(self, node: ast.AST, fn: ast.FunctionDef | None, cls: str | None) -> None:
        """One pass over the tree: functions, imports (inside functions too) and calls."""
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                self._collect(child, fn, child.name)
                continue
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions.append((child, cls))
                self._collect(child, child, cls)
                continue
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                for alias in child.names:
                    self.imports[alias.asname or alias.name] = (child.module, alias.name)
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    self.imports[alias.asname or alias.name] = (alias.name, None)
            elif isinstance(child, ast.Call):
                self.calls.append((child, fn, cls))
            self._collect(child, fn, cls)

    def key(self, fn: ast.FunctionDef, cls: str | None) -> tuple[str, str]:
        if cls is not None and self.classes.get(cls, {}).get(fn.name) is fn:
            return self.name, f"{cls}.{fn.name}"
        return self.name, fn.name


def _is_text(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _params(fn: ast.FunctionDef) -> tuple[list[str], int]:
    """The parameter names (self and cls left out) and how many of them may be given by position."""
    positional = [a.arg for a in fn.args.posonlyargs + fn.args.args]
    if positional and positional[0] in ("self", "cls"):
        positional = positional[1:]
    return positional + [a.arg for a in fn.args.kwonlyargs], len(positional)


def _argument(call: ast.Call, position: int | None, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return call.args[position] if position is not None and position < len(call.args) else None


class Source:
    """Every module of the fpdesk tree, the code takers found in it and the sites calling them."""

    def __init__(self, root: Path) -> None:
        self.modules: dict[str, Module] = {}
        for path in sorted(root.rglob("*.py")):
            parts = path.relative_to(root.parent).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            self.modules[name] = Module(name, ast.parse(path.read_text(encoding="utf-8"), str(path)))
        self.takers: dict[object, Taker] = {"DomainError": Taker(0, "code", ("dict", 1, "params"))}
        for module in self.modules.values():
            for cls, methods in module.classes.items():
                for method in (f"{cls}.{name}" for name in methods):
                    if method in STORED_CODES:
                        self.takers[(module.name, method)] = Taker(*STORED_CODES[method], None)
        gone = set(STORED_CODES) - {key[1] for key in self.takers if isinstance(key, tuple)}
        assert not gone, f"STORED_CODES names a method that is gone: {gone}"
        self._find_takers()

    def target(self, module: Module, cls: str | None, call: ast.Call) -> object | None:
        function = call.func
        name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)
        if name == "DomainError":
            return "DomainError"
        if isinstance(function, ast.Name):
            if function.id in module.all_function_names:
                return module.name, function.id
            origin, attribute = module.imports.get(function.id, ("", None))
            if origin in self.modules and attribute in self.modules[origin].function_names:
                return origin, attribute
            return None
        if not (isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name)):
            return None
        base = function.value.id
        if base in ("self", "cls") and cls is not None and function.attr in module.classes.get(cls, {}):
            return module.name, f"{cls}.{function.attr}"
        if base in module.imports:
            origin, attribute = module.imports[base]
            full = f"{origin}.{attribute}" if attribute else origin
            if full in self.modules and function.attr in self.modules[full].function_names:
                return full, function.attr
        owners = [c for c, methods in module.classes.items() if function.attr in methods]
        return (module.name, f"{owners[0]}.{function.attr}") if len(owners) == 1 else None

    def _find_takers(self) -> None:
        """A function handing one of its parameters to a taker as the code is a taker too."""
        by_function: dict[int, list] = {}
        for module in self.modules.values():
            for call, fn, cls in module.calls:
                if fn is not None:
                    by_function.setdefault(id(fn), []).append((call, self.target(module, cls, call)))
        calls = [(module, fn, cls, by_function.get(id(fn), []))
                 for module in self.modules.values() for fn, cls in module.functions]
        changed = True
        while changed:
            changed = False
            for module, fn, cls, targets in calls:
                key = module.key(fn, cls)
                if key in self.takers:
                    continue
                names, positional = _params(fn)
                for call, target in targets:
                    if (taker := self.takers.get(target)) is None:
                        continue
                    code = _argument(call, taker.position, taker.name)
                    if isinstance(code, ast.Name) and code.id in names:
                        index = names.index(code.id)
                        self.takers[key] = Taker(index if index < positional else None, code.id,
                                                 self._passed_on(fn, call, taker))
                        changed = True
                        break

    def _passed_on(self, fn: ast.FunctionDef, call: ast.Call, taker: Taker) -> tuple | None:
        """How a new taker's own call fills the params: from its keywords, fixed, or unknown."""
        own = set(_params(fn)[0])
        kwargs = fn.args.kwarg.arg if fn.args.kwarg else None
        if taker.params is None:
            return None
        if taker.params[0] == "fixed":
            return taker.params
        if taker.params[0] == "dict":
            given = _argument(call, taker.params[1], taker.params[2])
            if given is None:
                return "fixed", frozenset()
            if isinstance(given, ast.Name) and given.id == kwargs:
                return "kwargs", own, frozenset()
            keys = self._dict_keys(given, fn, allow=kwargs)
            if keys is None:
                return None
            return ("kwargs", own, keys) if _spreads(given, kwargs) else ("fixed", keys)
        keys = self._keyword_keys(call, taker, fn, allow=kwargs)
        if keys is None:
            return None
        passes_own = any(k.arg is None and isinstance(k.value, ast.Name) and k.value.id == kwargs
                         for k in call.keywords)
        return ("kwargs", own, keys) if passes_own else ("fixed", keys)

    def _dict_keys(self, node: ast.expr, fn: ast.FunctionDef | None, allow: str | None = None):
        """The keys of a dict display (its ** spreads of local dict displays included), else None."""
        if not isinstance(node, ast.Dict):
            return None
        keys: set[str] = set()
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                if isinstance(value, ast.Name) and value.id == allow:
                    continue
                spread = self._local_dict(value, fn)
                if spread is None:
                    return None
                keys |= spread
            elif _is_text(key):
                keys.add(key.value)
            else:
                return None
        return frozenset(keys)

    def _local_dict(self, node: ast.expr, fn: ast.FunctionDef | None):
        if fn is None or not isinstance(node, ast.Name):
            return None
        values = [a.value for a in ast.walk(fn) if isinstance(a, ast.Assign)
                  and any(isinstance(t, ast.Name) and t.id == node.id for t in a.targets)]
        return self._dict_keys(values[0], fn) if len(values) == 1 else None

    def _keyword_keys(self, call: ast.Call, taker: Taker, fn: ast.FunctionDef | None,
                      allow: str | None = None):
        """The params a call to a keywords taker gives: its keywords, less the taker's own names."""
        _, own, added = taker.params
        keys = set(added)
        for keyword in call.keywords:
            if keyword.arg is not None:
                if keyword.arg not in own:
                    keys.add(keyword.arg)
            elif not (isinstance(keyword.value, ast.Name) and keyword.value.id == allow):
                spread = self._local_dict(keyword.value, fn)
                if spread is None:
                    return None
                keys |= spread
        return frozenset(keys)

    # -- the sites ----------------------------------------------------------------------------------

    def sites(self) -> list[tuple[str, frozenset[str], frozenset[str] | None]]:
        """(where, the codes it may raise, the params it passes or None) for every call to a taker."""
        found = []
        for module in self.modules.values():
            for call, fn, cls in module.calls:
                taker = self.takers.get(self.target(module, cls, call))
                if taker is not None:
                    codes = self._codes(_argument(call, taker.position, taker.name), fn, module)
                    found.append((f"{module.name}:{call.lineno}", frozenset(codes),
                                  self._site_params(call, taker, fn)))
        return found

    def _site_params(self, call: ast.Call, taker: Taker, fn) -> frozenset[str] | None:
        if taker.params is None or any(isinstance(a, ast.Starred) for a in call.args):
            return None
        if taker.params[0] == "fixed":
            return taker.params[1]
        if taker.params[0] == "dict":
            given = _argument(call, taker.params[1], taker.params[2])
            return frozenset() if given is None else self._dict_keys(given, fn)
        return self._keyword_keys(call, taker, fn)

    def _codes(self, node: ast.expr | None, fn, module: Module) -> set[str]:
        """The literal codes an argument can be: a literal, a module's constant, or a local assigned one."""
        if node is None:
            return set()
        if _is_text(node):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self._codes(node.body, fn, module) | self._codes(node.orelse, fn, module)
        if isinstance(node, ast.Starred):  # DomainError(*outcome): outcome = (code, params)
            tuples = [value for value in self._assigned(node.value, fn) if isinstance(value, ast.Tuple)]
            return {code for value in tuples if value.elts for code in self._codes(value.elts[0], fn, module)}
        if not isinstance(node, ast.Name):
            return set()  # an existing error's code raised again, or a code kept in data
        if fn is not None and node.id in _params(fn)[0]:
            return set()  # the callers' literals are collected at their calls
        assigned = self._assigned(node, fn)
        if assigned:
            codes: set[str] = set()
            for value in assigned:
                if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                        and value.func.attr == "get" and isinstance(value.func.value, ast.Dict):
                    for option in [*value.func.value.values, *value.args[1:]]:  # {kind: code}.get(k, code)
                        codes |= self._codes(option, fn, module)
                else:
                    codes |= self._codes(value, fn, module)
            return codes
        if node.id in module.constants:
            return {module.constants[node.id]}
        origin, attribute = module.imports.get(node.id, ("", None))
        if origin in self.modules and attribute in self.modules[origin].constants:
            return {self.modules[origin].constants[attribute]}
        return set()

    @staticmethod
    def _assigned(name: ast.Name, fn) -> list[ast.expr]:
        """The values assigned to a local name in a function (``a, b = x, y`` read element-wise)."""
        if fn is None:
            return []
        values = []
        for node in ast.walk(fn):
            if not isinstance(node, ast.Assign):
                continue
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name.id:
                    values.append(node.value)
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    values += [value for element, value in zip(target.elts, node.value.elts, strict=False)
                               if isinstance(element, ast.Name) and element.id == name.id]
        return values


def _spreads(node: ast.Dict, name: str | None) -> bool:
    return any(k is None and isinstance(v, ast.Name) and v.id == name for k, v in zip(node.keys, node.values,
                                                                                        strict=True))


@pytest.fixture(scope="module")
def source() -> Source:
    return Source(SOURCE)


@pytest.fixture(scope="module")
def sites(source: Source):
    return source.sites()


# -- the texts -----------------------------------------------------------------------------------------

def _fields(template: str) -> set[str]:
    return {re.split(r"[.\[]", name)[0] for _, name, _, _ in string.Formatter().parse(template) if name}


class _AnyValue:
    """Stands for any param: formats under any spec, has every attribute and item."""

    def __format__(self, spec: str) -> str:
        return "x"

    def __getattr__(self, name: str) -> _AnyValue:
        return self

    def __getitem__(self, key: object) -> _AnyValue:
        return self


def test_the_source_walk_finds_the_codes_however_they_are_passed(sites) -> None:
    codes = set().union(*(c for _, c, _ in sites))
    assert len(codes) > 200
    # a literal; a module constant (DEFINITION_ERROR); DomainError(*outcome); {kind: code}.get(…, code);
    # a helper's parameter (make_reason, file_issue, _load); a stored finding
    assert {"date_in_future", "product_definition_invalid", "form_definition_invalid", "account_locked",
            "target_rate_bad", "target_negative", "age_below_min", "household_not_found",
            "not_renewed"} <= codes


def test_every_code_the_source_raises_has_a_chinese_and_an_english_text(sites) -> None:
    problems = []
    for where, codes, _ in sites:
        for code in sorted(codes):
            try:
                error = DomainError(code, {})
            except KeyError:
                problems.append(f"{where}: {code} has no texts")
                continue
            zh, en = error.message_zh, error.message_en
            only_fields = not re.sub(r"\{[^}]*\}", "", MESSAGES[code][0]).strip()
            if not (zh.strip() and en.strip() and zh != en and (CJK.search(zh) or only_fields)):
                problems.append(f"{where}: {code} needs both a Chinese and an English text ({zh!r}, {en!r})")
    assert not problems, "\n".join(problems)


def _defaults() -> dict[str, dict[str, str]]:
    from fpdesk.core import errors

    assert "id_empty" in errors.MESSAGES  # the defaults are loaded with the tables
    return errors.MESSAGE_DEFAULTS


def test_the_params_the_source_passes_fill_both_texts(sites) -> None:
    problems, checked = [], 0
    for where, codes, params in sites:
        if params is None:
            continue
        for code in sorted(codes & set(MESSAGES)):
            given = {key: _AnyValue() for key in params | set(_defaults().get(code, {}))}
            # A detail given in one language only fills its _en field too (errors._Lenient).
            given |= {key + "_en": given[key] for key in list(given)}
            for template in MESSAGES[code]:
                checked += 1
                try:
                    template.format(**given)
                except (KeyError, IndexError, ValueError) as error:
                    problems.append(f"{where}: {code} {template!r} lacks {error} (passed: {sorted(params)})")
    assert checked > 300
    assert not problems, "\n".join(problems)


def test_every_declared_text_is_a_template() -> None:
    for code, texts in MESSAGES.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", code), code
        assert isinstance(texts, tuple) and len(texts) == 2, code
        assert all(isinstance(text, str) and text.strip() for text in texts), code
        for template in texts:
            _fields(template)  # raises on a broken brace


# -- where the texts are declared ----------------------------------------------------------------------

def test_the_tables_are_one_per_top_level_package_and_data_only() -> None:
    from fpdesk.core.errors import TABLES

    on_disk = {".".join(path.relative_to(SOURCE.parent).with_suffix("").parts)
               for path in SOURCE.rglob("messages.py")}
    assert on_disk == set(TABLES), "a messages table sits in a sub-package or is missing from errors.TABLES"
    for name in TABLES:
        tree = ast.parse((SOURCE.parent / (name.replace(".", "/") + ".py")).read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            assert isinstance(node, ast.Assign | ast.AnnAssign) or (
                isinstance(node, ast.Expr) and _is_text(node.value)), f"{name}:{node.lineno} is not data"
    tables = [importlib.import_module(name) for name in TABLES]
    declared = {code: texts for table in tables for code, texts in table.MESSAGES.items()}
    assert dict(MESSAGES.items()) == declared
    assert sum(len(table.MESSAGES) for table in tables) == len(MESSAGES), "a code is declared twice"


def test_no_module_outside_the_tables_declares_messages(source: Source) -> None:
    """A code declared beside its raise (the old register_messages) is known only once that module
    is imported: move it into the messages table of its package."""
    found = []
    for name, module in source.modules.items():
        if re.fullmatch(r"fpdesk\.\w+\.messages", name) or name == "fpdesk.core.errors":
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call):
                called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
                if called == "register_messages" or (_names_a_table(receiver) and called in (
                        "update", "setdefault", "__setitem__", "pop", "clear")):
                    found.append(f"{name}:{node.lineno}")
            elif isinstance(node, ast.Assign | ast.AugAssign | ast.Delete):
                targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
                found += [f"{name}:{node.lineno}" for t in targets
                          if isinstance(t, ast.Subscript) and _names_a_table(t.value)]
    assert not found, "messages declared outside fpdesk/<package>/messages.py:\n" + "\n".join(found)


def _names_a_table(node: ast.AST | None) -> bool:
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
    return name in ("MESSAGES", "MESSAGE_DEFAULTS")


def _run(code: str) -> dict:
    environment = {**os.environ, "PYTHONPATH": str(SOURCE.parent), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_service_imported_alone_knows_the_codes_it_raises() -> None:
    """The future-date check of enrollment status changes with nothing else imported: its code is
    one the enrollment module raises too, and that module is not imported here."""
    raised = _run("""
import datetime as dt, json, sys, uuid
from fpdesk.core.errors import DomainError
import fpdesk.services.enrollment.status as status
assert "fpdesk.services.enrollment.enrolling" not in sys.modules
try:
    status.cancel(None, uuid.uuid4(), reason="重复登记", on=dt.date(2030, 1, 2), today=dt.date(2030, 1, 1))
except DomainError as error:
    print(json.dumps(error.as_dict(), ensure_ascii=False))
else:
    print("null")
""")
    assert raised == {"code": "date_in_future", "message": "日期2030-01-02晚于今天（2030-01-01）。",
                      "message_en": "The date 2030-01-02 is after today (2030-01-01)."}
