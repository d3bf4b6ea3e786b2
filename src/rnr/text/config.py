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

from rnr import cells, model, settings
from rnr.cells.common import INITS
from rnr.errors import UserError
from rnr.optim import OPTIMIZERS
from rnr.settings import SEED_MAX, setting

KIND = "text"


@dataclass(frozen=True)
class TextConfig:
    cell: str = setting("lstm", "texthelp_06", choices=lambda: tuple(cells.CELLS))
    layers: int = setting(1, "texthelp_07", low=1, high=1000)
    hidden: int = setting(256, "texthelp_08", low=1)
    embed: int = setting(64, "texthelp_09", low=1)
    dropout: float = setting(0.0, "texthelp_10", low=0.0, below=1.0)
    batch: int = setting(32, "texthelp_11", low=1)
    window: int = setting(64, "texthelp_12", low=1)
    optimizer: str = setting("adam", "texthelp_13", choices=tuple(OPTIMIZERS))
    lr: float = setting(2e-3, "texthelp_14", above=0.0, resume=True)
    clip: float | None = setting(5.0, "texthelp_15", above=0.0, zero_is_none=True)
    lr_decay: float = setting(1.0, "texthelp_16", above=0.0, high=1.0)  # the rate times this after each epoch
    epochs: int = setting(0, "texthelp_17", low=0, resume=True)  # 0: no limit
    steps: int = setting(0, "texthelp_18", low=0, resume=True)
    time_budget: float = setting(0.0, "texthelp_19", low=0.0, resume=True)  # minutes; 0: no limit
    val_fraction: float = setting(0.1, "texthelp_20", above=0.0, below=1.0)
    val_max: int = setting(0, "texthelp_21", low=0, resume=True)  # validation characters; 0: all
    init: str = setting("torch", "texthelp_22", choices=INITS)
    forget_bias: float = setting(0.0, "texthelp_23")
    seed: int = setting(0, "texthelp_24", low=0, high=SEED_MAX)
    chunk: int = setting(50, "texthelp_25", low=1, resume=True)  # windows per compiled call
    eval_every: int = setting(500, "texthelp_26", low=1, resume=True)  # windows between validations
    sample_length: int = setting(200, "texthelp_27", low=0, high=100_000, resume=True, flag="sample-chars",
                                 aliases=("sample-length",))
    devices: int = setting(0, "help_devices", low=0, high=4096, resume=True)  # 0: as many as divide the batch

    def model(self, vocab_size: int) -> model.ModelConfig:
        return model.ModelConfig(cell=self.cell, n_in=vocab_size, hidden=self.hidden, n_out=vocab_size,
                                 layers=self.layers, input="embed", embed_dim=self.embed,
                                 init=self.init, forget_bias=self.forget_bias)

    def check(self) -> None:
        """The memory the model and one window's activations would take
        (a vocabulary of 256 characters assumed until the text is read)."""
        check_memory(self, 256)

    def validate(self) -> "TextConfig":
        return settings.validate(self)

    def to_dict(self) -> dict:
        return settings.to_dict(self)


Config = TextConfig


@dataclass(frozen=True)
class SampleConfig:
    """The options of ``rnr text sample``."""
    length: int = setting(500, "texthelp_30", low=1, flag="chars", aliases=("length",))
    temperature: float = setting(1.0, "texthelp_31", above=0.0)
    top_k: int = setting(0, "texthelp_32", low=0)
    seed: int = setting(0, "texthelp_24", low=0, high=SEED_MAX)


@dataclass(frozen=True)
class EvalConfig:
    """The options of ``rnr text eval``; None: the run's own (its config.json)."""
    batch: int | None = setting(None, "text_eval_help_batch", low=1, high=1_000_000)
    window: int | None = setting(None, "text_eval_help_window", low=1, high=1_000_000)


def check_memory(cfg: TextConfig, vocab_size: int) -> None:
    """Parameters with Adam's two moments and the gradient (x 4), and the
    activations a window keeps for the backward pass (about 8 (T, B, H)
    arrays per layer), against physical memory."""
    from rnr import memory

    params = model.param_bytes(cfg.model(vocab_size))
    acts = 4 * 8 * cfg.window * cfg.batch * cfg.hidden * cfg.layers + 4 * cfg.window * cfg.batch * vocab_size * 3
    memory.check_fits(4 * params + acts, "--hidden/--layers/--embed/--batch/--window")


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
