"""Importing rnr changes nothing in the process, and no module of rnr imports
itself back through others (at the top or inside a function)."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

PROBE = """
import json, os, sys
import jax
before_env, before_cfg = dict(os.environ), {k: repr(v) for k, v in jax.config.values.items()}
import rnr, rnr.cli, rnr.engine.loop, rnr.engine.model, rnr.io.runs, rnr.text.train, rnr.series.classify, rnr.series.forecast
{extra}
after_env, after_cfg = dict(os.environ), {k: repr(v) for k, v in jax.config.values.items()}
env = sorted(k for k in set(before_env) | set(after_env) if before_env.get(k) != after_env.get(k))
cfg = sorted(k for k in before_cfg if before_cfg[k] != after_cfg.get(k))
print(json.dumps({"env": env, "cfg": cfg}))
"""


def probe(extra=""):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JAX_", "XLA_", "TF_CPP"))}
    env["PYTHONPATH"] = str(SRC)
    p = subprocess.run([sys.executable, "-c", PROBE.replace("{extra}", extra)], env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1])


def test_import_rnr_sets_no_environment_variable_and_no_jax_setting():
    assert probe() == {"env": [], "cfg": []}


def test_the_probe_sees_what_configure_changes():
    """The control: ``rnr.configure()`` (what the CLI calls) does change them."""
    changed = probe("rnr.configure()")
    assert "JAX_NUM_CPU_DEVICES" in changed["env"] and "jax_num_cpu_devices" in changed["cfg"]


def module_imports(src: Path) -> dict[str, set[str]]:
    """Every rnr module -> the rnr modules it imports anywhere in its text."""
    files = {}
    for f in (src / "rnr").rglob("*.py"):
        parts = f.relative_to(src).with_suffix("").parts
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f

    def owner(name):
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name

    graph = {}
    for name, f in files.items():
        package = name if f.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.Import):
                found |= {owner(a.name) for a in node.names if a.name.startswith("rnr")}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(up + ([base] if base else []))
                if base.startswith("rnr"):
                    found |= {owner(f"{base}.{a.name}") if f"{base}.{a.name}" in files else owner(base)
                              for a in node.names}
        graph[name] = found - {name, ""}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while not group or group[-1] != v:
                group.append(stack.pop())
                on.discard(group[-1])
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circle_in_rnr():
    assert cycles(module_imports(SRC)) == []


def test_the_circle_finder_finds_a_circle(tmp_path):
    pkg = tmp_path / "rnr"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from rnr import b\n")
    (pkg / "b.py").write_text("def f():\n    from rnr.a import x\n")
    assert cycles(module_imports(tmp_path)) == [["rnr.a", "rnr.b"]]
