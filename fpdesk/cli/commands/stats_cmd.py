"""fpdesk stats — households and persons per township and village."""

from __future__ import annotations

from fpdesk.cli.output import EXIT_OK, database_url, emit
from fpdesk.cli.table import render
from fpdesk.core.language import pick


def add_arguments(parser) -> None:
    parser.add_argument("--townships-only", action="store_true", help=pick("只列乡镇合计", "townships' totals only"))


def run(args) -> int:
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.reports.division_counts import counts_by_division
    workspace = open_workspace(database_url(args))
    try:
        townships, total = counts_by_division(workspace)
    finally:
        workspace.close()
    payload = {"townships": [t.as_dict() for t in townships],
               "total": {"households": total.households, "persons": total.persons}}

    def text() -> str:
        rows = []
        for township in townships:
            rows.append([township.name, township.code, f"{township.households:,}", f"{township.persons:,}"])
            if not args.townships_only:
                rows += [["  " + v.name, v.code, f"{v.households:,}", f"{v.persons:,}"] for v in township.villages]
        rows.append([pick("合计", "Total"), "", f"{total.households:,}", f"{total.persons:,}"])
        return render(pick(["区划", "代码", "户数", "人数"], ["Division", "Code", "Households", "Persons"]), rows,
                      numeric={2, 3})

    emit(args, payload, text)
    return EXIT_OK
