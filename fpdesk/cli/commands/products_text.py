"""What ``fpdesk products show`` and ``products eligibility`` print: in Chinese the way a county's plan
(实施方案) words its terms, so a clerk can lay the two side by side; under --lang en the same in English."""

from __future__ import annotations

from fpdesk.core.language import english, pick


def show_text(product) -> str:
    from fpdesk.core.money import format_fen
    from fpdesk.core.product_description import alias_line, eligibility_lines, period_line, premium_lines
    from fpdesk.core.products import (
        ALL_PAYERS,
        INSURED_ROLES,
        LATE_ENTRIES,
        PART_YEAR_PREMIUMS,
        PART_YEAR_ROUNDING,
        PERIOD_RULES,
        SPLITS,
        UNITS,
        in_vocabulary_order,
    )
    from fpdesk.core.vocabulary import PayerType

    if english():
        return _show_en(product)
    rules = product.eligibility
    mark = lambda path: " *" if product.is_assumed(path) else ""  # noqa: E731
    lines = [f"{product.name_zh}（{product.code}）", f"  {product.name_en}",
             f"  承保公司：{product.insurer}{mark('insurer')}    年度：{product.year}",
             f"  保费：{format_fen(product.premium_fen)} {UNITS[product.unit][0]}{mark('premium_fen')}"]
    if product.premium_max_fen is not None:
        lines.append(f"  保费上限：{format_fen(product.premium_max_fen)}")
    lines += premium_lines(product)
    lines += [line for line in (alias_line(product),) if line]
    lines.append("  保险责任：")
    for index, li in enumerate(product.liabilities):
        amount = (f"{format_fen(li.amount_per_day_fen or 0)}/天，每年最多{li.max_days_per_year}天"
                  if li.split == "per_day" else format_fen(li.amount_fen or 0))
        lines.append(f"    {li.label_zh}：{amount}（{SPLITS[li.split][0]}）{mark(f'liabilities[{index}]')}")
    ages = [f"最小{rules.min_age_days}天" if rules.min_age_days is not None else "",
            f"最小{rules.min_age_years}周岁" if rules.min_age_years is not None else "",
            f"新参保最高{rules.max_age_new}周岁" if rules.max_age_new is not None else "",
            f"续保最高{rules.max_age_renewal}周岁" if rules.max_age_renewal is not None else ""]
    lines.append(f"  年龄：{'，'.join(a for a in ages if a) or '不限'}")
    conditions = [text for flag, text in (
        ("one_child_cert" in rules.required_documents, "须有独生子女证"), (rules.requires_rural, "限农村家庭"),
        (rules.requires_reward_recipient, "须享受独生子女父母奖励金"), (rules.requires_eligible_list, "须在当年对象名单中"),
        (rules.only_child_max_age is not None, f"独生子女须在{rules.only_child_max_age}周岁以内（含）"),
        (bool(rules.insured_roles), "只保" + "、".join(INSURED_ROLES[r][0] for r in sorted(rules.insured_roles))),
    ) if flag]
    if conditions:
        lines.append(f"  条件：{'；'.join(conditions)}")
    lines += eligibility_lines(product)
    lines.append(f"  家庭类别：{'、'.join(c.label_zh for c in in_vocabulary_order(rules.categories))}")
    for payer, categories in product.payer_by_category.items():
        lines.append(f"  {payer.label_zh}缴费：{'、'.join(c.label_zh for c in in_vocabulary_order(categories))}")
    if not product.contributions:
        lines.append(f"  其他家庭：{product.default_payer.label_zh}缴费{mark('default_payer')}")
    if product.allowed_payers != ALL_PAYERS:
        lines.append(f"  出资：只由{'、'.join(p.label_zh for p in PayerType if p in product.allowed_payers)}出资"
                     f"{mark('allowed_payers')}")
    if product.payer_by_answer:
        answers = "，".join(f"{value}→{payer.label_zh}" for value, payer in product.payer_by_answer.payers)
        lines.append(f"  出资方按登记表“{product.payer_by_answer.field}”：{answers}")
    for answer in rules.required_answers:
        lines.append(f"  只保{answer.condition_zh}（登记表“{answer.field}”须为“{_answer_text(answer.value)}”）")
    cycle = f"，周期自每年{product.period.cycle_start}起" if product.period.cycle_start else ""
    lines.append((period_line(product) or f"  保险期间：{PERIOD_RULES[product.period.rule][0]}{cycle}") + mark('period'))
    if product.part_year.premium != "full":
        lines.append(f"  不足一年：{PART_YEAR_PREMIUMS[product.part_year.premium][0]}"
                     f"（{PART_YEAR_ROUNDING[product.part_year.rounding][0]}）{mark('part_year')}")
    window = product.enrollment_window
    if window:
        lines.append(f"  登记期：每年 {window.opens} 至 {window.deadline}"
                     f"（{'次年' if window.covers == 'next_year' else '当年'}保障）；{LATE_ENTRIES[window.late][0]}"
                     f"{mark('enrollment_window')}")
    if product.assumed:
        lines.append(f"  * 暂定值（来源未说明，请与承保公司核对）：{', '.join(product.assumed)}")
    lines.append(f"  定义文件：{product.source_file}")
    return "\n".join(lines)


def _answer_text(value, *, english: bool = False) -> str:
    if isinstance(value, bool):
        return pick("是" if value else "否", "yes" if value else "no", english)
    return str(value)


def eligibility_text(product, result, covers) -> str:
    from fpdesk.core.money import format_fen

    if not english():
        head = "可以参保" if result.eligible else "不能参保"
        starts = "（自收到保费次日起算，此为当天缴费时的期间）" if product.period.dated_on_payment else ""
        lines = [f"{product.name_zh}：{head}",
                 f"  保险期间：{result.period.start} 零时至 {result.period.end} 二十四时{starts}"]
        if result.eligible:
            lines.append(f"  缴费方式：{result.payer.label_zh}    应收保费：{format_fen(result.premium_fen)}")
        if result.window.next_opens and not result.window.accepting:
            lines.append(f"  下次登记期：{result.window.next_opens} 起")
        lines += [f"  原因 [{r.code}]：{r.message_zh}" for r in result.reasons]
        lines += [f"  提示 [{w.code}]：{w.message_zh}" for w in result.warnings]
        lines += [f"  保额 {c.describe_zh()}" for c in covers]
        return "\n".join(lines)
    head = "can enroll" if result.eligible else "cannot enroll"
    starts = (" (counted from the day after the premium is received; this is the period when paid today)"
              if product.period.dated_on_payment else "")
    lines = [f"{product.name_en or product.name_zh}: {head}",
             f"  Period of cover: {result.period.start} 00:00 to {result.period.end} 24:00{starts}"]
    if result.eligible:
        lines.append(f"  Payer: {result.payer.label_en}    Premium due: {format_fen(result.premium_fen)}")
    if result.window.next_opens and not result.window.accepting:
        lines.append(f"  Next enrollment window opens: {result.window.next_opens}")
    lines += [f"  Reason [{r.code}]: {r.message_en}" for r in result.reasons]
    lines += [f"  Note [{w.code}]: {w.message_en}" for w in result.warnings]
    lines += [f"  Sum insured {_cover_en(c)}" for c in covers]
    return "\n".join(lines)


def _cover_en(cover) -> str:
    from fpdesk.core.money import format_fen

    if cover.split == "per_day":
        return f"{cover.label_en}: {format_fen(cover.amount_per_day_fen or 0)}/day, at most {cover.max_days_per_year} days a year"
    amount = format_fen(cover.amount_fen or 0)
    if cover.split == "shared_pool":
        return f"{cover.label_en}: {amount} (one pool shared by {cover.shared_by})"
    return f"{cover.label_en}: {amount}"


def _show_en(product) -> str:
    """The product told in English: the CLI's labels and the definitions' own English; the plan's
    wording a county wrote in Chinese (ages_text, aliases) stays as written."""
    from fpdesk.core.money import format_fen
    from fpdesk.core.product_terms import CONTRIBUTION_PAYERS, FAMILY, MEMBERS
    from fpdesk.core.products import (
        ALL_PAYERS,
        INSURED_ROLES,
        LATE_ENTRIES,
        PART_YEAR_PREMIUMS,
        PART_YEAR_ROUNDING,
        PERIOD_RULES,
        SPLITS,
        UNITS,
        in_vocabulary_order,
    )
    from fpdesk.core.vocabulary import PayerType

    def categories(values) -> str:
        return "; ".join(c.label_en for c in in_vocabulary_order(values))

    rules = product.eligibility
    mark = lambda path: " *" if product.is_assumed(path) else ""  # noqa: E731
    lines = [f"{product.name_en or product.name_zh} ({product.code})", f"  {product.name_zh}",
             f"  Insurer: {product.insurer}{mark('insurer')}    Year: {product.year}",
             f"  Premium: {format_fen(product.premium_fen)} {UNITS[product.unit][1]}{mark('premium_fen')}"]
    if product.premium_max_fen is not None:
        lines.append(f"  Premium at most: {format_fen(product.premium_max_fen)}")
    for price in product.category_prices:
        lines.append(f"  {categories(price.categories)}: {format_fen(price.premium_fen)} a share")
    if product.category_prices:
        lines.append(f"  Other families: {format_fen(product.premium_fen)} a share (a family of several categories"
                     " pays the lowest price)")
    if product.contributions:
        shares = [_contribution_en(c, CONTRIBUTION_PAYERS, categories) for c in product.contributions if c.payer != FAMILY]
        lines.append(f"  Premium shared: {'; '.join(shares)}; the person (family) pays the rest")
        written = next((c for c in product.contributions if c.payer == FAMILY), None)
        if written is not None:
            lines.append(f"  The person (family) pays: {format_fen(written.fen or 0)} a share")
        if any(c.first_shares for c in product.contributions):
            lines.append("  Shares beyond the subsidised ones are paid in full by the person (family)")
    if product.aliases:
        lines.append(f"  Also called: {', '.join(product.aliases)}")
    lines.append("  Liabilities:")
    for index, li in enumerate(product.liabilities):
        amount = (f"{format_fen(li.amount_per_day_fen or 0)}/day, at most {li.max_days_per_year} days a year"
                  if li.split == "per_day" else format_fen(li.amount_fen or 0))
        lines.append(f"    {li.label_en}: {amount} ({SPLITS[li.split][1]}){mark(f'liabilities[{index}]')}")
    ages = [f"at least {rules.min_age_days} days" if rules.min_age_days is not None else "",
            f"at least {rules.min_age_years}" if rules.min_age_years is not None else "",
            f"new enrollments up to {rules.max_age_new}" if rules.max_age_new is not None else "",
            f"renewals up to {rules.max_age_renewal}" if rules.max_age_renewal is not None else ""]
    lines.append(f"  Ages: {', '.join(a for a in ages if a) or 'any'}")
    conditions = [text for flag, text in (
        ("one_child_cert" in rules.required_documents, "an only-child certificate"),
        (rules.requires_rural, "rural families only"),
        (rules.requires_reward_recipient, "receiving the only-child parents' reward"),
        (rules.requires_eligible_list, "on this year's eligible list"),
        (rules.only_child_max_age is not None, f"the only child aged {rules.only_child_max_age} or under"),
        (bool(rules.insured_roles), "insures " + " and ".join(INSURED_ROLES[r][1] for r in sorted(rules.insured_roles))),
    ) if flag]
    if conditions:
        lines.append(f"  Conditions: {'; '.join(conditions)}")
    if rules.ages_text:
        lines.append(f"  Ages (the plan's words): {rules.ages_text}")
    for condition in rules.member_ages:
        lines.append(f"  Family condition: {MEMBERS[condition.member][1]} aged {_ages_en(condition.ages)}"
                     " (on the cover start)")
    if rules.open_to_all:
        lines.append("  Open to all: every family may enroll, whatever its category; family-planning families named"
                     " in the premium shares or category prices get their subsidy or price")
    lines.append(f"  Family categories: {categories(rules.categories)}")
    for payer, values in product.payer_by_category.items():
        lines.append(f"  {payer.label_en}: {categories(values)}")
    if not product.contributions:
        lines.append(f"  Other families: {product.default_payer.label_en}{mark('default_payer')}")
    if product.allowed_payers != ALL_PAYERS:
        lines.append(f"  Paid only by: {', '.join(p.label_en for p in PayerType if p in product.allowed_payers)}"
                     f"{mark('allowed_payers')}")
    if product.payer_by_answer:
        answers = ", ".join(f"{value}→{payer.label_en}" for value, payer in product.payer_by_answer.payers)
        lines.append(f"  Payer by the form's '{product.payer_by_answer.field}': {answers}")
    for answer in rules.required_answers:
        lines.append(f"  Insures {answer.condition_en} only (the form's '{answer.field}' must be"
                     f" '{_answer_text(answer.value, english=True)}')")
    lines.append(_period_en(product, PERIOD_RULES) + mark("period"))
    if product.part_year.premium != "full":
        lines.append(f"  Part of a year: {PART_YEAR_PREMIUMS[product.part_year.premium][1]}"
                     f" ({PART_YEAR_ROUNDING[product.part_year.rounding][1]}){mark('part_year')}")
    window = product.enrollment_window
    if window:
        lines.append(f"  Enrollment window: {window.opens} to {window.deadline} each year"
                     f" (covers {'the next year' if window.covers == 'next_year' else 'the same year'});"
                     f" {LATE_ENTRIES[window.late][1]}{mark('enrollment_window')}")
    if product.assumed:
        lines.append(f"  * Assumed values (no source given; confirm them with the insurer): {', '.join(product.assumed)}")
    lines.append(f"  Definition file: {product.source_file}")
    return "\n".join(lines)


def _contribution_en(contribution, payers, categories) -> str:
    from fpdesk.core.money import format_fen

    who = payers[contribution.payer][1]
    amount = "pays all" if contribution.whole else f"{format_fen(contribution.fen or 0)} a share"
    scope = f" ({categories(contribution.categories)} only)" if contribution.categories else ""
    first = contribution.first_shares
    limit = f", a family's first {first} share{'' if first == 1 else 's'} only" if first else ""
    return f"{who} {amount}{scope}{limit}"


def _ages_en(ages) -> str:
    if ages.text:
        return ages.text
    low = (f"{ages.min_days} days old" if ages.min_days is not None
           else f"{ages.min_years}" if ages.min_years is not None else "")
    high = f"{ages.max_years}" if ages.max_years is not None else ""
    if low and high:
        return f"{low} to {high}"
    return f"{low} or over" if low else (f"{high} or under" if high else "any age")


def _period_en(product, rules) -> str:
    rule = product.period
    if rule.rule == "fixed_date" and rule.cycle_start is not None:
        fixed = rule.cycle_start
        return (f"  Period of cover: one year from 00:00 on {fixed.month:02d}-{fixed.day:02d} each year; paid after"
                " that day, from 00:00 the day after payment to the same end")
    if rule.rule == "campaign" and rule.campaign_start and rule.campaign_end:
        return (f"  Period of cover: {rule.campaign_start} 00:00 to {rule.campaign_end} 24:00; paid after the start,"
                " from 00:00 the day after payment")
    cycle = f", the cycle starting {rule.cycle_start} each year" if rule.cycle_start else ""
    return f"  Period of cover: {rules[rule.rule][1]}{cycle}"
