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


def train_eager(params, windows, lr: float = 0.3):
    """Train the tutorial's explicit cell; ``windows`` yields (X, Y) per epoch.

    Returns ``(losses, params)``: a list of per-epoch arrays of window losses
    and the trained parameters as NumPy arrays in rnr's layout."""
    W1 = torch.tensor(np.asarray(params["layers"][0]["W"]), requires_grad=True)
    b1 = torch.tensor(np.asarray(params["layers"][0]["b"]), requires_grad=True)
    W2 = torch.tensor(np.asarray(params["out"]["W"]), requires_grad=True)
    b2 = torch.tensor(np.asarray(params["out"]["b"]), requires_grad=True)
    opt = _adagrad([W1, b1, W2, b2], lr)
    hidden = W1.shape[1]
    all_losses = []
    for X, Y in windows:
        X = torch.tensor(np.asarray(X), dtype=torch.float32)
        Y = torch.tensor(np.asarray(Y), dtype=torch.long)
        state = torch.zeros(X.shape[2], hidden)
        losses = np.empty(X.shape[0], np.float32)
        for k in range(X.shape[0]):
            step_losses = []
            for t in range(X.shape[1]):
                z = torch.cat([X[k, t].unsqueeze(1), state], 1)
                state = torch.tanh(z @ W1 + b1)
                step_losses.append(F.cross_entropy(state @ W2 + b2, Y[k, t]))
            loss = torch.stack(step_losses).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            state = state.detach()
            losses[k] = loss.item()
        all_losses.append(losses)
    trained = {"layers": [{"W": W1.detach().numpy(), "b": b1.detach().numpy()}],
               "out": {"W": W2.detach().numpy(), "b": b2.detach().numpy()}}
    return all_losses, trained


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
    opt = _adagrad(list(rnn.parameters()) + list(head.parameters()), lr)
    all_losses = []
    for X, Y in windows:
        X = torch.tensor(np.asarray(X), dtype=torch.float32).unsqueeze(-1)  # (K, w, B, 1)
        Y = torch.tensor(np.asarray(Y), dtype=torch.long)
        state = torch.zeros(1, X.shape[2], hidden)
        losses = np.empty(X.shape[0], np.float32)
        for k in range(X.shape[0]):
            out, state = rnn(X[k], state)
            logits = head(out)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), Y[k].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            state = state.detach()
            losses[k] = loss.item()
        all_losses.append(losses)
    return all_losses
