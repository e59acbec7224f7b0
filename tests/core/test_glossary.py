"""One term per thing: every text of the program is checked against docs/glossary.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "glossary.md"
MARK = "glossary: also read"


def glossary_rows() -> list[dict[str, object]]:
    rows, header_seen = [], False
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not header_seen:
            header_seen = cells[1] == "用语"
            continue
        if set(cells[0]) <= {"-"}:
            continue
        split = lambda text: [w.strip() for w in re.split("[、,]", text) if w.strip()]  # noqa: E731
        rows.append({"term": cells[1], "english": cells[2], "avoid": split(cells[3]), "avoid_en": split(cells[4])})
    return rows


def python_texts() -> list[tuple[str, str]]:
    """(where, text) of every string constant in fpdesk/, but those on a line marked as read-only words."""
    found = []
    for path in sorted((ROOT / "fpdesk").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source)
        docstrings = {id(body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                      and (body := node.body) and isinstance(body[0], ast.Expr)
                      and isinstance(body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                span = lines[node.lineno - 1:node.end_lineno]
                if any(MARK in line for line in span):
                    continue
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.value))
    return found


def data_texts() -> list[tuple[str, str]]:
    """Product and form files (their values, not their comments), the user guide, the translation."""
    found = []
    for path in sorted((ROOT / "forms").rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            value = line.split(" #", 1)[0] if not line.lstrip().startswith("#") else ""
            if value.strip():
                found.append((f"{path.relative_to(ROOT)}:{number}", value))
    for path in sorted((ROOT / "docs").glob("*.md")):
        if path != GLOSSARY:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                # a quotation 「…」 is a seed's own sentence, kept word for word
                found.append((f"{path.relative_to(ROOT)}:{number}", re.sub("「[^」]*」", "", line)))
    return found


def english_texts() -> list[tuple[str, str]]:
    ts = (ROOT / "resources" / "i18n" / "fpdesk_en.ts").read_text(encoding="utf-8")
    return [("fpdesk_en.ts", text) for text in re.findall(r"<translation>(.*?)</translation>", ts, flags=re.S)]


def test_the_glossary_has_its_table():
    rows = glossary_rows()
    assert len(rows) >= 8
    assert {"自主投保", "村（社区）", "保险年度"} <= {row["term"] for row in rows}


def test_no_text_uses_a_word_the_glossary_replaces():
    texts = python_texts() + data_texts()
    english = english_texts() + texts
    offending = []
    for row in glossary_rows():
        for word in row["avoid"]:
            offending += [f"{where}: “{word}” (say “{row['term']}”) in {text[:60]!r}" for where, text in texts
                          if word in text]
        for word in row["avoid_en"]:
            offending += [f"{where}: '{word}' (say '{row['english']}') in {text[:60]!r}" for where, text in english
                          if word.lower() in text.lower()]
    assert not offending, "\n".join(offending)


def test_every_term_of_the_glossary_is_in_use():
    texts = " ".join(text for _where, text in python_texts() + data_texts())
    english = " ".join(text for _where, text in english_texts() + python_texts())
    unused = [row["term"] for row in glossary_rows() if row["term"] not in texts]
    unused_en = [row["english"] for row in glossary_rows() if row["english"].lower() not in english.lower()]
    assert not unused and not unused_en, (unused, unused_en)
