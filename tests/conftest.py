"""Shared fixtures."""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from machine import Policy
from tests.helpers import Driver

# CI replays the same examples every run (a submission must not fail on a new random
# draw); a developer's run explores new ones, and a failure found there prints the
# example to keep as a regression test.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def drive():
    """A factory of drivers: drive(policy=None, **order attributes)."""
    made: list[Driver] = []

    def factory(policy: Policy | None = None, **order: object) -> Driver:
        driver = Driver(policy, **order)
        made.append(driver)
        return driver

    yield factory
    for driver in made:  # every order a test drives must still satisfy the invariants
        driver.check()


ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dask_cluster():
    """A real Dask scheduler and two workers on 127.0.0.1, stopped afterwards."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    bin_dir = Path(sys.executable).parent
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    dask = str(bin_dir / "dask")
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], **quiet
    )
    worker = subprocess.Popen(
        [dask, "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard"],
        cwd=ROOT,
        **quiet,
    )
    try:
        from distributed import Client

        deadline = time.time() + 60
        while True:
            try:
                with Client(address, timeout="2s") as client:
                    client.wait_for_workers(2, timeout=30)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for process in (worker, scheduler):
            process.terminate()
            process.wait(timeout=30)


Make = Callable[[Path], None]


@pytest.fixture(scope="session")
def once(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, Make], Path]:
    """once(name, make): a private copy of the folder that make(folder) fills, made once
    per test run, whichever xdist worker asks first (the others wait on a lock and copy).

    Module-scoped fixtures run once per worker that runs the module's tests; the sweeps
    and searches that several tests read are the suite's costliest set-ups."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base

    def copy_of(name: str, make: Make) -> Path:
        made = shared / f"once-{name}"
        with (shared / f"once-{name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            if not (made / ".made").exists():
                shutil.rmtree(made, ignore_errors=True)
                made.mkdir()
                make(made)
                (made / ".made").touch()
        mine = tmp_path_factory.mktemp(name) / name
        shutil.copytree(made, mine, ignore=shutil.ignore_patterns(".made"))
        return mine

    return copy_of
