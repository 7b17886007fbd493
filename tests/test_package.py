"""The package as a user installs it: a wheel built from the tree, installed into a fresh
virtual environment outside the repository, runs the starter project `init` writes."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from sim.api.starter import init, starter_files
from sim.errors import UserError
from tests.helpers import disputesim

ROOT = Path(__file__).resolve().parent.parent


def test_init_writes_the_starter_project_and_refuses_to_overwrite_it(tmp_path):
    written = init(tmp_path / "project")
    assert sorted(p.name for p in written) == sorted(starter_files())
    sweep = (tmp_path / "project" / "sweep.toml").read_text()
    assert 'scenario = "baseline.toml"' in sweep and "../" not in sweep
    check = disputesim("validate", *sorted(str(p) for p in written if p.suffix == ".toml"))
    assert check.returncode == 0, check.stderr
    before = {p: p.read_bytes() for p in written}
    (tmp_path / "project" / "baseline.toml").write_text("mine")
    with pytest.raises(UserError, match=r"baseline\.toml: already exists"):
        init(tmp_path / "project")
    refused = disputesim("init", str(tmp_path / "project"))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "Traceback" not in refused.stderr
    assert (tmp_path / "project" / "baseline.toml").read_text() == "mine"
    assert all(p.read_bytes() == data for p, data in before.items() if p.name != "baseline.toml")


def test_an_installed_wheel_runs_its_own_starter_project_outside_the_repository(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
         str(tmp_path / "dist"), str(ROOT)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("disputesim-*.whl")
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    clean["PATH"] = f"{bin_dir}{os.pathsep}/usr/bin:/bin"
    # The libraries it needs are borrowed from the project's environment (a line in a .pth
    # file: that folder's own .pth files, among them the editable install of the tree, are
    # not read), so the test does not download them again; the package is the wheel's.
    borrowed = next(Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    (next((env_dir / "lib").glob("python3*")) / "site-packages" / "borrowed.pth").write_text(
        f"{borrowed}\n"
    )
    installed = subprocess.run(
        [str(bin_dir / "pip"), "install", "--quiet", "--no-deps", str(wheel)],
        capture_output=True, text=True, env=clean, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr[-2000:]
    home = tmp_path / "elsewhere"
    home.mkdir()

    def user(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(bin_dir / "disputesim"), *args], cwd=home, capture_output=True, text=True,
            env=clean, check=False,
        )  # fmt: skip

    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import sim, sim.shipped; print(sim.__file__); "
         "print(sim.shipped.SHIPPED.resolve())"],
        cwd=home, capture_output=True, text=True, env=clean, check=False,
    )  # fmt: skip
    assert where.returncode == 0, where.stderr
    for line in where.stdout.splitlines():  # the package and its data are the environment's
        assert Path(line).is_relative_to(env_dir) and not Path(line).is_relative_to(ROOT)
    assert user("--version").stdout.startswith("disputesim ")
    assert user("init", "project").returncode == 0
    project = home / "project"
    files = ("baseline.toml", "compare.toml", "sweep.toml", "targets.toml")
    checked = user("validate", *(f"project/{name}" for name in files))
    assert checked.returncode == 0, checked.stderr
    ran = user("run", "project/baseline.toml", "--days", "3", "--warmup-days", "0",
               "--replications", "1", "--out", "out")  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "refund" in ran.stdout.lower()
    reported = user("report", "out")
    assert reported.returncode == 0, reported.stderr
    assert (home / "out" / "report.html").stat().st_size > 1000
    assert (project / "first-look.ipynb").exists()
