"""The services are grouped by job (fpdesk/services/*/): few modules left loose, and no import cycle
among them, counting the imports made inside functions (the import-linter contract in pyproject.toml
orders the packages; these tests hold what a layers contract cannot see)."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

SERVICES = Path(__file__).resolve().parents[2] / "fpdesk" / "services"


def _graph() -> grimp.ImportGraph:
    # Imports under ``if TYPE_CHECKING`` never run; every other import counts, inside a function too.
    return grimp.build_graph("fpdesk", exclude_type_checking_imports=True, cache_dir=None)


def _cycles(graph: grimp.ImportGraph, prefix: str) -> list[list[str]]:
    """Strongly connected groups (Tarjan) of more than one module among the modules under ``prefix``."""
    modules = sorted(m for m in graph.modules if m.startswith(prefix))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if not imported.startswith(prefix):
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_among_services_modules():
    assert _cycles(_graph(), "fpdesk.services") == []


def test_the_cycle_finder_sees_a_cycle_made_inside_a_function(tmp_path, monkeypatch):
    package = tmp_path / "knot"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from knot import b\n")
    (package / "b.py").write_text("def later():\n    from knot import a\n")
    (package / "c.py").write_text("from knot import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("knot", cache_dir=None)
    assert _cycles(graph, "knot") == [["knot.a", "knot.b"]]


def test_at_most_a_dozen_modules_left_directly_in_services():
    loose = sorted(p.stem for p in SERVICES.glob("*.py") if p.name != "__init__.py")
    assert len(loose) <= 12, loose


def test_every_services_package_says_its_purpose_in_one_line():
    for init in sorted(SERVICES.glob("*/__init__.py")):
        purpose = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert purpose, f"{init.parent.name} has no purpose line"
        assert len(purpose.splitlines()[0]) <= 120, f"{init.parent.name}: {purpose.splitlines()[0]}"
