"""The settings of a series run, each declared once, and what config.json holds.

Classification (no ``--target``): sequences (N, T, F) -> cells -> pooled
state -> class scores. Forecasting (``--target COLUMN``): the last
``context`` steps of every column -> the target's next ``horizon`` values
(direct), or the next step of every column, fed back ``horizon`` times
(iterated).

    config.json  {"task": "series", <SeriesConfig fields>, "problem":
                  "classify" | "forecast", "features": F, "classes": [...],
                  "columns": [...], "scaler": {mean, std}, "data": {path, sha256}}
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rnr import cells, model, settings
from rnr.errors import UserError
from rnr.settings import SEED_MAX, setting

KIND = "series"
MULTI_STEP = ("direct", "iterated")
TRANSFORMS = ("auto", "log", "none")


@dataclass(frozen=True)
class SeriesConfig:
    cell: str = setting("lstm", "series_help_cell", choices=lambda: tuple(cells.CELLS))
    layers: int = setting(1, "series_help_layers", low=1, high=100)
    hidden: int = setting(64, "series_help_hidden", low=1, high=100_000)
    bidirectional: bool = setting(True, "series_help_bidirectional")
    pool: str = setting("max", "series_help_pool", choices=model.POOLS)
    dropout: float = setting(0.0, "series_help_dropout", low=0.0, below=1.0)
    batch: int = setting(16, "series_help_batch", low=1, high=1_000_000)
    lr: float = setting(3e-3, "series_help_lr", above=0.0, resume=True)
    clip: float | None = setting(1.0, "series_help_clip", above=0.0, zero_is_none=True)
    epochs: int = setting(300, "series_help_epochs", low=0, high=10_000_000, resume=True)
    time_budget: float = setting(0.0, "series_help_time_budget", low=0.0, resume=True)
    eval_every: int = setting(10, "series_help_eval_every", low=1, high=10_000_000, resume=True)
    val_fraction: float = setting(0.2, "series_help_val_fraction", above=0.0, below=1.0)
    target: str | None = setting(None, "series_help_target")
    context: int = setting(24, "series_help_context", low=1, high=1_000_000)
    horizon: int = setting(12, "series_help_horizon", low=1, high=1_000_000)
    season: int = setting(0, "series_help_season", low=0, high=1_000_000)  # 0: from the dates, else 1
    multi_step: str = setting("direct", "series_help_multi_step", choices=MULTI_STEP)
    transform: str = setting("auto", "series_help_transform", choices=TRANSFORMS)
    seed: int = setting(0, "series_help_seed", low=0, high=SEED_MAX)
    devices: int = setting(1, "help_devices", low=0, high=4096, resume=True)

    @property
    def forecasting(self) -> bool:
        return self.target is not None

    def model(self, features: int, n_out: int) -> model.ModelConfig:
        return model.ModelConfig(cell=self.cell, n_in=features, hidden=self.hidden, n_out=n_out,
                                 layers=self.layers, bidirectional=self.bidirectional)

    def pooled(self) -> str | None:
        """The model's pooling: one output per sequence, except an iterated
        forecast, which predicts the next step at every step."""
        return None if self.forecasting and self.multi_step == "iterated" else self.pool

    def check(self) -> None:
        from rnr import memory

        acts = 4 * 10 * self.batch * self.hidden * self.layers * (2 if self.bidirectional else 1) * max(self.context, 1)
        memory.check_fits(4 * model.param_bytes(self.model(1, 1)) + acts, "--hidden/--layers/--batch")

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
