"""Targets and population counts are one row per natural key, even when two offices each made one.

A township typically types in its own row of the county's target table before the county's package
arrives: the county's row must replace it (not fail the import on the unique key, not double it);
the township's copy travelling up must leave the county's own row standing."""

from __future__ import annotations

from fpdesk.services.reports.targets import list_targets, set_population, set_target
from fpdesk.storage.schema_claims import Population

PRODUCT = "fp_family_accident_100"


def _targets(ws):
    return [(t["division_code"], t["government"], t["self"]) for t in list_targets(ws, year=2026, product=PRODUCT)]


def test_county_target_replaces_the_townships_own_copy_and_the_copy_going_up_leaves_the_countys(offices, db_url):
    county = offices.county(db_url)
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    set_target(township, year=2026, product=PRODUCT, division_code="350421200", government=90, self_paid=10)
    set_target(county, year=2026, product=PRODUCT, division_code="350421200", government=300, self_paid=200)
    set_population(township, division_code="350421200", year=2026, residents=1000)
    set_population(county, division_code="350421200", year=2026, residents=23000)

    offices.send(township, county)  # the township's copies go up first: the county's rows stand
    assert _targets(county) == [("350421200", 300, 200)]
    report = offices.send(county, township)  # the county's rows come down and take the copies' place
    assert report.rejected == 0 and report.held == 0
    assert _targets(township) == [("350421200", 300, 200)]
    offices.send(township, county)  # the replacement (a logged delete) goes up without harm
    assert _targets(county) == [("350421200", 300, 200)]
    for ws in (county, township):
        with ws.read() as session:
            assert [p.residents for p in session.query(Population).all()] == [23000]


def test_a_census_rate_target_set_at_the_county_arrives_at_the_township_as_set(offices, db_url):
    """The county sets 城关乡's target as 60 % of its 1,000 census households, stretch 80 %: the
    township's progress shows the same form after one package (no households insured yet: 0 %)."""
    from fpdesk.services.reports.target_progress import progress

    county = offices.county(db_url)
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    set_population(county, division_code="350421200", year=2026, residents=3100, households=1000)
    set_target(county, year=2026, product=PRODUCT, division_code="350421200", measure="household_rate",
               rate_bp=6000, stretch_bp=8000)
    report = offices.send(county, township)
    assert report.rejected == 0 and report.held == 0
    [row] = list_targets(township, year=2026, product=PRODUCT)
    assert (row["measure"], row["rate_pct"], row["stretch_pct"], row["text"]) == \
        ("household_rate", 60.0, 80.0, "参保率 60%（力争 80%）")
    with township.read() as session:
        assert [(p.residents, p.households) for p in session.query(Population).all()] == [(3100, 1000)]
    [line] = progress(township, year=2026, product=PRODUCT).townships
    assert (line.census, line.target_value) == (1000, 600)
    assert line.target_text() == "参保率 0%，目标 60%，力争 80%"
