"""fpdesk roster import | export | template — Excel rosters in and out.

    fpdesk roster import FILE [--sheet NAME] [--year Y] [--product P] [--set FIELD=VALUE ...] [--dry-run]
                              [--report OUT.xlsx] [--json]
    fpdesk roster export --year Y [--product P] [--scope CODE] --for finance|insurer|full --out FILE.xlsx
    fpdesk roster template --product P --out FILE.xlsx

import prints {"rows", "new", "updated", "unchanged", "rejected": [{"row", "column", "code", "message"}],
"not_insured": [{"row", "code", "message"}], "file_issues": [{"code", "message"}], "notes": [{"row", "code",
"message"}]}; exit 0 every row accepted (members the product does not cover are registered and listed as
not insured, not rejected), 3 some rows rejected or a problem of the whole file left enrollments out (the
rest applied unless --dry-run), 1 the file refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fpdesk.cli.output import EXIT_OK, action_help, database_url, emit
from fpdesk.core.language import english, pick

EXIT_PARTIAL = 3
COMMANDS = {"roster": "导入、导出 Excel 花名册，生成导入模板 / import and export Excel rosters"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="roster_action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=pick("打印 JSON", "print JSON"))
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=pick("数据库", "database"))
    common.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME", help=pick("以此用户登录", "log in as this user"))
    imp = actions.add_parser("import", parents=[common],
                             help=action_help("导入花名册（.xlsx/.xls/.ods/.csv）/ import a roster"))
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--sheet", metavar="NAME", help=pick("工作表名称（默认第一个）", "the sheet's name (default: the first)"))
    imp.add_argument("--year", type=int, metavar="Y", help=pick("保险年度（默认今年）", "policy year (default: this year)"))
    imp.add_argument("--product", metavar="P", help=pick(
        "险种代码（文件中没有“险种”列时）", "product code (when the file has no product column)"))
    imp.add_argument("--set", dest="answers", action="append", default=[], metavar="FIELD=VALUE", help=pick(
        "文件中没有的登记表项目，全部填为同一个值（可重复），如 --set 被保险人身体健康=是",
        "an enrollment form item the file lacks, the same value for every row (may be repeated),"
        " e.g. --set health_declaration=yes"))
    imp.add_argument("--dry-run", action="store_true", help=pick("只检查，不写入", "check only, write nothing"))
    imp.add_argument("--report", type=Path, metavar="OUT.xlsx", help=pick(
        "把被拒收的行连同错误说明另存为 xlsx", "save the rejected rows with what is wrong as an xlsx file"))
    exp = actions.add_parser("export", parents=[common], help=action_help("导出花名册 / export a roster"))
    exp.add_argument("--year", type=int, required=True, metavar="Y")
    exp.add_argument("--product", metavar="P")
    exp.add_argument("--scope", metavar="CODE", help=pick(
        "只导出这个乡镇或村（区划代码）", "only this township or village (division code)"))
    exp.add_argument("--for", dest="audience", required=True, choices=("finance", "insurer", "full"), help=pick(
        "finance 财政所 / insurer 保险公司 / full 完整花名册",
        "finance: the finance office / insurer: the insurance company / full: the full roster"))
    exp.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    exp.add_argument("--full-id-numbers", action="store_true", help=pick(
        "完整花名册中显示完整身份证号码（默认只显示前6位和后4位）",
        "whole ID numbers in the full roster (default: only the first 6 and last 4 digits)"))
    tpl = actions.add_parser("template", parents=[common], help=action_help("生成空白导入模板 / write an import template"))
    tpl.add_argument("--product", required=True, metavar="P")
    tpl.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")


def run(args) -> int:
    from fpdesk.services.opening import open_workspace
    workspace = open_workspace(database_url(args))
    try:
        if args.roster_action == "import":
            return _import(args, workspace)
        if args.roster_action == "export":
            return _export(args, workspace)
        return _template(args, workspace)
    finally:
        workspace.close()


def _import(args, workspace) -> int:
    from fpdesk.services.rosters.importing import import_roster
    from fpdesk.services.rosters.questions import parse_settings

    result = import_roster(workspace, args.file, sheet=args.sheet, year=args.year, product=args.product,
                           dry_run=args.dry_run, report=args.report, answers=parse_settings(args.answers))
    for issue in result.file_issues:  # the whole file's problems first, once each
        print(pick(issue.message, issue.message_en), file=sys.stderr)
    for issue in result.rejected:
        print(pick(issue.message, issue.message_en), file=sys.stderr)
    _unknown_villages(result, workspace)
    if result.not_insured:
        print(pick(f"以下 {len(result.not_insured)} 人已登记，按险种规定不参保：",
                   f"These {len(result.not_insured)} people are registered but not insured, by the product's rules:"),
              file=sys.stderr)
        for item in result.not_insured:
            print("  " + pick(item.message, item.message_en), file=sys.stderr)
    for note in result.notes:
        print(pick(note.message, note.message_en), file=sys.stderr)
    if result.households_only:
        print(pick("文件中没有“险种”列，也没有选择险种：只登记了家庭户和人员，没有办理参保。"
                   "如要同时参保，请用 --product 选择险种后重新导入。",
                   "The file has no product column and no product was chosen: households and people were registered,"
                   " nobody was enrolled. To enroll them too, import again with --product."), file=sys.stderr)
    if result.registry_changes_total:  # renamed people, households moved: never changed unsaid
        if english():
            print(f"{'Will change' if args.dry_run else 'Changed'} {result.registry_changes_total} registered"
                  " details:", file=sys.stderr)
        else:
            verb = "将修改" if args.dry_run else "已修改"
            print(f"{verb}已登记的信息 {result.registry_changes_total} 处：", file=sys.stderr)
        for change in result.registry_changes:
            print("  " + change.describe(pick("zh", "en")), file=sys.stderr)
        if result.registry_changes_total > len(result.registry_changes):
            more = result.registry_changes_total - len(result.registry_changes)
            print(pick(f"  ……另有 {more} 处未列出。", f"  … {more} more not listed."), file=sys.stderr)
    if english():
        text = (f"{'Checked (nothing written)' if args.dry_run else 'Imported'} '{args.file.name}', sheet"
                f" '{result.sheet}': {result.rows} rows, {result.new} new, {result.updated} updated,"
                f" {result.unchanged} unchanged, {result.enrollments_new} households enrolled,"
                f" {len(result.not_insured)} people not insured, {len(result.rejected_rows)} rows rejected"
                f" ({result.not_registered_rows} of them not registered).")
        if result.file_issues:
            text += f"\n{len(result.file_issues)} problems of the whole file, see above."
        if result.report_path:
            text += f"\nThe rejected rows are saved as {result.report_path}; corrected, it can be imported as it is."
        emit(args, result.as_dict(), text)
        return EXIT_PARTIAL if result.rejected or result.file_issues else EXIT_OK
    verb = "检查（未写入）" if args.dry_run else "导入"
    text = (f"{verb}“{args.file.name}”工作表“{result.sheet}”：共 {result.rows} 行，新增 {result.new}，"
            f"更新 {result.updated}，未变 {result.unchanged}，参保 {result.enrollments_new} 户，"
            f"不参保 {len(result.not_insured)} 人，拒收 {len(result.rejected_rows)} 行"
            f"（其中 {result.not_registered_rows} 行未登记）。")
    if result.file_issues:
        text += f"\n整个文件的问题 {len(result.file_issues)} 项，见上。"
    if result.report_path:
        text += f"\n被拒收的行已另存为 {result.report_path}，改正后可直接重新导入。"
    emit(args, result.as_dict(), text)
    return EXIT_PARTIAL if result.rejected or result.file_issues else EXIT_OK


def _unknown_villages(result, workspace) -> None:
    """Each village the office does not know, once, with what adds it (at a township: its own villages)."""
    if not result.unknown_divisions:
        return
    office = workspace.require_office()
    for (_township, village), rows in result.unknown_divisions.items():
        shown = pick("、", ", ").join(map(str, rows[:8])) + ("…" if len(rows) > 8 else "")
        line = pick(f"本单位还没有“{village}”（第{shown}行）。", f"This office has no village '{village}' (rows {shown}).")
        if office.level.value == "township":
            line += pick(f"如是本乡镇的村（社区），可先添加：fpdesk divisions add --name {village} --under {office.code}"
                         "（知道统计用区划代码的加 --code），再重新导入。",
                         f" If it is a village of this township, add it first with fpdesk divisions add --name"
                         f" {village} --under {office.code} (with --code if its statistical code is known), then"
                         " import again.")
        elif office.level.value == "county":
            line += pick("请先用 fpdesk divisions import 导入区划名单，或用 fpdesk divisions add 添加。",
                         " Import the division list with fpdesk divisions import first, or add it with"
                         " fpdesk divisions add.")
        print(line, file=sys.stderr)


def _export(args, workspace) -> int:
    from fpdesk.services.rosters.export import export_roster

    result = export_roster(workspace, year=args.year, audience=args.audience, out=args.out, product=args.product,
                           scope=args.scope, full_id_numbers=args.full_id_numbers)
    emit(args, {"ok": True, **result.as_dict()},
         pick(f"已导出 {result.rows} 人到 {result.path}（{len(result.sheets)} 个工作表）。",
              f"Exported {result.rows} people to {result.path} ({len(result.sheets)} sheet{'' if len(result.sheets) == 1 else 's'})."))
    return EXIT_OK


def _template(args, workspace) -> int:
    from fpdesk.services.rosters.export import write_import_template

    path = write_import_template(workspace, product=args.product, out=args.out)
    emit(args, {"ok": True, "path": str(path), "product": args.product},
         pick(f"导入模板已保存到 {path}。", f"Import template saved as {path}."))
    return EXIT_OK
