"""Money in integer fen (分). Never floats: 1 yuan = 100 fen."""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from fpdesk.core.errors import DomainError

FEN_PER_YUAN = 100


def yuan_to_fen(value: str | int | Decimal) -> int:
    """'100', '100.5', '¥1,234.56' or 100 -> fen. Rejects more than two decimals."""
    text = re.sub(r"[¥￥,，元\s]", "", str(value))
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise DomainError("bad_argument", {"detail": f"金额 {value!r}"}) from None
    fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise DomainError("bad_argument", {"detail": f"金额 {value!r} 不能超过两位小数"})
    return int(fen)


def format_fen(fen: int, *, symbol: bool = True) -> str:
    """12345 -> '¥123.45'; thousands separated."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{'¥' if symbol else ''}{yuan:,}.{cents:02d}"


def split_fen(total: int, parts: int, *, rounding: str = "floor_remainder_first") -> list[int]:
    """Split ``total`` fen into ``parts`` amounts that add up exactly.

    ``floor_remainder_first``: every share is total // parts; the leftover fen go one each to the
    first shares (the household head first), so the sum is always the total.
    ``half_up``: every share is total / parts rounded half up to the fen (the sum may differ by a
    few fen; used where an insurer states a per-capita figure).
    """
    if parts <= 0:
        raise ValueError("parts must be positive")
    if rounding == "floor_remainder_first":
        base, extra = divmod(total, parts)
        return [base + (1 if i < extra else 0) for i in range(parts)]
    if rounding == "half_up":
        share = int((Decimal(total) / parts).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return [share] * parts
    raise ValueError(f"unknown rounding rule {rounding!r}")


def split_by_weights(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` fen in proportion to ``weights`` (what each payer paid or owes), adding up exactly.

    Each part is rounded down; the leftover fen go one each to the largest remainders, the earlier
    part first where they tie. ¥60 back of 5 + 5 + 10 + 10 + 90 paid: 2.50, 2.50, 5, 5, 45.
    """
    whole = sum(weights)
    if whole <= 0 or min(weights) < 0:
        raise ValueError("weights must not be negative and must add up to more than nothing")
    parts = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[:total - sum(parts)]:
        parts[i] += 1
    return parts


def pro_rata_fen(total: int, days: int, of_days: int, *, rounding: str = "half_up") -> int:
    """``total`` × ``days`` / ``of_days`` in whole fen: ``half_up`` rounds half a fen up, ``down`` drops it.

    S3's ¥300 a year for 183 of 365 days: 30000 × 183 / 365 = 15041.0958… → 15041 fen (¥150.41).
    """
    if of_days <= 0 or days < 0:
        raise ValueError("days must not be negative and of_days must be positive")
    if days >= of_days:
        return total
    exact = Decimal(total) * days / of_days
    mode = ROUND_HALF_UP if rounding == "half_up" else ROUND_DOWN
    if rounding not in ("half_up", "down"):
        raise ValueError(f"unknown rounding rule {rounding!r}")
    return int(exact.quantize(Decimal(1), rounding=mode))


_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_GROUP_PLACES = ("仟", "佰", "拾", "")
_GROUP_UNITS = ("", "万", "亿", "万亿")


def _capital_group(value: int) -> str:
    """0 < value < 10000 in capitals: one 零 for a run of inner zeros, none for trailing zeros."""
    text, pending_zero = "", False
    for digit, place in zip(f"{value:04d}", _GROUP_PLACES, strict=True):
        if digit == "0":
            pending_zero = bool(text)
            continue
        if pending_zero:
            text += "零"
            pending_zero = False
        text += _CAPITAL_DIGITS[int(digit)] + place
    return text


def _capital_integer(value: int) -> str:
    groups = []
    while value:
        value, group = divmod(value, 10000)
        groups.append(group)
    if len(groups) > len(_GROUP_UNITS):
        raise ValueError("amount too large for capital numerals")
    text, zero_between = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_between = bool(text)
            continue
        # 壹万零伍 / 壹亿零壹仟: a gap of zeros between two groups is read as one 零.
        if text and (zero_between or group < 1000):
            text += "零"
        text += _capital_group(group) + _GROUP_UNITS[index]
        zero_between = False
    return text


def amount_in_words(fen: int) -> str:
    """Fen as Chinese capital numerals (大写金额) the way receipts and bank forms write them.

    Follows the People's Bank rules for filling in vouchers: 整 after 元, none after 角 or 分;
    元零X分 when the 角 digit is 0; 壹拾 (never a bare 拾). 10000 -> 壹佰元整, 30550 -> 叁佰零伍元伍角,
    1 -> 壹分, 0 -> 零元整.
    """
    if fen < 0:
        return "负" + amount_in_words(-fen)
    yuan, cents = divmod(fen, FEN_PER_YUAN)
    jiao, fen_digit = divmod(cents, 10)
    text = _capital_integer(yuan) + "元" if yuan else ""
    if not cents:
        return (text or "零元") + "整"
    if jiao:
        text += _CAPITAL_DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen_digit:
        text += _CAPITAL_DIGITS[fen_digit] + "分"
    return text
