"""The notebooks run from top to bottom (at small sizes) and are stored without outputs."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from tests.world_runs import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_five_notebooks_exist():
    names = {path.stem for path in NOTEBOOKS}
    assert names == {
        "01-quickstart",
        "02-compare-policies",
        "03-sweep-sensitivity",
        "04-event-log-mining",
        "05-your-own-log",
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, monkeypatch):
    monkeypatch.setenv("DISPUTESIM_NOTEBOOK_ORDERS", "2000")
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError if any cell fails
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    tables = [
        o for o in outputs if "text/html" in o.get("data", {}) or "text/plain" in o.get("data", {})
    ]
    assert figures, f"{path.name} shows no figure"  # what a reader comes for
    assert tables, f"{path.name} shows no table or value"
    errors = [o for o in outputs if o.get("output_type") == "error" or o.get("name") == "stderr"]
    assert not [e for e in errors if "Traceback" in str(e) or "Error" in str(e)], errors


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_use_only_the_public_api(path):
    """`import sim` and what it exports: nothing from deeper modules or private names."""
    import ast

    import sim

    notebook = nbformat.read(path, as_version=4)
    source = "\n".join(
        "\n".join(line for line in cell.source.splitlines() if not line.startswith("%"))
        for cell in notebook.cells
        if cell.cell_type == "code"
    )
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.module.split(".")[0] not in ("sim", "machine", "tests"), node.module
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert alias.name == "sim" or alias.name.split(".")[0] not in ("sim", "machine")
        public = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
        if public and node.value.id == "sim":
            assert node.attr in sim.__all__, f"sim.{node.attr} is not public"
    assert "import sim" in source


def test_the_public_api_loads_every_name_it_exports():
    import sim

    for name in sim.__all__:
        assert getattr(sim, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        sim.nothing  # noqa: B018
