"""Every setting that more than one command has, declared once.

Each function gives a config field with the flag's one range, one help text
and one ``--resume`` rule; a command passes only its own default:

    hidden: int = flags.hidden(256)

so ``--batch`` accepts the same values in ``rnr eco``, ``text train``, ``series
train`` and ``sweep``, and its help shows each command's own default
(``{default}``). ``tests/test_flags.py`` checks that a setting of the same
name has the same rules in every command.
"""

from __future__ import annotations

from rnr.engine import cells
from rnr.engine.cells.common import INITS
from rnr.engine.optim import OPTIMIZERS
from rnr.settings import SEED_MAX, setting

COUNT_MAX = 10**12  # epochs, steps: far beyond any run (with a time budget, a huge limit means none)


def _cell_names() -> tuple[str, ...]:
    return tuple(cells.CELLS)


def cell(default: str):
    return setting(default, "flag_cell", choices=_cell_names)


def layers(default: int = 1):
    return setting(default, "flag_layers", low=1, high=1000)


def hidden(default: int):
    return setting(default, "flag_hidden", low=1, high=100_000)


def dropout(default: float = 0.0):
    return setting(default, "flag_dropout", low=0, below=1)


def check_dropout_layers(cfg) -> None:
    """``--dropout`` drops units between stacked layers only (as
    ``torch.nn.LSTM(dropout=...)``), so with one layer it would change nothing:
    refused in one sentence, where PyTorch only warns."""
    from rnr.errors import UserError

    if cfg.dropout > 0 and cfg.layers == 1:
        raise UserError("dropout_one_layer", rate=f"{cfg.dropout:g}")


def batch(default: int | None):
    return setting(default, "flag_batch", low=1, high=1_000_000)


def window(default: int | None):
    return setting(default, "flag_window", low=1, high=1_000_000)


def series_length(default: int):
    """Steps in each epoch's random series (echo)."""
    return setting(default, "flag_series_length", low=1, high=10**9, flag="series-length",
                   aliases=("length", "series"))  # old spellings, hidden


def optimizer(default: str):
    return setting(default, "flag_optimizer", choices=tuple(OPTIMIZERS))


def lr(default: float):
    return setting(default, "flag_lr", above=0, resume=True)


def clip(default: float | None):
    return setting(default, "flag_clip", above=0, zero_is_none=True)


def init(default: str):
    return setting(default, "flag_init", choices=INITS)


def forget_bias(default: float = 0.0):
    return setting(default, "flag_forget_bias")


def epochs(default: int):
    return setting(default, "flag_epochs", low=0, high=COUNT_MAX, resume=True)


def steps(default: int = 0):
    return setting(default, "flag_steps", low=0, high=COUNT_MAX, resume=True)


def time_budget(default: float = 0.0):
    return setting(default, "flag_time_budget", low=0, high=10**7, resume=True)


def chunk(default: int):
    return setting(default, "flag_chunk", low=0, high=COUNT_MAX, resume=True)


def eval_every(default: int):
    return setting(default, "flag_eval_every", low=1, high=COUNT_MAX, resume=True)


def val_fraction(default: float):
    return setting(default, "flag_val_fraction", above=0, below=1)


def seed(default: int = 0):
    return setting(default, "flag_seed", low=0, high=SEED_MAX)


def chars(default: int):
    """Characters written (sampling) or shown (the neuron page)."""
    return setting(default, "flag_chars", low=1, high=200_000, flag="chars", aliases=("length",))  # old, hidden


def devices(default: int):
    return setting(default, "flag_devices", low=0, high=4096, resume=True)
