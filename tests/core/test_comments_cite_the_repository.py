"""Code comments cite the repository's own documents: docs/rules.md#anchor, docs/glossary.md, … — never
a document outside it (DOMAIN.md, ARCHITECTURE.md) or a tracker's "issue N", which a reader of the
code cannot open."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import fpdesk

PACKAGE = Path(fpdesk.__file__).parent
DOCS = PACKAGE.parent / "docs"
OUTSIDE = re.compile(r"DOMAIN\.md|\bDOMAIN\b|ARCHITECTURE(\.md)?|\bissues? #?\d+|\b[Ss][1-4] rule \d+|\brules? \d+\b|§")
ANCHOR = re.compile(r"docs/rules\.md#([a-z0-9-]+)")


def comments_and_docstrings(source: str) -> list[tuple[int, str]]:
    """Every comment and every string standing alone as a statement (docstrings), with its line."""
    found, previous = [], None
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        standing_alone = previous in (None, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.NL)
        if token.type == tokenize.COMMENT or (token.type == tokenize.STRING and standing_alone):
            found.append((token.start[0], token.string))
        if token.type not in (tokenize.COMMENT, tokenize.NL):
            previous = token.type
    return found


def _sources():
    return sorted(PACKAGE.rglob("*.py"))


def test_no_comment_cites_a_document_outside_the_repository():
    offenders = [f"{path.relative_to(PACKAGE.parent)}:{line}: {OUTSIDE.search(text)[0]}"
                 for path in _sources() for line, text in comments_and_docstrings(path.read_text(encoding="utf-8"))
                 if OUTSIDE.search(text)]
    assert not offenders, "\n".join(offenders)


def test_every_cited_rule_has_its_anchor():
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', (DOCS / "rules.md").read_text(encoding="utf-8")))
    cited = {(path.relative_to(PACKAGE.parent), anchor) for path in _sources()
             for anchor in ANCHOR.findall(path.read_text(encoding="utf-8"))}
    assert cited, "no comment cites docs/rules.md"
    assert not {(str(path), anchor) for path, anchor in cited if anchor not in anchors}


def test_the_walk_sees_a_citation_in_a_comment_and_in_a_docstring():
    source = '"""Ages (S1 rule 1)."""\nx = 1  # DOMAIN.md §6\ny = "issue 4 in a string is data, not a citation"\n'
    assert [line for line, text in comments_and_docstrings(source) if OUTSIDE.search(text)] == [1, 2]
