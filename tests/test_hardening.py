"""Hardening found by checks from outside: every bad input or unwritable output is one line
and exit code 2, outputs only replace regular files, `query` is sandboxed, one writer per
results folder, and pool workers end with their parent."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.errors import UserError
from sim.files import atomic_stream, write_atomic
from tests.helpers import disputesim

ROOT = Path(__file__).resolve().parent.parent
BASELINE = str(ROOT / "scenarios" / "baseline.toml")
TINY = ("--days", "1", "--warmup-days", "0", "--quiet")


def one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("results") / "base"
    result = disputesim("run", BASELINE, *TINY, "--replications", "2", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def copy_of(folder: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    return copy


# --- outputs only replace regular files -------------------------------------------------


def test_an_output_at_a_fifo_is_refused_and_the_fifo_stays(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    one_line_error(disputesim("diagram", "--format", "dot", "-o", str(fifo)), "is a FIFO")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no temporary file left


def test_an_output_at_a_device_is_refused_and_the_device_stays():
    one_line_error(disputesim("diagram", "-o", "/dev/null"), "/dev/null: is a device")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_an_export_at_a_folder_is_refused_and_leaves_nothing_behind(folder, tmp_path):
    target = tmp_path / "here"
    target.mkdir()
    result = disputesim("export", str(folder), "--format", "csv", "-o", str(target))
    one_line_error(result, "is a folder")
    assert list(target.iterdir()) == [] and not list(tmp_path.glob(".*.part"))


def test_a_symbolic_link_is_not_replaced(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("keep")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    one_line_error(disputesim("diagram", "-o", str(link)), "is a symbolic link")
    assert link.is_symlink() and real.read_text() == "keep"


@pytest.mark.parametrize(
    "target",
    ["/proc/version/diagram.mmd", "/proc/self/nothing/diagram.mmd"],
    ids=["under-a-file", "unwritable"],
)
def test_an_output_that_cannot_be_written_is_one_line(target):
    one_line_error(disputesim("diagram", "-o", target), target.rsplit("/", 1)[0])


def test_an_out_folder_that_is_a_file_is_one_line(tmp_path):
    file = tmp_path / "file"
    file.write_text("x")
    result = disputesim("run", BASELINE, *TINY, "--out", str(file))
    one_line_error(result, "is not a folder")
    assert file.read_text() == "x"


def test_a_full_disk_is_one_line_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, stream):
            self.stream = stream

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def close(self):
            self.stream.close()

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: Full(real_fdopen(*a, **k)))
    target = tmp_path / "out.bin"
    with pytest.raises(UserError, match="no space left on device"):
        write_atomic(target, b"data")
    with pytest.raises(UserError, match="no space left on device"), atomic_stream(target) as out:
        out.write("data")
    assert list(tmp_path.iterdir()) == []


# --- bad inputs ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["scenario", "study"])
def test_deeply_nested_arrays_are_one_line(tmp_path, kind):
    deep = "[" * 5000 + "]" * 5000
    body = (
        f'[scenario]\nname = "x"\n[market]\norders_per_day = {deep}\n'
        if kind == "scenario"
        else f'[study]\nscenario = "{BASELINE}"\n[[parameters]]\nkey = "team.staff"\n'
        f"values = {deep}\n"
    )
    path = tmp_path / "deep.toml"
    path.write_text(body)
    one_line_error(disputesim("validate", str(path)), str(path), "nested too deeply")
    verb = ("run", str(path)) if kind == "scenario" else ("sweep", str(path), "--out", "o")
    one_line_error(disputesim(*verb, cwd=tmp_path), "nested too deeply")


def test_a_sweep_of_a_folder_is_one_line(tmp_path):
    one_line_error(disputesim("sweep", str(ROOT / "scenarios"), "--out", str(tmp_path / "o")))
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("method", "parameters", "expected"),
    [
        ("sobol", ["low = 1\nhigh = 5", "low = 2\nhigh = 9"], "given twice"),
        ("grid", ["values = [1, 2]", "values = [3, 4]"], "given twice"),
        ("grid", ["values = [2, 2, 3]"], "values repeat"),
    ],
)
def test_studies_are_validated_as_strictly_as_scenarios(tmp_path, method, parameters, expected):
    blocks = "".join(
        f'[[parameters]]\nkey = "policy.seller_response_days"\n{body}\n' for body in parameters
    )
    study = tmp_path / "study.toml"
    study.write_text(f'[study]\nscenario = "{BASELINE}"\nmethod = "{method}"\n{blocks}')
    one_line_error(disputesim("validate", str(study)), str(study), expected)
    one_line_error(disputesim("sweep", str(study), "--out", str(tmp_path / "o")), expected)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (("--replications", "1000000000"), "replications"),
        (("--days", "1000000000000"), "days"),
        (("--scheduler", "bogus"), "--scheduler"),
    ],
)
def test_out_of_range_options_are_one_line(flags, expected):
    one_line_error(disputesim("run", BASELINE, "--quiet", *flags), expected)


@pytest.mark.parametrize("verb", ["plot", "report", "trace", "export", "query"])
@pytest.mark.parametrize("damage", ["manifest", "parquet"])
def test_a_damaged_results_folder_is_one_line_for_every_reader(folder, tmp_path, verb, damage):
    copy = copy_of(folder, tmp_path)
    if damage == "manifest":
        (copy / "manifest.json").write_text('{"kind": "run", "poi')
    else:
        part = next((copy / "summary").rglob("*.parquet"))
        part.write_bytes(part.read_bytes()[:40])
    extra = {
        "trace": ("--order", "1"),
        "export": ("--format", "csv"),
        "query": ("select count(*) from summary",),
    }.get(verb, ())
    result = disputesim(verb, str(copy), *extra)
    one_line_error(result, str(copy))


@pytest.mark.parametrize("table", ["summary", "events"])
def test_resuming_over_a_damaged_task_runs_it_again(folder, tmp_path, table):
    """A cut-short file of a task counted as done: the resume says so in one line, runs
    that task again, and ends with the very files of the undamaged run. (The orders and
    queue tables are checked by the same loop as the events table.)"""
    copy = copy_of(folder, tmp_path)
    part = copy / table / "point=0000" / "replication=001" / "part.parquet"
    part.write_bytes(part.read_bytes()[: len(part.read_bytes()) // 2])
    result = disputesim("run", BASELINE, *TINY, "--replications", "2", "--out", str(copy))
    assert result.returncode == 0, result.stderr
    told = [line for line in result.stderr.splitlines() if "runs again" in line]
    assert told == [
        f"disputesim: {copy}: point 0, replication 1: its {table}"
        f"{'' if table == 'summary' else ' table'} is damaged or cut short; it runs again"
    ]
    for name in ("summary", "events", "orders", "queue"):
        for original in (folder / name).rglob("*.parquet"):
            again = copy / original.relative_to(folder)
            assert again.read_bytes() == original.read_bytes(), again
    assert disputesim("report", str(copy)).returncode == 0


def test_an_event_log_that_lost_rows_is_not_taken_as_done(folder, tmp_path):
    """A whole Parquet file with fewer events than the summary counted is damage too."""
    import pyarrow.parquet as pq

    copy = copy_of(folder, tmp_path)
    part = copy / "events" / "point=0000" / "replication=000" / "part.parquet"
    pq.write_table(pq.read_table(part).slice(0, 10), part)
    result = disputesim("run", BASELINE, *TINY, "--replications", "2", "--out", str(copy))
    assert result.returncode == 0, result.stderr
    assert "its events table holds 10 rows, not the" in result.stderr
    assert (
        pq.read_metadata(part).num_rows
        == pq.read_metadata(folder / part.relative_to(copy)).num_rows
    )


def test_an_export_of_a_point_the_folder_lacks_is_one_line(folder, tmp_path):
    target = tmp_path / "log.csv"
    result = disputesim(
        "export", str(folder), "--format", "csv", "--point", "99", "-o", str(target)
    )
    one_line_error(result, "--point 99", "points 0 to 0")
    assert not target.exists()
    result = disputesim("export", str(folder), "--format", "csv", "--replication", "5")
    one_line_error(result, "--replication 5", "replications 0 to 1")


# --- query is sandboxed -------------------------------------------------------------------

ATTACKS = {
    "read a file": "select * from read_csv('/etc/passwd')",
    "list files": "select * from glob('/etc/*')",
    "write a file": "copy (select 1) to '{tmp}/stolen.csv'",
    "rewrite its own tables": "copy (select 1 as x) to '{part}'",
    "attach": "attach '{tmp}/other.duckdb'",
    "export the database": "export database '{tmp}/dump'",
    "install an extension": "install httpfs",
    "load an extension": "load httpfs",
    "unlock the configuration": "set enable_external_access = true",
    "two statements": "select 1; copy (select 1) to '{tmp}/x.csv'",
    "empty": "   ",
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_query_refuses_every_attack_and_the_folder_is_unchanged(folder, tmp_path, attack):
    copy = copy_of(folder, tmp_path)
    part = next((copy / "orders").rglob("*.parquet"))
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    sql = ATTACKS[attack].format(tmp=tmp_path, part=part)
    result = disputesim("query", str(copy), sql)
    one_line_error(result)
    assert {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy"]


def test_query_still_reads_the_folder(folder):
    result = disputesim("query", str(folder), "select count(*) as n from summary")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["n", "2"]


# --- one writer per results folder --------------------------------------------------------


def test_a_second_writer_into_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "shared"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "run", BASELINE, "--days", "20", "--quiet",
         "--replications", "2", "--out", str(out)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    lock = out / ".lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (lock.exists() and lock.read_text().strip()):
        time.sleep(0.05)
    assert lock.read_text().strip() == str(first.pid)
    second = disputesim("run", str(ROOT / "scenarios" / "study-appeals-on.toml"), *TINY,
                        "--out", str(out))  # fmt: skip
    one_line_error(second, "another disputesim", str(first.pid))
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    again = disputesim("run", BASELINE, "--days", "20", "--quiet", "--replications", "2",
                       "--out", str(out))  # fmt: skip
    assert again.returncode == 0, again.stderr  # the lock went with its process


def test_a_finished_folder_needs_no_lock_to_be_read_again(folder, tmp_path):
    """Running a finished experiment again writes nothing, so it takes no lock: it
    answers even while the lock cannot be had (another holder, or a read-only folder)."""
    import fcntl

    copy = copy_of(folder, tmp_path)
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    with open(copy / ".lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        again = disputesim("run", BASELINE, *TINY, "--replications", "2", "--out", str(copy))
        assert again.returncode == 0, again.stderr
        assert "refund_rate" in again.stdout or "refunded" in again.stdout
        more = disputesim("run", BASELINE, *TINY, "--replications", "3", "--out", str(copy))
    one_line_error(more, "another disputesim")  # a third replication is something to write
    assert {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()} == before


def test_an_export_to_a_folder_that_takes_no_file_is_one_line(folder):
    """The 'writing ...' line comes only once the target is known to take the file."""
    result = disputesim("export", str(folder), "--format", "csv", "-o", "/proc/self/events.csv")
    one_line_error(result, "/proc/self/events.csv", "cannot write")
    assert "writing" not in result.stderr


# --- pool workers end with their parent ---------------------------------------------------


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found |= {int(c) for c in text.split()}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_pool_workers_exit_when_the_parent_is_killed(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "run", BASELINE, "--days", "365", "--quiet",
         "--replications", "8", "--jobs", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2:
        workers = children(parent.pid)
        time.sleep(0.1)
    assert len(workers) >= 2, "the pool never started"
    time.sleep(1.0)  # the workers are busy with their first tasks
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(alive(w) for w in workers):
        time.sleep(0.2)
    assert not any(alive(w) for w in workers), "workers outlived their parent"
