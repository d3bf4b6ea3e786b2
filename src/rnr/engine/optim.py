"""Optimizers by name, through Optax, with optional clipping by global norm
and an optional learning-rate decay per epoch:

    lr(step) = lr * decay ** floor(step / per_epoch)      (decay = 1: constant)

and, for Adam, an optional decoupled weight decay (AdamW, Loshchilov & Hutter 2019):

    w <- w - lr(step) * (adam_update + weight_decay * w)
"""

from __future__ import annotations

from dataclasses import dataclass

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


def make(name: str, lr: float, clip: float | None = None, decay: float = 1.0,
         per_epoch: int = 1, weight_decay: float = 0.0) -> optax.GradientTransformation:
    """``name`` in OPTIMIZERS at learning rate ``lr``; clip the gradient's
    global norm to ``clip`` first when it is given; with ``decay`` < 1 the
    rate is multiplied by ``decay`` after every ``per_epoch`` steps;
    ``weight_decay`` > 0 (Adam only): AdamW's decoupled decay."""
    if name not in OPTIMIZERS:
        raise UserError("unknown_optimizer", name=name, choices=", ".join(OPTIMIZERS))
    if not lr > 0:
        raise UserError("bad_lr", lr=lr)
    rate = lr if decay == 1.0 else optax.exponential_decay(lr, max(1, int(per_epoch)), decay, staircase=True)
    opt = optax.adamw(rate, weight_decay=weight_decay) if weight_decay and name == "adam" else OPTIMIZERS[name](rate)
    if clip is not None:
        if not clip > 0:
            raise UserError("bad_clip", clip=clip)
        opt = optax.chain(optax.clip_by_global_norm(clip), opt)
    return opt


@dataclass(frozen=True)
class Spec:
    """An optimizer by its settings (hashable: compiled programs are kept per Spec)."""
    name: str
    lr: float
    clip: float | None = None
    decay: float = 1.0
    per_epoch: int = 1
    weight_decay: float = 0.0

    def make(self) -> optax.GradientTransformation:
        return make(self.name, self.lr, self.clip, self.decay, self.per_epoch, self.weight_decay)
