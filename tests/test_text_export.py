import jax
import numpy as np
import pytest

from rnr.export import torch as export
from rnr.engine import model

torch = pytest.importorskip("torch")


def torch_model(mcfg, sd):
    """The modules the export is documented to load into, fed time-major ids."""
    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[mcfg.cell]
    net = torch.nn.Module()
    net.embedding = torch.nn.Embedding(mcfg.n_in, mcfg.embed_dim)
    net.rnn = cls(mcfg.embed_dim, mcfg.hidden, num_layers=mcfg.layers)
    net.linear = torch.nn.Linear(mcfg.hidden, mcfg.n_out)
    net.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in sd.items()}, strict=True)
    return net


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_exported_weights_give_the_same_logits_in_torch(cell):
    mcfg = model.ModelConfig(cell=cell, n_in=11, hidden=6, n_out=11, layers=2, input="embed", embed_dim=5)
    params = model.init(jax.random.PRNGKey(1), mcfg)
    if cell == "lstm":  # make the four gates clearly different, so a swapped order shows
        W = params["layers"][0]["W"]
        params["layers"][0]["W"] = W * np.repeat(np.array([0.5, 2.0, 1.0, 3.0], np.float32), 6)
    sd = export.torch_state_dict(mcfg, params)
    ids = np.random.default_rng(0).integers(0, 11, size=(9, 3))
    _, logits = model.apply(mcfg, params, model.zeros(mcfg, 3), ids)
    net = torch_model(mcfg, sd)
    with torch.no_grad():
        out, _ = net.rnn(net.embedding(torch.from_numpy(ids)))
        ref = net.linear(out).numpy()
    np.testing.assert_allclose(np.asarray(logits), ref, rtol=1e-5, atol=1e-5)


def test_lstm_gate_blocks_are_reordered():
    mcfg = model.ModelConfig(cell="lstm", n_in=3, hidden=2, n_out=3, input="embed", embed_dim=2)
    params = model.init(jax.random.PRNGKey(0), mcfg)
    # bias blocks f=0, i=1, g=2, o=3 in rnr's order -> torch's (i, f, g, o)
    params["layers"][0]["b"] = np.repeat(np.arange(4, dtype=np.float32), 2)
    sd = export.torch_state_dict(mcfg, params)
    assert sd["rnn.bias_ih_l0"].tolist() == [1, 1, 0, 0, 2, 2, 3, 3]
    assert not sd["rnn.bias_hh_l0"].any()
