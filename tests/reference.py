"""The tests' one independent NumPy reference, in float64.

Written from the equations in each ``src/rnr/engine/cells/*.py`` docstring, with no
JAX and no rnr import, so that a mistake in rnr cannot hide in it too:

    step(name, p, x, carry)            -> (carry, out, cache)   one time step
    step_backward(name, p, cache, dc)  -> (grads, dx, dcarry)   its gradient
    run(name, p, xs, carry=None)       -> (carry, trace, caches)   a sequence
    run_backward(name, p, caches, dhs) -> (grads, dxs, dcarry)  BPTT
    model_forward(cfg, params, xs, carry=None) -> (carry, logits)
        the whole of ``rnr.engine.model.apply``: encode -> stacked layers -> readout

Cells (``CELLS``), with their parameters as rnr lays them out:

    rnn            W (n_in + H, H), b (H,);            carry (h,)
    lstm           W (n_in + H, 4H), b (4H,), gates f, i, g, o;   carry (h, c)
    lstm_peephole  as lstm, plus pf, pi, po (H,)
    lstm_coupled   W (n_in + H, 3H), b (3H,), gates i, g, o; f = 1 - i
    lstm_nofg      W (n_in + H, 3H), b (3H,), gates i, g, o; f = 1
    gru            Wx (n_in, 3H), Wh (H, 3H), bx, bh (3H,), gates r, z, n
                   (PyTorch's form: n = tanh(x Wxn + bxn + r * (h Whn + bhn)))
    mingru         Wx (n_in, 2H), bx (2H,), blocks z, n;        carry (h,)
    minlstm        Wx (n_in, 3H), bx (3H,), blocks f, i, n;     carry (h,)
    lru            nu_log, theta_log, gamma_log (H,), Wx (n_in, 2H), C (2H, H),
                   D (n_in, H), W_glu (H, 2H), b_glu (2H,);     carry (Re s, Im s)
                   (its output is the GLU's, not the state: see min_run_backward)

Shapes: x (B, n_in), every state (B, H); ``step`` and ``run`` also take
inputs without the batch axis, the backward passes need it. ``out`` is a dict
of every gate and state the cell's ``TRACED`` names, ``out["h"]`` the output.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

LSTMS = ("lstm", "lstm_peephole", "lstm_coupled", "lstm_nofg")
FOUR_BLOCKS = ("lstm", "lstm_peephole")  # the LSTMs with a forget-gate block in W
MIN_CELLS = ("mingru", "minlstm", "lru")  # gates from x_t alone: min_step, min_step_backward below
CELLS = ("rnn", "gru") + LSTMS + MIN_CELLS


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
    if name in MIN_CELLS:
        return p["nu_log"].shape[0] if name == "lru" else p["Wx"].shape[1] // (2 if name == "mingru" else 3)
    if name == "gru":
        return p["Wh"].shape[0]
    if name == "rnn":
        return p["W"].shape[1]
    return p["W"].shape[1] // (4 if name in FOUR_BLOCKS else 3)


def zeros(name, batch_shape, H):
    """The state at the start of a sequence: zeros, (h,) or (h, c)."""
    z = np.zeros((*batch_shape, H))
    return (z, z.copy()) if name in LSTMS or name == "lru" else (z,)


# ---- one step ----------------------------------------------------------------

def step(name, p, x, carry):
    """One time step of cell ``name``: ``(new carry, out, cache)``."""
    if name in MIN_CELLS:
        return min_step(name, p, x, carry)
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
    if name in MIN_CELLS:
        return min_step_backward(name, p, cache, dcarry)
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
    if name == "lru":  # its output is not its carry
        return min_run_backward(name, p, caches, dhs, dcarry)
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
    """``rnr.engine.model.apply`` in NumPy: ``(carry, logits)``, with ``trace=True``
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



# ---- minGRU, minLSTM, LRU: gates from x_t alone -----------------------------------

def g_pos(k):
    """minGRU's positive activation: k + 1/2 for k >= 0, sigmoid(k) below."""
    return np.where(k >= 0, k + 0.5, sigmoid(k))


def g_pos_grad(k):
    return np.where(k >= 0, 1.0, sigmoid(k) * (1 - sigmoid(k)))


GELU_K = np.sqrt(2 / np.pi)


def gelu(y):
    """GELU in its tanh form: y/2 (1 + tanh(sqrt(2/pi) (y + 0.044715 y^3)))."""
    return 0.5 * y * (1 + np.tanh(GELU_K * (y + 0.044715 * y**3)))


def gelu_grad(y):
    t = np.tanh(GELU_K * (y + 0.044715 * y**3))
    return 0.5 * (1 + t) + 0.5 * y * (1 - t**2) * GELU_K * (1 + 3 * 0.044715 * y**2)


def min_step(name, p, x, carry):
    """One step of mingru, minlstm or lru, from their docstrings' equations:
    ``(new carry, out, cache)``."""
    p = as64(p)
    x = np.asarray(x, np.float64)
    carry = tuple(np.asarray(c, np.float64) for c in carry)
    if name == "mingru":
        (h,) = carry
        k_z, k_n = np.split(x @ p["Wx"] + p["bx"], 2, axis=-1)
        z, n = sigmoid(k_z), g_pos(k_n)
        h_new = (1 - z) * h + z * n
        return (h_new,), {"z": z, "n": n, "h": h_new}, (x, h, z, n, k_n)
    if name == "minlstm":
        (h,) = carry
        k_f, k_i, k_n = np.split(x @ p["Wx"] + p["bx"], 3, axis=-1)
        f, i, n = sigmoid(k_f), sigmoid(k_i), g_pos(k_n)
        fp, ip = f / (f + i), i / (f + i)
        h_new = fp * h + ip * n
        return (h_new,), {"f": fp, "i": ip, "n": n, "h": h_new}, (x, h, f, i, n, k_n)
    if name != "lru":
        raise ValueError(f"no NumPy reference for cell {name!r}")
    s_re, s_im = carry
    H = s_re.shape[-1]
    lam = np.exp(-np.exp(p["nu_log"]) + 1j * np.exp(p["theta_log"]))
    bx = x @ p["Wx"][:, :H] + 1j * (x @ p["Wx"][:, H:])  # B x_t
    s = lam * (s_re + 1j * s_im) + np.exp(p["gamma_log"]) * bx
    C = p["C"][:H].T - 1j * p["C"][H:].T  # the complex C (H, H) of Re(C s)
    y = np.real(s @ C.T) + x @ p["D"]
    h_out, v, a, q = y, None, None, None
    if "W_glu" in p:
        v = gelu(y)
        a, q = np.split(v @ p["W_glu"] + p["b_glu"], 2, axis=-1)
        h_out = a * sigmoid(q)
    out = {"re": s.real, "im": s.imag, "y": y, "h": h_out}
    return (s.real, s.imag), out, (x, s_re, s_im, s.real, s.imag, bx, y, v, a, q)


def _lru_backward(p, cache, dcarry, dout):
    """LRU step gradients from dcarry (of the new state) and dout (of the output)."""
    x, s_re, s_im, n_re, n_im, bx, y, v, a, q = cache
    H = s_re.shape[-1]
    grads = {}
    if "W_glu" in p:
        sq = sigmoid(q)
        dw = np.concatenate([dout * sq, dout * a * sq * (1 - sq)], axis=-1)
        grads["W_glu"], grads["b_glu"] = v.T @ dw, dw.sum(0)
        dy = (dw @ p["W_glu"].T) * gelu_grad(y)
    else:
        dy = dout
    S = np.concatenate([n_re, n_im], axis=-1)
    grads["C"], grads["D"] = S.T @ dy, x.T @ dy
    dS = dy @ p["C"].T
    dn_re, dn_im = dS[:, :H] + dcarry[0], dS[:, H:] + dcarry[1]
    mod, ph, gam = np.exp(-np.exp(p["nu_log"])), np.exp(p["theta_log"]), np.exp(p["gamma_log"])
    l_re, l_im = mod * np.cos(ph), mod * np.sin(ph)
    # n_re = l_re s_re - l_im s_im + gam Re(Bx);  n_im = l_re s_im + l_im s_re + gam Im(Bx)
    dl_re = np.sum(dn_re * s_re + dn_im * s_im, axis=0)
    dl_im = np.sum(-dn_re * s_im + dn_im * s_re, axis=0)
    dmod = dl_re * np.cos(ph) + dl_im * np.sin(ph)
    dph = -dl_re * mod * np.sin(ph) + dl_im * mod * np.cos(ph)
    grads["nu_log"] = dmod * mod * -np.exp(p["nu_log"])
    grads["theta_log"] = dph * ph
    grads["gamma_log"] = np.sum(dn_re * bx.real + dn_im * bx.imag, axis=0) * gam
    du = np.concatenate([dn_re * gam, dn_im * gam], axis=-1)
    grads["Wx"] = x.T @ du
    dx = du @ p["Wx"].T + dy @ p["D"].T
    return grads, dx, (dn_re * l_re + dn_im * l_im, -dn_re * l_im + dn_im * l_re)


def min_step_backward(name, p, cache, dcarry, dout=None):
    """Gradients of sum(dcarry * new carry) (+ sum(dout * output) for the LRU)
    with respect to the parameters, x and the previous carry:
    ``(grads, dx, dcarry_prev)``. Batched only."""
    p = as64(p)
    if name == "lru":
        return _lru_backward(p, cache, dcarry, np.zeros_like(dcarry[0]) if dout is None else dout)
    (dh_new,) = dcarry
    if name == "mingru":
        x, h, z, n, k_n = cache
        dk_z = dh_new * (n - h) * z * (1 - z)
        dk_n = dh_new * z * g_pos_grad(k_n)
        du, dh = np.concatenate([dk_z, dk_n], axis=-1), dh_new * (1 - z)
    else:
        x, h, f, i, n, k_n = cache
        s = f + i
        dfp, dip = dh_new * h, dh_new * n
        df, di = (dfp - dip) * i / s**2, (dip - dfp) * f / s**2  # f' = f/s, i' = i/s
        du = np.concatenate([df * f * (1 - f), di * i * (1 - i), dh_new * (i / s) * g_pos_grad(k_n)], axis=-1)
        dh = dh_new * f / s
    return {"Wx": x.T @ du, "bx": du.sum(0)}, du @ p["Wx"].T, (dh,)


def min_run_backward(name, p, caches, dhs, dcarry=None):
    """``run_backward`` for a cell whose output is not its carry (the LRU)."""
    dhs = np.asarray(dhs, np.float64)
    if dcarry is None:
        dcarry = (np.zeros_like(dhs[0]), np.zeros_like(dhs[0]))
    total, dxs = None, []
    for t in reversed(range(len(caches))):
        grads, dx, dcarry = min_step_backward(name, p, caches[t], dcarry, dhs[t])
        total = grads if total is None else {k: total[k] + grads[k] for k in total}
        dxs.append(dx)
    return total, np.stack(dxs[::-1]), dcarry
