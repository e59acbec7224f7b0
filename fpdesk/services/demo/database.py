"""Filling a database with the generated demo county, through the same change-logged writes as real data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fpdesk.core.errors import DomainError
from fpdesk.core.people import HouseholdDraft
from fpdesk.core.progress import NO_PROGRESS, Progress
from fpdesk.core.vocabulary import OfficeLevel
from fpdesk.services.permissions import require
from fpdesk.services.registry.register_many import register_households_bulk
from fpdesk.services.workspace import Workspace, add_division_row, count_persons, init_office
from fpdesk.storage.schema import Division

DEMO_CODE_YEAR = 2024


@dataclass
class DemoSummary:
    county: str
    divisions: int
    households: int
    persons: int
    changes: int
    enrollments: dict | None = None  # with_enrollments: what the season's enrollment left (demo_enrollments)


def load_demo(workspace: Workspace, *, scale: str = "village", persons: int | None = None, seed: int = 1,
              progress: Progress = NO_PROGRESS, with_enrollments: bool = False,
              today: dt.date | None = None) -> DemoSummary:
    """Generate the demo county into an empty database (setting up the county office if needed);
    ``with_enrollments``: and enroll it in this season's demo product as of ``today`` — paid,
    allocated by the government, and registered but unpaid."""
    from fpdesk.services.demo.generator import SCALES, generate

    existing = count_persons(workspace)
    if existing:
        raise DomainError("db_not_empty", {"persons": existing})
    county = generate(scale=scale, persons=persons, seed=seed)
    if workspace.office is None:
        init_office(workspace, code=county.county_code, level=OfficeLevel.COUNTY,
                    name=f"{county.county_name}计划生育协会", code_year=DEMO_CODE_YEAR)
    require(workspace, "settings.manage")
    with workspace.write() as ctx:
        ctx.recorder.summary_only = True
        known = set(ctx.session.scalars(Division.__table__.select().with_only_columns(Division.code)))
        added = 0
        for division in county.divisions:
            if division.code not in known:
                add_division_row(ctx, division.code, division.name, DEMO_CODE_YEAR)
                added += 1

    def items():
        for household in county.households():
            draft = HouseholdDraft(
                division_code=household.division_code, address=household.address,
                categories=household.categories, certificate_no=household.certificate_no,
                is_rural=household.is_rural, reward_recipient=household.reward_recipient)
            yield draft, list(household.members)

    expected = persons or SCALES.get(scale, 0)
    result = register_households_bulk(workspace, items(), expected_persons=expected, progress=progress)
    summary = DemoSummary(county.county_code, added, result.households, result.persons, result.changes + added)
    if with_enrollments:
        from fpdesk.services.demo.enrollments import enroll_demo

        progress.update(0, 0, "参保登记")
        summary.enrollments = enroll_demo(workspace, today=today or dt.date.today(), seed=seed).as_dict()
    return summary
