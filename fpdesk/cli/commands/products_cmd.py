"""fpdesk products list | show CODE | check [FILE] | eligibility --product CODE --birth-date D --on D …
| folder [DIR | --program]

Reads the product definitions under forms/ (or --forms DIR) and needs no database. Given --db (and
no --forms), list, show and eligibility read that office's catalog instead: at a township or village,
what its county published (services/enrollment/product_catalog.py). ``folder`` is the county's own definitions
folder, kept in its database. The YAML loader and the rules engine are imported inside
``run`` so ``fpdesk --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fpdesk.cli.commands.products_text import eligibility_text, show_text
from fpdesk.cli.output import EXIT_OK, EXIT_REFUSED, action_help, emit
from fpdesk.core.errors import DomainError
from fpdesk.core.language import pick

COMMANDS = {"products": "险种：列表、详情、检查、资格判断 / insurance products"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="products_action", metavar="ACTION", required=True)
    # Options the parent parser also knows are SUPPRESSed here: otherwise the sub-parser's default
    # would overwrite a value given before the action (fpdesk products --json list).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help=pick("在标准输出打印机器可读的 JSON", "print machine-readable JSON on standard output"))
    common.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    common.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME", help=pick("以此用户登录", "log in as this user"))
    common.add_argument("--forms", metavar="DIR", type=Path,
                        help=pick("产品定义目录（默认为程序自带的 forms/）",
                                  "product definitions folder (default: the program's own forms/)"))

    actions.add_parser("list", parents=[common], help=action_help("列出全部险种 / list products"))

    show = actions.add_parser("show", parents=[common], help=action_help("产品详情 / show one product"))
    show.add_argument("code", metavar="CODE", help=pick("产品代码，如 fp_family_accident_100",
                                                        "product code, e.g. fp_family_accident_100"))

    new = actions.add_parser("new", parents=[common],
                             help=action_help("照某个产品新建定义文件 / start a definition file from an existing product"))
    new.add_argument("--like", required=True, metavar="CODE", help=pick(
        "照此产品的定义文件抄一份，如 fp_family_accident_100",
        "copy this product's definition file, e.g. fp_family_accident_100"))
    new.add_argument("--code", required=True, metavar="NEW", help=pick(
        "新产品代码（小写字母、数字和下划线），也是文件名",
        "the new product's code (lower-case letters, digits and underscores), also the file's name"))
    new.add_argument("--out", metavar="FILE", type=Path, help=pick(
        "写到此文件（默认为当前目录下的 NEW.yaml）", "write to this file (default: NEW.yaml in the current folder)"))

    check = actions.add_parser("check", parents=[common],
                               help=action_help("检查产品与登记表定义文件 / validate definition files"))
    check.add_argument("file", metavar="FILE", nargs="?", type=Path, help=pick(
        "要检查的单个文件；不填则检查整个 forms/ 目录", "one file to check; without it, the whole forms/ folder"))

    folder = actions.add_parser("folder", parents=[common],
                                help=action_help("本县的产品定义目录：查看或更换（随数据包下发）/ the county's definitions folder"))
    folder.add_argument("dir", metavar="DIR", nargs="?", type=Path, help=pick(
        "新的定义目录（先整体检查）；不填则显示当前目录", "the new definitions folder (checked whole first); without it, show the current one"))
    folder.add_argument("--program", action="store_true", help=pick(
        "改回本程序自带的 forms/ 目录", "go back to the program's own forms/ folder"))

    judge = actions.add_parser("eligibility", parents=[common], help=action_help("判断参保资格 / judge eligibility"))
    judge.add_argument("--product", required=True, metavar="CODE")
    judge.add_argument("--birth-date", required=True, metavar="DATE", help=pick("被保险人出生日期", "the insured's birth date"))
    judge.add_argument("--on", required=True, metavar="DATE",
                       help=action_help("登记（交费）日期；年龄按保险起期判断 / enrollment (payment) date"))
    judge.add_argument("--recorded-on", metavar="DATE",
                       help=action_help("录入日期（补录往年名册时填写今天）/ date typed in, for history"))
    judge.add_argument("--category", action="append", default=[], metavar="C",
                       help=pick("家庭类别（可重复），如 other_fp 或 独生子女户",
                                 "family category (may be repeated), e.g. other_fp or only_child"))
    judge.add_argument("--renewal", action="store_true", help=pick("上期已参保（续保）", "insured last period (a renewal)"))
    judge.add_argument("--rural", action="store_true", help=pick("农村家庭", "rural family"))
    judge.add_argument("--certificate", metavar="NO", help=pick("独生子女证号", "only-child certificate number"))
    judge.add_argument("--reward-recipient", action="store_true", help=pick(
        "享受独生子女父母奖励金", "receives the only-child parents' reward"))
    judge.add_argument("--child-birth-date", metavar="DATE", help=pick("独生子女出生日期", "the only child's birth date"))
    judge.add_argument("--on-eligible-list", action="store_true", help=pick(
        "在当年参保对象名单中", "on this year's eligible list"))
    judge.add_argument("--relation", default="head", help=pick(
        "与户主关系（默认 head 户主）", "relation to the household head (default: head)"))
    judge.add_argument("--role", choices=["only_child", "parent"], help=pick(
        "被保险人身份（默认按与户主关系推定）", "the insured's role (default: from the relation to the head)"))
    judge.add_argument("--status", default="alive", choices=["alive", "deceased", "moved_out"])
    judge.add_argument("--unit-channel", action="store_true", help=pick(
        "通过机关单位渠道登记", "enrolled through an agency unit"))
    judge.add_argument("--payer", choices=["government", "self", "employer"], help=pick("指定缴费方式", "who pays"))
    judge.add_argument("--shares", type=int, default=1, help=pick("本次登记份数（默认1）", "shares enrolled now (default 1)"))
    judge.add_argument("--shares-held", type=int, default=0, help=pick(
        "本人本期已有份数", "shares the person already holds this period"))
    judge.add_argument("--family-shares-held", type=int, default=0, help=pick(
        "本户本期已有份数", "shares the household already holds this period"))
    judge.add_argument("--already-insured", action="store_true", help=pick(
        "本人本期已参保", "the person is already insured this period"))
    judge.add_argument("--insured-count", type=int, default=1, help=pick(
        "同一份保险下的被保险人数（用于计算均分保额，默认1）",
        "insured persons under the same share (for sums split among them; default 1)"))
    judge.add_argument("--year", type=int, metavar="Y", help=pick(
        "要参保的保险年度（默认按登记日期推定）", "the policy year to enroll in (default: from the enrollment date)"))
    judge.add_argument("--continues", metavar="DATE", help=pick(
        "续保：上期保障的最后一天（本期自次日起）", "renewal: the last day of the previous cover (this one starts the next day)"))
    judge.add_argument("--answer", action="append", default=[], metavar="KEY=VALUE", help=pick(
        "登记表回答，如 health_declaration=否（产品以回答为条件时）",
        "an answer on the enrollment form, e.g. health_declaration=no (for products that depend on one)"))


def run(args) -> int:
    action = args.products_action
    if action == "check":
        return _check(args)
    if action == "folder":
        return _county_folder(args)
    if action == "new":
        return _new(args)
    products = _products_of(args)
    if action == "list":
        return _list(args, products)
    if action == "show":
        return _show(args, products)
    return _eligibility(args, products)


def _products_of(args):
    """The folder's products, or with an explicit --db that office's own catalog."""
    from fpdesk.core.products import load_products

    if args.forms is not None or not getattr(args, "db", None):
        return load_products(args.forms)
    from fpdesk.cli.output import database_url
    from fpdesk.services.enrollment.product_catalog import office_catalog
    from fpdesk.services.opening import open_workspace
    workspace = open_workspace(database_url(args))
    try:
        return dict(office_catalog(workspace).products)
    finally:
        workspace.close()


# -- new --like ---------------------------------------------------------------------------------------


_CODE = r"^[a-z][a-z0-9_]{1,39}$"


def _new(args) -> int:
    """Copy the definition file of ``--like`` as ``--code``: every key and comment of a working
    product, to be changed where the county's plan differs (docs/products.md)."""
    import re

    from fpdesk.core.paths import display_path, forms_dir
    from fpdesk.core.products import find_product, load_product_file, load_products

    if not re.match(_CODE, args.code):
        raise DomainError("bad_argument", {"detail": f"--code {args.code!r}：产品代码应为小写字母开头，"
                                                     "由小写字母、数字和下划线组成（2到40个字符）",
                                           "detail_en": f"--code {args.code!r}: a product code starts with a"
                                                        " lower-case letter and has lower-case letters, digits and"
                                                        " underscores (2 to 40 characters)"})
    folder = _folder(args.forms or forms_dir(), "products")
    source = folder / f"{args.like}.yaml"
    if not source.is_file():
        find_product(load_products(folder), args.like)  # says which codes there are
    target = args.out or Path(f"{args.code}.yaml")
    if target.suffix != ".yaml" or target.stem != args.code:
        raise DomainError("bad_argument", {"detail": f"--out {target}：文件名应为 {args.code}.yaml（文件名即产品代码）",
                                           "detail_en": f"--out {target}: the file's name must be {args.code}.yaml"
                                                        " (the name is the product code)"})
    if target.exists():
        raise DomainError("product_file_exists", {"file": display_path(target)})
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^code:\s*\S+", f"code: {args.code}", text, count=1)
    header = pick(f"# 照 {args.like} 新建：请逐项按本县实施方案修改（见 docs/products.md），改完用\n"
                  f"#   fpdesk products check {target.name}\n# 检查，用 fpdesk products show 对照方案逐句核对。\n",
                  f"# Made from {args.like}: change it item by item to the county's plan (docs/products.md), then\n"
                  f"#   fpdesk products check {target.name}\n# and compare it sentence by sentence with the plan"
                  " through fpdesk products show.\n")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(header + text, encoding="utf-8")
    load_product_file(target)  # the copy must load as its original did
    emit(args, {"ok": True, "code": args.code, "like": args.like, "file": display_path(target)},
         lambda: pick(f"已新建 {display_path(target)}（照 {args.like}）。请按本县方案修改后运行 fpdesk products check。",
                      f"Made {display_path(target)} (from {args.like}). Change it to the county's plan, then run"
                      " fpdesk products check."))
    return EXIT_OK


# -- the county's folder -------------------------------------------------------------------------------


def _county_folder(args) -> int:
    from fpdesk.cli.output import database_url
    from fpdesk.core.paths import forms_dir
    from fpdesk.services.enrollment.product_catalog import forms_folder, set_forms_folder
    from fpdesk.services.opening import open_workspace
    workspace = open_workspace(database_url(args))
    try:
        if args.program or args.dir is not None:
            chosen = set_forms_folder(workspace, None if args.program else args.dir)
        else:
            chosen = forms_folder(workspace)
        county = workspace.office is None or workspace.office.level.value == "county"
    finally:
        workspace.close()
    own = chosen == forms_dir()

    def text() -> str:
        if not county:
            return pick("本单位按县级下发的产品定义办理，不使用定义目录（见“数据交换”页）。",
                        "This office works with the product definitions its county sends; it has no definitions"
                        " folder (see the Exchange page).")
        return pick(f"产品定义目录：{chosen}" + ("（本程序自带）" if own else "") + "。向下级导出时按此目录下发。",
                    f"Product definitions folder: {chosen}" + (" (the program's own)" if own else "")
                    + ". Exports to child offices send these definitions.")

    emit(args, {"ok": True, "folder": str(chosen), "program_forms": own}, text)
    return EXIT_OK


# -- list / show ---------------------------------------------------------------------------------------


def _list(args, products) -> int:
    from fpdesk.core.money import format_fen
    from fpdesk.core.products import UNITS

    rows = [{"code": p.code, "name_zh": p.name_zh, "name_en": p.name_en, "insurer": p.insurer, "year": p.year,
             "unit": p.unit, "premium_fen": p.premium_fen, "form": p.form, "assumed": list(p.assumed),
             "withdrawn": p.withdrawn}
            for p in products.values()]

    def text() -> str:
        lines = [pick(f"共 {len(rows)} 个险种：", f"{len(rows)} products:")]
        for p in products.values():
            mark = ((pick("  (含暂定值)", "  (has assumed values)") if p.assumed else "")
                    + (pick("  (已停办，仅保留给已有的参保记录)", "  (withdrawn; kept for existing enrollments only)")
                       if p.withdrawn else ""))
            unit = pick(f"{UNITS[p.unit][0]:<6}", f"{UNITS[p.unit][1]:<10}")
            lines.append(f"  {p.code:<30} {format_fen(p.premium_fen):>9}/{unit} {pick(p.name_zh, p.name_en or p.name_zh)}{mark}")
        return "\n".join(lines)

    emit(args, {"ok": True, "products": rows}, text)
    return EXIT_OK


def product_as_dict(product) -> dict:
    from fpdesk.core.products import in_vocabulary_order
    from fpdesk.core.vocabulary import PayerType

    rules = product.eligibility
    window = product.enrollment_window
    return {
        "code": product.code, "name_zh": product.name_zh, "name_en": product.name_en, "withdrawn": product.withdrawn,
        "insurer": product.insurer, "year": product.year, "version": product.version, "form": product.form,
        "unit": product.unit, "premium_fen": product.premium_fen, "premium_max_fen": product.premium_max_fen,
        "funding_source": product.funding_source,
        "liabilities": [{"kind": li.kind, "label_zh": li.label_zh, "split": li.split, "amount_fen": li.amount_fen,
                         "amount_per_day_fen": li.amount_per_day_fen, "max_days_per_year": li.max_days_per_year}
                        for li in product.liabilities],
        "eligibility": {
            "min_age_days": rules.min_age_days, "min_age_years": rules.min_age_years,
            "max_age_new": rules.max_age_new, "max_age_renewal": rules.max_age_renewal,
            "categories": [c.value for c in in_vocabulary_order(rules.categories)],
            "required_documents": sorted(rules.required_documents), "requires_rural": rules.requires_rural,
            "requires_reward_recipient": rules.requires_reward_recipient,
            "requires_eligible_list": rules.requires_eligible_list,
            "insured_roles": sorted(rules.insured_roles), "only_child_max_age": rules.only_child_max_age,
        },
        "payer_by_category": {payer.value: [c.value for c in in_vocabulary_order(cats)]
                              for payer, cats in product.payer_by_category.items()},
        "default_payer": product.default_payer.value, "unit_channel_payer": product.unit_channel_payer.value,
        "max_shares_per_person": product.max_shares_per_person,
        "max_shares_per_family": product.max_shares_per_family,
        "period": {"rule": product.period.rule, "years": product.period.years,
                   "cycle_start": str(product.period.cycle_start) if product.period.cycle_start else None,
                   **({"starts": product.period.campaign_start.isoformat(),
                       "ends": product.period.campaign_end.isoformat()} if product.period.campaign_start else {})},
        "enrollment_window": None if window is None else {
            "opens": str(window.opens), "deadline": str(window.deadline), "covers": window.covers,
            "warn_days_before_deadline": window.warn_days_before_deadline},
        "statistical_year_start_month": product.statistical_year_start_month,
        "rounding": product.rounding, "assumed": list(product.assumed), "source_file": product.source_file,
        "allowed_payers": [p.value for p in PayerType if p in product.allowed_payers],
        "payer_by_answer": None if product.payer_by_answer is None else {
            "field": product.payer_by_answer.field,
            "payers": {value: payer.value for value, payer in product.payer_by_answer.payers}},
        "required_answers": [{"field": a.field, "value": a.value, "condition_zh": a.condition_zh}
                             for a in rules.required_answers],
        "part_year": {"premium": product.part_year.premium, "rounding": product.part_year.rounding},
        "late_entries": product.late_entries,
        "aliases": list(product.aliases),
        "category_prices": [{"categories": [c.value for c in in_vocabulary_order(p.categories)],
                             "premium_fen": p.premium_fen} for p in product.category_prices],
        "contributions": [{"payer": c.payer, "label_zh": c.label_zh, "fen": c.fen, "whole": c.whole,
                           "categories": [x.value for x in in_vocabulary_order(c.categories)],
                           "first_shares": c.first_shares} for c in product.contributions],
        "member_ages": [{"member": m.member, "min_days": m.ages.min_days, "min_years": m.ages.min_years,
                         "max_years": m.ages.max_years, "text": m.ages.text} for m in rules.member_ages],
        "ages_text": rules.ages_text, "open_to_all": rules.open_to_all,
    }


def _show(args, products) -> int:
    from fpdesk.core.products import find_product

    product = find_product(products, args.code)
    payload = product_as_dict(product)
    emit(args, {"ok": True, "product": payload}, lambda: show_text(product))
    return EXIT_OK


# -- check -------------------------------------------------------------------------------------------


def _check(args) -> int:
    from fpdesk.core.catalog import load_catalog
    from fpdesk.core.enrollment_forms import load_form_file
    from fpdesk.core.paths import display_path, forms_dir
    from fpdesk.core.products import load_product_file

    target = args.file or args.forms or forms_dir()
    if target.is_dir():
        root = target
        files = [(p, load_product_file) for p in sorted(_folder(root, "products").glob("*.yaml"))]
        files += [(p, load_form_file) for p in sorted(_folder(root, "enrollment").glob("*.yaml"))]
    else:
        root = None
        loader = load_form_file if target.parent.name == "enrollment" else load_product_file
        files = [(target, loader)]
    results = []
    for path, loader in files:
        try:
            loader(path)
            results.append({"file": display_path(path), "ok": True})
        except DomainError as error:
            results.append({"file": display_path(path), "ok": False, "error": error.as_dict()})
    if root is not None and all(r["ok"] for r in results):
        try:  # each file is fine on its own; do the products name forms that exist?
            load_catalog(root)
        except DomainError as error:
            results.append({"file": display_path(root), "ok": False, "error": error.as_dict()})
    ok = all(r["ok"] for r in results) and bool(files)
    for result in results:
        if not result["ok"]:
            print(pick(f"错误 [{result['error']['code']}]：{result['error']['message']}",
                       f"Error [{result['error']['code']}]: {result['error']['message_en']}"), file=sys.stderr)

    def text() -> str:
        if not files:
            return pick(f"没有找到定义文件：{display_path(target)}", f"No definition files found: {display_path(target)}")
        good = sum(r["ok"] for r in results)
        return pick(f"已检查 {len(files)} 个文件：{good} 个正确，{len(results) - good} 处错误。",
                    f"Checked {len(files)} files: {good} correct, {len(results) - good} errors.")

    emit(args, {"ok": ok, "checked": len(files), "files": results}, text)
    return EXIT_OK if ok else EXIT_REFUSED


def _folder(root: Path, name: str) -> Path:
    return root / name if (root / name).is_dir() else root


# -- eligibility ---------------------------------------------------------------------------------------


def _eligibility(args, products) -> int:
    from fpdesk.core.dates import parse_date
    from fpdesk.core.products import find_product
    from fpdesk.core.rules import EnrollmentFacts, HouseholdFacts, PersonFacts, judge_person
    from fpdesk.core.rules_benefits import covers_for_insured
    from fpdesk.core.vocabulary import PayerType, PersonStatus, Relation

    product = find_product(products, args.product)
    for name in ("shares", "insured_count"):
        if getattr(args, name) < 1:
            raise DomainError("bad_argument", {"detail": f"--{name.replace('_', '-')} 应至少为1",
                                               "detail_en": f"--{name.replace('_', '-')} must be at least 1"})
    for name in ("shares_held", "family_shares_held"):
        if getattr(args, name) < 0:
            raise DomainError("bad_argument", {"detail": f"--{name.replace('_', '-')} 不能为负数",
                                               "detail_en": f"--{name.replace('_', '-')} cannot be negative"})
    try:
        relation = Relation.from_text(args.relation)
    except ValueError:
        raise DomainError("unknown_relation", {"value": args.relation}) from None
    person = PersonFacts(
        birth_date=parse_date(args.birth_date), status=PersonStatus(args.status), relation=relation,
        role=args.role, on_eligible_list=args.on_eligible_list, renewal=args.renewal,
        shares_held=args.shares_held, already_insured_this_period=args.already_insured)
    household = HouseholdFacts(
        categories=frozenset(_categories(args.category)), certificate_no=args.certificate, is_rural=args.rural,
        reward_recipient=args.reward_recipient, via_unit_channel=args.unit_channel,
        only_child_birth_date=parse_date(args.child_birth_date) if args.child_birth_date else None)
    enrollment = EnrollmentFacts(
        enrollment_date=parse_date(args.on), shares=args.shares, family_shares_held=args.family_shares_held,
        recorded_on=parse_date(args.recorded_on) if args.recorded_on else None,
        requested_payer=PayerType(args.payer) if args.payer else None, policy_year=args.year,
        previous_cover_end=parse_date(args.continues) if args.continues else None,
        answers=_answers(product, args.answer))
    result = judge_person(product, person, household, enrollment)
    judged = result.persons[0]
    # A family product divides some sums among everyone insured under the share: show this person's part.
    covers = ()
    if result.eligible:
        covers = covers_for_insured(product, 1 if product.unit == "person" else args.insured_count, args.shares)[0]
    window = result.window
    payload = {
        "eligible": result.eligible,
        "reasons": result.reason_codes,
        "premium_fen": result.premium_fen,
        "period": result.period.as_pair(),
        "product": product.code,
        "unit_premium_fen": product.premium_fen,
        "payer": result.payer.value,
        "warnings": [w.code for w in result.warnings],
        "messages": [r.as_dict() for r in (*result.reasons, *result.warnings)],
        "age": {"checked_on": result.period.start.isoformat(), "completed_years": judged.age_years,
                "days": judged.age_days},
        "window": {"state": window.state, "opens": _iso(window.opens), "deadline": _iso(window.deadline),
                   "days_left": window.days_left, "cover_year": window.cover_year,
                   "next_opens": _iso(window.next_opens), "late": product.late_entries},
        "historical": result.historical,
        "sums_insured": [c.as_dict() for c in covers],
        "contributions": [{"payer": level, "amount_fen": amount} for level, amount in result.contributions],
    }
    emit(args, payload, lambda: eligibility_text(product, result, covers))
    return EXIT_OK


def _answers(product, pairs: list[str]) -> dict | None:
    """KEY=VALUE answers typed like the form's (是/否, a choice's value or label)."""
    from fpdesk.core.enrollment_forms import check_value
    from fpdesk.services.enrollment.facts import catalog

    if not pairs:
        return None
    form = product.enrollment_form or catalog().form_of(product)
    found = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        form_field = form.field(key.strip()) if sep else None
        if form_field is None:
            raise DomainError("bad_argument", {"detail": f"--answer {pair!r}：登记表没有这个字段（写成 KEY=VALUE）",
                                               "detail_en": f"--answer {pair!r}: the form has no such field"
                                                            " (write KEY=VALUE)"})
        found[form_field.key] = check_value(form_field, value.strip())
    return found


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _categories(values: list[str]):
    from fpdesk.core.vocabulary import HouseholdCategory

    for value in values:
        try:
            yield HouseholdCategory.from_text(value)
        except ValueError:
            raise DomainError("unknown_category", {"value": value}) from None
