"""The READMEs run as written: every `rnr ...` command of the fenced code blocks
of README.md and README.es.md, in order, in one fresh working folder, each a
new process (``python -m rnr``) that must exit 0.

Named datasets come from ``../shared/data`` served over HTTP on this machine
(``RNR_DATA_MIRROR``) into a fresh cache (``RNR_DATA_DIR``); every training run
stops after 20 optimizer steps (``RNR_SMOKE_STEPS``), so the whole page runs in
a few minutes. Lines that install (`python3 -m pip install ...`) are not run,
but what follows their `&&` is when it is an rnr command; a transcript's
`$ rnr ...` line counts; `"$(rnr ...)"` is replaced by that command's output,
as the shell would. A command README.es.md repeats word for word runs once."""

import contextlib
import functools
import http.server
import os
import re
import shlex
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"  # as tests/conftest.py finds it
READMES = [ROOT / "README.md", ROOT / "README.es.md"]
INSTALL = ["python3 -m pip install -e . && rnr eco",
           'python3 -m pip install -e ".[test]" && python3 -m pytest -q']
SUBSTITUTION = re.compile(r"\$\((rnr [^()]*)\)")
TIMEOUT = 300  # seconds for one command (a hung command fails the test instead of hanging it)


def fenced_lines(text: str) -> list[str]:
    """The lines inside the fenced code blocks of a Markdown page."""
    out, inside = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            inside = not inside
        elif inside:
            out.append(line.strip())
    return out


def commands(text: str) -> list[list[str]]:
    """Every rnr command of a page's code blocks, as argv (the shell's words,
    comments dropped; a "$(rnr ...)" stays one word)."""
    out = []
    for line in fenced_lines(text):
        line = line.removeprefix("$ ")
        if line.startswith("python3 -m pip install"):
            _, _, line = line.partition("&& ")
        if line.startswith("rnr "):
            out.append(shlex.split(line, comments=True))
    return out


def placeholders(argv: list[str]) -> list[str]:
    """The words of a command that stand for something to fill in: RUN, TEST_FILE, <date>."""
    return [w for w in argv if re.fullmatch(r"[A-Z][A-Z_]{2,}|.*<[^>]*>.*", w)]


def all_commands() -> list[list[str]]:
    """The commands of both READMEs in order, each distinct one once."""
    seen, out = set(), []
    for page in READMES:
        for argv in commands(page.read_text(encoding="utf-8")):
            if tuple(argv) not in seen:
                seen.add(tuple(argv))
                out.append(argv)
    return out


def test_the_commands_are_found_and_written_out():
    """Both install lines exactly as they are; no placeholder (RUN, FILE, <...>)
    in a command; each README has the other's commands in the same places."""
    pages = {p.name: p.read_text(encoding="utf-8") for p in READMES}
    for name, text in pages.items():
        lines = fenced_lines(text)
        assert [line for line in lines if line.startswith("python3 -m pip")] == INSTALL, name
        found = commands(text)
        assert found and found[0] == ["rnr", "eco"], name
        for argv in found:
            assert not placeholders(argv), (name, argv)
    en, es = (commands(pages[p.name]) for p in READMES)
    assert [a[:2] for a in en] == [a[:2] for a in es]


def test_commands_of_the_page():
    assert commands("x\n```bash\npython3 -m pip install -e . && rnr eco\n$ rnr view runs/a  # figures\n"
                    "rnr series eval runs/g \"$(rnr data path G --split test)\"\n```\nrnr not code\n") == [
        ["rnr", "eco"], ["rnr", "view", "runs/a"],
        ["rnr", "series", "eval", "runs/g", "$(rnr data path G --split test)"]]
    assert placeholders(["rnr", "series", "eval", "RUN", "TEST_FILE", "runs/eco-<date>"]) == [
        "RUN", "TEST_FILE", "runs/eco-<date>"]
    assert placeholders(["rnr", "series", "train", "GunPoint", "--target", "Passengers", "--prime", "ROMEO:"]) == []


@contextlib.contextmanager
def serve(folder: Path):
    """An HTTP server over ``folder`` on a free local port, in a thread."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def run(argv: list[str], cwd: Path, env: dict) -> str:
    """Run one README command (its "$(rnr ...)" words first); its stdout."""
    words = [SUBSTITUTION.sub(lambda m: run(shlex.split(m.group(1)), cwd, env).strip(), w) for w in argv]
    assert words[0] == "rnr"
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "rnr", *words[1:]], cwd=cwd, env=env, capture_output=True,
                       text=True, timeout=TIMEOUT)
    assert p.returncode == 0, f"{shlex.join(argv)} exited {p.returncode}:\n{p.stdout[-2000:]}\n{p.stderr[-3000:]}"
    print(f"{time.perf_counter() - t0:6.1f} s  {shlex.join(argv)}")
    return p.stdout


def test_every_readme_command_exits_0(tmp_path):
    if not DATA.is_dir():
        pytest.skip(f"datasets not found at {DATA}")
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RNR_")}
    env |= {"PYTHONPATH": os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
            "RNR_DATA_DIR": str(tmp_path / "cache"), "RNR_SMOKE_STEPS": "20", "MPLBACKEND": "Agg"}
    with serve(DATA) as url:
        env["RNR_DATA_MIRROR"] = url
        for argv in all_commands():
            run(argv, work, env)
