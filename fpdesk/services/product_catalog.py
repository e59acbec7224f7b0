"""The products and enrollment forms an office works with.

The county works from its forms folder: the program's forms/, or a folder of its own chosen with
``set_forms_folder`` (kept in the database, so every way of starting the program exports the same
definitions). It publishes that folder with every package down (sync/reference.py).

An office below works with exactly what its county published: every office prices, checks and
prints a product alike whichever program version it runs, a product the county adds reaches the
villages without a new program, and a product the county does not have is not offered below it.

A received set this program cannot read (a newer file format, a form it lacks) is not used: the
last set from the county that could be read stays in use (kept as a local setting when it
arrived), else the program's own definitions; ``catalog_problem`` and the import report say why.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fpdesk.core.errors import DomainError, register_messages
from fpdesk.core.paths import display_path, forms_dir
from fpdesk.core.products import Catalog, Product, catalog_with, find_product, load_catalog
from fpdesk.core.vocabulary import OfficeLevel
from fpdesk.services.enrollment_facts import catalog as shipped_catalog
from fpdesk.services.permissions import require
from fpdesk.services.records import put_setting
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.schema import Setting
from fpdesk.storage.schema_enrollment import Enrollment
from fpdesk.storage.schema_sync import ProductDefinition

FORMS_FOLDER_SETTING = "forms_folder"  # the county's own forms folder
IN_USE_SETTING = "received_definitions_in_use"  # the last received set that could be read
RECEIVED_FOLDER = "县级下发"  # how refusals name a received definition: 县级下发/products/<code>.yaml
_EMPTY = Catalog(MappingProxyType({}), MappingProxyType({}))

register_messages({
    "forms_folder_missing": (
        "产品定义目录“{folder}”不存在，或其中没有 products 子目录。请在“数据交换”中重新选择，或恢复这个目录。",
        "The product definitions folder '{folder}' is missing or has no products folder in it; choose it "
        "again under Exchange, or restore it."),
    "forms_folder_drops_product": (
        "产品定义目录“{folder}”里没有险种 {codes}，但已有这些险种的参保记录。请把它们的定义文件留在目录里。",
        "The definitions folder '{folder}' lacks {codes}, which have enrollments; keep their files in it."),
    "forms_folder_county_only": (
        "只有县级单位使用自己的产品定义目录；乡镇和村按县级下发的定义办理。",
        "Only the county works from a definitions folder of its own; townships and villages use what the "
        "county publishes."),
})

# parsed catalogs by what they were parsed from (digests, or a folder's file stamps); one lock so
# two background jobs do not parse the same set twice
_BUILT: OrderedDict[tuple, tuple[Catalog, DomainError | None]] = OrderedDict()
_KEEP = 8
_LOCK = threading.Lock()


@dataclass(frozen=True)
class CatalogSource:
    """Where the office's product definitions come from, for the exchange screen.

    ``kind``: "folder" (the county's forms folder, which it publishes; ``folder`` names it unless it
    is the program's own), "received" (what the county
    published), "previous" (the last readable set the county published: the newest one is not
    readable, see ``problem``), "shipped" (the program's own: nothing received yet, or ``problem``)."""

    kind: str
    products: int
    folder: str = ""
    problem: DomainError | None = None


def office_catalog(workspace: Workspace, session: Session | None = None) -> Catalog:
    """The catalog this office works with; ``session``: the caller's transaction, if it has one."""
    return _catalog_and_problem(workspace, session)[0]


def office_product(workspace: Workspace, code: str, session: Session | None = None) -> Product:
    """One product of this office's catalog; DomainError(unknown_product) for a code it lacks."""
    return find_product(office_catalog(workspace, session).products, code)


def catalog_problem(workspace: Workspace, session: Session | None = None) -> DomainError | None:
    """Why the newest definitions received from the county are not in use (None: in use, or none)."""
    return _catalog_and_problem(workspace, session)[1]


def catalog_source(workspace: Workspace) -> CatalogSource:
    office = workspace.office
    with workspace.read() as session:
        if office is None or office.level == OfficeLevel.COUNTY:
            folder = _forms_folder(session)  # None: the program's own forms/
            return CatalogSource("folder", len(_county_catalog(session).products),
                                 display_path(folder) if folder is not None else "")
        catalog, problem = _received(session)
        if problem is None:
            kind = "received" if catalog is not shipped_catalog() else "shipped"
        else:
            kind = "previous" if session.get(Setting, IN_USE_SETTING) is not None else "shipped"
    return CatalogSource(kind, len(catalog.products), problem=problem)


def forms_folder(workspace: Workspace) -> Path:
    """The folder the county works from and publishes."""
    with workspace.read() as session:
        return _forms_folder(session) or forms_dir()


def set_forms_folder(workspace: Workspace, folder: str | Path | None) -> Path:
    """The county works from ``folder`` from now on (None: the program's forms/). The folder is
    checked whole first: a definition that does not read is refused with its file and field."""
    require(workspace, "products.manage")
    office = workspace.require_office()
    if office.level != OfficeLevel.COUNTY:
        raise DomainError("forms_folder_county_only")
    chosen = Path(folder).resolve() if folder is not None else None
    with workspace.read() as session:
        _check_folder(session, chosen or forms_dir())
    with workspace.write(permission="products.manage") as ctx:
        put_setting(ctx, FORMS_FOLDER_SETTING, {"folder": str(chosen) if chosen is not None else None})
    return chosen or forms_dir()


def county_folder_for_publishing(session: Session) -> Path:
    """The county's folder, checked whole before anything of it is published."""
    folder = _forms_folder(session) or forms_dir()
    _check_folder(session, folder)
    return folder


def _check_folder(session: Session, folder: Path) -> Catalog:
    """The folder's catalog; refused when a file does not read, or when it lacks a product that has
    enrollments (withdrawing it would leave them without their product here and below)."""
    catalog = _folder_catalog(folder)
    used = set(session.scalars(select(Enrollment.product_code).distinct()))
    missing = sorted(used - set(catalog.products))
    if missing:
        raise DomainError("forms_folder_drops_product", {"folder": str(folder), "codes": "、".join(missing)})
    return catalog


def keep_received(ctx: WriteContext) -> DomainError | None:
    """After an import that brought definitions: a set that reads becomes the set in use (kept, so
    that a later unreadable one does not send the office back to the program's own); returns the
    problem of one that does not read."""
    if ctx.office.level == OfficeLevel.COUNTY:
        return None
    rows = _definition_rows(ctx.session)
    try:
        _build(rows)
    except DomainError as error:
        return error
    put_setting(ctx, IN_USE_SETTING, {"definitions": [list(row) for row in rows]})
    return None


# -- building ---------------------------------------------------------------------------------------


def _catalog_and_problem(workspace: Workspace, session: Session | None) -> tuple[Catalog, DomainError | None]:
    office = workspace.office
    if session is None:
        with workspace.read() as own:
            return _catalog_and_problem(workspace, own)
    if office is None:
        return shipped_catalog(), None
    if office.level == OfficeLevel.COUNTY:
        return _county_catalog(session), None
    return _received(session)


def _forms_folder(session: Session) -> Path | None:
    row = session.get(Setting, FORMS_FOLDER_SETTING)
    chosen = row.value.get("folder") if row is not None and isinstance(row.value, dict) else None
    return Path(chosen) if chosen else None


def _county_catalog(session: Session) -> Catalog:
    folder = _forms_folder(session)
    return shipped_catalog() if folder is None else _folder_catalog(folder)


def _folder_catalog(folder: Path) -> Catalog:
    """The folder's catalog, parsed again when a file in it changed (the county edits its products)."""
    if not (folder / "products").is_dir():
        raise DomainError("forms_folder_missing", {"folder": str(folder)})
    stamps = tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*/*.yaml")))
    return _cached(("folder", str(folder), stamps), lambda: (load_catalog(folder), None))[0]


def _definition_rows(session: Session) -> list[tuple[str, str, str, str]]:
    table = ProductDefinition
    return [tuple(row) for row in session.execute(  # type: ignore[misc]
        select(table.kind, table.code, table.sha256, table.content).order_by(table.kind, table.code))]


def _received(session: Session) -> tuple[Catalog, DomainError | None]:
    table = ProductDefinition
    digests = tuple(tuple(row) for row in session.execute(
        select(table.kind, table.code, table.sha256).order_by(table.kind, table.code)))
    if not digests:
        return shipped_catalog(), None
    with _LOCK:
        found = _BUILT.get(("received", digests))
    if found is not None:
        return found
    rows = _definition_rows(session)  # the texts, and the key made from the same read
    return _cached(("received", tuple(row[:3] for row in rows)), lambda: _received_or_kept(session, rows))


def _received_or_kept(session: Session, rows: list[tuple[str, str, str, str]]) -> tuple[Catalog, DomainError | None]:
    try:
        return _build(rows), None
    except DomainError as error:
        kept = session.get(Setting, IN_USE_SETTING)
        if kept is not None:
            try:
                return _build([tuple(row) for row in kept.value.get("definitions", [])]), error
            except DomainError:
                pass
        return shipped_catalog(), error


def _build(rows: list[tuple[Any, ...]]) -> Catalog:
    texts: dict[str, dict[str, str]] = {"product": {}, "form": {}}
    for kind, code, _digest, content in rows:
        texts.setdefault(kind, {})[code] = content
    return catalog_with(_EMPTY, texts["product"], texts["form"], folder=RECEIVED_FOLDER)


def _cached(key: tuple, build) -> tuple[Catalog, DomainError | None]:
    with _LOCK:
        found = _BUILT.get(key)
        if found is None:
            found = _BUILT[key] = build()
            while len(_BUILT) > _KEEP:
                _BUILT.popitem(last=False)
        return found
