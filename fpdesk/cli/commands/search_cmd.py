"""fpdesk search TEXT — the same search as the GUI: name, pinyin initials, ID fragment or phone."""

from __future__ import annotations

from fpdesk.cli.output import EXIT_OK, database_url, emit
from fpdesk.core.language import current, pick


def add_arguments(parser) -> None:
    parser.add_argument("text", help=pick("姓名、拼音首字母（如 zs）、身份证号片段或电话",
                                          "a name, pinyin initials (as zs), part of an ID number, or a phone"))
    parser.add_argument("--limit", type=int, default=50, help=pick("最多显示几条（默认50）", "at most this many (default 50)"))
    parser.add_argument("--full-id", action="store_true", help=pick(
        "显示完整身份证号和出生日期（默认打码：身份证号只显示前6位和后4位，以周岁代替出生日期，手机号打码）",
        "show whole ID numbers and birth dates (masked by default: the first 6 and last 4 digits of an ID"
        " number, the age instead of the birth date, masked mobiles)"))


def run(args) -> int:
    from dataclasses import replace

    from fpdesk.core import phone
    from fpdesk.core.vocabulary import Relation, Sex
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.permissions import allows, require
    from fpdesk.services.registry.search import search
    from fpdesk.services.trust.audit import log_access
    from fpdesk.services.trust.pi_masking import shown_person
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

    def shown(h):  # the masking rule (services/trust/pi_masking.py): a masked ID goes with the age, not the birth date
        person = shown_person(h.id_number, h.birth_date, h.phone, masked=not args.full_id)
        if args.full_id and mask_phones:
            person = replace(person, phone=phone.mask(h.phone) if h.phone else None)
        return person

    people = [(h, shown(h)) for h in hits]
    payload = {"query": args.text, "count": len(hits), "results": [
        {"person_id": str(h.person_id), "household_id": str(h.household_id), "name": h.name,
         "id_number": p.id_number or "", "sex": h.sex,
         "birth_date": p.birth_date.isoformat() if p.birth_date else None, "age": p.age,
         "relation": h.relation, "status": h.status, "phone": p.phone, "division_code": h.division_code,
         "division_name": h.division_name} for h, p in people]}

    def text() -> str:
        if not hits:
            return pick(f"没有找到“{args.text}”。", f"Nothing found for '{args.text}'.")
        lines = [pick(f"找到 {len(hits)} 人：", f"{len(hits)} found:")]
        for h, p in people:
            born = p.birth_date.isoformat() if p.birth_date else p.age_text(current())
            lines.append(f"{h.name}\t{Sex(h.sex).label(current())}\t{born}\t{p.id_number or ''}\t"
                         f"{Relation(h.relation).label(current())}\t{h.division_name}\t{p.phone or ''}")
        return "\n".join(lines)

    emit(args, payload, text)
    return EXIT_OK
