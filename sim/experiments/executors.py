"""Where tasks run: in this process, in a local process pool, or on a Dask cluster.

Results come back in any order and are sorted by (point, replication), so the tables
are identical whatever the executor and the number of workers.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from sim.errors import UserError
from sim.experiments.tasks import Task, run_task
from sim.world.records.footprint import require_room

Summary = dict[str, Any]


def _exit_with_parent(parent: int) -> None:
    """In a pool worker: end when the process that started the pool is gone.

    On Linux the kernel sends SIGTERM when the parent dies (PR_SET_PDEATHSIG); elsewhere,
    and as a fallback, a daemon thread notices the parent change and ends the worker, so
    a killed run never leaves workers finishing its queue or waiting forever.
    """
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the watch began
        os._exit(1)


def process_pool(jobs: int) -> ProcessPoolExecutor:
    """A local pool whose workers end with the process that started it."""
    return ProcessPoolExecutor(
        max_workers=jobs, initializer=_exit_with_parent, initargs=(os.getpid(),)
    )


def progress_bar(total: int, quiet: bool, unit: str = "run", initial: int = 0) -> Any:
    """A progress bar on standard error, shown only to a person at a terminal."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        initial=initial,
        unit=unit,
        disable=quiet or not sys.stderr.isatty(),
        file=sys.stderr,
    )


def execute(
    tasks: Sequence[Task],
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    quiet: bool = False,
    work: Callable[[Task], Summary] = run_task,
) -> list[Summary]:
    """Run every task; return their summaries sorted by (point, replication).

    Tasks that cannot fit in memory together (one per local worker) are refused first.
    """
    if not tasks:
        return []
    scenarios = list({id(task.scenario): task.scenario for task in tasks}.values())
    require_room(scenarios, concurrent=1 if scheduler else min(jobs, len(tasks)))
    bar = progress_bar(len(tasks), quiet)
    try:
        if scheduler:
            results = list(_on_dask(tasks, scheduler, work, bar))
        elif jobs <= 1 or len(tasks) == 1:
            results = []
            for task in tasks:
                results.append(work(task))
                bar.update()
        else:
            results = list(_in_pool(tasks, jobs, work, bar))
    finally:
        bar.close()
    return sorted(results, key=lambda s: (s["point"], s["replication"]))


def _in_pool(
    tasks: Sequence[Task], jobs: int, work: Callable[[Task], Summary], bar: Any
) -> Iterator[Summary]:
    with process_pool(jobs) as pool:
        futures = [pool.submit(work, task) for task in tasks]
        for future in as_completed(futures):
            bar.update()
            yield future.result()


def _on_dask(
    tasks: Sequence[Task], scheduler: str, work: Callable[[Task], Summary], bar: Any
) -> Iterator[Summary]:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:  # pragma: no cover - a dependency of the package
        raise UserError(
            "--scheduler needs dask.distributed: pip install 'dask[distributed]'"
        ) from None
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, ValueError, TimeoutError) as err:
        raise UserError(f"--scheduler {scheduler}: cannot connect ({err})") from None
    with client:
        futures = client.map(work, tasks, pure=False)
        for future in dask_completed(futures):
            bar.update()
            yield future.result()
