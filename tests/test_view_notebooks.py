"""The tutorial notebooks execute without error, with small settings; the
outputs stored with them come from their code as it is, show every figure,
and the Spanish one prints Spanish."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def code_cells(path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
            if c["cell_type"] == "code"]


def without_words(source: str) -> str:
    """A code cell's code without its comments, docstrings and language line:
    what must be the same in both languages (IPython's % lines kept as they are)."""
    import ast

    magics = [line for line in source.splitlines() if line.startswith("%")]
    tree = ast.parse("\n".join("" if line.startswith("%") else line for line in source.splitlines()))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    tree.body = [n for n in tree.body if not (isinstance(n, ast.Assign) and
                                              [ast.unparse(t) for t in n.targets] == ["LANG"])]
    return ast.dump(tree) + "\n".join(magics)


def comments_and_docstrings(source: str) -> str:
    import io
    import tokenize

    lines = "\n".join(line for line in source.splitlines() if not line.startswith("%")) + "\n"
    return "\n".join(tok.string for tok in tokenize.generate_tokens(io.StringIO(lines).readline)
                     if tok.type == tokenize.COMMENT or (tok.type == tokenize.STRING and tok.string.startswith('"""')))


def test_twins_run_the_same_code():
    """The English notebook is the Spanish one translated: the same code in
    every cell, but the language line, the comments and the docstrings, so
    executing one checks the other's code too."""
    code = {p.name: [without_words(c) for c in code_cells(p)] for p in NOTEBOOKS}
    assert len(code) == 2 and len(set(map(tuple, code.values()))) == 1


def test_spanish_notebook_comments_in_spanish():
    """The Spanish notebook's comments and docstrings are Spanish, the English one's English."""
    for p in NOTEBOOKS:
        words = english_words(" ".join(comments_and_docstrings(c) for c in code_cells(p)))
        if p.stem.endswith("_es"):
            assert words == [], words
        else:
            assert {"the", "of"} <= set(words)


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
    if path.stem.endswith("_es"):
        assert english_words(printed(nb)) == []


# ---- the outputs stored in the repository (scripts/refresh_notebooks.py) ----------

ENGLISH = ("accuracy", "epoch", "loss", "shape", "neuron", "score", "open", "small", "settings", "training",
           "delay", "forget", "bias", "mean", "seeds", "chance", "variance", "quote", "line", "space", "from",
           "the", "and", "of", "to")


def printed(nb) -> str:
    """Everything the code cells printed (streams and text results) but the
    model's samples of Don Quijote; ``nb`` as nbformat reads it or as plain JSON."""
    out = []
    for c in nb["cells"]:
        source = c["source"] if isinstance(c["source"], str) else "".join(c["source"])
        if c["cell_type"] != "code" or "sample(" in source:
            continue
        for o in c.get("outputs", []):
            if o["output_type"] == "stream":
                out.append(o["text"] if isinstance(o["text"], str) else "".join(o["text"]))
            elif "text/plain" in o.get("data", {}) and "image/png" not in o["data"]:
                out.append("".join(o["data"]["text/plain"]))
    return "".join(out)


def english_words(text: str) -> list[str]:
    import re

    text = re.sub(r"\S*/\S*", " ", text)  # paths name folders, in no language
    words = set(re.findall(r"[a-záéíóúñü]+", text.lower()))
    return sorted(words & set(ENGLISH))


def stored(path):
    return json.loads(path.read_text(encoding="utf-8"))


def refresh_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("refresh_notebooks", ROOT / "scripts" / "refresh_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_come_from_the_code_as_it_is(path):
    """The outputs were made by scripts/refresh_notebooks.py from these very
    code cells and notebooks/nbhelpers.py: editing either without refreshing
    the outputs fails here."""
    nb = stored(path)
    meta = nb["metadata"].get("rnr", {})
    assert meta.get("code_sha256") == refresh_script().code_hash(nb), \
        f"run: python3 scripts/refresh_notebooks.py {path.stem.rsplit('_', 1)[1]}"
    assert {"jax", "jaxlib", "numpy", "optax"} <= set(meta["versions"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_show_every_figure(path):
    nb = stored(path)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] is not None for c in code)  # every cell ran
    outputs = [o for c in code for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"]  # no warnings stored for the reader
    pngs = [o["data"]["image/png"] for o in outputs if "image/png" in o.get("data", {})]
    # the live plot (one image, updated in place), gates, cell, gap, layout, unrolled, truncation
    assert len(pngs) == 7
    assert all(len(p) < 400_000 for p in pngs)  # base64 of a modest-dpi PNG
    assert path.stat().st_size < 2_000_000
    text = printed(nb)
    assert ("small settings: no" in text) if path.stem.endswith("_en") else ("configuración reducida: no" in text)


def test_stored_spanish_notebook_prints_spanish():
    (path,) = [p for p in NOTEBOOKS if p.stem.endswith("_es")]
    text = printed(stored(path))
    assert "exactitud" in text and "época" in text
    assert english_words(text) == []


def test_live_figure_draws_seldom_and_shows_the_last_state(monkeypatch):
    """Refreshes faster than ``every`` are skipped but remembered; ``flush``
    draws the last one; a slow drawing spaces the next ones out."""
    import time

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from rnr.views import live

    monkeypatch.setattr(live, "in_notebook", lambda: True)  # no window; no IPython here, so no cell hook
    fig = plt.figure()
    shown = live.LiveFigure(fig, every=60.0)
    drawn = []
    monkeypatch.setattr(shown, "_draw", lambda: drawn.append(time.monotonic()))
    for _ in range(1000):
        shown.refresh()
    assert len(drawn) == 1 and shown.pending
    shown.flush()
    assert len(drawn) == 2 and not shown.pending
    shown.flush()
    assert len(drawn) == 2  # nothing new to show

    slow = live.LiveFigure(fig, every=0.0)
    monkeypatch.setattr(slow, "_draw", lambda: (drawn.append(0), time.sleep(0.05)))
    start = time.monotonic()
    slow.refresh()
    assert slow.next_at - start >= live.DRAW_SHARE * 0.05  # at most about a fifth of the time drawing
    slow.refresh()
    assert len(drawn) == 3 and slow.pending
