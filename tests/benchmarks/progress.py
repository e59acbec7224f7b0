"""Progress, statistics and the weekly bulletin on a county demo.

    python -m tests.benchmarks.progress [--persons 500000] [--share 0.35] [--claims 1500] [--db PATH|URL]
                                        [--out DIR]

Builds a county demo (``fpdesk demo``'s generator) — which holds households and persons only — and
plants what the dashboard counts, through the services: every government-category household and a
share of the others enrolled in fp_family_accident_100 for 2026 in weekly batches from January to
April (bulk enrollment, one batch per week so week-over-week changes exist), most of them paid, a
target per township, resident population, and claims of which part are paid. Then times, in-process,
``progress`` (the dashboard's read), ``statistics`` (Sep–Aug year with the previous year beside it),
the bulletin PDF with its chart, and the same reports as commands (start-up and JSON included).

Baselines in the same run: the bare ``SELECT payer_type, sum(shares) FROM enrollment GROUP BY`` that
any count needs, and a bare one-page reportlab PDF in the same embedded font.
Bars: progress and statistics ≤ 1 s each, the bulletin PDF ≤ 3 s. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, text

BAR_READ_S, BAR_BULLETIN_S = 1.0, 3.0
PRODUCT = "fp_family_accident_100"
WEEK_DAYS = [dt.date(2026, 1, 5) + dt.timedelta(weeks=w) for w in range(16)]  # Mondays, Jan–Apr
AS_OF = dt.date(2026, 4, 19)  # end of ISO week 16


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def best(runs: int, function, *args, **kwargs):
    seconds, result = [], None
    for _ in range(runs):
        result, s = timed(function, *args, **kwargs)
        seconds.append(s)
    return result, min(seconds), sorted(seconds)[len(seconds) // 2]


def _form(snapshot):
    values = {"health_declaration": "是", "beneficiary_type": "法定"}
    if snapshot.is_unit:
        values["employer_unit"] = "本单位"
    return values


def build(location: str, persons: int, share: float, claims: int) -> dict:
    from fpdesk.services.demo.database import load_demo
    from fpdesk.services.enrollment.enroll_many import enroll_households_bulk
    from fpdesk.services.enrollment.facts import product_by_code
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.reports.coverage_check import government_categories
    from fpdesk.storage.schema import Household, HouseholdCategoryLink

    workspace = open_workspace(location, author="bench")
    summary, demo_s = timed(load_demo, workspace, scale="county", persons=persons, seed=11)
    government = {c.value for c in government_categories(product_by_code(PRODUCT))}
    with workspace.read() as session:
        all_ids = list(session.scalars(select(Household.id).order_by(Household.id)))
        gov = set(session.scalars(select(HouseholdCategoryLink.household_id)
                                  .where(HouseholdCategoryLink.category.in_(government))))
    rng = random.Random(5)
    chosen = [h for h in all_ids if h in gov or rng.random() < share]
    rng.shuffle(chosen)
    weeks: list[list] = [[] for _ in WEEK_DAYS]
    for household in chosen:  # more families early in the season, as in a real campaign
        weeks[min(int(rng.expovariate(1 / 4)), len(WEEK_DAYS) - 1)].append(household)
    written, enroll_s = 0, 0.0
    for day, batch in zip(WEEK_DAYS, weeks, strict=True):
        result, s = timed(enroll_households_bulk, workspace, product=PRODUCT, year=2026, household_ids=batch,
                          on=day, today=day, form_values=_form)
        written += result.written
        enroll_s += s
    last_year = [h for h in chosen if rng.random() < 0.85]
    timed(enroll_households_bulk, workspace, product=PRODUCT, year=2025, household_ids=last_year,
          on=dt.date(2025, 3, 2), today=dt.date(2025, 3, 2), form_values=_form)
    from tests.benchmarks.received import mark_received

    mark_received(workspace)  # bench set-up: payments are not what is measured
    targets_s = _targets_and_population(workspace)
    claims_made, claims_s = _claims(workspace, claims, rng)
    workspace.close()
    return {"persons": summary.persons, "households": summary.households, "demo_s": demo_s,
            "enrolled_2026": written, "bulk_enroll_s": enroll_s, "targets_s": targets_s,
            "claims": claims_made, "claims_s": claims_s}


def _targets_and_population(workspace) -> float:
    from fpdesk.services.reports.target_progress import progress
    from fpdesk.services.reports.targets import set_population, set_target

    started = time.perf_counter()
    report = progress(workspace, year=2026, product=PRODUCT, as_of=AS_OF)
    for township in report.townships:
        enrolled = township.enrolled
        set_target(workspace, year=2026, product=PRODUCT, division_code=township.code,
                   government=int(enrolled.government * 1.05), self_paid=int(enrolled.self * 1.3) + 10,
                   employer=int(enrolled.employer * 1.1))
        set_population(workspace, division_code=township.code, year=2026, residents=len(township.villages) * 9000)
    return time.perf_counter() - started


def _claims(workspace, count: int, rng: random.Random) -> tuple[int, float]:
    from fpdesk.core.claims import checklist
    from fpdesk.services.enrollment import claims
    from fpdesk.storage.schema import Person
    from fpdesk.storage.schema_enrollment import InsuredPerson

    with workspace.read() as session:
        people = session.execute(select(Person.id_number).join(InsuredPerson, InsuredPerson.person_id == Person.id)
                                 .where(InsuredPerson.policy_year == 2026).limit(count * 3)).scalars().all()
    chosen = rng.sample(people, min(count, len(people)))
    today = dt.date(2026, 12, 31)
    started, made = time.perf_counter(), 0
    for number in chosen:
        incident = dt.date(2026, 5, 1) + dt.timedelta(days=rng.randrange(150))
        try:
            ref = claims.register_claim(workspace, person=number, kind="accidental_medical", incident_on=incident,
                                        claimed_fen=rng.randrange(20000, 600000), reported_on=incident,
                                        report_number=f"B{made}", green_channel=rng.random() < 0.3,
                                        today=today).claim_no
        except Exception:
            continue
        made += 1
        if rng.random() < 0.5:
            claims.set_documents(workspace, ref, checklist("accidental_medical"), on=incident)
            claims.advance(workspace, ref, "documents_complete", on=incident, today=today)
            claims.advance(workspace, ref, "submitted", on=incident, today=today)
            detail = claims.claim_detail(workspace, ref)
            amount = min(detail["claimed_fen"], detail["limit"]["left_fen"])
            if amount > 0:
                claims.record_paid(workspace, ref, paid_fen=amount, paid_on=incident + dt.timedelta(days=20),
                                   today=today)
    return made, time.perf_counter() - started


def bench(location: str, out_dir: Path) -> dict:
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.reports.bulletin import write_bulletin
    from fpdesk.services.reports.statistics import statistics
    from fpdesk.services.reports.target_progress import progress
    workspace = open_workspace(location)
    progress(workspace, year=2026, product=PRODUCT, as_of=AS_OF)  # warm: product files, first connection
    report, progress_best, progress_median = best(5, progress, workspace, year=2026, product=PRODUCT, as_of=AS_OF)
    _, all_products_best, _ = best(3, progress, workspace, year=2026, as_of=AS_OF)
    stats, stats_best, stats_median = best(5, statistics, workspace, year=2026, start_month=9)
    _, calendar_best, _ = best(3, statistics, workspace, year=2026, start_month=1)
    bulletin, bulletin_best, bulletin_median = best(
        3, write_bulletin, workspace, year=2026, week=16, product=PRODUCT, out=out_dir / "bulletin.pdf")
    _, xlsx_best, _ = best(3, write_bulletin, workspace, year=2026, week=16, product=PRODUCT,
                           out=out_dir / "bulletin.xlsx")
    with workspace.read() as session:
        _, bare_sql_best, _ = best(5, lambda: session.execute(text(
            "SELECT payer_type, sum(shares) FROM enrollment WHERE policy_year = 2026 GROUP BY payer_type")).all())
    workspace.close()
    bare_pdf_best = _bare_pdf(out_dir / "bare.pdf")
    cli = {}
    for name, args in (("progress", ["report", "progress", "--year", "2026", "--product", PRODUCT,
                                     "--as-of", AS_OF.isoformat()]),
                       ("stats", ["report", "stats", "--year", "2026", "--start-month", "9"])):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "fpdesk", *args, "--db", location, "--json"],
                              capture_output=True, text=True, check=True)
        cli[name] = time.perf_counter() - started
        json.loads(done.stdout)
    return {"progress_best_s": progress_best, "progress_median_s": progress_median,
            "progress_all_products_s": all_products_best, "stats_best_s": stats_best,
            "stats_median_s": stats_median, "stats_calendar_s": calendar_best, "bulletin_pdf_best_s": bulletin_best,
            "bulletin_pdf_median_s": bulletin_median, "bulletin_xlsx_s": xlsx_best, "bare_sql_s": bare_sql_best,
            "bare_pdf_s": bare_pdf_best, "cli_progress_s": cli["progress"], "cli_stats_s": cli["stats"],
            "townships": len(report.townships), "enrolled_shares": report.total.enrolled.total,
            "target": report.total.target.total, "completion_pct": float((report.total.completion or 0) * 100),
            "stats_shares": stats.total.shares, "stats_paid_fen": stats.total.paid_fen,
            "loss_ratio_pct": float((stats.total.loss_ratio or 0) * 100), "bulletin": bulletin["path"]}


def _bare_pdf(path: Path) -> float:
    from reportlab.pdfgen.canvas import Canvas

    from fpdesk.printing.fonts import register_fonts

    font = register_fonts()

    def one():
        canvas = Canvas(str(path))
        canvas.setFont(font, 12)
        for row in range(40):
            canvas.drawString(50, 800 - row * 18, f"城关乡 第{row}行 完成率 50.0%")
        canvas.showPage()
        canvas.save()

    return best(3, one)[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=500_000)
    parser.add_argument("--share", type=float, default=0.35, help="share of non-government households enrolled")
    parser.add_argument("--claims", type=int, default=1500)
    parser.add_argument("--db", help="reuse this database (file or URL) instead of building one")
    parser.add_argument("--out", type=Path, help="write the figures as JSON into this folder")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="fpdesk-bench-progress-"))
    location = args.db or str(folder / "county.sqlite3")
    built = (build(location, args.persons, args.share, args.claims)
             if not args.db or (not args.db.startswith("postgresql") and not Path(args.db).exists())
             else {"reused": location})
    if args.db and args.db.startswith("postgresql") and "reused" in built:
        from fpdesk.services.opening import open_workspace
        from fpdesk.services.workspace import count_persons
        workspace = open_workspace(location)
        if not count_persons(workspace):
            workspace.close()
            built = build(location, args.persons, args.share, args.claims)
        else:
            workspace.close()
    figures = bench(location, folder)

    def bar(value: float, limit: float) -> str:
        return f"bar {limit:.0f} s: {'OK' if value <= limit else 'MISSED'}"

    rows = [
        ("county demo persons / households", f"{built.get('persons', '-')} / {built.get('households', '-')}",
         f"demo {built.get('demo_s', 0):.0f} s"),
        ("enrolled 2026 (16 weekly batches)", f"{figures['enrolled_shares']:,} shares",
         f"{figures['townships']} townships, target {figures['target']:,}, {figures['completion_pct']:.1f} %"),
        ("claims planted", str(built.get("claims", "-")), f"{built.get('claims_s', 0):.0f} s through the services"),
        ("progress (service, best of 5)", f"{figures['progress_best_s']:.3f} s",
         f"{bar(figures['progress_best_s'], BAR_READ_S)}; median {figures['progress_median_s']:.3f} s; "
         f"{figures['progress_best_s'] / figures['bare_sql_s']:.1f}× the bare GROUP BY"),
        ("progress, all products", f"{figures['progress_all_products_s']:.3f} s", ""),
        ("statistics Sep–Aug + previous year", f"{figures['stats_best_s']:.3f} s",
         f"{bar(figures['stats_best_s'], BAR_READ_S)}; median {figures['stats_median_s']:.3f} s; "
         f"loss ratio {figures['loss_ratio_pct']:.2f} %"),
        ("statistics calendar year", f"{figures['stats_calendar_s']:.3f} s", ""),
        ("bulletin PDF with chart (best of 3)", f"{figures['bulletin_pdf_best_s']:.3f} s",
         f"{bar(figures['bulletin_pdf_best_s'], BAR_BULLETIN_S)}; incl. the progress count; "
         f"bare 1-page reportlab {figures['bare_pdf_s']:.3f} s"),
        ("bulletin xlsx with chart", f"{figures['bulletin_xlsx_s']:.3f} s", ""),
        ("bare GROUP BY on enrollment", f"{figures['bare_sql_s']:.3f} s", "baseline"),
        ("fpdesk report progress --json", f"{figures['cli_progress_s']:.2f} s", "command, incl. start-up"),
        ("fpdesk report stats --json", f"{figures['cli_stats_s']:.2f} s", "command, incl. start-up"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'figure':>22}  note")
    for name, figure, note in rows:
        print(f"{name:<{width}}  {figure:>22}  {note}")
    print(f"database: {location}\nbulletin: {figures['bulletin']}")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "progress.json").write_text(json.dumps({"build": built, "bench": figures}, indent=2,
                                                           default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
