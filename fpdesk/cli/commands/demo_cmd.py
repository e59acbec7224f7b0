"""fpdesk demo --scale village|township|county [--persons N] [--seed N]"""

from __future__ import annotations

import sys
import time

from fpdesk.cli.output import EXIT_OK, database_url, emit
from fpdesk.core.language import pick


def add_arguments(parser) -> None:
    parser.add_argument("--scale", choices=["village", "township", "county"], default="village",
                        help=pick("村约600人，乡镇约1万人，县约10万人（默认 village）",
                                  "a village has about 600 people, a township 10,000, a county 100,000 (default: village)"))
    parser.add_argument("--persons", type=int, help=pick(
        "指定总人数（最多1,000,000，用于性能测试）", "this many people in all (at most 1,000,000, for performance tests)"))
    parser.add_argument("--seed", type=int, default=1, help=pick(
        "随机种子：同一种子生成同样的数据", "random seed: the same seed makes the same data"))


def run(args) -> int:
    from fpdesk.core.errors import DomainError
    from fpdesk.core.progress import Progress
    from fpdesk.services.demo.database import load_demo
    from fpdesk.services.opening import open_workspace

    if args.persons is not None and not 1 <= args.persons <= 1_000_000:
        raise DomainError("bad_argument", {"detail": "--persons 应在 1 到 1,000,000 之间",
                                           "detail_en": "--persons is between 1 and 1,000,000"})
    started = time.perf_counter()
    progress = Progress(callback=None if args.json or not sys.stderr.isatty() else _print_progress)
    workspace = open_workspace(database_url(args, creates=True))
    try:
        summary = load_demo(workspace, scale=args.scale, persons=args.persons, seed=args.seed, progress=progress,
                            with_enrollments=True)
        database = workspace.db.display_name
    finally:
        workspace.close()
    seconds = time.perf_counter() - started
    payload = {"ok": True, "county": summary.county, "divisions": summary.divisions,
               "households": summary.households, "persons": summary.persons, "changes": summary.changes,
               "seconds": round(seconds, 2), "database": database, "enrollments": summary.enrollments}
    enrolled = summary.enrollments or {}
    emit(args, payload, pick(
        f"已生成演示数据：{summary.households} 户，{summary.persons} 人；"
        f"{enrolled.get('year')}年度参保 {enrolled.get('enrollments', 0)} 户（已缴费 {enrolled.get('paid', 0)}，"
        f"已拨款 {enrolled.get('allocated', 0)}，已登记未缴费 {enrolled.get('unpaid', 0)}），"
        f"用时 {seconds:.1f} 秒。\n数据库：{database}",
        f"Demo data made: {summary.households} households, {summary.persons} persons; policy year"
        f" {enrolled.get('year')}: {enrolled.get('enrollments', 0)} households enrolled ({enrolled.get('paid', 0)} paid,"
        f" {enrolled.get('allocated', 0)} allocated, {enrolled.get('unpaid', 0)} registered, unpaid),"
        f" in {seconds:.1f} s.\nDatabase: {database}"))
    return EXIT_OK


def _print_progress(done: int, total: int, label: str) -> None:
    print(f"\r{label} {done}/{total}", end="", file=sys.stderr, flush=True)
