"""Run kinds as data: what rnr knows about each kind of run folder.

A run folder's ``config.json`` names its kind (``"task"``). Each kind has one
``RunKind`` in its own feature folder; every command that reads a run
(``rnr.io.runs.load_run``, ``view``, ``export``, ``--resume``) asks the kind,
and nothing outside a kind's folder branches on its name. The registry
holds the modules' names and imports a kind only when a run of it is read.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

# kind (config.json's "task") -> the module whose RUN_KIND describes it
REGISTRY = {"echo": "rnr.echo.kind", "text": "rnr.text.kind", "series": "rnr.series.kind",
            "sweep": "rnr.sweep.kind"}


def _all_settings(raw: dict) -> dict:
    return raw


def _nothing_more(cfg, raw: dict, where) -> None:
    """Nothing is stored beside the settings."""


@dataclass(frozen=True)
class RunKind:
    """One kind of run folder.

    config          the frozen settings dataclass stored in config.json
    stored_settings raw config.json -> the dict of its settings
    check_stored    (cfg, raw, where) -> None: the rest of config.json checked
                    (vocabulary, data records, scaler), UserError if not
    model_config    (cfg, raw) -> rnr.engine.model.ModelConfig, or None: no model
    view            (run_dir, options, lang) -> [paths written] by ``rnr view``
    export_metadata raw -> {name: JSON string} an export carries beside the weights
    members         cfg -> how many networks the checkpoint holds, stacked on a
                    leading axis (an ensemble's members; 1: one network)
    facts           raw -> {name: JSON value}: what config.json holds beside the
                    settings that the weights depend on (the vocabulary's order,
                    the scaler); every checkpoint stores their hashes, and a
                    resume or a reader refuses a checkpoint whose differ
    """
    name: str
    config: type
    stored_settings: Callable[[dict], dict] = _all_settings
    check_stored: Callable = _nothing_more
    model_config: Callable | None = None
    view: Callable[[Path, object, str], list] | None = None
    export_metadata: Callable[[dict], dict] = field(default=lambda raw: {})
    facts: Callable[[dict], dict] = field(default=lambda raw: {})
    members: Callable[[object], int] = field(default=lambda cfg: 1)  # an ensemble's networks, stacked


def names() -> tuple[str, ...]:
    return tuple(REGISTRY)


def get(name: str) -> RunKind:
    """The kind called ``name``; KeyError if there is none."""
    return importlib.import_module(REGISTRY[name]).RUN_KIND
