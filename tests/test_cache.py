"""The persistent compilation cache: on by default under $XDG_CACHE_HOME/rnr/jax,
off with --no-cache or RNR_NO_CACHE=1."""

import os
import subprocess
import sys

import pytest
from helpers import SRC

ECO = ["eco", "--epochs", "1", "--length", "600", "--window", "6", "--plot", "none", "--quiet"]


def run(tmp_path, *extra, env=None):
    e = {k: v for k, v in os.environ.items() if not k.startswith(("JAX_", "RNR_NO_CACHE"))}
    e.update({"XDG_CACHE_HOME": str(tmp_path / "cache"), "MPLBACKEND": "Agg",
              "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {})})
    out = tmp_path / f"run{len(list(tmp_path.glob('run*')))}"
    p = subprocess.run([sys.executable, "-m", "rnr", *ECO, "--out", str(out), *extra], env=e,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    folder = tmp_path / "cache" / "rnr" / "jax"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_run_fills_the_cache_and_a_second_reuses_it(tmp_path):
    first = run(tmp_path)
    assert first, "nothing was cached"
    assert run(tmp_path) == first  # the same programs: found, not compiled and stored again


@pytest.mark.parametrize("extra, env", [(("--no-cache",), None), ((), {"RNR_NO_CACHE": "1"})])
def test_the_cache_can_be_turned_off(tmp_path, extra, env):
    assert run(tmp_path, *extra, env=env) == []


def test_no_cache_before_the_command(tmp_path):
    """`rnr --no-cache eco ...`, as the README writes it (and `rnr --lang es ...`)."""
    e = {k: v for k, v in os.environ.items() if not k.startswith(("JAX_", "RNR_NO_CACHE"))}
    e.update({"XDG_CACHE_HOME": str(tmp_path / "cache"), "MPLBACKEND": "Agg",
              "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")})
    p = subprocess.run([sys.executable, "-m", "rnr", "--no-cache", "--lang", "es", *ECO, "--out", str(tmp_path / "r")],
                       env=e, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "Listo" in p.stdout
    folder = tmp_path / "cache" / "rnr" / "jax"
    assert not folder.exists() or not any(folder.iterdir())
