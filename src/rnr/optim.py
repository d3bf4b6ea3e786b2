"""Optimizers by name, through Optax, with optional clipping by global norm."""

from __future__ import annotations

import optax

from rnr.errors import UserError

OPTIMIZERS = {
    # Adagrad's accumulator starts at 0.1, as in TensorFlow's AdagradOptimizer
    # that the tutorial uses (and Optax's default).
    "adagrad": lambda lr: optax.adagrad(lr, initial_accumulator_value=0.1),
    "adam": optax.adam,
    "sgd": optax.sgd,
    "rmsprop": optax.rmsprop,
}


def make(name: str, lr: float, clip: float | None = None) -> optax.GradientTransformation:
    """``name`` in OPTIMIZERS at learning rate ``lr``; clip the gradient's
    global norm to ``clip`` first when it is given."""
    if name not in OPTIMIZERS:
        raise UserError("unknown_optimizer", name=name, choices=", ".join(OPTIMIZERS))
    if not lr > 0:
        raise UserError("bad_lr", lr=lr)
    opt = OPTIMIZERS[name](lr)
    if clip is not None:
        if not clip > 0:
            raise UserError("bad_clip", clip=clip)
        opt = optax.chain(optax.clip_by_global_norm(clip), opt)
    return opt
