"""Spanish, complete on the command line: argparse's own words, every
command's help, short runs of the main commands and their errors carry no
English words, and numbers take Spanish separators ("69.257 ventanas/s",
"0,38 s")."""

import argparse
import ast
import inspect
import re

import pytest

from rnr import cli, i18n
from rnr.i18n.messages.argparse_es import ARGPARSE
from text_helpers import SPANISH

# English words that must not appear in Spanish output (matched as whole words)
ENGLISH = ["usage", "options", "optional", "positional", "arguments", "argument", "show", "help message", "exit",
           "loss", "epoch", "epochs", "window", "windows", "step", "steps", "compile", "compiling", "compiled",
           "training", "train", "accuracy", "invalid", "required", "expected", "unrecognized", "choose",
           "done", "results", "seconds", "left", "rate", "default", "batch", "hidden", "mean", "validation",
           "characters", "chars", "wrote", "saved", "run", "the", "and", "of", "with", "or", "to", "not",
           "name", "file", "folder", "command", "action", "solved", "baseline", "groups", "runs", "minutes"]
WORDS = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b", re.IGNORECASE)
COMMANDS = {"rnr", "eco", "text", "train", "sample", "eval", "sweep", "view", "export", "series", "forecast"}


def english_words(output: str) -> list[str]:
    """English words in ``output``, leaving out what is typed rather than read:
    flags, {choices}, paths, file names and the commands' own names."""
    kept = []
    for line in output.splitlines():
        line = re.sub(r"--?[\w-]+(=\S+)?", " ", line)  # flags
        line = re.sub(r"\{[^}]*\}", " ", line)  # {end,none}
        line = re.sub(r"\S*[/\\]\S*", " ", line)  # paths
        line = re.sub(r"\S+\.(png|html|json|jsonl|csv|md|txt|safetensors)\b", " ", line)
        line = " ".join(w for w in line.split() if w.strip("[](),.:;") not in COMMANDS)
        kept.append(line)
    return sorted({m.group(0) for m in WORDS.finditer("\n".join(kept))})


def test_the_scanner_finds_english():
    assert english_words("usage: rnr eco [-h]\n  -h, --help  show this help message and exit") == \
        ["and", "exit", "help message", "show", "usage"]
    assert english_words("uso: rnr text train --steps N\n  muestra esta ayuda y termina") == []
    assert english_words("Step 0 Loss 0.69") == ["Loss", "Step"]


def commands():
    """Every command and action, as argv prefixes: ["eco"], ["text", "train"], ..."""
    i18n.set_lang("en")
    out = []

    def walk(p, prefix):
        subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        if prefix:
            out.append(prefix)
        for a in subs:
            for name, sp in a.choices.items():
                walk(sp, prefix + [name])

    walk(cli.build_parser(), [])
    return out


def test_argparse_strings_all_translated():
    """Every string argparse hands to gettext has a Spanish entry (a new Python may add one)."""
    asked = set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
            asked |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    assert asked and asked <= set(ARGPARSE), sorted(asked - set(ARGPARSE))
    for en, es in ARGPARSE.items():  # the same %-fields, so argparse can fill them in
        assert sorted(re.findall(r"%\(\w+\)[sr]|%[sr]", en)) == sorted(re.findall(r"%\(\w+\)[sr]|%[sr]", es)), en


def test_argparse_is_english_again_after_a_spanish_command(capsys):
    assert cli.main(["--lang", "es", "--help"]) == 0
    assert capsys.readouterr().out.startswith("uso: ")
    assert cli.main(["--lang", "en", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: ")
    assert argparse._("usage: ") == "usage: "


@pytest.mark.parametrize("cmd", commands(), ids=" ".join)
def test_help_in_spanish_has_no_english(capsys, cmd):
    assert cli.main([*cmd, "--help", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("uso: rnr")
    assert english_words(out) == [], out


def test_top_help_in_spanish(capsys):
    assert cli.main(["--help", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert english_words(out) == [], out
    assert "argumentos posicionales" in out and "opciones:" in out


@pytest.mark.parametrize("args,needle", [
    (["eco", "--epochs"], "error: argumento --epochs: se esperaba un valor (rnr eco --help)"),
    (["eco", "--plot", "a veces"], "error: argumento --plot: opción no válida: 'a veces' (elija entre"),
    (["eco", "--nada"], "error: argumentos no reconocidos: --nada"),
    (["text", "sample"], "error: faltan los argumentos obligatorios: CORRIDA"),
    (["text", "eval"], "error: faltan los argumentos obligatorios: CORRIDA, ARCHIVO"),
    (["sweep", "--gaps", "10,x"], "no es una lista de números enteros"),
    (["eco", "--epochs", "muchas"], "'muchas' no es un número entero"),
    (["eco", "--lr", "0"], "--lr debe ser un número finito mayor que 0, se recibió 0.0."),
    (["view"], "error: faltan los argumentos obligatorios: CORRIDA"),
    (["text", "train", __file__, "--epochs", "0", "--steps", "0"], "dé --epochs, --steps o --time-budget mayor que 0"),
    (["series", "train", "x.ts", "--steps", "0"], "dé --steps, --epochs o --time-budget mayor que 0"),
])
def test_usage_errors_in_spanish(capsys, args, needle):
    assert cli.main([*args, "--lang", "es"]) == 2
    err = capsys.readouterr().err
    assert needle in err, err
    assert len(err.strip().splitlines()) == 1 and english_words(err) == [], err


# ---------------------------------------------------------------- numbers

def test_numbers_take_the_language_separators():
    fields = dict(final_loss=0.000487, accuracy=0.99876, delay=3, compile_seconds=0.38, train_seconds=1234.5,
                  windows_per_second=69257.4)
    es = i18n.text("summary", "es", **fields)
    assert "69.257 ventanas/s" in es and "compilación 0,38 s" in es and "entrenamiento 1234,50 s" in es
    assert "0,000487" in es and "99,8760%" in es
    en = i18n.text("summary", "en", **fields)
    assert "69,257 windows/s" in en and "compile 0.38 s" in en and "0.000487" in en
    assert i18n.number(1234567.891, "es", ",.2f") == "1.234.567,89"
    assert i18n.number(1234567.891, "en", ",.2f") == "1,234,567.89"
    assert i18n.number(True, "es") == "True" and i18n.number("0.5", "es") == "0.5"  # not numbers


def test_typed_numbers_stay_as_typed():
    """A flag's default or range is what the user types: '.' in every language."""
    out = i18n.text("setting_bad", "es", flag="--lr", value="-1.5",
                    rule=__import__("rnr.errors", fromlist=["Msg"]).Msg("rule_float", interval="[0.0, 1.0)"))
    assert "[0.0, 1.0)" in out and "-1.5" in out


# ---------------------------------------------------------------- short runs

@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Short Spanish runs of eco, text (train, sample, eval), sweep, view and export: their output."""
    import _pytest.capture  # noqa: F401  (capsys is function-scoped: capture by hand)
    import contextlib
    import io

    root = tmp_path_factory.mktemp("es")
    text = root / "es.txt"
    text.write_text(SPANISH * 8, encoding="utf-8")
    outputs = {}

    def run(name, *args):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main([*args, "--lang", "es"])
        outputs[name] = (code, out.getvalue(), err.getvalue())

    eco = root / "eco"
    run("eco", "eco", "--epochs", "5", "--series-length", "2000", "--plot", "none", "--out", str(eco))
    run("text train", "text", "train", str(text), "--out", str(root / "t"), "--steps", "120", "--hidden", "8",
        "--embed", "4", "--batch", "2", "--window", "8", "--chunk", "20", "--eval-every", "1000",
        "--sample-chars", "0")
    run("text eval", "text", "eval", str(root / "t"), str(text))
    run("sweep", "sweep", "--task", "echo", "--cells", "rnn", "--windows", "4", "--delays", "1",
        "--seeds", "2", "--epochs", "2", "--series-length", "200", "--plot", "none", "--out", str(root / "s"))
    run("export", "export", str(eco), "--torch", str(root / "w.safetensors"))
    run("diverged", "eco", "--epochs", "2", "--series-length", "2000", "--lr", "1e30", "--plot", "none",
        "--out", str(root / "d"))
    return outputs


@pytest.mark.parametrize("name", ["eco", "text train", "text eval", "sweep", "export", "diverged"])
def test_short_runs_in_spanish_have_no_english(runs, name):
    code, out, err = runs[name]
    assert code == (2 if name == "diverged" else 0), err
    assert english_words(out + err) == [], out + err


def test_short_runs_write_spanish_numbers(runs):
    _, out, _ = runs["eco"]
    last = out.strip().splitlines()[-2]
    assert re.search(r"compilación \d+,\d\d s, entrenamiento \d+,\d\d s, \d{1,3}(\.\d{3})* ventanas/s\.$", last), last
    assert re.search(r"exactitud \d+,\d{4}%", last), last
    assert re.search(r"^Paso 0 Pérdida 0,\d+$", out, re.M), out
    _, out, _ = runs["text train"]
    assert re.search(r"^Compilado en \d+,\d s", out, re.M), out
    assert re.search(r"^\d+/120 ventanas: pérdida \d+,\d{4}, \d{1,3}(\.\d{3})* ventanas/s", out, re.M), out
    _, out, _ = runs["text eval"]
    assert re.search(r"\d+,\d{4} nats/carácter, \d+,\d{4} bits/carácter en \d{1,3}(\.\d{3})* caracteres", out), out
