"""A linear recurrence over a whole window in O(log T) depth: the parallel
(associative) scan the cells ``mingru``, ``minlstm`` and ``lru`` train with.

The recurrence, elementwise over (B, H), for t = 1..T:

    h_t = a_t * h_{t-1} + b_t                          a_t, b_t given for every t

Pairs (a, b) compose associatively (Blelloch 1990):

    (a_1, b_1) o (a_2, b_2) = (a_1 a_2, a_2 b_1 + b_2)   "apply 1, then 2"

so ``jax.lax.associative_scan`` gives every prefix in O(log T) sequential
levels of O(T B H) vectorised work, instead of the T dependent steps of
``lax.scan``. The carried state h_0 enters as the first element: b_1 is
replaced by a_1 h_0 + b_1, so the scan's prefixes are the states themselves
and a window continues where the last one stopped (stateful truncated BPTT).

``log_scan`` is the same recurrence for positive a, b, h (minGRU and minLSTM
with their positive candidate g, Feng et al. 2024), carried in log space:

    (la_1, lb_1) o (la_2, lb_2) = (la_1 + la_2, logaddexp(lb_1 + la_2, lb_2))
    h_t = exp(LA_t) h_0 + exp(LB_t)       (LA_t, LB_t) the t-th prefix, from h_0 = 0

where la = log a, lb = log b. Here h_0 is added outside the logarithms (the
recurrence is linear in h_0), so it may be 0, a sequence's start, or of any
sign, with exact gradients.

The gradient is written by hand (``_backward``): the adjoint of a linear
recurrence is the same recurrence run backwards, so it costs one more scan
instead of autodiff's transpose of every level. ``scan``'s ``method``
"sequential" runs both as ``lax.scan`` (T steps of one multiply-add), the
form a CPU runs fastest (docs/parallel.md); "chunked" runs blocks of CHUNK
steps vectorised over the blocks and a loop of T/CHUNK steps between them
(measured slower than "sequential" on 2 CPU cores, so not a default).

Padding (``mask`` (T, B), 0 on padded steps): a padded step is a_t = 1,
b_t = 0, so the state waits and the final state is each row's state at its
last valid step; its output is 0 (``scan.run_masked``'s rule).

Shapes: a, b (T, B, H) (complex for the LRU), h0 (B, H). Returns
``(h_T, hs)``, hs (T, B, H).
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp

# log of 0 for padded steps in ``log_scan``: finite, so no gradient is ever
# inf - inf; exp(NEG) is exactly 0 in float32 and float64.
NEG = -1e30
METHODS = ("associative", "sequential", "chunked")
CHUNK = 8  # steps per block of the ``chunked`` form


def default_method() -> str:
    """The form that trains fastest on this backend, as measured with
    ``benchmarks/bench_parallel.py``: on CPU cores every form does the same
    elementwise work and the O(log T) depth buys nothing (a plain loop over
    the precomputed (a_t, b_t) was 1.1-1.7x the cell's step-by-step speed,
    the associative scan 0.9-1.3x, on 2 cores); on a GPU or TPU the
    associative scan's parallel depth is what the papers measure."""
    return "sequential" if jax.default_backend() == "cpu" else "associative"


def _combine(first, second):
    a1, b1 = first
    a2, b2 = second
    return a1 * a2, a2 * b1 + b2


def _log_combine(first, second):
    la1, lb1 = first
    la2, lb2 = second
    return la1 + la2, jnp.logaddexp(lb1 + la2, lb2)


def _prefix(a, b, method, reverse=False):
    """h_t = a_t h_{t-1} + b_t from h_0 = 0 (reverse: from the end), all t."""
    if method == "associative":
        return jax.lax.associative_scan(_combine, (a, b), reverse=reverse, axis=0)[1]
    if method == "chunked":
        return _chunked_prefix(a, b, reverse)
    if method != "sequential":
        raise ValueError(f"unknown scan method {method!r}; choose one of {METHODS}")

    def body(h, ab):
        h = ab[0] * h + ab[1]
        return h, h

    return jax.lax.scan(body, jnp.zeros_like(b[0]), (a, b), reverse=reverse)[1]


def _chunked_prefix(a, b, reverse=False, C=CHUNK):
    """``_prefix`` in blocks of C steps, for CPUs: T/C loop iterations instead of T.

    With T = n C, step j of block k is t = k C + j. Within every block at
    once (C unrolled steps over arrays of n blocks), from a zero state:

        A_{k,j} = a_{k,1} ... a_{k,j}        B_{k,j} = a_{k,j} B_{k,j-1} + b_{k,j}

    then one short loop over the n blocks carries the state in,
    s_k = A_{k,C} s_{k-1} + B_{k,C}, and every step is h_{k,j} = A_{k,j} s_{k-1} + B_{k,j}."""
    if reverse:
        return _chunked_prefix(a[::-1], b[::-1], C=C)[::-1]
    T = a.shape[0]
    n = -(-T // C)
    if n * C != T:  # pad the end with steps that change nothing (a = 1, b = 0)
        tail = (n * C - T,) + a.shape[1:]
        a = jnp.concatenate([a, jnp.ones(tail, a.dtype)])
        b = jnp.concatenate([b, jnp.zeros(tail, b.dtype)])
    a = a.reshape(n, C, *a.shape[1:])
    b = b.reshape(n, C, *b.shape[1:])
    A, B = [a[:, 0]], [b[:, 0]]
    for j in range(1, C):
        A.append(A[-1] * a[:, j])
        B.append(a[:, j] * B[-1] + b[:, j])
    A, B = jnp.stack(A, 1), jnp.stack(B, 1)

    def carry_in(s, block_end):
        return block_end[0] * s + block_end[1], s

    _, s_in = jax.lax.scan(carry_in, jnp.zeros_like(b[0, 0]), (A[:, -1], B[:, -1]))
    hs = A * s_in[:, None] + B
    return hs.reshape(n * C, *hs.shape[2:])[:T]


def _backward(a, h0, hs, g, method):
    """The gradient of a linear recurrence is one more, run backwards:

        lam_t = g_t + a_{t+1} lam_{t+1}    (lam_T = g_T)
        db_t = lam_t    da_t = lam_t h_{t-1}    dh_0 = a_1 lam_1

    (JAX's convention for complex values: transposes, no conjugates)."""
    a_next = jnp.concatenate([a[1:], jnp.zeros_like(a[:1])], axis=0)
    lam = _prefix(a_next, g, method, reverse=True)
    h_prev = jnp.concatenate([h0[None], hs[:-1]], axis=0)
    return lam * h_prev, lam, a[0] * lam[0]


@functools.partial(jax.custom_vjp, nondiff_argnums=(3,))
def _linear(a, b, h0, method):
    return _prefix(a, b.at[0].add(a[0] * h0), method)  # h_0 enters as the first element


def _linear_fwd(a, b, h0, method):
    hs = _linear(a, b, h0, method)
    return hs, (a, h0, hs)


def _linear_bwd(method, res, g):
    return _backward(*res, g, method)


_linear.defvjp(_linear_fwd, _linear_bwd)


@jax.custom_vjp
def _log_linear(log_a, log_b, h0):
    la, lb = jax.lax.associative_scan(_log_combine, (log_a, log_b), axis=0)
    return jnp.exp(la) * h0 + jnp.exp(lb)


def _log_fwd(log_a, log_b, h0):
    hs = _log_linear(log_a, log_b, h0)
    return hs, (log_a, log_b, h0, hs)


def _log_bwd(res, g):
    log_a, log_b, h0, hs = res
    a = jnp.exp(log_a)
    da, db, dh0 = _backward(a, h0, hs, g, "associative")
    return da * a, db * jnp.exp(log_b), dh0  # d/dlog x = x d/dx


_log_linear.defvjp(_log_fwd, _log_bwd)


def _masked(mask, x, fill):
    """x where mask is 1, ``fill`` on padded steps; mask (T, B) against x (T, B, H)."""
    return x if mask is None else jnp.where(mask[:, :, None] > 0, x, jnp.asarray(fill, x.dtype))


def _outputs(mask, hs):
    return hs if mask is None else jnp.where(mask[:, :, None] > 0, hs, jnp.zeros((), hs.dtype))


def scan(a, b, h0, mask=None, method: str = "associative"):
    """h_t = a_t h_{t-1} + b_t for every t: ``(h_T, hs)``. ``method``:
    ``associative`` (``jax.lax.associative_scan``, O(log T) depth),
    ``sequential`` (``lax.scan``, T steps of one multiply-add each) or
    ``chunked`` (``_chunked_prefix``: blocks of ``CHUNK`` steps, T/CHUNK loop
    steps); all with the hand-written backward above."""
    a = _masked(mask, a, 1.0)
    b = _masked(mask, b, 0.0)
    hs = _linear(a, b, h0, method)
    return hs[-1], _outputs(mask, hs)


def log_scan(log_a, log_b, h0, mask=None):
    """The same recurrence from log a_t and log b_t (a, b > 0), in log space
    with ``jax.lax.associative_scan``: ``(h_T, hs)``."""
    log_a = _masked(mask, log_a, 0.0)
    log_b = _masked(mask, log_b, NEG)
    hs = _log_linear(log_a, log_b, h0)
    return hs[-1], _outputs(mask, hs)
