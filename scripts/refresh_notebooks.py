"""Execute the tutorial notebooks with their full settings and store the outputs.

    python3 scripts/refresh_notebooks.py              # both notebooks
    python3 scripts/refresh_notebooks.py es           # only rnr_tutorial_es.ipynb

The notebooks are committed with their outputs, so a reader on a website sees
every figure. Run this after changing a notebook's code or anything it calls,
and commit the notebooks it rewrites. It records in each notebook's metadata
(``rnr``) a hash of its code cells and of notebooks/nbhelpers.py (the helpers
both import) and the versions it ran with; tests/test_view_notebooks.py checks
that the hash still matches the code, so code edited without refreshing the
outputs fails the tests. (The tests
themselves execute the notebooks with RNR_NB_SMALL=1, in seconds, and never
write them.)

Needs the test extras (nbclient, nbformat, ipykernel) and the corpus in
../shared/data (else section 6 trains on a short built-in text). About
4 minutes per notebook on a busy 2-core machine. It runs the code of the
checkout it is in (its src/ first on PYTHONPATH): run it in a clean clone
beside shared/ when others have uncommitted changes, and copy the two
notebooks back.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


HELPERS = NOTEBOOKS / "nbhelpers.py"  # what both notebooks import besides rnr


def code_hash(nb) -> str:
    """sha256 of the notebook's code cells, in order, and of nbhelpers.py
    (what the outputs came from)."""
    h = hashlib.sha256()
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            h.update(src.encode("utf-8") + b"\0")
    h.update(HELPERS.read_bytes())
    return h.hexdigest()


def versions() -> dict:
    out = {"python": sys.version.split()[0]}
    for name in ("rnr", "jax", "jaxlib", "numpy", "optax", "matplotlib"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def refresh(path: Path, timeout: int) -> None:
    import nbclient
    import nbformat

    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ)
    env.pop("RNR_NB_SMALL", None)  # the full settings
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    start = time.perf_counter()
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)  # the kernel inherits this process's environment
    try:
        client = nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                                         resources={"metadata": {"path": str(path.parent)}})
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    seconds = time.perf_counter() - start
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    if errors:
        raise SystemExit(f"{path.name}: a cell failed: {errors[0].get('ename')}: {errors[0].get('evalue')}")
    nb.metadata["rnr"] = {"code_sha256": code_hash(nb), "versions": versions(), "seconds": round(seconds)}
    nbformat.write(nb, path)
    size = path.stat().st_size
    print(f"{path.name}: {seconds:.0f} s, {size / 1e6:.2f} MB with outputs", flush=True)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("langs", nargs="*", default=["en", "es"], help="en, es (default: both)")
    p.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    args = p.parse_args(argv)
    for lang in args.langs:
        refresh(NOTEBOOKS / f"rnr_tutorial_{lang}.ipynb", args.timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())

