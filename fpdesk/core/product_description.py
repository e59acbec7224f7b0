"""A product's county terms told back in plain Chinese, sentence by sentence, the way a plan writes them,
so a county clerk can lay ``fpdesk products show`` beside the 实施方案 and compare."""

from __future__ import annotations

from fpdesk.core.money import format_fen
from fpdesk.core.product_terms import FAMILY, Contribution
from fpdesk.core.products import Product, in_vocabulary_order


def _categories_zh(categories) -> str:
    return "、".join(c.label_zh for c in in_vocabulary_order(categories))


def contribution_zh(contribution: Contribution) -> str:
    who = contribution.label_zh
    amount = "全额承担" if contribution.whole else f"每份{format_fen(contribution.fen or 0)}"
    scope = f"（限{_categories_zh(contribution.categories)}）" if contribution.categories else ""
    limit = f"，每户限前{contribution.first_shares}份" if contribution.first_shares else ""
    return f"{who}{amount}{scope}{limit}"


def premium_lines(product: Product) -> list[str]:
    lines = []
    for price in product.category_prices:
        lines.append(f"  {_categories_zh(price.categories)}：每份{format_fen(price.premium_fen)}")
    if product.category_prices:
        lines.append(f"  其他家庭：每份{format_fen(product.premium_fen)}（同时属于几类的，按最低价）")
    if product.contributions:
        others = [contribution_zh(c) for c in product.contributions if c.payer != FAMILY]
        lines.append(f"  保费分担：{'；'.join(others)}；其余由个人（家庭）缴纳")
        written = next((c for c in product.contributions if c.payer == FAMILY), None)
        if written is not None:
            lines.append(f"  个人（家庭）缴纳：每份{format_fen(written.fen or 0)}")
        if any(c.first_shares for c in product.contributions):
            lines.append("  超出补助份数的，由个人（家庭）全额缴纳")
    return lines


def eligibility_lines(product: Product) -> list[str]:
    rules = product.eligibility
    lines = []
    if rules.ages_text:
        lines.append(f"  投保年龄（方案原文）：{rules.ages_text}")
    for condition in rules.member_ages:
        lines.append(f"  家庭条件：{condition.member_zh}{condition.ages.describe_zh()}（按保险起期计算）")
    if rules.open_to_all:
        lines.append("  普惠：所有家庭均可参保，不限计生家庭类别；保费分担或分类价格中列明的计生家庭另有补助或价格")
    return lines


def period_line(product: Product) -> str | None:
    rule = product.period
    if rule.rule == "fixed_date" and rule.cycle_start is not None:
        fixed = rule.cycle_start
        return (f"  保险期间：统一自每年{fixed.month}月{fixed.day}日零时起生效，保险期一年；"
                f"生效日后交费的，自交费次日零时起至同一止期")
    if rule.rule == "campaign" and rule.campaign_start and rule.campaign_end:
        start, end = rule.campaign_start, rule.campaign_end
        return (f"  保险期间：{start.year}年{start.month}月{start.day}日零时起至{end.year}年{end.month}月{end.day}日"
                f"二十四时止；起期后交费的，自交费次日零时起")
    return None


def alias_line(product: Product) -> str | None:
    return f"  又称：{'、'.join(product.aliases)}" if product.aliases else None

