"""The series run kind (``rnr.io.kinds``): its settings, data records, model, view."""

from __future__ import annotations

import json

from rnr.io.kinds import RunKind
from rnr.series.config import SeriesConfig, check_stored, model_config


def view(run_dir, options, lang: str) -> list:
    """gates.png over one sequence (``rnr.series.view``)."""
    from rnr.io import runs
    from rnr.series import view as series_view

    run = runs.load_run(run_dir, kind="series")
    if run.cfg.ensemble > 1:  # an ensemble: the first member's insides (the run of --seed)
        from rnr.series.job import member

        run.params = member(run.params, 0)
    return series_view.render(run, options, lang)


def export_metadata(raw: dict) -> dict:
    """What the model's inputs and outputs mean: classes or columns, scaling, pooling."""
    return {key: json.dumps(raw[key], ensure_ascii=False) for key in ("classes", "columns", "scaler", "pool")
            if key in raw}


def facts(raw: dict) -> dict:
    """What the data taught, in order: the classes (the outputs' order) or the
    columns, the features, the scaler (the inputs' scale), a forecast's
    season and transform."""
    return {key: raw.get(key) for key in ("problem", "features", "classes", "columns", "scaler", "season", "log")}


RUN_KIND = RunKind("series", SeriesConfig, check_stored=check_stored, model_config=model_config, view=view,
                   export_metadata=export_metadata, facts=facts, members=lambda cfg: cfg.ensemble)
