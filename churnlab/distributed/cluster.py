"""A Dask client for churnlab: connect to a scheduler or start a cluster on this machine.

Every failure a person can fix (Dask not installed, a scheduler that does not answer, no
workers, workers without churnlab or with another version of it) is a ``ConfigError`` that
says what to do, instead of a traceback from deep inside ``distributed``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import churnlab
from churnlab.errors import ConfigError

if TYPE_CHECKING:
    from distributed import Client

log = logging.getLogger(__name__)

LOCAL_PREFIX = "local:"
"""``local:N`` starts a LocalCluster of N worker processes here instead of connecting."""
CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a scheduler, and then for its first worker."""


def require_dask() -> None:
    """Refuse, saying how to install it, when Dask or distributed is missing."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            "error.dask.missing", hint="error.dask.missing.hint", module=exc.name or "dask"
        ) from None


def local_workers(spec: str) -> int | None:
    """N for ``local:N``; None for a scheduler address."""
    if not spec.startswith(LOCAL_PREFIX):
        return None
    text = spec[len(LOCAL_PREFIX) :]
    n = int(text) if text.isdigit() else 0
    if n < 1:
        raise ConfigError(
            "error.dask.local_workers", hint="error.dask.local_workers.hint", spec=spec
        )
    return n


@contextlib.contextmanager
def connect(
    spec: str,
    *,
    timeout: float = CONNECT_TIMEOUT,
    processes: bool = True,
    memory_limit: str | float | None = "auto",
) -> Iterator[Client]:
    """A client for ``spec`` (a scheduler address, or ``local:N``), closed on exit.

    ``local:N`` starts N single-threaded workers (Polars multi-threads inside each);
    ``processes=False`` keeps them in this process (tests). Workers are checked to run
    this version of churnlab before anything is sent to them.
    """
    require_dask()
    from distributed import Client, KilledWorker, LocalCluster

    if not log.isEnabledFor(logging.INFO):  # distributed logs INFO to stderr on its own
        logging.getLogger("distributed").setLevel(logging.WARNING)

    n = local_workers(spec)
    with contextlib.ExitStack() as stack:
        if n is not None:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=n,
                    threads_per_worker=1,
                    processes=processes,
                    dashboard_address=":0",  # never a port someone else uses
                    memory_limit=memory_limit,
                )
            )
            client = stack.enter_context(Client(cluster))
        else:
            try:
                client = stack.enter_context(Client(spec, timeout=timeout))
            except (OSError, TimeoutError, ValueError, TypeError) as exc:
                raise ConfigError(
                    "error.dask.unreachable",
                    hint="error.dask.unreachable.hint",
                    address=spec,
                    reason=" ".join(str(exc).split())[:200] or type(exc).__name__,
                ) from None
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError:
            raise ConfigError(
                "error.dask.no_workers", hint="error.dask.no_workers.hint", address=spec
            ) from None
        check_workers(client)
        register_sizeof()
        client.run(register_sizeof)
        log.info("dask: %d workers at %s", len(workers(client)), spec)
        try:
            yield client
        except KilledWorker as exc:  # a task took its worker down (memory, usually) twice
            raise ConfigError(
                "error.dask.worker_died",
                hint="error.dask.worker_died.hint",
                address=spec,
                task=str(getattr(exc, "task", ""))[:80],
            ) from None


def register_sizeof() -> None:
    """Tell Dask how big a Polars frame is (it would count a few bytes), so workers spill
    buckets to disk before they run out of memory and the scheduler balances by size."""
    import polars as pl
    from dask.sizeof import sizeof

    sizeof.register(pl.DataFrame)(lambda frame: int(frame.estimated_size()))


def workers(client: Client) -> list[str]:
    """Addresses of the workers, sorted (a stable order for the buckets' placement)."""
    return sorted(client.scheduler_info(n_workers=-1)["workers"])


def check_workers(client: Client, module: str = "churnlab") -> None:
    """Every worker must import ``module`` (churnlab) at this machine's version.

    The probe is Python's own ``eval``, so it reaches a worker that lacks churnlab
    (a churnlab function could not even be unpickled there).
    """
    probe = f"getattr(__import__({module!r}), '__version__', '')"
    answers: dict[str, Any] = client.run(eval, probe, {}, on_error="return")
    missing = sorted(w for w, answer in answers.items() if isinstance(answer, BaseException))
    if missing:
        raise ConfigError(
            "error.dask.no_churnlab",
            hint="error.dask.no_churnlab.hint",
            module=module,
            n=len(missing),
            worker=missing[0],
        )
    if module != "churnlab":
        return
    other = sorted((w, v) for w, v in answers.items() if v != churnlab.__version__)
    if other:
        raise ConfigError(
            "error.dask.version",
            hint="error.dask.version.hint",
            worker=other[0][0],
            theirs=str(other[0][1]),
            ours=churnlab.__version__,
        )
