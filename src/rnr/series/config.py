"""The settings of a series run, each declared once, and what config.json holds.

Classification (no ``--target``): sequences (N, T, F) -> cells -> pooled
state -> class scores. Forecasting (``--target COLUMN``): the last
``context`` steps of the target (``--inputs all``: of every column) -> the
target's next ``horizon`` values (direct), or the next step of every column
read, fed back ``horizon`` times (iterated).

    config.json  {"task": "series", <SeriesConfig fields>, "problem":
                  "classify" | "forecast", "features": F, "classes": [...],
                  "columns": [...], "scaler": {mean, std}, "data": {path, sha256}}
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import ClassVar
from pathlib import Path

from rnr.settings import flags
from rnr.engine import model
from rnr import settings
from rnr.errors import Msg, UserError
from rnr.settings import setting
from rnr.series import fallback

KIND = "series"
MULTI_STEP = ("direct", "iterated")
# --conv's width when not given, for classification (forecasts: none). Chosen on validation splits of the
# archive's TRAIN files (benchmarks/dev_series.py, docs/series.md): it raised the mean validation accuracy
# on 3 of 5 datasets and lowered the validation loss on all 5; on Airline and M1 yearly it raised the
# validation MASE (1.06 against 0.75; 3.32 against 3.08).
CONV_CLASSIFY = 64
# --ensemble's size when not given, for forecasts (classification: one network). Chosen on the development
# set's held-out validation stretches (benchmarks/dev_series.py --origin-back, seeds 0-2, mean MASE, 1 / 3 / 5 / 6
# networks): Airline 1.041 / 1.017 / 0.860 / 0.805, M1 yearly 2.796 / 2.642 / 2.581 / 2.559, Uschange 0.572 /
# 0.578 / 0.588 / 0.586; PBS and solar forecast by the seasonal naive either way. 6 also splits evenly over 1, 2,
# 3 or 6 devices (devices.for_members): on 2 cores Airline trained in 14.5 s against 4.8 s for one network (5: 31.7 s,
# one device).
ENSEMBLE_FORECAST = 6
TRANSFORMS = ("auto", "log", "none")
# --inputs: what a forecast reads. target: chosen on the development set's one table with more columns
# (Uschange, benchmarks/dev_series.py --origin-back: validation MASE 0.572 against 0.902 with every column)
INPUTS = ("target", "all")
# the settings only a forecast reads (--target makes a run a forecast); a new classification run refuses them
FORECAST_ONLY = ("target", "context", "horizon", "season", "multi_step", "transform", "fallback", "inputs", "origins")


@dataclass(frozen=True)
class SeriesConfig:
    # what runs written before these settings existed trained with: no step limit, one network
    ADDED_LATER: ClassVar[dict] = {"steps": 0, "ensemble": 1, "patience": 0, "refit": False, "conv": 0,
                                     "fallback": "none", "inputs": "all", "origins": 1,
                                     "weight_decay": 0.0}

    cell: str = flags.cell("lstm")
    layers: int = flags.layers(1)
    hidden: int = flags.hidden(64)
    bidirectional: bool = setting(True, "series_help_bidirectional")
    pool: str = setting("max", "series_help_pool", choices=model.POOLS)
    # rnr.engine.conv, the LSTM-FCN branch; None: CONV_CLASSIFY wide for classification, none for forecasting
    conv: int | None = setting(None, "series_help_conv", low=0, high=4096)
    dropout: float = flags.dropout(0.0)
    batch: int = flags.batch(16)
    lr: float = flags.lr(3e-3)
    clip: float | None = flags.clip(1.0)
    weight_decay: float = setting(0.0, "series_help_weight_decay", low=0.0, high=100.0)  # AdamW's; 0: Adam
    epochs: int = flags.epochs(0)
    steps: int = flags.steps(2000)  # optimizer steps, whatever the data's size
    time_budget: float = flags.time_budget(0.0)
    eval_every: int = flags.eval_every(50)  # steps between validations and checkpoints
    patience: int = setting(0, "series_help_patience", low=0, high=10**6, resume=True)  # 0: train to the budget
    val_fraction: float = flags.val_fraction(0.2)
    refit: bool = setting(False, "series_help_refit", resume=True)  # rnr.series.refit
    target: str | None = setting(None, "series_help_target")
    context: int = setting(0, "series_help_context", low=0, high=1_000_000)  # 0: forecast.auto_context
    horizon: int = setting(12, "series_help_horizon", low=1, high=1_000_000)
    season: int = setting(0, "series_help_season", low=0, high=1_000_000)  # 0: from the dates, else 1
    multi_step: str = setting("direct", "series_help_multi_step", choices=MULTI_STEP)
    transform: str = setting("auto", "series_help_transform", choices=TRANSFORMS)
    # the network reads the target's past only (target), or every column of the table (all)
    inputs: str = setting("target", "series_help_inputs", choices=INPUTS)
    # rnr.series.fallback: the seasonal naive forecast where it beats the network on the validation stretch
    fallback: str = setting("naive", "series_help_fallback", choices=fallback.CHOICES)
    # rolling origins inside the validation stretch (rnr.series.forecast.origin_offsets); 1: one forecast of it
    origins: int = setting(1, "series_help_origins", low=1, high=1_000_000)
    seed: int = flags.seed(0)
    # members: seeds seed..seed+K-1; None: ENSEMBLE_FORECAST for forecasts, one network for classification
    ensemble: int | None = setting(None, "series_help_ensemble", low=1, high=64)
    devices: int = flags.devices(1)

    def __post_init__(self):
        # --conv or --ensemble not given: the task's own, stored in config.json as a number (a later default
        # then never changes what a stored run is)
        if self.conv is None:
            object.__setattr__(self, "conv", 0 if self.forecasting else CONV_CLASSIFY)
        if self.ensemble is None:
            object.__setattr__(self, "ensemble", ENSEMBLE_FORECAST if self.forecasting else 1)

    @property
    def forecasting(self) -> bool:
        return self.target is not None

    def model(self, features: int, n_out: int) -> model.ModelConfig:
        return model.ModelConfig(cell=self.cell, n_in=features, hidden=self.hidden, n_out=n_out,
                                 layers=self.layers, bidirectional=self.bidirectional, conv=self.conv)

    def pooled(self) -> str | None:
        """The model's pooling: one output per sequence, except an iterated
        forecast, which predicts the next step at every step."""
        return None if self.forecasting and self.multi_step == "iterated" else self.pool

    def check_new(self) -> None:
        """A new run's own rules: ``--dropout`` needs stacked layers; a
        classification (no ``--target``) leaves the forecasting settings as they are."""
        flags.check_dropout_layers(self)
        if not self.forecasting:
            for f, rules, *_ in settings.fields(type(self)):
                if f.name in FORECAST_ONLY and getattr(self, f.name) != f.default:
                    raise UserError("series_forecast_only", flag=settings.flag_of(f, rules))

    def check(self) -> None:
        from rnr.engine import conv, memory

        if self.conv and self.pooled() is None:
            raise UserError("series_conv_iterated")
        if self.conv == 1:  # a layer normalisation over one channel gives a constant
            raise UserError("series_conv_one")
        if not self.epochs and not self.steps and not self.time_budget:
            raise UserError("no_limit", flags=Msg("one_of_three", a="--steps", b="--epochs", c="--time-budget"))
        steps = self.context or 24
        branch = conv.activation_bytes(self.batch, steps, 1, self.conv)
        memory.check_fits(memory.training_bytes(model.param_bytes(self.model(1, 1)), steps=steps,
                                                rows=self.batch, hidden=self.hidden, layers=self.layers,
                                                directions=2 if self.bidirectional else 1) + branch,
                          "--hidden/--layers/--conv/--batch" if self.conv else "--hidden/--layers/--batch")

    def validate(self) -> "SeriesConfig":
        return settings.validate(self)

    def to_dict(self) -> dict:
        return settings.to_dict(self)


Config = SeriesConfig


def file_sha256(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def config_dict(cfg: SeriesConfig, info: dict, path) -> dict:
    """What config.json holds: the settings and what the data taught (``info``:
    problem, features, classes or columns, scaler)."""
    return {"task": KIND, **cfg.to_dict(), **info,
            "data": {"path": str(Path(path).resolve()), "sha256": file_sha256(path)}}


def check_stored(cfg: SeriesConfig, raw: dict, where) -> None:
    """The data facts in config.json must be what training wrote."""
    from rnr.series.sequences import Scaler

    def bad(detail):
        raise UserError("run_config_bad", path=where, detail=detail)

    problem = raw.get("problem")
    if problem not in ("classify", "forecast") or (problem == "forecast") != cfg.forecasting:
        bad("'problem' must be 'classify' (no target) or 'forecast' (with a target)")
    features = raw.get("features")
    if not isinstance(features, int) or isinstance(features, bool) or not 1 <= features <= 1_000_000:
        bad("'features' must be a positive whole number")
    if problem == "classify":
        classes = raw.get("classes")
        if not isinstance(classes, list) or len(classes) < 2 or not all(isinstance(c, str) for c in classes) \
                or len(set(classes)) != len(classes):
            bad("'classes' must list two or more distinct class names")
    else:
        columns = raw.get("columns")
        if not isinstance(columns, list) or len(columns) != features or cfg.target not in columns:
            bad("'columns' must list the table's columns, the target among them")
        if not isinstance(raw.get("season"), int) or raw["season"] < 1 or not isinstance(raw.get("log"), bool):
            bad("'season' must be a positive whole number and 'log' true or false")
    for name in ("data", "test"):
        entry = raw.get(name)
        if (name == "data" or entry is not None) and not (
                isinstance(entry, dict) and isinstance(entry.get("path"), str) and entry["path"]
                and isinstance(entry.get("sha256"), str)):
            bad(f"'{name}' must hold the file's 'path' and 'sha256'")
    try:
        scaler = Scaler.from_dict(raw.get("scaler"))
    except (ValueError, TypeError, KeyError):
        bad("'scaler' must hold finite 'mean' and positive 'std' lists")
    if scaler.mean.shape != (features,):
        bad("'scaler' must have one mean and std per feature")


def n_out(cfg: SeriesConfig, raw: dict) -> int:
    """Outputs of the model: one score per class; the target's next
    ``horizon`` values (direct); every column's next value (iterated)."""
    if raw["problem"] == "classify":
        return len(raw["classes"])
    return cfg.horizon if cfg.multi_step == "direct" else raw["features"]


def model_config(cfg: SeriesConfig, raw: dict) -> model.ModelConfig:
    return cfg.model(raw["features"], n_out(cfg, raw))
