"""Every message a user sees, in English and Spanish.

``text(key, lang, **fields)`` formats one; ``lang`` is "en" or "es".
``default_lang()`` picks Spanish when the locale (LC_ALL, LC_MESSAGES or
LANG) starts with "es", English otherwise.

Numbers are written for the language: every number a message fills in
(``{loss:.4f}``, ``{rate:,.0f}``, ``{accuracy:.2%}``) takes the language's
separators, "69,257.5" in English and "69.257,5" in Spanish. A number that
is command-line syntax (a flag's value or default) is passed as a string,
and stays as the user types it.

``argparse_language(lang)`` puts argparse's own words ("usage:",
"options", "show this help message and exit", its usage errors) into the
language while the command line is built and parsed
(``rnr/i18n/messages/argparse_es.py``).

The messages themselves live in ``rnr/i18n/messages/``, one module per feature,
each defining ``MESSAGES = {key: {"en": ..., "es": ...}}``; every module
there is loaded, and a key defined twice is an error. A key says what the
message is for (``series_summary_forecast``, ``flag_batch``). A message about
a number of things has plural forms: ``{"count": "runs", "en": {"one":
"1 run", "other": "{runs} runs"}, "es": {...}}``.
"""

from __future__ import annotations

import contextlib
import importlib
import numbers
import os
import pkgutil
import string

LANGS = ("en", "es")



def _load() -> dict[str, dict[str, str]]:
    import rnr.i18n.messages as pkg

    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        for key, entry in importlib.import_module(f"rnr.i18n.messages.{info.name}").MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"message {key!r} is defined twice (rnr.i18n.messages.{info.name})")
            merged[key] = entry
    return merged


MESSAGES: dict[str, dict[str, str]] = _load()



_current = {"lang": None}


def set_lang(lang: str) -> None:
    """The language ``t`` uses (the CLI sets it from --lang or the locale)."""
    _current["lang"] = lang


def t(key: str, **fields) -> str:
    """``text`` in the current language (see ``set_lang``)."""
    return text(key, _current["lang"] or default_lang(), **fields)


def default_lang() -> str:
    """Spanish when the locale says so, English otherwise."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "es" if value.lower().startswith("es") else "en"
    return "en"


def plural_form(n) -> str:
    """"one" or "other": the form English and Spanish use for ``n`` things."""
    return "one" if n == 1 else "other"


def text(key: str, lang: str = "en", **fields) -> str:
    """The message ``key`` in ``lang``, with ``fields`` filled in. An entry
    with ``"count": FIELD`` holds its forms per language, ``{"one": ...,
    "other": ...}``, chosen by that field's number (``plural_form``)."""
    entry = MESSAGES[key]
    fields = {k: (v.render(lang) if hasattr(v, "render") else v) for k, v in fields.items()}
    template = entry.get(lang, entry["en"])
    if "count" in entry:
        template = template[plural_form(fields[entry["count"]])]
    if lang in _SEPARATORS:
        return _FORMATTERS[lang].vformat(template, (), fields)
    return template.format(**fields)


# thousands and decimal separators where they differ from Python's "," and "."
_SEPARATORS = {"es": str.maketrans({",": ".", ".": ","})}


def is_number(value) -> bool:
    """A real number (int, float, NumPy scalar), not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class _NumberFormatter(string.Formatter):
    """str.format, with every number's separators in the language's way."""

    def __init__(self, lang: str):
        self.table = _SEPARATORS[lang]

    def format_field(self, value, format_spec):
        out = format(value, format_spec)
        return out.translate(self.table) if is_number(value) else out


_FORMATTERS = {lang: _NumberFormatter(lang) for lang in _SEPARATORS}


def number(value, lang: str, spec: str = "") -> str:
    """One number as a message would write it: ``number(69257.4, "es", ",.0f")`` is "69.257"."""
    out = format(value, spec)
    return out.translate(_SEPARATORS[lang]) if lang in _SEPARATORS and is_number(value) else out


# ---------------------------------------------------------------- argparse's own words

def _argparse_table(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    from rnr.i18n.messages import argparse_es

    return {"es": argparse_es.ARGPARSE}.get(lang, {})


@contextlib.contextmanager
def argparse_language(lang: str):
    """argparse's own strings in ``lang`` inside the block.

    argparse looks its words up through ``gettext`` (``argparse._`` and
    ``argparse.ngettext``, read when a parser is built, prints its help or
    reports an error); inside the block those two names answer from
    ``rnr/i18n/messages/argparse_es.py``, and afterwards they are restored."""
    import argparse

    table = _argparse_table(lang)
    old = argparse._, argparse.ngettext

    def gettext(message):
        return table.get(message, message)

    def ngettext(singular, plural, n):
        return table.get(singular if n == 1 else plural, singular if n == 1 else plural)

    argparse._, argparse.ngettext = gettext, ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = old
