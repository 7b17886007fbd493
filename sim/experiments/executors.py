"""Where tasks run: in this process, in a local process pool, or on a Dask cluster.

Results come back in any order and are sorted by (point, replication), so the tables
are identical whatever the executor and the number of workers.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from sim.errors import UserError
from sim.experiments.tasks import Task, run_task

Summary = dict[str, Any]


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
    """Run every task; return their summaries sorted by (point, replication)."""
    if not tasks:
        return []
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
    with ProcessPoolExecutor(max_workers=jobs) as pool:
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
    except OSError as err:
        raise UserError(f"--scheduler {scheduler}: cannot connect ({err})") from None
    with client:
        futures = client.map(work, tasks, pure=False)
        for future in dask_completed(futures):
            bar.update()
            yield future.result()
