"""The tutorial notebooks execute without error, with small settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_twins_run_the_same_code():
    """The English notebook is the Spanish one translated: same code cells but
    the language line, so executing one checks the other's code too."""
    import json

    code = {}
    for p in NOTEBOOKS:
        cells = [c for c in json.loads(p.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        code[p.name] = ["".join(c["source"]) for c in cells if not "".join(c["source"]).startswith("LANG")]
    assert len(code) == 2 and len(set(map(tuple, code.values()))) == 1


# The Spanish notebook runs in the default suite (about 40 s on a busy 2-core
# machine); its English twin only with -m slow, to keep the suite short.
@pytest.mark.parametrize("path", [pytest.param(p, marks=[pytest.mark.slow] if p.stem.endswith("_en") else [])
                                  for p in NOTEBOOKS], ids=lambda p: p.name)
def test_notebook_runs(path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    src = str(Path(__file__).resolve().parents[1] / "src")
    monkeypatch.setenv("PYTHONPATH", src + os.pathsep + os.environ.get("PYTHONPATH", ""))
    monkeypatch.setenv("RNR_NB_SMALL", "1")
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    images = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert images >= 6  # the live plot, gates, cell, gap, layout, unrolled, truncation
    assert (path.parent / "nb_out" / "neurons.html").stat().st_size > 10_000
