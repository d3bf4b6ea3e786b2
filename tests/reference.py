"""The tests' one independent NumPy reference, in float64.

Written from the equations in each ``src/rnr/cells/*.py`` docstring, with no
JAX and no rnr import, so that a mistake in rnr cannot hide in it too:

    step(name, p, x, carry)            -> (carry, out, cache)   one time step
    step_backward(name, p, cache, dc)  -> (grads, dx, dcarry)   its gradient
    run(name, p, xs, carry=None)       -> (carry, trace, caches)   a sequence
    run_backward(name, p, caches, dhs) -> (grads, dxs, dcarry)  BPTT
    model_forward(cfg, params, xs, carry=None) -> (carry, logits)
        the whole of ``rnr.model.apply``: encode -> stacked layers -> readout

Cells (``CELLS``), with their parameters as rnr lays them out:

    rnn            W (n_in + H, H), b (H,);            carry (h,)
    lstm           W (n_in + H, 4H), b (4H,), gates f, i, g, o;   carry (h, c)
    lstm_peephole  as lstm, plus pf, pi, po (H,)
    lstm_coupled   W (n_in + H, 3H), b (3H,), gates i, g, o; f = 1 - i
    lstm_nofg      W (n_in + H, 3H), b (3H,), gates i, g, o; f = 1
    gru            Wx (n_in, 3H), Wh (H, 3H), bx, bh (3H,), gates r, z, n
                   (PyTorch's form: n = tanh(x Wxn + bxn + r * (h Whn + bhn)))

Shapes: x (B, n_in), every state (B, H); ``step`` and ``run`` also take
inputs without the batch axis, the backward passes need it. ``out`` is a dict
of every gate and state the cell's ``TRACED`` names, ``out["h"]`` the output.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

LSTMS = ("lstm", "lstm_peephole", "lstm_coupled", "lstm_nofg")
FOUR_BLOCKS = ("lstm", "lstm_peephole")  # the LSTMs with a forget-gate block in W
CELLS = ("rnn", "gru") + LSTMS


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def as64(tree):
    """A pytree of arrays (dicts, lists, tuples) as float64 NumPy arrays."""
    if isinstance(tree, dict):
        return {k: as64(v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(as64(v) for v in tree)
    return np.asarray(tree, np.float64)


def hidden_size(name, p):
    if name == "gru":
        return p["Wh"].shape[0]
    if name == "rnn":
        return p["W"].shape[1]
    return p["W"].shape[1] // (4 if name in FOUR_BLOCKS else 3)


def zeros(name, batch_shape, H):
    """The state at the start of a sequence: zeros, (h,) or (h, c)."""
    z = np.zeros((*batch_shape, H))
    return (z, z.copy()) if name in LSTMS else (z,)


# ---- one step ----------------------------------------------------------------

def step(name, p, x, carry):
    """One time step of cell ``name``: ``(new carry, out, cache)``."""
    p = as64(p)
    x = np.asarray(x, np.float64)
    carry = tuple(np.asarray(c, np.float64) for c in carry)
    if name == "rnn":
        (h,) = carry
        z = np.concatenate([x, h], axis=-1)
        s = np.tanh(z @ p["W"] + p["b"])
        return (s,), {"h": s}, (z, s)
    if name == "gru":
        (h,) = carry
        H = h.shape[-1]
        ux = x @ p["Wx"] + p["bx"]
        wh = h @ p["Wh"] + p["bh"]
        r = sigmoid(ux[..., :H] + wh[..., :H])
        zg = sigmoid(ux[..., H:2 * H] + wh[..., H:2 * H])
        n = np.tanh(ux[..., 2 * H:] + r * wh[..., 2 * H:])
        h_new = (1 - zg) * n + zg * h
        return (h_new,), {"r": r, "z": zg, "n": n, "h": h_new}, (x, h, wh, r, zg, n)
    if name not in LSTMS:
        raise ValueError(f"no NumPy reference for cell {name!r}")
    h, c = carry
    z = np.concatenate([x, h], axis=-1)
    a = z @ p["W"] + p["b"]
    if name in FOUR_BLOCKS:
        a_f, a_i, a_g, a_o = np.split(a, 4, axis=-1)
    else:
        a_i, a_g, a_o = np.split(a, 3, axis=-1)
    if name == "lstm_peephole":
        a_f = a_f + p["pf"] * c
        a_i = a_i + p["pi"] * c
    i, g = sigmoid(a_i), np.tanh(a_g)
    if name == "lstm_coupled":
        f = 1.0 - i
    elif name == "lstm_nofg":
        f = np.ones_like(i)
    else:
        f = sigmoid(a_f)
    c_new = f * c + i * g
    if name == "lstm_peephole":
        a_o = a_o + p["po"] * c_new
    o = sigmoid(a_o)
    h_new = o * np.tanh(c_new)
    out = {"f": f, "i": i, "g": g, "o": o, "c": c_new, "h": h_new}
    if name == "lstm_nofg":
        del out["f"]
    return (h_new, c_new), out, (z, c, f, i, g, o, c_new)


def step_backward(name, p, cache, dcarry):
    """Gradients of sum(dcarry * new carry) with respect to the parameters,
    x and the previous carry: ``(grads, dx, dcarry_prev)``. Batched only."""
    p = as64(p)
    if name == "rnn":
        z, s = cache
        (ds,) = dcarry
        da = ds * (1 - s**2)
        dz = da @ p["W"].T
        n_in = z.shape[-1] - s.shape[-1]
        return {"W": z.T @ da, "b": da.sum(0)}, dz[:, :n_in], (dz[:, n_in:],)
    if name == "gru":
        x, h, wh, r, zg, n = cache
        (dh_new,) = dcarry
        H = h.shape[-1]
        dn = dh_new * (1 - zg)
        dzg = dh_new * (h - n)
        dan = dn * (1 - n**2)
        dr = dan * wh[:, 2 * H:]
        dar = dr * r * (1 - r)
        daz = dzg * zg * (1 - zg)
        dux = np.concatenate([dar, daz, dan], axis=-1)
        dwh = np.concatenate([dar, daz, dan * r], axis=-1)
        grads = {"Wx": x.T @ dux, "bx": dux.sum(0), "Wh": h.T @ dwh, "bh": dwh.sum(0)}
        return grads, dux @ p["Wx"].T, (dh_new * zg + dwh @ p["Wh"].T,)
    z, c_prev, f, i, g, o, c = cache
    dh, dc = dcarry
    grads = {}
    tc = np.tanh(c)
    da_o = dh * tc * o * (1 - o)
    dct = dc + dh * o * (1 - tc**2)  # everything that reaches C_t
    if name == "lstm_peephole":
        dct = dct + da_o * p["po"]
        grads["po"] = np.sum(da_o * c, axis=0)
    df, di, dg = dct * c_prev, dct * g, dct * i
    if name == "lstm_coupled":
        di = di - df  # f = 1 - i
    da_i = di * i * (1 - i)
    da_g = dg * (1 - g**2)
    dc_prev = dct * f
    if name in FOUR_BLOCKS:
        da_f = df * f * (1 - f)
        da = np.concatenate([da_f, da_i, da_g, da_o], axis=-1)
    else:
        da = np.concatenate([da_i, da_g, da_o], axis=-1)
    if name == "lstm_peephole":
        dc_prev = dc_prev + da_f * p["pf"] + da_i * p["pi"]
        grads["pf"] = np.sum(da_f * c_prev, axis=0)
        grads["pi"] = np.sum(da_i * c_prev, axis=0)
    grads["W"] = z.T @ da
    grads["b"] = da.sum(0)
    dz = da @ p["W"].T
    n_in = z.shape[-1] - c.shape[-1]
    return grads, dz[:, :n_in], (dz[:, n_in:], dc_prev)


# ---- a sequence ----------------------------------------------------------------

def run(name, p, xs, carry=None):
    """Cell ``name`` over xs (T, [B,] n_in) from ``carry`` (zeros if None):
    ``(final carry, trace, caches)``, trace a dict of (T, [B,] H) arrays."""
    xs = np.asarray(xs, np.float64)
    if carry is None:
        carry = zeros(name, xs.shape[1:-1], hidden_size(name, p))
    outs, caches = [], []
    for x in xs:
        carry, out, cache = step(name, p, x, carry)
        outs.append(out)
        caches.append(cache)
    trace = {k: np.stack([o[k] for o in outs]) for k in outs[0]}
    return carry, trace, caches


def run_backward(name, p, caches, dhs, dcarry=None):
    """Backpropagation through time: gradients of
    sum(dhs * hs) + sum(dcarry * final carry), as ``(grads, dxs, dcarry0)``
    with dcarry0 the gradient with respect to the initial carry."""
    dhs = np.asarray(dhs, np.float64)
    if dcarry is None:
        dcarry = tuple(np.zeros_like(dhs[0]) for _ in range(2 if name in LSTMS else 1))
    total, dxs = None, []
    for t in reversed(range(len(caches))):
        dcarry = (dcarry[0] + dhs[t],) + tuple(dcarry[1:])  # carry[0] is h for every cell
        grads, dx, dcarry = step_backward(name, p, caches[t], dcarry)
        total = grads if total is None else {k: total[k] + grads[k] for k in total}
        dxs.append(dx)
    return total, np.stack(dxs[::-1]), dcarry


# ---- the model -------------------------------------------------------------------

def encode(cfg, params, xs):
    """What the first layer reads: (T, B, n_in') from raw inputs."""
    xs = np.asarray(xs)
    if cfg.input == "embed":
        return np.asarray(params["embed"], np.float64)[xs]
    if cfg.input == "onehot":
        return np.eye(cfg.n_in)[xs]
    xs = xs.astype(np.float64)
    return xs[..., None] if xs.ndim == 2 else xs


def model_forward(cfg, params, xs, carry=None, masks=None, trace=False):
    """``rnr.model.apply`` in NumPy: ``(carry, logits)``, with ``trace=True``
    ``(carry, logits, traces)`` (one dict per layer).

    ``cfg`` needs ``cell``, ``input`` and, for one-hot inputs, ``n_in`` (a
    ``ModelConfig`` will do). ``masks``: {layer n: array}, multiplied into
    the input of layer n (dropout's scaled keep-mask, drawn by the test).
    """
    h = encode(cfg, params, xs)
    new_carry, traces = [], []
    for n, p in enumerate(params["layers"]):
        if masks is not None and n in masks:
            h = h * np.asarray(masks[n], np.float64)
        c, tr, _ = run(cfg.cell, p, h, None if carry is None else as64(carry[n]))
        h = tr["h"]
        new_carry.append(c)
        traces.append(tr)
    out = as64(params["out"])
    logits = h @ out["W"] + out["b"]
    if trace:
        return tuple(new_carry), logits, traces
    return tuple(new_carry), logits


def embed_lstm_forward(params, ids):
    """An embed -> LSTM layers -> linear model over one stream of ids (T,):
    ``(logits (T, V), last layer's (h, c))``, unbatched."""
    cfg = SimpleNamespace(cell="lstm", input="embed")
    carry, logits = model_forward(cfg, params, np.asarray(ids)[:, None])
    return logits[:, 0], tuple(a[0] for a in carry[-1])


def log_softmax(logits):
    z = logits - logits.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))

