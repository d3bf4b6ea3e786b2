"""Every message a user sees, in English and Spanish.

``text(key, lang, **fields)`` formats one; ``lang`` is "en" or "es".
``default_lang()`` picks Spanish when the locale (LC_ALL, LC_MESSAGES or
LANG) starts with "es", English otherwise.

The messages themselves live in ``rnr/messages/``, one module per feature,
each defining ``MESSAGES = {key: {"en": ..., "es": ...}}``; every module
there is loaded, and a key defined twice is an error.
"""

from __future__ import annotations

import importlib
import os
import pkgutil

LANGS = ("en", "es")



def _load() -> dict[str, dict[str, str]]:
    import rnr.messages as pkg

    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        for key, entry in importlib.import_module(f"rnr.messages.{info.name}").MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"message {key!r} is defined twice (rnr.messages.{info.name})")
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


def text(key: str, lang: str = "en", **fields) -> str:
    """The message ``key`` in ``lang``, with ``fields`` filled in."""
    entry = MESSAGES[key]
    fields = {k: (v.render(lang) if hasattr(v, "render") else v) for k, v in fields.items()}
    return entry.get(lang, entry["en"]).format(**fields)
