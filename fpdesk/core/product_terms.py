"""The terms counties write in their implementation plans (实施方案) beyond a single price and payer.

- A premium shared between payer levels: "省、县、乡、村、个人分别承担5、5、10、10、30元" is a list of
  contributions; each may be limited to some household categories and to the first shares of a
  household ("每户限补贴一份，多投部分全额自缴"); the family pays what the others leave.
- Prices by household category ("独生子女户、二女户、脱贫户每户100元，其他家庭每户110元").
- Ages as the plans write them ("一周岁（含）以上至六十周岁（含）", "满49周岁且不超过65周岁"), read
  with the Civil Code's rule (第一千二百五十九条): 以上、以下、以内、届满 include the number; 不满、
  超过 do not.
- An age condition on a named member of the household ("女方满49周岁且不超过65周岁").

Everything here is data and arithmetic; ``fpdesk.core.products`` reads these keys from a product file
and the rules engine applies them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from fpdesk.core.definition_reader import Node, resolve_dotted
from fpdesk.core.language import pick
from fpdesk.core.vocabulary import HouseholdCategory

# Who may carry part of a premium. "government" is the single unnamed level of the older files
# (政府缴费), kept so every enrollment can be told as contributions.
CONTRIBUTION_PAYERS = {
    "province": ("省级财政", "province"),
    "prefecture": ("市级财政", "prefecture (city)"),
    "county": ("县级财政", "county"),
    "township": ("乡镇（街道）", "township"),
    "village": ("村（社区）集体", "village"),
    "employer": ("单位", "employer"),
    "insurer_discount": ("保险公司让利", "insurer's discount"),
    "government": ("政府", "government"),
    "family": ("个人（家庭）", "the family"),
}
# The named members an age condition may be about.
MEMBERS = {
    "wife": ("女方", "the wife"),
    "husband": ("男方", "the husband"),
    "only_child": ("独生子女", "the only child"),
    "head": ("户主", "the head of household"),
}
FAMILY = "family"
# The short words one line of a certificate names the levels by ("保费60元：省5元、县5元…个人30元").
# The 缴费方式 papers name a premium more than one level pays by (certificates, the finance list).
SHARED_PAYER_ZH = "多级分担"
SHARED_PAYER_EN = "Shared between levels"
CONTRIBUTION_SHORT_ZH = {"province": "省", "prefecture": "市", "county": "县", "township": "乡镇", "village": "村",
                         "employer": "单位", "insurer_discount": "保险公司让利", "government": "政府", FAMILY: "个人"}


def contribution_level(stored: str) -> str:
    """The level of a stored contribution row: the family's part is stored under its payer type
    ``self`` (it is settled by the family's receipts), every other level under its own name."""
    return FAMILY if stored == "self" else stored


def level_order(stored: str) -> int:
    """Where a stored level stands when levels are listed: province first, the family last."""
    order = list(CONTRIBUTION_PAYERS)
    level = contribution_level(stored)
    return order.index(level) if level in order else len(order)


def level_label(stored: str, *, english: bool = False, short: bool = False) -> str:
    """The name of a stored level on screens, exports (省级财政) and certificates (short: 省)."""
    level = contribution_level(stored)
    if short and not english:
        return CONTRIBUTION_SHORT_ZH.get(level, level)
    zh, en = CONTRIBUTION_PAYERS.get(level, (level, level))
    return pick(zh, en, english)


@dataclass(frozen=True)
class AgeRange:
    """Completed years (周岁) and days, all inclusive; None = no bound."""

    min_days: int | None = None
    min_years: int | None = None
    max_years: int | None = None
    text: str = ""

    def admits(self, years: int, days: int) -> bool:
        if self.min_days is not None and days < self.min_days:
            return False
        if self.min_years is not None and years < self.min_years:
            return False
        return self.max_years is None or years <= self.max_years

    def describe_zh(self) -> str:
        if self.text:
            return self.text
        low = (f"出生满{self.min_days}天" if self.min_days is not None
               else f"{self.min_years}周岁（含）" if self.min_years is not None else "")
        high = f"{self.max_years}周岁（含）" if self.max_years is not None else ""
        if low and high:
            return f"{low}至{high}"
        return f"{low}以上" if low else (f"{high}以下" if high else "不限年龄")


@dataclass(frozen=True)
class CategoryPrice:
    """The price of one share for households of these categories (the lowest that applies wins)."""

    categories: frozenset[HouseholdCategory]
    premium_fen: int


@dataclass(frozen=True)
class Contribution:
    """One payer level's part of a share's premium."""

    payer: str  # CONTRIBUTION_PAYERS
    fen: int | None  # a fixed amount a share; None with ``whole``
    whole: bool = False  # pays all that is left of the price (全额承担)
    categories: frozenset[HouseholdCategory] = frozenset()  # empty = every household
    first_shares: int | None = None  # the household's first N shares only ("每户限补贴一份"); None = all

    @property
    def label_zh(self) -> str:
        return CONTRIBUTION_PAYERS[self.payer][0]

    def applies(self, categories: frozenset[HouseholdCategory], share_number: int) -> bool:
        """Whether it pays towards the household's ``share_number``-th share (1 = the first)."""
        if self.categories and not self.categories & categories:
            return False
        return self.first_shares is None or share_number <= self.first_shares


@dataclass(frozen=True)
class MemberAge:
    """An age condition on one named member of the household, judged on the cover start."""

    member: str  # MEMBERS
    ages: AgeRange

    @property
    def member_zh(self) -> str:
        return MEMBERS[self.member][0]


def split_share(price_fen: int, contributions: tuple[Contribution, ...],
                categories: frozenset[HouseholdCategory], share_number: int) -> list[tuple[str, int]]:
    """Who pays what of one share priced ``price_fen``: the contributions that apply, in the file's
    order, each capped at what is left, and the family's remainder last (0 included)."""
    left = price_fen
    parts: list[tuple[str, int]] = []
    for contribution in contributions:
        if contribution.payer == FAMILY or not contribution.applies(categories, share_number):
            continue
        amount = left if contribution.whole else min(contribution.fen or 0, left)
        if amount:
            parts.append((contribution.payer, amount))
            left -= amount
    parts.append((FAMILY, left))
    return parts


def add_parts(total: dict[str, int], parts: list[tuple[str, int]], times: int = 1) -> None:
    for payer, amount in parts:
        total[payer] = total.get(payer, 0) + amount * times


# -- ages written in words -------------------------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBER = r"[0-9]+|[零〇一二两三四五六七八九十百]+"
_BOUND = re.compile(rf"(?P<pre>出生满|年满|不超过|不满|未满|超过|满|从)?(?P<n>{_NUMBER})(?P<unit>周岁|岁|天|日)"
                    r"(?P<post>(?:[（(](?:不含|含)[^）)]*[）)]|以上|以下|以内|以外|起|止|之间)*)")
_SEPARATORS = re.compile(r"至|到|~|～|—|－|-|且|，|,")


class AgeTextError(ValueError):
    """The text is not an age range this reader understands; the message says why (Chinese)."""


def chinese_number(text: str) -> int:
    """``28``, ``六十五``, ``十八``, ``一百``."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def parse_age_range(text: str) -> AgeRange:
    """Read an age range as a plan writes it: "一周岁（含）以上至六十周岁（含）" → 1…60;
    "出生满28天至65周岁（含65周岁）" → 28 days…65; "满49周岁且不超过65周岁" → 49…65;
    "60周岁以下" → …60; "不满18周岁" → …17."""
    compact = re.sub(r"\s+", "", text or "")
    if "周岁" in compact:  # "18-60周岁": the first number takes the second's unit
        compact = re.sub(rf"^({_NUMBER})(?=至|到|~|～|—|－|-)", r"\1周岁", compact)
    bounds = [m for m in _BOUND.finditer(compact)]
    if not bounds or len(bounds) > 2:
        raise AgeTextError("应写成如“一周岁（含）以上至六十周岁（含）”或“出生满28天至65周岁”的年龄范围")
    rest = _BOUND.sub("", compact)
    if _SEPARATORS.sub("", rest).strip("的之间"):
        raise AgeTextError(f"看不懂“{_SEPARATORS.sub('', rest)}”")
    low: tuple[str, int] | None = None
    high: int | None = None
    for position, match in enumerate(bounds):
        number = chinese_number(match["n"])
        days = match["unit"] in ("天", "日")
        pre, post = match["pre"] or "", match["post"] or ""
        excluded = "不含" in post
        is_upper = (pre in ("不超过", "不满", "未满") or any(w in post for w in ("以下", "以内", "止"))
                    or (len(bounds) == 2 and position == 1))
        if is_upper:
            if days:
                raise AgeTextError("最高年龄应以周岁计")
            if pre in ("不满", "未满") or excluded:
                number -= 1
            high = number
        else:
            if pre == "超过":
                raise AgeTextError("“超过N周岁”作为下限含义不清，请写“N周岁（含）以上”或“满N周岁”")
            if excluded:
                number += 1
            low = ("days" if days else "years", number)
    if low is not None and high is not None and low[0] == "years" and low[1] > high:
        raise AgeTextError("最低年龄高于最高年龄")
    return AgeRange(min_days=low[1] if low and low[0] == "days" else None,
                    min_years=low[1] if low and low[0] == "years" else None,
                    max_years=high, text=text.strip())


def read_age_text(node: Node, key: str) -> AgeRange:
    value = node.text(key)
    try:
        return parse_age_range(value)
    except AgeTextError as error:
        node.fail(key, str(error), "an age range such as 一周岁（含）以上至六十周岁（含） or 出生满28天至65周岁")


# -- reading the keys ------------------------------------------------------------------------------------


def read_category_prices(root: Node, categories: tuple[str, ...]) -> tuple[CategoryPrice, ...]:
    result = []
    for _index, node in root.sub_nodes("category_prices", required=False, allow_empty=True):
        chosen = frozenset(HouseholdCategory(c) for c in node.text_list("categories", allowed=categories))
        result.append(CategoryPrice(chosen, node.integer("premium_fen", minimum=0)))
        node.finish()
    return tuple(result)


def read_contributions(root: Node, categories: tuple[str, ...]) -> tuple[Contribution, ...]:
    result = []
    for _index, node in root.sub_nodes("contributions", required=False, allow_empty=True):
        payer = node.choice("payer", CONTRIBUTION_PAYERS)
        raw = node.raw("fen")
        whole = raw == "whole"
        if whole and payer == FAMILY:
            node.fail("fen", "家庭负担的是其余部分，不能写 whole", "the family pays what is left; whole is for the others")
        fen = None if whole else node.check_integer("fen", raw, minimum=0)
        chosen = frozenset(HouseholdCategory(c) for c in node.text_list("categories", allowed=categories,
                                                                          required=False, allow_empty=True))
        first = node.integer("first_shares", required=False, nullable=True, minimum=1)
        if payer == FAMILY and (chosen or first is not None):
            node.fail("payer", "家庭负担是保费减去其他各级出资后的余额，不按类别或份数另写",
                      "the family's part is what the other levels leave; it takes no categories or first_shares")
        result.append(Contribution(payer, fen, whole, chosen, first))
        node.finish()
    return tuple(result)


def read_member_ages(node: Node) -> tuple[MemberAge, ...]:
    result = []
    for _index, item in node.sub_nodes("member_ages", required=False, allow_empty=True):
        member = item.choice("member", MEMBERS)
        result.append(MemberAge(member, read_age_text(item, "ages")))
        item.finish()
    return tuple(result)


def read_date(node: Node, key: str) -> dt.date:
    """A calendar day written 2021-01-20 (YAML reads it as a date)."""
    value = node.raw(key)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        node.fail(key, f"应为日期，如 2021-01-20，而不是 {value!r}", f"must be a date such as 2021-01-20, found {value!r}")


def check_contributions(root: Node, product) -> None:  # product: fpdesk.core.products.Product
    """Shared premiums must add up: where the file writes the family's part too, every level's part
    of a household's first share must make the price ("5+5+10+10+30=60元")."""
    if not product.contributions:
        return
    if product.part_year.premium != "full" and any(c.first_shares for c in product.contributions):
        root.fail("contributions", "按天折算的产品不能按份数限定补贴", "first_shares cannot be combined with "
                  "pro rata part-year premiums")
    written = next((c for c in product.contributions if c.payer == FAMILY), None)
    if written is None:
        return
    everyone = [c for c in product.contributions if c.payer != FAMILY and not c.categories]
    if any(c.whole for c in everyone):
        root.fail("contributions", "有一级全额承担时不应再写家庭负担", "a level pays the whole premium: leave the "
                  "family out")
    total = sum(c.fen or 0 for c in everyone) + (written.fen or 0)
    if total != product.premium_fen:
        root.fail("contributions", f"各级出资合计 {total / 100:g} 元，与保费 premium_fen {product.premium_fen / 100:g} "
                  "元不符", f"the parts add up to {total} fen, not premium_fen {product.premium_fen}")


def read_assumed(root: Node, data: dict) -> tuple[str, ...]:
    paths = root.text_list("assumed", required=False, allow_empty=True)
    base = Node({}, root.file, "assumed", root.error_code)
    for index, dotted in enumerate(paths):
        if not resolve_dotted(data, dotted):
            base.fail(index, f"字段 {dotted!r} 不存在于本文件", f"names {dotted!r}, which is not in this file")
    return paths
