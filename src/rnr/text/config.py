"""The settings of a text run, each declared once, and what config.json holds.

    embedding (V, embed) -> ``layers`` cells of ``hidden`` units -> linear (hidden, V)

    config.json   {"task": "text", <TextConfig fields>, "vocab": [chars],
                   "text": {path, sha256, chars}}

Training stops at whichever limit comes first: ``epochs`` passes over the
training text, ``steps`` windows, or ``time_budget`` minutes of training.
On ``--resume`` only the settings marked ``resume=True`` may change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rnr.settings import flags
from rnr.engine import model
from rnr import settings
from rnr.errors import UserError
from rnr.settings import setting

KIND = "text"


@dataclass(frozen=True)
class TextConfig:
    # settings added after runs without them were written; such a run's
    # config.json takes the default, which is what it did (``settings.from_dict``)
    ADDED_LATER: ClassVar[dict] = {"devices": 0}  # older runs: as many devices as divide the batch

    cell: str = flags.cell("lstm")
    layers: int = flags.layers(1)
    hidden: int = flags.hidden(256)
    embed: int = setting(64, "text_help_embed", low=1, high=100_000)
    dropout: float = flags.dropout(0.0)
    batch: int = flags.batch(32)
    window: int = flags.window(64)
    optimizer: str = flags.optimizer("adam")
    lr: float = flags.lr(2e-3)
    clip: float | None = flags.clip(5.0)
    lr_decay: float = setting(1.0, "text_help_lr_decay", above=0.0, high=1.0)  # the rate times this after each epoch
    epochs: int = flags.epochs(0)  # 0: no limit
    steps: int = flags.steps(0)
    time_budget: float = flags.time_budget(0.0)  # minutes; 0: no limit
    val_fraction: float = flags.val_fraction(0.1)
    val_max: int = setting(0, "text_help_val_max", low=0, high=10**12, resume=True)  # validation characters; 0: all
    init: str = flags.init("torch")
    forget_bias: float = flags.forget_bias(0.0)
    seed: int = flags.seed(0)
    chunk: int = flags.chunk(50)  # windows per compiled call
    eval_every: int = flags.eval_every(500)  # windows between validations
    sample_length: int = setting(200, "text_help_sample_chars", low=0, high=100_000, resume=True, flag="sample-chars",
                                 aliases=("sample-length",))
    devices: int = flags.devices(0)  # 0: as many as divide the batch

    def model(self, vocab_size: int) -> model.ModelConfig:
        return model.ModelConfig(cell=self.cell, n_in=vocab_size, hidden=self.hidden, n_out=vocab_size,
                                 layers=self.layers, input="embed", embed_dim=self.embed,
                                 init=self.init, forget_bias=self.forget_bias)

    def check(self) -> None:
        """The memory the model and one window's activations would take
        (a vocabulary of 256 characters assumed until the text is read)."""
        check_memory(self, 256)

    def check_new(self) -> None:
        """A new run's own rule: ``--dropout`` needs stacked layers."""
        flags.check_dropout_layers(self)

    def validate(self) -> "TextConfig":
        return settings.validate(self)

    def to_dict(self) -> dict:
        return settings.to_dict(self)


Config = TextConfig


@dataclass(frozen=True)
class SampleConfig:
    """The options of ``rnr text sample``."""
    length: int = flags.chars(500)
    temperature: float = setting(1.0, "text_help_temperature", above=0.0)
    top_k: int = setting(0, "text_help_top_k", low=0)
    seed: int = flags.seed(0)


@dataclass(frozen=True)
class EvalConfig:
    """The options of ``rnr text eval``; None: the run's own (its config.json)."""
    batch: int | None = flags.batch(None)
    window: int | None = flags.window(None)


def check_memory(cfg: TextConfig, vocab_size: int) -> None:
    """The parameters' copies and the activations a window keeps for the
    backward pass, every layer counted (``rnr.engine.memory.training_bytes``),
    against available memory."""
    from rnr.engine import memory

    params = model.param_bytes(cfg.model(vocab_size))
    memory.check_fits(memory.training_bytes(params, steps=cfg.window, rows=cfg.batch, hidden=cfg.hidden,
                                            layers=cfg.layers, outputs=vocab_size),
                      "--hidden/--layers/--embed/--batch/--window")


def config_dict(cfg: TextConfig, vocab, text_path, text: str) -> dict:
    """What config.json holds for a text run."""
    return {"task": KIND, **cfg.to_dict(), "vocab": list(vocab.chars),
            "text": {"path": str(Path(text_path).resolve()), "sha256": text_sha256(text), "chars": len(text)}}


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_stored(cfg: TextConfig, raw: dict, where) -> None:
    """The vocabulary and the text's record in config.json."""
    from rnr.text.vocab import Vocab

    vocab = raw.get("vocab")
    try:
        if not isinstance(vocab, list) or not vocab:
            raise ValueError
        Vocab(vocab)
    except (ValueError, TypeError):
        raise UserError("run_config_bad", path=where,
                        detail="'vocab' must be a list of distinct single characters") from None
    info = raw.get("text")
    if not isinstance(info, dict) or not isinstance(info.get("path"), str) or not isinstance(info.get("sha256"), str):
        raise UserError("run_config_bad", path=where, detail="'text' must hold the training text's path and sha256")


def model_config(cfg: TextConfig, raw: dict) -> model.ModelConfig:
    return cfg.model(len(raw["vocab"]))
