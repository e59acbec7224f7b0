"""The words of product files: the choices a key may take, each with its Chinese and English name.

Kept apart from the loader (fpdesk.core.products, which re-exports them) so both stay short.
"""

from __future__ import annotations

from fpdesk.core.vocabulary import HouseholdCategory, PayerType

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
    "illness_death": ("疾病身故", "Death from illness"),
    "natural_disaster_accident": ("自然灾害意外伤害", "Accident in a natural disaster"),
}
ROUNDING_RULES = ("floor_remainder_first", "half_up")  # see fpdesk.core.money.split_fen
PERIOD_RULES = {
    # cover from 00:00 the day after the premium is received (paid or allocated), for a year
    "day_after_payment": ("交费次日零时起一年", "from 00:00 the day after the premium is received, one year"),
    # one yearly cycle from cycle_start; an entry or addition during the cycle is covered from the next day
    "fixed_cycle": ("按固定保险周期", "a fixed yearly cycle"),
    # every policy of the year takes effect on the same day (统一于3月1日零时起生效), one year; an entry
    # paid after that day is covered from the next day to the same end
    "fixed_date": ("统一生效日起一年", "from one fixed day each year, for a year"),
    # the campaign's own dates (2021年1月20日零时至2022年1月19日二十四时); later entries from the next day
    "campaign": ("按本期活动的起止日期", "the campaign's start and end dates"),
}
WINDOW_COVERS = ("current_year", "next_year")
# What happens to an entry after the season's deadline (a deadline is a campaign's target date unless
# the product says it is a lock).
LATE_ENTRIES = {
    "allowed": ("截止后仍可登记", "entries after the deadline are accepted"),
    "warn": ("截止后仍可登记，但提示逾期", "entries after the deadline are accepted with a warning"),
    "refused": ("截止后不再受理", "entries after the deadline are refused"),
}
# The premium of cover that starts after the cycle has begun (a late entry, a person added mid-year).
PART_YEAR_PREMIUMS = {
    "full": ("全年保费", "the full premium"),
    "pro_rata_days": ("按实际天数折算", "pro rata by the days covered"),
}
PART_YEAR_ROUNDING = {"half_up": ("四舍五入到分", "rounded half up to the fen"),
                      "down": ("舍去不足一分", "rounded down to the fen")}
DOCUMENTS = {"one_child_cert": ("独生子女证", "Only-child certificate")}
INSURED_ROLES = {"only_child": ("独生子女", "the only child"), "parent": ("父母", "the parents")}
FUNDING_SOURCES = {"reward_conversion": ("奖励金转型", "reward converted to premium")}
CATEGORY_NAMES = tuple(c.value for c in HouseholdCategory)
PAYER_NAMES = tuple(p.value for p in PayerType)
