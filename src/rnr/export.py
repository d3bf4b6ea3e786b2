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

mingru, minlstm and lru have no torch module. Their weights are exported as
rnr holds them (x @ W layout, documented in ``rnr/cells/<cell>.py``) under
``rnn.l{k}[_reverse].{name}`` (e.g. ``rnn.l0.Wx``), with ``embedding.weight``
and ``linear.*`` as above, metadata ``reference_cell`` = the cell, and
``reference_forward`` below runs them: a NumPy forward of the whole model
(float64), a few lines per cell, to port to any framework:

    mingru   z, n = split(x Wx + bx);  h = (1 - sigmoid(z)) h + sigmoid(z) g(n)
    minlstm  f, i, n = sigmoid/sigmoid/g of split(x Wx + bx);  h = (f h + i g) / (f + i)
    lru      s = lambda s + gamma (B x);  y = Re(C s) + D x;  h = GLU(gelu(y))
"""

from __future__ import annotations

import numpy as np

from rnr.errors import UserError

TORCH_CELLS = {"lstm": "LSTM", "gru": "GRU", "rnn": "RNN"}
REFERENCE_CELLS = ("mingru", "minlstm", "lru")  # exported with reference_forward instead


def _lstm_rows(a: np.ndarray) -> np.ndarray:
    """Rows in rnr's (f, i, g, o) blocks -> torch's (i, f, g, o)."""
    f, i, g, o = np.split(a, 4, axis=0)
    return np.concatenate([i, f, g, o], axis=0)


def torch_state_dict(mcfg, params) -> dict[str, np.ndarray]:
    """{torch name: float32 array} for ``params`` of ``rnr.model`` config ``mcfg``."""
    if mcfg.cell in REFERENCE_CELLS:
        return reference_state_dict(mcfg, params)
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
            "vocab_size": str(mcfg.n_in), "n_out": str(mcfg.n_out), "input": mcfg.input,
            **({"reference_cell": mcfg.cell, "reference_forward": "rnr.export.reference_forward"}
               if mcfg.cell in REFERENCE_CELLS else {})}


def reference_state_dict(mcfg, params) -> dict[str, np.ndarray]:
    """{name: float32 array} of a mingru, minlstm or lru model, as rnr holds it."""
    sd: dict[str, np.ndarray] = {}
    if mcfg.input == "embed":
        sd["embedding.weight"] = np.asarray(params["embed"])
    for k, layer in enumerate(params["layers"]):
        directions = [("", layer["fwd"]), ("_reverse", layer["bwd"])] if mcfg.bidirectional else [("", layer)]
        for suffix, p in directions:
            for name, v in p.items():
                sd[f"rnn.l{k}{suffix}.{name}"] = np.asarray(v)
    sd["linear.weight"] = np.asarray(params["out"]["W"]).T
    sd["linear.bias"] = np.asarray(params["out"]["b"])
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _g(k):
    """minGRU's positive activation: k + 1/2 for k >= 0, sigmoid(k) below."""
    return np.where(k >= 0, k + 0.5, _sigmoid(np.minimum(k, 0.0)))


def _reference_cell(cell: str, p: dict, xs: np.ndarray) -> np.ndarray:
    """One direction of one layer over xs (T, B, n) from a zero state: (T, B, H)."""
    outs = []
    if cell == "lru":
        H = p["nu_log"].shape[0]
        lam = np.exp(-np.exp(p["nu_log"]) + 1j * np.exp(p["theta_log"]))
        C = p["C"][:H].T - 1j * p["C"][H:].T  # complex (H, H): Re(C s) = [Re s, Im s] @ p["C"]
        s = np.zeros(xs.shape[1:2] + (H,), complex)
        for x in xs:
            s = lam * s + np.exp(p["gamma_log"]) * (x @ p["Wx"][:, :H] + 1j * (x @ p["Wx"][:, H:]))
            y = np.real(s @ C.T) + x @ p["D"]
            if "W_glu" in p:
                v = 0.5 * y * (1 + np.tanh(np.sqrt(2 / np.pi) * (y + 0.044715 * y**3)))  # gelu (tanh form)
                a, gate = np.split(v @ p["W_glu"] + p["b_glu"], 2, axis=-1)
                y = a * _sigmoid(gate)
            outs.append(y)
        return np.stack(outs)
    H = p["bx"].shape[0] // (2 if cell == "mingru" else 3)
    h = np.zeros(xs.shape[1:2] + (H,))
    for x in xs:
        if cell == "mingru":
            k_z, k_n = np.split(x @ p["Wx"] + p["bx"], 2, axis=-1)
            z = _sigmoid(k_z)
            h = (1 - z) * h + z * _g(k_n)
        else:
            k_f, k_i, k_n = np.split(x @ p["Wx"] + p["bx"], 3, axis=-1)
            f, i = _sigmoid(k_f), _sigmoid(k_i)
            h = (f * h + i * _g(k_n)) / (f + i)
        outs.append(h)
    return np.stack(outs)


def reference_forward(sd: dict, metadata: dict, xs) -> np.ndarray:
    """Logits (T, B, n_out) of an exported mingru, minlstm or lru model, in NumPy
    float64, from a zero state: ``xs`` (T, B) ids (input embed or onehot) or
    (T, B, n_in) features (vector), every sequence full length. The backward
    direction of a bidirectional layer reads the window reversed; each layer
    reads the previous one's [forward, backward] outputs."""
    sd = {k: np.asarray(v, np.float64) for k, v in sd.items()}
    cell, kind = metadata["reference_cell"], metadata["input"]
    if kind == "embed":
        h = sd["embedding.weight"][np.asarray(xs)]
    elif kind == "onehot":
        h = np.eye(int(metadata["vocab_size"]))[np.asarray(xs)]
    else:
        h = np.asarray(xs, np.float64)
        h = h[..., None] if h.ndim == 2 else h
    for k in range(int(metadata["num_layers"])):
        def params(suffix):
            prefix = f"rnn.l{k}{suffix}."
            return {n[len(prefix):]: v for n, v in sd.items() if n.startswith(prefix)}
        out = _reference_cell(cell, params(""), h)
        if metadata["bidirectional"] == "true":
            out = np.concatenate([out, _reference_cell(cell, params("_reverse"), h[::-1])[::-1]], axis=-1)
        h = out
    return h @ sd["linear.weight"].T + sd["linear.bias"]
