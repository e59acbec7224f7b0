"""fpdesk audit verify | show — the tamper-evident audit log.

    fpdesk audit verify [--child FILE] [--json]
    fpdesk audit show [--record ID] [--user U] [--entity E] [--limit N] [--json]
    fpdesk audit retention [--set-years N] [--anonymise] [--json]

verify recomputes the hash chain over the whole change log, checks its head's device signature and
compares the data tables with what the log's changes give: exit 0 intact, 1 naming the first broken
entry (edited, deleted, moved, written around the program, or newest entries cut off) or the first
difference; children whose packages showed a rewritten or shortened log are listed too. --child FILE
(at a parent) checks a child's database against the signed chain heads its packages brought.
show lists changes newest first: who, when, which record, which fields, old and new values
({"ok", "count", "entries": [{"seq", "at", "author", "entity", "record_id", "operation", "revision",
"fields", "old_values", "origin_device"}]}). --record with a household's id includes its persons.
retention lists the people no longer insured for longer than the retention period ({"ok", "years", "due"});
--anonymise removes their names, ID and phone numbers, here and in their history (administrators only).
"""

from __future__ import annotations

import argparse
import json

from fpdesk.cli.output import EXIT_OK, EXIT_REFUSED, action_help, database_url, emit
from fpdesk.core.language import english, pick

COMMANDS = {"audit": "审计日志：核验哈希链、查看修改记录 / verify and show the audit log"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = __doc__.split("\n\n")[1] + "\n\n" + __doc__.split("\n\n")[2]
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=pick("打印 JSON", "print JSON"))
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=pick("数据库", "database"))
    verify = actions.add_parser("verify", parents=[common], help=action_help("核验审计日志的哈希链 / verify the hash chain"))
    verify.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME", help=pick("以此用户登录", "log in as this user"))
    verify.add_argument("--child", metavar="FILE",
                        help=pick("在上级单位核对下级单位的数据库：它的审计链须经过它交来的每个数据包所带的链头",
                                  "at a parent office, check a child office's database: its audit chain must pass"
                                  " through the chain head each of its packages brought"))
    show = actions.add_parser("show", parents=[common], help=action_help("查看修改记录 / show changes"))
    show.add_argument("--record", metavar="ID", help=pick(
        "只看这条记录（家庭户的编号包括其成员）", "this record only (a household's id includes its members)"))
    # Here --user filters; log in with `fpdesk --user NAME audit show …` or FPDESK_USER.
    show.add_argument("--user", dest="by_user", metavar="U", help=pick(
        "只看这个用户做的修改（登录用户请写在 audit 之前）",
        "only this user's changes (to log in, put --user before audit)"))
    show.add_argument("--entity", metavar="E", help=pick(
        "只看这类记录（person、household、enrollment、access …）",
        "only records of this kind (person, household, enrollment, access …)"))
    show.add_argument("--limit", type=int, default=200, metavar="N", help=pick(
        "最多显示多少条（默认200，0为全部）", "show at most this many (default 200, 0 for all)"))
    retention = actions.add_parser("retention", parents=[common],
                                   help=action_help("个人信息保存期限与匿名化 / retention period and anonymisation"))
    retention.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME", help=pick("以此用户登录", "log in as this user"))
    retention.add_argument("--set-years", type=int, metavar="N", help=pick(
        "设置保存年限（最后参保的保险年度结束后N年）",
        "set the retention period (N years after the end of the last policy year insured)"))
    retention.add_argument("--anonymise", action="store_true", help=pick(
        "把到期人员匿名化（不可撤销）", "anonymise the people due (cannot be undone)"))


def run(args) -> int:
    from fpdesk.services.opening import open_workspace
    workspace = open_workspace(database_url(args))
    try:
        if args.audit_action == "retention":
            return _retention(args, workspace)
        return _verify(args, workspace) if args.audit_action == "verify" else _show(args, workspace)
    finally:
        workspace.close()


def _verify(args, workspace) -> int:
    from fpdesk.core.errors import DomainError
    from fpdesk.services.trust import audit

    if getattr(args, "child", None):
        return _verify_child(args, workspace)
    found = audit.verify(workspace)
    anchors = audit.anchor_problems(workspace)
    if found.ok and not anchors:
        emit(args, {"ok": True, "entries": found.entries},  # the shape an intact log always had
             pick(f"审计日志完好：{found.entries} 条修改记录的哈希链全部核对无误，数据表与日志一致。",
                  f"The audit log is intact: the hash chain of all {found.entries} changes checks out, and the data"
                  " tables agree with the log."))
        return EXIT_OK
    if found.ok:
        emit(args, {"ok": False, "entries": found.entries, "anchor_problems": anchors},
             lambda: pick("本机审计日志完好，但下级单位交来的审计链头显示它们的日志被改写或删短过：\n",
                          "This computer's audit log is intact, but the chain heads child offices sent show their"
                          " logs were rewritten or cut short:\n") + "\n".join(pick(
                 f"  {a['office']} 设备 {a['device']}：{'被改写' if a['problem'] == 'rewritten' else '变短'}"
                 f"（{a['received_at']} 收到）",
                 f"  {a['office']} device {a['device']}: {'rewritten' if a['problem'] == 'rewritten' else 'shorter'}"
                 f" (received {a['received_at']})") for a in anchors))
        return EXIT_REFUSED
    reason_zh, reason_en = audit.reason_text(found.reason)
    at_end = found.broken_seq is None  # the entries are intact but the chain's head is not the last one's
    error = DomainError("audit_broken", {"seq": "（末尾）" if at_end else found.broken_seq,
                                         "seq_en": "(the last)" if at_end else found.broken_seq,
                                         "reason_zh": reason_zh, "reason_en": reason_en})
    broken = {"local_seq": found.broken_seq, "reason": found.reason,
              "entry": {k: str(v) for k, v in found.broken_entry.items()}, "details": found.details}
    emit(args, {"ok": False, "entries_checked": found.entries, "broken": broken, "error": error.as_dict(),
                "anchor_problems": anchors},
         lambda: pick(f"{error.message_zh}\n  之前的 {found.entries} 条核对无误。\n  ",
                      f"{error.message_en}\n  {_entries_before_en(found.entries)}\n  ")
                 + json.dumps(broken["entry"], ensure_ascii=False))
    return EXIT_REFUSED


def _entries_before_en(count: int) -> str:
    if count == 0:
        return "No entry before it."
    return "The entry before it checks out." if count == 1 else f"The {count} entries before it check out."


def _verify_child(args, workspace) -> int:
    from fpdesk.services.trust import audit

    checks = audit.verify_child(workspace, args.child)
    ok = all(check.ok for check in checks)
    if english():
        lines = [f"Device {c.device}: {c.anchors} chain heads, {c.entries} entries, " + ("all match" if c.ok else "; ".join(
            f"entry {b['entries']} {'was rewritten' if b['reason'] == 'rewritten' else 'is gone (the log was cut short)'}"
            f" (that chain head received {b['received_at']})" for b in c.broken)) for c in checks]
    else:
        lines = [f"设备 {c.device}：{c.anchors} 个链头，{c.entries} 条记录，" + ("全部吻合" if c.ok else "；".join(
            f"第 {b['entries']} 条处{'被改写' if b['reason'] == 'rewritten' else '已不存在（日志被删短）'}"
            f"（该链头 {b['received_at']} 收到）" for b in c.broken)) for c in checks]
    emit(args, {"ok": ok, "child": args.child, "devices": [c.as_dict() for c in checks]},
         "\n".join(lines) or pick("本单位没有收到过这个数据库的设备交来的链头。",
                                  "This office never received a chain head from this database's devices."))
    return EXIT_OK if ok else EXIT_REFUSED


def _show(args, workspace) -> int:
    from fpdesk.services.trust import audit

    entries = audit.history(workspace, record=args.record, user=args.by_user, entity=args.entity,
                            limit=args.limit or None, include_members=True)
    rows = [entry.as_dict() for entry in entries]

    def text() -> str:
        if not rows:
            return pick("没有符合条件的修改记录。", "No changes match.")
        lines = []
        for row in rows:
            lines.append(f"#{row['seq']}  {row['at']}  {row['author']}  {row['entity']} {row['operation']}  "
                         f"{row['record_id']}")
            old = row["old_values"] or {}
            for key, value in (row["fields"] or {}).items():
                lines.append(f"      {key}: {old[key]!r} → {value!r}" if key in old else f"      {key}: {value!r}")
        return "\n".join(lines)

    emit(args, {"ok": True, "count": len(rows), "entries": rows}, text)
    return EXIT_OK


def _retention(args, workspace) -> int:
    from fpdesk.services.trust import privacy

    if args.set_years is not None:
        privacy.set_retention_years(workspace, args.set_years)
    years = privacy.retention_years(workspace)
    due = privacy.due_for_anonymisation(workspace)
    payload = {"ok": True, "years": years, "due": len(due)}
    if args.anonymise and due:
        result = privacy.anonymise(workspace, due)
        payload |= {"anonymised": result.persons, "history_entries_redacted": result.history_entries_redacted}
    lines = [pick(f"保存年限：最后参保的保险年度结束后 {years} 年；到期未再参保的人员：{len(due)} 人。",
                  f"Retention: {years} years after the end of the last policy year insured; people due and not"
                  f" insured again: {len(due)}.")]
    if "anonymised" in payload:
        lines.append(pick(f"已匿名化 {payload['anonymised']} 人（历史记录中 {payload['history_entries_redacted']} 条已改为摘要）。",
                          f"Anonymised {payload['anonymised']} people ({payload['history_entries_redacted']} history"
                          " entries reduced to a summary)."))
    elif due:
        lines.append(pick("加 --anonymise 将其匿名化（不可撤销）。", "Add --anonymise to anonymise them (cannot be undone)."))
    emit(args, payload, "\n".join(lines))
    return EXIT_OK
