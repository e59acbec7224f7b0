"""Reason codes of the rules engine, each with its Chinese and English text.

The codes are a contract like error codes (``fpdesk products eligibility --json`` prints them,
roster reports group by them): never rename one. They live in the same registry as the error
codes (``fpdesk.core.errors.MESSAGES``) so one translation table serves both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fpdesk.core.errors import DomainError, register_messages

# Blocking reasons: the person (or the household) cannot be enrolled.
BLOCKING_MESSAGES: dict[str, tuple[str, str]] = {
    "age_below_min": (
        "{who}在保险起期{on}时出生{days}天（{years}周岁），不满最低投保年龄{limit_zh}。",
        "{who_en} is {days} days old ({years} years) on the cover start {on}, below the minimum age of {limit_en}.",
    ),
    "age_above_max": (
        "{who}在保险起期{on}时已{years}周岁，新参保最高{limit}周岁（含）。",
        "{who_en} is {years} on the cover start {on}; new entrants may be at most {limit}.",
    ),
    "age_above_renewal_max": (
        "{who}在保险起期{on}时已{years}周岁，续保最高{limit}周岁（含）。",
        "{who_en} is {years} on the cover start {on}; renewals may be at most {limit}.",
    ),
    "category_not_eligible": (
        "家庭类别（{have_zh}）不在本产品参保范围内（{allowed_zh}）。",
        "The household's categories ({have_en}) are not covered by this product ({allowed_en}).",
    ),
    "missing_certificate": (
        "本产品须填写独生子女证号。",
        "This product needs the only-child certificate number.",
    ),
    "not_rural": ("本产品只限农村家庭参保。", "This product is for rural households only."),
    "not_reward_recipient": (
        "本产品只限享受独生子女父母奖励金的家庭参保。",
        "This product is only for households receiving the only-child parents' reward.",
    ),
    "not_on_eligible_list": (
        "{who}不在当年参保对象名单中。",
        "{who_en} is not on this year's list of eligible people.",
    ),
    "max_shares_exceeded": (
        "{subject_zh}本期已有{held}份，再登记{wanted}份将超过每{per_zh}最多{limit}份的限制。",
        "{subject_en} already holds {held} share(s) this period; {wanted} more would exceed the limit of "
        "{limit} per {per_en}.",
    ),
    "already_insured_this_period": (
        "{who}在本保险期间已经参保，不能重复登记。",
        "{who_en} is already insured for this period and cannot be enrolled twice.",
    ),
    "outside_enrollment_window": (
        "{on}不在参保登记期内：登记期为{opens}至{deadline}（{state_zh}）{next_zh}。",
        "{on} is outside the enrollment window {opens} to {deadline} ({state_en}){next_en}.",
    ),
    "payer_not_funding": (
        "本产品的缴费方式只能是{allowed_zh}，不能是“{requested_zh}”。",
        "This product is funded by {allowed_en} only, not by '{requested_en}'.",
    ),
    "declaration_not_met": (
        "{who}的登记表填写“{answer_zh}”：本产品只保{condition_zh}。",
        "{who_en} answered '{answer_en}' on the form: this product insures {condition_en} only.",
    ),
    "person_not_alive": ("{who}已{status_zh}，不能参保。", "{who_en} is {status_en} and cannot be insured."),
    "insured_role_not_covered": (
        "本产品只保{roles_zh}，{who}不属于此范围。",
        "This product insures {roles_en} only; {who_en} is not one of them.",
    ),
    "only_child_too_old": (
        "独生子女在保险起期{on}时已{years}周岁，本产品限{limit}周岁以内（含{limit}周岁）。",
        "The only child is {years} on the cover start {on}; this product requires {limit} or younger.",
    ),
    "only_child_birth_date_missing": (
        "请填写独生子女的出生日期，以便判断是否在{limit}周岁以内。",
        "Enter the only child's birth date so the age limit of {limit} can be checked.",
    ),
    "payer_not_allowed": (
        "缴费方式“{requested_zh}”不适用于此家庭，应为“{expected_zh}”。",
        "Payer '{requested_en}' does not apply to this household; expected '{expected_en}'.",
    ),
    "member_age_not_met": (
        "{member_zh}在保险起期{on}时{years}周岁，本产品要求{member_zh}{condition_zh}。",
        "{member} is {years} on the cover start {on}; this product requires {member} aged {condition_zh}.",
    ),
    "member_for_age_missing": (
        "本产品要求{member_zh}{condition_zh}，但本户没有登记{member_zh}（或缺少性别、出生日期）。",
        "This product has an age condition on {member} ({condition_zh}), but the household has no {member} on "
        "record (or lacks sex or birth date).",
    ),
    "campaign_over": (
        "本期活动的保险期间已于{end}结束，{on}的登记不能再参保。",
        "The campaign's cover ended on {end}; an entry on {on} can no longer be insured.",
    ),
    "no_insured_member": ("没有填写要参保的人员。", "No person to insure was given."),
}

# Warnings: shown to the user, never block.
WARNING_MESSAGES: dict[str, tuple[str, str]] = {
    "enrollment_closing_soon": (
        "参保登记将于{deadline}截止，还剩{days}天。",
        "Enrollment closes on {deadline}; {days} day(s) left.",
    ),
    "enrollment_late": (
        "登记期已于{deadline}截止，{on}登记为逾期登记（{cover_year}年度）{next_zh}。",
        "The enrollment deadline was {deadline}; entered on {on}, this is a late entry for {cover_year}{next_en}.",
    ),
    "cover_gap": (
        "上期保障已于{previous_end}结束，本期自{start}起：{first}至{last}共{days}天没有保障。",
        "The previous cover ended on {previous_end} and this one starts on {start}: {days} day(s) without cover "
        "({first} to {last}).",
    ),
    "historical_record": (
        "这是{season}年度的往年记录，按其登记日期{on}判断，不受当前登记期限制。",
        "A record from the {season} season: judged at its own date {on}, not blocked by the current window.",
    ),
    "assumed_terms": (
        "本产品有{count}项条款是暂定值（见产品定义文件），请与承保公司核对。",
        "Some terms of this product are assumed defaults ({fields}); confirm them with the insurer.",
    ),
}

register_messages(BLOCKING_MESSAGES)
register_messages(WARNING_MESSAGES)


@dataclass(frozen=True)
class Reason:
    """Why someone cannot be enrolled (or, for warnings, what to watch)."""

    code: str
    message_zh: str
    message_en: str
    person_index: int | None = None  # which of the judged people it concerns; None = the household

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message_zh, "message_en": self.message_en,
                "person": self.person_index}


def make_reason(code: str, person_index: int | None = None, **params: Any) -> Reason:
    # DomainError renders the registered templates (and refuses an unregistered code).
    rendered = DomainError(code, params)
    return Reason(code, rendered.message_zh, rendered.message_en, person_index)
