"""fpdesk search TEXT — the same search as the GUI: name, pinyin initials, ID fragment or phone."""

from __future__ import annotations

from fpdesk.cli.output import EXIT_OK, database_url, emit


def add_arguments(parser) -> None:
    parser.add_argument("text", help="姓名、拼音首字母（如 zs）、身份证号片段或电话")
    parser.add_argument("--limit", type=int, default=50, help="最多显示几条（默认50）")
    parser.add_argument("--full-id", action="store_true", help="显示完整身份证号（默认打码）")


def run(args) -> int:
    from fpdesk.core import idnumber, phone
    from fpdesk.core.vocabulary import Relation, Sex
    from fpdesk.services.audit import log_access
    from fpdesk.services.permissions import allows, require
    from fpdesk.services.search import search
    from fpdesk.services.workspace import open_workspace

    workspace = open_workspace(database_url(args))
    try:
        hits = search(workspace, args.text, limit=args.limit)
        if args.full_id:  # a full view of personal information: a role that may, and logged once users exist
            require(workspace, "pi.full")
            if workspace.accounts_exist and hits:
                log_access(workspace, "view_pi", {"kind": "search", "query": args.text, "persons": len(hits)})
        # Once users exist, phones are shown in full only to roles that may see personal data in full.
        mask_phones = workspace.accounts_exist and not allows(workspace, "pi.full")
    finally:
        workspace.close()

    def shown_phone(number: str | None) -> str | None:
        return phone.mask(number) if mask_phones and number else number

    def shown_id(number: str | None) -> str:
        if not number:
            return ""
        return number if args.full_id else idnumber.mask(number)

    payload = {"query": args.text, "count": len(hits), "results": [
        {"person_id": str(h.person_id), "household_id": str(h.household_id), "name": h.name,
         "id_number": shown_id(h.id_number), "sex": h.sex, "birth_date": h.birth_date.isoformat(),
         "relation": h.relation, "status": h.status, "phone": shown_phone(h.phone), "division_code": h.division_code,
         "division_name": h.division_name} for h in hits]}

    def text() -> str:
        if not hits:
            return f"没有找到“{args.text}”。"
        lines = [f"找到 {len(hits)} 人："]
        for h in hits:
            lines.append(f"{h.name}\t{Sex(h.sex).label_zh}\t{h.birth_date}\t{shown_id(h.id_number)}\t"
                         f"{Relation(h.relation).label_zh}\t{h.division_name}\t{shown_phone(h.phone) or ''}")
        return "\n".join(lines)

    emit(args, payload, text)
    return EXIT_OK
