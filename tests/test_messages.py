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


def test_every_message_has_every_language():
    missing = [(key, lang) for key, entry in MESSAGES.items() for lang in LANGS
               if not isinstance(entry.get(lang), str) or not entry[lang]]
    assert missing == []


def test_english_and_spanish_fill_in_the_same_fields():
    differ = {key: (sorted(fields(e["en"])), sorted(fields(e["es"])))
              for key, e in MESSAGES.items() if "en" in e and "es" in e
              and fields(e["en"]) != fields(e["es"])}
    assert differ == {}


@pytest.mark.parametrize("template,expected", [
    ("plain", set()),
    ("{a} and {b:.2f} and {a}", {"a", "b"}),
    ("{{not a field}} {x!r}", {"x"}),
    ("{v:{width}}", {"v", "width"}),
])
def test_fields_helper(template, expected):
    assert fields(template) == expected
