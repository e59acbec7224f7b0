"""fpdesk stats — households and persons per township and village."""

from __future__ import annotations

from fpdesk.cli.output import EXIT_OK, database_url, emit


def add_arguments(parser) -> None:
    parser.add_argument("--townships-only", action="store_true", help="只列乡镇合计")


def run(args) -> int:
    from fpdesk.services.stats import counts_by_division
    from fpdesk.services.workspace import open_workspace

    workspace = open_workspace(database_url(args))
    try:
        townships, total = counts_by_division(workspace)
    finally:
        workspace.close()
    payload = {"townships": [t.as_dict() for t in townships],
               "total": {"households": total.households, "persons": total.persons}}

    def text() -> str:
        lines = [f"{'区划':<24}{'户数':>8}{'人数':>10}"]
        for township in townships:
            lines.append(f"{township.name:<24}{township.households:>10}{township.persons:>10}")
            if not args.townships_only:
                for village in township.villages:
                    lines.append(f"  {village.name:<22}{village.households:>10}{village.persons:>10}")
        lines.append(f"{'合计':<24}{total.households:>10}{total.persons:>10}")
        return "\n".join(lines)

    emit(args, payload, text)
    return EXIT_OK
