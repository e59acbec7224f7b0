"""Offices for sync tests: each its own database, paired the way clerks do it."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from pathlib import Path

from sqlalchemy import select

from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import Relation
from fpdesk.services.opening import open_workspace
from fpdesk.services.registry import households as hh
from fpdesk.services.sync.export import export_package
from fpdesk.services.sync.identity import add_child_office, join_by_invitation
from fpdesk.services.sync.importer import import_package
from fpdesk.services.workspace import Workspace, add_division, init_office
from fpdesk.storage.schema import Base, Person

TODAY = dt.date(2026, 11, 22)


class Offices:
    """A folder of offices and the packages moving between them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.mail = folder / "mail"
        self.mail.mkdir(parents=True, exist_ok=True)
        self.open: list[Workspace] = []

    def county(self, url: str | None = None) -> Workspace:
        ws = open_workspace(url or str(self.folder / "county.sqlite3"), author="县级管理员")
        init_office(ws, code="350421", level="county", name="明溪县计生协")
        self.open.append(ws)
        return ws

    def county_and_township(self, db_url: str) -> tuple[Workspace, Workspace]:
        """The county (on PostgreSQL when the test's database is) and its paired township, which has
        added 罗翠村 (350421200201)."""
        county = self.county(db_url if db_url.startswith("postgresql") else None)
        township = self.pair(county, "350421200", "township", "城关乡计生协")
        add_division(township, code="350421200201", name="罗翠村", code_year=2024)
        return county, township

    def pair(self, parent: Workspace, code: str, level: str, name: str, url: str | None = None) -> Workspace:
        invitation = add_child_office(parent, code=code, level=level, name=name,
                                      out=self.folder / f"{code}.invite")
        child = open_workspace(url or str(self.folder / f"{code}.sqlite3"), author=f"{name}管理员")
        join_by_invitation(child, invitation.path, invitation.pairing_code)
        self.open.append(child)
        self.send(child, parent)  # the child's first package proves the pairing code
        self.send(parent, child)  # the parent's answer carries the signed registration
        return child

    def export(self, sender: Workspace, receiver: Workspace) -> Path:
        return export_package(sender, to=receiver.require_office().code, out=self.mail).path

    def send(self, sender: Workspace, receiver: Workspace, *, dry_run: bool = False):
        return import_package(receiver, self.export(sender, receiver), dry_run=dry_run)

    def close(self) -> None:
        for ws in self.open:
            ws.close()


def register_family(ws: Workspace, village: str, head: str, id_seq: int, *, address: str = "1组1号",
                    extra: list[PersonDraft] | None = None):
    number = make_number("350421", dt.date(1970, 1, 1) + dt.timedelta(days=id_seq), 11 + 2 * (id_seq % 400))
    members = [PersonDraft(head, number, Relation.HEAD, phone="13812345678"), *(extra or [])]
    return hh.register_household(ws, HouseholdDraft(division_code=village, address=address), members, today=TODAY)


def person_count(ws: Workspace) -> int:
    with ws.read() as session:
        return len(session.scalars(select(Person.id)).all())


def dump(ws: Workspace) -> list[str]:
    """Every row of every table (and on SQLite the whole schema too), to compare before and after."""
    path = ws.db.file_path
    if path is not None:
        connection = sqlite3.connect(path)
        try:
            return list(connection.iterdump())
        finally:
            connection.close()
    lines = []
    with ws.db.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = connection.execute(table.select()).all()
            lines.extend(sorted(f"{table.name}: {tuple(row)!r}" for row in rows))
    return lines


def conflicting_edits(tmp_path: Path, *, categories: bool = False) -> tuple[Offices, Workspace, uuid.UUID]:
    """County, township and village; one family registered at the village and sent up; then its
    head's phone (and with ``categories`` its categories) changed differently at the village and at
    the township, and the village's package imported at the township: conflicts to review there.
    Returns the offices (close them), the township and the household id."""
    offices = Offices(tmp_path)
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    village = offices.pair(township, "350421200201", "village", "罗翠村计生协")
    household = register_family(village, "350421200201", "林国华", 7).primary_id
    offices.send(village, township)
    with village.read() as session:
        head = session.scalars(select(Person).where(Person.household_id == household)).one()
    for office, chosen, phone in ((village, ["only_child"], "13900001111"),
                                  (township, ["two_daughters_sterilized", "hardship"], "13900002222")):
        if categories:
            hh.update_household(office, household, categories=chosen)
        hh.update_person(office, head.id, PersonDraft(head.name, head.id_number, Relation.HEAD, phone=phone))
    offices.send(village, township)
    return offices, township, household
