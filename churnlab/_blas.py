"""One BLAS thread for the small optimisations (BG/NBD, the logistic regressions).

OpenBLAS wakes its threads for every vector operation of L-BFGS-B; on four to a few dozen
parameters the wake-ups cost more than the work (a BG/NBD fit on 15,000 customers: 0.17 s
with two threads, 0.05 s with one; the app's first model on 1M events: 3.6 -> 2.8 s). With
one thread the sums, and so the fitted values, are also the same on every machine whatever
its number of cores. Set for the whole process, never restored: a limit scoped to one fit
would race with the BG/NBD thread and leave the thread count to timing.
"""

from __future__ import annotations


def one_blas_thread() -> None:
    """Limit every BLAS library loaded so far (NumPy's, SciPy's) to one thread."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
