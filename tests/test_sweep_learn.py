"""Small honest learning check: an LSTM solves the adding problem at a short
gap, well below the memoryless baseline of 1/6."""

from rnr.sweep import grid as sweep
from rnr.sweep.tasks import adding


def test_lstm_solves_adding_at_short_T():
    cfg = sweep.SweepConfig.for_task("adding", cells=("lstm",), lengths=(6,), seeds=1, hidden=16,
                                     batch=32, steps=300, chunk=300, eval_batch=500).validate()
    (row,), _ = sweep.run(cfg)
    assert row["baseline"] == adding.BASELINE
    assert row["value"] < adding.SOLVED_MSE < row["baseline"], row
    assert row["solved"]
