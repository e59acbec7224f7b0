"""The weekly bulletin (周通报): progress as of the end of week N beside the end of week N−1, as PDF or xlsx.

A township whose target was set in households, persons or as a census rate (fpdesk.core.target_measures)
is counted in that unit — its target, completed and new figures are households or persons, its rate
achieved beside the target and stretch rates in the remarks — while the payer columns stay shares.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fpdesk.core import target_measures as tm
from fpdesk.core.bulletin import BulletinDoc, BulletinLine
from fpdesk.core.dates import chinese_date
from fpdesk.core.errors import DomainError
from fpdesk.core.statistics import percent_value
from fpdesk.services.enrollment.product_catalog import office_product
from fpdesk.services.reports.target_progress import ProgressLine, ProgressReport, progress, week_end
from fpdesk.services.workspace import Workspace


def _line(line: ProgressLine) -> BulletinLine:
    if line.measure not in (tm.SHARES, tm.MIXED):
        return BulletinLine(line.name, line.target_value, line.achieved_at(previous=True), line.achieved_at(),
                            line.enrolled.government, line.enrolled.self, line.enrolled.employer,
                            percent_value(line.previous_completion, 1), percent_value(line.completion, 1),
                            line.rank, line.unpaid.total)
    return BulletinLine(line.name, line.target.total, line.previous.total, line.enrolled.total,
                        line.enrolled.government, line.enrolled.self, line.enrolled.employer,
                        percent_value(line.previous_completion, 1), percent_value(line.completion, 1), line.rank,
                        line.unpaid.total)


def bulletin_doc(workspace: Workspace, report: ProgressReport, *, week: int | None = None) -> BulletinDoc:
    office = workspace.require_office()
    product = office_product(workspace, report.product).name_zh if report.product else "计生家庭保险"
    number = f"第{week}周" if week else f"截至{chinese_date(report.as_of, with_year=False)}"
    lines = sorted(report.townships, key=lambda t: (t.rank is None, t.rank or 0, t.code))
    units = "单位：份"
    forms = [t for t in lines if t.target_set and t.measure != tm.SHARES]
    if forms:
        units = "单位：份（按户、人或覆盖率下达的以户、人计）"
    return BulletinDoc(
        title=f"{office.name}{report.year}年{product}工作{number}通报",
        subtitle=(f"统计截至{chinese_date(report.as_of)}"
                  f"（上期截至{chinese_date(report.previous_as_of, with_year=False)}）　{units}"
                  "　完成数只计已缴费（含已拨款）"),
        as_of=report.as_of, previous_as_of=report.previous_as_of, issuer=office.name,
        lines=[_line(t) for t in lines], total=_line(report.total),
        laggards=[f"{t.name}（{t.completion_text()}）" for t in report.laggards],
        remarks=forms_remark(forms, report.total))


def forms_remark(lines: list[ProgressLine], total: ProgressLine) -> str:
    """'任务口径：城关乡 参保率 43.5%，目标 60%，力争 80%；雪峰镇 10人。' — targets not in shares, as set."""
    if not lines:
        return ""
    text = "任务口径：" + "；".join(f"{t.name} {t.target_text()}" for t in lines) + "。政府、自主、单位三列为份数。"
    if total.measure == tm.MIXED:
        text += "各乡镇任务口径不同，合计完成率为各乡镇完成率的平均。"
    return text


def week_dates(year: int, week: int) -> tuple[dt.date, dt.date]:
    last = dt.date(year, 12, 28).isocalendar().week
    if not 1 <= week <= last:
        raise DomainError("bulletin_week", {"year": year, "week": week, "last": last})
    return week_end(year, week), week_end(year, week) - dt.timedelta(days=7)


def write_bulletin(workspace: Workspace, *, year: int, week: int, out: str | Path,
                   product: str | None = None) -> dict:
    """Count progress as of the end of ``week`` and write the bulletin; the format follows the suffix."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise DomainError("bulletin_format", {"value": out.name})
    as_of, previous = week_dates(year, week)
    report = progress(workspace, year=year, product=product, as_of=as_of, previous_as_of=previous)
    doc = bulletin_doc(workspace, report, week=week)
    save_bulletin(doc, out)
    return {"ok": True, "path": str(out), "format": suffix[1:], "year": year, "week": week,
            "as_of": as_of.isoformat(), "previous_as_of": previous.isoformat(), "townships": len(doc.lines),
            "laggards": [t.name for t in report.laggards], "total": report.total.as_dict()}


def save_bulletin(doc: BulletinDoc, out: str | Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".xlsx":
        from fpdesk.excel.bulletin import write_bulletin_xlsx

        return write_bulletin_xlsx(doc, out)
    if out.suffix.lower() != ".pdf":
        raise DomainError("bulletin_format", {"value": out.name})
    from fpdesk.printing.bulletin import write_bulletin as write_pdf

    write_pdf(doc, out)
    return out
