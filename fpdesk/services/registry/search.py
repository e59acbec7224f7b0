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


def search(workspace: Workspace, text: str, *, limit: int = 100) -> list[PersonRow]:
    query = normalise_query(text)
    if not query:
        return []
    with workspace.read() as session:
        return search_people(session, query, limit=limit)


def find_person_ids(workspace: Workspace, text: str = "", *, division_prefix: str | None = None,
                    category: str | None = None, include_inactive: bool = False, enrolled: bool | None = None,
                    year: int | None = None, order: str | None = None, descending: bool = False,
                    limit: int | None = None) -> list:
    """Ids of everyone matching, in display order; the GUI's table fetches their rows lazily."""
    from fpdesk.storage.search import person_ids

    with workspace.read() as session:
        return person_ids(session, normalise_query(text), division_prefix=division_prefix, category=category,
                          include_inactive=include_inactive, enrolled=enrolled, year=year, order=order,
                          descending=descending, limit=limit)


def person_id_page(workspace: Workspace, *, after: tuple | None = None, limit: int = 200, **filters) -> tuple:
    """A page of the whole list under ``filters`` (those of find_person_ids, no text) and the key of
    the next page, None after the last: the GUI's table reads the list a page at a time."""
    from fpdesk.storage.search import person_id_page as page

    with workspace.read() as session:
        return page(session, after=after, limit=limit, **filters)


def count_person_matches(workspace: Workspace, **filters) -> int:
    """How many persons the whole list under ``filters`` (no ``order``) holds."""
    from fpdesk.storage.search import count_matching

    with workspace.read() as session:
        return count_matching(session, **filters)


def load_person_rows(workspace: Workspace, ids: list) -> dict:
    from fpdesk.storage.search import person_rows

    with workspace.read() as session:
        return person_rows(session, ids)


def who_holds(workspace: Workspace, id_number: str) -> PersonRow | None:
    """The registered (not deceased) person holding this ID number, if any."""
    from fpdesk.storage.search import holder_of

    with workspace.read() as session:
        return holder_of(session, id_number)
