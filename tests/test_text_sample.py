import jax
import numpy as np
import pytest

from rnr.engine import model
from rnr.errors import UserError
from rnr.text.sample import sample
from rnr.text.vocab import Vocab
from text_helpers import SPANISH, lstm_numpy

VOCAB = Vocab.from_text(SPANISH)
H = 16


@pytest.fixture(scope="module")
def net():
    cfg = model.ModelConfig(cell="lstm", n_in=len(VOCAB), hidden=H, n_out=len(VOCAB), input="embed", embed_dim=8)
    params = model.init(jax.random.PRNGKey(3), cfg)
    # sharper logits, so that a random model still has clear favourites
    params["out"]["W"] = params["out"]["W"] * 8.0
    return cfg, params


def test_same_seed_same_text_other_seed_other_text(net):
    cfg, params = net
    a = sample(cfg, params, VOCAB, 80, "El ", seed=7)
    b = sample(cfg, params, VOCAB, 80, "El ", seed=7)
    c = sample(cfg, params, VOCAB, 80, "El ", seed=8)
    assert a == b and len(a) == 80
    assert a != c


def test_greedy_is_deterministic_and_matches_numpy(net):
    cfg, params = net
    prime = "señor "
    g1 = sample(cfg, params, VOCAB, 40, prime, greedy=True, seed=1)
    g2 = sample(cfg, params, VOCAB, 40, prime, greedy=True, seed=2)
    assert g1 == g2
    # independent reference: NumPy forward, argmax at every step
    ids = list(VOCAB.encode(prime))
    for _ in range(40):
        logits, _ = lstm_numpy(params, ids, H)
        ids.append(int(np.argmax(logits[-1])))
    assert g1 == VOCAB.decode(ids[len(prime):])


def test_temperature_near_zero_and_top1_equal_greedy(net):
    cfg, params = net
    g = sample(cfg, params, VOCAB, 40, "¿", greedy=True)
    assert sample(cfg, params, VOCAB, 40, "¿", temperature=1e-6, seed=5) == g
    assert sample(cfg, params, VOCAB, 40, "¿", top_k=1, seed=5) == g


def test_top_k_only_draws_likely_characters(net):
    cfg, params = net
    text = sample(cfg, params, VOCAB, 1, "ñ", top_k=3, seed=0, temperature=5.0)
    logits, _ = lstm_numpy(params, list(VOCAB.encode("ñ")), H)
    top3 = {VOCAB.chars[i] for i in np.argsort(logits[-1])[-3:]}
    assert text in top3


def test_prime_outside_vocabulary_is_refused(net):
    cfg, params = net
    with pytest.raises(UserError) as e:
        sample(cfg, params, VOCAB, 10, "Qxz")
    assert "'Q'" in str(e.value)


def _greedy_numpy(params, prime, n):
    """Independent reference: NumPy forward, argmax at every step."""
    ids = list(VOCAB.encode(prime))
    for _ in range(n):
        logits, _ = lstm_numpy(params, ids, H)
        ids.append(int(np.argmax(logits[-1])))
    return VOCAB.decode(ids[len(prime):])


@pytest.mark.parametrize("temperature", [1e-45, 1e-60])
def test_any_positive_temperature_works_tiny_ones_give_the_argmax(net, temperature):
    """1e-45 is a float32 denormal (1e-60 rounds to 0): logits / T would be
    inf or nan; in log space the most likely character wins every draw."""
    cfg, params = net
    want = _greedy_numpy(params, "El ", 30)
    assert sample(cfg, params, VOCAB, 30, "El ", temperature=temperature, seed=3) == want
    assert sample(cfg, params, VOCAB, 30, "El ", temperature=temperature, top_k=4, seed=4) == want


def test_pick_matches_a_draw_from_softmax_over_logits_by_temperature():
    """At ordinary temperatures pick is the usual draw: same key, same id as
    jax.random.categorical(logits / T); huge T spreads over every id."""
    from rnr.text.sample import pick

    logits = jax.random.normal(jax.random.PRNGKey(0), (30,)) * 3.0
    for i, temp in enumerate((0.3, 1.0, 2.5)):
        for k in jax.random.split(jax.random.PRNGKey(i), 20):
            assert int(pick(logits, k, temp, 0, False)) == int(jax.random.categorical(k, logits / temp))
    seen = {int(pick(logits, k, 1e30, 0, False)) for k in jax.random.split(jax.random.PRNGKey(9), 600)}
    assert len(seen) == 30
    top3 = {int(i) for i in np.argsort(np.asarray(logits))[-3:]}
    seen = {int(pick(logits, k, float("inf"), 3, False)) for k in jax.random.split(jax.random.PRNGKey(8), 200)}
    assert seen == top3


def test_absurd_length_is_refused_before_compiling(net, monkeypatch):
    from rnr.engine import memory
    from rnr.text import sample as sample_mod

    def no_compile(*a, **k):
        raise AssertionError("the sampler was compiled for an absurd length")

    cfg, params = net
    monkeypatch.setattr(sample_mod, "make_sampler", no_compile)
    with pytest.raises(UserError) as e:
        sample(cfg, params, VOCAB, 10**12, "El ")
    assert e.value.key == "too_big" and "--length" in str(e.value)
    # an honest estimate counts at least the ids (int32) and one key per step
    # (2 x uint32): 12 bytes a character
    monkeypatch.setattr(memory, "available_bytes", lambda: 2**30)
    with pytest.raises(UserError):
        sample(cfg, params, VOCAB, 2**30 // 12 + 1, "El ")
