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

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from fpdesk.core.definition_reader import MonthDay, Node, open_definition, resolve_dotted
from fpdesk.core.enrollment_forms import EnrollmentForm, load_form_file, load_forms
from fpdesk.core.errors import DomainError, register_messages
from fpdesk.core.idnumber import PROVINCE_CODES
from fpdesk.core.vocabulary import HouseholdCategory, PayerType

FORMAT_VERSION = 1
DEFINITION_ERROR = "product_definition_invalid"

register_messages({
    DEFINITION_ERROR: (
        "产品定义文件有误：{file}: {path}: {detail_zh}",
        "{file}: {path}: {detail_en}",
    ),
    "unknown_product": (
        "没有代码为“{code}”的险种（现有：{known}）。",
        "There is no insurance product with code '{code}' (known: {known}).",
    ),
})

UNITS = {
    # One share covers every eligible insured member of the household (以家庭为单位).
    "family": ("以家庭为单位", "per family"),
    # One premium per insured person.
    "person": ("以人为单位", "per person"),
    # Priced per share; a share covers the household members named by eligibility.insured_roles
    # (Haimen: one share for the only child, one share for the parents).
    "share": ("按份", "per share"),
}
SPLITS = {
    "equal_among_insured": ("由被保险人均分", "split equally among the insured"),
    "shared_pool": ("家庭成员共享", "one family-wide pool"),
    "per_person": ("每人", "per insured person"),
    "per_day": ("按天", "per day"),
}
LIABILITY_KINDS = {
    "accident_death_disability": ("意外伤害身故/残疾", "Accidental death or disability"),
    "accident_medical": ("意外伤害医疗", "Accident medical expenses"),
    "hospital_care_allowance": ("住院护理补贴", "Hospital-care allowance"),
    "accident_hospital_allowance": ("意外住院日津贴", "Accident hospital daily allowance"),
    "illness_hospital_allowance": ("疾病住院补贴", "Illness hospital allowance"),
    "term_life_death": ("定期寿险身故", "Term-life death benefit"),
}
ROUNDING_RULES = ("floor_remainder_first", "half_up")  # see fpdesk.core.money.split_fen
PERIOD_RULES = ("day_after_payment", "fixed_cycle")
WINDOW_COVERS = ("current_year", "next_year")
DOCUMENTS = {"one_child_cert": ("独生子女证", "Only-child certificate")}
INSURED_ROLES = {"only_child": ("独生子女", "the only child"), "parent": ("父母", "the parents")}
FUNDING_SOURCES = {"reward_conversion": ("奖励金转型", "reward converted to premium")}
CATEGORY_NAMES = tuple(c.value for c in HouseholdCategory)
PAYER_NAMES = tuple(p.value for p in PayerType)


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


@dataclass(frozen=True)
class PeriodRule:
    rule: str
    years: int = 1
    cycle_start: MonthDay | None = None  # fixed_cycle only


@dataclass(frozen=True)
class EnrollmentWindow:
    opens: MonthDay
    deadline: MonthDay  # inclusive; a window with opens > deadline runs over New Year
    covers: str  # current_year | next_year
    warn_days_before_deadline: int

    @property
    def wraps_new_year(self) -> bool:
        return self.opens > self.deadline


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
    payer_categories = _payers(root.mapping("payer_by_category"), eligibility.categories)
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
        default_payer=PayerType(root.choice("default_payer", PAYER_NAMES)),
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
        assumed=_assumed(root, data),
        source_file=root.file,
        notes=root.text("notes", required=False, default="") or "",
        provinces=root.text_list("provinces", allowed=sorted(PROVINCE_CODES), required=False),
    )
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
    rules = EligibilityRules(
        min_age_days=node.integer("min_age_days", nullable=True, minimum=0),
        min_age_years=node.integer("min_age_years", required=False, nullable=True, minimum=0, maximum=120),
        max_age_new=node.integer("max_age_new", nullable=True, minimum=0, maximum=120),
        max_age_renewal=node.integer("max_age_renewal", nullable=True, minimum=0, maximum=120),
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


def _period(node: Node) -> PeriodRule:
    rule = node.choice("rule", PERIOD_RULES)
    years = node.integer("years", required=False, default=1, minimum=1, maximum=1)
    cycle_start = node.month_day("cycle_start") if rule == "fixed_cycle" else None
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
    )
    node.finish()
    return window


def _assumed(root: Node, data: dict) -> tuple[str, ...]:
    paths = root.text_list("assumed", required=False, allow_empty=True)
    base = Node({}, root.file, "assumed", root.error_code)
    for index, dotted in enumerate(paths):
        if not resolve_dotted(data, dotted):
            base.fail(index, f"字段 {dotted!r} 不存在于本文件", f"names {dotted!r}, which is not in this file")
    return paths


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


@dataclass(frozen=True)
class Catalog:
    """All products and enrollment forms of one forms folder, checked against each other."""

    products: Mapping[str, Product]
    forms: Mapping[str, EnrollmentForm]

    def form_of(self, product: Product) -> EnrollmentForm:
        return self.forms[product.form]


def load_catalog(root: str | Path | None = None) -> Catalog:
    """Products and forms of ``root`` (default: the shipped ``forms/``); every named form must exist."""
    return _checked_catalog(load_products(root), load_forms(root))


def catalog_with(base: Catalog, product_texts: Mapping[str, str], form_texts: Mapping[str, str],
                 *, folder: str) -> Catalog:
    """``base`` with these definitions (file texts by code) in place of its own of the same code and
    beside the rest: what an office received from its county. Each text is checked as its file
    would be, named ``<folder>/products/<code>.yaml`` in refusals; every named form must exist."""
    products = dict(base.products)
    forms = dict(base.forms)
    for code, text in sorted(form_texts.items()):
        forms[code] = load_form_file(Path(folder, "enrollment", f"{code}.yaml"), text)
    for code, text in sorted(product_texts.items()):
        products[code] = load_product_file(Path(folder, "products", f"{code}.yaml"), text)
    return _checked_catalog(products, forms)


def _checked_catalog(products: dict[str, Product], forms: dict[str, EnrollmentForm]) -> Catalog:
    for product in products.values():
        if product.form not in forms:
            raise DomainError("unknown_form", {"product": product.code, "form": product.form,
                                               "file": product.source_file})
    joined = {code: replace(product, enrollment_form=forms[product.form]) for code, product in products.items()}
    return Catalog(MappingProxyType(joined), MappingProxyType(forms))
