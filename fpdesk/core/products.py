"""Insurance products as typed, immutable data, loaded from ``forms/products/*.yaml``.

A product file is the whole truth about a product: price, liabilities, who may enroll, who pays,
how long cover lasts, when enrollment closes. The loader refuses a bad file outright (with the
file name and the dotted field path) rather than guessing, because a wrong premium or age limit
would be printed on receipts and rosters for a whole county.

Values the sources do not state are still given (the program needs a number), but each such
field is listed under ``assumed:`` in the file, with a comment saying why that default was chosen;
``Product.assumed`` carries the list so screens can flag those values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from fpdesk.core.definition_reader import MonthDay, Node, open_definition
from fpdesk.core.enrollment_forms import EnrollmentForm
from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import PROVINCE_CODES
from fpdesk.core.product_labels import (
    CATEGORY_NAMES,
    DOCUMENTS,
    FUNDING_SOURCES,
    INSURED_ROLES,
    LATE_ENTRIES,
    LIABILITY_KINDS,
    PART_YEAR_PREMIUMS,
    PART_YEAR_ROUNDING,
    PAYER_NAMES,
    PERIOD_RULES,
    ROUNDING_RULES,
    SPLITS,
    UNITS,
    WINDOW_COVERS,
)
from fpdesk.core.product_terms import (
    AgeRange,
    CategoryPrice,
    Contribution,
    MemberAge,
    add_parts,
    check_contributions,
    read_age_text,
    read_assumed,
    read_category_prices,
    read_contributions,
    read_date,
    read_member_ages,
    split_share,
)
from fpdesk.core.vocabulary import HouseholdCategory, PayerType

FORMAT_VERSION = 1
DEFINITION_ERROR = "product_definition_invalid"


class LiabilityLabels:
    """Chinese and English names of a liability ``kind`` (a product's liability or a person's cover)."""

    kind: str

    @property
    def label_zh(self) -> str:
        return LIABILITY_KINDS[self.kind][0]

    @property
    def label_en(self) -> str:
        return LIABILITY_KINDS[self.kind][1]


@dataclass(frozen=True)
class Liability(LiabilityLabels):
    kind: str
    split: str
    amount_fen: int | None = None  # None only for per_day liabilities
    amount_per_day_fen: int | None = None
    max_days_per_year: int | None = None

    @property
    def max_total_fen(self) -> int:
        """The most one insured person (or one family pool) can receive in a policy year."""
        if self.split == "per_day":
            return (self.amount_per_day_fen or 0) * (self.max_days_per_year or 0)
        return self.amount_fen or 0


@dataclass(frozen=True)
class RequiredAnswer:
    """A form answer the product insures only with (S1 "身体健康者": health declaration 是)."""

    field: str  # key of a field of the product's enrollment form
    value: bool | str
    condition_zh: str  # what the answer means, for the refusal: 身体健康者
    condition_en: str


@dataclass(frozen=True)
class EligibilityRules:
    min_age_days: int | None
    min_age_years: int | None
    max_age_new: int | None  # completed years (周岁), inclusive; None = no ceiling
    max_age_renewal: int | None
    categories: frozenset[HouseholdCategory]
    required_documents: frozenset[str] = frozenset()
    requires_rural: bool = False
    requires_reward_recipient: bool = False
    requires_eligible_list: bool = False
    insured_roles: frozenset[str] = frozenset()  # empty = every household member may be insured
    only_child_max_age: int | None = None  # completed years of the household's only child, inclusive
    required_answers: tuple[RequiredAnswer, ...] = ()
    ages_text: str = ""  # the plan's own words, when the file gives ``ages`` (一周岁（含）以上至六十周岁（含）)
    member_ages: tuple[MemberAge, ...] = ()  # 女方满49周岁且不超过65周岁
    open_to_all: bool = False  # 普惠: households of no family-planning category may enroll too


@dataclass(frozen=True)
class PeriodRule:
    rule: str
    years: int = 1
    cycle_start: MonthDay | None = None  # fixed_cycle and fixed_date (the fixed day)
    campaign_start: dt.date | None = None  # campaign only
    campaign_end: dt.date | None = None

    @property
    def dated_on_payment(self) -> bool:
        """Cover runs from the day after the premium is received: its dates are known only then
        (every other rule — a fixed day, a cycle, the campaign's dates — dates it at enrollment)."""
        return self.rule == "day_after_payment"


@dataclass(frozen=True)
class EnrollmentWindow:
    opens: MonthDay
    deadline: MonthDay  # inclusive; a window with opens > deadline runs over New Year
    covers: str  # current_year | next_year
    warn_days_before_deadline: int
    late: str = "warn"  # allowed | warn | refused: entries after the deadline (LATE_ENTRIES)

    @property
    def wraps_new_year(self) -> bool:
        return self.opens > self.deadline


@dataclass(frozen=True)
class PayerByAnswer:
    """The payer named by a form answer (S2: the reward is paid by the township or by an employer)."""

    field: str
    payers: tuple[tuple[str, PayerType], ...]  # (choice value, payer)

    def payer_for(self, answer) -> PayerType | None:
        return dict(self.payers).get(answer)


@dataclass(frozen=True)
class PartYear:
    """How cover shorter than the cycle is priced (S3 "按实际人数": pro rata by days)."""

    premium: str = "full"  # PART_YEAR_PREMIUMS
    rounding: str = "half_up"  # PART_YEAR_ROUNDING


ALL_PAYERS = frozenset(PayerType)


@dataclass(frozen=True)
class Product:
    code: str
    name_zh: str
    name_en: str
    insurer: str
    year: int
    version: int
    form: str
    unit: str
    premium_fen: int
    premium_max_fen: int | None
    liabilities: tuple[Liability, ...]
    eligibility: EligibilityRules
    payer_categories: tuple[tuple[PayerType, frozenset[HouseholdCategory]], ...]  # hashable; see below
    default_payer: PayerType
    unit_channel_payer: PayerType
    funding_source: str | None
    max_shares_per_person: int | None
    max_shares_per_family: int | None
    period: PeriodRule
    enrollment_window: EnrollmentWindow | None  # None = enrollment all year round
    statistical_year_start_month: int
    rounding: str
    assumed: tuple[str, ...]
    source_file: str
    notes: str = ""
    # the form ``form`` names, from the same catalog (set by the catalog loaders; None for a lone file)
    enrollment_form: EnrollmentForm | None = field(default=None, compare=False, repr=False)
    # the county no longer offers it; its last definition stays for the enrollments an office has in it
    withdrawn: bool = False
    allowed_payers: frozenset[PayerType] = ALL_PAYERS  # who may fund it (S3: the government alone)
    payer_by_answer: PayerByAnswer | None = None
    part_year: PartYear = PartYear()
    category_prices: tuple[CategoryPrice, ...] = ()
    contributions: tuple[Contribution, ...] = ()  # empty = the whole premium from the one payer
    aliases: tuple[str, ...] = ()  # other names offices write for it (计生家庭意外伤害保险)

    def price_for(self, categories: frozenset[HouseholdCategory]) -> int:
        """The premium of one share for a household of these (expanded) categories: the lowest
        category price that applies, else ``premium_fen``."""
        prices = [p.premium_fen for p in self.category_prices if p.categories & categories]
        return min(prices) if prices else self.premium_fen

    def contributions_for(self, categories: frozenset[HouseholdCategory], first_share: int, shares: int,
                          price_fen: int | None = None, people: int = 1) -> dict[str, int]:
        """Fen by payer level for ``shares`` shares numbered from ``first_share`` (1 = the household's
        first), each priced ``price_fen`` (default: this household's price), for ``people`` priced
        people; the family's remainder is the ``family`` entry."""
        price = self.price_for(categories) if price_fen is None else price_fen
        total: dict[str, int] = {}
        for number in range(first_share, first_share + shares):
            add_parts(total, split_share(price, self.contributions, categories, number), people)
        return total

    def known_as(self, text: str) -> bool:
        """Whether an office's ``text`` names this product (its code, names or an alias)."""
        value = (text or "").strip()
        return bool(value) and value in (self.code, self.name_zh, self.name_en, *self.aliases)

    @property
    def late_entries(self) -> str:
        """allowed | warn | refused; a product without a window has no deadline to be late for."""
        return self.enrollment_window.late if self.enrollment_window else "allowed"

    @property
    def premium_by_person(self) -> bool:
        """Whether each insured person pays (per-person products); a family or share premium covers
        every insured member, so members added later cost nothing."""
        return self.unit == "person"
    # the provinces (first two digits of a division code) whose offices are offered it; () = everywhere
    provinces: tuple[str, ...] = ()

    @property
    def payer_by_category(self) -> Mapping[PayerType, frozenset[HouseholdCategory]]:
        """Which categories each payer type pays for (payer types without categories are absent)."""
        return MappingProxyType(dict(self.payer_categories))

    def is_assumed(self, field_path: str) -> bool:
        """Whether ``field_path`` (or a parent of it) is a default chosen without a source."""
        return any(field_path == a or field_path.startswith(a + ".") or field_path.startswith(a + "[")
                   for a in self.assumed)

    def liability(self, kind: str) -> Liability | None:
        return next((item for item in self.liabilities if item.kind == kind), None)

    def offered_in(self, division_code: str) -> bool:
        """Whether an office of ``division_code`` is offered this product: a Mingxi village is not
        offered Guangxi's care insurance, which its insurer sells only there."""
        return not self.provinces or division_code[:2] in self.provinces


def in_vocabulary_order(categories) -> list[HouseholdCategory]:
    """Categories in the glossary's order (for display), not alphabetically."""
    order = list(HouseholdCategory)
    return sorted(categories, key=order.index)


# -- loading ---------------------------------------------------------------------------------------


def load_product_file(path: str | Path, text: str | None = None) -> Product:
    """Read and check one product file (or its ``text``, named by ``path``); refuse it with
    DomainError(product_definition_invalid)."""
    path = Path(path)
    root, data, code = open_definition(path, DEFINITION_ERROR, format_version=FORMAT_VERSION, what_zh="产品",
                                       what_en="product", text=text)
    unit = root.choice("unit", UNITS)
    premium_fen = root.integer("premium_fen", minimum=0)
    premium_max_fen = root.integer("premium_max_fen", required=False, minimum=0)
    if premium_max_fen is not None and premium_fen > premium_max_fen:
        root.fail("premium_fen", f"保费 {premium_fen} 分超过上限 premium_max_fen {premium_max_fen} 分",
                  f"premium {premium_fen} fen exceeds premium_max_fen {premium_max_fen} fen")
    eligibility = _eligibility(root.mapping("eligibility"))
    contributions = read_contributions(root, CATEGORY_NAMES)
    # A product whose premium is shared between levels says who pays in ``contributions``; the
    # single-payer keys then only name the payer of record (the family unless others pay it all).
    payers_node = root.mapping("payer_by_category", required=not contributions)
    payer_categories = _payers(payers_node, eligibility.categories) if payers_node else ()
    allowed_payers = _allowed_payers(root)
    product = Product(
        code=code,
        name_zh=root.text("name_zh"),
        name_en=root.text("name_en"),
        insurer=root.text("insurer"),
        year=root.integer("year", minimum=2000, maximum=2100),
        version=root.integer("version", required=False, default=1, minimum=1),
        form=root.text("form"),
        unit=unit,
        premium_fen=premium_fen,
        premium_max_fen=premium_max_fen,
        liabilities=_liabilities(root, unit),
        eligibility=eligibility,
        payer_categories=payer_categories,
        default_payer=PayerType(root.choice("default_payer", PAYER_NAMES, required=not contributions,
                                            default="self")),
        unit_channel_payer=PayerType(root.choice("unit_channel_payer", PAYER_NAMES, required=False,
                                                 default="employer")),
        funding_source=root.choice("funding_source", FUNDING_SOURCES, required=False),
        max_shares_per_person=root.integer("max_shares_per_person", nullable=True, minimum=1),
        max_shares_per_family=root.integer("max_shares_per_family", nullable=True, minimum=1),
        period=_period(root.mapping("period")),
        enrollment_window=_window(root.mapping("enrollment_window", nullable=True)),
        statistical_year_start_month=root.integer("statistical_year_start_month", required=False, default=1,
                                                  minimum=1, maximum=12),
        rounding=root.choice("rounding", ROUNDING_RULES),
        assumed=read_assumed(root, data),
        source_file=root.file,
        notes=root.text("notes", required=False, default="") or "",
        allowed_payers=allowed_payers,
        payer_by_answer=_payer_by_answer(root.mapping("payer_by_answer", required=False, nullable=True)),
        part_year=_part_year(root.mapping("part_year", required=False, nullable=True)),
        category_prices=read_category_prices(root, CATEGORY_NAMES),
        contributions=contributions,
        aliases=root.text_list("aliases", required=False, allow_empty=True),
        provinces=root.text_list("provinces", allowed=sorted(PROVINCE_CODES), required=False),
    )
    _check_payers(root, product)
    check_contributions(root, product)
    root.text("source", required=False)  # where the terms come from; for people, not for the program
    root.finish()
    return product


def _liabilities(root: Node, unit: str) -> tuple[Liability, ...]:
    result: list[Liability] = []
    for _index, node in root.sub_nodes("liabilities"):
        kind = node.choice("kind", LIABILITY_KINDS)
        split = node.choice("split", SPLITS)
        if split == "per_day":
            liability = Liability(kind, split,
                                  amount_per_day_fen=node.integer("amount_per_day_fen", minimum=1),
                                  max_days_per_year=node.integer("max_days_per_year", minimum=1, maximum=366))
        else:
            liability = Liability(kind, split, amount_fen=node.integer("amount_fen", minimum=1))
        if split in ("equal_among_insured", "shared_pool") and unit == "person":
            node.fail("split", f"按人投保的产品不能使用 {split}（只有一名被保险人）",
                      f"{split} needs several insured under one share; this product is sold per person")
        node.finish()
        if any(existing.kind == kind for existing in result):
            node.fail("kind", f"责任 {kind!r} 重复", f"liability kind {kind!r} appears twice")
        result.append(liability)
    return tuple(result)


def _eligibility(node: Node) -> EligibilityRules:
    # ``ages`` takes the plan's words (一周岁（含）以上至六十周岁（含）) in place of the three numbers.
    ages = read_age_text(node, "ages") if "ages" in node.data else None
    if ages is not None:
        for key in ("min_age_days", "min_age_years", "max_age_new"):
            if key in node.data:
                node.fail(key, "已用 ages 写了年龄范围，不要再写此项",
                          "the age range is given by ages; leave this key out")
    given = ages or AgeRange()
    max_age_new = (given.max_years if ages else node.integer("max_age_new", nullable=True, minimum=0, maximum=120))
    rules = EligibilityRules(
        min_age_days=given.min_days if ages else node.integer("min_age_days", nullable=True, minimum=0),
        min_age_years=given.min_years if ages else node.integer("min_age_years", required=False, nullable=True,
                                                                minimum=0, maximum=120),
        max_age_new=max_age_new,
        max_age_renewal=node.integer("max_age_renewal", required=ages is None, nullable=True, minimum=0,
                                     maximum=120, default=max_age_new),
        ages_text=given.text,
        member_ages=read_member_ages(node),
        open_to_all=node.boolean("open_to_all", default=False),
        categories=frozenset(HouseholdCategory(c) for c in node.text_list("categories", allowed=CATEGORY_NAMES)),
        required_documents=frozenset(node.text_list("required_documents", allowed=DOCUMENTS, required=False,
                                                    allow_empty=True)),
        requires_rural=node.boolean("requires_rural", default=False),
        requires_reward_recipient=node.boolean("requires_reward_recipient", default=False),
        requires_eligible_list=node.boolean("requires_eligible_list", default=False),
        insured_roles=frozenset(node.text_list("insured_roles", allowed=INSURED_ROLES, required=False,
                                               allow_empty=True)),
        only_child_max_age=node.integer("only_child_max_age", required=False, nullable=True, minimum=0,
                                        maximum=30),
        required_answers=_required_answers(node),
    )
    if rules.max_age_new is not None and rules.max_age_renewal is not None \
            and rules.max_age_renewal < rules.max_age_new:
        node.fail("max_age_renewal", "续保年龄上限不能低于新参保上限",
                  f"must not be below max_age_new ({rules.max_age_new})")
    if rules.max_age_new is None and rules.max_age_renewal is not None:
        node.fail("max_age_renewal", "新参保无年龄上限时续保也不能设上限",
                  "a renewal ceiling needs a ceiling for new entrants (max_age_new)")
    lowest = rules.min_age_years
    if lowest is not None and rules.max_age_new is not None and lowest > rules.max_age_new:
        node.fail("min_age_years", "最低年龄高于最高年龄", f"is above max_age_new ({rules.max_age_new})")
    node.finish()
    return rules


def _payers(node: Node, eligible: frozenset[HouseholdCategory]) -> tuple[tuple[PayerType, frozenset], ...]:
    result: list[tuple[PayerType, frozenset[HouseholdCategory]]] = []
    claimed: dict[HouseholdCategory, PayerType] = {}
    for payer in PAYER_NAMES:
        names = node.text_list(payer, allowed=CATEGORY_NAMES, required=False, allow_empty=True)
        categories = frozenset(HouseholdCategory(n) for n in names)
        for index, category in enumerate(names):
            category = HouseholdCategory(category)
            where = f"{payer}[{index}]"
            if category not in eligible:
                node.fail(where, f"类别 {category.value!r} 不在 eligibility.categories 中",
                          f"category {category.value!r} is not in eligibility.categories")
            if category in claimed:
                node.fail(where, f"类别 {category.value!r} 已列在 {claimed[category].value} 下",
                          f"category {category.value!r} is already listed under {claimed[category].value}")
            claimed[category] = PayerType(payer)
        if categories:
            result.append((PayerType(payer), categories))
    node.finish()
    return tuple(result)


def _required_answers(node: Node) -> tuple[RequiredAnswer, ...]:
    result = []
    for _index, item in node.sub_nodes("required_answers", required=False, allow_empty=True):
        value = item.raw("value")
        if not isinstance(value, bool | str):
            item.fail("value", "应为 true/false 或选项取值", f"must be true/false or a choice value, found {value!r}")
        result.append(RequiredAnswer(item.text("field"), value, item.text("condition_zh"), item.text("condition_en")))
        item.finish()
    return tuple(result)


def _allowed_payers(root: Node) -> frozenset[PayerType]:
    names = root.text_list("allowed_payers", allowed=PAYER_NAMES, required=False)
    return frozenset(PayerType(n) for n in names) if names else ALL_PAYERS


def _payer_by_answer(node: Node | None) -> PayerByAnswer | None:
    if node is None:
        return None
    field_key = node.text("field")
    payers = node.mapping("payers")
    pairs = tuple((str(value), PayerType(payers.check_choice(str(value), payer, PAYER_NAMES)))
                  for value, payer in payers.data.items())
    payers._asked.update(payers.data)
    if not pairs:
        node.fail("payers", "至少列出一个选项", "must map at least one answer")
    node.finish()
    return PayerByAnswer(field_key, pairs)


def _part_year(node: Node | None) -> PartYear:
    if node is None:
        return PartYear()
    part = PartYear(node.choice("premium", PART_YEAR_PREMIUMS),
                    node.choice("rounding", PART_YEAR_ROUNDING, required=False, default="half_up"))
    node.finish()
    return part


def _check_payers(root: Node, product: Product) -> None:
    """Every payer the definition names must be one that may fund the product."""
    allowed = product.allowed_payers
    if product.default_payer not in allowed:
        root.fail("default_payer", f"{product.default_payer.value} 不在 allowed_payers 中",
                  f"{product.default_payer.value} is not in allowed_payers")
    for payer, _categories in product.payer_categories:
        if payer not in allowed:
            root.fail(f"payer_by_category.{payer.value}", f"{payer.value} 不在 allowed_payers 中",
                      f"{payer.value} is not in allowed_payers")
    if product.payer_by_answer:
        for value, payer in product.payer_by_answer.payers:
            if payer not in allowed:
                root.fail(f"payer_by_answer.payers.{value}", f"{payer.value} 不在 allowed_payers 中",
                          f"{payer.value} is not in allowed_payers")
    if product.part_year.premium == "pro_rata_days" and not product.premium_by_person:
        root.fail("part_year.premium", "按天折算只适用于按人投保的产品（家庭或按份的保费已包含全家）",
                  "pro rata premiums apply to per-person products only (a family or share premium covers "
                  "every member)")


def _period(node: Node) -> PeriodRule:
    rule = node.choice("rule", PERIOD_RULES)
    years = node.integer("years", required=False, default=1, minimum=1, maximum=1)
    if rule == "campaign":
        start, end = read_date(node, "starts"), read_date(node, "ends")
        if end < start:
            node.fail("ends", f"止期早于起期 {start}", f"is before starts ({start})")
        node.finish()
        return PeriodRule(rule, years, None, start, end)
    cycle_start = (node.month_day("cycle_start") if rule == "fixed_cycle"
                   else node.month_day("starts") if rule == "fixed_date" else None)
    node.finish()
    return PeriodRule(rule, years, cycle_start)


def _window(node: Node | None) -> EnrollmentWindow | None:
    if node is None:
        return None
    window = EnrollmentWindow(
        opens=node.month_day("opens"),
        deadline=node.month_day("deadline"),
        covers=node.choice("covers", WINDOW_COVERS),
        warn_days_before_deadline=node.integer("warn_days_before_deadline", minimum=0, maximum=120),
        late=node.choice("late", LATE_ENTRIES, required=False, default="warn"),
    )
    node.finish()
    return window


def load_products(folder: str | Path | None = None) -> dict[str, Product]:
    """Every ``*.yaml`` product in ``folder`` by code.

    ``folder`` may be the products folder itself or the forms root holding ``products/``;
    by default the forms shipped with the program.
    """
    from fpdesk.core.paths import forms_dir

    folder = Path(folder) if folder is not None else forms_dir()
    if (folder / "products").is_dir():
        folder = folder / "products"
    products: dict[str, Product] = {}
    for path in sorted(folder.glob("*.yaml")):
        product = load_product_file(path)
        products[product.code] = product  # codes equal file stems, so they are unique by construction
    return products


def find_product(products: Mapping[str, Product], code: str) -> Product:
    try:
        return products[code]
    except KeyError:
        raise DomainError("unknown_product", {"code": code, "known": ", ".join(sorted(products))}) from None
