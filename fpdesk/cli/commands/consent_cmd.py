"""fpdesk consent record | withdraw | list — consent to the processing of a person's information.

    fpdesk consent record PERSON --by NAME [--on DATE] [--guardian] [--form paper|verbal|electronic] [--json]
    fpdesk consent withdraw CONSENT_ID [--on DATE] [--json]
    fpdesk consent list PERSON [--json]

PERSON is an ID number or a person's record id. A child under 14 needs a guardian's consent
(--guardian with the guardian's name in --by). list prints {"ok", "person_id", "consents": [{"id",
"purpose", "given_on", "given_by", "guardian", "form", "recorded_by", "withdrawn_on"}]}.
"""

from __future__ import annotations

import argparse
import datetime as dt

from fpdesk.cli.output import EXIT_OK, action_help, database_url, emit
from fpdesk.core.language import english, pick

COMMANDS = {"consent": "个人信息同意：登记、撤回、查看 / record, withdraw and list consent"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = __doc__.split("\n\n")[1] + "\n\n" + __doc__.split("\n\n")[2]
    actions = parser.add_subparsers(dest="consent_action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=pick("打印 JSON", "print JSON"))
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=pick("数据库", "database"))
    common.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME", help=pick("以此用户登录", "log in as this user"))
    record = actions.add_parser("record", parents=[common], help=action_help("登记同意 / record consent"))
    record.add_argument("person", metavar="PERSON", help=pick("身份证号或人员编号", "ID number or person id"))
    record.add_argument("--by", required=True, metavar="NAME", help=pick(
        "同意人（本人，或14周岁以下的监护人）", "who consented (the person, or the guardian of a child under 14)"))
    record.add_argument("--on", type=dt.date.fromisoformat, metavar="DATE", help=pick(
        "同意日期（默认今天）", "date of consent (default today)"))
    record.add_argument("--guardian", action="store_true", help=pick("由监护人代为同意", "a guardian consented"))
    record.add_argument("--form", choices=("paper", "verbal", "electronic"), default="paper", help=pick(
        "同意方式", "how consent was given"))
    withdraw = actions.add_parser("withdraw", parents=[common], help=action_help("撤回同意 / withdraw consent"))
    withdraw.add_argument("consent_id", metavar="CONSENT_ID")
    withdraw.add_argument("--on", type=dt.date.fromisoformat, metavar="DATE", help=pick(
        "撤回日期（默认今天）", "date withdrawn (default today)"))
    listing = actions.add_parser("list", parents=[common], help=action_help("查看同意记录 / list consents"))
    listing.add_argument("person", metavar="PERSON", help=pick("身份证号或人员编号", "ID number or person id"))


def _as_dict(record) -> dict:
    return {"id": str(record.id), "purpose": record.purpose, "given_on": record.given_on.isoformat(),
            "given_by": record.given_by, "guardian": record.guardian, "form": record.form,
            "recorded_by": record.recorded_by,
            "withdrawn_on": record.withdrawn_on.isoformat() if record.withdrawn_on else None}


def _line(row: dict) -> str:
    if english():
        who = f"{row['given_by']} (guardian)" if row["guardian"] else row["given_by"]
        withdrawn = f", withdrawn {row['withdrawn_on']}" if row["withdrawn_on"] else ""
        return f"{row['given_on']}  {who}  {row['form']}  recorded by {row['recorded_by']}{withdrawn}  [{row['id']}]"
    who = f"{row['given_by']}（监护人）" if row["guardian"] else row["given_by"]
    withdrawn = f"，{row['withdrawn_on']} 已撤回" if row["withdrawn_on"] else ""
    return f"{row['given_on']}  {who}  {row['form']}  登记人 {row['recorded_by']}{withdrawn}  [{row['id']}]"


def run(args) -> int:
    import uuid

    from fpdesk.core.errors import DomainError
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.trust import privacy
    workspace = open_workspace(database_url(args))
    try:
        today = dt.date.today()
        if args.consent_action == "withdraw":
            try:
                consent_id = uuid.UUID(args.consent_id)
            except ValueError:
                raise DomainError("bad_argument", {"detail": f"同意记录编号“{args.consent_id}”格式不对",
                                                   "detail_en": f"'{args.consent_id}' is not a consent id"}) from None
            row = _as_dict(privacy.withdraw_consent(workspace, consent_id, on=args.on or today))
            emit(args, {"ok": True, "consent": row}, pick("已撤回：", "Withdrawn: ") + _line(row))
            return EXIT_OK
        person_id = privacy.find_person_id(workspace, args.person)
        if args.consent_action == "record":
            row = _as_dict(privacy.record_consent(workspace, person_id, given_on=args.on or today,
                                                  given_by=args.by, guardian=args.guardian, form=args.form,
                                                  today=today))
            emit(args, {"ok": True, "consent": row}, pick("已登记：", "Recorded: ") + _line(row))
            return EXIT_OK
        rows = [_as_dict(r) for r in privacy.consents_of(workspace, person_id)]
        emit(args, {"ok": True, "person_id": str(person_id), "consents": rows},
             lambda: "\n".join(_line(r) for r in rows) if rows else pick("这个人还没有同意记录。",
                                                                           "This person has no consent on record."))
        return EXIT_OK
    finally:
        workspace.close()
