"""A county's alias for a product (计生家庭意外伤害保险) names it in a roster's cell or title."""

from __future__ import annotations

from pathlib import Path

from fpdesk.core.products import load_products
from fpdesk.excel.rows import Lookups
from fpdesk.services.rosters.lookups import product_in_title

PRODUCTS = load_products(Path(__file__).parents[1] / "data" / "programmes")


def test_a_roster_cell_or_title_naming_the_alias_finds_the_product():
    lookups = Lookups(lambda *_: None, dict(PRODUCTS), {})
    assert lookups.product("计生家庭意外伤害保险").code == "category_price_family"
    assert lookups.product(" 计生家庭意外险 ").code == "category_price_family"
    assert product_in_title([["2024年计生家庭意外伤害保险投保花名册"]], lookups) == "category_price_family"
