"""notebooks/evaluation.ipynb runs top to bottom on the shipped seed corpus (so it never rots)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "evaluation.ipynb"


# jupyter_client warns about its own deprecations while starting kernels; not our code.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_evaluation_notebook_runs(tmp_path, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("NETRA_NOTEBOOK_FOLDS", "3")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", "")) for o in outputs)
    for label in ("partisan", "hate", "abusive", "hoax"):
        assert label in text
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the PR curves were drawn
    assert "tanda:" in text and "partisan" in text.split("tanda:")[1]
