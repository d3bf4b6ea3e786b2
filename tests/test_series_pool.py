"""Many-to-one pooling (rnr.engine.model.pool_steps) and whole-sequence training
(tbptt's stateless chunk with lengths), against PyTorch and NumPy:

- "last" with both directions equals torch's h_n ([forward at each row's
  last step, backward at step 0]) over pack_padded_sequence, then the readout;
- "mean" and "max" equal NumPy masked reductions of torch's padded outputs;
- padding a batch to another length never changes the logits or a training step;
- the stateless chunk's loss equals the loss of the same batch computed directly.
"""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from rnr.export import torch as export
from rnr.engine import model, tbptt

torch = pytest.importorskip("torch")
T, B, F, H, K = 9, 5, 3, 4, 3
LENGTHS = np.array([9, 2, 5, 1, 7])


def setup(cell="lstm", bidirectional=True, layers=1, seed=0):
    cfg = model.ModelConfig(cell=cell, n_in=F, hidden=H, n_out=K, layers=layers, bidirectional=bidirectional)
    params = model.init(jax.random.PRNGKey(seed), cfg)
    xs = np.random.default_rng(seed).normal(size=(T, B, F)).astype(np.float32)
    return cfg, params, xs


def torch_outputs(cfg, params, xs):
    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[cfg.cell]
    rnn = cls(F, H, num_layers=cfg.layers, bidirectional=cfg.bidirectional)
    sd = export.torch_state_dict(cfg, params)
    rnn.load_state_dict({k[4:]: torch.from_numpy(np.array(v)) for k, v in sd.items() if k.startswith("rnn.")})
    packed = torch.nn.utils.rnn.pack_padded_sequence(torch.from_numpy(xs), torch.from_numpy(LENGTHS),
                                                     enforce_sorted=False)
    with torch.no_grad():
        out, h_n = rnn(packed)
    out, _ = torch.nn.utils.rnn.pad_packed_sequence(out, total_length=T)
    h_n = h_n[0] if cfg.cell == "lstm" else h_n
    return out.numpy().astype(np.float64), h_n.numpy().astype(np.float64)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_last_pool_both_directions_is_torch_h_n(cell):
    cfg, params, xs = setup(cell, layers=2)
    _, logits = model.apply(cfg, params, model.zeros(cfg, B), jnp.asarray(xs), lengths=LENGTHS, pool="last")
    _, h_n = torch_outputs(cfg, params, xs)
    state = np.concatenate([h_n[-2], h_n[-1]], axis=-1)  # the top layer's forward and backward h_n
    W, b = np.asarray(params["out"]["W"], np.float64), np.asarray(params["out"]["b"], np.float64)
    np.testing.assert_allclose(np.asarray(logits), state @ W + b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("pool,reduce", [("mean", np.mean), ("max", np.max)])
def test_mean_and_max_pool_are_masked_reductions_of_torch_outputs(pool, reduce):
    cfg, params, xs = setup("lstm")
    _, logits = model.apply(cfg, params, model.zeros(cfg, B), jnp.asarray(xs), lengths=LENGTHS, pool=pool)
    out, _ = torch_outputs(cfg, params, xs)
    mean = np.stack([reduce(out[: LENGTHS[b], b], axis=0) for b in range(B)])
    W, b = np.asarray(params["out"]["W"], np.float64), np.asarray(params["out"]["b"], np.float64)
    np.testing.assert_allclose(np.asarray(logits), mean @ W + b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("pool", ["last", "mean", "max"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_padding_never_changes_logits(pool, bidirectional):
    cfg, params, xs = setup("gru", bidirectional=bidirectional, layers=2)
    longer = np.concatenate([xs, np.full((40, B, F), 7.0, np.float32)])  # garbage padding
    a = model.apply(cfg, params, model.zeros(cfg, B), jnp.asarray(xs), lengths=LENGTHS, pool=pool)[1]
    b = model.apply(cfg, params, model.zeros(cfg, B), jnp.asarray(longer), lengths=LENGTHS, pool=pool)[1]
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6, atol=1e-6)
    # control: without lengths the padding is read and the logits change
    c = model.apply(cfg, params, model.zeros(cfg, B), jnp.asarray(longer), pool=pool)[1]
    assert np.max(np.abs(np.asarray(c) - np.asarray(a))) > 1e-3


def test_stateless_chunk_trains_batches_of_whole_sequences():
    """Two batches through the chunk = two optimizer steps computed by hand
    (value_and_grad of the pooled loss from a zero state), and the padding of
    each batch does not matter."""
    cfg, params, _ = setup("lstm", bidirectional=True)
    rng = np.random.default_rng(1)
    X = rng.normal(size=(2, T, B, F)).astype(np.float32)
    Y = rng.integers(0, K, size=(2, B)).astype(np.int32)
    L = np.stack([LENGTHS, LENGTHS[::-1]]).astype(np.int32)
    opt = optax.adam(1e-2)
    chunk = tbptt.make_train_chunk(cfg, opt, pool="last", stateless=True)
    carry = jax.tree_util.tree_map(lambda a: a + 3.0, model.zeros(cfg, B))  # ignored: each batch starts at 0
    p1, _, _, losses, _ = chunk(params, opt.init(params), carry, X, Y, L=L)

    def loss(p, x, y, lengths):
        _, logits = model.apply(cfg, p, model.zeros(cfg, B), x, lengths=lengths, pool="last")
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1))

    grad = jax.jit(jax.value_and_grad(loss))
    p, s, expected = params, opt.init(params), []
    for k in range(2):
        v, g = grad(p, X[k], Y[k], L[k])
        u, s = opt.update(g, s, p)
        p = optax.apply_updates(p, u)
        expected.append(float(v))
    np.testing.assert_allclose(np.asarray(losses), expected, rtol=1e-5)
    for a, b in zip(jax.tree_util.tree_leaves(p1), jax.tree_util.tree_leaves(p)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-4, atol=1e-6)
    padded = np.concatenate([X, np.full((2, 20, B, F), -5.0, np.float32)], axis=1)
    p2, _, _, losses2, _ = chunk(params, opt.init(params), carry, padded, Y, L=L)
    np.testing.assert_allclose(np.asarray(losses2), np.asarray(losses), rtol=1e-5)
