"""Raw writes stay out of the services (storage/write_path.py).

ORM writes (``session.add``, attribute changes, ``session.delete``) are logged by the write session's
events, and ruff (TID251, pyproject.toml) bans importing Core's insert/update/delete and
``insert_rows`` in ``fpdesk/services``. What neither sees is caught here by reading the source:
a table's own ``.insert()``/``.update()``/``.delete()``, SQL text that writes, the ORM's legacy bulk
methods (they skip the flush events), and a transaction opened without the change recorder.
"""

from __future__ import annotations

import ast
from pathlib import Path

import fpdesk.services

SERVICES = Path(fpdesk.services.__file__).parent
_DML_WORDS = ("insert", "update", "delete")
_LEGACY_BULK = {"bulk_save_objects", "bulk_insert_mappings", "bulk_update_mappings"}
# (module, function) that may open a transaction without the recorder, and why
UNRECORDED_TRANSACTIONS = {
    ("workspace.py", "write"): "the write transaction itself, which makes the recorder",
    ("sync/identity.py", "join_by_invitation"): "the parent's divisions, logged when its first package brings them",
}


def _writes_sql(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)
            and node.value.lstrip()[:6].lower() in _DML_WORDS)


def raw_writes(source: str, module: str = "<test>") -> list[str]:
    """What in ``source`` writes around the change log, as 'line: what'."""
    found = []
    functions: list[tuple[int, int, str]] = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            functions.append((node.lineno, node.end_lineno or node.lineno, node.name))

    def function_at(line: int) -> str:
        inside = [(start, name) for start, end, name in functions if start <= line <= end]
        return max(inside)[1] if inside else ""

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if isinstance(func, ast.Attribute) and name in _DML_WORDS and not node.args and not node.keywords:
            found.append(f"{node.lineno}: a table's .{name}()")
        elif name in _LEGACY_BULK:
            found.append(f"{node.lineno}: {name} skips the flush events")
        elif name in ("exec_driver_sql", "text", "execute") and node.args and _writes_sql(node.args[0]):
            found.append(f"{node.lineno}: SQL text that writes")
        elif (name == "transaction" and isinstance(func, ast.Attribute)
              and (module, function_at(node.lineno)) not in UNRECORDED_TRANSACTIONS):
            found.append(f"{node.lineno}: a transaction without the change recorder (use workspace.write())")
    return found


def test_services_write_through_the_one_path():
    problems = []
    for path in sorted(SERVICES.rglob("*.py")):
        module = path.relative_to(SERVICES).as_posix()
        problems += [f"{module}:{problem}" for problem in raw_writes(path.read_text(encoding="utf-8"), module)]
    assert problems == []


def test_the_rule_sees_a_raw_write():
    assert len(raw_writes(
        "def f(ctx, table, db):\n"
        "    ctx.session.execute(Household.__table__.update().values(note=''))\n"
        "    ctx.session.connection().execute(table.delete())\n"
        "    ctx.session.bulk_insert_mappings(Person, rows)\n"
        "    ctx.session.connection().exec_driver_sql('UPDATE person SET name = 1')\n"
        "    ctx.session.execute(text(' insert into person values (1)'))\n"
        "    with db.transaction() as session:\n"
        "        pass\n")) == 6
    assert raw_writes("def f(ctx, values, hasher):\n"
                      "    values.update(a=1)\n    hasher.update(b'x')\n    ctx.session.delete(row)\n"
                      "    ctx.session.execute(text('SELECT 1'))\n    rows.insert(0, row)\n") == []
