"""Work started on a thread of its own while the caller goes on.

Polars and XGBoost release the GIL for their heavy parts, so a step that keeps one core busy
(a SciPy fit, the duplicate-row check beside role detection, an XGBoost fit on one thread) can
run beside other work on a 2-core machine instead of after it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

ResultT = TypeVar("ResultT")


def beside(work: Callable[..., ResultT], *args: Any) -> Future[ResultT]:
    """``work(*args)`` started on a thread of its own; its result (or error) from ``result()``."""
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(work, *args)
    finally:
        pool.shutdown(wait=False)
