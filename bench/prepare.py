"""Write the CSV copy of a generated shop and the cut-off plan both pipelines use.

``python bench/prepare.py DATA_DIR`` (after ``python -m churnlab sample --out DATA_DIR``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl

from churnlab.config import ChurnDefinition
from churnlab.windows import plan_cutoffs


def main() -> None:
    data = Path(sys.argv[1])
    events = pl.read_parquet(data / "events.parquet")
    customers = pl.read_parquet(data / "customers.parquet")
    if not (data / "events.csv").exists():
        events.write_csv(data / "events.csv")
        customers.write_csv(data / "customers.csv")
    plan = plan_cutoffs(events, ChurnDefinition())
    document = {
        "events": events.height,
        "customers": customers.height,
        "cutoffs": [c.isoformat() for c in plan.cutoffs],
        "eval_cutoff": plan.eval_cutoff.isoformat(),
        "validation_cutoffs": [c.isoformat() for c in plan.validation_cutoffs],
        "as_of": plan.as_of.isoformat(),
        "data_start": plan.data_start.isoformat(),
        "data_end": plan.data_end.isoformat(),
    }
    (data / "plan.json").write_text(json.dumps(document, indent=2))


if __name__ == "__main__":
    main()
