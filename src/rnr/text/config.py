"""The settings of a text run, as a frozen dataclass stored in config.json.

    embedding (V, embed) -> ``layers`` cells of ``hidden`` units -> linear (hidden, V)

Training stops at whichever limit comes first: ``epochs`` passes over the
training text, ``steps`` windows, or ``time_budget`` minutes of training.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from rnr import cells, model, optim
from rnr.cells.common import INITS
from rnr.errors import UserError


@dataclass(frozen=True)
class TextConfig:
    cell: str = "lstm"
    layers: int = 1
    hidden: int = 256
    embed: int = 64
    dropout: float = 0.0
    batch: int = 32
    window: int = 64
    optimizer: str = "adam"
    lr: float = 2e-3
    clip: float | None = 5.0
    lr_decay: float = 1.0  # multiply the learning rate by this after each epoch
    epochs: int = 0  # 0: no limit (then --steps or --time-budget must be given)
    steps: int = 0
    time_budget: float = 0.0  # minutes of training; 0: no limit
    val_fraction: float = 0.1
    init: str = "torch"
    forget_bias: float = 0.0
    seed: int = 0
    chunk: int = 50  # windows per compiled call
    eval_every: int = 500  # windows between validations (and checkpoints)
    sample_length: int = 200  # characters of the sample printed at each validation
    val_max: int = 0  # characters of validation text used during training; 0: all

    def model(self, vocab_size: int) -> model.ModelConfig:
        return model.ModelConfig(cell=self.cell, n_in=vocab_size, hidden=self.hidden, n_out=vocab_size,
                                 layers=self.layers, input="embed", embed_dim=self.embed,
                                 init=self.init, forget_bias=self.forget_bias)

    def validate(self) -> "TextConfig":
        """Raise UserError for any setting training cannot use."""
        for name in ("layers", "hidden", "embed", "batch", "window", "chunk", "eval_every"):
            v = getattr(self, name)
            if not isinstance(v, int) or v <= 0:
                raise UserError("not_positive", name=name.replace("_", "-"), value=v)
        for name in ("epochs", "steps", "sample_length", "val_max"):
            if getattr(self, name) < 0:
                raise UserError("negative", name=name.replace("_", "-"), value=getattr(self, name))
        if self.time_budget < 0:
            raise UserError("negative", name="time-budget", value=self.time_budget)
        if not 0.0 <= self.dropout < 1.0:
            raise UserError("text_bad_dropout", value=self.dropout)
        if not 0.0 < self.val_fraction < 1.0:
            raise UserError("text_bad_val_fraction", value=self.val_fraction)
        if not 0.0 < self.lr_decay <= 1.0:
            raise UserError("text_bad_lr_decay", value=self.lr_decay)
        if self.init not in INITS:
            raise UserError("unknown_init", name=self.init, choices=", ".join(INITS))
        cells.get(self.cell)
        optim.make(self.optimizer, self.lr, self.clip)
        return self

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, raw: dict) -> "TextConfig":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in names})
