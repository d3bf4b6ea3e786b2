"""The tutorial's echo RNN in PyTorch, in two forms, for tests and benchmarks.

- ``train_eager``: the tutorial's explicit per-step cell, step by step in
  eager PyTorch: s_t = tanh([x_t, s_{t-1}] W1 + b1), logits_t = s_t W2 + b2.
- ``train_nn_rnn``: the same model as ``torch.nn.RNN`` + ``torch.nn.Linear``
  (PyTorch keeps two recurrent biases, b_ih and b_hh; b_hh starts at zero).

Both take rnr-shaped parameters ({"layers": [{"W", "b"}], "out": {"W", "b"}}
as NumPy arrays) and windows X, Y of shape (K, w, B), and train with
stateful truncated BPTT and Adagrad exactly as rnr does, so their losses can
be compared window by window.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


def _adagrad(params, lr):
    # Optax and TensorFlow start Adagrad's accumulator at 0.1; PyTorch at 0.
    return torch.optim.Adagrad(params, lr=lr, initial_accumulator_value=0.1, eps=1e-10)


def _tbptt(window_fn, state0, opt, windows):
    """Stateful truncated BPTT: ``window_fn(x, y, state) -> (loss, state)``
    for x, y of shape (w, B); the state is detached at every window edge and
    reset at every epoch. Returns a list of per-epoch loss arrays."""
    all_losses = []
    for X, Y in windows:
        X = torch.tensor(np.asarray(X), dtype=torch.float32)
        Y = torch.tensor(np.asarray(Y), dtype=torch.long)
        state = state0(X.shape[2])
        losses = np.empty(X.shape[0], np.float32)
        for k in range(X.shape[0]):
            loss, state = window_fn(X[k], Y[k], state)
            opt.zero_grad()
            loss.backward()
            opt.step()
            state = state.detach()
            losses[k] = loss.item()
        all_losses.append(losses)
    return all_losses


def train_eager(params, windows, lr: float = 0.3):
    """Train the tutorial's explicit cell; ``windows`` yields (X, Y) per epoch.

    Returns ``(losses, params)``: a list of per-epoch arrays of window losses
    and the trained parameters as NumPy arrays in rnr's layout."""
    W1, b1 = (torch.tensor(np.asarray(params["layers"][0][k]), requires_grad=True) for k in ("W", "b"))
    W2, b2 = (torch.tensor(np.asarray(params["out"][k]), requires_grad=True) for k in ("W", "b"))

    def window(x, y, state):
        step_losses = []
        for t in range(x.shape[0]):
            z = torch.cat([x[t].unsqueeze(1), state], 1)  # [x_t, s_{t-1}]
            state = torch.tanh(z @ W1 + b1)  # s_t
            step_losses.append(F.cross_entropy(state @ W2 + b2, y[t]))
        return torch.stack(step_losses).mean(), state

    losses = _tbptt(window, lambda b: torch.zeros(b, W1.shape[1]), _adagrad([W1, b1, W2, b2], lr), windows)
    trained = {"layers": [{"W": W1.detach().numpy(), "b": b1.detach().numpy()}],
               "out": {"W": W2.detach().numpy(), "b": b2.detach().numpy()}}
    return losses, trained


def train_nn_rnn(params, windows, lr: float = 0.3):
    """The same training with ``torch.nn.RNN`` (one fused call per window)."""
    W = np.asarray(params["layers"][0]["W"])
    hidden = W.shape[1]
    n_in = W.shape[0] - hidden
    rnn = torch.nn.RNN(n_in, hidden, nonlinearity="tanh")
    head = torch.nn.Linear(hidden, np.asarray(params["out"]["W"]).shape[1])
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.tensor(W[:n_in].T))
        rnn.weight_hh_l0.copy_(torch.tensor(W[n_in:].T))
        rnn.bias_ih_l0.copy_(torch.tensor(np.asarray(params["layers"][0]["b"])))
        rnn.bias_hh_l0.zero_()
        head.weight.copy_(torch.tensor(np.asarray(params["out"]["W"]).T))
        head.bias.copy_(torch.tensor(np.asarray(params["out"]["b"])))

    def window(x, y, state):
        out, state = rnn(x.unsqueeze(-1), state)  # (w, B, H)
        logits = head(out)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1)), state

    opt = _adagrad(list(rnn.parameters()) + list(head.parameters()), lr)
    return _tbptt(window, lambda b: torch.zeros(1, b, hidden), opt, windows)
