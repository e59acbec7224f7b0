"""The weekly bulletin (周通报, docs/rules.md#weekly-bulletin) as plain data: what the PDF and the workbook both print.

Completion is in percent (one decimal) and None for a line without a target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BulletinLine:
    """One township (or the 机关 channel) in the bulletin."""

    name: str
    target: int
    previous: int
    current: int
    government: int
    self_paid: int
    employer: int
    previous_pct: float | None
    current_pct: float | None
    rank: int | None
    unpaid: int = 0  # registered, premium not yet received: its own column, never in the counts

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass(frozen=True)
class BulletinDoc:
    title: str
    subtitle: str
    as_of: dt.date
    previous_as_of: dt.date
    issuer: str
    lines: Sequence[BulletinLine]
    total: BulletinLine
    laggards: Sequence[str] = field(default_factory=tuple)
    remarks: str = ""

    def laggard_sentence(self) -> str:
        if self.laggards:
            return "进度落后的乡镇：" + "、".join(self.laggards) + "。请加快进度，确保按时完成全年任务。"
        return "各乡镇完成率均不低于全县平均水平。"


COLUMNS = ("排名", "乡镇", "任务数", "上期完成", "本期完成", "本周新增", "上期完成率", "本期完成率", "政府", "自主",
           "单位", "已登记未缴费")
