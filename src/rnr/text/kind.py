"""The text run kind (``rnr.io.kinds``): its settings, vocabulary, model, view."""

from __future__ import annotations

import json

from rnr.io.kinds import RunKind
from rnr.text.config import TextConfig, check_stored, model_config


def view(run_dir, options, lang: str) -> list:
    """neurons.html: a passage coloured by a chosen neuron (``rnr.text.page``)."""
    from rnr.text import page as text_page

    return text_page.render(run_dir, options, lang)


def export_metadata(raw: dict) -> dict:
    return {"vocab": json.dumps(raw["vocab"], ensure_ascii=False)}


def facts(raw: dict) -> dict:
    """The vocabulary, in order: the embedding's rows and the readout's columns."""
    return {"vocab": raw["vocab"]}


RUN_KIND = RunKind("text", TextConfig, check_stored=check_stored, model_config=model_config, view=view,
                   export_metadata=export_metadata, facts=facts)
