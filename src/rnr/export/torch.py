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

A convolutional branch (``--conv N``, ``rnr.engine.conv``) adds, for layer
i = 0, 1, 2 with kernel k = 8, 5, 3:

    conv.{i}.weight  W.transpose(2, 1, 0) (C_out, C_in, k)   torch.nn.Conv1d(C_in, C_out, k, padding="same")
    conv.{i}.bias    b                                        (zeros at padding steps before each one)
    norm.{i}.weight  g,  norm.{i}.bias  beta                  torch.nn.LayerNorm(C_out, eps=1e-5) over channels
    c = the mean over each row's valid steps of relu(norm(conv(z))) after the third

and ``linear`` then reads [pooled, c] (H' + N columns); metadata ``conv`` = N.

torch adds bias_ih and bias_hh, so putting rnr's single bias in one and zero
in the other gives the same pre-activations. A bidirectional layer's backward
cell goes to the ``*_l{k}_reverse`` names; the next layer reads 2H columns.

mingru, minlstm and lru have no torch module. Their weights are exported as
rnr holds them (x @ W layout, documented in ``rnr/engine/cells/<cell>.py``) under
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

from rnr.engine import cells
from rnr.errors import UserError


def torch_state_dict(mcfg, params) -> dict[str, np.ndarray]:
    """{torch name: float32 array} for ``params`` of ``rnr.engine.model`` config ``mcfg``."""
    cell = cells.get(mcfg.cell)
    if cell.TORCH is None:
        if getattr(cell, "numpy_forward", None) is None:
            raise UserError("export_cell", cell=mcfg.cell)
        return reference_state_dict(mcfg, params)
    sd: dict[str, np.ndarray] = {}
    if mcfg.input == "embed":
        sd["embedding.weight"] = np.asarray(params["embed"])
    n = mcfg.width_in()
    for k, layer in enumerate(params["layers"]):
        directions = [("", layer["fwd"]), ("_reverse", layer["bwd"])] if mcfg.bidirectional else [("", layer)]
        for suffix, p in directions:
            w_ih, w_hh, b_ih, b_hh = cell.torch_weights(p, n)
            sd[f"rnn.weight_ih_l{k}{suffix}"], sd[f"rnn.weight_hh_l{k}{suffix}"] = w_ih, w_hh
            sd[f"rnn.bias_ih_l{k}{suffix}"], sd[f"rnn.bias_hh_l{k}{suffix}"] = b_ih, b_hh
        n = mcfg.width_out()
    sd["linear.weight"] = np.asarray(params["out"]["W"]).T
    sd["linear.bias"] = np.asarray(params["out"]["b"])
    sd.update(conv_state_dict(params.get("conv", [])))
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def conv_state_dict(layers: list) -> dict[str, np.ndarray]:
    """The convolutional branch under torch.nn.Conv1d and LayerNorm names."""
    sd = {}
    for i, p in enumerate(layers):
        sd[f"conv.{i}.weight"] = np.asarray(p["W"]).transpose(2, 1, 0)
        sd[f"conv.{i}.bias"] = np.asarray(p["b"])
        sd[f"norm.{i}.weight"], sd[f"norm.{i}.bias"] = np.asarray(p["g"]), np.asarray(p["beta"])
    return sd


def torch_metadata(mcfg) -> dict[str, str]:
    """What it takes to build the torch modules, as safetensors string metadata."""
    cell = cells.get(mcfg.cell)
    return {"torch_class": cell.TORCH or "", "input_size": str(mcfg.width_in()),
            "hidden_size": str(mcfg.hidden), "num_layers": str(mcfg.layers),
            "bidirectional": str(bool(mcfg.bidirectional)).lower(),
            "vocab_size": str(mcfg.n_in), "n_out": str(mcfg.n_out), "input": mcfg.input, "conv": str(mcfg.conv),
            **({"reference_cell": mcfg.cell, "reference_forward": "rnr.export.torch.reference_forward"}
               if cell.TORCH is None else {})}


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
    sd.update(conv_state_dict(params.get("conv", [])))
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def reference_forward(sd: dict, metadata: dict, xs) -> np.ndarray:
    """Logits (T, B, n_out) of an exported mingru, minlstm or lru model, in NumPy
    float64, from a zero state: ``xs`` (T, B) ids (input embed or onehot) or
    (T, B, n_in) features (vector), every sequence full length. The backward
    direction of a bidirectional layer reads the window reversed; each layer
    reads the previous one's [forward, backward] outputs."""
    if metadata.get("conv", "0") != "0":
        raise ValueError("reference_forward runs the cells and the readout at every step; this model also has "
                         "a convolutional branch over whole sequences (conv.*), which it does not run")
    sd = {k: np.asarray(v, np.float64) for k, v in sd.items()}
    forward, kind = cells.get(metadata["reference_cell"]).numpy_forward, metadata["input"]
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
        out = forward(params(""), h)
        if metadata["bidirectional"] == "true":
            out = np.concatenate([out, forward(params("_reverse"), h[::-1])[::-1]], axis=-1)
        h = out
    return h @ sd["linear.weight"].T + sd["linear.bias"]
