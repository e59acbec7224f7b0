"""The products and enrollment forms an office works with.

The county works from its forms folder: the program's forms/, or a folder of its own chosen with
``set_forms_folder`` (kept in the database, so every way of starting the program exports the same
definitions). It publishes that folder with every package down (sync/reference.py). If the folder
goes missing or stops reading, the county keeps working with what it last published (the same set
its offices have) and exports nothing new until the folder is fixed.

An office below works with what its county published. Which set is in use is decided when a
package brings definitions (``keep_received``) and kept as a local setting:
- a set that reads is taken whole: every office prices, checks and prints a product alike whichever
  program version it runs, a product the county adds reaches the villages without a new program,
  and one the county withdraws is no longer offered;
- a set that does not read (a newer file format, a form it lacks) is not taken: the set in use
  stays, and the import report says why;
An office that has received nothing works with the program's own definitions.

A product the county withdraws (at the county: a folder without it; below: a set without it) is no
longer offered, but an office with enrollments in it, or enrollments that reach it later from a
village that still had some unsent, keeps its last definition, marked ``withdrawn``: claims,
progress, rosters and printouts of those enrollments need its premium, periods and sums insured.
Every definition leaving the set in use is kept for that (``RETIRED_SETTING``); new enrollments in
a withdrawn product are refused (fpdesk.services.enrollment.enrolling.judge_plan).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fpdesk.core.catalog import Catalog, catalog_with, load_catalog
from fpdesk.core.enrollment_forms import load_form_file
from fpdesk.core.errors import DomainError
from fpdesk.core.paths import display_path, forms_dir
from fpdesk.core.products import Product, find_product, load_product_file
from fpdesk.core.vocabulary import OfficeLevel
from fpdesk.services.enrollment.facts import catalog as shipped_catalog
from fpdesk.services.permissions import require
from fpdesk.services.records import put_setting
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.schema import Setting
from fpdesk.storage.schema_enrollment import Enrollment
from fpdesk.storage.schema_sync import ProductDefinition

FORMS_FOLDER_SETTING = "forms_folder"  # the county's own forms folder
IN_USE_SETTING = "received_definitions_in_use"  # the set an office below works with, and why
RETIRED_SETTING = "retired_definitions"  # definitions withdrawn from the set in use, last version of each
RECEIVED_FOLDER = "县级下发"  # how refusals name a received definition: 县级下发/products/<code>.yaml
SUBFOLDERS = ("products", "enrollment")
_EMPTY = Catalog(MappingProxyType({}), MappingProxyType({}))

# parsed catalogs by what they were parsed from (digests, or a folder's file stamps); one lock so
# two background jobs do not parse the same set twice
_BUILT: OrderedDict[tuple, Catalog] = OrderedDict()
# a catalog with its withdrawn-but-enrolled products, by (id of the catalog, digest of what was
# added); the entry holds the catalog itself, so its id is not reused while the entry lives
_WITH_KEPT: OrderedDict[tuple[int, str], tuple[Catalog, Catalog]] = OrderedDict()
_KEEP = 8
_LOCK = threading.Lock()


@dataclass(frozen=True)
class CatalogSource:
    """Where the office's product definitions come from, for the exchange screen.

    ``kind``: "folder" (the county's forms folder, which it publishes; ``folder`` names it unless it
    is the program's own), "received" (what the county published), "previous" (the set in use
    before: the newest one, or the county's folder, cannot be used; see ``problem``), "shipped"
    (the program's own: nothing received yet)."""

    kind: str
    products: int  # offered
    folder: str = ""
    problem: DomainError | None = None
    withdrawn: int = 0  # withdrawn products kept for the enrollments the office has in them


def office_catalog(workspace: Workspace, session: Session | None = None) -> Catalog:
    """The catalog this office works with; ``session``: the caller's transaction, if it has one."""
    return _catalog_and_problem(workspace, session)[0]


def office_product(workspace: Workspace, code: str, session: Session | None = None) -> Product:
    """One product of this office's catalog; DomainError(unknown_product) for a code it lacks."""
    return find_product(office_catalog(workspace, session).products, code)


def catalog_problem(workspace: Workspace, session: Session | None = None) -> DomainError | None:
    """Why the newest definitions (or the county's folder) are not in use; None when they are."""
    return _catalog_and_problem(workspace, session)[1]


def catalog_source(workspace: Workspace) -> CatalogSource:
    office = workspace.office
    with workspace.read() as session:
        catalog, problem = _catalog_and_problem(workspace, session)
        offered = sum(not product.withdrawn for product in catalog.products.values())
        withdrawn = len(catalog.products) - offered
        if office is None or office.level == OfficeLevel.COUNTY:
            folder = _forms_folder(session)  # None: the program's own forms/
            shown = display_path(folder) if folder is not None else ""
            return CatalogSource("previous" if problem else "folder", offered, shown, problem, withdrawn)
        if problem is not None:
            kind = "previous"
        else:
            kind = "received" if _in_use(session)[0] is not shipped_catalog() else "shipped"
    return CatalogSource(kind, offered, problem=problem, withdrawn=withdrawn)


def forms_folder(workspace: Workspace) -> Path:
    """The folder the county works from and publishes."""
    with workspace.read() as session:
        return _forms_folder(session) or forms_dir()


def set_forms_folder(workspace: Workspace, folder: str | Path | None) -> Path:
    """The county works from ``folder`` from now on (None, or the program's own forms/: the program's
    own). The folder is checked whole first: a definition that does not read is refused with its
    file and field. A product the folder lacks is withdrawn (its enrollments keep its definition)."""
    require(workspace, "products.manage")
    office = workspace.require_office()
    if office.level != OfficeLevel.COUNTY:
        raise DomainError("forms_folder_county_only")
    chosen = Path(folder).resolve() if folder is not None else None
    if chosen == forms_dir().resolve():
        chosen = None  # the program's own: a bundle unpacks it somewhere new at every start
    with workspace.read() as session:
        new = _folder_catalog(chosen or forms_dir())
        leaving = _file_rows(_county_catalog(session)[0], new, _forms_folder(session) or forms_dir())
    with workspace.write(permission="products.manage") as ctx:
        retire_definitions(ctx, leaving)  # what the county had not published yet, kept like the rest
        put_setting(ctx, FORMS_FOLDER_SETTING, {"folder": str(chosen) if chosen is not None else None})
    return chosen or forms_dir()


def _file_rows(old: Catalog, new: Catalog, folder: Path) -> list[tuple[str, str, str, str]]:
    """Definition rows of the products (and their forms) ``old`` has and ``new`` lacks, read from
    ``folder``, the one ``old`` came from, where the files are there (a county whose folder went
    works from what it published, and a published definition is kept at publishing)."""
    rows = []
    for product in old.products.values():
        if product.code in new.products or product.withdrawn:
            continue
        wanted = [("product", product.code, folder / "products" / f"{product.code}.yaml")]
        if product.form not in new.forms:
            wanted.append(("form", product.form, folder / "enrollment" / f"{product.form}.yaml"))
        for kind, code, path in wanted:
            if path.is_file():
                content = path.read_text(encoding="utf-8")
                rows.append((kind, code, hashlib.sha256(content.encode()).hexdigest(), content))
    return rows


def county_folder_for_publishing(session: Session) -> Path:
    """The county's folder, checked whole before anything of it is published."""
    folder = _forms_folder(session) or forms_dir()
    _folder_catalog(folder)
    return folder


def keep_received(ctx: WriteContext) -> DomainError | None:
    """After an import that brought definitions, decide the set in use (see the module's text);
    returns why the newest set was not taken, or None."""
    if ctx.office.level == OfficeLevel.COUNTY:
        return None
    rows = _definition_rows(ctx.session)
    kept = ctx.session.get(Setting, IN_USE_SETTING)
    before = [tuple(row) for row in kept.value.get("definitions", [])] if kept is not None else []
    problem = None
    try:
        _built(rows)
    except DomainError as error:
        problem, rows = error, before
    staying = {(row[0], row[1]) for row in rows}
    if kept is None:  # the office worked with the program's own definitions until now
        leaving = _file_rows(shipped_catalog(), _built(rows) if rows else shipped_catalog(), forms_dir())
    else:
        leaving = [row for row in before if (row[0], row[1]) not in staying]
    retire_definitions(ctx, leaving)
    if rows or kept is not None:
        put_setting(ctx, IN_USE_SETTING, {"definitions": [list(row) for row in rows],
                                          "problem": [problem.code, problem.params] if problem else None})
    return problem


def retire_definitions(ctx: WriteContext, rows: Iterable[tuple[Any, ...]], *, replace_kept: bool = True) -> None:
    """Keep these (kind, code, sha256, content) rows, leaving the set in use, for the enrollments
    in their products; ``replace_kept=False`` keeps a version already kept (the county's own file,
    kept when it chose a folder without it, over the older one it had published)."""
    rows = list(rows)
    if not rows:
        return
    retired = {(row[0], row[1]): list(row) for row in _retired_rows(ctx.session)}
    for row in rows:
        if replace_kept or (row[0], row[1]) not in retired:
            retired[(row[0], row[1])] = list(row)
    put_setting(ctx, RETIRED_SETTING, {"definitions": [retired[key] for key in sorted(retired)]})


def check_offered(product: Product) -> None:
    """DomainError(product_withdrawn) for a product the county no longer offers."""
    if product.withdrawn:
        raise DomainError("product_withdrawn", {"product": product.code, "name": product.name_zh})


# -- building ---------------------------------------------------------------------------------------


def _catalog_and_problem(workspace: Workspace, session: Session | None) -> tuple[Catalog, DomainError | None]:
    office = workspace.office
    if session is None:
        with workspace.read() as own:
            return _catalog_and_problem(workspace, own)
    if office is None:
        return shipped_catalog(), None
    catalog, problem = _county_catalog(session) if office.level == OfficeLevel.COUNTY else _in_use(session)
    return _with_kept(session, catalog), problem


def _forms_folder(session: Session) -> Path | None:
    row = session.get(Setting, FORMS_FOLDER_SETTING)
    chosen = row.value.get("folder") if row is not None and isinstance(row.value, dict) else None
    return Path(chosen) if chosen else None


def _county_catalog(session: Session) -> tuple[Catalog, DomainError | None]:
    folder = _forms_folder(session)
    if folder is None:
        return shipped_catalog(), None
    try:
        return _folder_catalog(folder), None
    except DomainError as error:  # what it last published: the set its offices work with
        rows = _definition_rows(session)
        try:
            return (_built(rows) if rows else shipped_catalog()), error
        except DomainError:
            return shipped_catalog(), error


def _folder_catalog(folder: Path) -> Catalog:
    """The folder's catalog, parsed again when a file in it changed (the county edits its products).
    Both subfolders must be there (publishing reads exactly those) and hold at least one product.
    A file that does not read is refused with its file and field."""
    files = [(sub, p, p.stat()) for sub in SUBFOLDERS if (folder / sub).is_dir() for p in (folder / sub).glob("*.yaml")]
    if not all((folder / sub).is_dir() for sub in SUBFOLDERS) or not any(sub == "products" for sub, *_ in files):
        raise DomainError("forms_folder_missing", {"folder": str(folder)})
    stamps = tuple(sorted((str(p), stat.st_mtime_ns, stat.st_size) for _sub, p, stat in files))
    return _cached(("folder", str(folder), stamps), lambda: load_catalog(folder))


def _definition_rows(session: Session) -> list[tuple[str, str, str, str]]:
    table = ProductDefinition
    return [tuple(row) for row in session.execute(  # type: ignore[misc]
        select(table.kind, table.code, table.sha256, table.content).order_by(table.kind, table.code))]


def _in_use(session: Session) -> tuple[Catalog, DomainError | None]:
    kept = session.get(Setting, IN_USE_SETTING)
    if kept is None:  # nothing received, or received before the set in use was kept
        rows = _definition_rows(session)
        if not rows:
            return shipped_catalog(), None
        try:
            return _built(rows), None
        except DomainError as error:
            return shipped_catalog(), error
    rows = [tuple(row) for row in kept.value.get("definitions", [])]
    problem = kept.value.get("problem")
    error = DomainError(problem[0], problem[1]) if problem else None
    if not rows:
        return shipped_catalog(), error
    return _built(rows), error


def _retired_rows(session: Session) -> list[tuple[str, str, str, str]]:
    row = session.get(Setting, RETIRED_SETTING)
    return [tuple(r) for r in row.value.get("definitions", [])] if row is not None else []  # type: ignore[misc]


def _with_kept(session: Session, catalog: Catalog) -> Catalog:
    """``catalog`` with the products withdrawn from it that have enrollments here, each in its last
    definition (received, or retired) and marked withdrawn. Costs two small reads when nothing was
    ever withdrawn, an index probe per withdrawn product otherwise."""
    retired = _retired_rows(session)
    published = set(session.scalars(select(ProductDefinition.code).where(ProductDefinition.kind == "product")))
    candidates = ({row[1] for row in retired if row[0] == "product"} | published) - set(catalog.products)
    enrolled = sorted(code for code in candidates if session.scalar(
        select(Enrollment.id).where(Enrollment.product_code == code).limit(1)) is not None)
    if not enrolled:
        return catalog
    # retired rows first: they were in use here; a received row may belong to a set that was refused
    known = {(row[0], row[1]): row for row in _definition_rows(session)}
    known.update({(row[0], row[1]): row for row in retired})
    key = (id(catalog), _digest([known[("product", code)] for code in enrolled]
                               + [row for (kind, _code), row in sorted(known.items()) if kind == "form"]))
    with _LOCK:
        found = _WITH_KEPT.get(key)
        if found is not None and found[0] is catalog:
            return found[1]
    products, forms = dict(catalog.products), dict(catalog.forms)
    for code in enrolled:  # one at a time: a definition this program cannot read leaves out only itself
        try:
            product = load_product_file(Path(RECEIVED_FOLDER, "products", f"{code}.yaml"), known[("product", code)][3])
            form = forms.get(product.form)
            if form is None and ("form", product.form) in known:
                form = load_form_file(Path(RECEIVED_FOLDER, "enrollment", f"{product.form}.yaml"),
                                      known[("form", product.form)][3])
        except DomainError:
            continue
        if form is None or product.code != code:
            continue
        forms[product.form] = form
        products[code] = replace(product, enrollment_form=form, withdrawn=True)
    kept = Catalog(MappingProxyType(products), MappingProxyType(forms))
    with _LOCK:
        _WITH_KEPT[key] = (catalog, kept)
        while len(_WITH_KEPT) > _KEEP:
            _WITH_KEPT.popitem(last=False)
    return kept


def _digest(rows: list[tuple[Any, ...]]) -> str:
    text = "\n".join(f"{kind}|{code}|{sha}" for kind, code, sha, *_ in rows)
    return hashlib.sha256(text.encode()).hexdigest()


def _built(rows: list[tuple[Any, ...]]) -> Catalog:
    """The catalog of these definition rows, parsed once per set (the import that keeps a set
    parses it; the jobs after it find it here)."""
    return _cached(("rows", _digest(rows)), lambda: _build(rows))


def _build(rows: list[tuple[Any, ...]]) -> Catalog:
    texts: dict[str, dict[str, str]] = {"product": {}, "form": {}}
    for kind, code, _digest_of_text, content in rows:
        texts.setdefault(kind, {})[code] = content
    return catalog_with(_EMPTY, texts["product"], texts["form"], folder=RECEIVED_FOLDER)


def _cached(key: tuple, build) -> Catalog:
    with _LOCK:
        found = _BUILT.get(key)
        if found is None:
            found = _BUILT[key] = build()
            while len(_BUILT) > _KEEP:
                _BUILT.popitem(last=False)
        return found
