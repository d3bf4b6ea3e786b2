"""The echo run kind (``rnr.io.kinds``): ``rnr eco``'s settings, model and view."""

from __future__ import annotations

from rnr.echo.experiment import EcoConfig, model_config
from rnr.io.kinds import RunKind


def view(run_dir, options, lang: str) -> list:
    """gates.png, cell.png (LSTM), layout.png, unrolled.png, truncation.png."""
    from rnr.io import runs
    from rnr.echo import view as echo_view

    run = runs.load_run(run_dir, kind="echo")
    echo_view.check_options(run.cfg, options.steps, options.row, options.layer)
    return echo_view.render(run_dir, run.cfg, run.params, lang=lang, steps=options.steps, row=options.row,
                            layer=options.layer)


RUN_KIND = RunKind("echo", EcoConfig, model_config=model_config, view=view)
