"""Worker processes that a Ctrl-C stops: the parent gets the interrupt, the workers are terminated.

SPEC: an interrupt exits 130 with one line on stderr and the workers stopped. A terminal sends SIGINT to
the whole process group, so each worker ignores it (no traceback per worker) and the parent, on any
exception, terminates them instead of waiting for their chunks to finish.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def map_in_processes(
    function: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    each: Callable[[R], None] | None = None,
) -> list[R]:
    """`[function(x) for x in items]` in `jobs` forked processes, stopped at once on an interrupt;
    `each` is called on every result as it arrives (in order), for progress."""
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork"), initializer=_ignore_sigint)
    try:
        out = []
        for result in pool.map(function, items):
            out.append(result)
            if each is not None:
                each(result)
    except BaseException:
        stop(pool)
        raise
    pool.shutdown(wait=True)
    return out


def stop(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's processes now (the executor has no public way before Python 3.14)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=5)
