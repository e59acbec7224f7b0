"""Where a benchmark stands: its figure, the bare baseline measured in the same run, their ratio and
the goal, printed the same way by every benchmark and gathered by ``tests.benchmarks.run_all``.

Absolute times move with the machine and its load; the ratio to a bare baseline run a moment
before on the same machine does not, so every goal that can be one is a ratio. A benchmark calls
``report`` once with its lines; with FPDESK_BENCH_LINES set (run_all sets it) they are also
appended to that file as JSON, one line each.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Standing:
    benchmark: str  # the module: rosters, foundation, trust …
    measure: str  # what was measured, in words
    figure: float
    unit: str  # rows/s, ms, s, MB …
    baseline: float | None  # the bare work measured in the same run, in the same unit
    baseline_label: str  # what the bare work is
    goal: str  # the bar in words: "ratio >= 0.40", "<= 10 ms"
    met: bool | None  # None: no bar for this line (a figure shown for context)

    @property
    def ratio(self) -> float | None:
        return self.figure / self.baseline if self.baseline else None


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"


def report(lines: list[Standing]) -> None:
    print(f"\n{'measure':<62}{'figure':>16}{'bare baseline':>18}{'ratio':>8}  goal")
    for line in lines:
        ratio = "-" if line.ratio is None else f"{line.ratio:.2f}"
        baseline = "-" if line.baseline is None else f"{_number(line.baseline)} {line.unit}"
        verdict = "" if line.met is None else ("  met" if line.met else "  NOT MET")
        print(f"{line.measure:<62}{_number(line.figure) + ' ' + line.unit:>16}{baseline:>18}{ratio:>8}  "
              f"{line.goal}{verdict}")
    target = os.environ.get("FPDESK_BENCH_LINES")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            for line in lines:
                out.write(json.dumps({**asdict(line), "ratio": line.ratio}, ensure_ascii=False) + "\n")
