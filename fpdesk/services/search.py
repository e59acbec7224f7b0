"""Finding people as the user types: the one search the GUI and ``fpdesk search`` share."""

from __future__ import annotations

import unicodedata

from fpdesk.services.workspace import Workspace
from fpdesk.storage.search import PersonRow, search_people


def normalise_query(text: str) -> str:
    """Full-width to half-width (NFKC), spaces out, letters lower-case except the ID's X."""
    compact = "".join(unicodedata.normalize("NFKC", text).split())
    if compact[:-1].isdigit() and compact[-1:] in ("x", "X"):
        return compact[:-1] + "X"
    return compact.lower() if compact.isascii() else compact


def search(workspace: Workspace, text: str, *, limit: int = 200) -> list[PersonRow]:
    query = normalise_query(text)
    if not query:
        return []
    with workspace.read() as session:
        return search_people(session, query, limit=limit)
