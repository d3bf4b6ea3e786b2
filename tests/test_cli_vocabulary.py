"""One vocabulary of flags: the table in CONTRIBUTING.md is what the parsers
accept, old spellings still parse (hidden from --help), every cell is listed,
`rnr --version` and `--lang` anywhere."""

import argparse
import re
from importlib import metadata
from pathlib import Path

import pytest

from rnr.engine import cells
from rnr import cli, i18n

ROOT = Path(__file__).resolve().parents[1]


def parser():
    i18n.set_lang("en")
    return cli.build_parser()


def subparsers(p):
    """{"eco": parser, "text train": parser, ...} for every command and action."""
    out = {}
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sp in action.choices.items():
                out[name] = sp  # a command with actions may have flags of its own too
                out.update({f"{name} {k}": v for k, v in subparsers(sp).items()})
    return out


def visible_flags(sp) -> set[str]:
    return {s for a in sp._actions if a.help != argparse.SUPPRESS for s in a.option_strings if s.startswith("--")}


def hidden_flags(sp) -> set[str]:
    return {s for a in sp._actions if a.help == argparse.SUPPRESS for s in a.option_strings}


def table() -> dict[str, set[str]]:
    """CONTRIBUTING.md's flag table: {command: {flags}}."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text[text.index("## Flags"):]
    section = section[: section.find("\n## ", 5)] if "\n## " in section[5:] else section
    out: dict[str, set[str]] = {}
    for line in section.splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cols) < 3 or not cols[1].startswith("`--"):
            continue
        flag = cols[1].strip("`").split()[0]
        for cmd in re.findall(r"[a-z]+(?: [a-z]+)?", cols[2].replace("`", "")):
            out.setdefault(cmd.strip(), set()).add(flag)
    return out


# old spelling -> (command, new spelling, value)
ALIASES = [
    ("eco", "--length", "--series-length", "3000"),
    ("sweep", "--lengths", "--gaps", "10,30"),
    ("sweep", "--series", "--series-length", "2000"),
    ("text train", "--sample-length", "--sample-chars", "7"),
    ("text sample", "--length", "--chars", "9"),
    ("view", "--steps", "--time-steps", "12"),
]


def argv(cmd, *rest):
    positional = {"text sample": ["RUN"], "view": ["RUN"], "text eval": ["RUN", "FILE"], "export": ["RUN"]}
    return [*cmd.split(), *positional.get(cmd, []), *rest]


@pytest.mark.parametrize("cmd,old,new,value", ALIASES)
def test_old_spellings_parse_to_the_same_setting_and_are_hidden(cmd, old, new, value):
    p = parser()
    a = p.parse_args(argv(cmd, old, value))
    b = p.parse_args(argv(cmd, new, value))
    assert vars(a) == vars(b)
    sp = subparsers(p)[cmd]
    assert old in hidden_flags(sp) and old not in visible_flags(sp)
    assert new in visible_flags(sp)
    assert old not in sp.format_help().replace(new, "")


def test_no_plot_is_plot_none():
    p = parser()
    assert p.parse_args(["sweep", "--no-plot"]).plot == "none"
    assert p.parse_args(["sweep", "--plot", "none"]).plot == "none"
    assert p.parse_args(["sweep"]).plot == "end"
    assert p.parse_args(["text", "train", "--plot", "none"]).plot == "none"


def test_the_table_is_what_the_commands_accept():
    """Each command's visible flags are exactly the table's (a new flag goes in the table)."""
    listed = table()
    found = subparsers(parser())
    assert {"eco", "text train", "text sample", "text eval", "sweep", "view", "export"} <= set(listed)
    for cmd, sp in found.items():
        if cmd not in listed:
            continue
        flags = visible_flags(sp) - {"--help", "--lang", "--no-cache"}
        assert flags == listed[cmd], (cmd, sorted(flags ^ listed[cmd]))


def test_one_meaning_one_name():
    """A flag that two commands share means one thing: the table gives each flag one row."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text[text.index("## Flags"):]
    flags = [line.split("|")[2].strip().strip("`").split()[0] for line in section.splitlines()
             if line.startswith("|") and line.split("|")[2].strip().startswith("`--")]
    assert len(flags) == len(set(flags)), sorted(f for f in flags if flags.count(f) > 1)
    for old in ("--length", "--lengths", "--series", "--sample-length", "--no-plot"):
        assert old not in flags  # hidden aliases only


def test_help_lists_every_cell_and_optimizer():
    from rnr.engine.optim import OPTIMIZERS

    found = subparsers(parser())
    for cmd in ("eco", "text train", "sweep"):
        shown = " ".join(found[cmd].format_help().split())
        for name in cells.CELLS:
            assert name in shown, (cmd, name)
        for name in OPTIMIZERS:
            assert name in shown, (cmd, name)


def test_version(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"rnr {metadata.version('rnr')}"


@pytest.mark.parametrize("args", [
    ["--lang", "es", "eco", "--epochs", "-1"],
    ["eco", "--lang", "es", "--epochs", "-1"],
    ["eco", "--epochs", "-1", "--lang", "es"],
    ["eco", "--epochs", "-1", "--lang=es"],
])
def test_lang_anywhere(tmp_path, capsys, args):
    assert cli.main([*args, "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --epochs debe ser un número entero entre 0 y"), err
    assert not (tmp_path / "r").exists()


def test_lang_before_the_command_in_help(capsys):
    assert cli.main(["--lang", "es", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("uso: rnr") and "opciones:" in out and "muestra esta ayuda y termina" in out
    assert cli.main(["--lang", "es", "text", "sample", "--help"]) == 0
    assert capsys.readouterr().out.startswith("uso: rnr text sample")
    assert cli.main(["text", "--lang", "es", "sample", "--help"]) == 0
    assert capsys.readouterr().out.startswith("uso: rnr text sample")


@pytest.mark.parametrize("args,needle", [
    (["eco", "--epochs"], "argument --epochs: expected one argument"),
    (["eco", "--plot", "sometimes"], "argument --plot: invalid choice: 'sometimes'"),
    (["eco", "--nonsense"], "unrecognized arguments: --nonsense"),
    (["text", "sample"], "the following arguments are required: RUN"),
    (["sweep", "--gaps", "10,x"], "not a list of whole numbers"),
])
def test_usage_errors_are_one_line_and_exit_2(capsys, args, needle):
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert needle in err and err.startswith("error: ") and len(err.strip().splitlines()) == 1
