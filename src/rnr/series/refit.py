"""``--refit``: train again on every training example, for the chosen number of steps.

A run chooses its step s* on the validation part of the training data
(``rnr.series.job``); that part then never trained the network. With
``--refit`` the run goes on, once it has finished, as scikit-learn's
``refit=True`` does after a search: the same network (the same seed, so the
same first weights) trains again from the start on all the training
examples, the validation part included, for exactly s* optimizer steps, with
no evaluation on the way (nothing is left to choose). The result is
``refit.safetensors``, which ``predict``, ``eval``, ``forecast`` and ``view``
then use in place of ``best.safetensors``; a test file is scored with it once
more, and ``summary.json`` keeps both scores apart (``refit``).

    classification   the training sequences = the training part + the validation part
    forecasting      the windows of every row before the test (the training rows and
                     the validation stretch), scaled as the run scaled them; with
                     ``--target all``, every series' rows before its test

A run interrupted while refitting is the run without its refit;
``--resume --refit`` does the refit.
"""

from __future__ import annotations

import dataclasses

from rnr.io import checkpoint, files, runs

FILE = runs.REFIT


def forget_stale(run_dir, summary: dict) -> None:
    """A run resumed and trained further wrote a summary without ``refit``:
    a refit.safetensors from before no longer matches its chosen step, so it
    goes (``--refit`` then makes a new one)."""
    stale = run_dir / FILE
    if "refit" not in summary and stale.is_file():
        stale.unlink()


def needed(cfg, run_dir, summary: dict) -> bool:
    """Does this finished run still owe its refit?"""
    return bool(getattr(cfg, "refit", False)) and not summary.get("interrupted") \
        and summary.get("chosen_step") is not None and not (run_dir / FILE).is_file()


def all_training(job):
    """A new job of ``job``'s kind whose training examples are all of them."""
    from rnr.series import classify, forecast, forecast_job, panel

    prep = job.prep
    if isinstance(job, classify.ClassifyJob):
        joined = prep.train.joined(prep.val)
        return classify.ClassifyJob(job.cfg, dataclasses.replace(prep, train=joined))
    # the refit network's own scores (the run's choice of forecast, rnr.series.fallback, was made before);
    # a ForecastJob reads its settings from its prepared data
    network_only = dataclasses.replace(prep.cfg, fallback="none")
    if isinstance(prep, panel.PanelPrepared):  # each series' rows before its test, its own scale
        held = prep.cfg.horizon if prep.holdout else 0
        X, Y, lengths = panel.scaled_windows(prep.panel.values, prep.transforms,
                                             [len(v) - held for v in prep.panel.values], prep.cfg)
        return forecast_job.ForecastJob(network_only, dataclasses.replace(prep, cfg=network_only, X=X, Y=Y,
                                                                          lengths=lengths))
    z = prep.transform.forward(prep.table.values[: prep.fit_rows])  # the training rows and the validation stretch
    X, Y = forecast.windows(z, prep.cfg, prep.target)
    return forecast_job.ForecastJob(network_only, dataclasses.replace(prep, cfg=network_only, X=X, Y=Y))


def run(job, run_dir, summary: dict, config: dict, announce=None) -> dict:
    """Refit and write ``refit.safetensors``; returns ``summary`` with its
    ``refit`` entry (also written). ``announce(examples, steps)`` is called first."""
    from rnr.engine import loop, trainer

    steps = int(summary["chosen_step"])
    again = all_training(job)
    if announce:
        announce(len(again.X), steps)
    trained = trainer.train_run(again, None, loop.Limits(steps=steps), trainer.Schedule(eval_every=0,
                                checkpoint_every=0, checkpoint_seconds=0.0))
    if trained.outcome.stopped_by == "interrupted":
        return summary
    params = trained.outcome.state[0]
    facts = runs.facts(config)
    checkpoint.save(run_dir / FILE, {"params": params}, {"step": steps, "facts": facts})
    scores = {k: v for k, v in trained.summary.items() if k in SCORES}
    entry = {"steps": steps, "examples": int(len(again.X)), **scores}
    summary = {**summary, "refit": entry}
    files.write_json(run_dir / runs.SUMMARY, summary)
    return summary


# what summary.json keeps of the refit network's scores: the test file's, scored once
SCORES = ("test_accuracy", "test_loss", "mae", "rmse", "mase", "smape", "forecast")
