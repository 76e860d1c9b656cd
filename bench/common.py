"""Shared helpers of the benchmark workers: stage timing and the result file.

Each worker is one process that runs one stage and writes a small JSON file with
its inner timings; the orchestrator (run.py) measures the process from outside.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

# XGBoost on this machine is ~100x slower with busy-waiting OpenMP threads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

#: The churn definition both sides use (churnlab's defaults).
HORIZON_DAYS = 90
LOOKBACK_DAYS = 365


class Clock:
    """Named wall-clock laps inside a worker process."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.laps: dict[str, float] = {}
        self.info: dict[str, Any] = {}
        self._last = self.start

    def lap(self, name: str) -> float:
        now = time.perf_counter()
        seconds = now - self._last
        self.laps[name] = round(self.laps.get(name, 0.0) + seconds, 3)
        self._last = now
        return seconds

    def write(self, path: str | Path) -> None:
        document = {
            "inner": self.laps,
            "inner_total": round(time.perf_counter() - self.start, 3),
            "info": self.info,
        }
        Path(path).write_text(json.dumps(document, indent=2, default=str))


def worker_args() -> tuple[str, Path, Path, Path]:
    """``STAGE DATA_DIR WORK_DIR RESULT_JSON`` from the command line."""
    if len(sys.argv) != 5:
        raise SystemExit(f"usage: {sys.argv[0]} STAGE DATA_DIR WORK_DIR RESULT_JSON")
    stage, data, work, result = sys.argv[1:]
    Path(work).mkdir(parents=True, exist_ok=True)
    return stage, Path(data), Path(work), Path(result)


def load_plan(data: Path) -> dict[str, Any]:
    """The cut-offs churnlab.windows.plan_cutoffs chose for this shop (written by run.py)."""
    return json.loads((data / "plan.json").read_text())
