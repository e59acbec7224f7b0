"""Money in integer fen (分). Never floats: 1 yuan = 100 fen."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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
