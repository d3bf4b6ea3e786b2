"""The convolutional branch of LSTM-FCN (Karim et al. 2017), beside the cells.

Three 1-D convolutions over time, each normalised and rectified, then the
mean over each row's valid steps; with ``width`` N:

    z_1 = relu(norm(conv_8(x)))     (B, T, N)      kernel 8, N filters
    z_2 = relu(norm(conv_5(z_1)))   (B, T, 2N)     kernel 5, 2N filters
    z_3 = relu(norm(conv_3(z_2)))   (B, T, N)      kernel 3, N filters
    c   = mean over valid t of z_3  (B, N)

conv_k(z)[t] = b + sum_{j<k} z[t - (k-1)//2 + j] W[j] ("same" padding: T steps
out; steps outside the row read as 0). ``norm`` is a layer normalisation over
the channels at each step, with a learned scale g and shift beta:

    norm(a)[t] = g * (a[t] - mean_c a[t]) / sqrt(var_c a[t] + 1e-5) + beta

(the paper's batch normalisation needs running statistics kept outside the
parameters; a per-step normalisation depends on the row alone, so training,
scoring and an ensemble's members see the same function). Padding steps are
set to 0 before every convolution, so a row padded past its length gives the
same ``c`` as the row alone.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from rnr.engine.cells.common import dot, uniform

KERNELS = (8, 5, 3)
EPS = 1e-5


def widths(width: int) -> tuple[int, ...]:
    """Filters of the three convolutions: N, 2N, N."""
    return (width, 2 * width, width)


def activation_bytes(rows: int, steps: int, n_in: int, width: int) -> int:
    """float32 bytes of the branch's training, 0 without one: each layer's
    shifted copies (k C_in) and its product, normalised and rectified outputs
    (3 C_out), doubled for XLA's temporaries (measured by XLA's memory analysis:
    1.2-1.5x the single count)."""
    if not width:
        return 0
    c_in, total = n_in, 0
    for k, c_out in zip(KERNELS, widths(width)):
        total += k * c_in + 3 * c_out
        c_in = c_out
    return 2 * 4 * rows * steps * total


def init(key, n_in: int, width: int) -> list[dict]:
    """[{"W": (k, C_in, C_out), "b": (C_out,), "g": (C_out,), "beta": (C_out,)}] x 3,
    W and b uniform in +-1/sqrt(k C_in), as ``torch.nn.Conv1d``."""
    layers, c_in = [], n_in
    for k, key_layer, c_out in zip(KERNELS, jax.random.split(key, len(KERNELS)), widths(width)):
        kw, kb = jax.random.split(key_layer)
        fan_in = k * c_in
        layers.append({"W": uniform(kw, (k, c_in, c_out), "torch", fan_in),
                       "b": uniform(kb, (c_out,), "torch", fan_in),
                       "g": jnp.ones((c_out,), jnp.float32), "beta": jnp.zeros((c_out,), jnp.float32)})
        c_in = c_out
    return layers


def conv1d(z, W, b):
    """z (B, T, C_in), W (k, C_in, C_out) -> (B, T, C_out), "same" padding.

    One product of the k shifted copies of z side by side, (B, T, k C_in) x
    (k C_in, C_out) ("im2col"): inside the training chunk's loop, XLA's CPU
    convolution took 44 ms for a step the product does in 4 (GunPoint's
    shapes, B 16, T 150, N 32; JAX 0.10.2, 2 cores)."""
    k, T = W.shape[0], z.shape[1]
    padded = jnp.pad(z, ((0, 0), ((k - 1) // 2, k // 2), (0, 0)))
    shifted = jnp.concatenate([padded[:, j:j + T] for j in range(k)], axis=-1)
    return dot(shifted, W.reshape(-1, W.shape[-1])) + b


def norm(a, g, beta):
    """Layer normalisation over the last axis (channels)."""
    mu = jnp.mean(a, axis=-1, keepdims=True)
    var = jnp.mean(jnp.square(a - mu), axis=-1, keepdims=True)
    return g * (a - mu) * jax.lax.rsqrt(var + EPS) + beta


def apply(layers: list[dict], xs, lengths=None):
    """xs (T, B, F) -> c (B, N): the branch's summary of each row."""
    z = jnp.swapaxes(xs.astype(jnp.float32), 0, 1)  # (B, T, F)
    B, T = z.shape[:2]
    lengths = jnp.full((B,), T, jnp.int32) if lengths is None else jnp.asarray(lengths, jnp.int32)
    valid = (jnp.arange(T)[None, :] < lengths[:, None])[..., None]  # (B, T, 1)
    for p in layers:
        z = jnp.where(valid, z, 0.0)
        z = jax.nn.relu(norm(conv1d(z, p["W"], p["b"]), p["g"], p["beta"]))
    z = jnp.where(valid, z, 0.0)
    return jnp.sum(z, axis=1) / jnp.maximum(lengths, 1)[:, None].astype(z.dtype)
