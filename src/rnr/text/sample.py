"""Sampling text from a trained model, one character at a time, compiled.

    carry, _ = model(prime[:-1])                    state after the prime
    x_0 = prime[-1]
    logits_t = model(x_t; carry)                    (V,)
    greedy:  x_{t+1} = argmax logits_t
    else:    x_{t+1} ~ softmax(top_k(logits_t) / temperature)

The whole loop of ``length`` steps is one ``lax.scan`` (one compiled call);
the random keys are ``split(PRNGKey(seed), length)``, so a seed gives the
same text every time. At most ``MAX_CHARS`` characters a call (200,000, as
``--chars`` allows: seconds for a small model; ``--chars 100000000`` ran for
minutes), refused in one sentence before anything is compiled.
"""

from __future__ import annotations

from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np

from rnr.engine import memory, model
from rnr.errors import Msg, UserError
from rnr.text.vocab import Vocab

MAX_CHARS = 200_000  # as rnr.settings.flags.chars


def pick(logits, key, temperature, top_k: int, greedy: bool):
    """The next id from logits (V,): argmax, or a draw at ``temperature``
    among the ``top_k`` most likely (0: all).

    The draw is from softmax(z / temperature) with z = logits - max(logits),
    the log-probabilities relative to the most likely id (z <= 0, z = 0 at
    the top). The top stays exactly 0 and the rest go to -inf as the
    temperature shrinks, so any positive temperature gives finite weights:
    one far below float32's range (1e-45, even one that rounds to 0) is the
    argmax, where logits / temperature would be inf or nan."""
    if greedy:
        return jnp.argmax(logits).astype(jnp.int32)
    z = logits - jnp.max(logits)
    if top_k:
        kth = jax.lax.top_k(z, top_k)[0][-1]
        z = jnp.where(z < kth, -jnp.inf, z)
    # 0 / T is 0 even when T underflowed to 0, a negative z / T is at worst
    # -inf, and a -inf (cut by top_k) stays -inf even at T = inf
    scaled = jnp.where(z == 0, 0.0, jnp.where(z == -jnp.inf, -jnp.inf, z / temperature))
    return jax.random.categorical(key, scaled).astype(jnp.int32)


@lru_cache(maxsize=16)
def make_sampler(cfg: model.ModelConfig, length: int, top_k: int, greedy: bool):
    """Compile ``run(params, prime_ids (P,), key, temperature) -> ids (length,)``."""

    @jax.jit
    def run(params, prime, key, temperature):
        carry = model.zeros(cfg, 1)
        if prime.shape[0] > 1:
            carry, _ = model.apply(cfg, params, carry, prime[:-1, None])

        def one(state, k):
            carry, x = state
            carry, logits = model.apply(cfg, params, carry, x[None, None])
            nxt = pick(logits[0, 0], k, temperature, top_k, greedy)
            return (carry, nxt), nxt

        _, ids = jax.lax.scan(one, (carry, prime[-1]), jax.random.split(key, length))
        return ids

    return run


def sample_bytes(length: int, vocab: Vocab) -> int:
    """About how many bytes sampling ``length`` characters takes at its peak:
    the scan's random keys (2 x uint32 a step) and its output ids (int32),
    the ids copied to the host (int32), the list of characters that
    ``str.join`` builds (one 8-byte reference each), and the text itself
    twice (returned, then joined to the prime to print), at 1, 2 or 4 bytes
    a character as Python stores the widest character of ``vocab``."""
    widest = max((ord(ch) for ch in vocab.chars), default=0)
    width = 1 if widest < 0x100 else 2 if widest < 0x10000 else 4
    return length * (8 + 4 + 4 + 8 + 2 * width)


def default_prime(vocab: Vocab) -> str:
    """A newline when the vocabulary has one (a fresh line), else its first character."""
    return "\n" if "\n" in vocab.index else vocab.chars[0]


def sample(cfg: model.ModelConfig, params, vocab: Vocab, length: int = 500, prime: str | None = None,
           temperature: float = 1.0, top_k: int = 0, greedy: bool = False, seed: int = 0,
           flag: str = "--length") -> str:
    """``length`` new characters following ``prime`` (not included); a length
    above ``MAX_CHARS``, or whose arrays would not fit in memory, is refused
    (UserError ``setting_bad`` or ``too_big`` naming ``flag``) before
    anything is compiled."""
    if not isinstance(length, int) or length <= 0:
        raise UserError("not_positive", name="length", value=length)
    if not greedy and not temperature > 0:
        raise UserError("text_bad_temperature", value=temperature)
    if top_k < 0:
        raise UserError("negative", name="top-k", value=top_k)
    memory.check_fits(sample_bytes(length, vocab), flag)
    if length > MAX_CHARS:
        raise UserError("setting_bad", flag=flag, value=str(length), rule=Msg("rule_int", low="1", high=str(MAX_CHARS)))
    prime = default_prime(vocab) if prime is None or prime == "" else prime
    ids = vocab.encode(prime, what="--prime")
    top_k = min(int(top_k), len(vocab))
    run = make_sampler(cfg, length, top_k, bool(greedy))
    out = run(params, jnp.asarray(ids), jax.random.PRNGKey(seed), jnp.float32(temperature if not greedy else 1.0))
    return vocab.decode(np.asarray(out))
