"""The notebooks run from top to bottom (at small sizes) and are stored without outputs."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from tests.world_runs import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_four_notebooks_exist():
    names = {path.stem for path in NOTEBOOKS}
    assert names == {
        "01-quickstart",
        "02-compare-policies",
        "03-sweep-sensitivity",
        "04-event-log-mining",
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, monkeypatch):
    monkeypatch.setenv("DISPUTESIM_NOTEBOOK_ORDERS", "3000")
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
