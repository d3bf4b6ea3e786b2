"""Masking and bidirectional layers (rnr.engine.model) against PyTorch: nn.LSTM /
GRU / RNN(bidirectional=True) over pack_padded_sequence, given rnr's weights
(rnr.export.torch), gives the same outputs and final states; and padding a batch
differently never changes a result."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from rnr.export import torch as export
from rnr.engine import model

torch = pytest.importorskip("torch")
T, B, N_IN, H = 7, 4, 3, 5
LENGTHS = np.array([7, 3, 5, 1])


def setup(cell, bidirectional=True, layers=2, seed=0):
    cfg = model.ModelConfig(cell=cell, n_in=N_IN, hidden=H, n_out=2, layers=layers, bidirectional=bidirectional)
    params = model.init(jax.random.PRNGKey(seed), cfg)
    xs = np.random.default_rng(seed).normal(size=(T, B, N_IN)).astype(np.float32)
    return cfg, params, xs


def torch_rnn(cfg, params):
    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[cfg.cell]
    rnn = cls(N_IN, H, num_layers=cfg.layers, bidirectional=cfg.bidirectional)
    sd = export.torch_state_dict(cfg, params)
    rnn.load_state_dict({k[4:]: torch.from_numpy(np.array(v)) for k, v in sd.items() if k.startswith("rnn.")},
                        strict=True)
    return rnn


def hidden_states(cfg, params, xs, lengths):
    """rnr's last layer outputs (T, B, 2H): the readout's input."""
    sub = {**params, "out": {"W": jnp.eye(cfg.width_out(), dtype=jnp.float32), "b": jnp.zeros(cfg.width_out())}}
    cfg = model.ModelConfig(**{**cfg.__dict__, "n_out": cfg.width_out()})
    carry, out = model.apply(cfg, sub, model.zeros(cfg, B), jnp.asarray(xs), lengths=lengths)
    return carry, np.asarray(out)


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_bidirectional_over_padding_matches_torch(cell):
    cfg, params, xs = setup(cell)
    carry, ours = hidden_states(cfg, params, xs, LENGTHS)
    rnn = torch_rnn(cfg, params)
    packed = torch.nn.utils.rnn.pack_padded_sequence(torch.from_numpy(xs), torch.from_numpy(LENGTHS),
                                                     enforce_sorted=False)
    with torch.no_grad():
        out, h_n = rnn(packed)
    theirs, _ = torch.nn.utils.rnn.pad_packed_sequence(out, total_length=T)
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-5, atol=1e-5)  # padding positions: 0 in both
    h_n = (h_n[0] if cell == "lstm" else h_n).numpy()  # (layers * 2, B, H)
    last = carry[-1]
    h_f = np.reshape(jax.tree_util.tree_leaves(last[0])[0], (B, H))  # the forward direction's h
    np.testing.assert_allclose(h_f, h_n[-2], rtol=1e-5, atol=1e-5)  # forward: state at each row's last step


def test_one_direction_with_lengths_matches_torch():
    cfg, params, xs = setup("lstm", bidirectional=False)
    _, ours = hidden_states(cfg, params, xs, LENGTHS)
    packed = torch.nn.utils.rnn.pack_padded_sequence(torch.from_numpy(xs), torch.from_numpy(LENGTHS),
                                                     enforce_sorted=False)
    with torch.no_grad():
        out, _ = torch_rnn(cfg, params)(packed)
    theirs, _ = torch.nn.utils.rnn.pad_packed_sequence(out, total_length=T)
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-5, atol=1e-5)


def test_padding_differently_gives_the_same_logits():
    cfg, params, xs = setup("gru")
    _, a = hidden_states(cfg, params, xs, LENGTHS)
    longer = np.concatenate([xs, np.random.default_rng(9).normal(size=(4, B, N_IN)).astype(np.float32)])
    longer[LENGTHS.max():] = 123.0  # whatever the padding holds
    noisy = xs.copy()
    for b, n in enumerate(LENGTHS):
        noisy[n:, b] = -7.0
    _, b = hidden_states(cfg, params, longer, LENGTHS)
    _, c = hidden_states(cfg, params, noisy, LENGTHS)
    np.testing.assert_allclose(b[:T], a, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(c, a, rtol=1e-6, atol=1e-6)
    assert not np.allclose(hidden_states(cfg, params, xs, LENGTHS + np.array([0, 1, 0, 0]))[1], a)  # a control


def test_reverse_valid_reverses_each_row_and_is_its_own_inverse():
    x = jnp.arange(T * B).reshape(T, B)
    r = np.asarray(model.reverse_valid(x, jnp.asarray(LENGTHS)))
    for b, n in enumerate(LENGTHS):
        np.testing.assert_array_equal(r[:n, b], np.asarray(x)[:n, b][::-1])
        np.testing.assert_array_equal(r[n:, b], np.asarray(x)[n:, b])
    np.testing.assert_array_equal(np.asarray(model.reverse_valid(jnp.asarray(r), jnp.asarray(LENGTHS))), x)
