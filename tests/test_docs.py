"""The documentation says what rnr does today.

(a) every `--flag` written after `rnr COMMAND` in a code span or block of README.md,
    README.es.md or docs/*.md is a visible flag of that command's parser (old spellings,
    hidden from --help, do not count);
(b) no project history (issues, rounds, goals met or not, "was 8.1x") in those pages;
(c) README.md fits in 150 lines, and the two READMEs link each other on line 1;
(d) every relative link and image points to a file that exists.

Each check is a function that returns the problems it found; the real pages must give
none, and a deliberately broken page must give some (the `*_can_fail` tests).
Nothing here trains or compiles anything.
"""

import argparse
import re
import shlex
from pathlib import Path

import pytest

from rnr import cli, i18n

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", ROOT / "README.es.md", *sorted((ROOT / "docs").glob("*.md"))]
README_MAX_LINES = 150


def page_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


# ---------------------------------------------------------------- (a) flags

def parser() -> argparse.ArgumentParser:
    i18n.set_lang("en")
    return cli.build_parser()


def subcommands(p: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def visible_flags(p: argparse.ArgumentParser) -> set[str]:
    return {s for a in p._actions if a.help != argparse.SUPPRESS
            for s in a.option_strings if s.startswith("--")}


def code_lines(text: str) -> list[tuple[int, str]]:
    """(line number, code) for every line of a fenced block (a line ending in a
    backslash joined with the next) and every inline `code span` outside blocks."""
    out, in_block, pending, start = [], False, "", 0
    for n, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            in_block = not in_block
            continue
        if in_block:
            if not pending:
                start = n
            if line.rstrip().endswith("\\"):
                pending += line.rstrip()[:-1] + " "
                continue
            out.append((start, pending + line))
            pending = ""
        else:
            out += [(n, span) for span in re.findall(r"`([^`\n]+)`", line)]
    return out


# `rnr` as a program: not `rnr.engine.cells`, `rnr/cells`, `import rnr`, `from rnr import ...`
RNR_CALL = re.compile(r"(?<![\w./-])rnr[ \t]+(?=[a-z.-])")
PYTHON = re.compile(r"\b(?:from|import)\s+rnr\b")
SUBSTITUTION = re.compile(r"\$\([^()]*\)")  # `$(rnr ...)`: checked on its own, as a command of its own
# where one shell command ends: &&, ||, ;, a pipe into another program, a redirection
COMMAND_END = re.compile(r"&&|\|\||;|\s\|\s(?!-)|\s[0-9]?>|\s<\s|\s&\s|\s&$")


def rnr_invocations(code: str) -> list[list[str]]:
    """The words after each `rnr` that a line of code runs, up to the end of that command
    (a comment after it included: it often names the command's flags)."""
    if PYTHON.search(code):
        return []
    calls = []
    comment = re.search(r"(?:^|\s)#", code)  # `rnr` in a comment is a word, not a command
    for m in RNR_CALL.finditer(code[:comment.start()] if comment else code):
        rest = code[m.end():]
        if code[:m.start()].endswith("$("):  # a command substitution ends at its parenthesis
            rest = rest.split(")", 1)[0]
        rest = COMMAND_END.split(SUBSTITUTION.sub("SUBST", rest), maxsplit=1)[0]
        try:
            words = shlex.split(rest, comments=False)
        except ValueError:  # an unbalanced quote in prose: take the words as they are
            words = rest.split()
        calls.append(words)
    return calls


def flag_problems(text: str, name: str, root: argparse.ArgumentParser) -> list[str]:
    """Every `--flag` after `rnr COMMAND [ACTION]` that the command's parser does not show."""
    problems = []
    commands = subcommands(root)
    for n, code in code_lines(text):
        for words in rnr_invocations(code):
            where = f"{name}:{n}: rnr {' '.join(words)}"
            p, path = root, ["rnr"]
            allowed = set(visible_flags(root))
            rest = list(words)
            # global flags before the command
            while rest and rest[0].startswith("-"):
                flag = rest.pop(0).split("=", 1)[0]
                if flag not in allowed:
                    problems.append(f"{where}: `rnr {flag}` is not a flag of rnr")
                if flag == "--lang" and rest and not rest[0].startswith("-"):
                    rest.pop(0)
            # the command, then its action (text train, series forecast, ...)
            subs = commands
            while rest and subs and re.fullmatch(r"[a-z][a-z-]*", rest[0]):
                word = rest.pop(0)
                if word not in subs:
                    problems.append(f"{where}: `{' '.join(path)} {word}` is not a command")
                    break
                p, path = subs[word], path + [word]
                allowed |= visible_flags(p)
                subs = subcommands(p)
            else:
                for word in rest:
                    token = word.lstrip("[(")
                    if token.startswith("--") and len(token) > 2:
                        flag = re.match(r"--[A-Za-z0-9-]+", token)
                        if flag and flag.group(0) not in allowed:
                            problems.append(f"{where}: `{flag.group(0)}` is not a flag of `{' '.join(path)}`")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_flags_in_the_docs_are_real(page):
    assert flag_problems(page.read_text(encoding="utf-8"), page_id(page), parser()) == []


def test_flag_check_can_fail():
    broken = (
        "```bash\n"
        "rnr view runs/x --steps 12        # a hidden old spelling\n"
        "RNR_XLA_THREADS=single rnr text train a.txt --layers 2 \\\n"
        "    --no-such-flag 3\n"
        "python3 -m pip install -e . && rnr eco --windows 4\n"
        "rnr bogus --epochs 1\n"
        "python3 bench.py --cores 2   # rnr seed 0, not a command\n"
        "```\n"
        "and inline: `rnr series train f.ts --time-steps 3`, `rnr --nope eco`,\n"
        "`rnr series eval R \"$(rnr data path GunPoint --split test --row 1)\" --split x`\n"
        "but not `from rnr import eco`, `rnr.engine.traces.collect`, `rnr/engine/cells/lstm.py`, "
        "`rnr eco --epochs 3` or `rnr text sample RUN [--chars 500] [--prime TEXT]`\n"
    )
    found = flag_problems(broken, "broken.md", parser())
    assert len(found) == 8, found
    for needle in ("`--row` is not a flag of `rnr data path`", "`--split` is not a flag of `rnr series eval`",
                   "`--steps` is not a flag of `rnr view`", "`--no-such-flag`", "`--windows` is not a flag of `rnr eco`",
                   "`rnr bogus` is not a command", "`--time-steps` is not a flag of `rnr series train`",
                   "`rnr --nope` is not a flag"):
        assert any(needle in f for f in found), (needle, found)
    assert all(":2:" in f for f in found if "--steps`" in f)
    assert any("broken.md:3:" in f for f in found)  # the joined line keeps its first number


# ---------------------------------------------------------------- (b) history

# Words that tell the story of how rnr was made rather than what it does.
HISTORY = [
    r"\bissues?\b", r"\bthis round\b", r"\bto this round\b", r"\bsessions?\b",
    r"\bwas asked\b", r"\b(?:is|was|were) asked for\b",
    r"\bgoals?\b", r"\bnot met\b", r"\btarget (?:was|of) [0-9.]+", r"\btarget met\b",
    r"\(was [0-9.]+x", r"\bmeasured this\b", r"\bwas available to\b", r"\bthis work\b",
    # Spanish
    r"\bsesi[oó]n(?:es)?\b", r"\brondas?\b", r"\bse pidi[oó]\b", r"\bincidencias?\b",
    r"\bobjetivos? (?:era|eran|no se|se cumpli)", r"\bno se cumpli[oó]\b",
]
HISTORY_RE = re.compile("|".join(HISTORY), re.IGNORECASE)


def history_problems(text: str, name: str) -> list[str]:
    return [f"{name}:{n}: {m.group(0)!r} in: {line.strip()}"
            for n, line in enumerate(text.splitlines(), 1)
            for m in HISTORY_RE.finditer(line)]


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_project_history(page):
    assert history_problems(page.read_text(encoding="utf-8"), page_id(page)) == []


def test_history_check_can_fail():
    broken = ("The issue's goals were 20x.\nNo GPU was available to this round.\n"
              "Measured this session: 6.7x (was 8.1x on one device); the target was 10x.\n"
              "Objetivo no se cumplió en esta sesión.\n")
    found = history_problems(broken, "broken.md")
    assert {f.split(":")[1] for f in found} == {"1", "2", "3", "4"}, found
    assert history_problems("The loss is rounded; goalkeepers, the target is the input 3 steps earlier.\n", "ok.md") == []


# ---------------------------------------------------------------- (c) the READMEs

def readme_problems(en: str, es: str | None) -> list[str]:
    problems = []
    lines = en.splitlines()
    if len(lines) > README_MAX_LINES:
        problems.append(f"README.md has {len(lines)} lines, more than {README_MAX_LINES}")
    if es is None:
        return problems + ["README.es.md is missing"]
    first_en = lines[0] if lines else ""
    first_es = es.splitlines()[0] if es.strip() else ""
    if "(README.es.md)" not in first_en:
        problems.append("README.md does not link README.es.md on its first line")
    if "(README.md)" not in first_es:
        problems.append("README.es.md does not link README.md on its first line")
    return problems


def test_readmes():
    es = ROOT / "README.es.md"
    en = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_problems(en, es.read_text(encoding="utf-8") if es.exists() else None) == []


def test_readme_check_can_fail():
    ok_en, ok_es = "[English](README.md) · [Español](README.es.md)\n# rnr\n", "[English](README.md) · [Español](README.es.md)\n"
    assert readme_problems(ok_en, ok_es) == []
    assert len(readme_problems("# rnr\n" + "x\n" * 150, "# rnr\n")) == 3
    assert readme_problems(ok_en, None) == ["README.es.md is missing"]


# ---------------------------------------------------------------- (d) links

LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_SRC = re.compile(r"<(?:img|a)\b[^>]*\b(?:src|href)=\"([^\"]+)\"", re.IGNORECASE)


def link_problems(text: str, page: Path) -> list[str]:
    problems = []
    for n, line in enumerate(text.splitlines(), 1):
        for target in LINK.findall(line) + HTML_SRC.findall(line):
            if re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("#"):
                continue  # https:, mailto:, an anchor in the same page
            path = (page.parent / target.split("#", 1)[0]).resolve()
            if not path.exists():
                problems.append(f"{page.name}:{n}: {target} does not exist")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_links_and_images_exist(page):
    assert link_problems(page.read_text(encoding="utf-8"), page) == []


def test_link_check_can_fail():
    page = ROOT / "docs" / "broken.md"
    broken = ("[text](text.md) [nothing](nothing.md) ![img](img/none.png) [web](https://example.org)\n"
              "[anchor](#top) [up](../README.md#rnr) <img src=\"img/missing.png\">\n")
    found = link_problems(broken, page)
    assert [f.split(": ")[1] for f in found] == ["nothing.md does not exist", "img/none.png does not exist",
                                                 "img/missing.png does not exist"], found
