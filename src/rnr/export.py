"""Export a model's weights to a PyTorch state dict.

The result loads, with ``strict=True``, into

    embedding = torch.nn.Embedding(V, E)        # only for input="embed"
    rnn = torch.nn.LSTM | GRU | RNN(E, H, num_layers=L, bidirectional=...)   # time-major
    linear = torch.nn.Linear(H, V)

under the names ``embedding.weight``, ``rnn.weight_ih_l{k}``,
``rnn.weight_hh_l{k}``, ``rnn.bias_ih_l{k}``, ``rnn.bias_hh_l{k}``,
``linear.weight``, ``linear.bias``. Mapping, for layer k with input width n:

    LSTM   rnr W (n + H, 4H), columns in gate order (f, i, g, o); b (4H,)
           torch wants rows in (i, f, g, o):  P = swap the first two H-blocks
           weight_ih = P(W[:n].T)  (4H, n)      weight_hh = P(W[n:].T)  (4H, H)
           bias_ih   = P(b)                     bias_hh   = 0
    GRU    rnr already uses torch's (r, z, n) and two biases
           weight_ih = Wx.T  weight_hh = Wh.T  bias_ih = bx  bias_hh = bh
    RNN    (tanh) weight_ih = W[:n].T  weight_hh = W[n:].T  bias_ih = b  bias_hh = 0
    Linear weight = out.W.T (V, H), bias = out.b
    Embedding weight = embed (V, E)

torch adds bias_ih and bias_hh, so putting rnr's single bias in one and zero
in the other gives the same pre-activations. A bidirectional layer's backward
cell goes to the ``*_l{k}_reverse`` names; the next layer reads 2H columns.
"""

from __future__ import annotations

import numpy as np

from rnr.errors import UserError

TORCH_CELLS = {"lstm": "LSTM", "gru": "GRU", "rnn": "RNN"}


def _lstm_rows(a: np.ndarray) -> np.ndarray:
    """Rows in rnr's (f, i, g, o) blocks -> torch's (i, f, g, o)."""
    f, i, g, o = np.split(a, 4, axis=0)
    return np.concatenate([i, f, g, o], axis=0)


def torch_state_dict(mcfg, params) -> dict[str, np.ndarray]:
    """{torch name: float32 array} for ``params`` of ``rnr.model`` config ``mcfg``."""
    if mcfg.cell not in TORCH_CELLS:
        raise UserError("export_cell", cell=mcfg.cell)
    sd: dict[str, np.ndarray] = {}
    if mcfg.input == "embed":
        sd["embedding.weight"] = np.asarray(params["embed"])
    n = mcfg.width_in()
    for k, layer in enumerate(params["layers"]):
        directions = [("", layer["fwd"]), ("_reverse", layer["bwd"])] if mcfg.bidirectional else [("", layer)]
        for suffix, p in directions:
            p = {name: np.asarray(v) for name, v in p.items()}
            if mcfg.cell == "gru":
                w_ih, w_hh, b_ih, b_hh = p["Wx"].T, p["Wh"].T, p["bx"], p["bh"]
            else:
                w_ih, w_hh, b_ih = p["W"][:n].T, p["W"][n:].T, p["b"]
                if mcfg.cell == "lstm":
                    w_ih, w_hh, b_ih = _lstm_rows(w_ih), _lstm_rows(w_hh), _lstm_rows(b_ih)
                b_hh = np.zeros_like(b_ih)
            sd[f"rnn.weight_ih_l{k}{suffix}"], sd[f"rnn.weight_hh_l{k}{suffix}"] = w_ih, w_hh
            sd[f"rnn.bias_ih_l{k}{suffix}"], sd[f"rnn.bias_hh_l{k}{suffix}"] = b_ih, b_hh
        n = mcfg.width_out()
    sd["linear.weight"] = np.asarray(params["out"]["W"]).T
    sd["linear.bias"] = np.asarray(params["out"]["b"])
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def torch_metadata(mcfg) -> dict[str, str]:
    """What it takes to build the torch modules, as safetensors string metadata."""
    return {"torch_class": TORCH_CELLS.get(mcfg.cell, ""), "input_size": str(mcfg.width_in()),
            "hidden_size": str(mcfg.hidden), "num_layers": str(mcfg.layers),
            "bidirectional": str(bool(mcfg.bidirectional)).lower(),
            "vocab_size": str(mcfg.n_in), "n_out": str(mcfg.n_out), "input": mcfg.input}
