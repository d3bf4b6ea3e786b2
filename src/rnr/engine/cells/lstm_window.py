"""The LSTM over a whole window with a hand-written backward pass: the layer
``rnr.engine.model`` runs for every plain LSTM layer (``cells.lstm.layer``).

Same function as ``scan.run(cells.lstm, ...)``; only the gradient is computed
differently. Autodiff of a scan accumulates the weight gradient inside the
loop, one small (H, B) x (B, 4H) product per step, and pads the recurrent
slice's gradient back to the full W every step. Here the backward loop only
carries what must be sequential (dh, dc) and emits the pre-activation
gradients dA_t; the weight gradients are then a few large products, as
cuDNN and oneDNN do:

    forward:  U = X W_x + b                        (T, B, 4H), one product
              A_t = U_t + h_{t-1} W_h,  gates (f, i, g, o) and c_t, h_t as in cells/lstm.py
    backward (t = T..1, with dh_t = dL/dh_t from above + dh_t^rec):
              do = dh * tanh(c_t)                  dc = dc_t^rec + dh * o * (1 - tanh(c_t)^2)
              df = dc * c_{t-1}   di = dc * g   dg = dc * i     dc_{t-1}^rec = dc * f
              dA_t = [df f(1-f), di i(1-i), dg (1-g^2), do o(1-o)]
              dh_{t-1}^rec = dA_t W_h^T
    then:     dW_h = H_prev^T dA,  dW_x = X^T dA,  db = sum dA,  dX = dA W_x^T
              (H_prev, X, dA flattened to (T B, .)); dW = [dW_x; dW_h]

The forward computes the three sigmoids and the tanh of the gates with one
tanh over all 4H pre-activations, sigmoid(a) = (1 + tanh(a/2)) / 2 (equal up
to float rounding; about a third faster per step on XLA's CPU backend).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp



def _forward(W, b, h0, c0, xs):
    n_in = W.shape[0] - h0.shape[-1]
    if xs.shape[-1] != n_in:
        raise ValueError(f"the LSTM's weights read inputs of width {n_in}, got width {xs.shape[-1]}")
    Wx, Wh = W[:n_in], W[n_in:]
    us = jnp.einsum("tbi,ij->tbj", xs, Wx) + b

    H = Wh.shape[0]
    is_g = (jnp.arange(4 * H) // H) == 2
    scale = jnp.where(is_g, 1.0, 0.5).astype(xs.dtype)

    def step(carry, u):
        h, c = carry
        # one tanh for all four gates: sigmoid(a) = (1 + tanh(a / 2)) / 2
        t = jnp.tanh((u + h @ Wh) * scale)
        act = jnp.where(is_g, t, 0.5 * t + 0.5)
        f, i, g, o = jnp.split(act, 4, axis=-1)
        c = f * c + i * g
        h = o * jnp.tanh(c)
        return (h, c), (h, c, act)

    (h, c), (hs, cs, gates) = jax.lax.scan(step, (h0, c0), us)
    return (hs, h, c), (hs, cs, gates)


@jax.custom_vjp
def lstm_layer(W, b, h0, c0, xs):
    """(hs (T, B, H), h_T, c_T) of an LSTM with rnr's W (n_in + H, 4H), b (4H,)."""
    return _forward(W, b, h0, c0, xs)[0]


def _fwd(W, b, h0, c0, xs):
    out, (hs, cs, gates) = _forward(W, b, h0, c0, xs)
    return out, (W, h0, c0, xs, hs, cs, gates)


def _bwd(res, cts):
    W, h0, c0, xs, hs, cs, gates = res
    dhs, dhT, dcT = cts
    n_in = xs.shape[-1]
    Wx, Wh = W[:n_in], W[n_in:]
    c_prev = jnp.concatenate([c0[None], cs[:-1]], axis=0)
    h_prev = jnp.concatenate([h0[None], hs[:-1]], axis=0)

    def step(carry, t_in):
        dh_rec, dc_rec = carry
        dh_out, c, cp, gt = t_in
        f, i, g, o = jnp.split(gt, 4, axis=-1)
        dh = dh_out + dh_rec
        tc = jnp.tanh(c)
        dc = dc_rec + dh * o * (1.0 - tc * tc)
        dA = jnp.concatenate([dc * cp * f * (1.0 - f), dc * g * i * (1.0 - i),
                              dc * i * (1.0 - g * g), dh * tc * o * (1.0 - o)], axis=-1)
        return (dA @ Wh.T, dc * f), dA

    (dh0, dc0), dA = jax.lax.scan(step, (dhT, dcT), (dhs, cs, c_prev, gates), reverse=True)
    T, B, G = dA.shape
    dA2 = dA.reshape(T * B, G)
    dWx = xs.reshape(T * B, n_in).T @ dA2
    dWh = h_prev.reshape(T * B, -1).T @ dA2
    dxs = jnp.einsum("tbj,ij->tbi", dA, Wx)
    return jnp.concatenate([dWx, dWh], axis=0), dA2.sum(0), dh0, dc0, dxs


lstm_layer.defvjp(_fwd, _bwd)
