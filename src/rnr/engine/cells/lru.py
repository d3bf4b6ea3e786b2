"""The Linear Recurrent Unit (Orvieto et al. 2023, "Resurrecting Recurrent Neural
Networks for Long Sequences", arXiv 2303.06349): a complex diagonal linear
recurrence, then the paper's block nonlinearity, so a window trains with a
parallel scan.

    lambda = exp(-exp(nu) + i exp(theta))       per-unit complex decay, |lambda| < 1 always
    gamma = exp(gamma_log)                      input normalisation, init sqrt(1 - |lambda|^2)
    s_t = lambda * s_{t-1} + gamma * (B x_t)    complex state (B complex, n_in -> H)
    y_t = Re(C s_t) + D x_t                     real readout (C complex H -> H, D real n_in -> H)
    h_t = (W_a v_t + b_a) * sigmoid(W_g v_t + b_g),  v_t = gelu(y_t)    the paper's GLU, the output

Without the GLU (``init(..., glu=False)``) the output is y_t, and a model of
LRU layers and a linear readout is linear in its inputs: the GLU is the
nonlinearity the paper puts after every LRU in its blocks.

Initialisation (the paper's ring): |lambda| = r uniform on the ring area
r_min <= r <= r_max, arg(lambda) uniform in [0, max_phase]; B, C complex
normal scaled by 1/sqrt(2 n_in) and 1/sqrt(H); D normal / sqrt(n_in); the
GLU as ``scheme`` says.

Checkpoints hold real arrays only (safetensors has no complex dtype), so
parameters and the carry are real/imaginary pairs:
    nu_log, theta_log, gamma_log: (H,)
    Wx: (n_in, 2H) = [Re B^T | Im B^T]     C: (2H, H) = [Re C^T; -Im C^T], so Re(C s) = [Re s, Im s] C
    D: (n_in, H)     W_glu: (H, 2H) = [W_a | W_g]     b_glu: (2H,)
Carry: ``(Re s, Im s)``, each (batch, H). Traces: ``re``, ``im`` (the
state), ``y`` and ``h`` (the output). ``forget_bias`` does not apply.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from rnr.engine.cells import linear_scan
from rnr.engine.cells.common import bias, check_width, dot, sigmoid, uniform

GATE_ORDER = ("re", "im")
GATES = ()
TRACED = ("re", "im", "y", "h")

TORCH = None  # no torch module: exported as rnr holds it, with ``numpy_forward`` (rnr.export.torch)
R_MIN, R_MAX, MAX_PHASE = 0.9, 0.999, 2 * math.pi  # the paper's ring
METHOD = None  # ``layer``'s scan (linear_scan.METHODS); None: linear_scan.default_method()


def init(key, n_in: int, n_hidden: int, scheme: str = "torch", r_min: float = R_MIN, r_max: float = R_MAX,
         max_phase: float = MAX_PHASE, glu: bool = True, **_):
    H = n_hidden
    k1, k2, k3, k4, k5, k6, k7 = jax.random.split(key, 7)
    u1 = jax.random.uniform(k1, (H,))
    u2 = jax.random.uniform(k2, (H,))
    nu_log = jnp.log(-0.5 * jnp.log(u1 * (r_max**2 - r_min**2) + r_min**2))  # |lambda|^2 uniform
    theta_log = jnp.log(max_phase * u2 + 1e-12)
    modulus = jnp.exp(-jnp.exp(nu_log))
    params = {
        "nu_log": nu_log,
        "theta_log": theta_log,
        "gamma_log": jnp.log(jnp.sqrt(1.0 - modulus**2)),
        "Wx": jax.random.normal(k3, (n_in, 2 * H)) / math.sqrt(2 * n_in),
        "C": jax.random.normal(k4, (2 * H, H)) / math.sqrt(H),
        "D": jax.random.normal(k5, (n_in, H)) / math.sqrt(n_in),
    }
    if glu:
        params["W_glu"] = uniform(k6, (H, 2 * H), scheme, H)
        params["b_glu"] = bias(k7, (2 * H,), scheme, H)
    return {k: v.astype(jnp.float32) for k, v in params.items()}


def inputs(params, x):
    """[Re(B x), Im(B x), D x], shape (..., 3H): the input half of each step."""
    return jnp.concatenate([dot(x, params["Wx"]), dot(x, params["D"])], axis=-1)


def decay(params):
    """(Re lambda, Im lambda, gamma), each (H,)."""
    modulus = jnp.exp(-jnp.exp(params["nu_log"]))
    phase = jnp.exp(params["theta_log"])
    return modulus * jnp.cos(phase), modulus * jnp.sin(phase), jnp.exp(params["gamma_log"])


def gelu(y):
    """GELU, tanh form (jax.nn.gelu's default): y/2 (1 + tanh(sqrt(2/pi) (y + 0.044715 y^3)))."""
    return jax.nn.gelu(y, approximate=True)


def _output(params, s_re, s_im, u_d):
    """y = Re(C s) + D x, then the GLU when the parameters have one: (y, h)."""
    y = dot(jnp.concatenate([s_re, s_im], axis=-1), params["C"]) + u_d
    if "W_glu" not in params:
        return y, y
    a, gate = jnp.split(dot(gelu(y), params["W_glu"]) + params["b_glu"], 2, axis=-1)
    return y, a * sigmoid(gate)


def step(params, carry, u, trace: bool = False):
    """One time step; ``u`` is ``inputs(params, x_t)``."""
    s_re, s_im = carry
    u_re, u_im, u_d = jnp.split(u, 3, axis=-1)
    l_re, l_im, gamma = decay(params)
    s_re, s_im = (l_re * s_re - l_im * s_im + gamma * u_re,  # s_t = lambda s_{t-1} + gamma B x_t
                  l_re * s_im + l_im * s_re + gamma * u_im)
    y, h = _output(params, s_re, s_im, u_d)  # y_t = Re(C s_t) + D x_t; h_t = GLU(gelu(y_t))
    out = {"re": s_re, "im": s_im, "y": y, "h": h} if trace else h
    return (s_re, s_im), out


def zeros(batch_shape, n_hidden: int):
    """The carry at the start of a sequence: s = 0 (real and imaginary parts)."""
    z = jnp.zeros((*batch_shape, n_hidden), jnp.float32)
    return (z, z)


def layer(params, carry, xs, mask=None, method: str | None = None):
    """The whole window in parallel (a complex ``linear_scan.scan``):
    xs (T, B, n_in) -> (carry, hs (T, B, H)), equal to stepping; ``mask`` (T, B)
    as ``scan.run_masked``."""
    s_re, s_im = carry
    check_width(params, xs.shape[-1], s_re.shape[-1])
    u_re, u_im, u_d = jnp.split(inputs(params, xs), 3, axis=-1)
    l_re, l_im, gamma = decay(params)
    lam = jax.lax.complex(l_re, l_im)
    b = jax.lax.complex(gamma * u_re, gamma * u_im)
    sT, ss = linear_scan.scan(jnp.broadcast_to(lam, b.shape), b, jax.lax.complex(s_re, s_im), mask, method or METHOD or linear_scan.default_method())
    _, hs = _output(params, jnp.real(ss), jnp.imag(ss), u_d)
    if mask is not None:
        hs = jnp.where(mask[:, :, None] > 0, hs, 0.0)  # padding shows nothing (the GLU of 0 is not 0)
    return (jnp.real(sT), jnp.imag(sT)), hs


def numpy_forward(p: dict, xs: np.ndarray) -> np.ndarray:
    """The layer in NumPy (complex arithmetic) from a zero state, for exported
    weights: xs (T, B, n) -> y (T, B, H)."""
    H = p["nu_log"].shape[0]
    lam = np.exp(-np.exp(p["nu_log"]) + 1j * np.exp(p["theta_log"]))
    C = p["C"][:H].T - 1j * p["C"][H:].T  # complex (H, H): Re(C s) = [Re s, Im s] @ p["C"]
    s = np.zeros(xs.shape[1:2] + (H,), complex)
    outs = []
    for x in xs:
        s = lam * s + np.exp(p["gamma_log"]) * (x @ p["Wx"][:, :H] + 1j * (x @ p["Wx"][:, H:]))
        y = np.real(s @ C.T) + x @ p["D"]
        if "W_glu" in p:
            v = 0.5 * y * (1 + np.tanh(np.sqrt(2 / np.pi) * (y + 0.044715 * y**3)))  # gelu (tanh form)
            a, gate = np.split(v @ p["W_glu"] + p["b_glu"], 2, axis=-1)
            y = a * (1.0 / (1.0 + np.exp(-gate)))
        outs.append(y)
    return np.stack(outs)
