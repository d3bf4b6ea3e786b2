"""Every per-step quantity of a trained model, as NumPy arrays.

``collect(cfg, params, xs)`` runs the model over ``xs`` (time-major,
(T, B) symbols or bits, or (T, B, n_in) features) and returns a ``Traces``:

    layers[l][name]   (T, B, H)      for each name in the cell's ``TRACED``:
        lstm: f forget gate, i input gate, g candidate, o output gate,
              c cell state, h hidden state
        gru:  r reset gate, z update gate, n candidate, h hidden state
        rnn:  h hidden state
    logits            (T, B, n_out)  the readout before the softmax
    probs             (T, B, n_out)  softmax(logits)
    pred              (T, B)         argmax of the logits
    carry             the state after the last step (per layer, as the cell keeps it)

Gates (f, i, o, r, z) lie in [0, 1]; candidates and hidden states in [-1, 1];
the LSTM cell state c is unbounded. ``QUANTITY`` names each key for people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jax
import numpy as np

from rnr.engine import cells, model

# what each traced key is, for labels and menus (message keys in messages/view.py)
QUANTITY = {
    "f": "view_q_forget", "i": "view_q_input", "o": "view_q_output", "g": "view_q_candidate",
    "c": "view_q_cell", "h": "view_q_hidden", "r": "view_q_reset", "z": "view_q_update",
    "n": "view_q_candidate", "re": "view_q_lru_re", "im": "view_q_lru_im", "y": "view_q_lru_y",
}
GATE_KEYS = ("f", "i", "o", "r", "z")
CANDIDATE_KEYS = ("g", "n")


@dataclass
class Traces:
    layers: list[dict[str, np.ndarray]]
    logits: np.ndarray
    probs: np.ndarray
    pred: np.ndarray
    carry: tuple = field(default=())

    def names(self) -> tuple[str, ...]:
        """The traced keys of every layer (the cell's ``TRACED``)."""
        return tuple(self.layers[0]) if self.layers else ()


_apply = jax.jit(model.apply, static_argnums=(0,), static_argnames=("trace",))


def collect(cfg: model.ModelConfig, params, xs, carry=None) -> Traces:
    """Run ``cfg``'s model over ``xs`` from ``carry`` (default: zeros) and
    return every gate and state at every step; see the module docstring."""
    xs = np.asarray(xs)
    if carry is None:
        carry = model.zeros(cfg, xs.shape[1])
    new_carry, logits, layers = _apply(cfg, params, carry, xs, trace=True)
    logits = np.asarray(logits, np.float64)
    z = logits - logits.max(-1, keepdims=True)
    probs = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
    order = cells.get(cfg.cell).TRACED  # the cell's own order (JAX returns dict keys sorted)
    layers = [{k: np.asarray(d[k]) for k in order} for d in layers]
    carry_np = jax.tree_util.tree_map(np.asarray, new_carry)
    return Traces(layers=layers, logits=logits.astype(np.float32), probs=probs.astype(np.float32),
                  pred=logits.argmax(-1), carry=carry_np)
