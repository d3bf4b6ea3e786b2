"""Every message exists in English and Spanish, with the same {fields}."""

import string

import pytest

from rnr.i18n import LANGS, MESSAGES


def fields(template: str) -> set[str]:
    """The names of the {fields} a format string fills in ('{a.b}' and '{a[0]}' count as 'a')."""
    names = set()
    for _, name, spec, _ in string.Formatter().parse(template):
        if name is not None:
            names.add(name.split(".")[0].split("[")[0])
        if spec:  # a nested field inside the format spec, e.g. {x:{width}}
            names |= fields(spec)
    return names


def forms(entry: dict, lang: str) -> list[str]:
    """A message's templates in one language: one, or its plural forms."""
    value = entry.get(lang)
    if "count" in entry:
        return [value.get("one"), value.get("other")] if isinstance(value, dict) else [None]
    return [value]


def test_every_message_has_every_language():
    missing = [(key, lang) for key, entry in MESSAGES.items() for lang in LANGS
               if not all(isinstance(t, str) and t for t in forms(entry, lang))]
    assert missing == []


def test_english_and_spanish_fill_in_the_same_fields():
    differ = {}
    for key, e in MESSAGES.items():
        found = [fields(t) for lang in LANGS for t in forms(e, lang)]
        other = [f for f in found if f != found[-1]]
        if "count" in e:  # the one-form may write the number itself ("1 run")
            found = [fields(t) for lang in LANGS for t in [forms(e, lang)[1]]]
            other = [f for f in found if f != found[-1]]
            if e["count"] not in found[-1]:
                other.append({"count field missing"})
        if other:
            differ[key] = found
    assert differ == {}


def test_plural_forms_follow_the_number():
    from rnr.i18n import text

    assert text("sweep_done", "en", runs=1, seconds=1.0, compile=0.5, train=0.5).startswith("Done: 1 run in")
    assert text("sweep_done", "es", runs=3, seconds=1.0, compile=0.5, train=0.5).startswith("Listo: 3 corridas")
    assert text("sweep_done", "es", runs=1, seconds=1.0, compile=0.5, train=0.5).startswith("Listo: 1 corrida ")


def dynamic_families() -> dict[str, str]:
    """Keys built at run time from a prefix (``f"{kind}_missing"``, ``"metric_" + name``):
    each family's pattern, and why (so a new family is a deliberate line here)."""
    return {r"^(text|series)_(missing|not_file|empty)$": "rnr.io.userfile.read_bytes(path, kind)",
            r"^(text|series)_help_(train|file|resume|out|plot|quiet)$": "rnr.cli.parsers.add_train(..., keys, ...)"}


def used_literals() -> tuple[set[str], set[str]]:
    """Every string constant in rnr's code outside the catalogs, and every
    constant prefix of an f-string or a "prefix" + name concatenation."""
    import ast
    from pathlib import Path

    strings, prefixes = set(), set()
    src = Path(__file__).resolve().parents[1] / "src" / "rnr"
    for f in src.rglob("*.py"):
        if "messages" in f.relative_to(src).parts:
            continue
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                prefixes.add(node.values[0].value)
            elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant)
                  and isinstance(node.left.value, str)):
                prefixes.add(node.left.value)
    return strings, {p for p in prefixes if len(p) >= 4}


def test_every_message_defined_is_used():
    import re

    strings, prefixes = used_literals()
    families = dynamic_families()
    unused = [k for k in MESSAGES if k not in strings and not any(k.startswith(p) for p in prefixes)
              and not any(re.match(f, k) for f in families)]
    assert unused == []


def test_every_message_key_used_exists():
    """A UserError or text() call with a literal key names a message that exists."""
    import ast
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "src" / "rnr"
    missing = []
    for f in src.rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text())):
            if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            key = node.args[0].value
            if name in ("UserError", "Msg", "text", "t", "msg", "_h") and isinstance(key, str) and key not in MESSAGES:
                missing.append((f.name, key))
    assert missing == []


@pytest.mark.parametrize("template,expected", [
    ("plain", set()),
    ("{a} and {b:.2f} and {a}", {"a", "b"}),
    ("{{not a field}} {x!r}", {"x"}),
    ("{v:{width}}", {"v", "width"}),
])
def test_fields_helper(template, expected):
    assert fields(template) == expected
