"""The products and enrollment forms an office works with.

The county works from its forms folder (the program's forms/, or the folder FPDESK_FORMS_DIR names)
and publishes it with every package down (sync/reference.py).
An office below works with what its county published: a received definition takes the place of
the shipped one of the same code, so every office prices, checks and prints a product the same way
whichever program version it runs, and a product the county adds reaches the villages without a new
program. Shipped products the county did not publish stay available beside them.

A received set this program cannot read (a newer file format, a form it lacks) is not used at all:
the shipped definitions stand, and ``catalog_problem`` says why (the import report says it too).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fpdesk.core.errors import DomainError
from fpdesk.core.paths import display_path, forms_dir
from fpdesk.core.products import Catalog, Product, catalog_with, find_product
from fpdesk.core.vocabulary import OfficeLevel
from fpdesk.services.enrollment_facts import catalog as shipped_catalog
from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema_sync import ProductDefinition

RECEIVED_FOLDER = "县级下发"  # how refusals name a received definition: 县级下发/products/<code>.yaml

# received sets by their digests: a catalog is parsed once per set, not once per job
_BUILT: OrderedDict[tuple, tuple[Catalog, DomainError | None]] = OrderedDict()
_KEEP = 8


def office_catalog(workspace: Workspace, session: Session | None = None) -> Catalog:
    """The catalog this office works with; ``session``: the caller's transaction, if it has one."""
    office = workspace.office
    if office is None or office.level == OfficeLevel.COUNTY:
        return shipped_catalog()  # the county's own definitions: what it publishes
    if session is not None:
        return _received(session)[0]
    with workspace.read() as own:
        return _received(own)[0]


def office_product(workspace: Workspace, code: str, session: Session | None = None) -> Product:
    """One product of this office's catalog; DomainError(unknown_product) for a code it lacks."""
    return find_product(office_catalog(workspace, session).products, code)


@dataclass(frozen=True)
class CatalogSource:
    """Where the office's product definitions come from, for the exchange screen.

    ``kind``: "folder" (the county's own forms folder, which it publishes), "received" (what the
    county published), "shipped" (the program's own: nothing received yet, or ``problem``)."""

    kind: str
    products: int
    folder: str = ""
    problem: DomainError | None = None


def catalog_source(workspace: Workspace) -> CatalogSource:
    office = workspace.office
    if office is None or office.level == OfficeLevel.COUNTY:
        return CatalogSource("folder", len(shipped_catalog().products), display_path(forms_dir()))
    with workspace.read() as session:
        received = session.scalar(select(func.count()).select_from(ProductDefinition)
                                  .where(ProductDefinition.kind == "product")) or 0
        catalog, problem = _received(session)
    if received and problem is None:
        return CatalogSource("received", len(catalog.products))
    return CatalogSource("shipped", len(catalog.products), problem=problem)


def catalog_problem(workspace: Workspace, session: Session | None = None) -> DomainError | None:
    """Why the definitions received from the county are not in use (None: in use, or none received)."""
    office = workspace.office
    if office is None or office.level == OfficeLevel.COUNTY:
        return None
    if session is not None:
        return _received(session)[1]
    with workspace.read() as own:
        return _received(own)[1]


def _received(session: Session) -> tuple[Catalog, DomainError | None]:
    table = ProductDefinition
    key = tuple(tuple(row) for row in session.execute(select(table.kind, table.code, table.sha256)
                                                      .order_by(table.kind, table.code)))
    if not key:
        return shipped_catalog(), None
    built = _BUILT.get(key)
    if built is None:
        texts: dict[str, dict[str, str]] = {"product": {}, "form": {}}
        for kind, code, content in session.execute(select(table.kind, table.code, table.content)):
            texts.setdefault(kind, {})[code] = content
        try:
            built = (catalog_with(shipped_catalog(), texts["product"], texts["form"], folder=RECEIVED_FOLDER), None)
        except DomainError as error:
            built = (shipped_catalog(), error)
        _BUILT[key] = built
        while len(_BUILT) > _KEEP:
            _BUILT.popitem(last=False)
    return built
